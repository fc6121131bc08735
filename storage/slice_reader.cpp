#include "storage/slice_reader.h"

#include <algorithm>
#include <cstring>

#include "sql/error.h"
#include "storage/block_format.h"
#include "storage/delete_vector.h"
#include "storage/encoding.h"
#include "sql/value_text.h"

namespace strata {
namespace {

using Ranges = std::vector<std::pair<int64_t, int64_t>>;

// A reader touching at most this many blocks of a column shares its decoded string blocks.
constexpr int kShareDecodedBlocks = 4;

void AddRange(Ranges* out, int64_t begin, int64_t end) {
  if (!out->empty() && out->back().second == begin) {
    out->back().second = end;
  } else {
    out->emplace_back(begin, end);
  }
}

// Matches of an encoded-value test fewer than this many rows apart are read as one range. A
// range costs a call per selected column to copy (some 30 ns), about what copying and filtering
// 16 more rows costs; matches scattered through a block (TPC-H Q12's two ship modes of seven,
// every few rows) cost more in calls than the rows they leave out (Q12 SF 1: CopyRows 18 % of
// the samples). The executor's filter still drops the rows in between.
constexpr int64_t kMergeGap = 16;

void AddNearRange(Ranges* out, int64_t begin, int64_t end, int64_t block_first_row) {
  if (!out->empty() && out->back().second >= block_first_row && begin - out->back().second < kMergeGap) {
    out->back().second = std::max(out->back().second, end);
  } else {
    AddRange(out, begin, end);
  }
}

// The test of one value that `p` makes, for evaluating it on encoded blocks: comparisons of
// integer-like values, and equality (or an IN list) of strings, where trailing blanks are
// ignored so that both of Redshift's string rules are covered. Empty where there is none
// (IS NULL, floats, DECIMAL p > 18, string ranges).
ValueTest TestOf(const ZonePredicate& p, const SqlType& type) {
  using Cmp = ZonePredicate::Cmp;
  ValueTest test;
  PhysicalType phys = type.physical();
  if (phys == PhysicalType::kString) {
    std::vector<std::string> wanted;
    if (p.cmp == Cmp::kEq) wanted.push_back(std::string(TrimTrailingBlanks(p.str)));
    if (p.cmp == Cmp::kAnyOf) {
      for (const auto& a : p.any_of) {
        if (a.cmp != Cmp::kEq) return test;
        wanted.push_back(std::string(TrimTrailingBlanks(a.str)));
      }
    }
    if (wanted.empty()) return test;
    test.string = [wanted = std::move(wanted)](std::string_view v) {
      std::string_view t = TrimTrailingBlanks(v);
      for (const auto& w : wanted) if (t == w) return true;
      return false;
    };
    return test;
  }
  bool integer_like = phys == PhysicalType::kBool || phys == PhysicalType::kInt16 || phys == PhysicalType::kInt32 ||
                      phys == PhysicalType::kInt64;
  if (!integer_like) return test;
  auto compare = [](Cmp cmp, int64_t v, int64_t c) {
    switch (cmp) {
      case Cmp::kEq: return v == c;
      case Cmp::kLt: return v < c;
      case Cmp::kLe: return v <= c;
      case Cmp::kGt: return v > c;
      case Cmp::kGe: return v >= c;
      default: return true;
    }
  };
  if (p.cmp == Cmp::kIsNull) return test;
  if (p.cmp == Cmp::kAnyOf) {
    std::vector<int64_t> wanted;
    for (const auto& a : p.any_of) {
      if (a.cmp != Cmp::kEq) return test;
      wanted.push_back(a.i64);
    }
    test.integer = [wanted = std::move(wanted)](int64_t v) {
      return std::find(wanted.begin(), wanted.end(), v) != wanted.end();
    };
    return test;
  }
  test.integer = [cmp = p.cmp, c = p.i64, compare](int64_t v) { return compare(cmp, v, c); };
  return test;
}

// Sorted disjoint ranges of the rows of `chain` that may satisfy `p`, adjacent ones merged: the
// blocks whose zone map may match and, within the blocks whose encoding can be tested without
// decoding (RUNLENGTH runs, dictionary entries), only the runs or rows whose value may match.
Ranges MatchingRanges(const BlockStore* store, const storage::ColumnChain& chain, const SqlType& type,
                      const ZonePredicate& p) {
  Ranges out;
  ValueTest test = TestOf(p, type);
  bool testable = test.integer || test.string;
  std::string scratch;
  Ranges in_block;
  for (const auto& ref : chain.blocks()) {
    if (ref.rows() == 0 || !ZoneMayMatch(ref.zone(), type, p)) continue;
    auto e = static_cast<Encoding>(ref.encoding());
    if (testable && (e == Encoding::kRunlength || e == Encoding::kBytedict || e == Encoding::kText255 ||
                     e == Encoding::kText32k)) {
      // A block that fails its checks here is kept whole: decoding it reports it by name.
      try {
        const std::shared_ptr<const std::string> bytes = store->GetShared(ref.id());
        OpenedBlock block = OpenBlock(*bytes, &scratch, PayloadCheck::kVerifiedById);
        in_block.clear();
        if (!block.v1 && static_cast<Encoding>(block.header.encoding()) == e &&
            block.header.row_count() == static_cast<uint64_t>(ref.rows()) &&
            MatchEncodedValues(e, block.values, ref.rows(), type, test, ref.first_row(), &in_block)) {
          for (const auto& [b, end] : in_block) AddNearRange(&out, b, end, ref.first_row());
          continue;
        }
      } catch (const SqlError& err) {
        if (err.sqlstate() != sqlstate::kDataCorrupted) throw;
      }
    }
    AddRange(&out, ref.first_row(), ref.first_row() + ref.rows());
  }
  return out;
}

Ranges Intersect(const Ranges& a, const Ranges& b) {
  Ranges out;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    int64_t lo = std::max(a[i].first, b[j].first);
    int64_t hi = std::min(a[i].second, b[j].second);
    if (lo < hi) out.emplace_back(lo, hi);
    if (a[i].second < b[j].second) ++i; else ++j;
  }
  return out;
}

// A chain must cover [0, rows) with contiguous blocks; anything else is a corrupted manifest.
void CheckChain(const storage::ColumnChain& chain, int64_t rows, int column) {
  int64_t next = 0;
  for (const auto& ref : chain.blocks()) {
    if (ref.first_row() != next || ref.rows() < 0) {
      STRATA_USER_ERROR(sqlstate::kDataCorrupted, "manifest is corrupted: column ", column,
                        " has a gap or overlap at row ", next);
    }
    next += ref.rows();
  }
  if (next != rows) {
    STRATA_USER_ERROR(sqlstate::kDataCorrupted, "manifest is corrupted: column ", column, " covers ", next,
                      " rows of ", rows);
  }
}

}  // namespace

SliceReader::SliceReader(const BlockStore* blocks, std::shared_ptr<const storage::SliceManifest> m,
                         std::vector<int> columns, std::vector<SqlType> types, std::vector<ZonePredicate> preds)
    : blocks_(blocks), manifest_(std::move(m)), columns_(std::move(columns)), types_(std::move(types)) {
  if (!manifest_ || manifest_->row_count() == 0) return;
  int ncols = manifest_->columns_size();
  if (types_.size() != columns_.size()) {
    STRATA_INTERNAL_ERROR("SliceReader given ", types_.size(), " types for ", columns_.size(), " columns");
  }
  for (int c : columns_) {
    if (c == kRowIdColumn) continue;
    if (c < 0 || c >= ncols) STRATA_INTERNAL_ERROR("column ", c, " out of range for ", ncols, " columns");
    CheckChain(manifest_->columns(c), manifest_->row_count(), c);
  }
  ranges_ = {{0, manifest_->row_count()}};
  for (const auto& p : preds) {
    if (p.column < 0 || p.column >= static_cast<int>(columns_.size())) {
      STRATA_INTERNAL_ERROR("zone predicate on output column ", p.column, " of ", columns_.size());
    }
    if (columns_[p.column] == kRowIdColumn) continue;  // no zone maps for row ids
    ranges_ = Intersect(ranges_, MatchingRanges(blocks_, manifest_->columns(columns_[p.column]), types_[p.column], p));
  }
  rows_pre_filter_ = CountRows(ranges_);
  if (!manifest_->delete_vector_id().empty()) {
    ranges_ = SubtractRanges(ranges_, ParseDeleteVector(blocks_->Get(manifest_->delete_vector_id())));
  }
  for (size_t i = 0; i < columns_.size(); ++i) {
    Cursor cur;
    cur.values = Vector(types_[i]);
    if (columns_[i] == kRowIdColumn) {
      cursors_.push_back(std::move(cur));
      continue;
    }
    cur.chain = &manifest_->columns(columns_[i]);
    // Count the blocks no surviving range touches (ranges_ is sorted: one merge-like pass).
    size_t r = 0;
    int touched = 0;
    for (const auto& ref : cur.chain->blocks()) {
      int64_t b = ref.first_row(), e = b + ref.rows();
      while (r < ranges_.size() && ranges_[r].second <= b) ++r;
      if (r == ranges_.size() || ranges_[r].first >= e) {
        ++blocks_skipped_;
      } else {
        ++touched;
      }
    }
    cur.share_decoded = blocks_->decoded_cache() != nullptr && touched <= kShareDecodedBlocks;
    cursors_.push_back(std::move(cur));
  }
  if (!ranges_.empty()) position_ = ranges_[0].first;
}

void SliceReader::KeepSample(int64_t rows) {
  const int64_t have = CountRows(ranges_);
  if (rows <= 0 || have <= rows) return;
  // Row k of the sample is the (k·have/rows)-th surviving row: ranges_ is walked once.
  std::vector<std::pair<int64_t, int64_t>> kept;
  kept.reserve(static_cast<size_t>(rows));
  size_t r = 0;
  int64_t before = 0;  // surviving rows in ranges_[0 .. r)
  for (int64_t k = 0; k < rows; ++k) {
    const int64_t target = static_cast<int64_t>(static_cast<__int128>(k) * have / rows);
    while (r < ranges_.size() && before + (ranges_[r].second - ranges_[r].first) <= target) {
      before += ranges_[r].second - ranges_[r].first;
      ++r;
    }
    if (r == ranges_.size()) break;
    const int64_t row = ranges_[r].first + (target - before);
    if (!kept.empty() && kept.back().second == row) {
      ++kept.back().second;
    } else {
      kept.push_back({row, row + 1});
    }
  }
  ranges_ = std::move(kept);
  range_index_ = 0;
  position_ = ranges_.empty() ? 0 : ranges_[0].first;
}

void SliceReader::CopyRows(size_t i, int64_t begin, int64_t end, Vector* dst) {
  Cursor& cur = cursors_[i];
  if (cur.chain == nullptr) {  // kRowIdColumn
    size_t base = dst->size();
    dst->Resize(base + static_cast<size_t>(end - begin));
    int64_t* ids = dst->data<int64_t>() + base;
    int64_t slice_bits = static_cast<int64_t>(manifest_->slice()) << kRowIdSliceShift;
    for (int64_t r = begin; r < end; ++r) ids[r - begin] = slice_bits | r;
    std::memset(dst->nulls() + base, 0, static_cast<size_t>(end - begin));
    return;
  }
  const auto& chain = cur.chain->blocks();
  while (begin < end) {
    while (chain[cur.block].first_row() + chain[cur.block].rows() <= begin) ++cur.block;
    const storage::BlockRef& ref = chain[cur.block];
    if (cur.decoded_block != cur.block) {
      OpenBlockOf(i, cur);
      cur.decoded_block = cur.block;
      ++blocks_read_;
      bytes_read_ += ref.byte_size();
    }
    int64_t stop = std::min(end, ref.first_row() + ref.rows());
    if (cur.decoder != nullptr) {
      const size_t from = static_cast<size_t>(begin - ref.first_row()), to = static_cast<size_t>(stop - ref.first_row());
      const size_t base = dst->size();
      dst->ResizeForOverwrite(base + (to - from));
      cur.decoder->Read(from, to, dst, base);
      uint8_t* nulls = dst->nulls() + base;
      if (cur.null_bitmap.empty()) {
        std::memset(nulls, 0, to - from);
      } else {
        const auto* bits = reinterpret_cast<const uint8_t*>(cur.null_bitmap.data());
        for (size_t r = from; r < to; ++r) nulls[r - from] = (bits[r / 8] >> (r % 8)) & 1;
      }
    } else {
      AppendRowRange(cur.shared ? *cur.shared : cur.values, begin - ref.first_row(), stop - ref.first_row(), dst,
                     /*copy_strings=*/false);
    }
    begin = stop;
  }
}

void SliceReader::OpenBlockOf(size_t i, Cursor& cur) {
  const storage::BlockRef& ref = cur.chain->blocks()[cur.block];
  cur.decoder.reset();
  cur.shared.reset();
  cur.null_bitmap = {};
  if (cur.values.physical() == PhysicalType::kString) {
    if (std::shared_ptr<const Vector> hit = cur.share_decoded ? blocks_->FindDecoded(ref.id()) : nullptr;
        hit != nullptr && hit->type() == cur.values.type() && static_cast<int64_t>(hit->size()) == ref.rows()) {
      cur.shared = std::move(hit);
      return;
    }
    cur.values = Vector(cur.values.type());  // drop the previous block's heap
  } else {
    cur.values.Clear();
  }
  try {
    cur.bytes = blocks_->GetShared(ref.id());
    const PhysicalType physical = cur.values.physical();
    if (physical != PhysicalType::kString) {
      OpenedBlock b = OpenBlock(*cur.bytes, &cur.scratch, PayloadCheck::kVerifiedById);
      if (b.header.physical_type() != static_cast<uint32_t>(physical)) {
        STRATA_USER_ERROR(sqlstate::kDataCorrupted, "block holds physical type ", b.header.physical_type(), ", expected ",
                          static_cast<int>(physical));
      }
      if (!b.v1) {
        cur.decoder = OpenRangeDecoder(static_cast<Encoding>(b.header.encoding()), b.values, b.header.row_count(), physical);
      }
      if (cur.decoder != nullptr) {
        if (static_cast<int64_t>(b.header.row_count()) != ref.rows()) {
          STRATA_USER_ERROR(sqlstate::kDataCorrupted, "block ", ref.id(), " holds ", b.header.row_count(),
                            " rows, its manifest says ", ref.rows());
        }
        cur.null_bitmap = b.null_bitmap;
        return;
      }
    }
    DecodeBlock(*cur.bytes, &cur.values, PayloadCheck::kVerifiedById);
    // Decoded whole (strings copied into the vector's heap): the file's bytes are not kept.
    cur.bytes.reset();
    std::string().swap(cur.scratch);
  } catch (const SqlError& e) {
    if (e.sqlstate() != sqlstate::kDataCorrupted) throw;
    std::string column = i < column_names_.size() ? column_names_[i] : StrCat("#", columns_[i] + 1);
    std::string table = table_name_.empty() ? StrCat(manifest_->table_id()) : table_name_;
    throw SqlError(sqlstate::kDataCorrupted, StrCat("block ", ref.id(), " of column \"", column, "\" of table \"",
                                                    table, "\" (slice ", manifest_->slice(), ") is corrupted"))
        .WithDetail(e.message());
  }
  if (static_cast<int64_t>(cur.values.size()) != ref.rows()) {
    STRATA_USER_ERROR(sqlstate::kDataCorrupted, "block ", ref.id(), " holds ", cur.values.size(),
                      " rows, its manifest says ", ref.rows());
  }
  if (cur.values.physical() == PhysicalType::kString && cur.share_decoded) {
    // Shared from here on: the cache and this cursor read it, nobody changes it.
    cur.shared = std::make_shared<const Vector>(std::move(cur.values));
    cur.values = Vector(cur.shared->type());
    blocks_->KeepDecoded(ref.id(), cur.shared);
  }
}

void SliceReader::ResetBatch(Batch* out) {
  if (out->columns.size() != columns_.size()) out->columns.assign(columns_.size(), Vector());
  for (size_t i = 0; i < columns_.size(); ++i) {
    Vector& v = out->columns[i];
    const SqlType& t = types_[i];
    // A fresh string vector drops the heaps of the blocks the previous batch pointed into.
    if (v.type() != t || t.physical() == PhysicalType::kString) {
      v = Vector(t);
    } else {
      v.Clear();
    }
  }
  out->rows = 0;
}

size_t SliceReader::TakeBatchPieces() {
  pieces_.clear();
  size_t rows = 0;
  while (rows < kBatchSize && range_index_ < ranges_.size()) {
    int64_t range_end = ranges_[range_index_].second;
    int64_t n = std::min<int64_t>(static_cast<int64_t>(kBatchSize - rows), range_end - position_);
    pieces_.emplace_back(position_, position_ + n);
    position_ += n;
    rows += static_cast<size_t>(n);
    if (position_ == range_end && ++range_index_ < ranges_.size()) position_ = ranges_[range_index_].first;
  }
  return rows;
}

bool SliceReader::Next(Batch* out) {
  ResetBatch(out);
  const size_t rows = TakeBatchPieces();
  for (const auto& [b, e] : pieces_) {
    for (size_t i = 0; i < columns_.size(); ++i) CopyRows(i, b, e, &out->columns[i]);
  }
  out->rows = rows;
  rows_returned_ += static_cast<int64_t>(rows);
  return rows > 0;
}

bool SliceReader::NextFiltered(Batch* out, const std::vector<int>& filter_columns, const RowFilter& keep) {
  // Kept rows up to this share of the batch are read run by run; above it, whole pieces are
  // decoded and the kept rows picked (a call per run costs about what decoding 16 rows does).
  constexpr size_t kGatherDivisor = 16;
  ResetBatch(out);
  const size_t rows = TakeBatchPieces();
  if (rows == 0) return false;
  rows_returned_ += static_cast<int64_t>(rows);
  is_filter_column_.assign(columns_.size(), 0);
  for (int c : filter_columns) {
    if (c < 0 || c >= static_cast<int>(columns_.size())) STRATA_INTERNAL_ERROR("row filter on column ", c);
    if (is_filter_column_[c]) continue;
    is_filter_column_[c] = 1;
    for (const auto& [b, e] : pieces_) CopyRows(c, b, e, &out->columns[c]);
  }
  out->rows = rows;
  sel_.clear();
  const size_t kept = keep(*out, &sel_);
  if (kept > rows) STRATA_INTERNAL_ERROR("row filter kept ", kept, " of ", rows, " rows");
  if (kept == rows) {
    for (const auto& [b, e] : pieces_) {
      for (size_t i = 0; i < columns_.size(); ++i) {
        if (!is_filter_column_[i]) CopyRows(i, b, e, &out->columns[i]);
      }
    }
    return true;
  }
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (!is_filter_column_[i]) continue;
    Vector picked(types_[i]);
    picked.AppendSelected(out->columns[i], sel_.data(), kept);
    out->columns[i] = std::move(picked);
  }
  out->rows = kept;
  if (kept == 0) return true;
  if (kept * kGatherDivisor > rows) {
    whole_.resize(columns_.size());
    for (size_t i = 0; i < columns_.size(); ++i) {
      if (is_filter_column_[i]) continue;
      Vector& all = whole_[i];
      if (all.type() != types_[i] || types_[i].physical() == PhysicalType::kString) {
        all = Vector(types_[i]);
      } else {
        all.Clear();
      }
      for (const auto& [b, e] : pieces_) CopyRows(i, b, e, &all);
      out->columns[i].AppendSelected(all, sel_.data(), kept);
    }
    return true;
  }
  // The kept rows' numbers, as runs of consecutive rows.
  runs_.clear();
  size_t piece = 0;
  int64_t piece_first = 0;  // batch index of pieces_[piece]'s first row
  for (size_t k = 0; k < kept; ++k) {
    const int64_t idx = sel_[k];
    if (idx >= static_cast<int64_t>(rows) || (k > 0 && sel_[k - 1] >= sel_[k])) {
      STRATA_INTERNAL_ERROR("row filter kept rows out of order or range");
    }
    while (idx >= piece_first + (pieces_[piece].second - pieces_[piece].first)) {
      piece_first += pieces_[piece].second - pieces_[piece].first;
      ++piece;
    }
    const int64_t row = pieces_[piece].first + (idx - piece_first);
    if (!runs_.empty() && runs_.back().second == row) {
      ++runs_.back().second;
    } else {
      runs_.emplace_back(row, row + 1);
    }
  }
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (is_filter_column_[i]) continue;
    for (const auto& [b, e] : runs_) CopyRows(i, b, e, &out->columns[i]);
  }
  return true;
}

}  // namespace strata
