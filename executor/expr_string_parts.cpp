// String functions that find or cut pieces, as PostgreSQL 15 defines them:
//   replace(s, from, to)     every occurrence of `from`, left to right; an empty `from` returns s
//   split_part(s, delim, n)  the n-th field (1-based; negative counts from the end, 0 is 22023);
//                            an empty delim or one not found makes s the only field
//   strpos(s, sub)           1-based character position of the first occurrence, 0 if none
//   left(s, n), right(s, n)  the first / last n characters; a negative n drops |n| from the
//                            other end
//   concat(args...)          the arguments (cast to text) joined; NULLs are skipped, never NULL
//   format(fmt, args...)     fmt with each %[n$][-][width]type replaced by an argument (cast to
//                            text): %s as is (NULL as ''), %I as quote_ident (NULL is 22004),
//                            %L as quote_literal (NULL as NULL); %% is a %. Without n$ a
//                            specifier takes the argument after the one used last; width (a
//                            number, * for the next argument, or *n$) pads with spaces on the
//                            left, or on the right with - or a negative width. NULL only for a
//                            NULL fmt.
// All but concat and format are strict. Positions count UTF-8 characters; results that are a piece of an
// argument are views into its heap.
#include <algorithm>
#include <charconv>

#include "executor/expr_catalog.h"
#include "executor/utf8_text.h"
#include "sql/error.h"

namespace strata {

namespace {

enum class PartsFn : uint8_t { kReplace, kSplitPart, kStrpos, kLeft, kRight, kConcat, kFormat };

[[noreturn]] void FormatError(const std::string& message, bool with_hint) {
  SqlError e(sqlstate::kInvalidParameterValue, message);
  if (with_hint) e.WithHint("For a single \"%\" use \"%%\".");
  throw e;
}

// Strings whose size the query controls beyond its inputs' (a format() width, a replace() whose
// replacement repeats) are limited to Redshift's VARCHAR(MAX), as LISTAGG is, and refused
// before they are built: a width of 999999999 must not allocate a gigabyte per row.
constexpr size_t kMaxBuiltStringBytes = 65535;

// 54000, PostgreSQL's code and message for repeat() / lpad() past its 1 GB limit.
[[noreturn]] void BuiltStringTooLarge(const char* function) {
  throw SqlError(sqlstate::kProgramLimitExceeded, "requested length too large")
      .WithDetail(StrCat(function, "() results are limited to ", kMaxBuiltStringBytes, " bytes."));
}

// Reads decimal digits at f[*p...]; false (and *p unchanged) when there are none.
bool ReadNumber(std::string_view f, size_t* p, int64_t* value) {
  size_t q = *p;
  int64_t v = 0;
  while (q < f.size() && f[q] >= '0' && f[q] <= '9') {
    v = std::min<int64_t>(v * 10 + (f[q] - '0'), INT32_MAX);
    ++q;
  }
  if (q == *p) return false;
  *p = q;
  *value = v;
  return true;
}

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
    if (fn_ == PartsFn::kFormat) OrNulls(inputs_, 1, n, rn);
    else if (fn_ != PartsFn::kConcat) OrNulls(inputs_, inputs_.size(), n, rn);
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
            if (scratch_.size() + (hit - at) + to[i].size() > kMaxBuiltStringBytes && to[i].size() > from[i].size()) {
              BuiltStringTooLarge("replace");
            }
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
      case PartsFn::kFormat:
        for (size_t i = 0; i < n; ++i) {
          if (rn[i]) continue;
          FormatRow(i, s[i]);
          r.SetString(i, scratch_);
        }
        break;
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
  // An argument position written as n$ (1-based over the arguments after fmt), or 0.
  size_t ArgPosition(std::string_view f, size_t* p) {
    size_t q = *p;
    int64_t v = 0;
    if (!ReadNumber(f, &q, &v) || q >= f.size() || f[q] != '$') return 0;
    if (v == 0) FormatError("format specifies argument 0, but arguments are numbered from 1", false);
    *p = q + 1;
    return static_cast<size_t>(v);
  }

  // Writes format(f, args) for row i into scratch_.
  void FormatRow(size_t i, std::string_view f) {
    scratch_.clear();
    size_t next = 1;  // the argument (index into inputs_) a specifier without n$ takes
    auto take = [&](size_t at) -> const Vector& {
      if (at >= inputs_.size()) FormatError("too few arguments for format()", false);
      next = at + 1;
      return *inputs_[at];
    };
    for (size_t p = 0; p < f.size(); ++p) {
      if (f[p] != '%') {
        scratch_.push_back(f[p]);
        continue;
      }
      if (++p >= f.size()) FormatError("unterminated format() type specifier", true);
      if (f[p] == '%') {
        scratch_.push_back('%');
        continue;
      }
      size_t arg = ArgPosition(f, &p);
      bool left = false;
      while (p < f.size() && f[p] == '-') {
        left = true;
        ++p;
      }
      int64_t width = 0;
      if (p < f.size() && f[p] == '*') {
        ++p;
        size_t at = ArgPosition(f, &p);
        const Vector& w = take(at != 0 ? at : next);
        if (!w.IsNull(i)) {
          std::string_view text = w.data<std::string_view>()[i];
          std::from_chars(text.data(), text.data() + text.size(), width);
          width = std::clamp<int64_t>(width, -INT32_MAX, INT32_MAX);  // PostgreSQL's widths are int
        }
        if (width < 0) {
          left = true;
          width = -width;
        }
      } else {
        ReadNumber(f, &p, &width);
      }
      if (p >= f.size()) FormatError("unterminated format() type specifier", true);
      char type = f[p];
      if (type != 's' && type != 'I' && type != 'L') {
        FormatError(std::string("unrecognized format() type specifier \"") + type + "\"", true);
      }
      const Vector& v = take(arg != 0 ? arg : next);
      bool null = v.IsNull(i);
      std::string_view value = null ? std::string_view() : v.data<std::string_view>()[i];
      piece_.clear();
      if (type == 's') {
        piece_.append(value);
      } else if (type == 'I') {
        if (null) STRATA_USER_ERROR(sqlstate::kNullValueNotAllowed, "null values cannot be formatted as an SQL identifier");
        AppendQuotedIdent(value, &piece_);
      } else if (null) {
        piece_.append("NULL");
      } else {
        AppendQuotedLiteral(value, &piece_);
      }
      int64_t pad = width - static_cast<int64_t>(Utf8Chars(piece_));
      if (scratch_.size() + piece_.size() + static_cast<size_t>(std::max<int64_t>(pad, 0)) > kMaxBuiltStringBytes) {
        BuiltStringTooLarge("format");
      }
      if (pad > 0 && !left) scratch_.append(static_cast<size_t>(pad), ' ');
      scratch_.append(piece_);
      if (pad > 0 && left) scratch_.append(static_cast<size_t>(pad), ' ');
    }
  }

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
  std::string piece_;  // format(): one formatted argument before padding
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
  else if (name == "format") fn = PartsFn::kFormat;
  else return nullptr;
  bool variadic = fn == PartsFn::kConcat || fn == PartsFn::kFormat;
  if (variadic ? args.empty() : args.size() != arity) {
    STRATA_INTERNAL_ERROR(name, " with ", args.size(), " args");
  }
  bool int_last = fn == PartsFn::kSplitPart || fn == PartsFn::kLeft || fn == PartsFn::kRight;
  for (size_t k = 0; k < args.size(); ++k) {
    CastArg(args, k, int_last && k + 1 == args.size() ? SqlType::Int32() : SqlType::Text());
  }
  return std::make_unique<StringPartsNode>(FromProtoType(expr.type()), fn, std::move(args));
}

}  // namespace strata
