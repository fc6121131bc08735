// String functions that find or cut pieces, as PostgreSQL 15 defines them:
//   replace(s, from, to)     every occurrence of `from`, left to right; an empty `from` returns s
//   split_part(s, delim, n)  the n-th field (1-based; negative counts from the end, 0 is 22023);
//                            an empty delim or one not found makes s the only field
//   strpos(s, sub)           1-based character position of the first occurrence, 0 if none
//   left(s, n), right(s, n)  the first / last n characters; a negative n drops |n| from the
//                            other end
//   concat(args...)          the arguments (cast to text) joined; NULLs are skipped, never NULL
// All but concat are strict. Positions count UTF-8 characters; results that are a piece of an
// argument are views into its heap.
#include <algorithm>

#include "executor/expr_catalog.h"
#include "executor/utf8_text.h"
#include "sql/error.h"

namespace strata {

namespace {

enum class PartsFn : uint8_t { kReplace, kSplitPart, kStrpos, kLeft, kRight, kConcat };

class StringPartsNode final : public ExprNode {
 public:
  StringPartsNode(SqlType type, PartsFn fn, NodeList args) : ExprNode(type), fn_(fn), args_(std::move(args)) {
    inputs_.resize(args_.size());
  }

  const Vector& Eval(const Batch& input) override {
    size_t n = input.rows;
    Vector& r = ResetResult(n);
    for (size_t k = 0; k < args_.size(); ++k) inputs_[k] = &args_[k]->Eval(input);
    uint8_t* rn = r.nulls();
    if (fn_ != PartsFn::kConcat) OrNulls(inputs_, inputs_.size(), n, rn);
    const std::string_view* s = inputs_.empty() ? nullptr : inputs_[0]->data<std::string_view>();
    switch (fn_) {
      case PartsFn::kReplace: {
        const std::string_view* from = inputs_[1]->data<std::string_view>();
        const std::string_view* to = inputs_[2]->data<std::string_view>();
        for (size_t i = 0; i < n; ++i) {
          if (rn[i]) continue;
          if (from[i].empty()) { r.SetString(i, s[i]); continue; }
          scratch_.clear();
          size_t at = 0;
          for (size_t hit; (hit = s[i].find(from[i], at)) != std::string_view::npos; at = hit + from[i].size()) {
            scratch_.append(s[i].substr(at, hit - at)).append(to[i]);
          }
          scratch_.append(s[i].substr(at));
          r.SetString(i, scratch_);
        }
        break;
      }
      case PartsFn::kSplitPart: SplitPart(n, s, &r); break;
      case PartsFn::kStrpos: {
        const std::string_view* sub = inputs_[1]->data<std::string_view>();
        int32_t* d = r.data<int32_t>();
        for (size_t i = 0; i < n; ++i) {
          if (rn[i]) { d[i] = 0; continue; }
          size_t hit = s[i].find(sub[i]);
          d[i] = hit == std::string_view::npos ? 0 : int32_t(Utf8Chars(s[i].substr(0, hit)) + 1);
        }
        break;
      }
      case PartsFn::kLeft:
      case PartsFn::kRight: {
        r.ShareHeaps(*inputs_[0]);
        std::string_view* d = r.data<std::string_view>();
        const int32_t* count = inputs_[1]->data<int32_t>();
        for (size_t i = 0; i < n; ++i) {
          if (rn[i]) continue;
          int64_t chars = int64_t(Utf8Chars(s[i]));
          int64_t k = count[i] < 0 ? std::max<int64_t>(chars + count[i], 0) : std::min<int64_t>(count[i], chars);
          d[i] = fn_ == PartsFn::kLeft ? s[i].substr(0, Utf8Offset(s[i], k)) : s[i].substr(Utf8Offset(s[i], chars - k));
        }
        break;
      }
      case PartsFn::kConcat:
        for (size_t i = 0; i < n; ++i) {
          scratch_.clear();
          for (const Vector* v : inputs_) {
            if (!v->IsNull(i)) scratch_.append(v->data<std::string_view>()[i]);
          }
          r.SetString(i, scratch_);
        }
        break;
    }
    return r;
  }

 private:
  void SplitPart(size_t n, const std::string_view* s, Vector* r) {
    r->ShareHeaps(*inputs_[0]);
    std::string_view* d = r->data<std::string_view>();
    const uint8_t* rn = r->nulls();
    const std::string_view* delim = inputs_[1]->data<std::string_view>();
    const int32_t* field = inputs_[2]->data<int32_t>();
    for (size_t i = 0; i < n; ++i) {
      if (rn[i]) continue;
      if (field[i] == 0) STRATA_USER_ERROR(sqlstate::kInvalidParameterValue, "field position must not be zero");
      std::string_view text = s[i], sep = delim[i];
      d[i] = std::string_view();
      if (sep.empty() || text.find(sep) == std::string_view::npos) {
        if (field[i] == 1 || field[i] == -1) d[i] = text;
        continue;
      }
      if (field[i] > 0) {
        size_t start = 0;
        for (int32_t k = 1; k < field[i]; ++k) {
          size_t hit = text.find(sep, start);
          if (hit == std::string_view::npos) { start = std::string_view::npos; break; }
          start = hit + sep.size();
        }
        if (start == std::string_view::npos) continue;
        size_t end = text.find(sep, start);
        d[i] = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
      } else {
        size_t end = text.size();  // exclusive end of the field being looked at
        for (int32_t k = -1; k > field[i]; --k) {
          size_t hit = end < sep.size() ? std::string_view::npos : text.rfind(sep, end - sep.size());
          if (hit == std::string_view::npos) { end = std::string_view::npos; break; }
          end = hit;
        }
        if (end == std::string_view::npos) continue;
        size_t hit = end < sep.size() ? std::string_view::npos : text.rfind(sep, end - sep.size());
        size_t start = hit == std::string_view::npos ? 0 : hit + sep.size();
        d[i] = text.substr(start, end - start);
      }
    }
  }

  PartsFn fn_;
  NodeList args_;
  std::vector<const Vector*> inputs_;
  std::string scratch_;
};

}  // namespace

NodePtr MakeStringPartsFunctionNode(const std::string& name, const plan::Expr& expr, NodeList& args) {
  PartsFn fn;
  size_t arity = 2;
  if (name == "replace") { fn = PartsFn::kReplace; arity = 3; }
  else if (name == "split_part") { fn = PartsFn::kSplitPart; arity = 3; }
  else if (name == "strpos") fn = PartsFn::kStrpos;
  else if (name == "left") fn = PartsFn::kLeft;
  else if (name == "right") fn = PartsFn::kRight;
  else if (name == "concat") fn = PartsFn::kConcat;
  else return nullptr;
  if (fn == PartsFn::kConcat ? args.empty() : args.size() != arity) {
    STRATA_INTERNAL_ERROR(name, " with ", args.size(), " args");
  }
  bool int_last = fn == PartsFn::kSplitPart || fn == PartsFn::kLeft || fn == PartsFn::kRight;
  for (size_t k = 0; k < args.size(); ++k) {
    CastArg(args, k, int_last && k + 1 == args.size() ? SqlType::Int32() : SqlType::Text());
  }
  return std::make_unique<StringPartsNode>(TypeFromProto(expr.type()), fn, std::move(args));
}

}  // namespace strata
