// Operators against brute force: hash aggregate (SINGLE equals PARTIAL then FINAL), hash join
// (inner, left, right, full), sort with NULL placement and top-N, limit, the batch codec and the
// distribution hash. Random inputs use fixed seeds.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <optional>
#include <random>

#include "executor/batch_codec.h"
#include "executor/hash_aggregate.h"
#include "executor/hash_join.h"
#include "executor/packed_keys.h"
#include "executor/row_hash.h"
#include "executor/sort_operator.h"
#include "planner/expr_builder.h"
#include "sql/error.h"
#include "tests/unit/executor/batch_source.h"

namespace strata {
namespace {

// Two int32 columns (key, value) with some NULL values; `rows` rows in batches of 1000.
std::vector<Batch> KeyValueBatches(size_t rows, int keys, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<Batch> out;
  for (size_t done = 0; done < rows;) {
    size_t n = std::min<size_t>(1000, rows - done);
    Batch b({SqlType::Int32(), SqlType::Int32()});
    b.SetRows(n);
    for (size_t i = 0; i < n; ++i) {
      b.columns[0].data<int32_t>()[i] = static_cast<int32_t>(rng() % keys);
      bool null = rng() % 10 == 0;
      b.columns[1].SetNull(i, null);
      b.columns[1].data<int32_t>()[i] = null ? 0 : static_cast<int32_t>(rng() % 1000) - 500;
    }
    out.push_back(std::move(b));
    done += n;
  }
  return out;
}

plan::AggSpec Agg(plan::AggFunc f, const SqlType& result) {
  plan::AggSpec a;
  a.set_func(f);
  if (f != plan::COUNT_STAR) *a.mutable_arg() = ColumnExpr(1, SqlType::Int32());
  *a.mutable_result_type() = ToProtoType(result);
  return a;
}

plan::Aggregate AggSpecAll(plan::AggMode mode) {
  plan::Aggregate a;
  *a.add_groups() = ColumnExpr(0, SqlType::Int32());
  *a.add_aggs() = Agg(plan::COUNT_STAR, SqlType::Int64());
  *a.add_aggs() = Agg(plan::COUNT, SqlType::Int64());
  *a.add_aggs() = Agg(plan::SUM, SqlType::Int64());
  *a.add_aggs() = Agg(plan::MIN, SqlType::Int32());
  *a.add_aggs() = Agg(plan::MAX, SqlType::Int32());
  a.set_mode(mode);
  return a;
}

using Row = std::vector<std::string>;

std::vector<Row> Drain(Operator& op) {
  std::vector<Row> rows;
  Batch b;
  while (op.Next(&b)) {
    for (size_t r = 0; r < b.rows; ++r) {
      Row row;
      for (const auto& c : b.columns) {
        if (c.IsNull(r)) { row.push_back("NULL"); continue; }
        std::string s;
        DispatchPhysical(c.physical(), [&]<typename T>() {
          if constexpr (std::is_same_v<T, std::string_view>) s = std::string(c.data<T>()[r]);
          else if constexpr (std::is_same_v<T, int128>) s = std::to_string(static_cast<int64_t>(c.data<T>()[r]));
          else s = std::to_string(c.data<T>()[r]);
        });
        row.push_back(s);
      }
      rows.push_back(row);
    }
  }
  return rows;
}

TEST(HashAggregate, MatchesBruteForce) {
  auto input = KeyValueBatches(20000, 97, 7);
  std::map<int, std::array<int64_t, 5>> expect;  // count*, count, sum, min, max
  std::map<int, bool> has;
  for (const auto& b : input) {
    for (size_t r = 0; r < b.rows; ++r) {
      int k = b.columns[0].data<int32_t>()[r];
      auto& e = expect[k];
      e[0]++;
      if (b.columns[1].IsNull(r)) continue;
      int v = b.columns[1].data<int32_t>()[r];
      if (!has[k]) { e[3] = e[4] = v; has[k] = true; }
      e[1]++;
      e[2] += v;
      e[3] = std::min<int64_t>(e[3], v);
      e[4] = std::max<int64_t>(e[4], v);
    }
  }
  ExecContext ctx;
  plan::Aggregate single = AggSpecAll(plan::SINGLE);
  auto op = MakeHashAggregate(single, std::make_unique<BatchSource>(input), ctx);
  auto rows = Drain(*op);
  ASSERT_EQ(rows.size(), expect.size());
  for (const auto& row : rows) {
    const auto& e = expect.at(std::stoi(row[0]));
    for (int i = 0; i < 5; ++i) EXPECT_EQ(row[i + 1], std::to_string(e[i]));
  }
}

TEST(HashAggregate, PartialThenFinalEqualsSingle) {
  auto input = KeyValueBatches(12000, 50, 11);
  ExecContext ctx;
  plan::Aggregate single = AggSpecAll(plan::SINGLE);
  auto expect = Drain(*MakeHashAggregate(single, std::make_unique<BatchSource>(input), ctx));
  // Two "slices" each aggregate half, then a final merge.
  std::vector<Batch> half1(input.begin(), input.begin() + 6), half2(input.begin() + 6, input.end());
  plan::Aggregate partial = AggSpecAll(plan::PARTIAL);
  std::vector<Batch> states;
  for (auto* half : {&half1, &half2}) {
    auto p = MakeHashAggregate(partial, std::make_unique<BatchSource>(*half), ctx);
    Batch b;
    while (p->Next(&b)) states.push_back(std::move(b));
  }
  plan::Aggregate final_spec = AggSpecAll(plan::FINAL);
  auto got = Drain(*MakeHashAggregate(final_spec, std::make_unique<BatchSource>(states), ctx));
  std::sort(expect.begin(), expect.end());
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, expect);
}

std::string ValueText(const Vector& c, size_t r) {
  if (c.IsNull(r)) return "NULL";
  std::string s;
  DispatchPhysical(c.physical(), [&]<typename T>() {
    if constexpr (std::is_same_v<T, std::string_view>) {
      s = std::string(c.data<T>()[r]);
    } else if constexpr (std::is_same_v<T, int128>) {
      int128 v = c.data<T>()[r];
      unsigned __int128 u = v < 0 ? -static_cast<unsigned __int128>(v) : static_cast<unsigned __int128>(v);
      do { s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(u % 10))); u /= 10; } while (u != 0);
      if (v < 0) s.insert(s.begin(), '-');
    } else {
      s = std::to_string(c.data<T>()[r]);
    }
  });
  return s;
}

// Without GROUP BY the aggregate sums in registers (HashAggregate::AccumulateOneGroup); the
// same aggregates grouped by a key that is the same on every row take the general loop. Both
// must agree exactly, over values at the types' extremes (64-bit sums past 64 bits), NULLs,
// floats and batches of odd sizes.
TEST(HashAggregate, NoGroupByAgreesWithOneGroup) {
  struct Kind { SqlType type, sum_type; };
  const Kind kinds[] = {{SqlType::Int16(), SqlType::Int64()}, {SqlType::Int32(), SqlType::Int64()},
                        {SqlType::Int64(), SqlType::Decimal(38, 0)}, {SqlType::Decimal(38, 2), SqlType::Decimal(38, 2)},
                        {SqlType::Float64(), SqlType::Float64()}};
  std::mt19937_64 rng(11);
  for (const Kind& kind : kinds) {
    SCOPED_TRACE(kind.type.ToString());
    std::vector<Batch> input;
    for (size_t n : {1u, 777u, 2048u, 5u, 1500u}) {
      Batch b({SqlType::Int32(), kind.type});
      b.SetRows(n);
      for (size_t i = 0; i < n; ++i) {
        b.columns[0].data<int32_t>()[i] = 0;
        b.columns[1].SetNull(i, rng() % 7 == 0);
        DispatchPhysical(b.columns[1].physical(), [&]<typename T>() {
          if constexpr (std::is_same_v<T, double>) {
            b.columns[1].data<T>()[i] = static_cast<double>(static_cast<int64_t>(rng() % 2000001) - 1000000) / 7.0;
          } else if constexpr (std::is_integral_v<T> || std::is_same_v<T, int128>) {
            // Mostly the extremes: 64-bit sums go past 64 bits both ways.
            const uint64_t pick = rng() % 4;
            T v = pick == 0 ? std::numeric_limits<T>::max() : pick == 1 ? std::numeric_limits<T>::min() + 1
                                                                      : static_cast<T>(static_cast<int64_t>(rng()) >> (rng() % 60));
            if constexpr (std::is_same_v<T, int128>) v = static_cast<int128>(static_cast<int64_t>(rng())) * 1000;
            b.columns[1].data<T>()[i] = v;
          }
        });
      }
      input.push_back(std::move(b));
    }
    auto spec = [&](bool grouped) {
      plan::Aggregate a;
      if (grouped) *a.add_groups() = ColumnExpr(0, SqlType::Int32());
      for (plan::AggFunc f : {plan::COUNT, plan::SUM, plan::MIN, plan::MAX}) {
        plan::AggSpec s;
        s.set_func(f);
        *s.mutable_arg() = ColumnExpr(1, kind.type);
        *s.mutable_result_type() = ToProtoType(f == plan::COUNT ? SqlType::Int64() : f == plan::SUM ? kind.sum_type : kind.type);
        *a.add_aggs() = s;
      }
      a.set_mode(plan::SINGLE);
      return a;
    };
    ExecContext ctx;
    auto texts = [&](bool grouped) {
      auto op = MakeHashAggregate(spec(grouped), std::make_unique<BatchSource>(input), ctx);
      std::vector<std::string> out;
      Batch b;
      while (op->Next(&b)) {
        for (size_t r = 0; r < b.rows; ++r) {
          for (size_t c = grouped ? 1 : 0; c < b.columns.size(); ++c) out.push_back(ValueText(b.columns[c], r));
        }
      }
      return out;
    };
    std::vector<std::string> one = texts(false), grouped = texts(true);
    ASSERT_EQ(one.size(), 4u);
    EXPECT_EQ(one, grouped);
    EXPECT_NE(one[1], "NULL");
  }
}

// Short group keys are packed into one integer (executor/packed_keys.h): CHAR padding ignored,
// NULL apart from every value (0, '', -1 included), and a string too long for its slot arriving
// mid-input moves the groups so far to encoded keys. Either way the groups must be those of a
// reference grouping.
TEST(HashAggregate, PackedKeysGroupLikeAReference) {
  const std::vector<SqlType> types = {SqlType::Char(1), SqlType::Int16(), SqlType::Date(), SqlType::Text(), SqlType::Int32()};
  struct Case {
    std::vector<int> keys;  // group key columns
    bool long_value;        // a string longer than its slot from the fourth batch on
  };
  const Case cases[] = {{{0, 1, 2}, false}, {{0, 3}, false}, {{0, 3}, true}, {{3, 0}, true}};
  for (const Case& c : cases) {
    SCOPED_TRACE(std::to_string(c.keys.size()) + " keys, long value " + std::to_string(c.long_value));
    ASSERT_TRUE(PackedKeyLayout(std::vector<SqlType>{types[c.keys[0]], types[c.keys[1]]}).usable());
    std::mt19937 rng(5);
    const char* chars[] = {"A", "A ", "B", "", " "};
    const char* texts[] = {"", "x", "xy", "abcdef", "abcde"};
    std::map<std::string, std::pair<int64_t, int64_t>> expect;  // key text -> (count, sum)
    std::vector<Batch> input;
    for (size_t batch = 0; batch < 6; ++batch) {
      Batch b(types);
      const size_t n = 700;
      b.SetRows(n);
      std::vector<std::string> text(n * 4);  // each row's key columns as the reference sees them
      for (size_t i = 0; i < n; ++i) {
        bool null = rng() % 9 == 0;
        std::string ch = chars[rng() % 5];
        b.columns[0].SetNull(i, null);
        b.columns[0].SetString(i, null ? std::string() : ch);
        while (!ch.empty() && ch.back() == ' ') ch.pop_back();
        text[i * 4] = null ? "N" : "v" + ch;
        null = rng() % 9 == 0;
        int16_t small = static_cast<int16_t>(static_cast<int>(rng() % 5) - 2);
        b.columns[1].SetNull(i, null);
        b.columns[1].data<int16_t>()[i] = null ? 0 : small;
        text[i * 4 + 1] = null ? "N" : std::to_string(small);
        null = rng() % 9 == 0;
        int32_t day = rng() % 2 == 0 ? -1 : static_cast<int32_t>(rng() % 3);
        b.columns[2].SetNull(i, null);
        b.columns[2].data<int32_t>()[i] = null ? 0 : day;
        text[i * 4 + 2] = null ? "N" : std::to_string(day);
        null = rng() % 9 == 0;
        std::string t = texts[rng() % 5];
        if (c.long_value && batch >= 3 && rng() % 50 == 0) t = "longer than six";
        b.columns[3].SetNull(i, null);
        b.columns[3].SetString(i, null ? std::string() : t);
        text[i * 4 + 3] = null ? "N" : "v" + t;
        int32_t v = static_cast<int32_t>(rng() % 1000);
        b.columns[4].data<int32_t>()[i] = v;
        std::string key;
        for (int k : c.keys) key += text[i * 4 + k] + "|";
        expect[key].first += 1;
        expect[key].second += v;
      }
      input.push_back(std::move(b));
    }
    plan::Aggregate a;
    for (int k : c.keys) *a.add_groups() = ColumnExpr(k, types[k]);
    *a.add_aggs() = Agg(plan::COUNT_STAR, SqlType::Int64());
    plan::AggSpec sum;
    sum.set_func(plan::SUM);
    *sum.mutable_arg() = ColumnExpr(4, SqlType::Int32());
    *sum.mutable_result_type() = ToProtoType(SqlType::Int64());
    *a.add_aggs() = sum;
    a.set_mode(plan::SINGLE);
    ExecContext ctx;
    auto op = MakeHashAggregate(a, std::make_unique<BatchSource>(input), ctx);
    std::map<std::string, std::pair<int64_t, int64_t>> got;
    Batch b;
    const size_t nk = c.keys.size();
    while (op->Next(&b)) {
      for (size_t r = 0; r < b.rows; ++r) {
        std::string key;
        for (size_t g = 0; g < nk; ++g) {
          std::string v = ValueText(b.columns[g], r);
          const bool is_string = c.keys[g] == 0 || c.keys[g] == 3;
          if (c.keys[g] == 0) while (!v.empty() && v.back() == ' ') v.pop_back();
          key += (b.columns[g].IsNull(r) ? "N" : is_string ? "v" + v : v) + "|";
        }
        EXPECT_EQ(got.count(key), 0u) << "group " << key << " twice";
        got[key] = {std::stoll(ValueText(b.columns[nk], r)), std::stoll(ValueText(b.columns[nk + 1], r))};
      }
    }
    EXPECT_GT(expect.size(), 20u);
    EXPECT_EQ(got, expect);
  }
  // What cannot be packed: two INTEGERs and their NULL bits pass 64 bits; BIGINT; floats.
  EXPECT_FALSE(PackedKeyLayout({SqlType::Int32(), SqlType::Int32()}).usable());
  EXPECT_FALSE(PackedKeyLayout({SqlType::Int64(), SqlType::Char(1)}).usable());
  EXPECT_FALSE(PackedKeyLayout({SqlType::Float64()}).usable());
  EXPECT_TRUE(PackedKeyLayout({SqlType::Char(1), SqlType::Char(1)}).usable());  // TPC-H Q1's keys
}

// Rows with their predecessor's key take its group without a lookup: runs of one key, NULLs
// between and inside runs, runs across batches and keys coming back later must group as a
// reference does.
TEST(HashAggregate, RunsOfOneKeyGroupLikeAReference) {
  std::mt19937 rng(9);
  std::map<std::optional<int64_t>, std::pair<int64_t, int64_t>> expect;  // key -> (count, sum)
  std::vector<Batch> input;
  std::optional<int64_t> key = 0;
  for (size_t batch = 0; batch < 5; ++batch) {
    const size_t n = 300 + batch * 211;
    Batch b({SqlType::Int64(), SqlType::Int32()});
    b.SetRows(n);
    for (size_t i = 0; i < n; ++i) {
      const uint32_t pick = rng() % 10;
      if (pick == 0) key = std::nullopt;
      else if (pick < 3) key = static_cast<int64_t>(rng() % 50) - 25;  // a new run (maybe an old key)
      else if (!key) key = 0;                                           // NULL runs end too
      b.columns[0].SetNull(i, !key);
      b.columns[0].data<int64_t>()[i] = key.value_or(key ? 0 : static_cast<int64_t>(rng() % 50));  // garbage under NULL
      const int32_t v = static_cast<int32_t>(rng() % 100);
      b.columns[1].data<int32_t>()[i] = v;
      expect[key].first += 1;
      expect[key].second += v;
    }
    input.push_back(std::move(b));
  }
  plan::Aggregate a;
  *a.add_groups() = ColumnExpr(0, SqlType::Int64());
  *a.add_aggs() = Agg(plan::COUNT_STAR, SqlType::Int64());
  *a.add_aggs() = Agg(plan::SUM, SqlType::Int64());
  a.set_mode(plan::SINGLE);
  ExecContext ctx;
  auto op = MakeHashAggregate(a, std::make_unique<BatchSource>(input), ctx);
  std::map<std::optional<int64_t>, std::pair<int64_t, int64_t>> got;
  Batch b;
  while (op->Next(&b)) {
    for (size_t r = 0; r < b.rows; ++r) {
      std::optional<int64_t> k;
      if (!b.columns[0].IsNull(r)) k = b.columns[0].data<int64_t>()[r];
      EXPECT_EQ(got.count(k), 0u);
      got[k] = {std::stoll(ValueText(b.columns[1], r)), std::stoll(ValueText(b.columns[2], r))};
    }
  }
  EXPECT_GT(expect.size(), 30u);
  EXPECT_EQ(got, expect);
}

TEST(HashAggregate, NoGroupsOnEmptyInputGivesOneRow) {
  ExecContext ctx;
  plan::Aggregate a;
  *a.add_aggs() = Agg(plan::COUNT_STAR, SqlType::Int64());
  *a.add_aggs() = Agg(plan::SUM, SqlType::Int64());
  a.set_mode(plan::SINGLE);
  auto rows = Drain(*MakeHashAggregate(a, std::make_unique<BatchSource>(std::vector<Batch>{}), ctx));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (Row{"0", "NULL"}));
}

std::vector<Row> BruteJoin(const std::vector<Batch>& probe, const std::vector<Batch>& build, plan::JoinType type) {
  std::vector<Row> out;
  std::vector<std::pair<std::optional<int>, int>> p, b;  // (key, value)
  for (const auto& x : probe) for (size_t r = 0; r < x.rows; ++r) p.push_back({x.columns[0].data<int32_t>()[r], x.columns[1].data<int32_t>()[r]});
  for (const auto& x : build) for (size_t r = 0; r < x.rows; ++r) b.push_back({x.columns[0].data<int32_t>()[r], x.columns[1].data<int32_t>()[r]});
  std::vector<bool> bm(b.size());
  for (const auto& [pk, pv] : p) {
    bool any = false;
    for (size_t j = 0; j < b.size(); ++j) {
      if (b[j].first == pk) {
        out.push_back({std::to_string(*pk), std::to_string(pv), std::to_string(*b[j].first), std::to_string(b[j].second)});
        any = true;
        bm[j] = true;
      }
    }
    if (!any && (type == plan::LEFT || type == plan::FULL)) out.push_back({std::to_string(*pk), std::to_string(pv), "NULL", "NULL"});
  }
  if (type == plan::RIGHT || type == plan::FULL) {
    for (size_t j = 0; j < b.size(); ++j) {
      if (!bm[j]) out.push_back({"NULL", "NULL", std::to_string(*b[j].first), std::to_string(b[j].second)});
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<Batch> NoNullValues(std::vector<Batch> v) {
  for (auto& b : v) for (size_t r = 0; r < b.rows; ++r) b.columns[1].SetNull(r, false);
  return v;
}

class HashJoinTest : public ::testing::TestWithParam<plan::JoinType> {};

TEST_P(HashJoinTest, MatchesNestedLoopBruteForce) {
  auto probe = NoNullValues(KeyValueBatches(3000, 400, 3));
  auto build = NoNullValues(KeyValueBatches(500, 600, 5));
  plan::HashJoin spec;
  *spec.add_probe_keys() = ColumnExpr(0, SqlType::Int32());
  *spec.add_build_keys() = ColumnExpr(0, SqlType::Int32());
  spec.set_type(GetParam());
  std::vector<SqlType> types{SqlType::Int32(), SqlType::Int32()};
  ExecContext ctx;
  auto op = MakeHashJoin(spec, std::make_unique<BatchSource>(probe), std::make_unique<BatchSource>(build), types, types, ctx);
  auto got = Drain(*op);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, BruteJoin(probe, build, GetParam()));
}

INSTANTIATE_TEST_SUITE_P(Types, HashJoinTest, ::testing::Values(plan::INNER, plan::LEFT, plan::RIGHT, plan::FULL));

// Every probe row matches one build row (unique build keys covering the probe keys, as after
// an exact runtime filter): the probe columns are taken whole, and the answer is the same; with
// a residual condition that fails some pairs, LEFT still emits those probe rows with NULLs.
TEST(HashJoin, ProbeRowsThatEachMatchOnceComeOutWhole) {
  std::vector<Batch> build(1, Batch({SqlType::Int32(), SqlType::Int32()}));
  build[0].SetRows(1000);
  for (int k = 0; k < 1000; ++k) {
    build[0].columns[0].data<int32_t>()[k] = k;
    build[0].columns[1].data<int32_t>()[k] = k * 10;
  }
  auto probe = NoNullValues(KeyValueBatches(5000, 1000, 9));
  std::vector<SqlType> types{SqlType::Int32(), SqlType::Int32()};
  for (plan::JoinType type : {plan::INNER, plan::LEFT}) {
    plan::HashJoin spec;
    *spec.add_probe_keys() = ColumnExpr(0, SqlType::Int32());
    *spec.add_build_keys() = ColumnExpr(0, SqlType::Int32());
    spec.set_type(type);
    ExecContext ctx;
    auto got = Drain(*MakeHashJoin(spec, std::make_unique<BatchSource>(probe), std::make_unique<BatchSource>(build), types, types, ctx));
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, BruteJoin(probe, build, type)) << type;

    // residual: probe value < build value (fails where the build key is small)
    *spec.mutable_residual() = CallExpr(plan::LT, SqlType::Bool(), {ColumnExpr(1, SqlType::Int32()), ColumnExpr(3, SqlType::Int32())});
    auto filtered = Drain(*MakeHashJoin(spec, std::make_unique<BatchSource>(probe), std::make_unique<BatchSource>(build), types, types, ctx));
    std::vector<Row> expect;
    for (const Row& r : BruteJoin(probe, build, type)) {
      if (r[2] == "NULL" || std::stoi(r[1]) < std::stoi(r[3])) {
        expect.push_back(r);
      } else if (type == plan::LEFT) {
        expect.push_back({r[0], r[1], "NULL", "NULL"});
      }
    }
    std::sort(expect.begin(), expect.end());
    std::sort(filtered.begin(), filtered.end());
    EXPECT_EQ(filtered, expect) << type;
  }
}

TEST(HashJoin, NullKeysNeverMatch) {
  Batch probe({SqlType::Int32()}), build({SqlType::Int32()});
  probe.SetRows(2);
  build.SetRows(2);
  probe.columns[0].SetNull(0, true);
  build.columns[0].SetNull(0, true);
  probe.columns[0].data<int32_t>()[1] = 4;
  build.columns[0].data<int32_t>()[1] = 4;
  plan::HashJoin spec;
  *spec.add_probe_keys() = ColumnExpr(0, SqlType::Int32());
  *spec.add_build_keys() = ColumnExpr(0, SqlType::Int32());
  std::vector<SqlType> t{SqlType::Int32()};
  ExecContext ctx;
  auto op = MakeHashJoin(spec, std::make_unique<BatchSource>(std::vector<Batch>{probe}),
                         std::make_unique<BatchSource>(std::vector<Batch>{build}), t, t, ctx);
  EXPECT_EQ(Drain(*op), (std::vector<Row>{{"4", "4"}}));
}

TEST(HashJoin, ACancelStopsAManyToManyJoinBetweenBatches) {
  Batch probe({SqlType::Int32()}), build({SqlType::Int32()});
  probe.SetRows(2048);
  build.SetRows(1000);
  for (size_t i = 0; i < 2048; ++i) probe.columns[0].data<int32_t>()[i] = 1;
  for (size_t i = 0; i < 1000; ++i) build.columns[0].data<int32_t>()[i] = 1;
  plan::HashJoin spec;
  *spec.add_probe_keys() = ColumnExpr(0, SqlType::Int32());
  *spec.add_build_keys() = ColumnExpr(0, SqlType::Int32());
  spec.set_type(plan::INNER);
  std::vector<SqlType> t{SqlType::Int32()};
  std::atomic<bool> cancelled{false};
  ExecContext ctx;
  ctx.cancelled = &cancelled;
  auto op = MakeHashJoin(spec, std::make_unique<BatchSource>(std::vector<Batch>{probe}),
                         std::make_unique<BatchSource>(std::vector<Batch>{build}), t, t, ctx);
  Batch out;
  ASSERT_TRUE(op->Next(&out));
  cancelled = true;
  try {
    op->Next(&out);
    FAIL() << "the join went on after a cancel";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), "57014");
  }
}

TEST(HashJoin, LargeFanOutComesOutInBoundedBatches) {
  // 2048 probe rows x 1000 build rows of one key: 2,048,000 joined rows, never all at once.
  Batch probe({SqlType::Int32()}), build({SqlType::Int32()});
  probe.SetRows(2048);
  build.SetRows(1000);
  for (size_t i = 0; i < 2048; ++i) probe.columns[0].data<int32_t>()[i] = 1;
  for (size_t i = 0; i < 1000; ++i) build.columns[0].data<int32_t>()[i] = 1;
  plan::HashJoin spec;
  *spec.add_probe_keys() = ColumnExpr(0, SqlType::Int32());
  *spec.add_build_keys() = ColumnExpr(0, SqlType::Int32());
  spec.set_type(plan::LEFT);
  std::vector<SqlType> t{SqlType::Int32()};
  ExecContext ctx;
  auto op = MakeHashJoin(spec, std::make_unique<BatchSource>(std::vector<Batch>{probe}),
                         std::make_unique<BatchSource>(std::vector<Batch>{build}), t, t, ctx);
  Batch out;
  size_t total = 0, largest = 0;
  while (op->Next(&out)) {
    total += out.rows;
    largest = std::max(largest, out.rows);
  }
  EXPECT_EQ(total, 2048u * 1000u);
  EXPECT_LE(largest, 64u * 1024u + 1000u);
}

TEST(Sort, NullsLastAscendingFirstDescendingAndTopN) {
  Batch b({SqlType::Int32()});
  b.SetRows(5);
  int vals[] = {3, 0, 1, 0, 2};
  for (int i = 0; i < 5; ++i) b.columns[0].data<int32_t>()[i] = vals[i];
  b.columns[0].SetNull(1, true);
  b.columns[0].SetNull(3, true);
  auto run = [&](bool desc, int64_t limit) {
    plan::Sort s;
    auto* k = s.add_keys();
    *k->mutable_expr() = ColumnExpr(0, SqlType::Int32());
    k->set_desc(desc);
    k->set_nulls_first(desc);
    s.set_limit(limit);
    auto op = MakeSort(s, std::make_unique<BatchSource>(std::vector<Batch>{b}), {SqlType::Int32()});
    std::vector<std::string> out;
    for (const auto& r : Drain(*op)) out.push_back(r[0]);
    return out;
  };
  EXPECT_EQ(run(false, -1), (std::vector<std::string>{"1", "2", "3", "NULL", "NULL"}));
  EXPECT_EQ(run(true, -1), (std::vector<std::string>{"NULL", "NULL", "3", "2", "1"}));
  EXPECT_EQ(run(false, 2), (std::vector<std::string>{"1", "2"}));
}

// Several keys of every kind the sort turns into byte strings (BIGINT with INT64_MIN, INTEGER,
// SMALLINT, BOOLEAN, DECIMAL(38) with extremes, VARCHAR with bytes 0x00 and 0xff and prefixes,
// CHAR with trailing blanks) in every direction and NULL placement, over a few values each so
// that later keys decide: the sort's order is a stable sort by a reference comparison.
TEST(Sort, MixedKeysInEveryDirectionOrderLikeAReference) {
  const std::vector<SqlType> types = {SqlType::Int64(), SqlType::Int32(), SqlType::Int16(), SqlType::Bool(),
                                      SqlType::Decimal(38, 0), SqlType::Varchar(-1), SqlType::Char(4), SqlType::Int32()};
  const std::vector<std::string> strings = {"", "a", "ab", std::string("a\0", 2), std::string("a\0b", 3), "\xff", "b", "a "};
  std::mt19937 rng(21);
  Batch b(types);
  const size_t n = 3000;
  b.SetRows(n);
  for (size_t i = 0; i < n; ++i) {
    const int pick = static_cast<int>(rng() % 4);
    b.columns[0].data<int64_t>()[i] = pick == 0 ? INT64_MIN : pick == 1 ? INT64_MAX : pick == 2 ? -1 : 0;
    b.columns[1].data<int32_t>()[i] = static_cast<int32_t>(rng() % 3) - 1;
    b.columns[2].data<int16_t>()[i] = static_cast<int16_t>(rng() % 3 == 0 ? INT16_MIN : rng() % 3);
    b.columns[3].data<uint8_t>()[i] = static_cast<uint8_t>(rng() % 2);
    const int128 big = (static_cast<int128>(1) << 120);
    b.columns[4].data<int128>()[i] = rng() % 3 == 0 ? -big : rng() % 2 ? big : static_cast<int128>(rng() % 3) - 1;
    b.columns[5].SetString(i, strings[rng() % strings.size()]);
    b.columns[6].SetString(i, rng() % 2 ? "ab" : rng() % 2 ? "ab  " : "b");
    b.columns[7].data<int32_t>()[i] = static_cast<int32_t>(i);  // the input order, to check stability
    for (int c = 0; c < 7; ++c) b.columns[c].SetNull(i, rng() % 7 == 0);
  }
  auto cmp_value = [&](int c, size_t x, size_t y) -> int {
    const Vector& v = b.columns[c];
    switch (c) {
      case 0: return (v.data<int64_t>()[x] > v.data<int64_t>()[y]) - (v.data<int64_t>()[x] < v.data<int64_t>()[y]);
      case 1: case 7: return (v.data<int32_t>()[x] > v.data<int32_t>()[y]) - (v.data<int32_t>()[x] < v.data<int32_t>()[y]);
      case 2: return (v.data<int16_t>()[x] > v.data<int16_t>()[y]) - (v.data<int16_t>()[x] < v.data<int16_t>()[y]);
      case 3: return (v.data<uint8_t>()[x] > v.data<uint8_t>()[y]) - (v.data<uint8_t>()[x] < v.data<uint8_t>()[y]);
      case 4: return (v.data<int128>()[x] > v.data<int128>()[y]) - (v.data<int128>()[x] < v.data<int128>()[y]);
      default: {
        std::string a(v.data<std::string_view>()[x]), bb(v.data<std::string_view>()[y]);
        if (c == 6) {
          while (!a.empty() && a.back() == ' ') a.pop_back();
          while (!bb.empty() && bb.back() == ' ') bb.pop_back();
        }
        const int r = a.compare(bb);
        return (r > 0) - (r < 0);
      }
    }
  };
  std::mt19937 pick_rng(5);
  for (int trial = 0; trial < 12; ++trial) {
    std::vector<int> keys = {0, 1, 2, 3, 4, 5, 6};
    std::shuffle(keys.begin(), keys.end(), pick_rng);
    keys.resize(2 + pick_rng() % 4);
    std::vector<bool> desc, nulls_first;
    plan::Sort s;
    s.set_limit(-1);
    for (int c : keys) {
      desc.push_back(pick_rng() % 2);
      nulls_first.push_back(pick_rng() % 2);
      auto* k = s.add_keys();
      *k->mutable_expr() = ColumnExpr(c, types[c]);
      k->set_desc(desc.back());
      k->set_nulls_first(nulls_first.back());
    }
    std::vector<size_t> expect(n);
    for (size_t i = 0; i < n; ++i) expect[i] = i;
    std::stable_sort(expect.begin(), expect.end(), [&](size_t x, size_t y) {
      for (size_t k = 0; k < keys.size(); ++k) {
        const bool nx = b.columns[keys[k]].IsNull(x), ny = b.columns[keys[k]].IsNull(y);
        if (nx || ny) {
          if (nx && ny) continue;
          return nx == nulls_first[k];
        }
        const int c = cmp_value(keys[k], x, y);
        if (c != 0) return desc[k] ? c > 0 : c < 0;
      }
      return false;
    });
    auto op = MakeSort(s, std::make_unique<BatchSource>(std::vector<Batch>{b}), types);
    std::vector<Row> rows = Drain(*op);
    ASSERT_EQ(rows.size(), n);
    for (size_t i = 0; i < n; ++i) ASSERT_EQ(rows[i][7], std::to_string(expect[i])) << "trial " << trial << " row " << i;
  }
}

TEST(Limit, OffsetAcrossBatches) {
  auto input = KeyValueBatches(2500, 10, 1);
  plan::Limit l;
  l.set_limit(5);
  l.set_offset(998);
  auto rows = Drain(*MakeLimit(l, std::make_unique<BatchSource>(input)));
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[2][0], std::to_string(input[1].columns[0].data<int32_t>()[0]));
}

TEST(BatchCodec, RoundTripsEveryType) {
  std::vector<SqlType> types{SqlType::Bool(), SqlType::Int16(), SqlType::Int32(), SqlType::Int64(),
                             SqlType::Decimal(30, 4), SqlType::Float64(), SqlType::Varchar(10), SqlType::Date()};
  Batch b(types);
  b.SetRows(100);
  for (size_t r = 0; r < 100; ++r) {
    b.columns[0].data<uint8_t>()[r] = r % 2;
    b.columns[1].data<int16_t>()[r] = static_cast<int16_t>(r);
    b.columns[2].data<int32_t>()[r] = static_cast<int32_t>(r * 1000);
    b.columns[3].data<int64_t>()[r] = static_cast<int64_t>(r) << 40;
    b.columns[4].data<int128>()[r] = static_cast<int128>(r) * Pow10(25);
    b.columns[5].data<double>()[r] = r / 3.0;
    b.columns[6].SetString(r, std::string(r % 11, 'a' + r % 26));
    b.columns[7].data<int32_t>()[r] = static_cast<int32_t>(r) - 50;
    for (auto& c : b.columns) c.SetNull(r, r % 7 == 0);
  }
  Batch d = DecodeBatch(EncodeBatch(b));
  ASSERT_EQ(d.rows, 100u);
  ASSERT_EQ(d.Types(), types);
  for (size_t r = 0; r < 100; ++r) {
    for (size_t c = 0; c < types.size(); ++c) EXPECT_EQ(d.columns[c].IsNull(r), b.columns[c].IsNull(r));
    EXPECT_TRUE(d.columns[4].data<int128>()[r] == b.columns[4].data<int128>()[r]);
    EXPECT_EQ(d.columns[6].data<std::string_view>()[r], b.columns[6].data<std::string_view>()[r]);
  }
  EXPECT_THROW(DecodeBatch(EncodeBatch(b).substr(0, 10)), SqlError);
}

TEST(RowHash, EqualValuesOfDifferentWidthsLandTogether) {
  Vector a(SqlType::Int32(), 1), b(SqlType::Int64(), 1), c(SqlType::Decimal(30, 0), 1), d(SqlType::Char(5), 1),
      e(SqlType::Varchar(5), 1);
  a.data<int32_t>()[0] = 7;
  b.data<int64_t>()[0] = 7;
  c.data<int128>()[0] = 7;
  d.SetString(0, "ab  ");
  e.SetString(0, "ab");
  std::vector<uint64_t> ha, hb, hc, hd, he;
  HashRows({&a}, 1, &ha);
  HashRows({&b}, 1, &hb);
  HashRows({&c}, 1, &hc);
  HashRows({&d}, 1, &hd);
  HashRows({&e}, 1, &he);
  EXPECT_EQ(ha, hb);
  EXPECT_EQ(hb, hc);
  EXPECT_EQ(hd, he);  // CHAR ignores trailing spaces
}

}  // namespace
}  // namespace strata
