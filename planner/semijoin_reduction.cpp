// Semi-join reduction below aggregates (see semijoin_reduction.h).
#include "planner/semijoin_reduction.h"

#include <algorithm>
#include <optional>

#include "planner/expr_builder.h"

namespace strata {
namespace {

constexpr double kSmallSideFraction = 0.25;
constexpr double kMinimumAggregateInput = 10000;
// The small side's keys must rule out most groups: with keys for half of them or more (TPC-H
// Q18 at SF 10: every order's key against lineitem's groups by order) the semi join would
// only build a table as large as the aggregate's and drop nothing.
constexpr double kKeptGroupsLimit = 0.5;
// A key source below the join the keys come from is taken when it is estimated at most this
// fraction of the aggregate's input, even if it is bigger than that join.
constexpr double kNarrowSourceFraction = 0.02;

bool TreeIsVolatile(const LogicalNode& n) {
  auto any = [](const std::vector<plan::Expr>& v) { return std::any_of(v.begin(), v.end(), IsVolatile); };
  if (any(n.exprs) || any(n.groups) || any(n.left_keys) || any(n.right_keys) || any(n.partition_keys)) return true;
  if (n.has_predicate && IsVolatile(n.predicate)) return true;
  for (const auto& row : n.rows) if (any(row)) return true;
  for (const auto& a : n.aggs) if (a.has_arg() && IsVolatile(a.arg())) return true;
  if (n.kind == LogicalKind::kSystemTable || n.kind == LogicalKind::kFileScan) return true;  // read once, to be safe
  for (const auto& c : n.children) if (c && TreeIsVolatile(*c)) return true;
  return false;
}

// Follows output column `col` of `n` down projections (plain column references) and filters to
// an aggregate; returns that aggregate and the group key the column is, or nullopt.
struct GroupKey {
  LogicalNode* aggregate = nullptr;
  int group = -1;
};
std::optional<GroupKey> TraceToGroup(LogicalNode* n, int col) {
  while (n != nullptr) {
    switch (n->kind) {
      case LogicalKind::kProject:
        if (col < 0 || col >= static_cast<int>(n->exprs.size()) || !n->exprs[col].has_column()) return std::nullopt;
        col = n->exprs[col].column();
        n = n->children[0].get();
        break;
      case LogicalKind::kFilter:
        n = n->children[0].get();
        break;
      case LogicalKind::kAggregate:
        if (col < 0 || col >= static_cast<int>(n->groups.size())) return std::nullopt;
        return GroupKey{n, col};
      default:
        return std::nullopt;
    }
  }
  return std::nullopt;
}

// Rewrites `e` (over a node's columns) for the node's child: column c becomes `map[c]`. False
// (and `e` untouched) when `e` reads a column the child does not have (map -1) or an outer
// reference.
bool MapToChild(plan::Expr* e, const std::vector<int>& map) {
  if (e->has_outer_ref()) return false;
  std::vector<int> cols;
  CollectColumns(*e, &cols);
  for (int c : cols) {
    if (c < 0 || c >= static_cast<int>(map.size()) || map[c] < 0) return false;
  }
  RemapColumns(e, map);
  return true;
}

// The keys a join's output holds are a subset of those of the input they come from: follows
// `keys` down inner and semi joins (and projections of plain columns) to the input that alone
// produces them, when that input is estimated no bigger (cheaper to compute twice, and as
// selective), or still small beside the aggregate's input (`small_rows`): the key set is
// computed a second time, so a selective scan of one table is better than a copy of the whole
// join above it (TPC-H Q2: the filtered parts, not parts x partsupp x supplier x nation again).
// Stops at anything else (a filter narrows the keys: going below it would keep too many).
const LogicalNode* NarrowKeySource(const LogicalNode* side, std::vector<plan::Expr>* keys, double small_rows) {
  for (;;) {
    const LogicalNode* next = nullptr;
    if (side->kind == LogicalKind::kJoin && side->children.size() == 2 &&
        (side->join_type == plan::INNER || side->join_type == plan::SEMI)) {
      const int left_cols = static_cast<int>(side->children[0]->columns.size());
      const int cols = static_cast<int>(side->columns.size());
      for (int child = 0; child < (side->join_type == plan::SEMI ? 1 : 2) && next == nullptr; ++child) {
        // Only to a child estimated no bigger: a join's selective side is what makes its keys few.
        const double rows = side->children[child]->estimated_rows;
        if (rows > side->estimated_rows && rows > small_rows) continue;
        std::vector<int> map(cols, -1);
        for (int c = 0; c < cols; ++c) {
          if (child == 0 && c < left_cols) map[c] = c;
          if (child == 1 && c >= left_cols) map[c] = c - left_cols;
        }
        std::vector<plan::Expr> moved = *keys;
        if (std::all_of(moved.begin(), moved.end(), [&](plan::Expr& e) { return MapToChild(&e, map); })) {
          *keys = std::move(moved);
          next = side->children[child].get();
        }
      }
    } else if (side->kind == LogicalKind::kProject && side->children.size() == 1) {
      // Only when every key is a plain column of the projection.
      std::vector<plan::Expr> moved;
      for (const auto& k : *keys) {
        if (!k.has_column() || k.column() >= static_cast<int>(side->exprs.size()) ||
            !side->exprs[k.column()].has_column()) {
          return side;
        }
        moved.push_back(side->exprs[k.column()]);
      }
      *keys = std::move(moved);
      next = side->children[0].get();
    }
    if (next == nullptr) return side;
    side = next;
  }
}

LogicalPtr SinkSemiJoin(LogicalPtr semi);

// Tries the reduction with `agg_side` (a child of `join`) holding the aggregate and
// `small_side` the other; `agg_keys` / `small_keys` are the join's keys of each side.
bool Reduce(LogicalNode* agg_side, const LogicalNode& small_side, const std::vector<plan::Expr>& agg_keys,
            const std::vector<plan::Expr>& small_keys) {
  LogicalNode* aggregate = nullptr;
  std::vector<plan::Expr> semi_left, semi_right_exprs;
  for (size_t i = 0; i < agg_keys.size() && i < small_keys.size(); ++i) {
    if (!agg_keys[i].has_column()) continue;
    std::optional<GroupKey> g = TraceToGroup(agg_side, agg_keys[i].column());
    if (!g || (aggregate != nullptr && g->aggregate != aggregate)) continue;
    const plan::Expr& group = g->aggregate->groups[g->group];
    if (IsVolatile(group) || ExprType(group) != ExprType(small_keys[i])) continue;
    aggregate = g->aggregate;
    semi_left.push_back(group);
    semi_right_exprs.push_back(small_keys[i]);
  }
  if (aggregate == nullptr || aggregate->children.empty() || !aggregate->children[0]) return false;
  LogicalNode& input = *aggregate->children[0];
  // The keys come from the cheapest input that holds all of the small side's (a superset of
  // keys filters less but never wrongly).
  const LogicalNode& keys_from =
      *NarrowKeySource(&small_side, &semi_right_exprs, kNarrowSourceFraction * input.estimated_rows);
  const double key_rows = std::min(small_side.estimated_rows, keys_from.estimated_rows);
  const double groups = std::max(1.0, aggregate->estimated_rows);
  if (input.estimated_rows < kMinimumAggregateInput || key_rows >= kSmallSideFraction * input.estimated_rows ||
      key_rows >= kKeptGroupsLimit * groups || TreeIsVolatile(keys_from)) {
    return false;
  }
  // π(the keys): the build side of the semi join.
  auto keys = std::make_unique<LogicalNode>();
  keys->kind = LogicalKind::kProject;
  keys->estimated_rows = keys_from.estimated_rows;
  for (size_t i = 0; i < semi_right_exprs.size(); ++i) {
    keys->exprs.push_back(semi_right_exprs[i]);
    keys->columns.push_back({"semijoin_key_" + std::to_string(i), ExprType(semi_right_exprs[i])});
  }
  keys->children.push_back(CloneTree(keys_from));
  auto semi = std::make_unique<LogicalNode>();
  semi->kind = LogicalKind::kJoin;
  semi->join_type = plan::SEMI;
  semi->columns = input.columns;
  semi->estimated_rows = std::max(1.0, input.estimated_rows * std::min(1.0, key_rows / groups));
  semi->left_keys = std::move(semi_left);
  for (size_t i = 0; i < semi_right_exprs.size(); ++i) {
    semi->right_keys.push_back(ColumnExpr(static_cast<int>(i), ExprType(semi_right_exprs[i])));
  }
  semi->children.push_back(std::move(aggregate->children[0]));
  semi->children.push_back(std::move(keys));
  // Down to the input whose rows it tests, where it runs on fewer rows (before the joins).
  aggregate->children[0] = SinkSemiJoin(std::move(semi));
  aggregate->estimated_rows = std::min(aggregate->estimated_rows, std::max(1.0, key_rows));
  return true;
}

void Walk(LogicalNode* n) {
  for (auto& c : n->children) if (c) Walk(c.get());
  if (n->kind != LogicalKind::kJoin || n->children.size() != 2 || !n->children[0] || !n->children[1]) return;
  if (n->left_keys.empty()) return;
  const plan::JoinType t = n->join_type;
  // The right side may be reduced unless the join keeps its unmatched rows (RIGHT, FULL); the
  // left side only when the join drops its unmatched rows (INNER, SEMI). MARK joins compute a
  // value for every left row from whether the right side matches: reducing the right is fine.
  const bool right_ok = t == plan::INNER || t == plan::LEFT || t == plan::SEMI || t == plan::ANTI || t == plan::MARK;
  const bool left_ok = t == plan::INNER || t == plan::SEMI;
  if (right_ok && Reduce(n->children[1].get(), *n->children[0], n->right_keys, n->left_keys)) return;
  if (left_ok) Reduce(n->children[0].get(), *n->children[1], n->left_keys, n->right_keys);
}

// Moves the semi or anti join `semi` (keys only, no residual) below projections of plain
// columns and inner joins, as long as its keys read the columns of one input (not below a
// filter: that runs first, on fewer rows, where it is): a semi
// join is a filter on the rows of the input its keys test, and filtering an inner join's input
// by its own columns gives the same rows as filtering the join's result.
LogicalPtr SinkSemiJoin(LogicalPtr semi) {
  LogicalNode& left = *semi->children[0];
  switch (left.kind) {
    case LogicalKind::kProject: {
      std::vector<int> map(left.exprs.size(), -1);
      for (size_t c = 0; c < left.exprs.size(); ++c) if (left.exprs[c].has_column()) map[c] = left.exprs[c].column();
      std::vector<plan::Expr> keys = semi->left_keys;
      for (auto& k : keys) if (!MapToChild(&k, map)) return semi;
      LogicalPtr project = std::move(semi->children[0]);
      semi->children[0] = std::move(project->children[0]);
      semi->left_keys = std::move(keys);
      semi->columns = semi->children[0]->columns;
      project->children[0] = SinkSemiJoin(std::move(semi));
      return project;
    }
    case LogicalKind::kJoin: {
      if (left.join_type != plan::INNER || left.children.size() != 2) return semi;
      const int lw = static_cast<int>(left.children[0]->columns.size());
      const int total = static_cast<int>(left.columns.size());
      for (int side = 0; side < 2; ++side) {
        std::vector<int> map(total, -1);
        for (int c = 0; c < total; ++c) {
          if (side == 0 && c < lw) map[c] = c;
          if (side == 1 && c >= lw) map[c] = c - lw;
        }
        std::vector<plan::Expr> keys = semi->left_keys;
        if (!std::all_of(keys.begin(), keys.end(), [&](plan::Expr& k) { return MapToChild(&k, map); })) continue;
        LogicalPtr join = std::move(semi->children[0]);
        semi->children[0] = std::move(join->children[side]);
        semi->left_keys = std::move(keys);
        semi->columns = semi->children[0]->columns;
        semi->estimated_rows = std::min(semi->estimated_rows, semi->children[0]->estimated_rows);
        join->children[side] = SinkSemiJoin(std::move(semi));
        return join;
      }
      return semi;
    }
    default:
      return semi;
  }
}

LogicalPtr PushSemiJoinsDown(LogicalPtr n) {
  for (auto& c : n->children) if (c) c = PushSemiJoinsDown(std::move(c));
  if (n->kind != LogicalKind::kJoin || (n->join_type != plan::SEMI && n->join_type != plan::ANTI) ||
      n->has_predicate || n->children.size() != 2 || !n->children[0] || n->left_keys.empty()) {
    return n;
  }
  return SinkSemiJoin(std::move(n));
}

}  // namespace

LogicalPtr ReduceBySemiJoins(LogicalPtr plan) {
  if (!plan) return plan;
  plan = PushSemiJoinsDown(std::move(plan));
  Walk(plan.get());
  return plan;
}

}  // namespace strata
