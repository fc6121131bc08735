// POSIX regular expressions on the C library's extended syntax (regcomp with REG_EXTENDED, plus
// REG_ICASE for ~* and the 'i' parameter): the match operators textregexeq (`a ~ b`, also what
// SIMILAR TO becomes) and texticregexeq (`a ~* b`), Redshift's REGEXP_REPLACE / REGEXP_SUBSTR /
// REGEXP_COUNT / REGEXP_INSTR, and similar_to_escape (a SIMILAR TO pattern as a regex).
// PostgreSQL's own engine accepts a superset (ARE: \d, \m, lookahead...); the patterns catalog
// queries send (^(name)$, anchors, classes, alternation) mean the same in both.
//
// The pattern is nearly always a constant, so each node keeps the compiled regex
// (CompiledRegex) and compiles again only when a row's pattern text or flags differ. Subjects
// are matched in place with REG_STARTEND (no copy, no terminating NUL needed).
#include <regex.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "executor/expr_catalog.h"
#include "sql/error.h"

namespace strata {

namespace {

// A compiled pattern, recompiled only when the pattern text or the flags change.
class CompiledRegex {
 public:
  ~CompiledRegex() {
    if (compiled_) regfree(&regex_);
  }
  const regex_t& Get(std::string_view pattern, int flags) {
    if (compiled_ && pattern == pattern_ && flags == flags_) return regex_;
    if (compiled_) regfree(&regex_);
    compiled_ = false;
    pattern_.assign(pattern);
    flags_ = flags;
    int rc = regcomp(&regex_, pattern_.c_str(), flags);
    if (rc != 0) {
      char message[256];
      regerror(rc, &regex_, message, sizeof(message));
      pattern_.clear();
      STRATA_USER_ERROR(sqlstate::kInvalidRegularExpression, "invalid regular expression: ", message);
    }
    compiled_ = true;
    return regex_;
  }

 private:
  regex_t regex_{};
  bool compiled_ = false;
  std::string pattern_;
  int flags_ = 0;
};

class RegexMatchNode final : public ExprNode {
 public:
  RegexMatchNode(SqlType type, NodeList args, bool ignore_case)
      : ExprNode(type), args_(std::move(args)), flags_(REG_EXTENDED | REG_NOSUB | (ignore_case ? REG_ICASE : 0)) {}

  const Vector& Eval(const Batch& input) override {
    size_t n = input.rows;
    Vector& r = ResetResult(n);
    const Vector& subject = args_[0]->Eval(input);
    const Vector& pattern = args_[1]->Eval(input);
    uint8_t* rn = r.nulls();
    uint8_t* d = r.data<uint8_t>();
    const uint8_t* sn = subject.nulls();
    const uint8_t* pn = pattern.nulls();
    const std::string_view* s = subject.data<std::string_view>();
    const std::string_view* p = pattern.data<std::string_view>();
    for (size_t i = 0; i < n; ++i) {
      rn[i] = sn[i] | pn[i];
      if (rn[i]) {
        d[i] = 0;
        continue;
      }
      const regex_t& re = regex_.Get(p[i], flags_);
      regmatch_t span[1];
      span[0].rm_so = 0;
      span[0].rm_eo = regoff_t(s[i].size());
      // A non-null pointer for an empty subject; REG_STARTEND bounds the read.
      const char* text = s[i].empty() ? "" : s[i].data();
      d[i] = regexec(&re, text, 1, span, REG_STARTEND) == 0;
    }
    return r;
  }

 private:
  NodeList args_;
  int flags_;
  CompiledRegex regex_;
};

// Byte offset of the (1-based) character `position` in UTF-8 `s`; s.size() past its end.
size_t ByteOfChar(std::string_view s, int64_t position) {
  size_t b = 0;
  for (int64_t c = 1; c < position && b < s.size(); ++c) {
    ++b;
    while (b < s.size() && (static_cast<unsigned char>(s[b]) & 0xC0) == 0x80) ++b;
  }
  return b;
}

// Characters in the first `bytes` bytes of UTF-8 `s`.
int64_t CharsIn(std::string_view s, size_t bytes) {
  int64_t n = 0;
  for (size_t b = 0; b < bytes && b < s.size(); ++b) n += (static_cast<unsigned char>(s[b]) & 0xC0) != 0x80;
  return n;
}

// Bytes of the UTF-8 character that starts at s[b] (1 past the end).
size_t CharBytes(std::string_view s, size_t b) {
  size_t e = b + 1;
  while (e < s.size() && (static_cast<unsigned char>(s[e]) & 0xC0) == 0x80) ++e;
  return e - b;
}

enum class RegexFn { kReplace, kSubstr, kCount, kInstr };

// REGEXP_REPLACE (source, pattern [, replacement [, position | flags]]), REGEXP_SUBSTR (source,
// pattern [, position [, occurrence [, parameters]]]), REGEXP_COUNT (source, pattern [, position
// [, parameters]]), REGEXP_INSTR (source, pattern [, position [, occurrence [, option [,
// parameters]]]]), as Redshift defines them: positions count characters from 1; REPLACE
// replaces every match (PostgreSQL's flags text as the fourth argument: 'g' every match, else
// the first; 'i' either way); SUBSTR gives '' without a match; parameters 'i' / 'c' set the case.
class RegexFunctionNode final : public ExprNode {
 public:
  RegexFunctionNode(SqlType type, RegexFn fn, NodeList args, bool flags_arg)
      : ExprNode(type), fn_(fn), args_(std::move(args)), flags_arg_(flags_arg) {}

  const Vector& Eval(const Batch& input) override {
    const size_t n = input.rows;
    Vector& r = ResetResult(n);
    std::vector<const Vector*> in;
    for (auto& a : args_) in.push_back(&a->Eval(input));
    uint8_t* rn = r.nulls();
    for (size_t i = 0; i < n; ++i) {
      bool null = false;
      for (const Vector* v : in) null = null || v->IsNull(i);
      rn[i] = null;
      if (null) {
        if (fn_ == RegexFn::kCount || fn_ == RegexFn::kInstr) r.data<int32_t>()[i] = 0;
        continue;
      }
      EvalRow(in, i, &r);
    }
    return r;
  }

 private:
  std::string_view Str(const std::vector<const Vector*>& in, size_t arg, size_t row) const {
    return in[arg]->data<std::string_view>()[row];
  }
  int64_t Int(const std::vector<const Vector*>& in, size_t arg, size_t row) const {
    return in[arg]->data<int64_t>()[row];
  }

  void EvalRow(const std::vector<const Vector*>& in, size_t i, Vector* r) {
    std::string_view source = Str(in, 0, i);
    std::string_view pattern = Str(in, 1, i);
    // Which argument holds what, per function.
    size_t position_arg = fn_ == RegexFn::kReplace ? 3 : 2;
    size_t parameters_arg = fn_ == RegexFn::kSubstr ? 4 : fn_ == RegexFn::kCount ? 3 : fn_ == RegexFn::kInstr ? 5 : 99;
    int64_t position = 1;
    bool every = true;  // REPLACE: every match
    std::string_view parameters;
    if (fn_ == RegexFn::kReplace && flags_arg_) {
      parameters = Str(in, 3, i);
      every = parameters.find('g') != std::string_view::npos;
    } else if (args_.size() > position_arg) {
      position = Int(in, position_arg, i);
      if (position < 1) STRATA_USER_ERROR(sqlstate::kInvalidParameterValue, "position must be at least 1");
    }
    if (args_.size() > parameters_arg) parameters = Str(in, parameters_arg, i);
    int flags = REG_EXTENDED;
    for (char c : parameters) {
      if (c == 'i') flags |= REG_ICASE;
      if (c == 'c') flags &= ~REG_ICASE;
    }
    const regex_t& re = regex_.Get(pattern, flags);
    size_t at = ByteOfChar(source, position);
    const char* text = source.empty() ? "" : source.data();
    // Each match from `at` on, in order; `fn` returns false to stop.
    auto each_match = [&](auto&& fn) {
      size_t from = at;
      while (from <= source.size()) {
        regmatch_t m[10];
        m[0].rm_so = regoff_t(from);
        m[0].rm_eo = regoff_t(source.size());
        int eflags = REG_STARTEND | (from > 0 ? REG_NOTBOL : 0);
        if (regexec(&re, text, 10, m, eflags) != 0) return;
        if (!fn(m)) return;
        size_t end = size_t(m[0].rm_eo);
        from = end > size_t(m[0].rm_so) ? end : end + (end < source.size() ? CharBytes(source, end) : 1);
      }
    };
    switch (fn_) {
      case RegexFn::kCount: {
        int32_t count = 0;
        each_match([&](const regmatch_t*) { ++count; return true; });
        r->data<int32_t>()[i] = count;
        return;
      }
      case RegexFn::kInstr: {
        int64_t occurrence = args_.size() > 3 ? Int(in, 3, i) : 1;
        int64_t option = args_.size() > 4 ? Int(in, 4, i) : 0;
        if (occurrence < 1) STRATA_USER_ERROR(sqlstate::kInvalidParameterValue, "occurrence must be at least 1");
        int32_t result = 0;
        int64_t seen = 0;
        each_match([&](const regmatch_t* m) {
          if (++seen < occurrence) return true;
          size_t byte = option == 0 ? size_t(m[0].rm_so) : size_t(m[0].rm_eo);
          result = static_cast<int32_t>(CharsIn(source, byte) + 1);
          return false;
        });
        r->data<int32_t>()[i] = result;
        return;
      }
      case RegexFn::kSubstr: {
        int64_t occurrence = args_.size() > 3 ? Int(in, 3, i) : 1;
        if (occurrence < 1) STRATA_USER_ERROR(sqlstate::kInvalidParameterValue, "occurrence must be at least 1");
        std::string_view found;
        int64_t seen = 0;
        each_match([&](const regmatch_t* m) {
          if (++seen < occurrence) return true;
          found = source.substr(size_t(m[0].rm_so), size_t(m[0].rm_eo - m[0].rm_so));
          return false;
        });
        r->SetString(i, found);
        return;
      }
      case RegexFn::kReplace: {
        std::string_view replacement = args_.size() > 2 ? Str(in, 2, i) : std::string_view();
        std::string out(source.substr(0, at));
        size_t copied = at;
        each_match([&](const regmatch_t* m) {
          out.append(source.substr(copied, size_t(m[0].rm_so) - copied));
          // \1..\9: a group's text; \&: the whole match; \\: a backslash.
          for (size_t k = 0; k < replacement.size(); ++k) {
            char c = replacement[k];
            if (c == '\\' && k + 1 < replacement.size()) {
              char next = replacement[k + 1];
              if (next >= '1' && next <= '9') {
                const regmatch_t& g = m[next - '0'];
                if (g.rm_so >= 0) out.append(source.substr(size_t(g.rm_so), size_t(g.rm_eo - g.rm_so)));
                ++k;
                continue;
              }
              if (next == '&' || next == '\\') {
                if (next == '&') out.append(source.substr(size_t(m[0].rm_so), size_t(m[0].rm_eo - m[0].rm_so)));
                else out.push_back('\\');
                ++k;
                continue;
              }
            }
            out.push_back(c);
          }
          copied = size_t(m[0].rm_eo);
          return every;
        });
        out.append(source.substr(std::min(copied, source.size())));
        r->SetString(i, out);
        return;
      }
    }
  }

  RegexFn fn_;
  NodeList args_;
  bool flags_arg_;  // REPLACE's fourth argument is PostgreSQL's flags text, not a position
  CompiledRegex regex_;
};

// similar_to_escape(pattern [, escape]): a SIMILAR TO pattern as the POSIX regex that matches the
// whole string, as PostgreSQL translates it: % is .*, _ is ., the escape character (default
// backslash) makes the next one literal, regex characters SQL treats literally are escaped.
class SimilarEscapeNode final : public ExprNode {
 public:
  SimilarEscapeNode(SqlType type, NodeList args) : ExprNode(type), args_(std::move(args)) {}

  const Vector& Eval(const Batch& input) override {
    const size_t n = input.rows;
    Vector& r = ResetResult(n);
    const Vector& pattern = args_[0]->Eval(input);
    const Vector* escape = args_.size() > 1 ? &args_[1]->Eval(input) : nullptr;
    for (size_t i = 0; i < n; ++i) {
      bool null = pattern.IsNull(i) || (escape != nullptr && escape->IsNull(i));
      r.SetNull(i, null);
      if (null) continue;
      std::string_view esc = escape != nullptr ? escape->data<std::string_view>()[i] : std::string_view("\\");
      if (esc.size() > 1) STRATA_USER_ERROR(sqlstate::kInvalidEscapeSequence, "invalid escape string");
      r.SetString(i, Translate(pattern.data<std::string_view>()[i], esc));
    }
    return r;
  }

 private:
  static std::string Translate(std::string_view p, std::string_view esc) {
    std::string out = "^(";
    bool in_bracket = false;
    for (size_t k = 0; k < p.size(); ++k) {
      char c = p[k];
      if (!esc.empty() && c == esc[0] && k + 1 < p.size()) {
        char next = p[++k];
        if (std::string_view(".^$*+?()[]{}|\\").find(next) != std::string_view::npos) out.push_back('\\');
        out.push_back(next);
        continue;
      }
      if (in_bracket) {
        out.push_back(c);
        if (c == ']') in_bracket = false;
        continue;
      }
      switch (c) {
        case '%': out += ".*"; break;
        case '_': out += '.'; break;
        case '[': out.push_back(c); in_bracket = true; break;
        case '.': case '^': case '$': case '\\': out.push_back('\\'); out.push_back(c); break;
        default: out.push_back(c);
      }
    }
    return out + ")$";
  }

  NodeList args_;
};

}  // namespace

NodePtr MakeRegexFunctionNode(const std::string& name, const plan::Expr& expr, NodeList& args) {
  const SqlType type = FromProtoType(expr.type());
  if (name == "similar_to_escape") {
    for (size_t k = 0; k < args.size(); ++k) CastArg(args, k, SqlType::Text());
    return std::make_unique<SimilarEscapeNode>(type, std::move(args));
  }
  static const std::pair<const char*, RegexFn> kFns[] = {{"regexp_replace", RegexFn::kReplace},
                                                         {"regexp_substr", RegexFn::kSubstr},
                                                         {"regexp_count", RegexFn::kCount},
                                                         {"regexp_instr", RegexFn::kInstr}};
  for (const auto& [fn_name, fn] : kFns) {
    if (name != fn_name) continue;
    // Text arguments stay text; position / occurrence / option are BIGINT (the binder's types).
    bool flags_arg = fn == RegexFn::kReplace && args.size() > 3 && args[3]->type().is_string();
    for (size_t k = 0; k < args.size(); ++k) {
      bool text = k < 2 || (fn == RegexFn::kReplace && (k == 2 || flags_arg)) ||
                  (fn == RegexFn::kSubstr && k == 4) || (fn == RegexFn::kCount && k == 3) || (fn == RegexFn::kInstr && k == 5);
      CastArg(args, k, text ? SqlType::Text() : SqlType::Int64());
    }
    return std::make_unique<RegexFunctionNode>(type, fn, std::move(args), flags_arg);
  }
  bool ignore_case = name == "texticregexeq";
  if (!ignore_case && name != "textregexeq") return nullptr;
  if (args.size() != 2) STRATA_INTERNAL_ERROR(name, " with ", args.size(), " args");
  CastArg(args, 0, SqlType::Text());
  CastArg(args, 1, SqlType::Text());
  return std::make_unique<RegexMatchNode>(FromProtoType(expr.type()), std::move(args), ignore_case);
}

}  // namespace strata
