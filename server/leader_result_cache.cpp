// The leader session's use of the result cache (server/result_cache.h): which SELECTs may be
// served from it or kept in it, their key, a hit's result, and the capture of a streamed
// query's rows for the cache.
#include <algorithm>
#include <cctype>
#include <cstring>
#include <functional>

#include "planner/binder.h"
#include "server/metrics.h"
#include "server/leader_session.h"
#include "sql/error.h"

namespace strata {
namespace {

// Words that make a statement's result depend on when or how often it runs.
bool ReadsVolatileFunction(const std::string& text) {
  static const char* const kVolatile[] = {"now", "getdate", "sysdate", "random", "current_timestamp", "current_time",
                                          "current_date", "localtime", "localtimestamp", "timeofday", "clock_timestamp",
                                          "statement_timestamp", "transaction_timestamp", "pg_backend_pid",
                                          "pg_last_query_id", "pg_last_copy_id", "pg_last_copy_count", "nextval",
                                          "current_setting", "set_config", "pg_sleep", "uuid", "gen_random_uuid"};
  std::string lower = text;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const char* word : kVolatile) {
    const size_t n = std::strlen(word);
    for (size_t at = lower.find(word); at != std::string::npos; at = lower.find(word, at + 1)) {
      bool starts = at == 0 || !(std::isalnum(static_cast<unsigned char>(lower[at - 1])) || lower[at - 1] == '_');
      bool ends = at + n >= lower.size() || !(std::isalnum(static_cast<unsigned char>(lower[at + n])) || lower[at + n] == '_');
      if (starts && ends) return true;
    }
  }
  return false;
}

// The tables the plan reads and their versions; false when it reads anything else than the
// cluster's tables (system relations, files).
bool TablesRead(const LogicalNode& n, const CatalogVersion& cat, std::map<int64_t, int64_t>* versions) {
  if (n.kind == LogicalKind::kSystemTable || n.kind == LogicalKind::kFileScan) return false;
  if (n.kind == LogicalKind::kScan) {
    const catalog::Table* t = cat.TableById(n.table.id());
    if (t == nullptr || t->temporary()) return false;
    (*versions)[t->id()] = t->version();
  }
  for (const auto& c : n.children) {
    if (c && !TablesRead(*c, cat, versions)) return false;
  }
  return true;
}

}  // namespace

bool LeaderSession::ResultCacheKey(const ast::Statement& st, const BoundStatement& b,
                                   const std::vector<std::optional<std::string>>* params, std::string* key,
                                   std::map<int64_t, int64_t>* versions) {
  if (ctx_.result_cache == nullptr || st.kind != ast::StatementKind::kSelect || b.query == nullptr) return false;
  if (!b.recursive_ctes.empty() || (txn_ && txn_->catalog.WroteTables())) return false;
  auto on = settings_.values().find("enable_result_cache_for_session");
  if (on != settings_.values().end() && on->second != "on") return false;
  if (ReadsVolatileFunction(st.text)) return false;
  const CatalogVersion& cat = ReadCatalog();
  if (!TablesRead(*b.query, cat, versions) || versions->empty()) return false;
  // The key: text, parameters, user, security version, settings -- each length-prefixed, the
  // parts that tell one statement from another first (the cache's map compares keys from the
  // front). The settings' part is built again only when a setting changed.
  auto add = [key](const std::string& part) {
    *key += std::to_string(part.size());
    *key += ':';
    *key += part;
  };
  add(st.text);
  if (params != nullptr) {
    for (const auto& p : *params) add(p ? "v" + *p : "n");
  }
  add(user_);
  add(std::to_string(cat.meta().security_version()));
  if (cache_settings_generation_ != settings_.generation()) {
    cache_settings_key_.clear();
    for (const auto& [name, value] : settings_.values()) {
      if (name == "query_group" || name == "application_name" || name == "statement_timeout") continue;
      for (const std::string* part : {&name, &value}) {
        cache_settings_key_ += std::to_string(part->size());
        cache_settings_key_ += ':';
        cache_settings_key_ += *part;
      }
    }
    cache_settings_generation_ = settings_.generation();
  }
  *key += cache_settings_key_;
  return true;
}

StatementResult LeaderSession::RunCachedSelect(const ast::Statement& st, const BoundStatement& b,
                                               const std::vector<std::optional<std::string>>* params) {
  std::string key;
  std::map<int64_t, int64_t> versions;
  if (!ResultCacheKey(st, b, params, &key, &versions)) return RunQuery(b, /*stream=*/true);
  if (std::shared_ptr<const ResultCache::Entry> hit = ctx_.result_cache->Lookup(key, versions)) {
    StatementResult r;
    r.returns_rows = true;
    for (const auto& c : b.result) r.columns.push_back({c.name, c.type});
    r.batches = hit->batches;
    r.command_tag = StrCat("SELECT ", hit->rows);
    Metrics::Get().ResultCacheHit();
    // A hit is a query of its own, whose rows came from `source_query` (svl_qlog.source_query).
    session_values_.last_query_id = static_cast<int64_t>(ctx_.cluster->NextQueryId());
    if (history_pending_ != nullptr) history_pending_->set_source_query(hit->source_query);
    return r;
  }
  pending_cache_key_ = std::move(key);
  pending_cache_versions_ = std::move(versions);
  StatementResult r = RunQuery(b, /*stream=*/true);
  pending_cache_key_.clear();  // StartStream took it, or the query did not stream
  return r;
}

void LeaderSession::CaptureForCache(QueryStream::Params* params) {
  if (pending_cache_key_.empty() || ctx_.result_cache == nullptr) return;
  ResultCache* cache = ctx_.result_cache;
  std::string key = std::move(pending_cache_key_);
  pending_cache_key_.clear();
  auto versions = std::move(pending_cache_versions_);
  const int64_t query = static_cast<int64_t>(params->query_id);
  params->capture_limit = ResultCache::kMaxEntryBytes;
  params->on_captured = [cache, key, versions, query](std::vector<Batch> batches, int64_t rows, size_t bytes) {
    auto e = std::make_shared<ResultCache::Entry>();
    e->table_versions = versions;
    e->batches = std::move(batches);
    e->rows = rows;
    e->source_query = query;
    e->bytes = bytes;
    cache->Store(key, std::move(e));
  };
}

}  // namespace strata
