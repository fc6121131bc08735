#include "storage/slice_writer.h"

#include <algorithm>
#include <unordered_set>

#include "sql/error.h"
#include "storage/block_format.h"

namespace strata {
namespace {

// Estimated RAW payload bytes of rows [begin, end): values, or lengths + bytes for strings.
size_t PayloadBytes(const Vector& v, size_t begin, size_t end) {
  if (v.physical() != PhysicalType::kString) return (end - begin) * PhysicalWidth(v.physical());
  const std::string_view* s = v.data<std::string_view>();
  size_t total = 0;
  for (size_t i = begin; i < end; ++i) total += 4 + s[i].size();
  return total;
}

}  // namespace

SliceWriter::SliceWriter(BlockStore* blocks, std::vector<SqlType> types, int64_t table_id, int slice,
                         std::shared_ptr<const storage::SliceManifest> base)
    : blocks_(blocks), types_(std::move(types)), table_id_(table_id), slice_(slice), base_(std::move(base)) {
  int64_t base_rows = 0;
  if (base_) {
    if (base_->table_id() != table_id_ || base_->slice() != slice_ ||
        base_->columns_size() != static_cast<int>(types_.size())) {
      STRATA_INTERNAL_ERROR("base manifest of table ", base_->table_id(), " slice ", base_->slice(), " with ",
                            base_->columns_size(), " columns does not fit table ", table_id_, " slice ",
                            slice_, " with ", types_.size(), " columns");
    }
    base_rows = base_->row_count();
  }
  columns_.resize(types_.size());
  for (size_t c = 0; c < types_.size(); ++c) {
    columns_[c].rows = Vector(types_[c]);
    columns_[c].next_first_row = base_rows;
  }
}

void SliceWriter::Append(const Batch& b) {
  if (finished_) STRATA_INTERNAL_ERROR("SliceWriter::Append after Finish");
  if (b.columns.size() != columns_.size()) {
    STRATA_INTERNAL_ERROR("batch of ", b.columns.size(), " columns appended to a table of ", columns_.size());
  }
  for (size_t c = 0; c < columns_.size(); ++c) {
    ColumnBuffer& col = columns_[c];
    const Vector& src = b.columns[c];
    if (src.physical() != col.rows.physical() || src.size() < b.rows) {
      STRATA_INTERNAL_ERROR("column ", c, " of the batch does not match the table");
    }
    size_t before = col.rows.size();
    AppendRowRange(src, 0, b.rows, &col.rows, /*copy_strings=*/false);
    col.pending_bytes += PayloadBytes(col.rows, before, col.rows.size());
    if (col.pending_bytes >= CutBytes(col)) CutBlocks(col, false);
  }
  rows_appended_ += static_cast<int64_t>(b.rows);
  if (!hold_) return;
  // Over what the budget allows: cut the fullest columns early until the rest fits.
  while (!hold_(pending_bytes())) {
    ColumnBuffer* fullest = nullptr;
    for (auto& col : columns_) {
      if (col.pending_bytes > 0 && (fullest == nullptr || col.pending_bytes > fullest->pending_bytes)) fullest = &col;
    }
    if (fullest == nullptr) break;  // nothing held
    CutBlocks(*fullest, true);
  }
}

int64_t SliceWriter::pending_bytes() const {
  int64_t total = 0;
  for (const auto& col : columns_) total += static_cast<int64_t>(col.pending_bytes);
  return total;
}

namespace {

// Whether the non-NULL values of rows [begin, end) of string vector `v` are at most `limit`
// distinct (stops at the first one past it).
bool FewDistinctStrings(const Vector& v, size_t begin, size_t end, size_t limit) {
  const std::string_view* s = v.data<std::string_view>();
  const uint8_t* nulls = v.nulls();
  std::unordered_set<std::string_view> seen;
  seen.reserve(2 * limit);
  const std::string_view* last = nullptr;
  for (size_t i = begin; i < end; ++i) {
    if (nulls[i]) continue;
    if (last != nullptr && *last == s[i]) continue;  // runs cost one comparison
    last = &s[i];
    if (seen.insert(s[i]).second && seen.size() > limit) return false;
  }
  return true;
}

}  // namespace

Encoding SliceWriter::BlockEncoding(const ColumnBuffer& col, size_t begin, size_t end) {
  if (col.adaptive && FewDistinctStrings(col.rows, begin, end, 255)) return Encoding::kBytedict;
  return col.encoding;
}

size_t SliceWriter::CutBytes(const ColumnBuffer& col) const {
  // Blocks hold about block_target_bytes_ *stored*: well-compressing encodings (AZ64 on a
  // sequence, RUNLENGTH on runs) take proportionally more rows, up to kMaxBlockRows.
  if (col.ratio <= 0) return block_target_bytes_;  // not measured yet
  return static_cast<size_t>(static_cast<double>(block_target_bytes_) / std::max(col.ratio, 1.0 / 64));
}

void SliceWriter::CutBlocks(ColumnBuffer& col, bool flush_all) {
  size_t size = col.rows.size();
  if (col.ratio <= 0 && col.encoding != Encoding::kRaw && size > col.start) {
    // First cut of this column: measure how well its encoding stores these rows.
    Vector sample(col.rows.type());
    AppendRowRange(col.rows, col.start, size, &sample, false);
    size_t raw = std::max<size_t>(1, PayloadBytes(col.rows, col.start, size));
    col.ratio = static_cast<double>(EncodedBlockSize(col.encoding, sample)) / static_cast<double>(raw);
    if (!flush_all && col.pending_bytes < CutBytes(col)) return;
  }
  if (col.ratio <= 0) col.ratio = 1;
  size_t cut_bytes = CutBytes(col);
  if (col.rows.physical() == PhysicalType::kString) {
    const std::string_view* s = col.rows.data<std::string_view>();
    size_t begin = col.start, acc = 0;
    for (size_t i = col.start; i < size; ++i) {
      acc += 4 + s[i].size();
      if (acc >= cut_bytes || i + 1 - begin >= kMaxBlockRows) {
        WriteBlock(col, i + 1);
        begin = i + 1;
        acc = 0;
      }
    }
    if (flush_all && begin < size) WriteBlock(col, size);
  } else {
    size_t per_block = std::clamp<size_t>(cut_bytes / PhysicalWidth(col.rows.physical()), 1, kMaxBlockRows);
    while (size - col.start >= per_block) WriteBlock(col, col.start + per_block);
    if (flush_all && col.start < size) WriteBlock(col, size);
  }
  col.pending_bytes = PayloadBytes(col.rows, col.start, size);
  if (col.start == 0) return;
  // Keep only the pending rows, copying strings so that the heaps of the appended batches (which
  // hold the bytes already written) are released.
  Vector rest(col.rows.type());
  rest.Reserve(size - col.start);
  AppendRowRange(col.rows, col.start, size, &rest, /*copy_strings=*/true);
  col.rows = std::move(rest);
  col.start = 0;
}

void SliceWriter::WriteBlock(ColumnBuffer& col, size_t end) {
  storage::BlockRef ref;
  const Encoding encoding = BlockEncoding(col, col.start, end);
  std::string bytes = EncodeBlock(col.rows, col.start, end, ref.mutable_zone(), encoding);
  size_t raw = std::max<size_t>(1, PayloadBytes(col.rows, col.start, end));
  // A block made BYTEDICT by ENCODE AUTO does not set the size of the next: cut as the column's
  // own encoding would, its blocks stay as fine-grained as before for zone maps and for scans
  // that decode a string block whole.
  if (encoding == col.encoding) col.ratio = static_cast<double>(bytes.size()) / static_cast<double>(raw);
  ref.set_id(blocks_->Put(bytes));
  ref.set_first_row(col.next_first_row);
  ref.set_rows(static_cast<int64_t>(end - col.start));
  ref.set_byte_size(static_cast<int64_t>(bytes.size()));
  ref.set_encoding(EncodingAccepts(encoding, col.rows.type()) ? static_cast<storage::Encoding>(encoding)
                                                                : storage::ENCODING_RAW);
  col.next_first_row += ref.rows();
  col.new_blocks.push_back(std::move(ref));
  col.start = end;
}

void SliceWriter::MergeSmallTail(ColumnBuffer& col, size_t c, storage::SliceManifest* m) {
  if (!col.new_blocks.empty() || col.rows.size() == col.start) return;  // a large append, or none
  auto* chain = m->mutable_columns(static_cast<int>(c))->mutable_blocks();
  if (chain->empty()) return;
  const storage::BlockRef& last = chain->Get(chain->size() - 1);
  if (last.rows() >= kTailMergeRows || last.byte_size() >= static_cast<int64_t>(kTailMergeBytes)) return;
  // The sorted region stays whole blocks of sorted rows: a tail inside it is left as it is.
  if (input_order_ != InputOrder::kNoSortKey && last.first_row() < base_sorted_rows_) return;
  Vector merged(types_[c]);
  DecodeBlock(*blocks_->GetShared(last.id()), &merged, PayloadCheck::kVerifiedById);
  if (static_cast<int64_t>(merged.size()) != last.rows()) {
    throw SqlError(sqlstate::kDataCorrupted, StrCat("block ", last.id(), " holds ", merged.size(), " rows, not ", last.rows()));
  }
  AppendRowRange(col.rows, col.start, col.rows.size(), &merged, /*copy_strings=*/true);
  col.rows = std::move(merged);
  col.start = 0;
  col.pending_bytes = PayloadBytes(col.rows, 0, col.rows.size());
  col.next_first_row = last.first_row();
  chain->RemoveLast();
}

storage::SliceManifest SliceWriter::Finish() {
  if (finished_) STRATA_INTERNAL_ERROR("SliceWriter::Finish called twice");
  finished_ = true;
  storage::SliceManifest m;
  if (base_) m = *base_;
  int64_t base_rows = m.row_count();
  base_sorted_rows_ = m.sorted_rows();
  m.set_table_id(table_id_);
  m.set_slice(slice_);
  m.set_row_count(m.row_count() + rows_appended_);
  if (input_order_ == InputOrder::kNoSortKey || (input_order_ == InputOrder::kSorted && base_rows == 0)) {
    m.set_sorted_rows(m.row_count());
  }
  while (m.columns_size() < static_cast<int>(columns_.size())) m.add_columns();
  for (size_t c = 0; c < columns_.size(); ++c) {
    ColumnBuffer& col = columns_[c];
    MergeSmallTail(col, c, &m);
    CutBlocks(col, true);
    if (col.next_first_row != m.row_count()) STRATA_INTERNAL_ERROR("column ", c, " lost rows");
    auto* chain = m.mutable_columns(static_cast<int>(c))->mutable_blocks();
    for (auto& ref : col.new_blocks) *chain->Add() = std::move(ref);
    col.new_blocks.clear();
    col.rows = Vector(types_[c]);
  }
  if (hold_) hold_(0);
  return m;
}

}  // namespace strata
