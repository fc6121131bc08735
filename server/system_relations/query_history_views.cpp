// Redshift's query history views over the leader's QueryHistory (server/query_history.h), each
// user seeing its own statements' rows and a superuser everyone's:
//
//   stl_query          one row per query (statements that read or write rows)
//   stl_querytext      their text in 200-character pieces
//   svl_qlog           one row per query with its elapsed time and a 60-character summary
//   svl_statementtext  every statement (QUERY, DDL, UTILITY) in 200-character pieces
//   sys_query_history  one row per statement with its status, rows and error (Redshift's SYS view)
//   stv_sessions       the sessions connected now
#include <algorithm>

#include "server/system_relations/row_writer.h"
#include "server/system_relations/shared_rows.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

constexpr size_t kPiece = 200;

std::vector<rpc::QueryRecord> Visible(const SystemRelationContext& ctx, bool queries_only) {
  std::vector<rpc::QueryRecord> out;
  if (ctx.history == nullptr) return out;
  for (auto& r : ctx.history->Rows()) {
    if (!ctx.Shows(r.user())) continue;
    if (queries_only && (r.type() != "QUERY" || r.query() == 0)) continue;
    out.push_back(std::move(r));
  }
  return out;
}

// The text as Redshift stores it in its text tables: newlines as "\n", cut to `n` bytes without
// splitting a UTF-8 character.
std::string Cut(const std::string& text, size_t n) {
  if (text.size() <= n) return text;
  size_t end = n;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

// The pieces of `text`, each at most kPiece bytes, whole characters.
std::vector<std::string> Pieces(const std::string& text) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at < text.size()) {
    std::string piece = Cut(text.substr(at), kPiece);
    if (piece.empty()) piece = text.substr(at, 1);
    out.push_back(piece);
    at += piece.size();
  }
  if (out.empty()) out.push_back("");
  return out;
}

void StlQuery(const SystemRelationContext& ctx, Batch* out) {
  RowBuilder rb(out);
  for (const auto& r : Visible(ctx, true)) {
    rb.Int(0, UserIdOf(ctx.cat, r.user()));
    rb.Int(1, r.query());
    rb.Str(2, Cut(r.label(), 320));
    rb.Int(3, r.xid());
    rb.Int(4, r.pid());
    rb.Str(5, Cut(r.database(), 32));
    rb.Str(6, Cut(r.text(), 4000));
    rb.Timestamp(7, r.start_micros());
    rb.Timestamp(8, r.end_micros());
    rb.Int(9, r.status() == "success" ? 0 : 1);
    rb.Int(10, 0);
    rb.Int(11, 0);
    rb.EndRow();
  }
}

void StlQueryText(const SystemRelationContext& ctx, Batch* out) {
  RowBuilder rb(out);
  for (const auto& r : Visible(ctx, true)) {
    std::vector<std::string> pieces = Pieces(r.text());
    for (size_t i = 0; i < pieces.size(); ++i) {
      rb.Int(0, UserIdOf(ctx.cat, r.user()));
      rb.Int(1, r.xid());
      rb.Int(2, r.pid());
      rb.Int(3, r.query());
      rb.Int(4, static_cast<int64_t>(i));
      rb.Str(5, pieces[i]);
      rb.EndRow();
    }
  }
}

void SvlQlog(const SystemRelationContext& ctx, Batch* out) {
  RowBuilder rb(out);
  for (const auto& r : Visible(ctx, true)) {
    rb.Int(0, UserIdOf(ctx.cat, r.user()));
    rb.Int(1, r.query());
    rb.Int(2, r.xid());
    rb.Int(3, r.pid());
    rb.Timestamp(4, r.start_micros());
    rb.Timestamp(5, r.end_micros());
    rb.Int(6, r.end_micros() - r.start_micros());
    rb.Int(7, r.status() == "success" ? 0 : 1);
    rb.Str(8, Cut(r.label(), 320));
    rb.Str(9, Cut(r.text(), 60));
    rb.Int(10, r.source_query());  // a result-cache hit: the query whose rows it returned, else NULL
    if (r.source_query() == 0) out->columns[10].SetNull(out->columns[10].size() - 1, true);
    rb.EndRow();
  }
}

void SvlStatementText(const SystemRelationContext& ctx, Batch* out) {
  RowBuilder rb(out);
  for (const auto& r : Visible(ctx, false)) {
    std::vector<std::string> pieces = Pieces(r.text());
    for (size_t i = 0; i < pieces.size(); ++i) {
      rb.Int(0, UserIdOf(ctx.cat, r.user()));
      rb.Int(1, r.xid());
      rb.Int(2, r.pid());
      rb.Str(3, Cut(r.label(), 320));
      rb.Timestamp(4, r.start_micros());
      rb.Timestamp(5, r.end_micros());
      rb.Int(6, static_cast<int64_t>(i));
      rb.Str(7, r.type());
      rb.Str(8, pieces[i]);
      rb.EndRow();
    }
  }
}

void SysQueryHistory(const SystemRelationContext& ctx, Batch* out) {
  RowBuilder rb(out);
  for (const auto& r : Visible(ctx, false)) {
    const int64_t elapsed = r.end_micros() - r.start_micros();
    std::string verb = r.text().substr(0, r.text().find_first_of(" \t\n(;"));
    std::transform(verb.begin(), verb.end(), verb.begin(), [](unsigned char c) { return std::toupper(c); });
    rb.Int(0, UserIdOf(ctx.cat, r.user()));
    rb.Int(1, r.query());
    rb.Str(2, Cut(r.label(), 320));
    rb.Int(3, r.xid());
    rb.Int(4, r.pid());
    rb.Str(5, Cut(r.database(), 128));
    rb.Str(6, r.type() == "QUERY" ? verb : r.type());
    rb.Str(7, r.status());
    rb.Bool(8, r.source_query() != 0);  // result_cache_hit
    rb.Timestamp(9, r.start_micros());
    rb.Timestamp(10, r.end_micros());
    rb.Int(11, elapsed);
    rb.Int(12, 0);  // queue_time: statements do not queue yet
    rb.Int(13, elapsed);
    rb.Str(14, Cut(r.error(), 512), r.error().empty());
    rb.Int(15, r.rows());
    rb.Str(16, Cut(r.text(), 4000));
    rb.Str(17, Cut(r.user(), 128));
    rb.EndRow();
  }
}

void StvSessions(const SystemRelationContext& ctx, Batch* out) {
  if (ctx.sessions == nullptr) return;
  RowBuilder rb(out);
  for (const SessionActivity& a : ctx.sessions->List()) {
    if (!ctx.Shows(a.user)) continue;
    rb.Timestamp(0, a.backend_start_micros);
    rb.Int(1, a.pid);
    rb.Str(2, Cut(a.user, 50));
    rb.Str(3, Cut(a.database, 50));
    rb.Int(4, 0);  // timeout_sec: sessions do not time out
    rb.EndRow();
  }
}

const SystemRelationRegistrar kStlQuery("stl_query", kNotInPgClass,
                                        {{"userid", SqlType::Int32()},
                                         {"query", SqlType::Int32()},
                                         {"label", SqlType::Char(320)},
                                         {"xid", SqlType::Int64()},
                                         {"pid", SqlType::Int32()},
                                         {"database", SqlType::Char(32)},
                                         {"querytxt", SqlType::Char(4000)},
                                         {"starttime", SqlType::Timestamp()},
                                         {"endtime", SqlType::Timestamp()},
                                         {"aborted", SqlType::Int32()},
                                         {"insert_pristine", SqlType::Int32()},
                                         {"concurrency_scaling_status", SqlType::Int32()}},
                                        StlQuery);

const SystemRelationRegistrar kStlQueryText("stl_querytext", kNotInPgClass,
                                            {{"userid", SqlType::Int32()},
                                             {"xid", SqlType::Int64()},
                                             {"pid", SqlType::Int32()},
                                             {"query", SqlType::Int32()},
                                             {"sequence", SqlType::Int32()},
                                             {"text", SqlType::Char(200)}},
                                            StlQueryText);

const SystemRelationRegistrar kSvlQlog("svl_qlog", kNotInPgClass,
                                       {{"userid", SqlType::Int32()},
                                        {"query", SqlType::Int32()},
                                        {"xid", SqlType::Int64()},
                                        {"pid", SqlType::Int32()},
                                        {"starttime", SqlType::Timestamp()},
                                        {"endtime", SqlType::Timestamp()},
                                        {"elapsed", SqlType::Int64()},
                                        {"aborted", SqlType::Int32()},
                                        {"label", SqlType::Char(320)},
                                        {"substring", SqlType::Varchar(60)},
                                        {"source_query", SqlType::Int32()}},
                                       SvlQlog);

const SystemRelationRegistrar kSvlStatementText("svl_statementtext", kNotInPgClass,
                                                {{"userid", SqlType::Int32()},
                                                 {"xid", SqlType::Int64()},
                                                 {"pid", SqlType::Int32()},
                                                 {"label", SqlType::Char(320)},
                                                 {"starttime", SqlType::Timestamp()},
                                                 {"endtime", SqlType::Timestamp()},
                                                 {"sequence", SqlType::Int32()},
                                                 {"type", SqlType::Varchar(10)},
                                                 {"text", SqlType::Char(200)}},
                                                SvlStatementText);

const SystemRelationRegistrar kSysQueryHistory("sys_query_history", kNotInPgClass,
                                               {{"user_id", SqlType::Int32()},
                                                {"query_id", SqlType::Int64()},
                                                {"query_label", SqlType::Varchar(320)},
                                                {"transaction_id", SqlType::Int64()},
                                                {"session_id", SqlType::Int32()},
                                                {"database_name", SqlType::Varchar(128)},
                                                {"query_type", SqlType::Varchar(32)},
                                                {"status", SqlType::Varchar(10)},
                                                {"result_cache_hit", SqlType::Bool()},
                                                {"start_time", SqlType::Timestamp()},
                                                {"end_time", SqlType::Timestamp()},
                                                {"elapsed_time", SqlType::Int64()},
                                                {"queue_time", SqlType::Int64()},
                                                {"execution_time", SqlType::Int64()},
                                                {"error_message", SqlType::Varchar(512)},
                                                {"returned_rows", SqlType::Int64()},
                                                {"query_text", SqlType::Varchar(4000)},
                                                {"user_name", SqlType::Varchar(128)}},
                                               SysQueryHistory);

const SystemRelationRegistrar kStvSessions("stv_sessions", kNotInPgClass,
                                           {{"starttime", SqlType::Timestamp()},
                                            {"process", SqlType::Int32()},
                                            {"user_name", SqlType::Char(50)},
                                            {"db_name", SqlType::Char(50)},
                                            {"timeout_sec", SqlType::Int32()}},
                                           StvSessions);

}  // namespace
}  // namespace strata
