// The leader's snapshots (replication/snapshot_store.h for the store): CREATE SNAPSHOT and DROP
// SNAPSHOT, the automated schedule (every N seconds or after N bytes written on a node, whichever
// comes first) with its retention, the automated copy to a second location, and what
// svv_snapshots and stv_snapshot_progress show.
//
// A snapshot pins one committed catalog version (so garbage collection keeps its blocks, as for
// an open transaction), writes its started marker, has every compute node upload what the store
// lacks of its slices (in parallel), and writes its record last. Snapshots, deletions and the
// sweeps that follow them run one at a time (op_mu_), so a sweep never removes an object a
// snapshot being taken relies on.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "catalog/catalog_store.h"
#include "replication/snapshot_store.h"
#include "server/cluster.h"
#include "server/snapshot_registry.h"

namespace strata {

struct SnapshotSettings {
  std::string location;                          // --snapshot-location; "" = snapshots are off
  int64_t interval_seconds = 8 * 3600;           // --snapshot-interval
  int64_t change_bytes = int64_t{5} << 30;       // --snapshot-change-size, per node
  int64_t retention_seconds = 24 * 3600;         // --snapshot-retention (days, or 30s, 2h…); 0: no automated snapshots
  std::string copy_location;                     // --snapshot-copy-to: each automated snapshot is copied there
};

// "30s", "5min", "2h", "1d" (or plain seconds) in seconds; -1 when it does not parse.
int64_t ParseDurationSeconds(const std::string& text);

// Fills a node request's store fields: the location and the leader's object-store settings.
void SetStoreOf(rpc::SnapshotUpload* req, const std::string& location, const ObjectStoreConfig& config);

// One row of svv_snapshots.
struct SnapshotRow {
  std::string name, type, status;
  int64_t start_time = 0, end_time = 0;  // micros since 2000-01-01; 0: none
  int64_t commit_id = 0, table_count = 0, total_bytes = 0, uploaded_bytes = 0;
  int32_t retention_days = -1;
  int64_t expires_at = 0;
};

class SnapshotService {
 public:
  SnapshotService(SnapshotSettings settings, CatalogStore* catalog, Cluster* cluster, SnapshotRegistry* registry,
                  std::string data_dir);
  ~SnapshotService();

  // Starts the automated schedule (when on).
  void Start();
  void Stop();

  bool configured() const { return store_ != nullptr; }
  // The store; 55000 when no --snapshot-location was given.
  SnapshotStore& store();
  const SnapshotSettings& settings() const { return settings_; }
  ObjectStoreConfig config() const { return config_; }

  // Takes a snapshot now. `retention_days` -1: kept until deleted; `retention_seconds` > 0
  // overrides it (automated). 42710 when the name exists in the store.
  replication::SnapshotRecord Create(const std::string& name, const std::string& type, int retention_days,
                                     int64_t retention_seconds, const std::atomic<bool>* cancelled);
  // Deletes the snapshot and every object no other snapshot needs; returns the bytes removed.
  int64_t Drop(const std::string& name);

  std::vector<SnapshotRow> Rows();

 private:
  void ScheduleLoop();
  void RunScheduledWork();
  // Deletes expired snapshots; op_mu_ held.
  void ExpireLocked();
  SweepResult SweepLocked();

  SnapshotSettings settings_;
  ObjectStoreConfig config_;
  CatalogStore* catalog_;
  Cluster* cluster_;
  SnapshotRegistry* registry_;
  std::string data_dir_;
  std::unique_ptr<SnapshotStore> store_;

  std::mutex op_mu_;  // one snapshot, deletion or sweep at a time
  std::mutex mu_;     // what follows
  std::map<std::string, SnapshotRow> in_flight_;
  std::map<std::string, SnapshotRow> failed_;
  std::unordered_set<std::string> dead_markers_;  // our own markers from before a restart
  std::atomic<uint64_t> next_pin_{0};

  std::thread scheduler_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::atomic<bool> stop_uploads_{false};  // an automated snapshot running at shutdown stops
  int64_t last_automated_micros_ = 0;
  int64_t last_automated_commit_ = -1;
  std::vector<int64_t> bytes_at_last_;
  int64_t last_expiry_micros_ = 0;
};

}  // namespace strata
