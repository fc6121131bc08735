// Progress of long statements (replication/progress.h): which statements show it in
// stv_progress (COPY, INSERT … SELECT, CREATE TABLE AS, ANALYZE, VACUUM, UNLOAD and COPY TO), and
// the meter RunPlan keeps for each of their queries, fed each second by the compute nodes'
// STAGE_PROGRESS (rows their scans read; COPY: bytes its files gave). A query's total is the rows
// of the tables its plan scans (COPY: the bytes of its files), an estimate a filter or a
// DISTSTYLE ALL copy can pass, so the meter's total grows to what was done.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include "catalog/catalog_store.h"
#include "planner/binder.h"
#include "replication/progress.h"
#include "server/leader_session.h"

namespace strata {
namespace {

// The rows of every table a message's Scan operators read (protobuf reflection: any operator
// shape, however nested).
int64_t ScannedTableRows(const google::protobuf::Message& m, const CatalogVersion& cat) {
  if (const auto* scan = dynamic_cast<const plan::Scan*>(&m)) {
    const catalog::Table* t = FindTableById(cat, scan->table_id());
    return t != nullptr ? t->rows() : 0;
  }
  int64_t rows = 0;
  const google::protobuf::Reflection* r = m.GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const auto* f : fields) {
    if (f->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE || f->is_map()) continue;
    if (f->is_repeated()) {
      for (int i = 0; i < r->FieldSize(m, f); ++i) rows += ScannedTableRows(r->GetRepeatedMessage(m, f, i), cat);
    } else {
      rows += ScannedTableRows(r->GetMessage(m, f), cat);
    }
  }
  return rows;
}

}  // namespace

void LeaderSession::SetProgressKind(const ast::Statement& st, const BoundStatement& b) {
  using K = ast::StatementKind;
  switch (st.kind) {
    case K::kCopy: progress_kind_ = st.copy->is_from ? "COPY" : "COPY TO"; break;
    case K::kInsert: progress_kind_ = b.query != nullptr ? "INSERT" : ""; break;
    case K::kCreateTable: progress_kind_ = b.create_as != nullptr ? "CREATE TABLE AS" : ""; break;
    case K::kAnalyze: progress_kind_ = "ANALYZE"; break;
    case K::kVacuum: progress_kind_ = "VACUUM"; break;
    case K::kUnload: progress_kind_ = "UNLOAD"; break;
    default: progress_kind_.clear(); break;
  }
  if (progress_kind_.empty()) return;
  if (st.kind == K::kUnload) progress_relation_ = b.unload.prefix();
  else if (st.kind == K::kVacuum && st.vacuum) progress_relation_ = st.vacuum->name;
  else if (st.kind == K::kAnalyze && st.analyze_tables.size() == 1) progress_relation_ = st.analyze_tables[0].name;
  else progress_relation_ = b.table.name();
}

std::unique_ptr<ProgressMeter> LeaderSession::StartProgress(const PhysicalPlan& p, uint64_t qid,
                                                            Cluster::RunOptions* options) {
  if (progress_kind_.empty()) return nullptr;
  const bool bytes = progress_kind_ == "COPY";
  int64_t total = progress_bytes_total_;
  if (!bytes) {
    total = ScannedTableRows(p.plan, ReadCatalog());
    // Nothing scanned, nothing to show (INSERT … VALUES, the rows an INSERT buffer writes).
    if (total == 0) return nullptr;
  }
  ProgressOwner owner{session_values_.backend_pid, static_cast<int64_t>(qid), user_, bytes ? "bytes" : "rows"};
  auto meter = std::make_unique<ProgressMeter>(progress_kind_, progress_relation_, "", total, std::move(owner));
  struct Totals {
    std::mutex mu;
    std::map<std::pair<int, int>, int64_t> by_stage_node;  // GUARDED_BY(mu)
  };
  auto totals = std::make_shared<Totals>();
  ProgressMeter* m = meter.get();
  options->on_progress = [m, totals, bytes](int stage, int node, const rpc::StageProgress& sp) {
    std::lock_guard<std::mutex> lock(totals->mu);
    totals->by_stage_node[{stage, node}] = bytes ? sp.bytes_loaded() : sp.rows_scanned();
    int64_t sum = 0;
    for (const auto& [k, v] : totals->by_stage_node) sum += v;
    m->Set(sum);
  };
  return meter;
}

}  // namespace strata
