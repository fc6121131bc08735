// AppendSlice (ALTER TABLE APPEND on one slice): the target's rows, then the source's, read back
// through SliceReader exactly; columns taken by name mapping, a FILLTARGET column of its value,
// both delete vectors kept (the source's shifted), the sorted region, and a slice the target
// had no version on.
#include <gtest/gtest.h>

#include <filesystem>

#include "executor/append_blocks.h"
#include "planner/expr_builder.h"
#include "storage/delete_vector.h"
#include "storage/slice_reader.h"
#include "storage/slice_writer.h"

namespace strata {
namespace {

class AppendSliceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string base = std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "/tmp";
    std::string tmpl = base + "/strata_append_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    root_ = tmpl;
    store_ = std::make_unique<BlockStore>(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  // `n` rows of (k INT = first + i, v VARCHAR = prefix + k) in the column order `k_first` says,
  // written in small blocks (several per column), with the rows `deleted` deleted.
  storage::SliceManifest Write(int64_t table_id, int n, int first, const std::string& prefix, bool k_first,
                               const std::vector<int64_t>& deleted, SliceWriter::InputOrder order) {
    std::vector<SqlType> types = k_first ? std::vector<SqlType>{SqlType::Int32(), SqlType::Varchar(16)}
                                         : std::vector<SqlType>{SqlType::Varchar(16), SqlType::Int32()};
    SliceWriter w(store_.get(), types, table_id, 3, nullptr);
    w.set_block_target_bytes(2000);
    w.set_input_order(order);
    for (int at = 0; at < n;) {
      int m = std::min<int>(n - at, static_cast<int>(kBatchSize));
      Batch b(types);
      b.SetRows(static_cast<size_t>(m));
      for (int i = 0; i < m; ++i) {
        int k = first + at + i;
        b.columns[k_first ? 0 : 1].data<int32_t>()[i] = k;
        b.columns[k_first ? 1 : 0].SetString(static_cast<size_t>(i), prefix + std::to_string(k));
      }
      w.Append(b);
      at += m;
    }
    storage::SliceManifest m = w.Finish();
    if (!deleted.empty()) {
      RowRanges r = RangesOfRows(deleted);
      m.set_delete_vector_id(store_->Put(SerializeDeleteVector(r)));
      m.set_deleted_rows(CountRows(r));
    }
    return m;
  }

  Batch Read(const storage::SliceManifest& m, const std::vector<SqlType>& types) {
    std::vector<int> cols;
    for (size_t c = 0; c < types.size(); ++c) cols.push_back(static_cast<int>(c));
    SliceReader reader(store_.get(), std::make_shared<const storage::SliceManifest>(m), cols, types, {});
    Batch all(types), b;
    while (reader.Next(&b)) all.AppendAll(b);
    return all;
  }

  std::string root_;
  std::unique_ptr<BlockStore> store_;
};

TEST_F(AppendSliceTest, SourceRowsFollowTheTargetsWithBothDeleteVectors) {
  storage::SliceManifest target = Write(7, 3000, 0, "t", true, {5, 10, 11, 12}, SliceWriter::InputOrder::kSorted);
  storage::SliceManifest source = Write(8, 2500, 3000, "s", false, {0, 2499}, SliceWriter::InputOrder::kSorted);
  ASSERT_GT(target.columns(0).blocks_size(), 1);
  ASSERT_GT(source.columns(1).blocks_size(), 1);
  AppendLayout layout;
  layout.table_id = 7;
  layout.types = {SqlType::Int32(), SqlType::Varchar(16)};
  layout.encodings = {0, 0};
  layout.source_columns = {1, 0};  // by name: k is the source's second column
  layout.fill = {NullLiteral(SqlType::Int32()), NullLiteral(SqlType::Varchar(16))};
  layout.sorted = true;
  storage::SliceManifest m = AppendSlice(store_.get(), layout, 3, &target, source);
  EXPECT_EQ(m.table_id(), 7);
  EXPECT_EQ(m.slice(), 3);
  EXPECT_EQ(m.row_count(), 5500);
  EXPECT_EQ(m.deleted_rows(), 6);
  EXPECT_EQ(m.sorted_rows(), 3000);  // the appended rows are the unsorted tail
  // The source's blocks themselves, not copies.
  ASSERT_EQ(m.columns(0).blocks_size(), target.columns(0).blocks_size() + source.columns(1).blocks_size());
  EXPECT_EQ(m.columns(0).blocks(target.columns(0).blocks_size()).id(), source.columns(1).blocks(0).id());
  EXPECT_EQ(m.columns(0).blocks(target.columns(0).blocks_size()).first_row(), 3000);

  Batch all = Read(m, layout.types);
  ASSERT_EQ(all.rows, 5494u);
  size_t r = 0;
  for (int k = 0; k < 5500; ++k) {
    if (k == 5 || k == 10 || k == 11 || k == 12 || k == 3000 || k == 5499) continue;
    ASSERT_EQ(all.columns[0].data<int32_t>()[r], k) << r;
    ASSERT_EQ(std::string(all.columns[1].data<std::string_view>()[r]), (k < 3000 ? "t" : "s") + std::to_string(k)) << r;
    ++r;
  }
}

TEST_F(AppendSliceTest, FillTargetColumnsTakeTheirValue) {
  storage::SliceManifest target = Write(7, 100, 0, "t", true, {}, SliceWriter::InputOrder::kNoSortKey);
  storage::SliceManifest source = Write(8, 5000, 100, "s", true, {}, SliceWriter::InputOrder::kNoSortKey);
  // The target has a third column (d INT DEFAULT 42) that the source lacks; its existing rows
  // have no such chain here, so the target is given one by writing it first.
  SliceWriter wd(store_.get(), {SqlType::Int32()}, 7, 3, nullptr);
  Batch d({SqlType::Int32()});
  d.SetRows(100);
  for (int i = 0; i < 100; ++i) d.columns[0].data<int32_t>()[i] = -i;
  wd.Append(d);
  *target.add_columns() = wd.Finish().columns(0);
  AppendLayout layout;
  layout.table_id = 7;
  layout.types = {SqlType::Int32(), SqlType::Varchar(16), SqlType::Int32()};
  layout.encodings = {0, 0, 0};
  layout.source_columns = {0, 1, -1};
  layout.fill = {NullLiteral(SqlType::Int32()), NullLiteral(SqlType::Varchar(16)), Int64Literal(42, SqlType::Int32())};
  storage::SliceManifest m = AppendSlice(store_.get(), layout, 3, &target, source);
  EXPECT_EQ(m.row_count(), 5100);
  EXPECT_EQ(m.sorted_rows(), 5100);  // no sort key: everything counts as sorted
  Batch all = Read(m, layout.types);
  ASSERT_EQ(all.rows, 5100u);
  for (size_t i = 0; i < all.rows; ++i) {
    ASSERT_EQ(all.columns[0].data<int32_t>()[i], static_cast<int32_t>(i));
    ASSERT_FALSE(all.columns[2].IsNull(i));
    ASSERT_EQ(all.columns[2].data<int32_t>()[i], i < 100 ? -static_cast<int32_t>(i) : 42) << i;
  }
}

TEST_F(AppendSliceTest, NoTargetVersionTakesTheSourcesRowsAsTheyAre) {
  storage::SliceManifest source = Write(8, 700, 0, "s", true, {3}, SliceWriter::InputOrder::kSorted);
  AppendLayout layout;
  layout.table_id = 7;
  layout.types = {SqlType::Int32(), SqlType::Varchar(16)};
  layout.encodings = {0, 0};
  layout.source_columns = {0, 1};
  layout.fill = {NullLiteral(SqlType::Int32()), NullLiteral(SqlType::Varchar(16))};
  layout.sorted = true;
  storage::SliceManifest m = AppendSlice(store_.get(), layout, 3, nullptr, source);
  EXPECT_EQ(m.table_id(), 7);
  EXPECT_EQ(m.row_count(), 700);
  EXPECT_EQ(m.sorted_rows(), source.sorted_rows());
  EXPECT_EQ(m.deleted_rows(), 1);
  EXPECT_EQ(m.delete_vector_id(), source.delete_vector_id());
  EXPECT_EQ(Read(m, layout.types).rows, 699u);
}

}  // namespace
}  // namespace strata
