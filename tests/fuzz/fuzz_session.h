// FrontEndSession: the SqlSession behind the wire-protocol fuzz target. It runs the real SQL
// front end (SplitSql, ParseSql, Bind, the physical planner; front_end.h) on every statement the
// protocol hands it, but never executes a plan: a query answers one row made of its parameter
// values parsed into the result columns' types (so fuzzed parameters travel back through the
// text and binary encoders), COPY FROM STDIN parses every tab-separated field into the target
// column's type, and COPY TO STDOUT sends a few chunks.
//
// Why not a real LeaderSession: it needs compute nodes to run anything, and until issue 14's
// item 3 lands it also reads, writes and deletes server files for COPY / UNLOAD paths, which a
// fuzzer must not be allowed to reach. The wire layer sees the same SqlSession contract either way.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "server/pgwire/pg_connection.h"
#include "server/pgwire/sql_session.h"
#include "tests/fuzz/front_end.h"

namespace strata::fuzz {

class FrontEndSession : public SqlSession {
 public:
  std::vector<std::string> Split(const std::string& sql) override;
  std::shared_ptr<PreparedStatement> Prepare(const std::string& sql, const std::vector<uint32_t>& param_oids) override;
  StatementResult Execute(const PreparedStatement& stmt, const std::vector<std::optional<std::string>>& params) override;
  char TransactionStatus() const override { return status_; }
  void OnError() override;
  void Cancel() override {}
  std::vector<std::pair<std::string, std::string>> InitialParameters() const override;

 private:
  char status_ = 'I';
  WorkingCatalog catalog_;  // DDL of this connection is seen by its later statements
};

// Sessions for any user and database except "nosuchdb" (3D000).
SessionFactory FrontEndSessionFactory();

// Trust for every user except "scram_user" (SCRAM-SHA-256, password "pw") and "md5_user" (MD5,
// password "pw"), so that seeds can walk both password exchanges.
pgwire::ConnectionSecurity FuzzSecurity();

}  // namespace strata::fuzz
