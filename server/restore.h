// Restoring a cluster from a snapshot (`strata serve --data NEWDIR --restore-from LOC --snapshot
// NAME [--compute-nodes N] [--slices-per-node S]`).
//
// PrepareRestore runs before the leader starts: it writes the snapshot's catalog into the new
// data folder (users, schemas, functions and every table's definition, statistics and identity
// marks, with no rows yet) for the shape asked for, and DATA/leader/restore.pb naming the tables
// still to fill. Then the leader starts and RestoreRunner fills the tables one by one, smallest
// first, each a load of the snapshot's slice manifests (server/leader_snapshots.cpp) committed on
// its own, so DISTKEY rows go to the new slices by their key, EVEN rows spread, ALL tables reach
// every node and sort order and encodings are the table's — whatever shape the snapshot had.
//
// Onto the snapshot's own shape the restore is direct instead: the catalog keeps the snapshot's
// manifests, each compute node fetches a missing manifest or block from the store when a query
// needs it (checked, and kept), and brings all the rest over in the background; every table
// answers as soon as the nodes know the store.
//
// Onto another shape, the cluster answers while it restores: a statement that touches a table not
// filled yet waits for it (then runs on the restored rows), so the small tables answer long before
// the big ones have arrived; in an explicit transaction, which cannot move to a newer snapshot, it
// fails with 55000 instead. restore.pb shrinks as tables commit: a leader killed mid-restore resumes where
// it stopped. A restore that fails (a missing or corrupt block, named in the error) stops the
// leader with that error: it never half-succeeds silently.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "replication/progress.h"
#include "replication/snapshot.pb.h"
#include "server/leader_session.h"

namespace strata {

// Prepares `data_dir` for a restore when `location`/`snapshot` are given, or finds one to resume
// (restore.pb). *compute_nodes / *slices_per_node: the shape to restore to (the snapshot's when
// the caller passes -1), set to the shape that will run. Returns true when a restore is to run.
// Throws (with a message for the operator) when the folder already holds another cluster.
bool PrepareRestore(const std::string& data_dir, const std::string& location, const std::string& snapshot,
                    int* compute_nodes, int* slices_per_node);

// Which tables a running restore has yet to fill.
class RestoreGate {
 public:
  void SetPending(std::set<int64_t> ids, std::string snapshot);
  void Done(int64_t id);
  void Fail(const std::string& error);
  // The first of `ids` still pending, or -1.
  int64_t FirstPending(const std::set<int64_t>& ids) const;
  bool active() const;
  // Waits until none of `ids` is pending (true), or the restore failed / `cancelled` is set / the
  // deadline passed (false; `why` says which).
  bool Wait(const std::set<int64_t>& ids, const std::atomic<bool>* cancelled, int64_t deadline_micros, std::string* why);
  std::string snapshot() const;

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::set<int64_t> pending_;
  std::string snapshot_;
  std::string error_;
};

class RestoreRunner {
 public:
  RestoreRunner(LeaderContext ctx, std::string data_dir, RestoreGate* gate);
  ~RestoreRunner();
  // Starts filling the tables restore.pb names (nothing when there is none).
  void Start();
  // Set when the restore failed: the leader stops.
  bool failed() const { return failed_.load(); }

 private:
  void Run();
  // The same shape: the nodes fetch on demand, then everything (restore.pb's `direct`).
  void RunDirect(const replication::RestoreState& st, const replication::SnapshotRecord& rec, ProgressMeter* meter);

  LeaderContext ctx_;
  std::string data_dir_;
  RestoreGate* gate_;
  std::thread thread_;
  std::atomic<bool> failed_{false};
};

}  // namespace strata
