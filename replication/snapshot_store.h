// SnapshotStore: one snapshot location (s3://bucket/prefix/ or file:///folder/) and what it
// holds. Layout (storage/object_layout.h for the objects):
//
//   blocks/<2 hex>/<id>            every block and delete vector of every snapshot, once
//   manifests/<id>                 every slice manifest, once
//   snapshots/<name>/started.pb    SnapshotStarted: written when a snapshot begins
//   snapshots/<name>/snapshot.pb   SnapshotRecord: written last, the snapshot's commit point
//
// A snapshot is complete exactly when its snapshot.pb exists, so one interrupted by kill -9 is
// never listed as complete and costs nothing but the objects it had uploaded, which the next
// snapshot reuses or a sweep removes. Every snapshot's record names every object it needs, so
// each restores on its own (no chain), while each uploads only what the store lacks.
//
// Deleting is two steps: the snapshot's records go, then Sweep removes every object no complete
// snapshot names. A sweep must not race a snapshot being taken (its objects are not named by any
// record yet): the leader runs both under one lock, and a sweep leaves everything in place while
// another process's snapshot is in progress (a started.pb without a snapshot.pb younger than
// kInProgressHorizon).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "io/object_store.h"
#include "replication/snapshot.pb.h"

namespace strata {

// A snapshot's name as the store keeps it: 1-255 of [A-Za-z0-9_.-], starting with a letter or
// digit; 42602 otherwise.
void CheckSnapshotName(const std::string& name);

// The location with its trailing '/', checked: s3://bucket[/prefix] or file:///abs (or /abs).
std::string NormalizeSnapshotLocation(const std::string& location);

struct SnapshotListing {
  std::string name;
  bool complete = false;
  replication::SnapshotStarted started;  // when started.pb exists
  bool has_started = false;
  replication::SnapshotRecord record;    // when complete; without catalog and objects
};

struct SweepResult {
  int64_t objects_removed = 0;
  int64_t bytes_removed = 0;
  // Set when the sweep removed nothing because this snapshot, in progress elsewhere, may need
  // objects no record names yet.
  std::string blocked_by;
};

class SnapshotStore {
 public:
  // A started.pb younger than this, without a snapshot.pb, is taken to be in progress.
  static constexpr int64_t kInProgressHorizonMicros = int64_t{24} * 3600 * 1000000;

  SnapshotStore(const std::string& location, const ObjectStoreConfig& config);

  const std::string& location() const { return location_; }
  ObjectStore& objects() { return *store_; }

  // Every snapshot in the store, complete or not, by start time.
  std::vector<SnapshotListing> List();
  // The complete snapshot `name` with its catalog and objects: 42704 when the store has no such
  // snapshot, 55000 when it exists but never completed.
  replication::SnapshotRecord Read(const std::string& name);
  bool Exists(const std::string& name);

  void WriteStarted(const replication::SnapshotStarted& s);
  // The commit point of a snapshot (or of a copy).
  void WriteRecord(const replication::SnapshotRecord& r);
  // Removes the snapshot's records (not its objects: Sweep). 42704 when it is not there.
  void RemoveRecords(const std::string& name);

  // The ids of every object in the store (blocks and manifests).
  std::unordered_set<std::string> ExistingIds();
  std::string UrlOf(const replication::StoredObject& o) const;
  // The object's bytes, checked against its id (58P01 missing, XX001 corrupt, naming it).
  std::string Fetch(const replication::StoredObject& o);
  void Put(const replication::StoredObject& o, const std::string& bytes);

  // Removes every object no complete snapshot names (see the file comment). `skip_in_progress`
  // names snapshots whose markers are known to be dead (the caller's own, from before a crash).
  SweepResult Sweep(const std::unordered_set<std::string>& ignore_markers = {});

 private:
  std::string SnapshotUrl(const std::string& name, const char* file) const;
  std::optional<std::string> ReadOptional(const std::string& url);

  std::string location_;
  std::unique_ptr<ObjectStore> store_;
};

// Runs fn(i) for i in [0, n) on up to `threads` threads; the first exception is rethrown after
// all have stopped (the others stop taking new items once one failed).
void ParallelFor(size_t n, int threads, const std::function<void(size_t)>& fn);

// Copies snapshot `name` from `from` to `to`, uploading only the objects `to` lacks; the record
// is written last. `progress` (may be empty) gets the bytes of each object as it is handled.
// Returns the bytes uploaded.
int64_t CopySnapshot(SnapshotStore& from, SnapshotStore& to, const std::string& name,
                     const std::function<void(int64_t)>& progress, int64_t* total_bytes = nullptr);

// Reads every object of snapshot `name` and checks it; returns one message per missing or
// corrupt object (empty: intact). `progress` as in CopySnapshot.
std::vector<std::string> VerifySnapshot(SnapshotStore& store, const std::string& name,
                                        const std::function<void(int64_t)>& progress, int64_t* total_bytes = nullptr);

}  // namespace strata
