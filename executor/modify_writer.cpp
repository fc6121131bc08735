// ModifyWriter: DELETE / UPDATE on one slice (see modify_writer.h).
#include "executor/modify_writer.h"

#include "sql/error.h"
#include "storage/delete_vector.h"
#include "storage/slice_reader.h"

namespace strata {

ModifyWriter::ModifyWriter(BlockStore* blocks, std::vector<SqlType> types, int64_t table_id, int slice,
                           std::shared_ptr<const storage::SliceManifest> base, SliceWriter::InputOrder order,
                           std::vector<int> encodings, bool merge)
    : blocks_(blocks), slice_(slice), base_(base), merge_(merge) {
  if (types.empty()) return;
  writer_ = std::make_unique<SliceWriter>(blocks, std::move(types), table_id, slice, base);
  writer_->set_input_order(order);
  writer_->set_encodings(encodings);
}

void ModifyWriter::Append(const Batch& b) {
  if (b.columns.size() < 2) STRATA_INTERNAL_ERROR("a modify stream needs a row id and an insert flag");
  const Vector& ids = b.columns[0];
  const Vector& insert = b.columns[1];
  int64_t base_rows = base_ ? base_->row_count() : 0;
  std::vector<uint32_t> inserted;
  for (size_t r = 0; r < b.rows; ++r) {
    bool inserts = writer_ && !insert.IsNull(r) && insert.data<uint8_t>()[r];
    if (!ids.IsNull(r)) {
      int64_t id = ids.data<int64_t>()[r];
      int64_t row = id & ((int64_t{1} << kRowIdSliceShift) - 1);
      if ((id >> kRowIdSliceShift) != slice_) {
        if (!inserts) STRATA_INTERNAL_ERROR("row id ", id, " to delete does not belong to slice ", slice_);
        // Moved here: one new version however often the stream names it (see the header).
        if (moved_in_.insert(id).second) inserted.push_back(static_cast<uint32_t>(r));
        continue;
      }
      if (row >= base_rows) STRATA_INTERNAL_ERROR("row id ", id, " is past the ", base_rows, " rows of slice ", slice_);
      if (merge_) {
        if (touched_.empty()) touched_.assign(static_cast<size_t>(base_rows), false);
        if (touched_[static_cast<size_t>(row)]) {
          throw SqlError(sqlstate::kCardinalityViolation, "MERGE command cannot affect row a second time")
              .WithHint("Ensure that not more than one source row matches any one target row.");
        }
        touched_[static_cast<size_t>(row)] = true;
        ++merged_;
      }
      row_ids_.push_back(row);
      if (inserts) {
        // UPDATE ... FROM joining a row several times: as in PostgreSQL, one new version.
        if (updated_.empty()) updated_.assign(static_cast<size_t>(base_rows), false);
        if (updated_[static_cast<size_t>(row)]) continue;
        updated_[static_cast<size_t>(row)] = true;
      }
    } else if (inserts && merge_) {
      ++merged_;
    }
    if (inserts) inserted.push_back(static_cast<uint32_t>(r));
  }
  if (inserted.empty() || !writer_) return;
  Batch values;
  for (size_t c = 2; c < b.columns.size(); ++c) values.columns.emplace_back(b.columns[c].type());
  for (size_t c = 2; c < b.columns.size(); ++c) values.columns[c - 2].AppendSelected(b.columns[c], inserted.data(), inserted.size());
  values.rows = inserted.size();
  writer_->Append(values);
}

storage::SliceManifest ModifyWriter::Finish() {
  storage::SliceManifest m;
  if (writer_) {
    m = writer_->Finish();
  } else if (base_) {
    m = *base_;
  }
  RowRanges deleted = RangesOfRows(std::move(row_ids_));
  if (!deleted.empty()) {
    RowRanges all = deleted;
    if (base_ && !base_->delete_vector_id().empty()) {
      RowRanges before = ParseDeleteVector(blocks_->Get(base_->delete_vector_id()));
      all = UnionRanges(before, deleted);
      // Rows deleted twice (an UPDATE joining a row twice) count once; rows already gone do not count.
      deleted_ = CountRows(SubtractRanges(deleted, before));
    } else {
      deleted_ = CountRows(deleted);
    }
    m.set_delete_vector_id(blocks_->Put(SerializeDeleteVector(all)));
    m.set_deleted_rows(CountRows(all));
  }
  return m;
}

}  // namespace strata
