// Spill files: batches an operator could not keep in memory, written in the batch wire form
// (executor/batch_codec.h, LZ4-compressed) to a file in the query's temp folder, and read back
// in the order written — by its one sequential reader (Read), or, once flushed, by any number
// of threads at once through positional reads (ReadAt: each reader keeps its own offset, as
// the exchange inbox's node-wide queues need). The file is unlinked when the SpillFile is
// destroyed (query end, error, cancel); files left by a crash are removed at start-up
// (SweepSpillFolder). A write that fails (disk full) raises 53100.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "sql/vector.h"

namespace strata {

class MemoryReservation;

class SpillFile {
 public:
  // Creates the file at `path` (QueryMemory::NextSpillPath()). `owner` (may be null) is
  // credited with the bytes written.
  SpillFile(std::string path, MemoryReservation* owner);
  ~SpillFile();
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  void Write(const Batch& b);
  // Ends writing; reading starts at the first batch. Write() may not follow.
  void FinishWriting();
  // The next batch written; false at the end.
  bool Read(Batch* out);
  // Pushes buffered writes to the file so that ReadAt sees every batch written so far. Writing
  // may go on afterwards (not concurrently with Flush or Write).
  void Flush();
  // Decodes the batch whose record starts at byte `offset` (0 for the first, then what the
  // previous call returned) and returns the offset of the next record; offsets stop at bytes().
  // Thread-safe (pread) for records flushed before the call, even while Write appends more.
  int64_t ReadAt(int64_t offset, Batch* out) const;
  int64_t batches() const { return batches_; }
  int64_t rows() const { return rows_; }
  int64_t bytes() const { return bytes_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  MemoryReservation* owner_;
  std::FILE* file_ = nullptr;
  bool reading_ = false;
  int64_t batches_ = 0;
  int64_t rows_ = 0;
  int64_t bytes_ = 0;
  std::string buffer_;
};

// Creates `dir` if missing and removes every "*.spill" file in it (start-up after a crash).
// Returns how many were removed.
int SweepSpillFolder(const std::string& dir);

}  // namespace strata
