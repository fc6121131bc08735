// Tests of executor/distinct_sketch: exact while small, within a few standard errors when large
// (over several cardinalities and hash seeds), merges that equal the sketch of the union, and
// serialized states that round-trip or are refused when malformed.
#include "executor/distinct_sketch.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "sql/error.h"

namespace strata {
namespace {

// A well-mixed hash of i (splitmix64), different per seed.
uint64_t HashOf(uint64_t i, uint64_t seed = 0) {
  uint64_t z = i * 0x9e3779b97f4a7c15ULL + seed * 0xd1b54a32d192ed03ULL + 1;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

TEST(DistinctSketch, ExactWhileSparse) {
  DistinctSketch s;
  EXPECT_EQ(s.Estimate(), 0);
  for (int round = 0; round < 3; ++round) {  // duplicates do not count
    for (uint64_t i = 0; i < 2000; ++i) s.Add(HashOf(i));
  }
  EXPECT_EQ(s.Estimate(), 2000);
  EXPECT_LE(s.Bytes(), 64 * 1024);
}

TEST(DistinctSketch, LargeCountsWithinFourStandardErrors) {
  // Standard error 1.04 / sqrt(2^14) = 0.81%.
  for (uint64_t n : {3000ULL, 20000ULL, 150000ULL, 1000000ULL, 5000000ULL}) {
    for (uint64_t seed : {1ULL, 2ULL}) {
      DistinctSketch s;
      for (uint64_t i = 0; i < n; ++i) s.Add(HashOf(i, seed));
      double error = std::abs(static_cast<double>(s.Estimate()) - static_cast<double>(n)) / static_cast<double>(n);
      EXPECT_LT(error, 4 * 0.0081) << n << " values, seed " << seed << ": estimate " << s.Estimate();
    }
  }
}

TEST(DistinctSketch, MergeEqualsTheUnion) {
  for (uint64_t n : {1500ULL, 400000ULL}) {
    DistinctSketch whole, parts[3], merged;
    for (uint64_t i = 0; i < n; ++i) {
      whole.Add(HashOf(i));
      parts[i % 3].Add(HashOf(i));
      parts[(i + 1) % 3].Add(HashOf(i));  // overlapping parts
    }
    for (auto& p : parts) merged.Merge(p.Serialize());
    EXPECT_EQ(merged.Estimate(), whole.Estimate()) << n;
    EXPECT_EQ(merged.Serialize(), whole.Serialize()) << n;
  }
  // A dense sketch merged into a sparse one, and the other way round.
  DistinctSketch small, big;
  for (uint64_t i = 0; i < 100; ++i) small.Add(HashOf(i + 1000000));
  for (uint64_t i = 0; i < 100000; ++i) big.Add(HashOf(i));
  DistinctSketch a = small, b = big;
  a.Merge(big.Serialize());
  b.Merge(small.Serialize());
  EXPECT_EQ(a.Serialize(), b.Serialize());
}

TEST(DistinctSketch, RefusesMalformedStates) {
  DistinctSketch s;
  EXPECT_THROW(s.Merge(std::string("X")), SqlError);
  EXPECT_THROW(s.Merge(std::string("S1234")), SqlError);  // not a whole number of hashes
  EXPECT_THROW(s.Merge(std::string("D") + std::string(10, '\0')), SqlError);
  std::string bad(1 + DistinctSketch::kRegisters, '\1');
  bad[0] = 'D';
  bad[5] = 99;  // above any rank
  EXPECT_THROW(s.Merge(bad), SqlError);
  s.Merge(std::string());  // an empty state is an empty sketch
  EXPECT_EQ(s.Estimate(), 0);
}

}  // namespace
}  // namespace strata
