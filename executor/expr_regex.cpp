// POSIX regular expression match: textregexeq (`a ~ b`) and texticregexeq (`a ~* b`), on the C
// library's extended regular expressions (regcomp with REG_EXTENDED | REG_NOSUB, plus REG_ICASE
// for ~*). PostgreSQL's own engine accepts a superset (ARE: \d, \m, lookahead...); the patterns
// catalog queries send (^(name)$, anchors, classes, alternation) mean the same in both.
//
// The pattern is nearly always a constant, so the node keeps the compiled regex and compiles
// again only when a row's pattern text differs from the last one. Subjects are matched in
// place with REG_STARTEND (no copy, no terminating NUL needed).
#include <regex.h>

#include <string>

#include "executor/expr_catalog.h"
#include "sql/error.h"

namespace strata {

namespace {

class RegexMatchNode final : public ExprNode {
 public:
  RegexMatchNode(SqlType type, NodeList args, bool ignore_case)
      : ExprNode(type), args_(std::move(args)), flags_(REG_EXTENDED | REG_NOSUB | (ignore_case ? REG_ICASE : 0)) {}
  ~RegexMatchNode() override {
    if (compiled_) regfree(&regex_);
  }

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
      if (!compiled_ || p[i] != pattern_) Compile(p[i]);
      regmatch_t span[1];
      span[0].rm_so = 0;
      span[0].rm_eo = regoff_t(s[i].size());
      // A non-null pointer for an empty subject; REG_STARTEND bounds the read.
      const char* text = s[i].empty() ? "" : s[i].data();
      d[i] = regexec(&regex_, text, 1, span, REG_STARTEND) == 0;
    }
    return r;
  }

 private:
  void Compile(std::string_view pattern) {
    if (compiled_) regfree(&regex_);
    compiled_ = false;
    pattern_.assign(pattern);
    int rc = regcomp(&regex_, pattern_.c_str(), flags_);
    if (rc != 0) {
      char message[256];
      regerror(rc, &regex_, message, sizeof(message));
      pattern_.clear();
      STRATA_USER_ERROR(sqlstate::kInvalidRegularExpression, "invalid regular expression: ", message);
    }
    compiled_ = true;
  }

  NodeList args_;
  int flags_;
  regex_t regex_{};
  bool compiled_ = false;
  std::string pattern_;  // the text regex_ was compiled from
};

}  // namespace

NodePtr MakeRegexFunctionNode(const std::string& name, const plan::Expr& expr, NodeList& args) {
  bool ignore_case = name == "texticregexeq";
  if (!ignore_case && name != "textregexeq") return nullptr;
  if (args.size() != 2) STRATA_INTERNAL_ERROR(name, " with ", args.size(), " args");
  CastArg(args, 0, SqlType::Text());
  CastArg(args, 1, SqlType::Text());
  return std::make_unique<RegexMatchNode>(FromProtoType(expr.type()), std::move(args), ignore_case);
}

}  // namespace strata
