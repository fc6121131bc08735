// Zone maps: exact values per physical type, the stv_blocklist BIGINT view, and pruning that
// skips what it can and never skips a block holding a matching row (checked by brute force).
#include "storage/zone_map.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

namespace strata {
namespace {

using Cmp = ZonePredicate::Cmp;
constexpr Cmp kAllCmps[] = {Cmp::kEq, Cmp::kLt, Cmp::kLe, Cmp::kGt, Cmp::kGe};

template <typename T>
bool Compare(const T& a, Cmp cmp, const T& b) {
  switch (cmp) {
    case Cmp::kEq: return a == b;
    case Cmp::kLt: return a < b;
    case Cmp::kLe: return a <= b;
    case Cmp::kGt: return a > b;
    case Cmp::kGe: return a >= b;
  }
  return false;
}

ZonePredicate Pred(Cmp cmp, int64_t v) {
  ZonePredicate p;
  p.cmp = cmp;
  p.i64 = v;
  return p;
}

TEST(ZoneMap, IntegersAndNulls) {
  Vector v(SqlType::Int32(), 5);
  int32_t vals[] = {7, -3, 0, 12, 99};
  for (int i = 0; i < 5; ++i) v.data<int32_t>()[i] = vals[i];
  v.SetNull(4, true);
  storage::ZoneMap z;
  ComputeZoneMap(v, 0, 5, &z);
  EXPECT_EQ(z.kind(), storage::ZONE_INT64);
  EXPECT_EQ(z.min_i64(), -3);
  EXPECT_EQ(z.max_i64(), 12);
  EXPECT_EQ(z.null_count(), 1);
  EXPECT_EQ(ZoneMapAsBigint(z, false), -3);
  EXPECT_EQ(ZoneMapAsBigint(z, true), 12);

  SqlType t = SqlType::Int32();
  EXPECT_FALSE(ZoneMayMatch(z, t, Pred(Cmp::kEq, -4)));
  EXPECT_TRUE(ZoneMayMatch(z, t, Pred(Cmp::kEq, -3)));
  EXPECT_TRUE(ZoneMayMatch(z, t, Pred(Cmp::kEq, 12)));
  EXPECT_FALSE(ZoneMayMatch(z, t, Pred(Cmp::kEq, 13)));
  EXPECT_FALSE(ZoneMayMatch(z, t, Pred(Cmp::kLt, -3)));
  EXPECT_TRUE(ZoneMayMatch(z, t, Pred(Cmp::kLe, -3)));
  EXPECT_FALSE(ZoneMayMatch(z, t, Pred(Cmp::kGt, 12)));
  EXPECT_TRUE(ZoneMayMatch(z, t, Pred(Cmp::kGe, 12)));
  EXPECT_FALSE(ZoneMayMatch(z, t, Pred(Cmp::kGt, 99)));  // 99 is NULL

  ComputeZoneMap(v, 4, 5, &z);  // only the NULL
  EXPECT_EQ(z.kind(), storage::ZONE_NONE);
  for (Cmp c : kAllCmps) EXPECT_FALSE(ZoneMayMatch(z, t, Pred(c, 0)));
  EXPECT_EQ(ZoneMapAsBigint(z, true), 0);
}

TEST(ZoneMap, WideDecimalsClampForBigint) {
  Vector v(SqlType::Decimal(38, 0), 2);
  int128 big = Pow10(30);
  v.data<int128>()[0] = -big;
  v.data<int128>()[1] = big + 5;
  storage::ZoneMap z;
  ComputeZoneMap(v, 0, 2, &z);
  EXPECT_EQ(z.kind(), storage::ZONE_INT128);
  EXPECT_TRUE(Int128FromBytes(z.min_i128()) == -big);
  EXPECT_TRUE(Int128FromBytes(z.max_i128()) == big + 5);
  EXPECT_EQ(ZoneMapAsBigint(z, false), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(ZoneMapAsBigint(z, true), std::numeric_limits<int64_t>::max());
  ZonePredicate p;
  p.cmp = Cmp::kGt;
  p.i128 = big + 5;
  EXPECT_FALSE(ZoneMayMatch(z, SqlType::Decimal(38, 0), p));
  p.i128 = big + 4;
  EXPECT_TRUE(ZoneMayMatch(z, SqlType::Decimal(38, 0), p));
}

TEST(ZoneMap, FloatsTruncateAndNanSortsLast) {
  Vector v(SqlType::Float64(), 3);
  v.data<double>()[0] = -2.75;
  v.data<double>()[1] = 3.9;
  v.data<double>()[2] = 1;
  storage::ZoneMap z;
  ComputeZoneMap(v, 0, 3, &z);
  EXPECT_EQ(ZoneMapAsBigint(z, false), -2);
  EXPECT_EQ(ZoneMapAsBigint(z, true), 3);
  v.data<double>()[2] = std::nan("");
  ComputeZoneMap(v, 0, 3, &z);
  EXPECT_EQ(z.min_f64(), -2.75);
  EXPECT_TRUE(std::isnan(z.max_f64()));
  ZonePredicate p;
  p.cmp = Cmp::kGt;
  p.f64 = 1e300;  // NaN > 1e300 in PostgreSQL's order
  EXPECT_TRUE(ZoneMayMatch(z, SqlType::Float64(), p));
  p.cmp = Cmp::kLt;
  p.f64 = -2.75;
  EXPECT_FALSE(ZoneMayMatch(z, SqlType::Float64(), p));
}

TEST(ZoneMap, StringsAreCutAndBigintIsBigEndianPrefix) {
  Vector v(SqlType::Varchar(100), 3);
  std::string long_max(40, 'z');
  v.SetString(0, "apple");
  v.SetString(1, long_max);
  v.SetString(2, "AB");
  storage::ZoneMap z;
  ComputeZoneMap(v, 0, 3, &z);
  EXPECT_EQ(z.min_str(), "AB");
  EXPECT_EQ(z.max_str(), std::string(32, 'z'));
  EXPECT_TRUE(z.max_inexact());
  EXPECT_EQ(ZoneMapAsBigint(z, false), int64_t{0x4142} << 48);
  EXPECT_EQ(ZoneMapAsBigint(z, true), 0x7a7a7a7a7a7a7a7aLL);

  ZonePredicate p;
  p.cmp = Cmp::kEq;
  p.str = long_max;  // beyond the cut prefix: must not be pruned
  EXPECT_TRUE(ZoneMayMatch(z, SqlType::Varchar(100), p));
  p.cmp = Cmp::kGe;
  EXPECT_TRUE(ZoneMayMatch(z, SqlType::Varchar(100), p));
  p.str = "{";  // above every string starting with 32 'z's
  EXPECT_FALSE(ZoneMayMatch(z, SqlType::Varchar(100), p));
  p.cmp = Cmp::kLt;
  p.str = "AB";
  EXPECT_FALSE(ZoneMayMatch(z, SqlType::Varchar(100), p));
}

// Random blocks and constants; a block may be pruned only when brute force finds no match.
TEST(ZoneMap, IntegerPruningNeverSkipsAMatch) {
  std::mt19937_64 rng(1234);
  int pruned = 0;
  for (int trial = 0; trial < 2000; ++trial) {
    size_t n = 1 + rng() % 20;
    Vector v(SqlType::Int64(), n);
    for (size_t i = 0; i < n; ++i) {
      v.data<int64_t>()[i] = static_cast<int64_t>(rng() % 100) - 50;
      v.SetNull(i, rng() % 5 == 0);
    }
    storage::ZoneMap z;
    ComputeZoneMap(v, 0, n, &z);
    ZonePredicate p = Pred(kAllCmps[rng() % 5], static_cast<int64_t>(rng() % 120) - 60);
    bool any = false;
    for (size_t i = 0; i < n; ++i) any |= !v.IsNull(i) && Compare(v.data<int64_t>()[i], p.cmp, p.i64);
    bool may = ZoneMayMatch(z, SqlType::Int64(), p);
    if (any) ASSERT_TRUE(may) << "trial " << trial;
    pruned += !may;
  }
  EXPECT_GT(pruned, 500);  // and it does prune
}

std::string_view Strip(std::string_view s) {
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// Strings over a tiny alphabet with blanks and a control byte, some longer than the 32-byte cut,
// checked against both byte order and Redshift's trailing-blanks-ignored order.
TEST(ZoneMap, StringPruningNeverSkipsAMatch) {
  std::mt19937_64 rng(99);
  const char alphabet[] = {' ', '\x01', 'a', 'b'};
  auto random_string = [&]() {
    size_t len = rng() % 4 == 0 ? 30 + rng() % 8 : rng() % 5;
    std::string s(len, 'a');
    for (auto& c : s) c = alphabet[rng() % 4];
    if (len >= 30) s.replace(0, 30, std::string(30, 'b'));  // share a long prefix
    return s;
  };
  int pruned = 0;
  for (int trial = 0; trial < 4000; ++trial) {
    size_t n = 1 + rng() % 6;
    Vector v(SqlType::Varchar(64), n);
    for (size_t i = 0; i < n; ++i) v.SetString(i, random_string());
    storage::ZoneMap z;
    ComputeZoneMap(v, 0, n, &z);
    ZonePredicate p;
    p.cmp = kAllCmps[rng() % 5];
    p.str = random_string();
    bool raw = false, padded = false;
    for (size_t i = 0; i < n; ++i) {
      std::string_view s = v.data<std::string_view>()[i];
      raw |= Compare<std::string_view>(s, p.cmp, p.str);
      padded |= Compare<std::string_view>(Strip(s), p.cmp, Strip(p.str));
    }
    bool may = ZoneMayMatch(z, SqlType::Varchar(64), p);
    if (raw || padded) {
      ASSERT_TRUE(may) << "trial " << trial << " cmp " << static_cast<int>(p.cmp) << " const '" << p.str << "'";
    }
    pruned += !may;
  }
  EXPECT_GT(pruned, 400);
}

}  // namespace
}  // namespace strata
