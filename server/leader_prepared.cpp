// SQL-level prepared statements: PREPARE name [(types)] AS statement, EXECUTE name [(values)]
// and DEALLOCATE [PREPARE] name | ALL, as PostgreSQL has them. A PREPARE binds its statement
// once (so a missing table or a type error shows at PREPARE, and the types of $n the statement
// leaves open are inferred); EXECUTE evaluates its values, each cast to its parameter's type,
// and runs the statement as the extended protocol runs a bound portal. The statements belong
// to the session and go with it.
#include "executor/expression.h"
#include "planner/bind_helpers.h"
#include "planner/binder.h"
#include "server/leader_session.h"
#include "sql/error.h"
#include "sql/parser.h"
#include "sql/value_text.h"

namespace strata {

StatementResult LeaderSession::RunPrepare(const ast::Statement& st) {
  if (sql_prepared_.count(st.prepared_name)) {
    throw SqlError(sqlstate::kDuplicatePreparedStatement, StrCat("prepared statement \"", st.prepared_name, "\" already exists"));
  }
  // The statement is parsed again from the text, so that this PREPARE can itself run again
  // (from a protocol-level prepared statement) with its parse untouched.
  std::vector<ast::Statement> again = ParseSql(st.text);
  if (again.size() != 1 || again[0].prepared == nullptr) STRATA_INTERNAL_ERROR("PREPARE does not parse back");
  auto parsed = std::make_shared<ParsedStatement>();
  parsed->stmt = std::move(*again[0].prepared);
  std::vector<uint32_t> oids;
  for (const auto& t : st.prepare_types) oids.push_back(ResolveTypeName(t).pg_oid());
  CatalogPtr committed = txn_ ? nullptr : ctx_.catalog->Current();
  const CatalogVersion& cat = txn_ ? ReadCatalog() : *committed;
  StampStatementStart();
  SessionValues describe_values = session_values_;
  describe_values.signal_backend = nullptr;
  describe_values.apply_setting = nullptr;
  BoundStatement b = Bind(parsed->stmt, cat, oids, nullptr, &describe_values);
  SqlPrepared prepared;
  prepared.parsed = std::move(parsed);
  for (const auto& t : b.param_types) prepared.param_oids.push_back(t.pg_oid());
  sql_prepared_[st.prepared_name] = std::move(prepared);
  StatementResult r;
  r.command_tag = "PREPARE";
  return r;
}

StatementResult LeaderSession::RunExecute(const ast::Statement& st) {
  auto found = sql_prepared_.find(st.prepared_name);
  if (found == sql_prepared_.end()) {
    throw SqlError(sqlstate::kInvalidSqlStatementName, StrCat("prepared statement \"", st.prepared_name, "\" does not exist"));
  }
  SqlPrepared prepared = found->second;  // a DEALLOCATE inside cannot pull it away
  const size_t want = prepared.param_oids.size();
  if (st.execute_args.size() != want) {
    throw SqlError(sqlstate::kSyntaxError, StrCat("wrong number of parameters for prepared statement \"", st.prepared_name,
                                                  "\"; expected ", want, " parameters but got ", st.execute_args.size()));
  }
  CatalogPtr committed = txn_ ? nullptr : ctx_.catalog->Current();
  BindState state;
  state.catalog = txn_ ? &ReadCatalog() : committed.get();
  state.session = &session_values_;
  std::vector<std::optional<std::string>> values;
  for (size_t i = 0; i < want; ++i) {
    SqlType type = TypeFromOid(prepared.param_oids[i]).value_or(SqlType::Text());
    plan::Expr e = BindColumnDefault(state, *st.execute_args[i], type, StrCat("$", i + 1));
    if (type.id == TypeId::kDecimal) {
      // A numeric argument passes as written (1.5, not 1.500000): the binder keeps its scale.
      e = BindColumnDefault(state, *st.execute_args[i], SqlType::Text(), StrCat("$", i + 1));
    }
    Vector v = EvaluateConstant(e);
    values.push_back(v.IsNull(0) ? std::nullopt : std::optional<std::string>(ValueText(v, 0)));
  }
  return Run(*prepared.parsed, prepared.param_oids, &values);
}

StatementResult LeaderSession::RunDeallocate(const ast::Statement& st) {
  if (st.prepared_name.empty()) {
    sql_prepared_.clear();
  } else if (sql_prepared_.erase(st.prepared_name) == 0) {
    throw SqlError(sqlstate::kInvalidSqlStatementName, StrCat("prepared statement \"", st.prepared_name, "\" does not exist"));
  }
  StatementResult r;
  r.command_tag = st.prepared_name.empty() ? "DEALLOCATE ALL" : "DEALLOCATE";
  return r;
}

}  // namespace strata
