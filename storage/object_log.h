// ObjectLog: the small objects of one compute store folder -- blocks and manifests of up to
// kLogObjectBytes -- appended to a few segment files (<root>/log/<seq>.seg) instead of being
// written as one file each.
//
// Why: a single-row INSERT writes a block per column and a manifest on its node and again on the
// node's mirror. As files, each is a new inode, a temporary file renamed, two fsyncs (file and
// folder), and later an unlink; creating and deleting files is most of what such a statement
// costs. In the log, a commit's objects are one write and one fdatasync (group commit: writers
// that arrive while a sync runs share the next one), and no file is created.
//
// Objects are content-addressed and immutable (see block_store.h), so a record is just
// (kind, id, bytes) and needs no other checksum: at start-up the segments are read back and
// every record is checked against its id; a torn record at the end of the last segment (a crash
// during an append that was never acknowledged) is cut off, and damaged bytes between good
// records are skipped (the records behind them are found again by their magic and id). Garbage collection (Collect) drops
// the objects no live manifest needs and rewrites a sealed segment once most of it is dead:
// its live objects are appended again, synced, and then the segment is removed. The records it
// dropped that still sit in a segment are listed in <root>/log/dead (kind, segment, offset, id;
// replaced atomically), so that neither a restart nor `strata objects store` brings them back.
//
// One instance per folder in a process (Open shares it): a node's own store, each mirror store
// and a stand-in serving a mirror all reach the same log. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace strata {

// Objects larger than this are files (block_store.h, manifest_store.h).
inline constexpr size_t kLogObjectBytes = size_t{256} << 10;

class ObjectLog {
 public:
  enum class Kind : uint8_t { kBlock = 1, kManifest = 2 };

  // The log of the store folder `root`, opened (and recovered) on first use in this process.
  static std::shared_ptr<ObjectLog> Open(const std::string& root);

  ObjectLog(const ObjectLog&) = delete;
  ObjectLog& operator=(const ObjectLog&) = delete;
  ~ObjectLog();

  bool Contains(Kind kind, const std::string& id) const;
  // The object's bytes, checked against its id (XX001 when they do not match); nullopt when the
  // object is not in the log.
  std::optional<std::string> Read(Kind kind, const std::string& id) const;
  // The object's size; nullopt when it is not in the log.
  std::optional<int64_t> SizeOf(Kind kind, const std::string& id) const;

  // Appends the object (its id must be ContentId(bytes)); when it is already here, only makes it
  // young again for Collect. Durable once a later Sync() has returned. 58030 on a write error.
  void Append(Kind kind, const std::string& id, std::string_view bytes);
  // Makes every object appended before the call durable (58030 when the sync fails).
  void Sync();

  struct Collected {
    int64_t blocks_removed = 0;
    int64_t manifests_removed = 0;
    int64_t bytes_removed = 0;
    int64_t blocks_kept = 0;
    int64_t segments_rewritten = 0;
  };
  // Drops the objects not in `live_blocks` / `live_manifests` that were last appended before
  // `fence`, then rewrites or removes sealed segments that are mostly dead.
  Collected Collect(const std::unordered_set<std::string>& live_blocks,
                    const std::unordered_set<std::string>& live_manifests,
                    std::chrono::steady_clock::time_point fence);

  int64_t objects() const;
  // True while some append is not yet durable (a Sync is owed).
  bool HasUnsynced() const;

  // The objects in the log of the store folder `root`, read without changing anything (another
  // process may be appending): `strata objects store`.
  struct Listed {
    Kind kind;
    std::string id;
    int64_t size;
    std::string path;  // the segment file
    int64_t offset;    // of the payload in it
  };
  static std::vector<Listed> ListFolder(const std::string& root);
  // Tests: segments roll over at this size (default 32 MB).
  void set_segment_bytes(int64_t n) { segment_bytes_ = n; }

 private:
  explicit ObjectLog(std::string dir);

  struct Segment;
  struct Entry {
    std::shared_ptr<Segment> segment;
    int64_t offset = 0;  // of the payload
    int64_t size = 0;
    std::chrono::steady_clock::time_point touched;
  };
  using Index = std::unordered_map<std::string, Entry>;

  // A dropped record still in its segment (the dead file).
  struct Dead {
    Kind kind;
    int64_t seq;
    int64_t offset;
    std::string id;
  };
  static std::vector<Dead> ReadDeadFile(const std::string& dir);
  void WriteDeadFileLocked();

  void Recover();
  // Reads the records of `seg` (adding the damaged bytes skipped between good ones to
  // *damaged); returns the end of its last good record.
  int64_t Load(const std::shared_ptr<Segment>& seg, int64_t* damaged);
  // Appends under mu_ to the active segment (rolling it over when full) and indexes the object.
  void AppendLocked(Kind kind, const std::string& id, std::string_view bytes);
  void RollLocked();
  Index& IndexOf(Kind kind) { return kind == Kind::kBlock ? blocks_ : manifests_; }
  const Index& IndexOf(Kind kind) const { return kind == Kind::kBlock ? blocks_ : manifests_; }
  // The segments Sync must flush; taken under mu_.
  std::vector<std::shared_ptr<Segment>> DirtySegmentsLocked();

  std::string dir_;
  int64_t segment_bytes_ = int64_t{32} << 20;
  mutable std::mutex mu_;
  // GUARDED_BY(mu_):
  Index blocks_, manifests_;
  std::map<int64_t, std::shared_ptr<Segment>> segments_;  // by sequence number
  std::shared_ptr<Segment> active_;
  std::vector<Dead> dead_;
  uint64_t appended_ = 0;  // appends so far
  mutable std::mutex sync_mu_;  // one fdatasync at a time; later callers share the next
  uint64_t synced_ = 0;    // GUARDED_BY(sync_mu_): appends known durable
};

}  // namespace strata
