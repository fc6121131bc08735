// The slice map of an elastic resize (catalog/slice_map.h): balanced, fewest moves, node 0 keeps
// slice 0, and the layout at creation when the catalog records none.
#include "catalog/slice_map.h"

#include <gtest/gtest.h>

namespace strata {
namespace {

int Moves(const std::vector<int>& a, const std::vector<int>& b) {
  int n = 0;
  for (size_t s = 0; s < a.size(); ++s) n += a[s] != b[s] ? 1 : 0;
  return n;
}

TEST(SliceMap, DefaultLayout) {
  EXPECT_EQ(DefaultSliceNodes(2, 2), (std::vector<int>{0, 0, 1, 1}));
  catalog::Catalog meta;
  meta.set_compute_nodes(3);
  meta.set_slices_per_node(2);
  EXPECT_EQ(SliceNodesOf(meta), (std::vector<int>{0, 0, 1, 1, 2, 2}));
  meta.add_slice_node(0);
  meta.add_slice_node(1);
  EXPECT_EQ(SliceNodesOf(meta), (std::vector<int>{0, 1}));  // a resized catalog's own map
}

TEST(SliceMap, GrowAndShrinkMoveFewest) {
  const std::vector<int> two = DefaultSliceNodes(2, 2);
  const std::vector<int> three = BalancedSliceNodes(two, 3);
  EXPECT_EQ(three, (std::vector<int>{0, 0, 1, 2}));
  EXPECT_EQ(Moves(two, three), 1);
  EXPECT_EQ(BalancedSliceNodes(three, 2), two);
  EXPECT_EQ(FirstSliceOf(three, 2), 3);
  EXPECT_EQ(FirstSliceOf(three, 3), -1);
  EXPECT_EQ(MostSlicesOnANode(three), 2);
  EXPECT_EQ(BalancedSliceNodes(two, 1), (std::vector<int>{0, 0, 0, 0}));
}

TEST(SliceMap, EveryShapeIsBalancedAndKeepsSliceZeroOnNodeZero) {
  for (int nodes = 1; nodes <= 4; ++nodes) {
    for (int spn = 1; spn <= 4; ++spn) {
      std::vector<int> map = DefaultSliceNodes(nodes, spn);
      const int total = nodes * spn;
      for (int to = 1; to <= total; ++to) {
        std::vector<int> next = BalancedSliceNodes(map, to);
        ASSERT_EQ(static_cast<int>(next.size()), total);
        EXPECT_EQ(NodeCount(next), to);
        EXPECT_EQ(next[0], 0);
        for (int n = 0; n < to; ++n) {
          EXPECT_GE(SlicesOn(next, n), total / to);
          EXPECT_LE(SlicesOn(next, n), (total + to - 1) / to);
        }
        // A node keeps what it can: only slices beyond its share, or of removed nodes, move.
        int must = 0;
        for (int n = 0; n < NodeCount(map); ++n) {
          int share = n < to ? total / to + (n < total % to ? 1 : 0) : 0;
          must += std::max(0, SlicesOn(map, n) - share);
        }
        EXPECT_EQ(Moves(map, next), must) << nodes << "x" << spn << " -> " << to;
        map = next;  // resizes in a row
      }
    }
  }
}

}  // namespace
}  // namespace strata
