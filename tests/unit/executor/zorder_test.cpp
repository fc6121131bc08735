// Z-order values for INTERLEAVED SORTKEY (executor/zorder.h): exact Morton codes on a grid,
// rank order for one key, ties and NULLs, strings (CHAR padding), doubles (NaN, -0.0), eight
// keys of eight physical types, and the Sort operator's zorder mode end to end.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include "executor/sort_operator.h"
#include "executor/zorder.h"
#include "tests/unit/executor/batch_source.h"
#include "planner/expr_builder.h"

namespace strata {
namespace {

// Interleaves the low `bits` bits of x and y, x's bit first in each pair.
uint64_t Morton2(uint64_t x, uint64_t y, unsigned bits) {
  uint64_t z = 0;
  for (unsigned t = 0; t < bits; ++t) {
    z |= ((x >> t) & 1) << (2 * t + 1);
    z |= ((y >> t) & 1) << (2 * t);
  }
  return z;
}

Vector Int64Column(const std::vector<int64_t>& values) {
  Vector v(SqlType::Int64(), values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    v.data<int64_t>()[i] = values[i];
    v.SetNull(i, false);
  }
  return v;
}

std::vector<uint64_t> Z(const std::vector<Vector>& keys) {
  std::vector<uint64_t> z;
  ZOrderValues(keys, &z);
  return z;
}

TEST(ZOrder, TwoKeyGridFollowsMortonOrderWhateverTheValues) {
  // 16 x 16 grid in shuffled row order; the values are skewed (cubes, a huge outlier), but only
  // their ranks count, so z is exactly the 8-bit Morton code of (i, j) in the top bits.
  std::vector<std::pair<int, int>> cells;
  for (int i = 0; i < 16; ++i)
    for (int j = 0; j < 16; ++j) cells.emplace_back(i, j);
  std::shuffle(cells.begin(), cells.end(), std::mt19937(7));
  std::vector<int64_t> a, b;
  for (auto [i, j] : cells) {
    a.push_back(i == 15 ? int64_t{1} << 60 : int64_t{i} * i * i - 1000);
    b.push_back(-7 * j);  // descending values: rank of j is 15 - j
  }
  auto z = Z({Int64Column(a), Int64Column(b)});
  ASSERT_EQ(z.size(), 256u);
  for (size_t r = 0; r < cells.size(); ++r) {
    auto [i, j] = cells[r];
    EXPECT_EQ(z[r], Morton2(i, 15 - j, 4) << 56) << i << "," << j;
  }
  // Sorted by z the rows walk the grid along the Morton curve: every aligned 4 x 4 quadrant is
  // one run of 16 consecutive rows.
  std::vector<size_t> order(z.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) { return z[x] < z[y]; });
  for (size_t run = 0; run < 16; ++run) {
    int qi = cells[order[run * 16]].first / 4, qj = (15 - cells[order[run * 16]].second) / 4;
    for (size_t r = run * 16; r < run * 16 + 16; ++r) {
      EXPECT_EQ(cells[order[r]].first / 4, qi);
      EXPECT_EQ((15 - cells[order[r]].second) / 4, qj);
    }
  }
}

TEST(ZOrder, OneKeyIsRankOrderAndTiesShareAValue) {
  auto z = Z({Int64Column({50, -3, 7, 7, 100})});
  // Ranks 3 0 1 1 4 of n = 5, scaled to 64 bits: rank * 2^64 / 5.
  auto scaled = [](uint64_t rank) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(rank) << 64) / 5);
  };
  EXPECT_EQ(z, (std::vector<uint64_t>{scaled(3), scaled(0), scaled(1), scaled(1), scaled(4)}));
  EXPECT_LT(z[1], z[2]);
  EXPECT_LT(z[3], z[0]);
  EXPECT_LT(z[0], z[4]);
  // Identical rows get identical z-values with several keys too.
  auto z2 = Z({Int64Column({4, 1, 4, 4}), Int64Column({9, 9, 9, 2})});
  EXPECT_EQ(z2[0], z2[2]);
  EXPECT_NE(z2[0], z2[3]);
}

TEST(ZOrder, NullsRankLast) {
  Vector v(SqlType::Int32(), 6);
  int32_t values[] = {5, 0, -2, 0, 9, 0};
  bool nulls[] = {false, true, false, true, false, false};
  for (int i = 0; i < 6; ++i) {
    v.data<int32_t>()[i] = values[i];
    v.SetNull(i, nulls[i]);
  }
  std::vector<uint64_t> ranks;
  QuantileRanks(v, &ranks);
  EXPECT_EQ(ranks, (std::vector<uint64_t>{2, 4, 0, 4, 3, 1}));
  auto z = Z({v});
  uint64_t max_non_null = std::max({z[0], z[2], z[4], z[5]});
  EXPECT_GT(z[1], max_non_null);
  EXPECT_EQ(z[1], z[3]);
}

TEST(ZOrder, StringsCompareLikeOrderByAndCharIgnoresPadding) {
  Vector varchar(SqlType::Varchar(10), 4);
  const char* words[] = {"pear", "apple", "banana", "apple "};
  for (int i = 0; i < 4; ++i) {
    varchar.SetString(i, words[i]);
    varchar.SetNull(i, false);
  }
  std::vector<uint64_t> ranks;
  QuantileRanks(varchar, &ranks);
  EXPECT_EQ(ranks, (std::vector<uint64_t>{3, 0, 2, 1}));  // VARCHAR keeps the trailing space

  Vector chr(SqlType::Char(6), 4);
  for (int i = 0; i < 4; ++i) {
    chr.SetString(i, words[i]);
    chr.SetNull(i, false);
  }
  QuantileRanks(chr, &ranks);
  EXPECT_EQ(ranks, (std::vector<uint64_t>{3, 0, 2, 0}));  // CHAR: "apple " = "apple"
}

TEST(ZOrder, DoublesOrderNegativesZeroInfinityAndNaN) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> values = {nan, 2.5, -0.0, -inf, 0.0, inf, -1e300, nan};
  Vector v(SqlType::Float64(), values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    v.data<double>()[i] = values[i];
    v.SetNull(i, false);
  }
  std::vector<uint64_t> ranks;
  QuantileRanks(v, &ranks);
  EXPECT_EQ(ranks, (std::vector<uint64_t>{6, 4, 2, 0, 2, 5, 1, 6}));
}

TEST(ZOrder, EightKeysOfEightTypesGetEightBitsEach) {
  // Row r has bit j of r in key j (two values per key, 128 rows each), so key j's scaled rank
  // is 0 or 128 and its top bit lands at z bit 63 - j.
  std::vector<Vector> keys = {Vector(SqlType::Int16(), 256),     Vector(SqlType::Int32(), 256),
                              Vector(SqlType::Int64(), 256),     Vector(SqlType::Decimal(30, 2), 256),
                              Vector(SqlType::Float32(), 256),   Vector(SqlType::Float64(), 256),
                              Vector(SqlType::Bool(), 256),      Vector(SqlType::Text(), 256)};
  for (size_t r = 0; r < 256; ++r) {
    auto bit = [&](int j) { return static_cast<int>((r >> j) & 1); };
    keys[0].data<int16_t>()[r] = static_cast<int16_t>(bit(0) ? 300 : -300);
    keys[1].data<int32_t>()[r] = bit(1);
    keys[2].data<int64_t>()[r] = bit(2) ? 1 : -1;
    keys[3].data<int128>()[r] = bit(3) ? int128{1} << 100 : int128{0};
    keys[4].data<float>()[r] = bit(4) ? 1.5f : -1.5f;
    keys[5].data<double>()[r] = bit(5) ? 1e10 : 1e-10;
    keys[6].data<uint8_t>()[r] = static_cast<uint8_t>(bit(6));
    keys[7].SetString(r, bit(7) ? "zz" : "za");
    for (auto& k : keys) k.SetNull(r, false);
  }
  auto z = Z(keys);
  for (size_t r = 0; r < 256; ++r) {
    uint64_t expect = 0;
    for (int j = 0; j < 8; ++j) expect |= static_cast<uint64_t>((r >> j) & 1) << (63 - j);
    ASSERT_EQ(z[r], expect) << r;
  }
}

TEST(ZOrder, SortOperatorEmitsRowsInZOrder) {
  // 8 x 8 grid fed in row-major order across two batches; the z-ordered output visits each
  // 2 x 2 quadrant as four consecutive rows, then the next, along the Morton curve.
  std::vector<Batch> input;
  for (int half = 0; half < 2; ++half) {
    Batch b({SqlType::Int32(), SqlType::Int32()});
    b.SetRows(32);
    for (int r = 0; r < 32; ++r) {
      int cell = half * 32 + r;
      b.columns[0].data<int32_t>()[r] = cell / 8;
      b.columns[1].data<int32_t>()[r] = cell % 8;
      b.columns[0].SetNull(r, false);
      b.columns[1].SetNull(r, false);
    }
    input.push_back(std::move(b));
  }
  plan::Sort s;
  for (int c = 0; c < 2; ++c) {
    auto* k = s.add_keys();
    *k->mutable_expr() = ColumnExpr(c, SqlType::Int32());
    k->set_desc(c == 1);  // ignored in z-order mode
  }
  s.set_limit(-1);
  s.set_zorder(true);

  auto op = MakeSort(s, std::make_unique<BatchSource>(std::move(input)), {SqlType::Int32(), SqlType::Int32()});
  std::vector<uint64_t> codes;
  Batch out;
  while (op->Next(&out)) {
    for (size_t r = 0; r < out.rows; ++r) {
      codes.push_back(Morton2(out.columns[0].data<int32_t>()[r], out.columns[1].data<int32_t>()[r], 3));
    }
  }
  std::vector<uint64_t> expect(64);
  std::iota(expect.begin(), expect.end(), 0);
  EXPECT_EQ(codes, expect);
}

}  // namespace
}  // namespace strata
