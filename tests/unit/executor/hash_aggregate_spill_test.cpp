// The hash aggregate under a memory budget: the same answer with a tiny budget (spilling to
// disk in several levels of partitions, PARTIAL sending states downstream early) as with no
// budget, for int, string and two-column keys with NULL keys and
// count/sum/min/max/avg/listagg and count/sum(DISTINCT); 53200 when nothing can make room;
// 57014 on cancel while reading the input and while merging spilled partitions; no spill files
// left behind.
#include <dirent.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>

#include "executor/hash_aggregate.h"
#include "tests/unit/executor/spill_files.h"
#include "executor/memory_budget.h"
#include "planner/expr_builder.h"
#include "sql/error.h"
#include "tests/unit/executor/batch_source.h"

namespace strata {
namespace {

// Input columns.
constexpr int kIntKey = 0;     // BIGINT, NULL every 997th row
constexpr int kStrKey = 1;     // VARCHAR, NULL every 991st row
constexpr int kIntVal = 2;     // INTEGER, NULL every 7th row
constexpr int kFloatVal = 3;   // DOUBLE, halves (sums are exact in any order)
constexpr int kStrVal = 4;     // VARCHAR
constexpr int kDecVal = 5;     // DECIMAL(18, 2)

const std::vector<SqlType> kInputTypes = {SqlType::Int64(), SqlType::Varchar(-1), SqlType::Int32(),
                                          SqlType::Float64(), SqlType::Varchar(-1), SqlType::Decimal(18, 2)};

// `rows` rows over `groups` keys (each key about rows / groups times, interleaved), in
// batches of 1000.
std::vector<Batch> Input(size_t rows, size_t groups) {
  std::vector<Batch> out;
  for (size_t done = 0; done < rows;) {
    size_t n = std::min<size_t>(1000, rows - done);
    Batch b(kInputTypes);
    b.SetRows(n);
    for (size_t i = 0; i < n; ++i) {
      size_t row = done + i;
      int64_t k = static_cast<int64_t>((row * 7919) % groups);
      b.columns[kIntKey].SetNull(i, row % 997 == 0);
      b.columns[kIntKey].data<int64_t>()[i] = k * 3 - 100000;
      b.columns[kStrKey].SetNull(i, row % 991 == 0);
      b.columns[kStrKey].SetString(i, "customer#" + std::to_string(k));
      b.columns[kIntVal].SetNull(i, row % 7 == 0);
      b.columns[kIntVal].data<int32_t>()[i] = static_cast<int32_t>(row % 1000) - 500;
      b.columns[kFloatVal].data<double>()[i] = static_cast<double>(row % 301) / 2;
      b.columns[kStrVal].SetString(i, "v" + std::to_string((row * 31) % 977));
      b.columns[kDecVal].data<int64_t>()[i] = static_cast<int64_t>(row % 100003);
    }
    out.push_back(std::move(b));
    done += n;
  }
  return out;
}

plan::AggSpec Agg(plan::AggFunc f, int col, const SqlType& result, bool distinct = false) {
  plan::AggSpec a;
  a.set_func(f);
  if (f != plan::COUNT_STAR) *a.mutable_arg() = ColumnExpr(col, kInputTypes[col]);
  *a.mutable_result_type() = ToProtoType(result);
  a.set_distinct(distinct);
  if (f == plan::LISTAGG) a.set_delimiter(",");
  return a;
}

std::vector<plan::AggSpec> AllAggs(bool listagg) {
  std::vector<plan::AggSpec> v = {
      Agg(plan::COUNT_STAR, 0, SqlType::Int64()),
      Agg(plan::COUNT, kIntVal, SqlType::Int64()),
      Agg(plan::SUM, kIntVal, SqlType::Int64()),
      Agg(plan::MIN, kIntVal, SqlType::Int32()),
      Agg(plan::MAX, kIntVal, SqlType::Int32()),
      Agg(plan::AVG, kFloatVal, SqlType::Float64()),
      Agg(plan::AVG, kDecVal, SqlType::Decimal(38, 16)),
      Agg(plan::MIN, kStrVal, SqlType::Varchar(-1)),
      Agg(plan::MAX, kStrVal, SqlType::Varchar(-1)),
      Agg(plan::SUM, kDecVal, SqlType::Decimal(38, 2)),
  };
  if (listagg) v.push_back(Agg(plan::LISTAGG, kStrVal, SqlType::Varchar(65535)));
  return v;
}

plan::Aggregate Spec(plan::AggMode mode, const std::vector<int>& key_cols, const std::vector<plan::AggSpec>& aggs) {
  plan::Aggregate a;
  for (size_t i = 0; i < key_cols.size(); ++i) {
    // FINAL reads the partial states, whose first columns are the keys.
    int col = mode == plan::FINAL ? static_cast<int>(i) : key_cols[i];
    *a.add_groups() = ColumnExpr(col, kInputTypes[key_cols[i]]);
  }
  for (const auto& s : aggs) *a.add_aggs() = s;
  a.set_mode(mode);
  return a;
}

std::string Int128Text(int128 v) {
  if (v == 0) return "0";
  bool neg = v < 0;
  std::string s;
  while (v != 0) {
    int d = static_cast<int>(v % 10);
    s.push_back(static_cast<char>('0' + (d < 0 ? -d : d)));
    v /= 10;
  }
  if (neg) s.push_back('-');
  std::reverse(s.begin(), s.end());
  return s;
}

using Row = std::vector<std::string>;

std::vector<Row> Rows(const std::vector<Batch>& batches) {
  std::vector<Row> rows;
  for (const auto& b : batches) {
    for (size_t r = 0; r < b.rows; ++r) {
      Row row;
      for (const auto& c : b.columns) {
        if (c.IsNull(r)) { row.push_back("NULL"); continue; }
        std::string s;
        DispatchPhysical(c.physical(), [&]<typename T>() {
          if constexpr (std::is_same_v<T, std::string_view>) s = std::string(c.data<T>()[r]);
          else if constexpr (std::is_same_v<T, int128>) s = Int128Text(c.data<T>()[r]);
          else s = std::to_string(c.data<T>()[r]);
        });
        row.push_back(s);
      }
      rows.push_back(row);
    }
  }
  return rows;
}

std::vector<Batch> DrainBatches(Operator& op) {
  std::vector<Batch> out;
  Batch b;
  while (op.Next(&b)) out.push_back(std::move(b));
  return out;
}

std::vector<Row> Sorted(std::vector<Row> rows) {
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::vector<Batch> RunSingle(const std::vector<Batch>& input, const std::vector<int>& keys,
                             const std::vector<plan::AggSpec>& aggs, QueryMemory* memory) {
  ExecContext ctx;
  ctx.memory = memory;
  auto op = MakeHashAggregate(Spec(plan::SINGLE, keys, aggs), std::make_unique<BatchSource>(input), ctx);
  return DrainBatches(*op);
}

// Two "slices" aggregate halves of the input (PARTIAL), then one FINAL merges their states.
std::vector<Batch> RunTwoPhase(const std::vector<Batch>& input, const std::vector<int>& keys,
                               const std::vector<plan::AggSpec>& aggs, QueryMemory* memory, size_t* state_rows) {
  ExecContext ctx;
  ctx.memory = memory;
  size_t half = input.size() / 2;
  std::vector<Batch> a(input.begin(), input.begin() + half), b(input.begin() + half, input.end());
  std::vector<Batch> states;
  for (auto* part : {&a, &b}) {
    auto p = MakeHashAggregate(Spec(plan::PARTIAL, keys, aggs), std::make_unique<BatchSource>(*part), ctx);
    for (auto& s : DrainBatches(*p)) states.push_back(std::move(s));
  }
  *state_rows = 0;
  for (const auto& s : states) *state_rows += s.rows;
  auto f = MakeHashAggregate(Spec(plan::FINAL, keys, aggs), std::make_unique<BatchSource>(states), ctx);
  return DrainBatches(*f);
}

size_t RowCount(const std::vector<Batch>& batches) {
  size_t n = 0;
  for (const auto& b : batches) n += b.rows;
  return n;
}

class HashAggregateSpill : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = "/tmp/strata_agg_spill_test_" + std::to_string(::getpid());
    ::mkdir(dir_.c_str(), 0700);
  }
  void TearDown() override {
    EXPECT_EQ(FilesIn(dir_), 0) << "spill files left behind";
    ::rmdir(dir_.c_str());
  }
  std::string dir_;
};

constexpr int64_t kTiny = 64 * 1024;

// 200,000 groups, each key twice, with a budget that holds a few hundred groups: the input
// spills at level 0, each of its 32 partitions (~6,000 groups) spills again at level 1, and
// their partitions fit.
TEST_F(HashAggregateSpill, SingleIntKeySameAsUnlimited) {
  auto input = Input(400000, 200000);
  auto aggs = AllAggs(true);
  auto expect = RunSingle(input, {kIntKey}, aggs, nullptr);
  ASSERT_EQ(RowCount(expect), 200000u + 1);  // and the NULL key
  QueryMemory q(nullptr, kTiny, 1, dir_);
  auto got = RunSingle(input, {kIntKey}, aggs, &q);
  EXPECT_GT(q.spilled(), 0);
  EXPECT_LE(q.peak(), kTiny);
  EXPECT_EQ(q.used(), 0);
  // LISTAGG must even keep its order: spill files are merged in the order written.
  EXPECT_EQ(Sorted(Rows(got)), Sorted(Rows(expect)));
}

TEST_F(HashAggregateSpill, SingleStringAndTwoColumnKeysSameAsUnlimited) {
  auto input = Input(200000, 100000);
  auto aggs = AllAggs(true);
  for (const std::vector<int>& keys : {std::vector<int>{kStrKey}, std::vector<int>{kStrKey, kIntKey}}) {
    auto expect = RunSingle(input, keys, aggs, nullptr);
    QueryMemory q(nullptr, kTiny, 2, dir_);
    auto got = RunSingle(input, keys, aggs, &q);
    EXPECT_GT(q.spilled(), 0);
    EXPECT_LE(q.peak(), kTiny);
    EXPECT_EQ(Sorted(Rows(got)), Sorted(Rows(expect)));
  }
}

// PARTIAL over budget sends its states early (a group appears more than once downstream);
// FINAL merges those duplicates, itself spilling.
TEST_F(HashAggregateSpill, PartialThenFinalSameAsUnlimitedSingle) {
  auto input = Input(200000, 100000);
  auto aggs = AllAggs(false);
  for (const std::vector<int>& keys : {std::vector<int>{kIntKey}, std::vector<int>{kStrKey}}) {
    auto expect = RunSingle(input, keys, aggs, nullptr);
    size_t unlimited_states = 0, tiny_states = 0;
    auto unlimited = RunTwoPhase(input, keys, aggs, nullptr, &unlimited_states);
    EXPECT_EQ(Sorted(Rows(unlimited)), Sorted(Rows(expect)));
    QueryMemory q(nullptr, kTiny, 3, dir_);
    auto got = RunTwoPhase(input, keys, aggs, &q, &tiny_states);
    EXPECT_GT(tiny_states, unlimited_states);  // early flushes repeat groups
    EXPECT_GT(q.spilled(), 0);                 // the FINAL spilled
    EXPECT_LE(q.peak(), kTiny);
    EXPECT_EQ(Sorted(Rows(got)), Sorted(Rows(expect)));
  }
}

// A budget that fits everything: no spill, the same answer.
TEST_F(HashAggregateSpill, LargeBudgetDoesNotSpill) {
  auto input = Input(50000, 20000);
  auto aggs = AllAggs(true);
  auto expect = RunSingle(input, {kIntKey}, aggs, nullptr);
  QueryMemory q(nullptr, int64_t{256} << 20, 4, dir_);
  auto got = RunSingle(input, {kIntKey}, aggs, &q);
  EXPECT_EQ(q.spilled(), 0);
  EXPECT_GT(q.peak(), 0);
  EXPECT_EQ(Rows(got), Rows(expect));
}

// count(distinct x) cannot be merged from partial states: SINGLE spills input rows instead
// (grace hash aggregation by key hash), recursively. The budget must hold a batch of input
// rows (256 kB here). One group whose set of values outgrows the budget fails with 53200.
TEST_F(HashAggregateSpill, DistinctSpillsInputRows) {
  auto input = Input(200000, 50000);
  std::vector<plan::AggSpec> aggs = {Agg(plan::COUNT, kStrVal, SqlType::Int64(), true),
                                     Agg(plan::SUM, kIntVal, SqlType::Int64(), true),
                                     Agg(plan::COUNT_STAR, 0, SqlType::Int64()),
                                     Agg(plan::MAX, kStrVal, SqlType::Varchar(-1)),
                                     Agg(plan::LISTAGG, kStrVal, SqlType::Varchar(65535))};
  for (const std::vector<int>& keys : {std::vector<int>{kIntKey}, std::vector<int>{kStrKey}}) {
    auto expect = RunSingle(input, keys, aggs, nullptr);
    QueryMemory q(nullptr, 4 * kTiny, 5, dir_);
    auto got = RunSingle(input, keys, aggs, &q);
    EXPECT_GT(q.spilled(), 0);
    EXPECT_LE(q.peak(), 4 * kTiny);
    EXPECT_EQ(Sorted(Rows(got)), Sorted(Rows(expect)));
  }
  QueryMemory q(nullptr, 4 * kTiny, 6, dir_);
  try {
    RunSingle(input, {}, aggs, &q);
    FAIL() << "expected 53200";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), sqlstate::kOutOfMemory);
    EXPECT_NE(std::string(e.what()).find("HashAggregate"), std::string::npos);
  }
}

// Too small for the table's first arrays: 53200 naming the operator, for every key kind.
TEST_F(HashAggregateSpill, BudgetTooSmallFails53200) {
  auto input = Input(5000, 5000);
  for (const std::vector<int>& keys : {std::vector<int>{kIntKey}, std::vector<int>{kStrKey}, std::vector<int>{}}) {
    QueryMemory q(nullptr, 512, 7, dir_);
    try {
      RunSingle(input, keys, AllAggs(true), &q);
      FAIL() << "expected 53200";
    } catch (const SqlError& e) {
      EXPECT_EQ(e.sqlstate(), sqlstate::kOutOfMemory);
      EXPECT_NE(std::string(e.what()).find("HashAggregate"), std::string::npos);
    }
    EXPECT_EQ(q.used(), 0);
  }
}

// One group whose state alone outgrows the budget (a 60 kB LISTAGG under 32 kB): spilling
// cannot make room for it however often its partition is split; 53200, and nothing left held.
TEST_F(HashAggregateSpill, OneGroupOverTheBudgetFails53200) {
  std::vector<Batch> input;
  for (int b = 0; b < 5; ++b) {
    Batch batch(kInputTypes);
    batch.SetRows(1000);
    for (int i = 0; i < 1000; ++i) {
      int row = b * 1000 + i;
      bool big = row % 8 == 0;
      batch.columns[kIntKey].data<int64_t>()[i] = big ? 0 : 1 + row % 199;
      batch.columns[kStrKey].SetString(i, "k");
      batch.columns[kStrVal].SetString(i, big ? std::string(90, 'x') : "y");
    }
    input.push_back(std::move(batch));
  }
  std::vector<plan::AggSpec> aggs = {Agg(plan::LISTAGG, kStrVal, SqlType::Varchar(65535)),
                                     Agg(plan::COUNT_STAR, 0, SqlType::Int64())};
  ASSERT_EQ(RowCount(RunSingle(input, {kIntKey}, aggs, nullptr)), 200u);
  QueryMemory q(nullptr, kTiny / 2, 10, dir_);
  try {
    RunSingle(input, {kIntKey}, aggs, &q);
    FAIL() << "expected 53200";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), sqlstate::kOutOfMemory);
    EXPECT_NE(std::string(e.what()).find("HashAggregate"), std::string::npos);
  }
  EXPECT_GT(q.spilled(), 0);  // it tried
  EXPECT_EQ(q.used(), 0);
}

// Hands out batches and raises the cancel flag after `cancel_after` of them (or at the end).
class CancellingSource : public Operator {
 public:
  CancellingSource(std::vector<Batch> batches, size_t cancel_after, std::atomic<bool>* flag)
      : batches_(std::move(batches)), cancel_after_(cancel_after), flag_(flag) {}
  bool Next(Batch* out) override {
    if (pos_ >= cancel_after_) flag_->store(true);
    if (pos_ >= batches_.size()) return false;
    *out = Batch(batches_[pos_].Types());
    out->AppendAll(batches_[pos_++]);
    return true;
  }

 private:
  std::vector<Batch> batches_;
  size_t pos_ = 0, cancel_after_;
  std::atomic<bool>* flag_;
};

TEST_F(HashAggregateSpill, CancelWhileReadingAndWhileMergingSpills) {
  auto input = Input(200000, 100000);
  // After 10 batches: mid-input. After all 200: the input has ended and the operator is
  // merging its spilled partitions.
  for (size_t after : {size_t{10}, input.size()}) {
    for (int variant = 0; variant < 3; ++variant) {
      plan::AggMode mode = variant == 1 ? plan::PARTIAL : plan::SINGLE;
      auto aggs = AllAggs(false);
      if (variant == 2) aggs.push_back(Agg(plan::COUNT, kStrVal, SqlType::Int64(), true));  // spills input rows
      std::atomic<bool> cancelled{false};
      QueryMemory q(nullptr, 4 * kTiny, 8, dir_);
      ExecContext ctx;
      ctx.memory = &q;
      ctx.cancelled = &cancelled;
      auto op = MakeHashAggregate(Spec(mode, {kIntKey}, aggs),
                                  std::make_unique<CancellingSource>(input, after, &cancelled), ctx);
      try {
        DrainBatches(*op);
        if (mode == plan::SINGLE) FAIL() << "expected 57014";
      } catch (const SqlError& e) {
        EXPECT_EQ(e.sqlstate(), sqlstate::kQueryCanceled);
      }
      op.reset();
      EXPECT_EQ(q.used(), 0);
    }
  }
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

// Generates `rows` rows of (BIGINT key over `groups` keys, INTEGER value) batch by batch.
class GeneratedSource : public Operator {
 public:
  GeneratedSource(size_t rows, size_t groups) : rows_(rows), groups_(groups) {}
  bool Next(Batch* out) override {
    if (done_ >= rows_) return false;
    size_t n = std::min(kBatchSize, rows_ - done_);
    *out = Batch({SqlType::Int64(), SqlType::Int32()});
    out->SetRows(n);
    for (size_t i = 0; i < n; ++i) {
      size_t row = done_ + i;
      out->columns[0].data<int64_t>()[i] = static_cast<int64_t>((row * 7919) % groups_);
      out->columns[1].data<int32_t>()[i] = static_cast<int32_t>(row % 1000);
    }
    done_ += n;
    return true;
  }

 private:
  size_t rows_, groups_, done_ = 0;
};

// Figures, not a test: 10M rows into 5M groups (count, sum, min, max, avg) with the budget in
// AGG_BENCH_BUDGET (bytes; 0 = unlimited). Run one budget per process to read its peak RSS:
//   AGG_BENCH_BUDGET=16777216 ./build/unit_executor --gtest_also_run_disabled_tests \
//     --gtest_filter=HashAggregateSpillBench.*
TEST(HashAggregateSpillBench, DISABLED_Bench5MGroups) {
  const char* env = std::getenv("AGG_BENCH_BUDGET");
  int64_t budget = env == nullptr ? 0 : std::stoll(env);
  const SqlType k = SqlType::Int64(), v = SqlType::Int32();
  plan::Aggregate spec;
  *spec.add_groups() = ColumnExpr(0, k);
  auto agg = [&](plan::AggFunc f, const SqlType& result) {
    plan::AggSpec a;
    a.set_func(f);
    if (f != plan::COUNT_STAR) *a.mutable_arg() = ColumnExpr(1, v);
    *a.mutable_result_type() = ToProtoType(result);
    *spec.add_aggs() = a;
  };
  agg(plan::COUNT_STAR, SqlType::Int64());
  agg(plan::SUM, SqlType::Int64());
  agg(plan::MIN, v);
  agg(plan::MAX, v);
  agg(plan::AVG, SqlType::Decimal(38, 16));
  spec.set_mode(plan::SINGLE);
  std::unique_ptr<QueryMemory> q;
  if (budget > 0) q = std::make_unique<QueryMemory>(nullptr, budget, 9, "/tmp");
  ExecContext ctx;
  ctx.memory = q.get();
  auto start = std::chrono::steady_clock::now();
  auto op = MakeHashAggregate(spec, std::make_unique<GeneratedSource>(10000000, 5000000), ctx);
  Batch b;
  size_t rows = 0;
  int64_t sum = 0;
  while (op->Next(&b)) {
    rows += b.rows;
    for (size_t i = 0; i < b.rows; ++i) sum += b.columns[1].data<int64_t>()[i];
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  std::printf("budget %s: %zu groups, sum %lld, %.2f s, reservation peak %s, spilled %s, peak RSS %ld MB\n",
              budget > 0 ? FormatMemorySize(budget).c_str() : "unlimited", rows, static_cast<long long>(sum), secs,
              q ? FormatMemorySize(q->peak()).c_str() : "-", q ? FormatMemorySize(q->spilled()).c_str() : "-",
              ru.ru_maxrss / 1024);
  EXPECT_EQ(rows, 5000000u);
}

}  // namespace
}  // namespace strata
