// VACUUM and ANALYZE COMPRESSION on the leader.
//
// VACUUM rewrites a table's live rows on every slice into fresh blocks (sorted by the sort key
// unless DELETE ONLY), commits that as the table's new version, one table per transaction, and
// then collects garbage on every node: blocks and manifests that neither the committed catalog
// nor any open transaction's snapshot refers to (old versions, aborted or crashed writes).
// Readers keep reading the version they started with while it runs.
//
// ANALYZE COMPRESSION takes a sample of a table's rows, encodes every column with every
// encoding its type accepts, and reports the one that stores the sample smallest.
#include <algorithm>
#include <optional>
#include <shared_mutex>

#include "planner/name_resolution.h"
#include "planner/binder.h"
#include "planner/optimizer.h"
#include "planner/expr_builder.h"
#include "planner/physical_planner.h"
#include "catalog/slice_map.h"
#include "server/leader_session.h"
#include "server/resize.h"
#include "sql/error.h"
#include "sql/parser.h"
#include "sql/redshift_dialect.h"
#include "storage/block_format.h"
#include "storage/encoding.h"

namespace strata {
namespace {

// Whether VACUUM has work on a table: deleted rows to reclaim, or (unless DELETE ONLY) an
// unsorted tail larger than the threshold allows.
bool NeedsVacuum(const ast::VacuumStmt& v, const catalog::Table& t, const std::vector<rpc::SliceInfo>& slices) {
  int64_t rows = 0, sorted = 0, deleted = 0;
  for (const auto& s : slices) {
    if (s.tbl() != t.id()) continue;
    rows += s.rows();
    sorted += s.sorted_rows();
    deleted += s.deleted_rows();
  }
  if (rows == 0) return false;
  using M = ast::VacuumStmt::Mode;
  bool reclaim = deleted > 0 && v.mode != M::kSortOnly;
  bool sort = v.mode != M::kDeleteOnly && t.sortkey_size() > 0 &&
              (v.mode == M::kReindex || sorted * 100 < static_cast<int64_t>(v.threshold_percent) * rows);
  if (v.mode == M::kDeleteOnly || v.mode == M::kFull) {
    // DELETE: reclaim when more than (100 - n)% of the rows are deleted (any, at 100).
    if (deleted * 100 > static_cast<int64_t>(100 - v.threshold_percent) * rows || (deleted > 0 && v.threshold_percent == 100)) {
      reclaim = true;
    } else if (v.mode == M::kDeleteOnly) {
      reclaim = deleted > 0 && v.threshold_percent >= 100;
    }
  }
  return reclaim || sort;
}

}  // namespace

StatementResult LeaderSession::RunVacuum(const ast::VacuumStmt& v) {
  StatementResult r;
  r.command_tag = "VACUUM";
  std::vector<std::pair<int64_t, std::string>> targets;
  {
    CatalogPtr cat = ctx_.catalog->Current();
    if (v.name.empty()) {
      // Every table the user owns (Redshift: only an owner or a superuser vacuums a table).
      for (const auto& t : cat->tables()) {
        if (!t.is_view() && !t.has_external() && OwnsObject(cat->meta(), t.owner(), user_)) targets.push_back({t.id(), t.name()});
      }
    } else {
      const catalog::Table* t = LookupTable(*cat, &session_values_, v.schema, v.name);
      if (t == nullptr || t->is_view() || t->has_external()) {
        throw SqlError(sqlstate::kUndefinedTable, StrCat("relation \"", v.name, "\" does not exist"), v.location + 1);
      }
      if (!OwnsObject(cat->meta(), t->owner(), user_)) {
        throw SqlError(sqlstate::kInsufficientPrivilege, StrCat("must be owner of table ", t->name()));
      }
      targets.push_back({t->id(), t->name()});
    }
  }
  for (const auto& [id, name] : targets) {
    BeginImplicit();
    try {
      catalog::Table* t = LockForWrite(id, name);
      std::vector<rpc::SliceInfo> slices;
      ctx_.cluster->TableBlocks(*t, &slices);
      if (NeedsVacuum(v, *t, slices)) {
        bool sort = v.mode != ast::VacuumStmt::Mode::kDeleteOnly;
        bool in_order = true;  // every slice wholly sorted: DELETE ONLY keeps it so
        for (const auto& sl : slices) in_order = in_order && (sl.tbl() != t->id() || sl.sorted_rows() == sl.rows());
        PhysicalPlan p = PlanRewrite(*t, sort, in_order, ctx_.cluster->shape());
        QueryOutcome out = RunPlan(p, ctx_.cluster->NextQueryId());
        t->clear_manifest_by_slice();  // a slice with no live rows left has no version
        for (const auto& [slice, manifest] : out.written) (*t->mutable_manifest_by_slice())[slice] = manifest;
      }
      Commit();
    } catch (...) {
      Rollback();
      throw;
    }
  }
  CollectGarbage();
  return r;
}

rpc::GarbageReply LeaderSession::CollectGarbage() {
  rpc::GarbageRequest req;
  // Keep what open transactions may have written (plus a margin for clock granularity).
  int64_t oldest = ctx_.snapshots != nullptr ? ctx_.snapshots->OldestAgeMs() : 0;
  // Each store keeps what its slices need: after a resize, the blocks of slices that moved away
  // go. Not while a resize runs (it puts objects on nodes before any map names them there).
  std::optional<std::shared_lock<std::shared_mutex>> no_resize;
  if (ctx_.resize != nullptr && ctx_.snapshots != nullptr) no_resize = ctx_.resize->HoldOffResize();
  if (no_resize && no_resize->owns_lock()) {
    CatalogPtr now = ctx_.catalog->Current();
    const int nodes = NodeCount(SliceNodesOf(now->meta()));
    auto by_node = ctx_.snapshots->LiveManifestsByNode(*now);
    std::map<int, rpc::GarbageRequest> per_node;
    for (int n = 0; n < nodes; ++n) {
      rpc::GarbageRequest& r = per_node[n];
      r.set_per_store(true);
      r.set_keep_newer_than_ms(oldest + 1000);
      for (const auto& id : by_node[n]) r.add_live_manifests(id);
      for (int k = 0; k < nodes; ++k) {
        if (k == n || MirrorProcessOf(k, nodes) != n) continue;
        auto* ids = (*r.mutable_mirror_live())[k].mutable_ids();
        for (const auto& id : by_node[k]) ids->Add()->assign(id);
      }
    }
    return ctx_.cluster->CollectGarbage(per_node);
  }
  CatalogPtr now = ctx_.catalog->Current();
  std::vector<std::string> live = ctx_.snapshots != nullptr ? ctx_.snapshots->LiveManifests(*now)
                                                             : SnapshotRegistry().LiveManifests(*now);
  for (auto& id : live) req.add_live_manifests(std::move(id));
  req.set_keep_newer_than_ms(oldest + 1000);
  return ctx_.cluster->CollectGarbage(req);
}

StatementResult LeaderSession::RunAnalyzeCompression(const ast::Statement& st) {
  const CatalogVersion& cat = ReadCatalog();
  std::vector<const catalog::Table*> targets;
  if (st.analyze_tables.empty()) {
    for (const auto& t : cat.tables()) if (!t.is_view() && !t.has_external()) targets.push_back(&t);
  }
  for (const auto& q : st.analyze_tables) {
    const catalog::Table* t = LookupTable(cat, &session_values_, q.schema, q.name);
    if (t == nullptr || t->is_view() || t->has_external()) {
      throw SqlError(sqlstate::kUndefinedTable, StrCat("relation \"", q.name, "\" does not exist"), q.location + 1);
    }
    targets.push_back(t);
  }
  StatementResult r;
  r.returns_rows = true;
  r.columns = {{"Table", SqlType::Varchar(128)},
               {"Column", SqlType::Varchar(128)},
               {"Encoding", SqlType::Varchar(16)},
               {"Est_reduction_pct", SqlType::Decimal(5, 2)}};
  Batch out({SqlType::Varchar(128), SqlType::Varchar(128), SqlType::Varchar(16), SqlType::Decimal(5, 2)});
  for (const catalog::Table* t : targets) {
    std::vector<ast::Statement> parsed =
        ParseSql(StrCat("select * from ", QuoteIdentifier(t->schema()), ".", QuoteIdentifier(t->name()), " limit 100000"));
    BoundStatement b = Bind(parsed[0], cat, {}, nullptr, &session_values_);
    Optimize(&b);
    StatementResult sample = RunQuery(b);
    std::vector<int> current = ColumnEncodings(*t);
    for (int c = 0; c < t->columns_size(); ++c) {
      if (!st.analyze_columns.empty() &&
          std::find(st.analyze_columns.begin(), st.analyze_columns.end(), t->columns(c).name()) == st.analyze_columns.end()) {
        continue;
      }
      SqlType type = FromProtoType(t->columns(c).type());
      Vector values(type);
      for (const auto& batch : sample.batches) AppendRowRange(batch.columns[c], 0, batch.rows, &values, false);
      auto size_of = [&](Encoding e) { return static_cast<double>(EncodedBlockSize(e, values)); };
      double now_size = size_of(static_cast<Encoding>(current[c]));
      Encoding best = static_cast<Encoding>(current[c]);
      double best_size = now_size;
      for (int e = 0; e < kEncodingCount; ++e) {
        auto enc = static_cast<Encoding>(e);
        if (enc == Encoding::kLzo || !EncodingAccepts(enc, type)) continue;  // LZO is stored as LZ4: never better than ZSTD
        double sz = size_of(enc);
        if (sz < best_size) {
          best = enc;
          best_size = sz;
        }
      }
      double pct = now_size > 0 ? 100.0 * (now_size - best_size) / now_size : 0;
      size_t row = out.rows++;
      for (auto& col : out.columns) col.Resize(out.rows);
      out.columns[0].SetString(row, t->name());
      out.columns[1].SetString(row, t->columns(c).name());
      out.columns[2].SetString(row, std::string(EncodingName(best)));
      out.columns[3].data<int64_t>()[row] = static_cast<int64_t>(pct * 100 + 0.5);
    }
  }
  r.batches.push_back(std::move(out));
  r.command_tag = StrCat("SELECT ", r.batches[0].rows);
  return r;
}

}  // namespace strata
