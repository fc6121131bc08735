// Redshift's SUPER in the executor: JSON_PARSE and JSON_SERIALIZE, navigation (s.a.b[0], bound
// as super_navigate), dynamic-typed comparison (super_eq ... super_ge), the type tests (is_array,
// json_typeof, ...), the casts to and from SUPER, and the JSON functions over VARCHAR
// (json_extract_path_text, json_extract_array_element_text, json_array_length, is_valid_json,
// is_valid_json_array, can_json_parse). The value rules live in sql/super_value.h.
//
// Lax semantics, as Redshift's default: navigating to a member or element that is not there,
// and casting a SUPER value to a type it does not fit, give NULL, not an error.
#include <charconv>
#include <cmath>
#include <cstring>

#include "executor/expr_node.h"
#include "executor/utf8_text.h"
#include "sql/error.h"
#include "sql/sqlstate.h"
#include "sql/super_value.h"
#include "sql/value_text.h"

namespace strata {

namespace {

enum class SuperFn : uint8_t {
  kJsonParse, kCanJsonParse, kJsonSerialize, kJsonTypeof, kJsonSize, kIsValidJson, kIsValidJsonArray,
  kExtractPathText, kExtractArrayElementText, kJsonArrayLength, kGetArrayLength, kNavigate,
  kIsArray, kIsObject, kIsScalar, kIsBoolean, kIsNumber, kIsSmallint, kIsInteger, kIsBigint, kIsDecimal,
  kIsFloat, kIsVarchar,
  kEq, kNe, kLt, kLe, kGt, kGe,
  kAdd, kSub, kMul, kDiv, kMod,
  kArray, kObject, kSplitToArray, kArrayConcat, kSubarray, kArrayFlatten,
  kObjectSize, kMemberKey, kMemberValue,
};

struct FnInfo {
  const char* name;
  SuperFn fn;
};

constexpr FnInfo kFunctions[] = {
    {"json_parse", SuperFn::kJsonParse},
    {"can_json_parse", SuperFn::kCanJsonParse},
    {"json_serialize", SuperFn::kJsonSerialize},
    {"json_typeof", SuperFn::kJsonTypeof},
    {"json_size", SuperFn::kJsonSize},
    {"is_valid_json", SuperFn::kIsValidJson},
    {"is_valid_json_array", SuperFn::kIsValidJsonArray},
    {"json_extract_path_text", SuperFn::kExtractPathText},
    {"json_extract_array_element_text", SuperFn::kExtractArrayElementText},
    {"json_array_length", SuperFn::kJsonArrayLength},
    {"get_array_length", SuperFn::kGetArrayLength},
    {"super_navigate", SuperFn::kNavigate},
    {"is_array", SuperFn::kIsArray},
    {"is_object", SuperFn::kIsObject},
    {"is_scalar", SuperFn::kIsScalar},
    {"is_boolean", SuperFn::kIsBoolean},
    {"is_number", SuperFn::kIsNumber},
    {"is_smallint", SuperFn::kIsSmallint},
    {"is_integer", SuperFn::kIsInteger},
    {"is_bigint", SuperFn::kIsBigint},
    {"is_decimal", SuperFn::kIsDecimal},
    {"is_float", SuperFn::kIsFloat},
    {"is_varchar", SuperFn::kIsVarchar},
    {"is_char", SuperFn::kIsVarchar},
    {"super_eq", SuperFn::kEq},
    {"super_ne", SuperFn::kNe},
    {"super_lt", SuperFn::kLt},
    {"super_le", SuperFn::kLe},
    {"super_gt", SuperFn::kGt},
    {"super_ge", SuperFn::kGe},
    {"super_add", SuperFn::kAdd},
    {"super_sub", SuperFn::kSub},
    {"super_mul", SuperFn::kMul},
    {"super_div", SuperFn::kDiv},
    {"super_mod", SuperFn::kMod},
    {"super_array", SuperFn::kArray},
    {"object", SuperFn::kObject},
    {"split_to_array", SuperFn::kSplitToArray},
    {"array_concat", SuperFn::kArrayConcat},
    {"subarray", SuperFn::kSubarray},
    {"array_flatten", SuperFn::kArrayFlatten},
    // UNPIVOT's parts (planner/select_binder.cpp): members by position.
    {"super_object_size", SuperFn::kObjectSize},
    {"super_member_key", SuperFn::kMemberKey},
    {"super_member_value", SuperFn::kMemberValue},
};

[[noreturn]] void InvalidJson(std::string_view text, const std::string& why) {
  std::string shown(text.substr(0, 64));
  if (text.size() > 64) shown += "...";
  STRATA_USER_ERROR(sqlstate::kInvalidTextRepresentation, "invalid JSON \"", shown, "\": ", why);
}

// The text a JSON function over VARCHAR reads, parsed; nullopt (NULL) when invalid and
// null_if_invalid, else 22P02. The view is of *scratch, valid until its next use.
std::optional<std::string_view> ParseOrNull(std::string_view text, bool null_if_invalid, std::string* scratch) {
  std::string error;
  if (ParseJsonToSuper(text, scratch, &error)) return std::string_view(*scratch);
  if (null_if_invalid) return std::nullopt;
  InvalidJson(text, error);
}

// The text a value found by json_extract_*_text shows: a string without quotes, other values
// as JSON text; JSON null is SQL NULL.
bool AppendExtracted(std::string_view value, std::string* out) {
  SuperKind kind = KindOfSuper(value);
  if (kind == SuperKind::kNull) return false;
  if (kind == SuperKind::kString) {
    out->append(SuperStringValue(value));
  } else {
    out->append(value);
  }
  return true;
}

bool NumberFits(std::string_view v, int64_t lo, int64_t hi) {
  auto i = SuperNumberAsInt64(v);
  return i && *i >= lo && *i <= hi;
}

class SuperFunctionNode final : public ExprNode {
 public:
  SuperFunctionNode(SqlType type, SuperFn fn, NodeList args)
      : ExprNode(type), fn_(fn), args_(std::move(args)), inputs_(args_.size()) {}

  const Vector& Eval(const Batch& input) override {
    const size_t n = input.rows;
    Vector& r = ResetResult(n);
    uint8_t* rn = r.nulls();
    // ARRAY(...) and OBJECT(...) take NULL values as JSON nulls; the others are strict.
    const bool strict = fn_ != SuperFn::kArray && fn_ != SuperFn::kObject;
    for (size_t k = 0; k < args_.size(); ++k) {
      inputs_[k] = &args_[k]->Eval(input);
      if (!strict) continue;
      const uint8_t* an = inputs_[k]->nulls();
      for (size_t i = 0; i < n; ++i) rn[i] |= an[i];
    }
    const std::string_view* s = args_.empty() ? nullptr : inputs_[0]->data<std::string_view>();
    switch (fn_) {
      case SuperFn::kJsonParse:
        for (size_t i = 0; i < n; ++i) {
          if (rn[i]) continue;
          std::string error;
          if (!ParseJsonToSuper(s[i], &scratch_, &error)) InvalidJson(s[i], error);
          r.SetString(i, scratch_);
        }
        break;
      case SuperFn::kCanJsonParse:
        Bools(n, rn, r, [&](size_t i) {
          std::string error;
          return ParseJsonToSuper(s[i], &scratch_, &error);
        });
        break;
      case SuperFn::kJsonSerialize:
        for (size_t i = 0; i < n; ++i) {
          if (!rn[i]) r.SetString(i, s[i]);
        }
        break;
      case SuperFn::kJsonTypeof:
        for (size_t i = 0; i < n; ++i) {
          if (!rn[i]) r.SetString(i, SuperKindName(KindOfSuper(s[i])));
        }
        break;
      case SuperFn::kJsonSize: {
        int32_t* d = r.data<int32_t>();
        for (size_t i = 0; i < n; ++i) d[i] = static_cast<int32_t>(s[i].size());
        break;
      }
      case SuperFn::kIsValidJson:
      case SuperFn::kIsValidJsonArray: {
        const SuperKind want = fn_ == SuperFn::kIsValidJson ? SuperKind::kObject : SuperKind::kArray;
        Bools(n, rn, r, [&](size_t i) {
          std::string error;
          return ParseJsonToSuper(s[i], &scratch_, &error) && KindOfSuper(scratch_) == want;
        });
        break;
      }
      case SuperFn::kExtractPathText: ExtractPathText(n, rn, r); break;
      case SuperFn::kExtractArrayElementText: {
        const int32_t* pos = inputs_[1]->data<int32_t>();
        for (size_t i = 0; i < n; ++i) {
          if (rn[i]) continue;
          auto doc = ParseOrNull(s[i], NullIfInvalid(2, i), &scratch_);
          if (!doc) {
            rn[i] = 1;
            continue;
          }
          // Redshift: an index outside the array (or a document that is not an array) gives ''.
          auto element = SuperElement(*doc, pos[i]);
          text_.clear();
          if (element && !AppendExtracted(*element, &text_)) {
            rn[i] = 1;
            continue;
          }
          r.SetString(i, text_);
        }
        break;
      }
      case SuperFn::kJsonArrayLength: {
        int32_t* d = r.data<int32_t>();
        for (size_t i = 0; i < n; ++i) {
          if (rn[i]) continue;
          auto doc = ParseOrNull(s[i], NullIfInvalid(1, i), &scratch_);
          auto length = doc ? SuperArrayLength(*doc) : std::nullopt;
          if (doc && !length) {
            if (NullIfInvalid(1, i)) {
              rn[i] = 1;
              continue;
            }
            InvalidJson(s[i], "not a JSON array");
          }
          if (!length) {
            rn[i] = 1;
            continue;
          }
          d[i] = static_cast<int32_t>(*length);
        }
        break;
      }
      case SuperFn::kGetArrayLength: Counts(n, rn, r, SuperArrayLength); break;
      case SuperFn::kObjectSize: Counts(n, rn, r, SuperObjectSize); break;
      case SuperFn::kNavigate: Navigate(n, rn, r); break;
      case SuperFn::kMemberKey:
      case SuperFn::kMemberValue: {
        const int64_t* index = inputs_[1]->data<int64_t>();
        for (size_t i = 0; i < n; ++i) {
          if (rn[i]) continue;
          std::string_view value;
          if (!SuperMemberAt(s[i], index[i], &text_, &value)) {
            rn[i] = 1;
            continue;
          }
          r.SetString(i, fn_ == SuperFn::kMemberKey ? std::string_view(text_) : value);
        }
        break;
      }
      case SuperFn::kIsArray: Test(n, rn, r, [](std::string_view v) { return KindOfSuper(v) == SuperKind::kArray; }); break;
      case SuperFn::kIsObject: Test(n, rn, r, [](std::string_view v) { return KindOfSuper(v) == SuperKind::kObject; }); break;
      case SuperFn::kIsScalar:
        Test(n, rn, r, [](std::string_view v) {
          SuperKind k = KindOfSuper(v);
          return k != SuperKind::kArray && k != SuperKind::kObject;
        });
        break;
      case SuperFn::kIsBoolean: Test(n, rn, r, [](std::string_view v) { return KindOfSuper(v) == SuperKind::kBool; }); break;
      case SuperFn::kIsNumber: Test(n, rn, r, [](std::string_view v) { return KindOfSuper(v) == SuperKind::kNumber; }); break;
      case SuperFn::kIsSmallint: Test(n, rn, r, [](std::string_view v) { return NumberFits(v, -32768, 32767); }); break;
      case SuperFn::kIsInteger:
        Test(n, rn, r, [](std::string_view v) { return NumberFits(v, INT32_MIN, INT32_MAX); });
        break;
      case SuperFn::kIsBigint: Test(n, rn, r, [](std::string_view v) { return SuperNumberAsInt64(v).has_value(); }); break;
      case SuperFn::kIsDecimal:
        Test(n, rn, r, [](std::string_view v) {
          return KindOfSuper(v) == SuperKind::kNumber && v.find_first_of("eE") == std::string_view::npos;
        });
        break;
      case SuperFn::kIsFloat:
        Test(n, rn, r, [](std::string_view v) {
          return KindOfSuper(v) == SuperKind::kNumber && v.find_first_of("eE") != std::string_view::npos;
        });
        break;
      case SuperFn::kIsVarchar: Test(n, rn, r, [](std::string_view v) { return KindOfSuper(v) == SuperKind::kString; }); break;
      case SuperFn::kEq: case SuperFn::kNe: case SuperFn::kLt: case SuperFn::kLe: case SuperFn::kGt: case SuperFn::kGe:
        Compare(n, rn, r);
        break;
      case SuperFn::kAdd: case SuperFn::kSub: case SuperFn::kMul: case SuperFn::kDiv: case SuperFn::kMod:
        Arithmetic(n, rn, r);
        break;
      case SuperFn::kArray: case SuperFn::kObject: case SuperFn::kSplitToArray: case SuperFn::kArrayConcat:
      case SuperFn::kSubarray: case SuperFn::kArrayFlatten:
        Build(n, rn, r);
        break;
    }
    return r;
  }

 private:
  template <typename F>
  void Bools(size_t n, const uint8_t* rn, Vector& r, F f) {
    uint8_t* d = r.data<uint8_t>();
    for (size_t i = 0; i < n; ++i) d[i] = rn[i] ? 0 : (f(i) ? 1 : 0);
  }

  // A BIGINT per row: count(value), NULL where it gives none (not an array / object).
  void Counts(size_t n, uint8_t* rn, Vector& r, std::optional<int64_t> (*count)(std::string_view)) {
    const std::string_view* s = inputs_[0]->data<std::string_view>();
    int64_t* d = r.data<int64_t>();
    for (size_t i = 0; i < n; ++i) {
      if (rn[i]) continue;
      std::optional<int64_t> c = count(s[i]);
      if (c) d[i] = *c;
      else rn[i] = 1;
    }
  }

  template <typename F>
  void Test(size_t n, const uint8_t* rn, Vector& r, F f) {
    const std::string_view* s = inputs_[0]->data<std::string_view>();
    Bools(n, rn, r, [&](size_t i) { return f(s[i]); });
  }

  // The optional trailing null_if_invalid argument (argument k), for row i.
  bool NullIfInvalid(size_t k, size_t i) const {
    return args_.size() > k && inputs_[k]->type().id == TypeId::kBool && inputs_[k]->data<uint8_t>()[i] != 0;
  }

  void ExtractPathText(size_t n, uint8_t* rn, Vector& r) {
    const std::string_view* s = inputs_[0]->data<std::string_view>();
    size_t paths = args_.size() - 1;
    const bool has_flag = inputs_.back()->type().id == TypeId::kBool;
    if (has_flag) --paths;
    for (size_t i = 0; i < n; ++i) {
      if (rn[i]) continue;
      auto doc = ParseOrNull(s[i], has_flag && NullIfInvalid(args_.size() - 1, i), &scratch_);
      std::optional<std::string_view> at;
      if (doc) at = *doc;
      for (size_t k = 1; k <= paths && at; ++k) at = SuperMember(*at, inputs_[k]->data<std::string_view>()[i]);
      text_.clear();
      if (!at || !AppendExtracted(*at, &text_)) {
        rn[i] = 1;
        continue;
      }
      r.SetString(i, text_);
    }
  }

  // super_navigate(v, step, ...): a text step is an object member, an integer step an element.
  void Navigate(size_t n, uint8_t* rn, Vector& r) {
    const std::string_view* s = inputs_[0]->data<std::string_view>();
    for (size_t i = 0; i < n; ++i) {
      if (rn[i]) continue;
      std::optional<std::string_view> at = s[i];
      for (size_t k = 1; k < args_.size() && at; ++k) {
        const Vector& step = *inputs_[k];
        if (step.physical() == PhysicalType::kString) {
          at = SuperMember(*at, step.data<std::string_view>()[i]);
        } else {
          at = SuperElement(*at, step.data<int64_t>()[i]);
        }
      }
      if (!at) {
        rn[i] = 1;
        continue;
      }
      r.SetString(i, *at);
    }
  }

  void Compare(size_t n, uint8_t* rn, Vector& r) {
    const std::string_view* a = inputs_[0]->data<std::string_view>();
    const std::string_view* b = inputs_[1]->data<std::string_view>();
    uint8_t* d = r.data<uint8_t>();
    for (size_t i = 0; i < n; ++i) {
      if (rn[i]) continue;
      std::optional<int> c = CompareSuper(a[i], b[i]);
      if (fn_ == SuperFn::kEq || fn_ == SuperFn::kNe) {
        // Values of different kinds are not equal (Redshift's dynamic typing); JSON null is
        // unknown.
        if (!c && (KindOfSuper(a[i]) == SuperKind::kNull || KindOfSuper(b[i]) == SuperKind::kNull)) {
          rn[i] = 1;
          continue;
        }
        bool equal = c && *c == 0;
        d[i] = (fn_ == SuperFn::kEq) == equal ? 1 : 0;
        continue;
      }
      if (!c || *c == 2) {  // not comparable, or arrays / objects: no order
        rn[i] = 1;
        continue;
      }
      switch (fn_) {
        case SuperFn::kLt: d[i] = *c < 0; break;
        case SuperFn::kLe: d[i] = *c <= 0; break;
        case SuperFn::kGt: d[i] = *c > 0; break;
        default: d[i] = *c >= 0; break;
      }
    }
  }

  // Numbers only (anything else is NULL, as Redshift's mistyped arguments are): integers stay
  // integers (int64, truncating division) unless they overflow; otherwise doubles. Division by
  // zero is NULL: SUPER errors are NULL.
  void Arithmetic(size_t n, uint8_t* rn, Vector& r) {
    const std::string_view* a = inputs_[0]->data<std::string_view>();
    const std::string_view* b = inputs_[1]->data<std::string_view>();
    char buffer[64];
    for (size_t i = 0; i < n; ++i) {
      if (rn[i]) continue;
      auto ia = SuperNumberAsInt64(a[i]), ib = SuperNumberAsInt64(b[i]);
      if (ia && ib) {
        int64_t v = 0;
        bool overflow = false;
        switch (fn_) {
          case SuperFn::kAdd: overflow = __builtin_add_overflow(*ia, *ib, &v); break;
          case SuperFn::kSub: overflow = __builtin_sub_overflow(*ia, *ib, &v); break;
          case SuperFn::kMul: overflow = __builtin_mul_overflow(*ia, *ib, &v); break;
          default:
            if (*ib == 0) {
              rn[i] = 1;
              continue;
            }
            if (*ib == -1) {
              overflow = fn_ == SuperFn::kDiv && *ia == INT64_MIN;
              v = fn_ == SuperFn::kDiv ? (overflow ? 0 : -*ia) : 0;
            } else {
              v = fn_ == SuperFn::kDiv ? *ia / *ib : *ia % *ib;
            }
        }
        if (!overflow) {
          r.SetString(i, std::to_string(v));
          continue;
        }
      }
      auto da = SuperNumberAsDouble(a[i]), db = SuperNumberAsDouble(b[i]);
      if (!da || !db) {
        rn[i] = 1;
        continue;
      }
      double v;
      switch (fn_) {
        case SuperFn::kAdd: v = *da + *db; break;
        case SuperFn::kSub: v = *da - *db; break;
        case SuperFn::kMul: v = *da * *db; break;
        case SuperFn::kDiv: v = *db == 0 ? NAN : *da / *db; break;
        default: v = *db == 0 ? NAN : std::fmod(*da, *db); break;
      }
      if (!std::isfinite(v)) {
        rn[i] = 1;
        continue;
      }
      auto end = std::to_chars(buffer, buffer + sizeof(buffer), v).ptr;
      r.SetString(i, std::string_view(buffer, static_cast<size_t>(end - buffer)));
    }
  }

  // The SUPER constructors: each row's value built as canonical text in text_.
  void Build(size_t n, uint8_t* rn, Vector& r) {
    for (size_t i = 0; i < n; ++i) {
      if (rn[i]) continue;
      text_.clear();
      if (!BuildRow(i)) {
        rn[i] = 1;
        continue;
      }
      r.SetString(i, text_);
    }
  }

  std::string_view Str(size_t k, size_t i) const { return inputs_[k]->data<std::string_view>()[i]; }

  void AppendElement(std::string_view v, bool* first) {
    if (!*first) text_.push_back(',');
    *first = false;
    text_.append(v);
  }

  void Flatten(std::string_view v, bool* first) {
    if (KindOfSuper(v) != SuperKind::kArray) {
      AppendElement(v, first);
      return;
    }
    ForEachSuperElement(v, [&](std::string_view e) { Flatten(e, first); });
  }

  bool BuildRow(size_t i) {
    bool first = true;
    switch (fn_) {
      case SuperFn::kArray:  // ARRAY(v, ...): NULL values are JSON nulls
        text_.push_back('[');
        for (size_t k = 0; k < args_.size(); ++k) AppendElement(inputs_[k]->IsNull(i) ? "null" : Str(k, i), &first);
        text_.push_back(']');
        return true;
      case SuperFn::kObject: {  // OBJECT(key, value, ...): a NULL key is an error, as a missing name
        text_.push_back('{');
        for (size_t k = 0; k + 1 < args_.size(); k += 2) {
          if (inputs_[k]->IsNull(i)) STRATA_USER_ERROR(sqlstate::kNullValueNotAllowed, "OBJECT keys must not be NULL");
          if (!first) text_.push_back(',');
          first = false;
          AppendSuperString(Str(k, i), &text_);
          text_.push_back(':');
          text_.append(inputs_[k + 1]->IsNull(i) ? std::string_view("null") : Str(k + 1, i));
        }
        text_.push_back('}');
        return true;
      }
      case SuperFn::kSplitToArray: {  // split_to_array(s [, delimiter ',']): an array of strings
        std::string_view s = Str(0, i);
        std::string_view delimiter = args_.size() > 1 ? Str(1, i) : std::string_view(",");
        text_.push_back('[');
        if (delimiter.empty()) {
          if (!s.empty()) AppendSuperString(s, &text_);
        } else {
          for (size_t from = 0;;) {
            size_t at = s.find(delimiter, from);
            if (!first) text_.push_back(',');
            first = false;
            AppendSuperString(s.substr(from, at == std::string_view::npos ? std::string_view::npos : at - from), &text_);
            if (at == std::string_view::npos) break;
            from = at + delimiter.size();
          }
        }
        text_.push_back(']');
        return true;
      }
      case SuperFn::kArrayConcat: {  // NULL unless both are arrays
        if (KindOfSuper(Str(0, i)) != SuperKind::kArray || KindOfSuper(Str(1, i)) != SuperKind::kArray) return false;
        text_.push_back('[');
        for (size_t k = 0; k < 2; ++k) ForEachSuperElement(Str(k, i), [&](std::string_view e) { AppendElement(e, &first); });
        text_.push_back(']');
        return true;
      }
      case SuperFn::kSubarray: {  // subarray(a, start, length): elements [start, start + length)
        if (KindOfSuper(Str(0, i)) != SuperKind::kArray) return false;
        int64_t start = inputs_[1]->data<int64_t>()[i], length = inputs_[2]->data<int64_t>()[i];
        if (start < 0 || length < 0) return false;
        int64_t at = 0;
        text_.push_back('[');
        ForEachSuperElement(Str(0, i), [&](std::string_view e) {
          if (at >= start && at - start < length) AppendElement(e, &first);
          ++at;
        });
        text_.push_back(']');
        return true;
      }
      case SuperFn::kArrayFlatten:  // nested arrays' elements, in order, one level
        if (KindOfSuper(Str(0, i)) != SuperKind::kArray) return false;
        text_.push_back('[');
        Flatten(Str(0, i), &first);
        text_.push_back(']');
        return true;
      default: return false;
    }
  }

  SuperFn fn_;
  NodeList args_;
  std::vector<const Vector*> inputs_;
  std::string scratch_;
  std::string text_;
};

// CAST(x AS SUPER): numbers and booleans as JSON numbers and booleans, strings as JSON strings.
class ToSuperNode final : public ExprNode {
 public:
  explicit ToSuperNode(NodePtr arg) : ExprNode(SqlType{TypeId::kSuper}), arg_(std::move(arg)) {}

  const Vector& Eval(const Batch& input) override {
    const size_t n = input.rows;
    const Vector& a = arg_->Eval(input);
    Vector& r = ResetResult(n);
    const SqlType& from = a.type();
    for (size_t i = 0; i < n; ++i) {
      if (a.IsNull(i)) {
        r.SetNull(i, true);
        continue;
      }
      text_.clear();
      if (from.is_string()) {
        std::string_view v = a.data<std::string_view>()[i];
        AppendSuperString(from.id == TypeId::kChar ? TrimTrailingBlanks(v) : v, &text_);
      } else if (from.id == TypeId::kBool) {
        text_ = a.data<uint8_t>()[i] ? "true" : "false";
      } else {
        AppendValueText(a, i, &text_);
        if (from.is_float() && !std::isfinite(std::strtod(text_.c_str(), nullptr))) {  // NaN, Infinity
          r.SetNull(i, true);
          continue;
        }
      }
      r.SetString(i, text_);
    }
    return r;
  }

 private:
  NodePtr arg_;
  std::string text_;
};

// CAST(super AS t), lax: a value that does not fit t is NULL. A string is read as t's input
// text; a number as the number (to BOOLEAN: an integer is true unless 0); a boolean as
// true / false. Arrays, objects and JSON null fit no SQL type (JSON_SERIALIZE gives their text).
class FromSuperNode final : public ExprNode {
 public:
  FromSuperNode(const SqlType& target, NodePtr arg, bool assignment)
      : ExprNode(target), arg_(std::move(arg)), assignment_(assignment) {}

  const Vector& Eval(const Batch& input) override {
    const size_t n = input.rows;
    const Vector& a = arg_->Eval(input);
    Vector& r = ResetResult(n);
    const std::string_view* s = a.data<std::string_view>();
    for (size_t i = 0; i < n; ++i) {
      if (a.IsNull(i) || !Convert(s[i], &r, i)) r.SetNull(i, true);
    }
    return r;
  }

 private:
  bool Convert(std::string_view v, Vector* r, size_t i) {
    SuperKind kind = KindOfSuper(v);
    if (kind == SuperKind::kNull || kind == SuperKind::kArray || kind == SuperKind::kObject) return false;
    if (type_.id == TypeId::kBool && kind == SuperKind::kNumber) {
      auto integer = SuperNumberAsInt64(v);
      if (!integer) return false;
      r->data<uint8_t>()[i] = *integer != 0;
      return true;
    }
    if (kind == SuperKind::kBool && type_.is_numeric()) return false;
    if (kind == SuperKind::kNumber && !type_.is_numeric() && !type_.is_string()) return false;
    text_ = kind == SuperKind::kString ? SuperStringValue(v) : std::string(v);
    if (type_.is_string() && type_.length >= 0 && !assignment_) {  // an explicit cast cuts to n characters
      text_.resize(Utf8Offset(text_, type_.length));
    }
    try {
      ParseValueText(text_, r, i);
      return true;
    } catch (const SqlError&) {
      return false;  // lax: a SUPER cast that fails is NULL
    }
  }

  NodePtr arg_;
  bool assignment_;
  std::string text_;
};

}  // namespace

NodePtr MakeSuperCastNode(const SqlType& target, NodePtr arg, bool assignment) {
  const SqlType& from = arg->type();
  if (target.id == TypeId::kSuper) {
    if (!from.is_numeric() && !from.is_string() && from.id != TypeId::kBool && from.id != TypeId::kNull) {
      STRATA_USER_ERROR(sqlstate::kCannotCoerce, "cannot cast type ", from.ToString(), " to super");
    }
    return std::make_unique<ToSuperNode>(std::move(arg));
  }
  return std::make_unique<FromSuperNode>(target, std::move(arg), assignment);
}

NodePtr MakeSuperFunctionNode(const std::string& name, const plan::Expr& expr, NodeList& args) {
  for (const FnInfo& f : kFunctions) {
    if (name == f.name) return std::make_unique<SuperFunctionNode>(FromProtoType(expr.type()), f.fn, std::move(args));
  }
  return nullptr;
}

}  // namespace strata
