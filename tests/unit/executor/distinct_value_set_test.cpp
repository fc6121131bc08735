// DistinctValueSet against std::set: the same pairs are new, through growth, with values that
// collide in their low bits and groups that share values.
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <utility>

#include "executor/distinct_value_set.h"

namespace strata {
namespace {

TEST(DistinctValueSet, NewPairsAreThoseAStdSetAddsToo) {
  std::mt19937_64 rng(16);
  DistinctValueSet set;
  std::set<std::pair<uint32_t, int64_t>> reference;
  for (int i = 0; i < 300000; ++i) {
    const uint32_t group = static_cast<uint32_t>(rng() % 97);
    int64_t value = static_cast<int64_t>(rng() % 5000);
    if (i % 3 == 0) value = static_cast<int64_t>(rng()) << 20;  // low bits all zero
    if (i % 11 == 0) value = -value;
    const bool expect = reference.insert({group, value}).second;
    ASSERT_EQ(set.Insert(group, value), expect) << i;
  }
  EXPECT_EQ(set.size(), reference.size());
  EXPECT_GE(set.Bytes(), static_cast<int64_t>(2 * reference.size() * 12));
  set.Clear();
  EXPECT_EQ(set.size(), 0u);
  EXPECT_EQ(set.Bytes(), 0);
  EXPECT_TRUE(set.Insert(0, INT64_MIN));
  EXPECT_FALSE(set.Insert(0, INT64_MIN));
  EXPECT_TRUE(set.Insert(UINT32_MAX - 1, INT64_MAX));
}

}  // namespace
}  // namespace strata
