// VACUUM, ANALYZE COMPRESSION and ALTER TABLE APPEND in Redshift's syntax (see maintenance_parser.h).
#include "sql/maintenance_parser.h"

#include <cctype>
#include <string>
#include <vector>

#include "sql/error.h"
#include "sql/redshift_dialect.h"
#include "sql/sqlstate.h"

namespace strata {
namespace {

class MaintenanceParser {
 public:
  explicit MaintenanceParser(std::string_view sql) : text_(sql) {
    std::vector<SqlToken> all;
    if (!ScanSqlTokens(text_, &all)) throw SqlError(sqlstate::kSyntaxError, "syntax error", 1);
    for (const auto& t : all) if (t.cls != SqlTokenClass::kComment) tokens_.push_back(t);
    while (!tokens_.empty() && Text(tokens_.size() - 1) == ";") tokens_.pop_back();
  }

  ast::Statement Parse() {
    ast::Statement st;
    st.text = text_;
    if (Word() == "vacuum") {
      ++at_;
      st.kind = ast::StatementKind::kVacuum;
      st.vacuum = Vacuum();
    } else if (Word() == "alter") {
      Expect("alter");
      Expect("table");
      st.kind = ast::StatementKind::kAppend;
      st.append = std::make_unique<ast::AppendStmt>();
      st.append->target = Name();
      Expect("append");
      Expect("from");
      st.append->source = Name();
      if (Word() == "ignoreextra" || Word() == "filltarget") {
        st.append->extra = Word() == "ignoreextra" ? ast::AppendStmt::Extra::kIgnoreExtra : ast::AppendStmt::Extra::kFillTarget;
        ++at_;
      }
    } else {
      Expect("analyze");
      Expect("compression");
      st.kind = ast::StatementKind::kAnalyzeCompression;
      if (!AtEnd() && Word() != "comprows") {
        ast::QualifiedName q = Name();
        st.analyze_tables.push_back(q);
        if (!AtEnd() && Text(at_) == "(") {
          ++at_;
          while (true) {
            st.analyze_columns.push_back(Identifier());
            if (Text(at_) == ",") { ++at_; continue; }
            Expect(")");
            break;
          }
        }
      }
      if (!AtEnd() && Word() == "comprows") {
        ++at_;
        Number();
      }
    }
    if (!AtEnd()) Fail();
    return st;
  }

 private:
  std::unique_ptr<ast::VacuumStmt> Vacuum() {
    auto v = std::make_unique<ast::VacuumStmt>();
    using M = ast::VacuumStmt::Mode;
    PostgresVacuumOptions(v.get());
    std::string w = AtEnd() ? "" : Word();
    if (w == "full") {
      ++at_;
      PostgresVacuumOptions(v.get());
    } else if (w == "sort" || w == "delete") {
      ++at_;
      Expect("only");
      v->mode = w == "sort" ? M::kSortOnly : M::kDeleteOnly;
    } else if (w == "reindex") {
      ++at_;
      v->mode = M::kReindex;
    }
    if (!AtEnd() && Word() != "to" && Word() != "boost") {
      v->location = tokens_[at_].start;
      ast::QualifiedName q = Name();
      v->schema = q.schema;
      v->name = q.name;
    }
    if (!AtEnd() && Word() == "to") {
      ++at_;
      int pct = Number();
      if (pct < 0 || pct > 100) {
        throw SqlError(sqlstate::kInvalidParameterValue, "the threshold for VACUUM must be between 0 and 100 percent");
      }
      v->threshold_percent = pct;
      Expect("percent");
    }
    if (!AtEnd() && Word() == "boost") ++at_;
    return v;
  }

  // PostgreSQL's spellings, after VACUUM or VACUUM FULL: the words FREEZE, VERBOSE and ANALYZE
  // in any order, or a parenthesized list `(ANALYZE, VERBOSE true, ...)`. Only ANALYZE changes
  // what happens (the table's statistics are gathered afterwards); the others are accepted
  // because they are PostgreSQL's tuning of its heap, which columnar blocks do not have.
  void PostgresVacuumOptions(ast::VacuumStmt* v) {
    if (!AtEnd() && Text(at_) == "(") {
      ++at_;
      while (true) {
        std::string option = Identifier();
        bool on = true;
        if (!AtEnd() && Text(at_) != "," && Text(at_) != ")") {
          std::string value = Word();
          ++at_;
          on = value != "false" && value != "off" && value != "0";
        }
        if (option == "analyze" || option == "analyse") v->analyze = on;
        else if (option == "full" || option == "verbose" || option == "freeze" || option == "skip_locked" ||
                 option == "disable_page_skipping" || option == "index_cleanup" || option == "process_toast" ||
                 option == "truncate" || option == "parallel") {
        } else {
          throw SqlError(sqlstate::kSyntaxError, StrCat("unrecognized VACUUM option \"", option, "\""));
        }
        if (!AtEnd() && Text(at_) == ",") { ++at_; continue; }
        Expect(")");
        return;
      }
    }
    while (!AtEnd() && (Word() == "freeze" || Word() == "verbose" || Word() == "analyze" || Word() == "analyse")) {
      if (Word() != "freeze" && Word() != "verbose") v->analyze = true;
      ++at_;
    }
  }

  ast::QualifiedName Name() {
    ast::QualifiedName q;
    q.location = AtEnd() ? -1 : tokens_[at_].start;
    q.name = Identifier();
    if (!AtEnd() && Text(at_) == ".") {
      ++at_;
      q.schema = q.name;
      q.name = Identifier();
    }
    return q;
  }

  std::string Identifier() {
    if (AtEnd()) Fail();
    std::string t = Text(at_);
    if (t.size() >= 2 && t.front() == '"' && t.back() == '"') {
      ++at_;
      return t.substr(1, t.size() - 2);
    }
    if (tokens_[at_].cls != SqlTokenClass::kWord) Fail();
    ++at_;
    return AsciiLower(t);
  }

  int Number() {
    if (AtEnd()) Fail();
    std::string t = Text(at_);
    if (t.empty() || t.size() > 9 || !std::isdigit(static_cast<unsigned char>(t[0]))) Fail();
    for (char c : t) if (!std::isdigit(static_cast<unsigned char>(c))) Fail();
    ++at_;
    return std::stoi(t);
  }

  void Expect(const char* w) {
    if (AtEnd() || AsciiLower(Text(at_)) != w) Fail();
    ++at_;
  }

  std::string Word() const { return AtEnd() ? "" : AsciiLower(Text(at_)); }
  bool AtEnd() const { return at_ >= tokens_.size(); }
  std::string Text(size_t i) const { return text_.substr(tokens_[i].start, tokens_[i].end - tokens_[i].start); }

  [[noreturn]] void Fail() const {
    if (AtEnd()) throw SqlError(sqlstate::kSyntaxError, "syntax error at end of input", static_cast<int>(text_.size()) + 1);
    throw SqlError(sqlstate::kSyntaxError, StrCat("syntax error at or near \"", Text(at_), "\""), tokens_[at_].start + 1);
  }

  std::string text_;
  std::vector<SqlToken> tokens_;
  size_t at_ = 0;
};

}  // namespace

bool IsMaintenanceStatement(std::string_view sql) {
  std::string text(sql);
  std::vector<SqlToken> tokens;
  std::vector<SqlToken> all;
  if (!ScanSqlTokens(text, &all)) return false;
  for (const auto& t : all) if (t.cls != SqlTokenClass::kComment) tokens.push_back(t);
  auto word = [&](size_t i) {
    return i < tokens.size() ? AsciiLower(text.substr(tokens[i].start, tokens[i].end - tokens[i].start)) : std::string();
  };
  return word(0) == "vacuum" || (word(0) == "analyze" && word(1) == "compression") ||
         (word(0) == "alter" && word(1) == "table" && (word(3) == "append" || (word(3) == "." && word(5) == "append")));
}

ast::Statement ParseMaintenanceStatement(std::string_view sql) { return MaintenanceParser(sql).Parse(); }

}  // namespace strata
