// ALTER TABLE APPEND on one slice (see append_blocks.h).
#include "executor/append_blocks.h"

#include "executor/expression.h"
#include "sql/error.h"
#include "storage/delete_vector.h"
#include "storage/slice_writer.h"

namespace strata {
namespace {

// `rows` rows of `value` (an expression over no columns) as a new chain of blocks from row 0.
storage::ColumnChain FilledChain(BlockStore* blocks, const AppendLayout& layout, int c, int slice, int64_t rows) {
  SliceWriter writer(blocks, {layout.types[c]}, layout.table_id, slice, nullptr);
  writer.set_encodings({layout.encodings.at(c)});
  ExpressionEvaluator value(layout.fill.at(c));
  for (int64_t done = 0; done < rows;) {
    size_t n = static_cast<size_t>(std::min<int64_t>(rows - done, static_cast<int64_t>(kBatchSize)));
    Batch none;
    none.rows = n;
    Batch one;
    one.columns.emplace_back(layout.types[c]);
    value.Evaluate(none, &one.columns[0]);
    one.rows = n;
    writer.Append(one);
    done += static_cast<int64_t>(n);
  }
  storage::SliceManifest m = writer.Finish();
  return m.columns_size() > 0 ? m.columns(0) : storage::ColumnChain();
}

}  // namespace

storage::SliceManifest AppendSlice(BlockStore* blocks, const AppendLayout& layout, int slice,
                                   const storage::SliceManifest* target, const storage::SliceManifest& source) {
  const int ncols = static_cast<int>(layout.types.size());
  if (target != nullptr && target->columns_size() != ncols) {
    STRATA_INTERNAL_ERROR("the target's version on slice ", slice, " has ", target->columns_size(), " columns, not ", ncols);
  }
  const int64_t base = target != nullptr ? target->row_count() : 0;
  const int64_t rows = source.row_count();
  storage::SliceManifest m;
  m.set_table_id(layout.table_id);
  m.set_slice(slice);
  m.set_row_count(base + rows);
  for (int c = 0; c < ncols; ++c) {
    storage::ColumnChain* chain = m.add_columns();
    if (target != nullptr) *chain = target->columns(c);
    int from = layout.source_columns.at(c);
    if (from >= source.columns_size()) STRATA_INTERNAL_ERROR("the source has no column ", from, " on slice ", slice);
    storage::ColumnChain moved = from >= 0 ? source.columns(from) : FilledChain(blocks, layout, c, slice, rows);
    for (storage::BlockRef ref : moved.blocks()) {
      ref.set_first_row(ref.first_row() + base);
      *chain->add_blocks() = std::move(ref);
    }
  }
  // Onto no rows, the source's sorted region stays sorted (both tables have the same sort key).
  if (!layout.sorted) m.set_sorted_rows(base + rows);
  else m.set_sorted_rows(base == 0 ? source.sorted_rows() : target->sorted_rows());
  RowRanges deleted;
  if (target != nullptr && !target->delete_vector_id().empty()) deleted = ParseDeleteVector(blocks->Get(target->delete_vector_id()));
  if (!source.delete_vector_id().empty()) {
    RowRanges shifted = ParseDeleteVector(blocks->Get(source.delete_vector_id()));
    for (auto& [begin, end] : shifted) {
      begin += base;
      end += base;
    }
    deleted = UnionRanges(deleted, shifted);
  }
  if (!deleted.empty()) {
    m.set_delete_vector_id(blocks->Put(SerializeDeleteVector(deleted)));
    m.set_deleted_rows(CountRows(deleted));
  }
  return m;
}

}  // namespace strata
