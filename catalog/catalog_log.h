// CatalogLog: the leader catalog's commit log, DIR/leader/catalog/commit.log.
//
// Why: a commit used to write each changed table's file and then root.pb, each as a new file
// (a temporary file, fsync, rename, folder fsync), and unlink the superseded table files: two
// new inodes and four fsyncs per single-row INSERT. Now a commit appends one record -- its whole
// root and the tables it changed -- to this file and fdatasyncs it: the append is the commit
// point. root.pb and the table files are written at a checkpoint (the log past
// kCatalogCheckpointBytes, a change of the cluster's shape, and every start-up after records were
// replayed), after which the log is emptied.
//
// A record is "SCL1", the payload's length (u32), the XXH3-64 of the payload (u64), then the
// payload (CatalogLogRecord). At start-up the records whose commit_seq is above root.pb's are
// replayed in order; the first torn or damaged record ends the log (a crash in the middle of an
// append that was never acknowledged) and is cut off.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "catalog/catalog.pb.h"

namespace strata {

// The log is checkpointed into root.pb and table files when it grows past this.
inline constexpr int64_t kCatalogCheckpointBytes = int64_t{4} << 20;

class CatalogLog {
 public:
  // Opens (creating when missing) the log at `path`. Not thread-safe: the catalog store
  // serializes its commits.
  explicit CatalogLog(std::string path);
  ~CatalogLog();
  CatalogLog(const CatalogLog&) = delete;
  CatalogLog& operator=(const CatalogLog&) = delete;

  // The good records, in order; a torn or damaged tail is cut off the file.
  std::vector<catalog::CatalogLogRecord> ReadAll();
  // Appends the record durably (58030 when the write or the sync fails; the file then ends at
  // its last good record).
  void Append(const catalog::CatalogLogRecord& record);
  // Empties the log durably (after a checkpoint wrote root.pb). False when it could not: the
  // records stay, and are skipped at start-up (root.pb has their commits); appends go after them.
  bool Clear();
  int64_t bytes() const { return size_; }

 private:
  std::string path_;
  int fd_ = -1;
  int64_t size_ = 0;
};

}  // namespace strata
