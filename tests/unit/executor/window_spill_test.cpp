// The Window operator under a memory budget (executor/window_operator.h, issue 15): it streams
// partition by partition, so many partitions pass through a budget far smaller than the input
// with the same output (rows and order) as without a budget, in chunks of whole partitions
// (partitions that straddle batches, NULL partition keys, CHAR keys); a partition larger than
// the budget goes in pieces with carried state when its functions allow (ranks, running
// aggregates, first_value, last_value to the current row), else fails with 53200 naming Window;
// a cancel stops it with 57014.
#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <string>

#include "executor/memory_budget.h"
#include "executor/sort_operator.h"
#include "executor/window_operator.h"
#include "planner/expr_builder.h"
#include "sql/error.h"
#include "sql/value_text.h"
#include "tests/unit/executor/batch_source.h"

namespace strata {
namespace {

// Columns: 0 id INT64, 1 p INT32 (partition, NULLs), 2 c CHAR(3) (partition, blanks vary),
// 3 o INT32 (order, ties), 4 v INT32 (NULLs), 5 s VARCHAR.
std::vector<SqlType> Types() {
  return {SqlType::Int64(), SqlType::Int32(), SqlType::Char(3), SqlType::Int32(), SqlType::Int32(), SqlType::Varchar(10)};
}

std::vector<Batch> RandomInput(size_t rows, size_t batch_rows, int partitions, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<Batch> out;
  for (size_t base = 0; base < rows; base += batch_rows) {
    size_t n = std::min(batch_rows, rows - base);
    Batch b(Types());
    b.SetRows(n);
    for (size_t i = 0; i < n; ++i) {
      b.columns[0].data<int64_t>()[i] = static_cast<int64_t>(base + i);
      b.columns[1].SetNull(i, rng() % 97 == 0);
      b.columns[1].data<int32_t>()[i] = static_cast<int32_t>(rng() % partitions);
      b.columns[2].SetString(i, std::string(1, static_cast<char>('x' + rng() % 2)) + std::string(rng() % 2, ' '));
      b.columns[3].data<int32_t>()[i] = static_cast<int32_t>(rng() % 20);
      b.columns[4].SetNull(i, rng() % 5 == 0);
      b.columns[4].data<int32_t>()[i] = static_cast<int32_t>(rng() % 1000);
      b.columns[5].SetString(i, "s" + std::to_string(rng() % 100));
    }
    out.push_back(std::move(b));
  }
  return out;
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

plan::Window Spec(bool partitioned) {
  auto t = Types();
  plan::Window spec;
  if (partitioned) {
    *spec.add_partition_keys() = ColumnExpr(1, t[1]);
    *spec.add_partition_keys() = ColumnExpr(2, t[2]);
  }
  auto* o = spec.add_order_keys();
  *o->mutable_expr() = ColumnExpr(3, t[3]);
  auto* o2 = spec.add_order_keys();
  *o2->mutable_expr() = ColumnExpr(0, t[0]);
  o2->set_desc(true);
  o2->set_nulls_first(true);
  SqlType i64 = SqlType::Int64(), i32 = SqlType::Int32(), vc = t[5];
  *spec.add_funcs() = Func(plan::WIN_ROW_NUMBER, i64);
  *spec.add_funcs() = Func(plan::WIN_RANK, i64);
  *spec.add_funcs() = Func(plan::WIN_SUM, i64, {ColumnExpr(4, i32)});
  *spec.add_funcs() = Func(plan::WIN_COUNT_STAR, i64, {}, plan::WHOLE_PARTITION);
  *spec.add_funcs() = Func(plan::WIN_MAX, vc, {ColumnExpr(5, vc)}, plan::ROWS_TO_CURRENT);
  *spec.add_funcs() = Func(plan::WIN_LAG, i32, {ColumnExpr(4, i32), Int64Literal(1, i64), NullLiteral(i32)});
  *spec.add_funcs() = Func(plan::WIN_LEAD, vc, {ColumnExpr(5, vc), Int64Literal(2, i64), StringLiteral("none", vc)});
  *spec.add_funcs() = Func(plan::WIN_LAST_VALUE, i32, {ColumnExpr(4, i32)}, plan::WHOLE_PARTITION);
  return spec;
}

// Only functions that can run a piece of a partition at a time (ranks, running aggregates,
// first_value, last_value to the current peer group), with ORDER BY o only (big peer groups).
plan::Window StreamableSpec(bool partitioned) {
  auto t = Types();
  plan::Window spec;
  if (partitioned) *spec.add_partition_keys() = ColumnExpr(2, t[2]);
  auto* o = spec.add_order_keys();
  *o->mutable_expr() = ColumnExpr(3, t[3]);
  SqlType i64 = SqlType::Int64(), i32 = SqlType::Int32(), vc = t[5];
  *spec.add_funcs() = Func(plan::WIN_ROW_NUMBER, i64);
  *spec.add_funcs() = Func(plan::WIN_RANK, i64);
  *spec.add_funcs() = Func(plan::WIN_DENSE_RANK, i64);
  *spec.add_funcs() = Func(plan::WIN_SUM, i64, {ColumnExpr(4, i32)});
  *spec.add_funcs() = Func(plan::WIN_COUNT, i64, {ColumnExpr(4, i32)}, plan::ROWS_TO_CURRENT);
  *spec.add_funcs() = Func(plan::WIN_COUNT_STAR, i64);
  *spec.add_funcs() = Func(plan::WIN_MIN, vc, {ColumnExpr(5, vc)});
  *spec.add_funcs() = Func(plan::WIN_MAX, i32, {ColumnExpr(4, i32)}, plan::ROWS_TO_CURRENT);
  *spec.add_funcs() = Func(plan::WIN_FIRST_VALUE, vc, {ColumnExpr(5, vc)});
  *spec.add_funcs() = Func(plan::WIN_FIRST_VALUE, i32, {ColumnExpr(4, i32)});
  *spec.add_funcs() = Func(plan::WIN_LAST_VALUE, i32, {ColumnExpr(4, i32)});
  return spec;
}

// Sort (unlimited) then Window with `memory` (may be null); rows as text, in output order.
std::vector<std::string> RunWindow(const plan::Window& spec, const std::vector<Batch>& input, QueryMemory* memory,
                             const std::atomic<bool>* cancel = nullptr) {
  plan::Sort sort;
  for (const auto& k : spec.partition_keys()) {
    auto* key = sort.add_keys();
    *key->mutable_expr() = k;
  }
  for (const auto& k : spec.order_keys()) *sort.add_keys() = k;
  sort.set_limit(-1);
  ExecContext ctx;
  ctx.memory = memory;
  ctx.cancelled = cancel;
  auto w = MakeWindow(spec, MakeSort(sort, std::make_unique<BatchSource>(input), Types()), Types(), ctx);
  std::vector<std::string> rows;
  Batch b;
  while (w->Next(&b)) {
    for (size_t r = 0; r < b.rows; ++r) {
      std::string row;
      for (const auto& c : b.columns) row += ValueText(c, r) + "|";
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

TEST(WindowSpill, ManyPartitionsStreamThroughATinyBudget) {
  for (int partitions : {3000, 200, 7}) {  // partitions smaller than, about, and many times a batch
    auto input = RandomInput(100000, 1000, partitions, static_cast<uint32_t>(partitions));
    auto spec = Spec(true);
    QueryMemory unlimited(nullptr, int64_t{1} << 40, 1, "/tmp");
    auto expect = RunWindow(spec, input, &unlimited);
    ASSERT_EQ(expect.size(), 100000u);
    int64_t budget = partitions == 7 ? (12 << 20) : (3 << 20);
    QueryMemory memory(nullptr, budget, 1, "/tmp");
    auto got = RunWindow(spec, input, &memory);
    EXPECT_TRUE(got == RunWindow(spec, input, nullptr)) << partitions;
    EXPECT_TRUE(got == expect) << partitions;
    EXPECT_EQ(memory.used(), 0);
    EXPECT_LE(memory.peak(), budget);
    // The whole input would not have fitted: a window without PARTITION BY holds it all.
    QueryMemory whole(nullptr, int64_t{1} << 40, 1, "/tmp");
    RunWindow(Spec(false), input, &whole);
    EXPECT_GT(whole.peak(), 2 * budget) << partitions;
    EXPECT_GT(whole.peak(), 4 * unlimited.peak()) << partitions;
  }
}

TEST(WindowSpill, LargePartitionsInPiecesWithCarriedState) {
  auto input = RandomInput(100000, 1000, 50, 4);
  for (auto& b : input) {  // order keys with peer groups of about 200 rows (2,000 per partition)
    for (size_t r = 0; r < b.rows; ++r) b.columns[3].data<int32_t>()[r] = static_cast<int32_t>((b.columns[0].data<int64_t>()[r] * 7919) % 500);
  }
  for (bool partitioned : {false, true}) {
    auto spec = StreamableSpec(partitioned);
    auto expect = RunWindow(spec, input, nullptr);
    ASSERT_EQ(expect.size(), 100000u);
    QueryMemory memory(nullptr, 4 << 20, 1, "/tmp");  // the input is about 25 MB
    auto got = RunWindow(spec, input, &memory);
    ASSERT_EQ(got.size(), expect.size());
    size_t first_diff = 0;
    while (first_diff < got.size() && got[first_diff] == expect[first_diff]) ++first_diff;
    EXPECT_EQ(first_diff, got.size()) << (first_diff < got.size() ? got[first_diff] + " vs " + expect[first_diff] : "");
    EXPECT_EQ(memory.used(), 0);
    EXPECT_LE(memory.peak(), 4 << 20);
  }
}

TEST(WindowSpill, OnePartitionOverTheBudgetIs53200) {
  auto input = RandomInput(100000, 1000, 3000, 1);
  QueryMemory memory(nullptr, 3 << 20, 1, "/tmp");
  try {
    RunWindow(Spec(false), input, &memory);
    FAIL() << "expected 53200";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), sqlstate::kOutOfMemory);
    EXPECT_NE(std::string(e.what()).find("Window"), std::string::npos);
  }
  EXPECT_EQ(memory.used(), 0);
}

TEST(WindowSpill, CancelStops) {
  auto input = RandomInput(5000, 1000, 50, 2);
  std::atomic<bool> cancel{true};
  try {
    RunWindow(Spec(true), input, nullptr, &cancel);
    FAIL() << "expected 57014";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), sqlstate::kQueryCanceled);
  }
}

}  // namespace
}  // namespace strata
