// Functions over arrays carried as TEXT literals (format: sql/pg_array_literal.h):
//   pg_any_eq(elem, array) -> bool      `elem = ANY(array)` compared as text; PostgreSQL's NULL
//                                       rules: an empty array is false even for a NULL elem, no
//                                       match with a NULL element is NULL, a NULL array is NULL
//   array_to_string(array, sep [, null_string]) -> text   NULL elements skipped unless
//                                       null_string is given and not NULL
//   pg_array_element(array, i) -> text  1-based; out of range or a NULL element -> NULL; a
//                                       value that is not an array's text is a `name`, whose
//                                       subscript (0-based) picks one character
//   pg_array_text(VARIADIC text) -> text   builds a literal; NULL arguments are NULL elements
//   array_upper(array, dim) -> int      element count for dim 1; NULL for an empty array or
//                                       another dim
//   cardinality(array) -> int           element count
// An int2vector / oidvector argument (by its type, sql/array_types.h) is read as its
// space-separated values, subscripted from 0 (pg_array_element, array_upper, array_position).
//   array_position(array, elem) -> int  1-based place of elem (as text), NULL when absent
//                                       (0-based in an int2vector's "1 3" text)
//   pg_array_quote(text) -> text        one element as a literal writes it; NULL -> NULL (word)
//   array_remove(array, elem) -> text   the array without the elements equal to elem (as text;
//                                       a NULL elem removes the NULL elements); NULL array -> NULL
#include "executor/expr_catalog.h"
#include "sql/array_types.h"
#include "sql/pg_array_literal.h"
#include "sql/error.h"

namespace strata {

namespace {

enum class ArrayFn : uint8_t { kAnyEq, kToString, kElement, kBuild, kUpper, kCardinality, kQuote, kRemove, kPosition };

class ArrayFunctionNode final : public ExprNode {
 public:
  // `vector`: the array argument is an int2vector / oidvector (space-separated, from 0).
  ArrayFunctionNode(SqlType type, ArrayFn fn, NodeList args, bool vector)
      : ExprNode(type), fn_(fn), args_(std::move(args)), vector_(vector) {
    inputs_.resize(args_.size());
  }

  const Vector& Eval(const Batch& input) override {
    size_t n = input.rows;
    Vector& r = ResetResult(n);
    for (size_t k = 0; k < args_.size(); ++k) inputs_[k] = &args_[k]->Eval(input);
    switch (fn_) {
      case ArrayFn::kAnyEq: AnyEq(n, &r); break;
      case ArrayFn::kToString: ToString(n, &r); break;
      case ArrayFn::kElement: Element(n, &r); break;
      case ArrayFn::kBuild: Build(n, &r); break;
      case ArrayFn::kUpper:
      case ArrayFn::kCardinality: Count(n, &r); break;
      case ArrayFn::kQuote: Quote(n, &r); break;
      case ArrayFn::kRemove: Remove(n, &r); break;
      case ArrayFn::kPosition: Position(n, &r); break;
    }
    return r;
  }

 private:
  const std::string_view* Str(size_t k) const { return inputs_[k]->data<std::string_view>(); }
  void Start(std::string_view array) {
    if (vector_) reader_.ResetVector(array);
    else reader_.Reset(array);
  }

  void AnyEq(size_t n, Vector* r) {
    uint8_t* rn = r->nulls();
    uint8_t* d = r->data<uint8_t>();
    const uint8_t* en = inputs_[0]->nulls();
    const uint8_t* an = inputs_[1]->nulls();
    const std::string_view* elem = Str(0);
    const std::string_view* arr = Str(1);
    for (size_t i = 0; i < n; ++i) {
      d[i] = 0;
      if (an[i]) { rn[i] = 1; continue; }
      Start(arr[i]);
      std::string_view v;
      bool is_null, found = false, saw_null = false, any = false;
      while (reader_.Next(&v, &is_null)) {
        any = true;
        if (en[i] || is_null) saw_null = true;
        else if (v == elem[i]) { found = true; break; }
      }
      d[i] = found;
      rn[i] = any && !found && saw_null;
    }
  }

  void ToString(size_t n, Vector* r) {
    uint8_t* rn = r->nulls();
    const uint8_t* an = inputs_[0]->nulls();
    const uint8_t* sn = inputs_[1]->nulls();
    const uint8_t* nn = inputs_.size() > 2 ? inputs_[2]->nulls() : nullptr;
    const std::string_view* arr = Str(0);
    const std::string_view* sep = Str(1);
    const std::string_view* null_text = inputs_.size() > 2 ? Str(2) : nullptr;
    for (size_t i = 0; i < n; ++i) {
      rn[i] = an[i] | sn[i];
      if (rn[i]) continue;
      bool use_null_text = nn != nullptr && !nn[i];
      scratch_.clear();
      Start(arr[i]);
      std::string_view v;
      bool is_null, first = true;
      while (reader_.Next(&v, &is_null)) {
        if (is_null && !use_null_text) continue;
        if (!first) scratch_.append(sep[i]);
        first = false;
        scratch_.append(is_null ? null_text[i] : v);
      }
      r->SetString(i, scratch_);
    }
  }

  void Element(size_t n, Vector* r) {
    uint8_t* rn = r->nulls();
    OrNulls(inputs_, 2, n, rn);
    const std::string_view* arr = Str(0);
    const int32_t* index = inputs_[1]->data<int32_t>();
    for (size_t i = 0; i < n; ++i) {
      if (rn[i]) continue;
      rn[i] = 1;
      if (vector_) {
        // int2vector / oidvector subscripts count from 0.
        Start(arr[i]);
        std::string_view v;
        bool is_null;
        for (int32_t k = 0; reader_.Next(&v, &is_null); ++k) {
          if (k != index[i]) continue;
          rn[i] = 0;
          r->SetString(i, v);
          break;
        }
        continue;
      }
      if (arr[i].empty() || arr[i].front() != '{') {
        // Not an array's text: a `name` subscripted as PostgreSQL's fixed char array (typname[0]
        // is the first character; 0-based, as name's subscripts are).
        if (index[i] >= 0 && static_cast<size_t>(index[i]) < arr[i].size()) {
          rn[i] = 0;
          r->SetString(i, arr[i].substr(static_cast<size_t>(index[i]), 1));
        }
        continue;
      }
      Start(arr[i]);
      std::string_view v;
      bool is_null;
      for (int32_t k = 1; reader_.Next(&v, &is_null); ++k) {
        if (k != index[i]) continue;
        if (!is_null) {
          rn[i] = 0;
          r->SetString(i, v);
        }
        break;
      }
    }
  }

  // array_position(array, elem): the place of the first element equal to elem (as text), NULL
  // when none is or elem is NULL. An int2vector / oidvector (pg_index.indkey, "1 3") is read
  // as the array of its space-separated values, subscripted from 0 as PostgreSQL's are.
  void Position(size_t n, Vector* r) {
    uint8_t* rn = r->nulls();
    int32_t* d = r->data<int32_t>();
    OrNulls(inputs_, 2, n, rn);
    const std::string_view* arr = Str(0);
    const std::string_view* elem = Str(1);
    for (size_t i = 0; i < n; ++i) {
      if (rn[i]) continue;
      rn[i] = 1;
      std::string_view a = arr[i];
      if (vector_ || a.empty() || a.front() != '{') {
        int32_t k = -1;
        for (size_t at = 0; at < a.size();) {
          size_t end = a.find(' ', at);
          if (end == std::string_view::npos) end = a.size();
          if (end > at) {
            ++k;
            if (a.substr(at, end - at) == elem[i]) { rn[i] = 0; d[i] = k; break; }
          }
          at = end + 1;
        }
        continue;
      }
      reader_.Reset(a);
      std::string_view v;
      bool is_null;
      for (int32_t k = 1; reader_.Next(&v, &is_null); ++k) {
        if (!is_null && v == elem[i]) { rn[i] = 0; d[i] = k; break; }
      }
    }
  }

  void Build(size_t n, Vector* r) {
    for (size_t i = 0; i < n; ++i) {
      scratch_.assign("{");
      for (size_t k = 0; k < inputs_.size(); ++k) {
        if (k > 0) scratch_.push_back(',');
        if (inputs_[k]->IsNull(i)) scratch_.append("NULL");
        else AppendArrayElement(Str(k)[i], &scratch_);
      }
      scratch_.push_back('}');
      r->SetString(i, scratch_);
    }
  }

  void Count(size_t n, Vector* r) {
    uint8_t* rn = r->nulls();
    OrNulls(inputs_, inputs_.size(), n, rn);
    int32_t* d = r->data<int32_t>();
    const std::string_view* arr = Str(0);
    const int32_t* dim = fn_ == ArrayFn::kUpper ? inputs_[1]->data<int32_t>() : nullptr;
    for (size_t i = 0; i < n; ++i) {
      d[i] = 0;
      if (rn[i]) continue;
      Start(arr[i]);
      d[i] = int32_t(reader_.CountRemaining());
      if (dim != nullptr && (dim[i] != 1 || d[i] == 0)) rn[i] = 1;
      if (dim != nullptr && vector_) --d[i];  // a vector's subscripts start at 0
    }
  }

  void Quote(size_t n, Vector* r) {
    const std::string_view* s = Str(0);
    for (size_t i = 0; i < n; ++i) {
      scratch_.clear();
      if (inputs_[0]->IsNull(i)) scratch_.assign("NULL");
      else AppendArrayElement(s[i], &scratch_);
      r->SetString(i, scratch_);
    }
  }

  void Remove(size_t n, Vector* r) {
    uint8_t* rn = r->nulls();
    const uint8_t* an = inputs_[0]->nulls();
    const uint8_t* en = inputs_[1]->nulls();
    const std::string_view* arr = Str(0);
    const std::string_view* elem = Str(1);
    for (size_t i = 0; i < n; ++i) {
      rn[i] = an[i];
      if (rn[i]) continue;
      scratch_.assign("{");
      Start(arr[i]);
      std::string_view v;
      bool is_null, first = true;
      while (reader_.Next(&v, &is_null)) {
        if (en[i] ? is_null : (!is_null && v == elem[i])) continue;
        if (!first) scratch_.push_back(',');
        first = false;
        if (is_null) scratch_.append("NULL");
        else AppendArrayElement(v, &scratch_);
      }
      scratch_.push_back('}');
      r->SetString(i, scratch_);
    }
  }

  ArrayFn fn_;
  NodeList args_;
  bool vector_;
  std::vector<const Vector*> inputs_;
  ArrayLiteralReader reader_;
  std::string scratch_;
};

}  // namespace

NodePtr MakeArrayFunctionNode(const std::string& name, const plan::Expr& expr, NodeList& args) {
  ArrayFn fn;
  size_t min_args = 1, max_args = 1;
  if (name == "pg_any_eq") {
    fn = ArrayFn::kAnyEq;
    min_args = max_args = 2;
  } else if (name == "array_to_string") {
    fn = ArrayFn::kToString;
    min_args = 2;
    max_args = 3;
  } else if (name == "pg_array_element") {
    fn = ArrayFn::kElement;
    min_args = max_args = 2;
  } else if (name == "pg_array_text") {
    fn = ArrayFn::kBuild;
    min_args = 0;
    max_args = SIZE_MAX;
  } else if (name == "array_upper") {
    fn = ArrayFn::kUpper;
    min_args = max_args = 2;
  } else if (name == "cardinality") {
    fn = ArrayFn::kCardinality;
  } else if (name == "pg_array_quote") {
    fn = ArrayFn::kQuote;
  } else if (name == "array_position") {
    fn = ArrayFn::kPosition;
    min_args = max_args = 2;
  } else if (name == "array_remove") {
    fn = ArrayFn::kRemove;
    min_args = max_args = 2;
  } else {
    return nullptr;
  }
  if (args.size() < min_args || args.size() > max_args) STRATA_INTERNAL_ERROR(name, " with ", args.size(), " args");
  bool int_second = fn == ArrayFn::kElement || fn == ArrayFn::kUpper;
  size_t array_arg = fn == ArrayFn::kAnyEq ? 1 : 0;
  const ArrayTypeInfo* array = fn != ArrayFn::kBuild && fn != ArrayFn::kQuote && array_arg < args.size()
                                   ? FindArrayType(args[array_arg]->type().array_oid())
                                   : nullptr;
  for (size_t k = 0; k < args.size(); ++k) CastArg(args, k, k == 1 && int_second ? SqlType::Int32() : SqlType::Text());
  return std::make_unique<ArrayFunctionNode>(FromProtoType(expr.type()), fn, std::move(args), array != nullptr && array->vector);
}

}  // namespace strata
