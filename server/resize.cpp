// Elastic resize: new nodes join, slices' blocks move, one commit switches the map (resize.h).
#include "server/resize.h"
#include "server/server_log.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <thread>

#include "catalog/catalog_transaction.h"
#include "catalog/slice_map.h"
#include "replication/progress.h"
#include "sql/error.h"
#include "storage/fault_point.h"

namespace strata {
namespace {

using Clock = std::chrono::steady_clock;
using Serving = ComputeSlot::Serving;

double MsSince(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

bool Alive(const ComputeSlot& s) { return PrimaryAlive(s, Clock::now()); }

// (from node, to node) -> the manifests the second needs from the first.
using Pushes = std::map<std::pair<int, int>, std::set<std::string>>;

// What the nodes of `next` lack of `cat` under `before`: the live manifests of every slice that
// moves (DISTSTYLE ALL copies are planned apart, by PlanAllCopies).
Pushes PlanSlicePushes(const CatalogVersion& cat, const std::vector<int>& before, const std::vector<int>& next) {
  Pushes pushes;
  const int total = static_cast<int>(before.size());
  for (const auto& t : cat.tables()) {
    if (t.is_view() || t.has_external() || t.dist_style() == catalog::DIST_ALL) continue;
    for (const auto& [slice, id] : t.manifest_by_slice()) {
      if (id.empty() || slice < 0 || slice >= total) continue;
      if (before[slice] != next[slice]) pushes[{before[slice], next[slice]}].insert(id);
    }
  }
  return pushes;
}

// Where every DISTSTYLE ALL table's copies go under `next`: each node's on its first slice. A node
// whose first slice stays keeps its copy; any other gets node 0's (slice 0's) copy made for its
// first slice (RESLICE_MANIFESTS on node 0: row ids carry the slice), pushed to it.
struct AllCopies {
  std::map<int64_t, std::map<int, std::string>> by_table;  // table id -> slice -> manifest id
  Pushes pushes;
};
using ResliceCache = std::map<std::pair<std::string, int>, std::string>;  // (manifest, slice) -> copy

AllCopies PlanAllCopies(Cluster* cluster, const CatalogVersion& cat, const std::vector<int>& before,
                        const std::vector<int>& next, const rpc::NodeAddress& node0, ResliceCache* cache) {
  AllCopies out;
  const int from = NodeCount(before), to = NodeCount(next);
  rpc::ResliceManifests ask;
  std::set<std::pair<std::string, int>> asked;
  for (const auto& t : cat.tables()) {
    if (t.is_view() || t.dist_style() != catalog::DIST_ALL) continue;
    auto zero = t.manifest_by_slice().find(0);
    if (zero == t.manifest_by_slice().end() || zero->second.empty()) continue;
    for (int n = 1; n < to; ++n) {
      const int f = FirstSliceOf(next, n);
      const int was = n < from ? FirstSliceOf(before, n) : -1;
      auto have = t.manifest_by_slice().find(f);
      if (f == was && have != t.manifest_by_slice().end() && !have->second.empty()) continue;
      std::pair<std::string, int> key{zero->second, f};
      if (!cache->count(key) && asked.insert(key).second) {
        ask.add_manifests(key.first);
        ask.add_slices(key.second);
      }
    }
  }
  if (ask.manifests_size() > 0) {
    std::vector<std::string> made = cluster->ResliceManifests(node0, ask);
    for (int i = 0; i < ask.manifests_size(); ++i) (*cache)[{ask.manifests(i), ask.slices(i)}] = made[i];
  }
  for (const auto& t : cat.tables()) {
    if (t.is_view() || t.dist_style() != catalog::DIST_ALL) continue;
    auto zero = t.manifest_by_slice().find(0);
    if (zero == t.manifest_by_slice().end() || zero->second.empty()) continue;
    auto& want = out.by_table[t.id()];
    want[0] = zero->second;
    for (int n = 1; n < to; ++n) {
      const int f = FirstSliceOf(next, n);
      const int was = n < from ? FirstSliceOf(before, n) : -1;
      auto have = t.manifest_by_slice().find(f);
      if (f == was && have != t.manifest_by_slice().end() && !have->second.empty()) {
        want[f] = have->second;
        continue;
      }
      want[f] = cache->at({zero->second, f});
      out.pushes[{0, n}].insert(want[f]);
    }
  }
  return out;
}

// Throws 57014 once `cancelled` is set.
void CheckCancelled(const std::atomic<bool>* cancelled) {
  if (cancelled != nullptr && cancelled->load()) {
    throw SqlError(sqlstate::kQueryCanceled, "canceling statement due to user request");
  }
}

}  // namespace

ResizeManager::ResizeManager(Cluster* cluster, CatalogStore* catalog, FailoverManager* failover, SnapshotRegistry* snapshots)
    : cluster_(cluster), catalog_(catalog), failover_(failover), snapshots_(snapshots),
      wanted_(NodeCount(SliceNodesOf(catalog->Current()->meta()))) {}

ResizeReport ResizeManager::Resize(int target, const std::atomic<bool>* cancelled) {
  std::unique_lock<std::mutex> one(running_, std::try_to_lock);
  if (!one.owns_lock()) throw SqlError(sqlstate::kObjectNotInPrerequisiteState, "a resize of this cluster is already running");
  std::unique_lock<std::shared_mutex> no_gc(gc_gate_);  // waits for a running garbage collection
  const Clock::time_point start = Clock::now();
  CatalogPtr cat = catalog_->Current();
  const std::vector<int> before = SliceNodesOf(cat->meta());
  const int from = NodeCount(before);
  const int total = static_cast<int>(before.size());
  if (target < 1 || target > total) {
    throw SqlError(sqlstate::kInvalidParameterValue,
                   StrCat("this cluster has ", total, " slices, so it can have 1 to ", total, " compute nodes, not ", target))
        .WithHint("The slice count is fixed when a cluster is created (--compute-nodes × --slices-per-node).");
  }
  ResizeReport report;
  report.from_nodes = from;
  report.to_nodes = target;
  if (target == from) return report;
  {
    std::map<int, ComputeSlot> slots = cluster_->Slots();
    for (int id = 0; id < from; ++id) {
      auto it = slots.find(id);
      if (it == slots.end() || it->second.serving != Serving::kPrimary || !Alive(it->second)) {
        throw SqlError(sqlstate::kObjectNotInPrerequisiteState,
                       StrCat("compute node ", id, " does not serve its own slices now; resize once it does (stv_nodes)"));
      }
    }
  }
  ServerLogf("resizing from %d to %d compute nodes\n", from, target);
  bool switched = false;
  try {
    // 1. New nodes join, empty, and are served (no slice maps to them yet).
    if (target > from) {
      wanted_ = target;
      cluster_->ExpectNodes(target, "joining");
      const Clock::time_point until = Clock::now() + kJoinWait;
      for (;;) {
        CheckCancelled(cancelled);
        std::map<int, ComputeSlot> slots = cluster_->Slots();
        int joined = 0;
        for (int id = from; id < target; ++id) {
          auto it = slots.find(id);
          if (it != slots.end() && Alive(it->second)) ++joined;
        }
        if (joined == target - from) {
          for (int id = from; id < target; ++id) cluster_->PrimarySynced(id, slots[id].primary_incarnation);
          break;
        }
        if (Clock::now() >= until) {
          throw SqlError(sqlstate::kCannotConnectNow,
                         StrCat(joined, " of the ", target - from, " new compute nodes joined in ", kJoinWait.count(), " s"))
              .WithHint("Nodes started by hand join with: strata compute --join LEADER:RPC_PORT --node-id K");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
      }
    }
    const std::vector<int> next = BalancedSliceNodes(before, target);
    for (int s = 0; s < total; ++s) report.slices_moved += before[s] != next[s] ? 1 : 0;

    // 2. The blocks move while reads and writes go on.
    int64_t estimate = 0;
    for (const auto& b : cluster_->AllTableBlocks(*cat)) {
      if (b.slice() >= 0 && b.slice() < total && before[b.slice()] != next[b.slice()]) estimate += b.size_bytes();
    }
    ProgressMeter meter("resize", StrCat(from, " to ", target, " nodes"), "", estimate);
    std::mutex mu;
    auto push = [&](const Pushes& pushes) {
      std::map<int, ComputeSlot> slots = cluster_->Slots();
      std::vector<std::thread> threads;
      std::optional<SqlError> failed;
      for (const auto& [pair, ids] : pushes) {
        threads.emplace_back([&, pair = pair, ids = &ids] {
          try {
            const ComputeSlot& src = slots.at(pair.first);
            const ComputeSlot& dst = slots.at(pair.second);
            if (!src.primary || !dst.primary) throw SqlError(sqlstate::kConnectionFailure, "a compute node left during the resize");
            rpc::PushObjects req;
            for (const auto& id : *ids) req.add_manifests(id);
            req.mutable_from()->set_mirror_of(-1);
            req.mutable_to()->set_mirror_of(-1);
            req.set_host(dst.primary->host());
            req.set_port(dst.primary->port());
            bool source_failed = false;
            rpc::PushReply r = cluster_->PushObjects(*src.primary, req, &source_failed);
            meter.Add(r.sent_bytes());
            std::lock_guard<std::mutex> lock(mu);
            report.objects_sent += r.sent_objects();
            report.bytes_sent += r.sent_bytes();
          } catch (const SqlError& e) {
            std::lock_guard<std::mutex> lock(mu);
            if (!failed) failed = e;
          }
        });
      }
      for (auto& t : threads) t.join();
      if (failed) throw *failed;
    };
    ResliceCache resliced;
    const rpc::NodeAddress node0 = *cluster_->Slots().at(0).primary;
    push(PlanSlicePushes(*cat, before, next));
    push(PlanAllCopies(cluster_, *cat, before, next, node0, &resliced).pushes);
    CheckCancelled(cancelled);

    // 3. The switch, with commits held: what was committed meanwhile, then one commit. Nodes
    // being removed stay known ("leaving") until the transactions that may read them are gone.
    if (target < from) cluster_->ExpectNodes(from, "leaving");
    int64_t switch_seq = 0;
    failover_->WithCommitsHeld([&] {
      const Clock::time_point held = Clock::now();
      CatalogPtr now = catalog_->Current();
      push(PlanSlicePushes(*now, before, next));
      AllCopies copies = PlanAllCopies(cluster_, *now, before, next, node0, &resliced);
      push(copies.pushes);
      CatalogTransaction txn(now);
      for (const auto& t : now->tables()) {
        if (t.is_view() || t.dist_style() != catalog::DIST_ALL) continue;
        const std::map<int, std::string>& want = copies.by_table[t.id()];
        std::map<int, std::string> have;
        for (const auto& [slice, id] : t.manifest_by_slice()) {
          if (!id.empty()) have[slice] = id;
        }
        if (have == want) continue;
        catalog::Table* w = txn.WriteTable(t.id());
        w->clear_manifest_by_slice();
        for (const auto& [slice, id] : want) (*w->mutable_manifest_by_slice())[slice] = id;
      }
      // Durably before the commit: a leader that dies right after it must not take a mirror
      // kept around the old ring for one of the new ring.
      failover_->Reshaped(std::max(from, target));
      CatalogChanges changes = txn.changes();
      changes.reshape = true;
      changes.reshape_nodes = target;
      changes.reshape_slice_node = next;
      FaultPoint("resize_before_switch");  // tests/server/resize_test.sh: the leader dies either side
      catalog_->Commit(txn.Read(), changes);
      FaultPoint("resize_after_switch");
      switch_seq = catalog_->Current()->commit_seq();
      ClusterShape shape = cluster_->shape();
      shape.compute_nodes = target;
      shape.slice_node = next;
      cluster_->SetShape(shape);
      switched = true;
      report.held_ms = MsSince(held);
    });
    ServerLogf("%d compute nodes serve the cluster's %d slices now (%d moved, %lld bytes, commits held %.0f ms)\n",
                 target, total, report.slices_moved, static_cast<long long>(report.bytes_sent), report.held_ms);

    // 4. Removed nodes stay while transactions that began before the switch may read them.
    if (target < from) {
      const Clock::time_point until = Clock::now() + kDrain;
      while (snapshots_->OldestCommitSeq() < switch_seq && Clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
    cluster_->ExpectNodes(0, "");
    wanted_ = target;
  } catch (const SqlError& e) {
    if (switched) throw;
    cluster_->ExpectNodes(0, "");
    wanted_ = from;
    if (std::string(e.sqlstate()) == sqlstate::kQueryCanceled) throw;
    ServerLogf("the resize to %d compute nodes was abandoned: %s\n", target, e.what());
    // A node lost on the way (class 08 inside the cluster) is not the client's connection failing.
    const std::string state = std::string(e.sqlstate()).rfind("08", 0) == 0 ? sqlstate::kObjectNotInPrerequisiteState : e.sqlstate();
    SqlError abandoned(state, StrCat("the resize to ", target, " compute nodes was abandoned and nothing changed: ",
                                            e.message()));
    abandoned.WithHint(e.hint().empty() ? "Run it again once every compute node serves its own slices (stv_nodes)." : e.hint());
    throw abandoned;
  } catch (...) {
    if (!switched) {
      cluster_->ExpectNodes(0, "");
      wanted_ = from;
    }
    throw;
  }
  ClusterEvent e;
  e.event = "resize";
  e.objects = report.objects_sent;
  e.bytes = report.bytes_sent;
  e.duration_ms = MsSince(start);
  e.detail = StrCat(from, " to ", target, " compute nodes; ", report.slices_moved, " slices moved; commits held ",
                    static_cast<int64_t>(report.held_ms), " ms");
  cluster_->events().Add(std::move(e));
  report.total_ms = MsSince(start);
  return report;
}

}  // namespace strata
