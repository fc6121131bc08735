// The Window operator over a Sort, as the planner stacks them: ranking functions with ties and
// NULL keys, aggregates under each supported frame, lag / lead / first_value / last_value,
// strings, empty input, and a multi-batch random input against a brute-force computation.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <random>
#include <string>

#include "executor/sort_operator.h"
#include "executor/window_operator.h"
#include "planner/expr_builder.h"
#include "tests/unit/executor/batch_source.h"

namespace strata {
namespace {

using Opt = std::optional<int64_t>;
constexpr int64_t kNull = INT64_MIN;  // marks a NULL in the int columns below

// One batch of int32 columns; kNull makes a NULL.
Batch IntBatch(const std::vector<std::vector<int64_t>>& cols) {
  std::vector<SqlType> types(cols.size(), SqlType::Int32());
  Batch b(types);
  b.SetRows(cols[0].size());
  for (size_t c = 0; c < cols.size(); ++c) {
    for (size_t r = 0; r < cols[c].size(); ++r) {
      bool null = cols[c][r] == kNull;
      b.columns[c].SetNull(r, null);
      b.columns[c].data<int32_t>()[r] = null ? 0 : static_cast<int32_t>(cols[c][r]);
    }
  }
  return b;
}

plan::WindowFunc Func(plan::WindowFuncKind kind, const SqlType& result, std::vector<plan::Expr> args = {},
                      plan::WindowFrame frame = plan::RANGE_TO_CURRENT) {
  plan::WindowFunc f;
  f.set_func(kind);
  for (auto& a : args) *f.add_args() = std::move(a);
  *f.mutable_result_type() = ToProtoType(result);
  f.set_frame(frame);
  return f;
}

plan::Expr Col(int i, const SqlType& t = SqlType::Int32()) { return ColumnExpr(i, t); }

// Runs Sort(partition keys, order keys) then Window over `batches` of `types`.
std::vector<Batch> RunWindow(const plan::Window& spec, std::vector<Batch> batches, const std::vector<SqlType>& types) {
  plan::Sort sort;
  for (const auto& k : spec.partition_keys()) {
    auto* key = sort.add_keys();
    *key->mutable_expr() = k;
    key->set_nulls_first(false);
  }
  for (const auto& k : spec.order_keys()) *sort.add_keys() = k;
  sort.set_limit(-1);
  OperatorPtr src = std::make_unique<BatchSource>(std::move(batches));
  OperatorPtr sorted = MakeSort(sort, std::move(src), types);
  OperatorPtr w = MakeWindow(spec, std::move(sorted), types);
  std::vector<Batch> out;
  Batch b;
  while (w->Next(&b)) out.push_back(std::move(b));
  return out;
}

// All rows as int64 values (kNull for NULL) of the integer columns of the output.
std::vector<std::vector<int64_t>> Rows(const std::vector<Batch>& out) {
  std::vector<std::vector<int64_t>> rows;
  for (const auto& b : out) {
    for (size_t r = 0; r < b.rows; ++r) {
      std::vector<int64_t> row;
      for (const auto& c : b.columns) {
        if (c.IsNull(r)) { row.push_back(kNull); continue; }
        switch (c.physical()) {
          case PhysicalType::kInt32: row.push_back(c.data<int32_t>()[r]); break;
          case PhysicalType::kInt64: row.push_back(c.data<int64_t>()[r]); break;
          case PhysicalType::kInt128: row.push_back(static_cast<int64_t>(c.data<int128>()[r])); break;
          case PhysicalType::kFloat64: row.push_back(static_cast<int64_t>(c.data<double>()[r] * 1000)); break;
          default: row.push_back(-999);
        }
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

plan::SortKey Key(int col, bool desc = false) {
  plan::SortKey k;
  *k.mutable_expr() = Col(col);
  k.set_desc(desc);
  k.set_nulls_first(desc);
  return k;
}

TEST(WindowOperator, RanksWithTiesAndNullKeys) {
  // (p, o): partition 1 has a tie on o = 20 and a NULL o (last, ASC); NULL p is its own partition.
  Batch in = IntBatch({{1, 2, 1, kNull, 1, 1, kNull, 2}, {20, 5, 10, 7, kNull, 20, 7, 5}});
  plan::Window spec;
  *spec.add_partition_keys() = Col(0);
  *spec.add_order_keys() = Key(1);
  *spec.add_funcs() = Func(plan::WIN_ROW_NUMBER, SqlType::Int64());
  *spec.add_funcs() = Func(plan::WIN_RANK, SqlType::Int64());
  *spec.add_funcs() = Func(plan::WIN_DENSE_RANK, SqlType::Int64());
  auto rows = Rows(RunWindow(spec, {in}, {SqlType::Int32(), SqlType::Int32()}));
  std::vector<std::vector<int64_t>> expect = {
      {1, 10, 1, 1, 1},         {1, 20, 2, 2, 2},         {1, 20, 3, 2, 2},         {1, kNull, 4, 4, 3},
      {2, 5, 1, 1, 1},          {2, 5, 2, 1, 1},          {kNull, 7, 1, 1, 1},      {kNull, 7, 2, 1, 1},
  };
  EXPECT_EQ(rows, expect);
}

TEST(WindowOperator, AggregatesUnderEachFrame) {
  // One partition ordered by o with a tie at o = 2; v has a NULL.
  Batch in = IntBatch({{1, 2, 2, 3, 4}, {10, 20, kNull, 30, 40}});
  plan::Window spec;
  *spec.add_order_keys() = Key(0);
  SqlType i32 = SqlType::Int32();
  for (plan::WindowFrame frame : {plan::RANGE_TO_CURRENT, plan::ROWS_TO_CURRENT, plan::WHOLE_PARTITION}) {
    *spec.add_funcs() = Func(plan::WIN_SUM, SqlType::Int64(), {Col(1)}, frame);
    *spec.add_funcs() = Func(plan::WIN_COUNT, SqlType::Int64(), {Col(1)}, frame);
    *spec.add_funcs() = Func(plan::WIN_COUNT_STAR, SqlType::Int64(), {}, frame);
  }
  *spec.add_funcs() = Func(plan::WIN_MIN, i32, {Col(1)});
  *spec.add_funcs() = Func(plan::WIN_MAX, i32, {Col(1)});
  auto rows = Rows(RunWindow(spec, {in}, {i32, i32}));
  ASSERT_EQ(rows.size(), 5u);
  // RANGE: peers (o = 2) share the sum through both of them.
  EXPECT_EQ(rows[0], (std::vector<int64_t>{1, 10, 10, 1, 1, 10, 1, 1, 100, 4, 5, 10, 10}));
  EXPECT_EQ(rows[1][2], 30);
  EXPECT_EQ(rows[2][2], 30);
  EXPECT_EQ(rows[1][4], 3);
  EXPECT_EQ(rows[2][4], 3);
  // ROWS: the two peers differ (stable sort keeps input order: 20 then NULL).
  EXPECT_EQ(rows[1][5], 30);
  EXPECT_EQ(rows[2][5], 30);
  EXPECT_EQ(rows[1][6], 2);
  EXPECT_EQ(rows[2][6], 2);
  EXPECT_EQ(rows[1][7], 2);
  EXPECT_EQ(rows[2][7], 3);
  EXPECT_EQ(rows[4], (std::vector<int64_t>{4, 40, 100, 4, 5, 100, 4, 5, 100, 4, 5, 10, 40}));
}

TEST(WindowOperator, AverageOfDecimalAndNullOnlyFrame) {
  // avg over DECIMAL(10,0) into DECIMAL(38,16), partitioned; partition 2 has only NULLs.
  SqlType dec = SqlType::Decimal(10, 0);
  Batch in({SqlType::Int32(), dec});
  in.SetRows(4);
  int64_t p[] = {1, 1, 2, 1};
  int64_t v[] = {1, 2, 0, 4};
  for (int i = 0; i < 4; ++i) {
    in.columns[0].data<int32_t>()[i] = static_cast<int32_t>(p[i]);
    in.columns[0].SetNull(i, false);
    in.columns[1].data<int64_t>()[i] = v[i];
    in.columns[1].SetNull(i, i == 2);
  }
  plan::Window spec;
  *spec.add_partition_keys() = Col(0);
  SqlType avg_type = SqlType::Decimal(38, 16);
  *spec.add_funcs() = Func(plan::WIN_AVG, avg_type, {ColumnExpr(1, dec)}, plan::WHOLE_PARTITION);
  auto out = RunWindow(spec, {in}, {SqlType::Int32(), dec});
  ASSERT_EQ(out.size(), 1u);
  const Vector& a = out[0].columns[2];
  const Vector& part = out[0].columns[0];
  for (size_t r = 0; r < out[0].rows; ++r) {
    if (part.data<int32_t>()[r] == 2) {
      EXPECT_TRUE(a.IsNull(r));
    } else {
      ASSERT_FALSE(a.IsNull(r));
      // 7 / 3 = 2.3333333333333333 at scale 16.
      EXPECT_EQ(a.data<int128>()[r], static_cast<int128>(23333333333333333LL));
    }
  }
}

TEST(WindowOperator, LagLeadFirstLastValue) {
  Batch in = IntBatch({{1, 1, 1, 2, 2}, {1, 2, 3, 1, 2}, {10, 20, 30, 40, kNull}});
  plan::Window spec;
  *spec.add_partition_keys() = Col(0);
  *spec.add_order_keys() = Key(1);
  SqlType i32 = SqlType::Int32(), i64 = SqlType::Int64();
  *spec.add_funcs() = Func(plan::WIN_LAG, i32, {Col(2), Int64Literal(1, i64), NullLiteral(i32)});
  *spec.add_funcs() = Func(plan::WIN_LEAD, i32, {Col(2), Int64Literal(2, i64), Int64Literal(-1, i32)});
  *spec.add_funcs() = Func(plan::WIN_FIRST_VALUE, i32, {Col(2)});
  *spec.add_funcs() = Func(plan::WIN_LAST_VALUE, i32, {Col(2)});
  *spec.add_funcs() = Func(plan::WIN_LAST_VALUE, i32, {Col(2)}, plan::WHOLE_PARTITION);
  *spec.add_funcs() = Func(plan::WIN_LAG, i32, {Col(2), NullLiteral(i64), NullLiteral(i32)});
  auto rows = Rows(RunWindow(spec, {in}, {i32, i32, i32}));
  std::vector<std::vector<int64_t>> expect = {
      {1, 1, 10, kNull, 30, 10, 10, 30, kNull},
      {1, 2, 20, 10, -1, 10, 20, 30, kNull},
      {1, 3, 30, 20, -1, 10, 30, 30, kNull},
      {2, 1, 40, kNull, -1, 40, 40, kNull, kNull},
      {2, 2, kNull, 40, -1, 40, kNull, kNull, kNull},
  };
  EXPECT_EQ(rows, expect);
}

TEST(WindowOperator, StringsKeepTheirBytes) {
  SqlType vc = SqlType::Varchar(10);
  Batch in({SqlType::Int32(), vc});
  in.SetRows(4);
  const char* s[] = {"pear", "apple", "fig", "kiwi"};
  for (int i = 0; i < 4; ++i) {
    in.columns[0].data<int32_t>()[i] = i;
    in.columns[0].SetNull(i, false);
    in.columns[1].SetString(i, s[i]);
    in.columns[1].SetNull(i, false);
  }
  plan::Window spec;
  *spec.add_order_keys() = Key(0);
  *spec.add_funcs() = Func(plan::WIN_MIN, vc, {ColumnExpr(1, vc)});
  *spec.add_funcs() = Func(plan::WIN_LAG, vc, {ColumnExpr(1, vc), Int64Literal(1, SqlType::Int64()), StringLiteral("none", vc)});
  auto out = RunWindow(spec, {in}, {SqlType::Int32(), vc});
  ASSERT_EQ(out.size(), 1u);
  std::vector<std::string> mins, lags;
  for (size_t r = 0; r < out[0].rows; ++r) {
    mins.emplace_back(out[0].columns[2].data<std::string_view>()[r]);
    lags.emplace_back(out[0].columns[3].data<std::string_view>()[r]);
  }
  EXPECT_EQ(mins, (std::vector<std::string>{"pear", "apple", "apple", "apple"}));
  EXPECT_EQ(lags, (std::vector<std::string>{"none", "pear", "apple", "fig"}));
}

TEST(WindowOperator, EmptyInputGivesNoRows) {
  plan::Window spec;
  *spec.add_partition_keys() = Col(0);
  *spec.add_funcs() = Func(plan::WIN_ROW_NUMBER, SqlType::Int64());
  *spec.add_funcs() = Func(plan::WIN_SUM, SqlType::Int64(), {Col(0)});
  EXPECT_TRUE(RunWindow(spec, {}, {SqlType::Int32()}).empty());
}

TEST(WindowOperator, ManyBatchesMatchBruteForce) {
  // 5000 rows over 3 batches: 37 partitions (and NULL), order keys with many ties.
  std::mt19937 rng(42);
  std::vector<Batch> batches;
  std::vector<std::array<int64_t, 3>> all;
  for (int b = 0; b < 3; ++b) {
    std::vector<int64_t> p, o, v;
    for (int i = 0; i < (b == 2 ? 1000 : 2000); ++i) {
      p.push_back(rng() % 20 == 0 ? kNull : static_cast<int64_t>(rng() % 37));
      o.push_back(static_cast<int64_t>(rng() % 50));
      v.push_back(rng() % 10 == 0 ? kNull : static_cast<int64_t>(rng() % 1000));
      all.push_back({p.back(), o.back(), v.back()});
    }
    batches.push_back(IntBatch({p, o, v}));
  }
  plan::Window spec;
  *spec.add_partition_keys() = Col(0);
  *spec.add_order_keys() = Key(1, true);
  *spec.add_funcs() = Func(plan::WIN_RANK, SqlType::Int64());
  *spec.add_funcs() = Func(plan::WIN_SUM, SqlType::Int64(), {Col(2)});
  *spec.add_funcs() = Func(plan::WIN_COUNT_STAR, SqlType::Int64(), {}, plan::WHOLE_PARTITION);
  SqlType i32 = SqlType::Int32();
  auto rows = Rows(RunWindow(spec, batches, {i32, i32, i32}));
  ASSERT_EQ(rows.size(), all.size());
  // Brute force per row: rank = 1 + rows of the partition with a larger o (DESC); the RANGE sum
  // covers rows with o >= this o; the count is the partition's size.
  std::map<int64_t, std::vector<std::array<int64_t, 3>>> parts;
  for (const auto& r : all) parts[r[0]].push_back(r);
  for (const auto& row : rows) {
    const auto& part = parts[row[0]];
    int64_t rank = 1, sum = 0;
    bool any = false;
    for (const auto& r : part) {
      if (r[1] > row[1]) ++rank;
      if (r[1] >= row[1] && r[2] != kNull) { sum += r[2]; any = true; }
    }
    ASSERT_EQ(row[3], rank);
    ASSERT_EQ(row[4], any ? sum : kNull);
    ASSERT_EQ(row[5], static_cast<int64_t>(part.size()));
  }
}

}  // namespace
}  // namespace strata
