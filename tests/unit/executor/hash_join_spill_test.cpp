// The hash join in bounded memory (issue 15): for every join type, int and string keys with
// duplicates and NULLs, with and without a residual predicate, the join under a tiny budget
// (partitioned to spill files and re-partitioned at least once) gives exactly the rows of the
// in-memory join; one key repeated past the budget fails with 53200 naming the operator; a
// cancel while partitioning and while joining spilled partitions returns 57014. The nested
// loop join spills its build side past the budget and gives the same rows.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <climits>
#include <cstdlib>
#include <random>
#include <string>
#include <tuple>

#include "executor/hash_join.h"
#include "executor/memory_budget.h"
#include "planner/expr_builder.h"
#include "sql/error.h"
#include "tests/unit/executor/batch_source.h"

namespace strata {
namespace {

constexpr int64_t kTinyBudget = 64 * 1024;

// (key, value) rows in batches of kBatchSize: keys from [0, keys) with duplicates, about 5%
// NULL keys and 10% NULL values; string keys are "k<n>" padded to varied lengths.
std::vector<Batch> Input(size_t rows, int keys, bool string_keys, uint32_t seed) {
  std::mt19937 rng(seed);
  SqlType key_type = string_keys ? SqlType::Text() : SqlType::Int32();
  std::vector<Batch> out;
  for (size_t done = 0; done < rows;) {
    size_t n = std::min(kBatchSize, rows - done);
    Batch b({key_type, SqlType::Int32()});
    b.SetRows(n);
    for (size_t i = 0; i < n; ++i) {
      int k = static_cast<int>(rng() % keys);
      bool null_key = rng() % 20 == 0;
      b.columns[0].SetNull(i, null_key);
      if (string_keys) {
        std::string key = std::to_string(k);
        key.append(static_cast<size_t>(k % 13), 'x');
        b.columns[0].SetString(i, null_key ? std::string() : key);
      } else {
        b.columns[0].data<int32_t>()[i] = null_key ? 0 : k;
      }
      bool null_value = rng() % 10 == 0;
      b.columns[1].SetNull(i, null_value);
      b.columns[1].data<int32_t>()[i] = null_value ? 0 : static_cast<int32_t>(rng() % 1000);
    }
    out.push_back(std::move(b));
    done += n;
  }
  return out;
}

// Every row of the operator's output as one string, sorted.
std::vector<std::string> DrainSorted(Operator& op) {
  std::vector<std::string> rows;
  Batch b;
  while (op.Next(&b)) {
    for (size_t r = 0; r < b.rows; ++r) {
      std::string row;
      for (const auto& c : b.columns) {
        if (c.IsNull(r)) {
          row += "NULL|";
          continue;
        }
        DispatchPhysical(c.physical(), [&]<typename T>() {
          if constexpr (std::is_same_v<T, std::string_view>) row += std::string(c.data<T>()[r]);
          else if constexpr (std::is_same_v<T, int128>) row += std::to_string(static_cast<int64_t>(c.data<T>()[r]));
          else row += std::to_string(c.data<T>()[r]);
        });
        row += '|';
      }
      rows.push_back(std::move(row));
    }
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

plan::HashJoin Spec(plan::JoinType type, bool string_keys, bool residual) {
  SqlType key_type = string_keys ? SqlType::Text() : SqlType::Int32();
  plan::HashJoin spec;
  *spec.add_probe_keys() = ColumnExpr(0, key_type);
  *spec.add_build_keys() = ColumnExpr(0, key_type);
  spec.set_type(type);
  if (residual) {  // probe.value < build.value + 300 (NULL values never pass)
    *spec.mutable_residual() =
        CallExpr(plan::LT, SqlType::Bool(),
                 {ColumnExpr(1, SqlType::Int32()),
                  CallExpr(plan::ADD, SqlType::Int32(), {ColumnExpr(3, SqlType::Int32()), Int64Literal(300, SqlType::Int32())})});
  }
  return spec;
}

OperatorPtr Join(const plan::HashJoin& spec, const std::vector<Batch>& probe, const std::vector<Batch>& build,
                 const ExecContext& ctx) {
  std::vector<SqlType> types = probe.front().Types();
  return MakeHashJoin(spec, std::make_unique<BatchSource>(probe), std::make_unique<BatchSource>(build), types, types, ctx);
}

using Case = std::tuple<plan::JoinType, bool /*string keys*/, bool /*residual*/>;

class HashJoinSpillTest : public ::testing::TestWithParam<Case> {};

TEST_P(HashJoinSpillTest, TinyBudgetGivesTheInMemoryAnswer) {
  auto [type, string_keys, residual] = GetParam();
  // 80,000 build rows: each of the 32 first-level partitions is larger than the whole budget,
  // so every one of them is partitioned again.
  auto build = Input(80000, 30000, string_keys, 1);
  auto probe = Input(50000, 36000, string_keys, 2);
  plan::HashJoin spec = Spec(type, string_keys, residual);

  ExecContext unlimited;
  auto in_memory = Join(spec, probe, build, unlimited);
  auto expect = DrainSorted(*in_memory);
  EXPECT_EQ(HashJoinPartitionDepth(*in_memory), 0);
  // (x NOT IN a list holding NULL is never true: that join is empty here.)
  if (type != plan::NULL_AWARE_ANTI) {
    ASSERT_FALSE(expect.empty());
  }

  QueryMemory memory(nullptr, kTinyBudget, 1, "/tmp");
  ExecContext tiny;
  tiny.memory = &memory;
  auto spilling = Join(spec, probe, build, tiny);
  auto got = DrainSorted(*spilling);
  EXPECT_GT(memory.spilled(), 0);
  EXPECT_GE(HashJoinPartitionDepth(*spilling), 2);
  ASSERT_EQ(got.size(), expect.size());
  EXPECT_TRUE(got == expect);
  spilling.reset();
  EXPECT_EQ(memory.used(), 0);
}

std::string CaseName(const ::testing::TestParamInfo<Case>& info) {
  auto [type, string_keys, residual] = info.param;
  return plan::JoinType_Name(type) + (string_keys ? "_String" : "_Int") + (residual ? "_Residual" : "");
}

INSTANTIATE_TEST_SUITE_P(AllJoins, HashJoinSpillTest,
                         ::testing::Combine(::testing::Values(plan::INNER, plan::LEFT, plan::RIGHT, plan::FULL, plan::SEMI,
                                                              plan::ANTI, plan::NULL_AWARE_ANTI, plan::MARK,
                                                              plan::NULL_AWARE_MARK, plan::RIGHT_SEMI, plan::RIGHT_ANTI),
                                            ::testing::Bool(), ::testing::Bool()),
                         CaseName);

// Rows (k1, k2, value): k1 SMALLINT from [-40, 40), k2 from a few values including the
// extremes of INTEGER, as INTEGER or as BIGINT (`wide`); about 4% NULL in each key.
std::vector<Batch> TwoKeyInput(size_t rows, bool wide, uint32_t seed) {
  static const int64_t kSecond[] = {INT32_MIN, -7, -1, 0, 1, 5, 77, INT32_MAX};
  std::mt19937 rng(seed);
  std::vector<Batch> out;
  for (size_t done = 0; done < rows;) {
    size_t n = std::min(kBatchSize, rows - done);
    Batch b({SqlType::Int16(), wide ? SqlType::Int64() : SqlType::Int32(), SqlType::Int32()});
    b.SetRows(n);
    for (size_t i = 0; i < n; ++i) {
      b.columns[0].data<int16_t>()[i] = static_cast<int16_t>(static_cast<int>(rng() % 80) - 40);
      b.columns[0].SetNull(i, rng() % 25 == 0);
      int64_t second = kSecond[rng() % 8];
      if (wide) b.columns[1].data<int64_t>()[i] = second;
      else b.columns[1].data<int32_t>()[i] = static_cast<int32_t>(second);
      b.columns[1].SetNull(i, rng() % 25 == 0);
      b.columns[2].data<int32_t>()[i] = static_cast<int32_t>(rng() % 1000);
    }
    out.push_back(std::move(b));
    done += n;
  }
  return out;
}

// Two keys of at most 32 bits are packed into one integer (executor/hash_join.cpp, packed_keys_):
// the rows must be those of the same join on encoded keys (the second key as BIGINT, which is
// not packed), in memory and spilled, for every join type; NULL in either key never matches.
TEST(HashJoinSpill, TwoNarrowKeysPackedJoinLikeEncodedKeys) {
  for (plan::JoinType type : {plan::INNER, plan::LEFT, plan::RIGHT, plan::FULL, plan::SEMI, plan::ANTI, plan::MARK,
                              plan::RIGHT_SEMI, plan::RIGHT_ANTI}) {
    SCOPED_TRACE(plan::JoinType_Name(type));
    std::vector<std::string> answers[2];
    for (bool wide : {false, true}) {
      auto build = TwoKeyInput(6000, wide, 11);
      auto probe = TwoKeyInput(4000, wide, 12);
      SqlType second = wide ? SqlType::Int64() : SqlType::Int32();
      plan::HashJoin spec;
      *spec.add_probe_keys() = ColumnExpr(0, SqlType::Int16());
      *spec.add_probe_keys() = ColumnExpr(1, second);
      *spec.add_build_keys() = ColumnExpr(0, SqlType::Int16());
      *spec.add_build_keys() = ColumnExpr(1, second);
      spec.set_type(type);
      ExecContext unlimited;
      auto in_memory = Join(spec, probe, build, unlimited);
      answers[wide] = DrainSorted(*in_memory);
      QueryMemory memory(nullptr, kTinyBudget, 1, "/tmp");
      ExecContext tiny;
      tiny.memory = &memory;
      auto spilling = Join(spec, probe, build, tiny);
      EXPECT_EQ(DrainSorted(*spilling), answers[wide]);
      EXPECT_GT(memory.spilled(), 0);
    }
    ASSERT_FALSE(answers[0].empty());
    EXPECT_EQ(answers[0], answers[1]);
  }
}

// RIGHT_SEMI / RIGHT_ANTI are SEMI / ANTI with the sides swapped: the build rows with (without)
// a match, each once however many probe rows match it, NULL keys never matching; with a
// residual, a build row counts as matched only through a pair that passes it.
TEST(HashJoinSpill, RightSemiAndAntiAreSemiAndAntiWithTheSidesSwapped) {
  for (bool residual : {false, true}) {
    for (bool string_keys : {false, true}) {
      auto kept = Input(30000, 40000, string_keys, 21);   // the side whose rows come out
      auto other = Input(70000, 20000, string_keys, 22);  // the subquery's side, with repeats
      for (auto [right, left] : {std::pair{plan::RIGHT_SEMI, plan::SEMI}, std::pair{plan::RIGHT_ANTI, plan::ANTI}}) {
        plan::HashJoin flipped = Spec(right, string_keys, residual);  // probe = other, build = kept
        plan::HashJoin plain = Spec(left, string_keys, false);        // probe = kept, build = other
        if (residual) {  // the same condition: other.value < kept.value + 300
          *plain.mutable_residual() = CallExpr(
              plan::LT, SqlType::Bool(),
              {ColumnExpr(3, SqlType::Int32()),
               CallExpr(plan::ADD, SqlType::Int32(), {ColumnExpr(1, SqlType::Int32()), Int64Literal(300, SqlType::Int32())})});
        }
        ExecContext ctx;
        auto expect = DrainSorted(*Join(plain, kept, other, ctx));
        auto got = DrainSorted(*Join(flipped, other, kept, ctx));
        ASSERT_FALSE(expect.empty());
        EXPECT_EQ(got.size(), expect.size()) << plan::JoinType_Name(right) << " residual " << residual;
        EXPECT_TRUE(got == expect);
      }
    }
  }
}

// The NOT IN forms depend on whole-build facts: no NULL build key (so NULL probe keys decide),
// and an empty build side.
TEST(HashJoinSpill, NotInRulesWithoutBuildNullsAndWithEmptyBuild) {
  for (plan::JoinType type : {plan::NULL_AWARE_ANTI, plan::NULL_AWARE_MARK}) {
    auto build = Input(60000, 30000, false, 3);
    for (auto& b : build) for (size_t r = 0; r < b.rows; ++r) b.columns[0].SetNull(r, false);
    auto probe = Input(40000, 40000, false, 4);
    plan::HashJoin spec = Spec(type, false, false);
    ExecContext unlimited;
    auto expect = DrainSorted(*Join(spec, probe, build, unlimited));
    QueryMemory memory(nullptr, kTinyBudget, 1, "/tmp");
    ExecContext tiny;
    tiny.memory = &memory;
    EXPECT_EQ(DrainSorted(*Join(spec, probe, build, tiny)), expect);
    EXPECT_GT(memory.spilled(), 0);

    std::vector<Batch> empty{Batch(build.front().Types())};
    auto expect_empty = DrainSorted(*Join(spec, probe, empty, unlimited));
    EXPECT_EQ(expect_empty.size(), 40000u);
    EXPECT_EQ(DrainSorted(*Join(spec, probe, empty, tiny)), expect_empty);
  }
}

TEST(HashJoinSpill, AnAmpleBudgetDoesNotSpill) {
  auto build = Input(20000, 5000, true, 5);
  auto probe = Input(20000, 5000, true, 6);
  QueryMemory memory(nullptr, int64_t{1} << 30, 1, "/tmp");
  ExecContext ctx;
  ctx.memory = &memory;
  auto op = Join(Spec(plan::FULL, true, false), probe, build, ctx);
  DrainSorted(*op);
  EXPECT_EQ(memory.spilled(), 0);
  EXPECT_EQ(HashJoinPartitionDepth(*op), 0);
  EXPECT_GT(memory.peak(), 0);
}

TEST(HashJoinSpill, UnmatchedBuildRowsComeOutInBatches) {
  auto build = Input(10000, 5000, false, 18);
  std::vector<Batch> probe{Batch(build.front().Types())};
  ExecContext ctx;
  auto op = Join(Spec(plan::RIGHT, false, false), probe, build, ctx);
  Batch out;
  size_t rows = 0;
  while (op->Next(&out)) {
    EXPECT_LE(out.rows, kBatchSize);
    rows += out.rows;
  }
  EXPECT_EQ(rows, 10000u);
}

TEST(HashJoinSpill, OneKeyPastTheBudgetFailsWith53200) {
  auto build = Input(40000, 1, false, 7);  // every key 0 (or NULL)
  auto probe = Input(1000, 1, false, 8);
  QueryMemory memory(nullptr, kTinyBudget, 1, "/tmp");
  ExecContext ctx;
  ctx.memory = &memory;
  auto op = Join(Spec(plan::INNER, false, false), probe, build, ctx);
  Batch out;
  try {
    op->Next(&out);
    FAIL() << "a join of one key past the budget succeeded";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), "53200");
    EXPECT_NE(std::string(e.what()).find("HashJoin"), std::string::npos) << e.what();
  }
  op.reset();
  EXPECT_EQ(memory.used(), 0);
}

// A build input that raises the cancel flag after handing out `after` batches.
class CancellingSource : public Operator {
 public:
  CancellingSource(std::vector<Batch> batches, size_t after, std::atomic<bool>* flag)
      : source_(std::move(batches)), after_(after), flag_(flag) {}
  bool Next(Batch* out) override {
    if (handed_++ == after_) *flag_ = true;
    return source_.Next(out);
  }

 private:
  BatchSource source_;
  size_t after_, handed_ = 0;
  std::atomic<bool>* flag_;
};

TEST(HashJoinSpill, CancelWhilePartitioningGives57014) {
  auto build = Input(200000, 100000, false, 9);
  auto probe = Input(10000, 30000, false, 10);
  std::atomic<bool> cancelled{false};
  QueryMemory memory(nullptr, kTinyBudget, 1, "/tmp");
  ExecContext ctx;
  ctx.memory = &memory;
  ctx.cancelled = &cancelled;
  std::vector<SqlType> types = probe.front().Types();
  // 70 batches in: well past the first spill writes.
  auto op = MakeHashJoin(Spec(plan::INNER, false, false), std::make_unique<BatchSource>(probe),
                         std::make_unique<CancellingSource>(build, 70, &cancelled), types, types, ctx);
  Batch out;
  try {
    op->Next(&out);
    FAIL() << "the join went on after a cancel";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), "57014") << e.what();
  }
  EXPECT_GT(memory.spilled(), 0) << memory.peak();
}

TEST(HashJoinSpill, CancelWhileJoiningSpilledPartitionsGives57014) {
  auto build = Input(80000, 30000, false, 11);
  auto probe = Input(50000, 30000, false, 12);
  std::atomic<bool> cancelled{false};
  QueryMemory memory(nullptr, kTinyBudget, 1, "/tmp");
  ExecContext ctx;
  ctx.memory = &memory;
  ctx.cancelled = &cancelled;
  auto op = Join(Spec(plan::LEFT, false, false), probe, build, ctx);
  Batch out;
  size_t rows = 0;
  while (rows < 60000 && op->Next(&out)) rows += out.rows;  // past the probe input: spilled pairs
  ASSERT_GE(rows, 60000u);
  cancelled = true;
  try {
    while (op->Next(&out)) {
    }
    FAIL() << "the join went on after a cancel";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), "57014");
  }
}

OperatorPtr NestedLoop(plan::JoinType type, bool condition, const std::vector<Batch>& probe,
                       const std::vector<Batch>& build, const ExecContext& ctx) {
  plan::NestedLoopJoin spec;
  spec.set_type(type);
  if (condition) {  // probe.key = build.key and probe.value < build.value (a theta join)
    *spec.mutable_condition() = CallExpr(
        plan::AND, SqlType::Bool(),
        {CallExpr(plan::EQ, SqlType::Bool(), {ColumnExpr(0, SqlType::Int32()), ColumnExpr(2, SqlType::Int32())}),
         CallExpr(plan::LT, SqlType::Bool(), {ColumnExpr(1, SqlType::Int32()), ColumnExpr(3, SqlType::Int32())})});
  }
  return MakeNestedLoopJoin(spec, std::make_unique<BatchSource>(probe), std::make_unique<BatchSource>(build),
                            build.front().Types(), ctx);
}

class NestedLoopSpillTest : public ::testing::TestWithParam<plan::JoinType> {};

// Past the budget the build side is spilled and re-read per probe block: same rows.
TEST_P(NestedLoopSpillTest, TinyBudgetGivesTheInMemoryAnswer) {
  auto build = Input(8000, 300, false, 13);   // about 80 kB
  auto probe = Input(4500, 400, false, 14);  // three probe blocks
  ExecContext unlimited;
  auto expect = DrainSorted(*NestedLoop(GetParam(), true, probe, build, unlimited));
  ASSERT_FALSE(expect.empty());
  QueryMemory memory(nullptr, kTinyBudget, 1, "/tmp");
  ExecContext tiny;
  tiny.memory = &memory;
  auto op = NestedLoop(GetParam(), true, probe, build, tiny);
  auto got = DrainSorted(*op);
  EXPECT_GT(memory.spilled(), 0);
  ASSERT_EQ(got.size(), expect.size());
  EXPECT_TRUE(got == expect);
  op.reset();
  EXPECT_EQ(memory.used(), 0);
}

INSTANTIATE_TEST_SUITE_P(Types, NestedLoopSpillTest,
                         ::testing::Values(plan::INNER, plan::LEFT, plan::SEMI, plan::ANTI, plan::MARK),
                         [](const auto& info) { return plan::JoinType_Name(info.param); });

TEST(NestedLoopJoinMemory, SpilledCrossJoinAndCancel) {
  auto build = Input(9000, 1000, false, 15);
  auto probe = Input(3, 1000, false, 16);
  QueryMemory memory(nullptr, kTinyBudget, 1, "/tmp");
  std::atomic<bool> cancelled{false};
  ExecContext ctx;
  ctx.memory = &memory;
  ctx.cancelled = &cancelled;
  auto op = NestedLoop(plan::INNER, false, probe, build, ctx);
  Batch out;
  size_t rows = 0;
  while (op->Next(&out)) rows += out.rows;
  EXPECT_EQ(rows, 27000u);
  EXPECT_GT(memory.spilled(), 0);

  auto again = NestedLoop(plan::INNER, false, Input(3000, 1000, false, 17), build, ctx);
  ASSERT_TRUE(again->Next(&out));
  cancelled = true;
  try {
    while (again->Next(&out)) {
    }
    FAIL() << "the nested loop join went on after a cancel";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), "57014");
  }
}

// Rows generated on the fly (nothing held): row i has the key Mix(order(i)) and a payload,
// with order(i) = i * stride mod n, so two such inputs of n rows match one to one.
class GeneratedKeys : public Operator {
 public:
  GeneratedKeys(size_t n, uint64_t stride, bool strings) : n_(n), stride_(stride), strings_(strings) {}
  bool Next(Batch* out) override {
    if (done_ >= n_) return false;
    size_t m = std::min(kBatchSize, n_ - done_);
    *out = Batch({strings_ ? SqlType::Text() : SqlType::Int64(), SqlType::Int64()});
    out->SetRows(m);
    for (size_t i = 0; i < m; ++i) {
      uint64_t x = (static_cast<unsigned __int128>(done_ + i) * stride_) % n_;
      x ^= x >> 33;
      x *= 0xff51afd7ed558ccdULL;
      x ^= x >> 33;
      if (strings_) {
        char key[32];
        int len = std::snprintf(key, sizeof key, "key-%016llx", static_cast<unsigned long long>(x));
        out->columns[0].SetString(i, std::string_view(key, static_cast<size_t>(len)));
      } else {
        out->columns[0].data<int64_t>()[i] = static_cast<int64_t>(x);
      }
      out->columns[1].data<int64_t>()[i] = static_cast<int64_t>(done_ + i);
    }
    done_ += m;
    return true;
  }

 private:
  size_t n_, done_ = 0;
  uint64_t stride_;
  bool strings_;
};

// Not a test (run with --gtest_also_run_disabled_tests): an N x N inner join of distinct
// BIGINT keys (STRATA_JOIN_BENCH_ROWS, default 2M; 20-byte TEXT keys with
// STRATA_JOIN_BENCH_STRINGS=1) with a BIGINT payload, under a 16 MB budget and in memory, with
// the process's peak RSS after each.
TEST(HashJoinSpill, DISABLED_Bench) {
  size_t n = 2000000;
  if (const char* e = std::getenv("STRATA_JOIN_BENCH_ROWS")) n = std::stoul(e);
  bool strings = std::getenv("STRATA_JOIN_BENCH_STRINGS") != nullptr;
  SqlType key_type = strings ? SqlType::Text() : SqlType::Int64();
  plan::HashJoin spec;
  *spec.add_probe_keys() = ColumnExpr(0, key_type);
  *spec.add_build_keys() = ColumnExpr(0, key_type);
  spec.set_type(plan::INNER);
  auto hwm_mb = [] {  // the process's peak RSS so far
    std::FILE* f = std::fopen("/proc/self/status", "r");
    char line[256];
    long kb = 0;
    while (f != nullptr && std::fgets(line, sizeof line, f) != nullptr) {
      if (std::sscanf(line, "VmHWM: %ld kB", &kb) == 1) break;
    }
    if (f != nullptr) std::fclose(f);
    return kb / 1024.0;
  };
  std::printf("before: peak RSS %.0f MB\n", hwm_mb());
  // The budgeted run first, so that the peak RSS after it shows what it added.
  for (int64_t budget : {int64_t{16} << 20, int64_t{0}}) {
    std::unique_ptr<QueryMemory> memory;
    ExecContext ctx;
    if (budget > 0) {
      memory = std::make_unique<QueryMemory>(nullptr, budget, 1, "/tmp");
      ctx.memory = memory.get();
    }
    auto start = std::chrono::steady_clock::now();
    std::vector<SqlType> types{key_type, SqlType::Int64()};
    auto op = MakeHashJoin(spec, std::make_unique<GeneratedKeys>(n, 7919, strings),
                           std::make_unique<GeneratedKeys>(n, 1, strings), types, types, ctx);
    Batch out;
    size_t rows = 0;
    while (op->Next(&out)) rows += out.rows;
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%s keys, %zu x %zu rows, %s: %zu rows out in %.2f s; depth %d, peak %.1f MB, spilled %.1f MB; peak RSS so far %.0f MB\n",
                strings ? "text" : "bigint", n, n, budget > 0 ? "16 MB budget" : "unlimited", rows, secs, HashJoinPartitionDepth(*op),
                memory ? memory->peak() / 1048576.0 : 0.0, memory ? memory->spilled() / 1048576.0 : 0.0, hwm_mb());
    EXPECT_EQ(rows, n);
  }
}

}  // namespace
}  // namespace strata
