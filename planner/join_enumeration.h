// Join ordering by dynamic programming over the join graph (planner/join_order.h prepares the
// graph and falls back to its greedy order where this declines).
//
// Every connected subset of a region's leaves gets its cheapest plan, built from the cheapest
// plans of two connected parts (bushy trees: customer ⋈ nation ⋈ region may be joined before
// they meet orders). Equalities between plain columns form equivalence classes, so a join may use
// a key implied by two others (c_nationkey = s_nationkey and s_nationkey = n_nationkey join
// customer to nation). A plan's cost counts, per join, the rows probed, built (dearer) and
// produced, and the rows the join must move between nodes: none when both inputs are placed on
// its key (or one is on every node), the smaller copied to every slice when that is cheap, else
// the side(s) not placed on the key redistributed -- the choice the physical planner makes.
#pragma once

#include <optional>
#include <vector>

#include "planner/logical_plan.h"

namespace strata {

// One input of a join region: a table, a subquery or an outer join, with its single-leaf filters.
struct JoinLeaf {
  LogicalPtr node;
  int offset = 0;  // first global column
  int width = 0;
  double rows = 1;
  // The global columns of node's output, in order: offset … offset+width-1, and then those of
  // any leaf joined into it by the greedy order's satellites.
  std::vector<int> globals;
  bool absorbed = false;  // joined into another leaf as its satellite
};

// The joined leaves, `pos` mapping each global column to its position in node's output.
struct EnumeratedJoins {
  LogicalPtr node;
  std::vector<int> pos;
  double rows = 1;
};

// The column a join key reads, looking through casts; -1 for anything else.
int JoinKeyColumn(const plan::Expr& e);

// The cheapest join tree of `leaves` under the predicates `multi` (each over two or more leaves,
// in global columns), or nothing -- leaving `leaves` untouched -- when there are more leaves
// than the enumeration takes (kMaxEnumeratedLeaves) or equalities do not connect them all (a
// cross product is the greedy order's to place). `ndv` holds each global column's distinct
// values. Every predicate of `multi` is applied in the tree.
constexpr int kMaxEnumeratedLeaves = 10;
std::optional<EnumeratedJoins> EnumerateJoins(std::vector<JoinLeaf>* leaves, const std::vector<plan::Expr>& multi,
                                              const std::vector<double>& ndv);

}  // namespace strata
