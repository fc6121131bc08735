// SliceWriter: appends rows to one table's data on one slice and produces the new version's
// manifest. Rows are buffered per column; whenever a column's buffer holds about a block's worth
// of payload (kBlockTargetBytes as stored, after the column's encoding: the writer measures how
// well the encoding stores the column and scales the raw size it cuts at), a block is cut,
// encoded, stored in the
// BlockStore and recorded as a BlockRef. Columns cut independently, so block boundaries differ
// between columns (a SMALLINT block holds four times the rows of a BIGINT block). Finish()
// flushes the partial blocks and returns the base version's blocks followed by the new ones; the
// caller publishes it (ManifestStore::Put). Blocks are immutable, so the base is never rewritten
// in place; but a small append (no block of its own cut before Finish) onto a column whose last
// block is small (under kTailMergeRows rows and kTailMergeBytes) re-encodes that block with the
// new rows as one new block that replaces it in the new version. So a table taking single-row
// INSERTs keeps one growing tail block per column instead of one more block per statement, and
// its manifest (written, mirrored and read by every statement) does not grow with their count.
// Row numbers do not change (the tail's rows keep their places), so delete vectors still apply;
// a tail inside the sorted region of a table with a sort key is not merged.
//
// Memory: the buffers hold up to a block's worth of raw rows per column (with a compressing
// encoding, up to 64 blocks' worth raw, or kMaxBlockRows). With set_memory, the writer asks
// before holding more: when the answer is no, it cuts the column that holds the most early (a
// smaller block) until the rest fits, so a load holds what its budget allows and no more.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "sql/vector.h"
#include "storage/block_store.h"
#include "storage/encoding.h"
#include "storage/storage.pb.h"

namespace strata {

inline constexpr size_t kBlockTargetBytes = size_t{1} << 20;
inline constexpr size_t kMaxBlockRows = size_t{1} << 20;
// A column's last block smaller than both is merged with a small append (see above): each
// such append rewrites at most this much per column, and the replaced block is garbage until
// VACUUM collects it.
inline constexpr int64_t kTailMergeRows = 8192;
inline constexpr size_t kTailMergeBytes = size_t{16} << 10;

class SliceWriter {
 public:
  // `types` are the table's column types in order; `base` (may be null) is the version appended
  // to and must belong to the same table and slice and have one chain per column.
  SliceWriter(BlockStore* blocks, std::vector<SqlType> types, int64_t table_id, int slice,
              std::shared_ptr<const storage::SliceManifest> base);

  // Buffers the batch's rows (its columns in table order); cuts blocks of full columns.
  void Append(const Batch& b);

  // Flushes the rest and returns the new version: base blocks + new blocks.
  storage::SliceManifest Finish();

  // Rows appended so far (not counting the base).
  int64_t rows_appended() const { return rows_appended_; }

  // How the appended rows relate to the table's sort key, for the manifest's sorted region:
  // kNoSortKey (everything counts as sorted), kSorted (the rows arrive in sort key order: onto
  // an empty base they form the sorted region) or kUnsorted (they join the unsorted tail).
  enum class InputOrder { kNoSortKey, kSorted, kUnsorted };
  void set_input_order(InputOrder o) { input_order_ = o; }

  // Each column's encoding (storage/encoding.h Encoding numbers, with kAdaptiveEncodingFlag
  // where a string column may be BYTEDICT block by block); default: RAW for all.
  void set_encodings(const std::vector<int>& encodings) {
    for (size_t c = 0; c < columns_.size() && c < encodings.size(); ++c) {
      columns_[c].encoding = static_cast<Encoding>(encodings[c] & ~kAdaptiveEncodingFlag);
      columns_[c].adaptive = (encodings[c] & kAdaptiveEncodingFlag) != 0 && types_[c].physical() == PhysicalType::kString;
    }
  }

  // `hold(bytes)`: may the writer's buffers hold `bytes` in all? Called after each Append with
  // the total pending bytes (also when they shrank); false makes the writer cut blocks early.
  void set_memory(std::function<bool(int64_t bytes)> hold) { hold_ = std::move(hold); }
  // Bytes the buffers hold now (payload estimate: fixed-width values, strings' bytes + 4).
  int64_t pending_bytes() const;

  // Payload size at which a block is cut; tests lower it to get many blocks from few rows.
  void set_block_target_bytes(size_t n) { block_target_bytes_ = n; }

 private:
  struct ColumnBuffer {
    Vector rows;             // pending rows [start, rows.size())
    size_t start = 0;
    size_t pending_bytes = 0;  // estimated payload of the pending rows
    int64_t next_first_row = 0;
    std::vector<storage::BlockRef> new_blocks;
    double ratio = 0;  // stored / raw bytes of the column's last block; 0 = not measured
    Encoding encoding = Encoding::kRaw;
    bool adaptive = false;  // BYTEDICT for a block of few distinct values (kAdaptiveEncodingFlag)
  };

  // The encoding rows [begin, end) of `col` are written in.
  static Encoding BlockEncoding(const ColumnBuffer& col, size_t begin, size_t end);

  // Raw bytes of pending rows that make one stored block of about block_target_bytes_.
  size_t CutBytes(const ColumnBuffer& col) const;

  // Cuts blocks from the buffer while it holds at least a block's worth (or everything when
  // `flush_all`).
  void CutBlocks(ColumnBuffer& col, bool flush_all);
  void WriteBlock(ColumnBuffer& col, size_t end);
  // Takes the base's small last block of column `c` back into the buffer (see above).
  void MergeSmallTail(ColumnBuffer& col, size_t c, storage::SliceManifest* m);

  BlockStore* blocks_;
  std::vector<SqlType> types_;
  int64_t table_id_;
  int slice_;
  std::shared_ptr<const storage::SliceManifest> base_;
  std::vector<ColumnBuffer> columns_;
  int64_t rows_appended_ = 0;
  int64_t base_sorted_rows_ = 0;
  size_t block_target_bytes_ = kBlockTargetBytes;
  bool finished_ = false;
  InputOrder input_order_ = InputOrder::kUnsorted;
  std::function<bool(int64_t)> hold_;
};

}  // namespace strata
