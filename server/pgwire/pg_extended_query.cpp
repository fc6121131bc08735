// The extended query protocol of PgConnection: Parse, Bind, Describe, Execute, Close, Sync.
// Statements and portals live in name-keyed maps; "" is the unnamed one, replaced by the next
// Parse or Bind. A portal runs its statement on its first Execute, then hands out rows max_rows
// at a time (PortalSuspended between calls). A SELECT's rows stream: the portal holds one batch at
// a time and fetches the next as it needs it (NextStreamedBatch); other results, and a SELECT that
// reads system tables, come whole in the StatementResult. A COPY runs to completion within its
// first Execute, whatever the row limit.
#include <charconv>

#include "server/pgwire/backend_messages.h"
#include "server/pgwire/binary_values.h"
#include "server/pgwire/pg_connection.h"

namespace strata::pgwire {
namespace {

bool IsEmptyQuery(std::string_view sql) {
  return sql.find_first_not_of(" \t\n\r\f\v;") == std::string_view::npos;
}

void CheckFormat(int16_t code) {
  if (code != 0 && code != 1) {
    throw SqlError(sqlstate::kInvalidParameterValue, StrCat("unsupported format code: ", code));
  }
}

// Expands Bind's format-code list (none = all text, one = for all, else one each) to `n`.
std::vector<int16_t> ExpandFormats(const std::vector<int16_t>& codes, size_t n, const char* what,
                                   const char* of_what) {
  if (codes.empty()) return {};
  if (codes.size() == 1) return std::vector<int16_t>(n, codes[0]);
  if (codes.size() != n) {
    throw SqlError(sqlstate::kProtocolViolation, StrCat("bind message has ", codes.size(), " ",
                                                        what, " formats but ", n, " ", of_what));
  }
  return codes;
}

std::string QuotedName(const std::string& name) { return "\"" + name + "\""; }

}  // namespace

void PgConnection::Parse(std::string_view body) {
  MessageReader reader(body);
  std::string name(reader.CString());
  std::string sql(reader.CString());
  current_statement_ = sql;
  int16_t count = reader.Int16();
  if (count < 0) throw ProtocolViolation("invalid parameter type count");
  std::vector<uint32_t> oids(count);
  for (auto& oid : oids) oid = static_cast<uint32_t>(reader.Int32());
  reader.ExpectEnd();
  if (!name.empty() && statements_.count(name) != 0) {
    throw SqlError(sqlstate::kDuplicatePreparedStatement,
                   StrCat("prepared statement ", QuotedName(name), " already exists"));
  }
  auto statement = std::make_shared<Statement>();
  statement->sql = sql;
  statement->parse_oids = oids;
  if (!IsEmptyQuery(sql)) statement->prepared = session_->Prepare(sql, oids);
  // Portals keep their statement alive, so replacing the unnamed one leaves them usable.
  statements_[name] = std::move(statement);
  WriteEmptyMessage(writer_, '1');
}

void PgConnection::Bind(std::string_view body) {
  MessageReader reader(body);
  std::string portal_name(reader.CString());
  std::string statement_name(reader.CString());
  std::vector<int16_t> param_format_codes(std::max<int16_t>(reader.Int16(), 0));
  for (auto& code : param_format_codes) code = reader.Int16();
  int16_t nparams = reader.Int16();
  if (nparams < 0) throw ProtocolViolation("invalid parameter count");
  std::vector<std::optional<std::string_view>> raw(nparams);
  for (auto& value : raw) {
    int32_t len = reader.Int32();
    if (len < -1) throw ProtocolViolation("invalid parameter length");
    if (len >= 0) value = reader.Bytes(len);
  }
  std::vector<int16_t> result_format_codes(std::max<int16_t>(reader.Int16(), 0));
  for (auto& code : result_format_codes) code = reader.Int16();
  reader.ExpectEnd();

  auto it = statements_.find(statement_name);
  if (it == statements_.end()) {
    throw SqlError(sqlstate::kInvalidSqlStatementName,
                   StrCat("prepared statement ", QuotedName(statement_name), " does not exist"));
  }
  if (!portal_name.empty() && portals_.count(portal_name) != 0) {
    throw SqlError(sqlstate::kDuplicateCursor,
                   StrCat("portal ", QuotedName(portal_name), " already exists"));
  }
  const std::shared_ptr<Statement>& statement = it->second;
  const PreparedStatement* prepared = statement->prepared.get();
  size_t expected = prepared ? prepared->param_oids.size() : 0;
  if (raw.size() != expected) {
    throw SqlError(
        sqlstate::kProtocolViolation,
        StrCat("bind message supplies ", raw.size(), " parameters, but prepared statement ",
               QuotedName(statement_name), " requires ", expected));
  }
  for (int16_t code : param_format_codes) CheckFormat(code);
  for (int16_t code : result_format_codes) CheckFormat(code);
  std::vector<int16_t> param_formats =
      ExpandFormats(param_format_codes, raw.size(), "parameter", "parameters");
  size_t ncolumns = prepared && prepared->returns_rows ? prepared->columns.size() : 0;
  Portal portal;
  portal.statement = statement;
  portal.result_formats = ExpandFormats(result_format_codes, ncolumns, "result", "columns");
  portal.params.resize(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    if (!raw[i]) continue;
    if (param_formats.empty() || param_formats[i] == 0) {
      portal.params[i] = std::string(*raw[i]);
      continue;
    }
    uint32_t oid = prepared->param_oids[i];
    if (oid == 0 && i < statement->parse_oids.size()) oid = statement->parse_oids[i];
    portal.params[i] = BinaryParamToText(oid, *raw[i]);
  }
  portals_[portal_name] = std::move(portal);
  WriteEmptyMessage(writer_, '2');
}

void PgConnection::Describe(std::string_view body) {
  MessageReader reader(body);
  char kind = static_cast<char>(reader.Int8());
  std::string name(reader.CString());
  reader.ExpectEnd();
  if (kind == 'S') {
    auto it = statements_.find(name);
    if (it == statements_.end()) {
      throw SqlError(sqlstate::kInvalidSqlStatementName,
                     StrCat("prepared statement ", QuotedName(name), " does not exist"));
    }
    const PreparedStatement* prepared = it->second->prepared.get();
    WriteParameterDescription(writer_, prepared ? prepared->param_oids : std::vector<uint32_t>{});
    if (prepared && prepared->returns_rows) {
      WriteRowDescription(writer_, prepared->columns, {});
    } else {
      WriteEmptyMessage(writer_, 'n');
    }
    return;
  }
  if (kind == 'P') {
    auto it = portals_.find(name);
    if (it == portals_.end()) {
      throw SqlError(sqlstate::kInvalidCursorName,
                     StrCat("portal ", QuotedName(name), " does not exist"));
    }
    const Portal& portal = it->second;
    const PreparedStatement* prepared = portal.statement->prepared.get();
    if (portal.executed && portal.result.returns_rows) {
      WriteRowDescription(writer_, portal.result.columns, portal.result_formats);
    } else if (!portal.executed && prepared && prepared->returns_rows) {
      WriteRowDescription(writer_, prepared->columns, portal.result_formats);
    } else {
      WriteEmptyMessage(writer_, 'n');
    }
    return;
  }
  throw SqlError(sqlstate::kProtocolViolation,
                 StrCat("invalid DESCRIBE message subtype ", static_cast<int>(kind)));
}

void PgConnection::Execute(std::string_view body) {
  MessageReader reader(body);
  std::string name(reader.CString());
  int32_t max_rows = reader.Int32();
  reader.ExpectEnd();
  auto it = portals_.find(name);
  if (it == portals_.end()) {
    throw SqlError(sqlstate::kInvalidCursorName,
                   StrCat("portal ", QuotedName(name), " does not exist"));
  }
  Portal& portal = it->second;
  current_statement_ = portal.statement->sql;
  if (!portal.statement->prepared) {
    WriteEmptyMessage(writer_, 'I');
    return;
  }
  if (!portal.executed) {
    EnterPipelineBlock(*portal.statement->prepared);
    portal.result = session_->Execute(*portal.statement->prepared, portal.params);
    portal.executed = true;
    if (portal.result.returns_rows && !portal.result_formats.empty() &&
        portal.result_formats.size() != portal.result.columns.size()) {
      throw SqlError(sqlstate::kInternalError,
                     "internal error: result has a different column count than described");
    }
    SendNotices(portal.result);
    if (portal.result.copy_in) {
      // The portal completes with the copy; running it again only repeats the tag.
      StatementResult start = std::move(portal.result);
      portal.result = StatementResult{};
      portal.done = true;
      portal.result = CopyIn(start);
      SendNotices(portal.result);
    } else if (portal.result.copy_out) {
      SendCopyOut(portal.result);
      portal.result.copy_out = false;
      portal.result.copy_out_data.clear();
    }
  }
  const std::string& tag = portal.result.command_tag;
  if (!portal.result.returns_rows) {
    WriteCommandComplete(writer_, tag);
    portal.done = true;
    return;
  }
  uint64_t sent = 0;
  if (!SendRows(portal, max_rows, &sent)) {
    WriteEmptyMessage(writer_, 's');
    return;
  }
  portal.done = true;
  // As in PostgreSQL, a SELECT's tag counts the rows of this Execute call only.
  bool is_select = tag.rfind("SELECT", 0) == 0 || tag.empty();
  WriteCommandComplete(writer_, is_select ? StrCat("SELECT ", sent) : tag);
}

void PgConnection::Close(std::string_view body) {
  MessageReader reader(body);
  char kind = static_cast<char>(reader.Int8());
  std::string name(reader.CString());
  reader.ExpectEnd();
  if (kind == 'S') {
    // Closing a statement closes the portals made from it; closing a missing one is no error.
    auto it = statements_.find(name);
    if (it != statements_.end()) {
      DropPortalsOf(it->second.get());
      statements_.erase(it);
    }
  } else if (kind == 'P') {
    portals_.erase(name);
  } else {
    throw SqlError(sqlstate::kProtocolViolation,
                   StrCat("invalid CLOSE message subtype ", static_cast<int>(kind)));
  }
  WriteEmptyMessage(writer_, '3');
}

// PostgreSQL runs the statements between two Syncs outside a block as one implicit transaction,
// committed at the Sync (rolled back after an error): a pipelined batch of INSERTs commits once.
// The block opens at the first Execute; a statement that may not run in a block
// (RunsOutsideBlocks) as the first one runs on its own; a statement that controls transactions
// itself ends the pipeline's block first (rolled back by ROLLBACK / ABORT, else committed), so
// that BEGIN … COMMIT sent in a pipeline work as they do in a simple Query.
void PgConnection::EnterPipelineBlock(const PreparedStatement& stmt) {
  if (IsTransactionControl(stmt.sql)) {
    const std::string word = FirstWord(stmt.sql);
    EndPipelineBlock(/*commit=*/word != "rollback" && word != "abort");
    return;
  }
  if (pipeline_block_ || session_->TransactionStatus() != 'I' || session_->RunsOutsideBlocks(stmt)) return;
  session_->BeginImplicitBlock();
  pipeline_block_ = true;
}

void PgConnection::EndPipelineBlock(bool commit) {
  if (!pipeline_block_) return;
  pipeline_block_ = false;
  session_->EndImplicitBlock(commit);
}

void PgConnection::Sync(bool failed) {
  try {
    EndPipelineBlock(/*commit=*/!failed);
  } catch (const SqlError& e) {
    SendError(e);  // the commit failed: the statements' effects are gone
  } catch (const std::exception& e) {
    SendError(SqlError(sqlstate::kInternalError, std::string("internal error: ") + e.what()));
  }
  // Portals do not outlive the transaction; outside a block each Sync ends one.
  if (session_->TransactionStatus() == 'I') portals_.clear();
  SendReadyForQuery();
  FlushOutput();
}

void PgConnection::DropPortalsOf(const Statement* statement) {
  for (auto it = portals_.begin(); it != portals_.end();) {
    if (it->second.statement.get() == statement) {
      it = portals_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace strata::pgwire
