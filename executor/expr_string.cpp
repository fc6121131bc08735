// String operators and functions: || (CONCAT), lower, upper, length / char_length (UTF-8
// characters), octet_length, substring / substr (PostgreSQL's 1-based window: a start before 1
// shortens the result, a negative count is 22011), trim / btrim / ltrim / rtrim of spaces.
// All are strict: NULL in, NULL out. Results that are a piece of an argument (substring, trim)
// are views into the argument's heap, shared, so they copy no bytes.
#include <cstring>

#include "executor/expr_like.h"
#include "executor/expr_node.h"
#include "executor/utf8_text.h"
#include "sql/error.h"

namespace strata {

namespace {

enum class StringFn : uint8_t { kConcat, kLower, kUpper, kCharLength, kOctetLength, kSubstring, kBtrim, kLtrim, kRtrim };

class StringFunctionNode final : public ExprNode {
 public:
  StringFunctionNode(SqlType type, StringFn fn, NodeList args) : ExprNode(type), fn_(fn), args_(std::move(args)) {
    inputs_.resize(args_.size());
    const SqlType& t0 = args_[0]->type();
    char_length_ = t0.id == TypeId::kChar ? t0.length : -1;
  }

  const Vector& Eval(const Batch& input) override {
    size_t n = input.rows;
    Vector& r = ResetResult(n);
    uint8_t* rn = r.nulls();
    for (size_t k = 0; k < args_.size(); ++k) {
      inputs_[k] = &args_[k]->Eval(input);
      const uint8_t* an = inputs_[k]->nulls();
      for (size_t i = 0; i < n; ++i) rn[i] |= an[i];
    }
    const std::string_view* s = inputs_[0]->data<std::string_view>();
    switch (fn_) {
      case StringFn::kConcat:
        for (size_t i = 0; i < n; ++i) {
          if (rn[i]) continue;
          scratch_.clear();
          for (const Vector* v : inputs_) scratch_.append(v->data<std::string_view>()[i]);
          r.SetString(i, scratch_);
        }
        break;
      case StringFn::kLower:
      case StringFn::kUpper:
        for (size_t i = 0; i < n; ++i) {
          if (rn[i]) continue;
          scratch_.clear();
          if (fn_ == StringFn::kLower) AppendLower(s[i], &scratch_);
          else AppendUpper(s[i], &scratch_);
          r.SetString(i, scratch_);
        }
        break;
      case StringFn::kCharLength: {
        int32_t* d = r.data<int32_t>();
        for (size_t i = 0; i < n; ++i) d[i] = rn[i] ? 0 : int32_t(Utf8Chars(s[i]));
        break;
      }
      case StringFn::kOctetLength: {
        int32_t* d = r.data<int32_t>();
        for (size_t i = 0; i < n; ++i) {
          if (rn[i]) { d[i] = 0; continue; }
          size_t bytes = s[i].size();
          if (char_length_ > 0) {  // CHAR(n) counts its (virtual) padding
            size_t chars = Utf8Chars(s[i]);
            if (chars < size_t(char_length_)) bytes += size_t(char_length_) - chars;
          }
          d[i] = int32_t(bytes);
        }
        break;
      }
      case StringFn::kSubstring: Substring(n, s, &r); break;
      case StringFn::kBtrim:
      case StringFn::kLtrim:
      case StringFn::kRtrim: {
        r.ShareHeaps(*inputs_[0]);
        std::string_view* d = r.data<std::string_view>();
        for (size_t i = 0; i < n; ++i) {
          if (rn[i]) continue;
          std::string_view v = s[i];
          if (fn_ != StringFn::kRtrim) v.remove_prefix(std::min(v.find_first_not_of(' '), v.size()));
          if (fn_ != StringFn::kLtrim) {
            while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
          }
          d[i] = v;
        }
        break;
      }
    }
    return r;
  }

 private:
  void Substring(size_t n, const std::string_view* s, Vector* r) {
    r->ShareHeaps(*inputs_[0]);
    std::string_view* d = r->data<std::string_view>();
    const uint8_t* rn = r->nulls();
    const int32_t* from = inputs_[1]->data<int32_t>();
    const int32_t* count = inputs_.size() > 2 ? inputs_[2]->data<int32_t>() : nullptr;
    for (size_t i = 0; i < n; ++i) {
      if (rn[i]) continue;
      int64_t start = from[i];  // 1-based, may be < 1
      int64_t end = INT64_MAX;  // exclusive, 1-based
      if (count != nullptr) {
        if (count[i] < 0) STRATA_USER_ERROR(sqlstate::kSubstringError, "negative substring length not allowed");
        end = start + count[i];
      }
      if (start < 1) start = 1;
      if (end <= start) {
        d[i] = std::string_view();
        continue;
      }
      size_t b = Utf8Offset(s[i], start - 1);
      std::string_view rest = s[i].substr(b);
      d[i] = end == INT64_MAX ? rest : rest.substr(0, Utf8Offset(rest, end - start));
    }
  }

  StringFn fn_;
  NodeList args_;
  std::vector<const Vector*> inputs_;
  int char_length_ = -1;
  std::string scratch_;
};

NodePtr MakeStringNode(const SqlType& type, StringFn fn, NodeList args, bool keep_char) {
  for (size_t k = 0; k < args.size(); ++k) {
    const SqlType& t = args[k]->type();
    bool string_arg = fn != StringFn::kSubstring || k == 0;
    if (string_arg && !t.is_string()) args[k] = MakeCastNode(SqlType::Text(), std::move(args[k]));
    else if (string_arg && t.id == TypeId::kChar && !keep_char) args[k] = MakeCastNode(SqlType::Text(), std::move(args[k]));
    else if (!string_arg && t.id != TypeId::kInt32) args[k] = MakeCastNode(SqlType::Int32(), std::move(args[k]));
  }
  return std::make_unique<StringFunctionNode>(type, fn, std::move(args));
}

}  // namespace

NodePtr MakeConcatNode(const plan::Expr& expr, NodeList args) {
  if (args.empty()) STRATA_INTERNAL_ERROR("CONCAT without operands");
  return MakeStringNode(FromProtoType(expr.type()), StringFn::kConcat, std::move(args), false);
}

NodePtr MakeStringFunctionNode(const std::string& name, const plan::Expr& expr, NodeList& args) {
  SqlType type = FromProtoType(expr.type());
  StringFn fn;
  size_t min_args = 1, max_args = 1;
  bool keep_char = false;
  if (name == "lower") fn = StringFn::kLower;
  else if (name == "upper") fn = StringFn::kUpper;
  else if (name == "length" || name == "char_length" || name == "character_length" || name == "len") {
    fn = StringFn::kCharLength;
    keep_char = true;
  } else if (name == "octet_length") {
    fn = StringFn::kOctetLength;
    keep_char = true;
  } else if (name == "substring" || name == "substr") {
    fn = StringFn::kSubstring;
    min_args = 2;
    max_args = 3;
  } else if (name == "trim" || name == "btrim") fn = StringFn::kBtrim;
  else if (name == "ltrim") fn = StringFn::kLtrim;
  else if (name == "rtrim") fn = StringFn::kRtrim;
  else return nullptr;
  if (args.size() < min_args || args.size() > max_args) {
    STRATA_INTERNAL_ERROR(name, " with ", args.size(), " args");
  }
  return MakeStringNode(type, fn, std::move(args), keep_char);
}

}  // namespace strata
