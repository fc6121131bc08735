// Runtime filters (executor/runtime_filter.h): a filter never drops a key that was added and
// drops most others; a scan's filter set drops rows, keeps the columns' order and stops testing a
// filter that keeps nearly everything; hash joins send their build keys down the probe side
// only where an unmatched probe row leaves the join, through the probe sides of joins below, and
// the join's answer is the same with the filters applied as without.
#include "executor/runtime_filter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <random>
#include <set>

#include "executor/hash_join.h"
#include "executor/memory_budget.h"
#include "planner/expr_builder.h"
#include "tests/unit/executor/batch_source.h"

namespace strata {
namespace {

Vector Ints(const std::vector<std::optional<int64_t>>& values) {
  Vector v(SqlType::Int64(), values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    v.SetNull(i, !values[i].has_value());
    v.data<int64_t>()[i] = values[i].value_or(0);
  }
  return v;
}

TEST(RuntimeFilter, KeepsEveryKeyAddedAndDropsMostOthers) {
  std::mt19937_64 rng(3);
  std::set<int64_t> added;
  RuntimeFilter f(10000);
  while (added.size() < 10000) {
    int64_t k = static_cast<int64_t>(rng() % 1000000000) - 500000000;
    if (added.insert(k).second) f.Add(k);
  }
  std::vector<std::optional<int64_t>> keys(added.begin(), added.end());
  keys.push_back(std::nullopt);
  Vector v = Ints(keys);
  std::vector<uint8_t> keep(keys.size(), 1);
  f.Apply(v, keys.size(), keep.data());
  for (size_t i = 0; i + 1 < keys.size(); ++i) ASSERT_EQ(keep[i], 1) << *keys[i];
  EXPECT_EQ(keep.back(), 0);  // NULL never matches

  std::vector<std::optional<int64_t>> others;
  while (others.size() < 100000) {
    int64_t k = static_cast<int64_t>(rng() % 1000000000) + 600000000;
    others.push_back(k);
  }
  Vector o = Ints(others);
  std::vector<uint8_t> kept(others.size(), 1);
  f.Apply(o, others.size(), kept.data());
  size_t passed = 0;
  for (uint8_t k : kept) passed += k;
  EXPECT_LT(passed, others.size() / 50);  // about 0.5 %: 10,000 keys get 16 bits or more each
}

// A run of consecutive integer keys (surrogate keys: TPC-H Q11's 4,000 German suppliers of
// 100,000) probed by every other key of the run: bit positions taken from the same product as
// the word index kept 4 % of them wrongly, more than twice what 16 bits per key should.
TEST(RuntimeFilter, SomeKeysOfAConsecutiveRunPassFewOthers) {
  std::mt19937_64 rng(5);
  std::vector<bool> added(100001, false);
  std::vector<int64_t> keys;
  for (int64_t k = 1; k <= 100000; ++k) {
    if (rng() % 25 == 0) {
      added[k] = true;
      keys.push_back(k);
    }
  }
  RuntimeFilter f(keys.size());
  for (int64_t k : keys) f.Add(k);
  std::vector<std::optional<int64_t>> others;
  for (int64_t k = 1; k <= 100000; ++k) {
    if (!added[k]) others.push_back(k);
  }
  Vector o = Ints(others);
  std::vector<uint8_t> kept(others.size(), 1);
  f.Apply(o, others.size(), kept.data());
  size_t passed = 0;
  for (uint8_t k : kept) passed += k;
  EXPECT_LT(passed, others.size() / 40);  // under 2.5 % (about 1.5 %)
}

// A few hundred keys (a filtered dimension) get a filter of 8 kB at least: nearly nothing that
// was not added passes, where 8 bits per key let 3-5 % through.
TEST(RuntimeFilter, SmallKeySetsPassAlmostNothingElse) {
  RuntimeFilter f(200);
  for (int64_t k = 0; k < 200; ++k) f.Add(k * 1000);
  std::vector<std::optional<int64_t>> others;
  for (int64_t k = 0; k < 200000; ++k) others.push_back(k * 1000 + 1);
  Vector o = Ints(others);
  std::vector<uint8_t> kept(others.size(), 1);
  f.Apply(o, others.size(), kept.data());
  size_t passed = 0;
  for (uint8_t k : kept) passed += k;
  EXPECT_LT(passed, others.size() / 1000);
  EXPECT_LE(f.bytes(), 64u * 1024);

  // Select keeps exactly the rows Apply keeps, over all rows and over a selection of them.
  std::vector<std::optional<int64_t>> mixed;
  for (int64_t k = 0; k < 5000; ++k) mixed.push_back(k % 7 == 0 ? std::nullopt : std::optional<int64_t>((k / 2) * 1000 + (k % 4 == 3)));
  Vector m = Ints(mixed);
  std::vector<uint8_t> flags(mixed.size(), 1);
  f.Apply(m, mixed.size(), flags.data());
  std::vector<uint32_t> all(mixed.size()), expect_all, expect_odd;
  for (uint32_t r = 0; r < mixed.size(); ++r) {
    if (flags[r]) expect_all.push_back(r);
    if (flags[r] && r % 2 == 1) expect_odd.push_back(r);
  }
  ASSERT_FALSE(expect_odd.empty());
  all.resize(f.Select(m, nullptr, mixed.size(), all.data()));
  EXPECT_EQ(all, expect_all);
  std::vector<uint32_t> odd;
  for (uint32_t r = 1; r < mixed.size(); r += 2) odd.push_back(r);
  odd.resize(f.Select(m, odd.data(), odd.size(), odd.data()));
  EXPECT_EQ(odd, expect_odd);
}

// Keys of a small range (surrogate keys) go into a bitmap over it: every key added passes, no
// other key does -- below, inside and above the range, at both ends of int64 -- for each integer
// width, over all rows and over a selection; NULL never passes.
TEST(RuntimeFilter, KeysOfASmallRangeAreKeptExactly) {
  std::mt19937_64 rng(7);
  for (const int64_t base : {int64_t{-70000}, int64_t{1}, INT64_MAX - 99999, INT64_MIN}) {
    std::set<int64_t> added;
    while (added.size() < 300) added.insert(base + static_cast<int64_t>(rng() % 100000));
    const int64_t min = *added.begin(), max = *added.rbegin();
    RuntimeFilter f(added.size(), min, max);
    ASSERT_TRUE(f.exact()) << base;
    for (int64_t k : added) f.Add(k);
    std::vector<std::optional<int64_t>> probe;
    std::vector<uint32_t> expect, expect_odd;
    for (int64_t d = -200; d <= 100200; ++d) {
      if ((d < 0 && base == INT64_MIN) || (d > 100000 && base == INT64_MAX - 99999)) continue;  // stays in int64
      const int64_t k = base + d;
      probe.push_back(d % 1001 == 0 ? std::nullopt : std::optional<int64_t>(k));
      if (probe.back() && added.count(k)) {
        expect.push_back(static_cast<uint32_t>(probe.size() - 1));
        if (expect.back() % 2 == 1) expect_odd.push_back(expect.back());
      }
    }
    Vector v = Ints(probe);
    std::vector<uint32_t> all(probe.size());
    all.resize(f.Select(v, nullptr, probe.size(), all.data()));
    EXPECT_EQ(all, expect) << base;
    std::vector<uint32_t> odd;
    for (uint32_t r = 1; r < probe.size(); r += 2) odd.push_back(r);
    odd.resize(f.Select(v, odd.data(), odd.size(), odd.data()));
    EXPECT_EQ(odd, expect_odd) << base;
    std::vector<uint8_t> flags(probe.size(), 1);
    f.Apply(v, probe.size(), flags.data());
    size_t passed = 0;
    for (uint8_t k : flags) passed += k;
    EXPECT_EQ(passed, expect.size()) << base;
  }
  // INTEGER and SMALLINT columns, sign-extended like BIGINT keys.
  RuntimeFilter f(3, -5, 40000);
  for (int64_t k : {-5, 7, 40000}) f.Add(k);
  Vector i32(SqlType::Int32(), 5), i16(SqlType::Int16(), 5);
  const int32_t v32[] = {-5, 7, 8, 40000, -6};
  const int16_t v16[] = {-5, 7, 8, 32767, -32768};
  for (int r = 0; r < 5; ++r) {
    i32.data<int32_t>()[r] = v32[r];
    i16.data<int16_t>()[r] = v16[r];
  }
  std::vector<uint32_t> out(5);
  EXPECT_EQ(f.Select(i32, nullptr, 5, out.data()), 3u);
  EXPECT_EQ(out[2], 3u);
  EXPECT_EQ(f.Select(i16, nullptr, 5, out.data()), 2u);
  EXPECT_EQ(out[1], 1u);
}

// A range far wider than the keys (or the whole of int64) gets a Bloom filter; a key outside
// the range a bitmap was made for is refused, not lost.
TEST(RuntimeFilter, WideRangesGetABloomFilter) {
  RuntimeFilter wide(1000, 0, int64_t{1} << 40);
  EXPECT_FALSE(wide.exact());
  RuntimeFilter all(1000, INT64_MIN, INT64_MAX);
  EXPECT_FALSE(all.exact());
  all.Add(INT64_MIN);
  all.Add(INT64_MAX);
  Vector v = Ints({INT64_MIN, INT64_MAX});
  std::vector<uint8_t> keep(2, 1);
  all.Apply(v, 2, keep.data());
  EXPECT_EQ(keep[0] + keep[1], 2);
  RuntimeFilter small(10, 100, 200);
  ASSERT_TRUE(small.exact());
  EXPECT_THROW(small.Add(201), std::exception);
  EXPECT_THROW(small.Add(99), std::exception);
}

TEST(RuntimeFilter, SetDropsRowsAndGivesUpOnAFilterThatKeepsNearlyAll) {
  auto evens = std::make_shared<RuntimeFilter>(50000);
  for (int64_t k = 0; k < 100000; k += 2) evens->Add(k);
  RuntimeFilterSet set;
  set.Add(1, evens);
  Batch b({SqlType::Int32(), SqlType::Int64()});
  b.SetRows(1000);
  for (size_t i = 0; i < 1000; ++i) {
    b.columns[0].data<int32_t>()[i] = static_cast<int32_t>(i);
    b.columns[1].data<int64_t>()[i] = static_cast<int64_t>(i);
  }
  ASSERT_TRUE(set.Apply(&b));
  EXPECT_GE(b.rows, 500u);
  EXPECT_LT(b.rows, 560u);
  for (size_t i = 0; i < b.rows; ++i) {
    EXPECT_EQ(b.columns[0].data<int32_t>()[i], b.columns[1].data<int64_t>()[i]);  // rows stay whole
  }

  // A filter that keeps everything is tested on its first 65,536 rows, then no more.
  auto all = std::make_shared<RuntimeFilter>(100000);
  for (int64_t k = 0; k < 100000; ++k) all->Add(k);
  RuntimeFilterSet lax;
  lax.Add(0, all);
  for (int round = 0; round < 40; ++round) {
    Batch c({SqlType::Int64()});
    c.SetRows(2048);
    for (size_t i = 0; i < 2048; ++i) c.columns[0].data<int64_t>()[i] = round < 35 ? static_cast<int64_t>(i) : -1;
    lax.Apply(&c);
    if (round >= 35) EXPECT_EQ(c.rows, 2048u) << "the filter is no longer tested";
  }
  EXPECT_EQ(lax.dropped(), 0);
}

// Two filters on two columns: a row stays only if both may hold it, whichever goes first (the
// set reorders them by what they keep).
TEST(RuntimeFilter, SetOfTwoFiltersKeepsWhatBothKeep) {
  auto threes = std::make_shared<RuntimeFilter>(20000);
  for (int64_t k = 0; k < 60000; k += 3) threes->Add(k);
  auto tens = std::make_shared<RuntimeFilter>(6000);
  for (int64_t k = 0; k < 60000; k += 10) tens->Add(k);
  RuntimeFilterSet set;
  set.Add(0, threes);
  set.Add(1, tens);
  size_t kept = 0, batches = 0;
  for (int round = 0; round < 20; ++round) {
    Batch b({SqlType::Int64(), SqlType::Int32()});
    b.SetRows(2048);
    for (size_t i = 0; i < 2048; ++i) {
      const int64_t v = round * 2048 + static_cast<int64_t>(i);
      b.columns[0].data<int64_t>()[i] = v;
      b.columns[1].data<int32_t>()[i] = static_cast<int32_t>(v);
    }
    if (!set.Apply(&b)) continue;
    ++batches;
    for (size_t i = 0; i < b.rows; ++i) {
      const int64_t v = b.columns[0].data<int64_t>()[i];
      EXPECT_EQ(v, b.columns[1].data<int32_t>()[i]);
      if (v % 30 == 0) ++kept;
    }
    EXPECT_LT(b.rows, 2048u / 20);  // about one in thirty, with a few wrongly kept
  }
  EXPECT_EQ(kept, (20u * 2048 + 29) / 30);  // every multiple of 30 survives
  EXPECT_EQ(batches, 20u);
}

// A probe source that takes runtime filters as a table scan does (and counts them).
class FilteringSource : public BatchSource {
 public:
  using BatchSource::BatchSource;
  bool Next(Batch* out) override {
    while (BatchSource::Next(out)) {
      if (filters_.empty() || filters_.Apply(out)) {
        passed += out->rows;
        return true;
      }
    }
    return false;
  }
  bool PushRuntimeFilter(int column, const std::shared_ptr<const RuntimeFilter>& f) override {
    filters_.Add(column, f);
    columns.push_back(column);
    return true;
  }
  std::vector<int> columns;  // of the filters taken
  size_t passed = 0;         // rows handed on

 private:
  RuntimeFilterSet filters_;
};

std::vector<Batch> Rows(size_t n, int keys, int values, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<Batch> out;
  for (size_t done = 0; done < n;) {
    size_t k = std::min<size_t>(700, n - done);
    Batch b({SqlType::Int32(), SqlType::Int32()});
    b.SetRows(k);
    for (size_t i = 0; i < k; ++i) {
      b.columns[0].SetNull(i, rng() % 50 == 0);
      b.columns[0].data<int32_t>()[i] = static_cast<int32_t>(rng() % keys);
      b.columns[1].data<int32_t>()[i] = static_cast<int32_t>(rng() % values);
    }
    out.push_back(std::move(b));
    done += k;
  }
  return out;
}

std::vector<std::string> Drain(Operator& op) {
  std::vector<std::string> rows;
  Batch b;
  while (op.Next(&b)) {
    for (size_t r = 0; r < b.rows; ++r) {
      std::string s;
      for (const auto& c : b.columns) s += c.IsNull(r) ? "N|" : std::to_string(c.data<int32_t>()[r]) + "|";
      rows.push_back(s);
    }
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

plan::HashJoin JoinOn(int probe_column, plan::JoinType type) {
  plan::HashJoin spec;
  *spec.add_probe_keys() = ColumnExpr(probe_column, SqlType::Int32());
  *spec.add_build_keys() = ColumnExpr(0, SqlType::Int32());
  spec.set_type(type);
  return spec;
}

TEST(RuntimeFilter, JoinsFilterTheirProbeSideOnlyWhereUnmatchedRowsLeave) {
  const auto probe = Rows(20000, 5000, 100, 1);
  const auto build = Rows(300, 5000, 100, 2);  // a few of the keys
  const std::vector<SqlType> types{SqlType::Int32(), SqlType::Int32()};
  for (plan::JoinType t : {plan::INNER, plan::LEFT, plan::RIGHT, plan::FULL, plan::SEMI, plan::ANTI}) {
    SCOPED_TRACE(plan::JoinType_Name(t));
    ExecContext ctx;
    auto plain = MakeHashJoin(JoinOn(0, t), std::make_unique<BatchSource>(probe), std::make_unique<BatchSource>(build),
                              types, types, ctx);
    auto source = std::make_unique<FilteringSource>(probe);
    FilteringSource* seen = source.get();
    auto filtered = MakeHashJoin(JoinOn(0, t), std::move(source), std::make_unique<BatchSource>(build), types, types, ctx);
    auto expect = Drain(*plain);
    auto got = Drain(*filtered);
    EXPECT_EQ(got, expect);
    const bool drops_unmatched = t == plan::INNER || t == plan::RIGHT || t == plan::SEMI;
    EXPECT_EQ(seen->columns, drops_unmatched ? std::vector<int>{0} : std::vector<int>{});
  }
}

TEST(RuntimeFilter, AFilterPassesTheProbeSideOfAJoinBelow) {
  // upper: (lower: source ⋈ b1 on source.1) ⋈ b2 on source.0 — both filters reach the source,
  // even through a LEFT join below, and the answer is unchanged.
  const auto probe = Rows(20000, 5000, 400, 4);
  const auto b1 = Rows(200, 400, 10, 5);
  const auto b2 = Rows(300, 5000, 10, 6);
  const std::vector<SqlType> two{SqlType::Int32(), SqlType::Int32()};
  const std::vector<SqlType> four{SqlType::Int32(), SqlType::Int32(), SqlType::Int32(), SqlType::Int32()};
  for (plan::JoinType lower : {plan::INNER, plan::LEFT}) {
    ExecContext ctx;
    auto build_plan = [&](OperatorPtr source) {
      auto inner = MakeHashJoin(JoinOn(1, lower), std::move(source), std::make_unique<BatchSource>(b1), two, two, ctx);
      return MakeHashJoin(JoinOn(0, plan::INNER), std::move(inner), std::make_unique<BatchSource>(b2), four, two, ctx);
    };
    auto plain = build_plan(std::make_unique<BatchSource>(probe));
    auto source = std::make_unique<FilteringSource>(probe);
    FilteringSource* seen = source.get();
    auto filtered = build_plan(std::move(source));
    EXPECT_EQ(Drain(*filtered), Drain(*plain));
    std::vector<int> cols = seen->columns;
    std::sort(cols.begin(), cols.end());
    EXPECT_EQ(cols, lower == plan::INNER ? (std::vector<int>{0, 1}) : (std::vector<int>{0}));
  }
}


// A join on two keys filters its probe side by the first integer key read from a probe column:
// the answer is unchanged (NULLs in either key included), and fewer probe rows reach the join.
TEST(RuntimeFilter, ATwoKeyJoinFiltersByOneOfItsKeys) {
  const auto probe = Rows(20000, 5000, 30, 7);
  const auto build = Rows(300, 5000, 30, 8);
  const std::vector<SqlType> types{SqlType::Int32(), SqlType::Int32()};
  auto spec = [](int first_probe_column) {
    plan::HashJoin j;
    *j.add_probe_keys() = first_probe_column == 0 ? ColumnExpr(0, SqlType::Int32())
                                                  : CallExpr(plan::ADD, SqlType::Int32(), {ColumnExpr(0, SqlType::Int32()),
                                                                                           Int64Literal(0, SqlType::Int32())});
    *j.add_probe_keys() = ColumnExpr(1, SqlType::Int32());
    *j.add_build_keys() = ColumnExpr(0, SqlType::Int32());
    *j.add_build_keys() = ColumnExpr(1, SqlType::Int32());
    j.set_type(plan::INNER);
    return j;
  };
  for (int first : {0, 1}) {
    SCOPED_TRACE(first == 0 ? "plain first key" : "computed first key");
    ExecContext ctx;
    auto plain = MakeHashJoin(spec(first), std::make_unique<BatchSource>(probe), std::make_unique<BatchSource>(build), types,
                              types, ctx);
    auto source = std::make_unique<FilteringSource>(probe);
    FilteringSource* seen = source.get();
    auto filtered = MakeHashJoin(spec(first), std::move(source), std::make_unique<BatchSource>(build), types, types, ctx);
    auto expect = Drain(*plain);
    EXPECT_FALSE(expect.empty());
    EXPECT_EQ(Drain(*filtered), expect);
    // The first key is taken when it is a probe column, else the second.
    EXPECT_EQ(seen->columns, first == 0 ? std::vector<int>{0} : std::vector<int>{1});
  }
}

// A build that spills to partition files still filters its probe side (the filter is made when
// the table turns into partitions and takes the keys of every later build row): the answer is
// the in-memory one, and the probe rows reaching the join are fewer than the input's.
TEST(RuntimeFilter, ASpilledBuildStillFiltersItsProbeSide) {
  const auto probe = Rows(30000, 200000, 100, 9);
  const auto build = Rows(20000, 200000, 100, 10);  // a tenth of the keys
  const std::vector<SqlType> types{SqlType::Int32(), SqlType::Int32()};
  for (plan::JoinType t : {plan::INNER, plan::SEMI, plan::RIGHT_SEMI}) {
    SCOPED_TRACE(plan::JoinType_Name(t));
    ExecContext unlimited;
    auto plain = MakeHashJoin(JoinOn(0, t), std::make_unique<BatchSource>(probe), std::make_unique<BatchSource>(build),
                              types, types, unlimited);
    auto expect = Drain(*plain);
    QueryMemory memory(nullptr, 64 * 1024, 1, "/tmp");
    ExecContext tiny;
    tiny.memory = &memory;
    auto source = std::make_unique<FilteringSource>(probe);
    FilteringSource* seen = source.get();
    auto spilled = MakeHashJoin(JoinOn(0, t), std::move(source), std::make_unique<BatchSource>(build), types, types, tiny);
    EXPECT_EQ(Drain(*spilled), expect);
    EXPECT_GT(memory.spilled(), 0);
    EXPECT_EQ(seen->columns, std::vector<int>{0});
    EXPECT_LT(seen->passed, 30000u / 2);
  }
}

}  // namespace
}  // namespace strata
