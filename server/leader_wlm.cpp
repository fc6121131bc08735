// The leader session's side of workload management (server/wlm.h): which statements take a
// slot, the request that picks their queue, and the slot's life — the statement's, or its
// streamed query's until that ends (StartStream).
#include <algorithm>

#include "catalog/catalog_privileges.h"
#include "planner/binder.h"
#include "server/leader_session.h"

namespace strata {
namespace {

// True when the plan reads a table or files: what runs on the compute nodes and takes a slot.
// A query of system tables or constants runs on the leader alone, as Redshift's do, outside the
// queues (so the queues can be watched while they are full).
bool ReadsData(const LogicalNode& n) {
  if (n.kind == LogicalKind::kScan || n.kind == LogicalKind::kFileScan) return true;
  for (const auto& c : n.children) {
    if (c && ReadsData(*c)) return true;
  }
  return false;
}

// The most rows any step of the plan is estimated to read or make (scans, joins, groupings):
// what predicts a short query. A join of small tables can be long, so not the scans alone.
double LargestStep(const LogicalNode& n) {
  double rows = n.estimated_rows;
  for (const auto& c : n.children) {
    if (c) rows = std::max(rows, LargestStep(*c));
  }
  return rows;
}

// Queries whose every step handles fewer rows than this are predicted short.
constexpr double kShortQueryRows = 1e6;

}  // namespace

std::shared_ptr<Wlm::Slot> LeaderSession::AdmitToWlm(const ast::Statement& st, const BoundStatement& b) {
  using K = ast::StatementKind;
  if (ctx_.wlm == nullptr) return nullptr;
  const bool runs_query = st.kind == K::kSelect || st.kind == K::kInsert || st.kind == K::kDelete || st.kind == K::kUpdate ||
                          st.kind == K::kMerge || st.kind == K::kCopy || st.kind == K::kUnload ||
                          (st.kind == K::kCreateTable && b.create_as != nullptr);
  if (!runs_query) return nullptr;
  const LogicalNode* read = b.query != nullptr ? b.query.get() : b.create_as.get();
  if (st.kind == K::kSelect && (read == nullptr || !ReadsData(*read))) return nullptr;
  const catalog::Catalog& meta = ReadCatalog().meta();
  Wlm::Request r;
  r.pid = session_values_.backend_pid;
  r.xid = history_xid_;
  r.user = user_;
  r.superuser = IsSuperuserName(meta, user_);
  auto group = settings_.values().find("query_group");
  r.query_group = group != settings_.values().end() ? group->second : "default";
  r.groups = PrincipalsOf(meta, user_);
  const LogicalNode* plan = b.query != nullptr ? b.query.get() : b.create_as.get();
  r.predicted_short = plan != nullptr && LargestStep(*plan) < kShortQueryRows;
  // A statement that may hold table locks (a block's, or one restarted on a new snapshot with
  // its locks kept) does not wait: slot holders may be waiting for those locks.
  r.no_wait = (txn_ && txn_->explicit_block) || (ctx_.locks != nullptr && ctx_.locks->HoldsAny(session_id_));
  const int64_t pid = session_values_.backend_pid;
  SessionDirectory* sessions = in_directory_ ? ctx_.sessions : nullptr;
  auto slots = settings_.values().find("wlm_query_slot_count");
  if (slots != settings_.values().end()) r.slot_count = std::max(1, std::atoi(slots->second.c_str()));
  return ctx_.wlm->Admit(r, &cancelled_, settings_.statement_timeout_ms(),
                         [sessions, pid] {
                           if (sessions != nullptr) sessions->Cancel(pid);
                         });
}

int64_t LeaderSession::QueryMemory() const {
  const int64_t set = settings_.query_memory_bytes();
  if (set > 0) return set;
  return wlm_slot_ != nullptr ? wlm_slot_->memory_bytes() : 0;
}

Wlm::Usage UsageOf(const QueryOutcome& out) {
  Wlm::Usage u;
  int64_t spilled = 0, spectrum_bytes = 0;
  u.rows_scanned = u.blocks_read = u.spectrum_rows = 0;
  for (const auto& s : out.scans) {
    if (s.external()) {
      u.spectrum_rows += s.rows();
      spectrum_bytes += s.bytes_scanned();
    } else {
      u.rows_scanned += s.rows_pre_filter();
      u.blocks_read += s.blocks_read();
    }
  }
  for (const auto& st : out.steps) spilled += st.spilled_bytes();
  u.temp_mb = spilled >> 20;
  u.spectrum_mb = spectrum_bytes >> 20;
  return u;
}

}  // namespace strata
