// FrontEndSession (see fuzz_session.h).
#include "tests/fuzz/fuzz_session.h"

#include <algorithm>

#include "server/pgwire/password_verifiers.h"
#include "sql/error.h"
#include "sql/parser.h"
#include "sql/value_text.h"
#include "planner/expr_builder.h"

namespace strata::fuzz {

namespace {

using K = ast::StatementKind;

// The statement kinds LeaderSession binds; the others it handles before binding.
bool IsBound(K kind) {
  switch (kind) {
    case K::kEmpty: case K::kBegin: case K::kCommit: case K::kRollback: case K::kSet: case K::kShow:
    case K::kFetch: case K::kCloseCursor: case K::kUser: case K::kComment: case K::kVacuum:
    case K::kAnalyze: case K::kAnalyzeCompression: case K::kTruncate: case K::kPrepare: case K::kExecute:
    case K::kDeallocate:
      return false;
    default:
      return true;
  }
}

struct Engine {
  ast::Statement stmt;
  std::vector<SqlType> copy_types;  // COPY FROM STDIN: the target's column types
};

// Parses each tab-separated field of every complete line into its column's type. Partial lines
// wait for the next Write; the pending bytes are bounded like a real server's line buffer.
class ParsingCopySink : public CopyInSink {
 public:
  explicit ParsingCopySink(std::vector<SqlType> types) : types_(std::move(types)) {}

  void Write(std::string_view data) override {
    pending_.append(data);
    if (pending_.size() > (1u << 20)) throw SqlError(sqlstate::kProgramLimitExceeded, "COPY line too long");
    size_t start = 0;
    for (size_t nl; (nl = pending_.find('\n', start)) != std::string::npos; start = nl + 1) {
      Line(std::string_view(pending_).substr(start, nl - start));
    }
    pending_.erase(0, start);
  }
  StatementResult Finish() override {
    if (!pending_.empty()) Line(pending_);
    StatementResult r;
    r.command_tag = "COPY " + std::to_string(rows_);
    return r;
  }
  void Abort(const std::string&) override {}

 private:
  void Line(std::string_view line) {
    if (line == "\\.") return;
    size_t col = 0;
    while (true) {
      size_t tab = line.find('\t');
      std::string_view field = line.substr(0, tab);
      if (col >= types_.size()) throw SqlError(sqlstate::kBadCopyFileFormat, "extra data after last expected column");
      if (field != "\\N") {
        Vector v(types_[col], 1);
        ParseValueText(field, &v, 0);
      }
      ++col;
      if (tab == std::string_view::npos) break;
      line.remove_prefix(tab + 1);
    }
    ++rows_;
  }

  std::vector<SqlType> types_;
  std::string pending_;
  int64_t rows_ = 0;
};

}  // namespace

std::vector<std::string> FrontEndSession::Split(const std::string& sql) { return SplitSql(sql); }

std::shared_ptr<PreparedStatement> FrontEndSession::Prepare(const std::string& sql,
                                                            const std::vector<uint32_t>& param_oids) {
  std::vector<ast::Statement> stmts = ParseSql(sql);
  if (stmts.size() > 1) throw SqlError(sqlstate::kSyntaxError, "cannot insert multiple commands into a prepared statement");
  auto engine = std::make_shared<Engine>();
  if (!stmts.empty()) engine->stmt = std::move(stmts[0]);
  auto prep = std::make_shared<PreparedStatement>();
  prep->sql = sql;
  prep->param_oids = param_oids;
  const ast::Statement& st = engine->stmt;
  if (IsBound(st.kind)) {
    BoundStatement b = BindAndPlan(st, catalog_.Get(), param_oids, nullptr);
    if (st.kind == K::kSelect || st.kind == K::kExplain) {
      for (const auto& c : b.result) prep->columns.push_back({c.name, c.type});
    }
    prep->param_oids.clear();
    for (const auto& t : b.param_types) prep->param_oids.push_back(t.pg_oid());
    if (st.kind == K::kCopy && b.copy.from_stdin) {
      for (const auto& c : b.table.columns()) engine->copy_types.push_back(FromProtoType(c.type()));
    }
  } else if (st.kind == K::kShow) {
    prep->columns.push_back({"setting", SqlType::Text()});
  }
  prep->returns_rows = !prep->columns.empty();
  prep->engine_state = engine;
  return prep;
}

StatementResult FrontEndSession::Execute(const PreparedStatement& stmt,
                                         const std::vector<std::optional<std::string>>& params) {
  const auto& engine = *static_cast<const Engine*>(stmt.engine_state.get());
  const ast::Statement& st = engine.stmt;
  StatementResult r;
  if (status_ == 'E' && st.kind != K::kCommit && st.kind != K::kRollback) {
    throw SqlError(sqlstate::kInFailedSqlTransaction,
                   "current transaction is aborted, commands ignored until end of transaction block");
  }
  switch (st.kind) {
    case K::kBegin: status_ = 'T'; r.command_tag = "BEGIN"; return r;
    case K::kCommit: r.command_tag = status_ == 'E' ? "ROLLBACK" : "COMMIT"; status_ = 'I'; return r;
    case K::kRollback: status_ = 'I'; r.command_tag = "ROLLBACK"; return r;
    case K::kSet: r.command_tag = "SET"; r.parameter_status.emplace_back("application_name", "fuzz"); return r;
    default: break;
  }
  if (IsBound(st.kind)) {
    ParamValues values(params.begin(), params.end());
    BoundStatement b = BindAndPlan(st, catalog_.Get(), stmt.param_oids, &values);
    catalog_.Apply(st, b);
  }
  if (st.kind == K::kCopy && st.copy && st.copy->from_stdin) {
    r.copy_in = std::make_shared<ParsingCopySink>(engine.copy_types);
    r.copy_columns = static_cast<int>(engine.copy_types.size());
    return r;
  }
  if (st.kind == K::kCopy && st.copy && st.copy->to_stdout) {
    r.copy_out = true;
    r.copy_out_data = {"1\tone\n", "2\t\\N\n"};
    r.command_tag = "COPY 2";
    return r;
  }
  r.command_tag = "OK";
  if (!stmt.returns_rows) return r;
  // One row: column i holds parameter i (cycling) when it parses as the column's type.
  r.returns_rows = true;
  r.columns = stmt.columns;
  Batch batch;
  batch.rows = 1;
  for (size_t i = 0; i < stmt.columns.size(); ++i) {
    Vector v(stmt.columns[i].type, 1);
    v.SetNull(0, true);
    if (!params.empty() && params[i % params.size()]) {
      try {
        ParseValueText(*params[i % params.size()], &v, 0);
        v.SetNull(0, false);
      } catch (const SqlError&) {
      }
    }
    batch.columns.push_back(std::move(v));
  }
  r.batches.push_back(std::move(batch));
  r.command_tag = "SELECT 1";
  return r;
}

void FrontEndSession::OnError() {
  if (status_ == 'T') status_ = 'E';
}

std::vector<std::pair<std::string, std::string>> FrontEndSession::InitialParameters() const {
  return {{"server_version", "15.0 (Strata fuzz)"}, {"client_encoding", "UTF8"}, {"DateStyle", "ISO, MDY"},
          {"integer_datetimes", "on"}, {"standard_conforming_strings", "on"}};
}

SessionFactory FrontEndSessionFactory() {
  return [](const std::string&, const std::string& database,
            const std::map<std::string, std::string>&) -> std::unique_ptr<SqlSession> {
    if (database == "nosuchdb") throw SqlError("3D000", "database \"nosuchdb\" does not exist");
    return std::make_unique<FrontEndSession>();
  };
}

pgwire::ConnectionSecurity FuzzSecurity() {
  static const std::string scram = pgwire::MakeScramVerifier("pw", "fuzzsalt", 4096);
  static const std::string md5 = pgwire::MakeMd5Password("pw", "md5_user");
  pgwire::ConnectionSecurity s;
  s.stored_password = [](const std::string& user) -> std::optional<std::string> {
    if (user == "scram_user") return scram;
    if (user == "md5_user") return md5;
    return std::nullopt;
  };
  s.passwords_required = [](const std::string& user) { return user == "scram_user" || user == "md5_user"; };
  return s;
}

}  // namespace strata::fuzz
