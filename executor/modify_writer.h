// ModifyWriter: applies a DELETE / UPDATE modify stream to one table on one slice (the
// SINK_MODIFY end of plan.proto). Rows of the stream are (row id or NULL, insert flag, the
// table's columns...): row ids are collected into the slice's delete vector, inserted rows are
// appended as new blocks. Finish() publishes nothing: it returns the new manifest (the base's
// blocks, the new blocks, the union of the old and new delete vectors) for the leader to commit.
// A row the stream updates more than once (UPDATE ... FROM matching it several times) gets one
// new version, from the first match, as in PostgreSQL. A row whose row id names another slice
// is the new version of a row that moved here by its distribution key (SINK_MODIFY_ROUTE): only
// appended. For MERGE, a row id named twice is an error (21000), and rows_merged() counts the
// rows that act: updates and deletes of this slice's rows, and new rows without a row id.
#pragma once

#include <functional>

#include <memory>
#include <unordered_set>
#include <vector>

#include "sql/vector.h"
#include "storage/block_store.h"
#include "storage/slice_writer.h"
#include "storage/storage.pb.h"

namespace strata {

class ModifyWriter {
 public:
  // `types` are the stream's value columns (the table's columns for UPDATE, none for DELETE);
  // `base` is the slice's version the row ids refer to.
  ModifyWriter(BlockStore* blocks, std::vector<SqlType> types, int64_t table_id, int slice,
               std::shared_ptr<const storage::SliceManifest> base, SliceWriter::InputOrder order,
               std::vector<int> encodings, bool merge = false);

  // The new rows' writer asks `hold` before buffering more (SliceWriter::set_memory).
  void set_memory(std::function<bool(int64_t bytes)> hold) {
    if (writer_) writer_->set_memory(std::move(hold));
  }
  void Append(const Batch& b);
  storage::SliceManifest Finish();

  int64_t rows_deleted() const { return deleted_; }
  int64_t rows_inserted() const { return writer_ ? writer_->rows_appended() : 0; }
  int64_t rows_merged() const { return merged_; }

 private:
  BlockStore* blocks_;
  int slice_;
  std::shared_ptr<const storage::SliceManifest> base_;
  std::unique_ptr<SliceWriter> writer_;  // null for a DELETE (no values in the stream)
  std::vector<int64_t> row_ids_;
  std::vector<bool> updated_;  // base rows that already have their new version (one bit each)
  std::unordered_set<int64_t> moved_in_;  // row ids of other slices whose new version is here
  bool merge_ = false;
  std::vector<bool> touched_;  // MERGE: base rows the stream named
  int64_t deleted_ = 0;
  int64_t merged_ = 0;
};

}  // namespace strata
