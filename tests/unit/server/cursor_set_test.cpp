// CursorSet: paging buffered batches (whole batches moved, partial ones copied), MOVE,
// duplicate and missing names, and lifetimes at COMMIT / ROLLBACK.
#include "server/cursor_set.h"

#include <gtest/gtest.h>

#include <functional>

#include "sql/error.h"

namespace strata {
namespace {

Batch Ints(int from, int n) {
  Batch b({SqlType::Int32()});
  b.SetRows(n);
  for (int i = 0; i < n; ++i) b.columns[0].data<int32_t>()[i] = from + i;
  return b;
}

std::vector<int> Values(const std::vector<Batch>& batches) {
  std::vector<int> out;
  for (const Batch& b : batches) {
    for (size_t i = 0; i < b.rows; ++i) out.push_back(b.columns[0].data<int32_t>()[i]);
  }
  return out;
}

std::string StateOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const SqlError& e) {
    return e.sqlstate();
  }
  return "";
}

TEST(CursorSetTest, FetchesAcrossBatchBoundaries) {
  CursorSet set;
  std::vector<Batch> batches;
  batches.push_back(Ints(0, 3));
  batches.push_back(Ints(3, 0));
  batches.push_back(Ints(3, 4));
  set.Add("c", {{"a", SqlType::Int32()}}, std::move(batches), false);
  Cursor& c = set.Get("c");
  int64_t n = 0;
  EXPECT_EQ(Values(CursorSet::Take(c, 2, false, &n)), (std::vector<int>{0, 1}));
  EXPECT_EQ(n, 2);
  EXPECT_EQ(Values(CursorSet::Take(c, 3, false, &n)), (std::vector<int>{2, 3, 4}));
  CursorSet::Take(c, 1, true, &n);  // MOVE
  EXPECT_EQ(n, 1);
  EXPECT_EQ(Values(CursorSet::Take(c, INT64_MAX, false, &n)), (std::vector<int>{6}));
  EXPECT_EQ(n, 1);
  EXPECT_TRUE(CursorSet::Take(c, 5, false, &n).empty());
  EXPECT_EQ(n, 0);
}

TEST(CursorSetTest, NamesAndErrors) {
  CursorSet set;
  set.Add("c", {}, {}, false);
  EXPECT_EQ(StateOf([&] { set.Add("c", {}, {}, true); }), "42P03");
  EXPECT_EQ(StateOf([&] { set.Get("d"); }), "34000");
  EXPECT_EQ(StateOf([&] { set.Close("d"); }), "34000");
  set.Close("c");
  EXPECT_FALSE(set.Contains("c"));
}

TEST(CursorSetTest, LifetimesFollowTransactions) {
  CursorSet set;
  set.Add("plain", {}, {}, false);
  set.Add("held", {}, {}, true);
  set.EndTransaction(true);
  EXPECT_FALSE(set.Contains("plain"));
  EXPECT_TRUE(set.Contains("held"));
  set.Add("held_new", {}, {}, true);
  set.EndTransaction(false);  // rolls back the block that declared held_new
  EXPECT_TRUE(set.Contains("held"));
  EXPECT_FALSE(set.Contains("held_new"));
  set.CloseAll();
  EXPECT_EQ(set.size(), 0u);
}

}  // namespace
}  // namespace strata
