// FailoverManager: the leader's side of mirrored blocks and failover.
//
// Mirrors. Every compute node's slices are mirrored in the next node's process (around the ring,
// MirrorProcessOf): before a commit is acknowledged, the commit hook has each node that wrote
// push its new manifests, with every block and delete vector they name that the mirror lacks,
// to its mirror store (server/compute_mirror.cpp). So a commit survives the loss of any one
// compute node's disk. When the mirror cannot take them (its process is down) the commit goes
// on degraded and the mirror is marked dirty; a source that lacks what it wrote (its process
// died and a stand-in took its place) refuses the commit with 40001.
//
// Failover. A thread checks the nodes four times a second (resyncs and repairs, which may copy a
// node's whole data, run on a second thread). A node whose process is gone (no
// heartbeat for Cluster::kNodeDeadAfter, or a failed ping after a query failed on it) stops
// being routed to, and — when its mirror is clean — the process holding the mirror is told to
// start a stand-in serving those slices (TAKE_OVER); queries and writes go there at once.
// A process the leader has not seen before (restarted, a new one on an empty disk, or any node
// after the leader itself restarted) first gets every object of the live manifests of its slices
// that it lacks (from the stand-in, or from the mirror), then, with commits held for the moment
// of the switch, serves its slices; a stand-in retires.
// A process that restarted may have missed commits to the mirror it keeps: that mirror is
// resynced from its node the same way (only the objects it lacks travel: content ids).
//
// Nothing here can make a query read wrong data: every object is named by its content id, so a
// store that lacks something fails the read (58030) rather than answering from old data.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <thread>

#include "catalog/catalog_store.h"
#include "server/cluster.h"
#include "server/snapshot_registry.h"

namespace strata {

class FailoverManager {
 public:
  // `state_file` keeps which mirrors lack commits across leader restarts (DIR/leader/mirrors_behind);
  // without it every mirror is taken to be behind until resynced.
  FailoverManager(Cluster* cluster, CatalogStore* catalog, SnapshotRegistry* snapshots, std::string state_file);
  ~FailoverManager();
  // Installs the commit hook and starts the thread.
  void Start();
  void Stop();

  static constexpr std::chrono::milliseconds kTick{250};
  // A stand-in that has not registered this long after TAKE_OVER is asked for again.
  static constexpr std::chrono::milliseconds kStandinPatience{10000};
  // How long a node whose store may be behind waits for a reachable copy before it serves alone.
  static constexpr std::chrono::milliseconds kSourcePatience{15000};
  // A node that has not joined this long after the leader started is failed over like a dead one.
  static constexpr std::chrono::milliseconds kJoinGrace{10000};

  // Runs `fn` with no commit in progress and none starting (a resize's switch to its new map).
  // A commit that `fn` makes passes CatalogChanges::reshape and is not mirrored.
  void WithCommitsHeld(const std::function<void()>& fn);
  // A resize is about to change the node count (to or from `nodes`, the larger): the mirror ring
  // changes, so every mirror is behind until rebuilt (the repairs send only what each new mirror
  // lacks). Kept durably before it returns.
  void Reshaped(int nodes);

 private:
  std::shared_ptr<void> BeforeCommit(const CatalogVersion& working, const CatalogChanges& changes);
  void Loop();
  void Tick();
  // Resyncs and mirror repairs may copy a whole node's data: they run one at a time on a thread
  // of their own, so that the checks (and failovers) of Tick never wait for one.
  enum SyncKind { kResyncNode = 0, kRepairMirror = 1 };
  using SyncJob = std::pair<int, int>;  // kind, node
  void Enqueue(SyncJob job);
  void SyncLoop();
  // Brings node `id`'s own process up to date and routes its slices back to it.
  void Resync(int id, const std::map<int, ComputeSlot>& slots);
  // Brings node `id`'s mirror up to date from the node.
  void RepairMirror(int id, const std::map<int, ComputeSlot>& slots);
  std::vector<std::string> LiveOf(int id) const;
  void MarkDirty(int id);
  // dirty_ changed: written to the state file (durably) and to stv_nodes. Under mu_.
  void SaveDirty();

  Cluster* cluster_;
  CatalogStore* catalog_;
  SnapshotRegistry* snapshots_;
  std::string state_file_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  // Commits hold it shared from their mirroring to their end; routing a node back to its own
  // process holds it exclusively, so that no commit mirrors from the store being left.
  std::shared_mutex gate_;
  mutable std::mutex mu_;
  std::set<int> dirty_;                       // GUARDED_BY(mu_): nodes whose mirror lacks commits
  std::map<int, uint64_t> dirty_generation_;  // GUARDED_BY(mu_): bumped by every MarkDirty
  std::map<int, uint64_t> seen_incarnation_;  // the Tick thread's
  std::map<int, std::chrono::steady_clock::time_point> waiting_for_source_;  // the sync thread's
  std::map<int, std::string> last_repair_error_;  // GUARDED_BY(mu_)
  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::set<SyncJob> pending_;  // GUARDED_BY(stop_mu_): queued or running
  std::thread thread_;
  std::thread sync_thread_;
};

}  // namespace strata
