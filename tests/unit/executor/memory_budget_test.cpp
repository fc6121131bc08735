// Tests of executor/memory_budget and executor/spill_file: shares, the node limit, 53200, sizes,
// and spill files that round-trip batches and leave nothing on disk.
#include "executor/memory_budget.h"
#include "tests/unit/executor/spill_files.h"
#include "executor/spill_file.h"

#include <dirent.h>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include "sql/error.h"

namespace strata {
namespace {

TEST(MemoryBudget, ParsesSizes) {
  EXPECT_EQ(ParseMemorySize("2GB"), int64_t{2} << 30);
  EXPECT_EQ(ParseMemorySize("512MB"), int64_t{512} << 20);
  EXPECT_EQ(ParseMemorySize("64kB"), int64_t{64} << 10);
  EXPECT_EQ(ParseMemorySize("1000"), 1000);
  EXPECT_EQ(ParseMemorySize(" 3 gb "), int64_t{3} << 30);
  EXPECT_THROW(ParseMemorySize("lots"), SqlError);
  EXPECT_THROW(ParseMemorySize("12 parsecs"), SqlError);
  EXPECT_THROW(ParseMemorySize("99999999999999TB"), SqlError);
  EXPECT_EQ(FormatMemorySize(512 << 20), "512 MB");
  EXPECT_EQ(FormatMemorySize(100), "100 bytes");
}

// A stage's operators share a pool of their even parts (1000 each, 3 operators): each keeps a
// floor of 500; past it one takes what the others' floors and holdings leave, so it may hold
// 2000 while the others hold nothing, and the others still get their floors; a reservation
// that opts out keeps the plain cap; Grow can always reach the plain cap.
TEST(MemoryBudget, OperatorsOfAStageLendTheirUnusedParts) {
  NodeMemory node(1 << 30, "/tmp");
  QueryMemory q(&node, 1 << 30, 1);
  ScopedOperatorShare share(1000, 3);
  MemoryReservation a(&q, "HashAggregate"), b(&q, "HashJoin"), c(&q, "Sort");
  MemoryReservation filter(&q, "HashJoin runtime filter", /*pooled=*/false);
  EXPECT_TRUE(a.TryGrow(2000));   // 500 own + 1500 of the pool's free half
  EXPECT_FALSE(a.TryGrow(1));     // nothing left past the others' floors
  EXPECT_TRUE(b.TryGrow(500));    // b's floor is still there
  EXPECT_FALSE(b.TryGrow(1));
  EXPECT_TRUE(filter.TryGrow(1000));
  EXPECT_FALSE(filter.TryGrow(1));  // the plain cap
  c.Grow(1000);                     // past its floor, up to the plain cap, even with the pool taken
  EXPECT_THROW(c.Grow(1), SqlError);
  a.ShrinkTo(0);
  EXPECT_TRUE(b.TryGrow(1000));   // what a gave back
  EXPECT_EQ(q.used(), 0 + 1500 + 1000 + 1000);
}

TEST(MemoryBudget, QueryShareAndNodeLimit) {
  NodeMemory node(1000, "/tmp");
  QueryMemory a(&node, 600, 1), b(&node, 600, 2);
  MemoryReservation ra(&a, "Sort"), rb(&b, "HashJoin");
  EXPECT_TRUE(ra.TryGrow(500));
  EXPECT_FALSE(ra.TryGrow(200));  // over the query's share
  EXPECT_TRUE(rb.TryGrow(400));
  EXPECT_FALSE(rb.TryGrow(200));  // within its share, over the node's limit
  EXPECT_EQ(node.used(), 900);
  ra.ShrinkTo(100);
  EXPECT_TRUE(rb.TryGrow(200));
  EXPECT_EQ(node.used(), 700);
  try {
    ra.Grow(10000);
    FAIL() << "Grow past the budget must throw";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), sqlstate::kOutOfMemory);
    EXPECT_NE(std::string(e.what()).find("Sort"), std::string::npos);
  }
}

TEST(MemoryBudget, ReservationsGiveBackWhenDestroyed) {
  NodeMemory node(1000, "/tmp");
  {
    QueryMemory q(&node, 1000, 3);
    MemoryReservation r(&q, "HashAggregate");
    ASSERT_TRUE(r.TryGrow(800));
    EXPECT_EQ(q.peak(), 800);
  }
  EXPECT_EQ(node.used(), 0);
  EXPECT_EQ(node.peak(), 800);
}

TEST(SpillFile, RoundTripsBatchesAndLeavesNoFile) {
  std::string dir = "/tmp/strata_spill_test_" + std::to_string(::getpid());
  ::mkdir(dir.c_str(), 0700);
  QueryMemory q(nullptr, 1 << 20, 7, dir);
  MemoryReservation r(&q, "Sort");
  {
    SpillFile f(q.NextSpillPath(), &r);
    for (int i = 0; i < 5; ++i) {
      Batch b({SqlType::Int64(), SqlType::Varchar(-1)});
      b.SetRows(100);
      for (int k = 0; k < 100; ++k) {
        b.columns[0].data<int64_t>()[k] = i * 100 + k;
        b.columns[1].SetString(k, "row " + std::to_string(i * 100 + k));
      }
      b.columns[1].SetNull(3, true);
      f.Write(b);
    }
    EXPECT_EQ(FilesIn(dir), 0);  // unlinked at creation: nothing to leave behind
    EXPECT_EQ(f.rows(), 500);
    EXPECT_GT(r.spilled(), 0);
    EXPECT_EQ(q.spilled(), r.spilled());
    Batch out;
    int64_t next = 0;
    while (f.Read(&out)) {
      for (size_t k = 0; k < out.rows; ++k, ++next) {
        EXPECT_EQ(out.columns[0].data<int64_t>()[k], next);
        if (k == 3) EXPECT_TRUE(out.columns[1].IsNull(k));
        else EXPECT_EQ(out.columns[1].data<std::string_view>()[k], "row " + std::to_string(next));
      }
    }
    EXPECT_EQ(next, 500);
  }
  EXPECT_EQ(FilesIn(dir), 0);
  ::rmdir(dir.c_str());
}

TEST(SpillFile, SweepRemovesLeftovers) {
  std::string dir = "/tmp/strata_sweep_test_" + std::to_string(::getpid());
  ::mkdir(dir.c_str(), 0700);
  for (const char* n : {"/q1-1-0.spill", "/q1-1-1.spill", "/keep.txt"}) {
    FILE* f = std::fopen((dir + n).c_str(), "w");
    std::fputs("x", f);
    std::fclose(f);
  }
  EXPECT_EQ(SweepSpillFolder(dir), 2);
  EXPECT_EQ(FilesIn(dir), 1);
  ::unlink((dir + "/keep.txt").c_str());
  ::rmdir(dir.c_str());
}

}  // namespace
}  // namespace strata
