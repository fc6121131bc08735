// SliceReader: scans selected columns of one table version on one slice, in row order, in
// batches of up to kBatchSize rows, reading only what the zone maps cannot rule out.
//
// How it works: each predicate column's chain is walked once in the constructor; the row ranges
// of blocks whose zone map may match are merged into a sorted list, and the lists of all
// predicates are intersected (AND). Because columns cut blocks at different rows, the
// surviving ranges are then read from every selected column independently (late
// materialisation): a column's cursor moves forward through its chain, skipping blocks that no
// surviving range touches and decoding each touched block exactly once.
//
// Evaluate-on-encoded: within a predicate column's surviving blocks that are RUNLENGTH,
// BYTEDICT, TEXT255 or TEXT32K, the predicate is tested once per run or dictionary entry on
// the encoded bytes (storage/encoding.h MatchEncodedValues), so the ranges shrink to the runs
// and rows that may match and the other columns copy only those. Rows inside a surviving range
// are returned even if they do not satisfy the predicates: the executor still filters.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sql/vector.h"
#include "storage/block_store.h"
#include "storage/encoding.h"
#include "storage/storage.pb.h"
#include "storage/zone_map.h"

namespace strata {

inline constexpr int kRowIdColumn = -1;
inline constexpr int kRowIdSliceShift = 40;

class SliceReader {
 public:
  // `m` may be null (no data). `columns` lists the table columns to return, in output order
  // (like plan::Scan.columns; it may be empty: batches then carry only a row count), and `types`
  // their types, parallel to `columns`. ZonePredicate::column is an index into `columns` (like
  // plan::ZoneFilter.column), not a table column ordinal.
  SliceReader(const BlockStore* blocks, std::shared_ptr<const storage::SliceManifest> m, std::vector<int> columns,
              std::vector<SqlType> types, std::vector<ZonePredicate> preds);

  // Names for error messages: a block that fails its checksum is reported (XX001) with the
  // table, column and block it belongs to.
  void set_names(std::string table, std::vector<std::string> columns) {
    table_name_ = std::move(table);
    column_names_ = std::move(columns);
  }

  // ANALYZE's sample: keeps only about `rows` of the surviving rows, single rows spread evenly
  // over them (every k-th). Before the first Next; nothing changes when fewer rows survive.
  void KeepSample(int64_t rows);

  // Clears *out and refills it with the next rows; false (and out->rows == 0) at the end.
  bool Next(Batch* out);

  // Next with a filter on some of the columns (a hash join's runtime filters): reads the
  // selected columns `filter_columns` (indexes into `columns`) of the next batch of rows first,
  // asks `keep` which of those rows to keep (it writes their indexes, ascending, into *sel and
  // returns how many; the batch it sees has only those columns filled), then reads the other
  // columns for the kept rows alone where they are few -- blocks and AZ64 groups that no kept
  // row falls in are skipped, not decoded. *out holds the kept rows (possibly none); false at
  // the end. rows_returned() counts the rows before the filter, as with Next.
  using RowFilter = std::function<size_t(const Batch& partial, std::vector<uint32_t>* sel)>;
  bool NextFiltered(Batch* out, const std::vector<int>& filter_columns, const RowFilter& keep);

  // Blocks of the selected columns that the zone maps rule out (never fetched).
  int64_t blocks_skipped() const { return blocks_skipped_; }
  // Blocks fetched and decoded so far.
  int64_t blocks_read() const { return blocks_read_; }
  int64_t bytes_read() const { return bytes_read_; }  // of the block files read
  // Rows in the ranges the zone maps kept, deleted ones included (Redshift's rows_pre_filter).
  int64_t rows_pre_filter() const { return rows_pre_filter_; }
  // Rows returned so far.
  int64_t rows_returned() const { return rows_returned_; }
  // The surviving row ranges [begin, end), sorted and disjoint, deleted rows removed.
  const std::vector<std::pair<int64_t, int64_t>>& ranges() const { return ranges_; }

 private:
  struct Cursor {
    const storage::ColumnChain* chain = nullptr;
    int block = 0;          // index of the current block in the chain
    int decoded_block = -1;  // which block `values` (or `decoder`, or `shared`) holds
    Vector values;
    // A string block decoded whole and shared with the node's other readers (the block store's
    // decoded cache): rows are copied from it instead of `values`.
    std::shared_ptr<const Vector> shared;
    // This reader touches few of the column's blocks (a lookup, or a small table): its string
    // blocks are shared through the decoded cache. A scan of many blocks decodes its own and
    // keeps none, so it neither churns the cache nor holds memory a block at a time.
    bool share_decoded = false;
    // A fixed-width block whose encoding has a range decoder is not decoded whole: its file's
    // bytes (and the payload decompressed from them) stay here, and each batch's rows are
    // decoded from them straight into the batch (storage/encoding.h RangeDecoder).
    std::shared_ptr<const std::string> bytes;  // shared with the node's block cache
    std::string scratch;
    std::unique_ptr<RangeDecoder> decoder;
    std::string_view null_bitmap;  // of the block `decoder` reads; empty when it has no NULL
  };

  // Makes block `cur.block` of column i the one rows are copied from.
  void OpenBlockOf(size_t i, Cursor& cur);

  // Appends rows [begin, end) of selected column i to *dst.
  void CopyRows(size_t i, int64_t begin, int64_t end, Vector* dst);
  // Clears out's columns for a new batch (fresh vectors for strings, whose heaps it drops).
  void ResetBatch(Batch* out);
  // Moves the read position over up to kBatchSize rows of the surviving ranges; the row ranges
  // passed over go to pieces_.
  size_t TakeBatchPieces();

  const BlockStore* blocks_;
  std::shared_ptr<const storage::SliceManifest> manifest_;
  std::vector<int> columns_;
  std::vector<SqlType> types_;
  std::vector<std::pair<int64_t, int64_t>> ranges_;
  std::vector<Cursor> cursors_;
  size_t range_index_ = 0;
  int64_t position_ = 0;
  int64_t blocks_skipped_ = 0;
  int64_t blocks_read_ = 0;
  int64_t bytes_read_ = 0;
  int64_t rows_pre_filter_ = 0;
  std::string table_name_;
  std::vector<std::string> column_names_;  // parallel to columns_
  int64_t rows_returned_ = 0;
  // NextFiltered's scratch: the batch's row ranges, the kept rows, their runs of row numbers.
  std::vector<std::pair<int64_t, int64_t>> pieces_, runs_;
  std::vector<uint32_t> sel_;
  std::vector<uint8_t> is_filter_column_;
  std::vector<Vector> whole_;  // per column: a batch's rows before the kept ones are picked
};

}  // namespace strata
