// Vector's arrays (sql/vector.h over sql/byte_buffer.h): growth does not zero what a caller
// overwrites (ResizeForOverwrite), while Resize still gives NULL-flag 0 and value 0 for every
// new row -- rows the arrays held before as well as rows they grow by -- and copies hold
// exactly size() rows.
#include "sql/vector.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace strata {
namespace {

TEST(Vector, ResizeZeroesEveryNewRowAfterOverwrites) {
  Vector v(SqlType::Int64());
  // Fill rows with non-zero values and flags, shrink, then grow again past them and past the
  // arrays' old size: every new row must read 0 / not NULL.
  v.ResizeForOverwrite(1000);
  for (size_t i = 0; i < 1000; ++i) {
    v.data<int64_t>()[i] = static_cast<int64_t>(i) + 7;
    v.SetNull(i, true);
  }
  v.Resize(10);
  v.Resize(5000);
  for (size_t i = 10; i < 5000; ++i) {
    ASSERT_EQ(v.data<int64_t>()[i], 0) << i;
    ASSERT_FALSE(v.IsNull(i)) << i;
  }
  for (size_t i = 0; i < 10; ++i) EXPECT_EQ(v.data<int64_t>()[i], static_cast<int64_t>(i) + 7);
}

TEST(Vector, OverwrittenGrowthKeepsEarlierRowsAndCopiesHoldSizeRows) {
  Vector v(SqlType::Int32());
  for (int round = 0; round < 20; ++round) {  // growth by many reallocations keeps the rows
    size_t base = v.size();
    v.ResizeForOverwrite(base + 333);
    for (size_t i = 0; i < 333; ++i) {
      v.data<int32_t>()[base + i] = static_cast<int32_t>(base + i);
      v.SetNull(base + i, (base + i) % 5 == 0);
    }
  }
  ASSERT_EQ(v.size(), 20u * 333);
  for (size_t i = 0; i < v.size(); ++i) {
    ASSERT_EQ(v.data<int32_t>()[i], static_cast<int32_t>(i));
    ASSERT_EQ(v.IsNull(i), i % 5 == 0);
  }
  Vector copy = v;
  EXPECT_EQ(copy.size(), v.size());
  EXPECT_EQ(copy.EstimatedBytes() <= v.EstimatedBytes(), true);
  for (size_t i = 0; i < copy.size(); ++i) ASSERT_EQ(copy.data<int32_t>()[i], static_cast<int32_t>(i));
  Vector moved = std::move(copy);
  EXPECT_EQ(moved.size(), v.size());
  EXPECT_EQ(moved.data<int32_t>()[100], 100);
  Vector assigned(SqlType::Int32());
  assigned = moved;
  EXPECT_TRUE(assigned.HasNulls());
  EXPECT_EQ(assigned.data<int32_t>()[v.size() - 1], static_cast<int32_t>(v.size() - 1));
}

}  // namespace
}  // namespace strata
