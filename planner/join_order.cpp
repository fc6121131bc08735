#include "planner/join_order.h"

#include <algorithm>
#include <map>
#include <set>

#include "planner/expr_builder.h"
#include "planner/join_enumeration.h"
#include "planner/selectivity.h"
#include "planner/select_binder.h"

namespace strata {

namespace {

using Leaf = JoinLeaf;

void SplitOr(plan::Expr e, std::vector<plan::Expr>* out) {
  if (e.has_call() && e.call().op() == plan::OR) {
    for (auto& a : *e.mutable_call()->mutable_args()) SplitOr(std::move(a), out);
  } else {
    out->push_back(std::move(e));
  }
}

// One n-ary AND / OR call (a binary chain would nest as deep as the list is long).
plan::Expr Combine(plan::Op op, std::vector<plan::Expr> parts) {
  if (parts.size() == 1) return std::move(parts[0]);
  return CallExpr(op, SqlType::Bool(), std::move(parts));
}

// Collects the leaves and conjuncts of the inner-join region at `node`; a nested region (another
// FROM list's root, not the region's own root) is a leaf, ordered on its own.
void Flatten(LogicalPtr node, int offset, std::vector<Leaf>* leaves, std::vector<plan::Expr>* conj, bool root = false) {
  if (node->join_region && !root) {
    // a leaf: fall through
  } else if (node->kind == LogicalKind::kFilter && node->children[0]->kind == LogicalKind::kJoin &&
      node->children[0]->join_type == plan::INNER) {
    plan::Expr p = node->predicate;
    ShiftColumns(&p, offset);
    SplitConjuncts(std::move(p), conj);
    Flatten(std::move(node->children[0]), offset, leaves, conj);
    return;
  } else if (node->kind == LogicalKind::kJoin && node->join_type == plan::INNER) {
    int left_width = static_cast<int>(node->children[0]->columns.size());
    for (size_t k = 0; k < node->left_keys.size(); ++k) {
      plan::Expr l = node->left_keys[k], r = node->right_keys[k];
      ShiftColumns(&l, offset);
      ShiftColumns(&r, offset + left_width);
      conj->push_back(CallExpr(plan::EQ, SqlType::Bool(), {std::move(l), std::move(r)}));
    }
    if (node->has_predicate) {
      plan::Expr p = node->predicate;
      ShiftColumns(&p, offset);
      SplitConjuncts(std::move(p), conj);
    }
    Flatten(std::move(node->children[0]), offset, leaves, conj);
    Flatten(std::move(node->children[1]), offset + left_width, leaves, conj);
    return;
  }
  Leaf l;
  l.width = static_cast<int>(node->columns.size());
  l.rows = node->estimated_rows;
  l.offset = offset;
  l.node = std::move(node);
  leaves->push_back(std::move(l));
}

}  // namespace

plan::Expr FactorOr(plan::Expr e) {
  if (!e.has_call() || e.call().op() != plan::OR) return e;
  std::vector<plan::Expr> branches;
  SplitOr(std::move(e), &branches);
  std::vector<std::vector<plan::Expr>> conj(branches.size());
  for (size_t i = 0; i < branches.size(); ++i) SplitConjuncts(std::move(branches[i]), &conj[i]);
  // Conjuncts present in every branch.
  std::vector<plan::Expr> common;
  for (const auto& c : conj[0]) {
    std::string key = c.SerializeAsString();
    bool everywhere = std::all_of(conj.begin() + 1, conj.end(), [&](const std::vector<plan::Expr>& b) {
      return std::any_of(b.begin(), b.end(), [&](const plan::Expr& x) { return x.SerializeAsString() == key; });
    });
    if (everywhere && std::none_of(common.begin(), common.end(), [&](const plan::Expr& x) { return x.SerializeAsString() == key; })) {
      common.push_back(c);
    }
  }
  std::set<std::string> common_keys;
  for (const auto& c : common) common_keys.insert(c.SerializeAsString());
  std::vector<plan::Expr> rest;
  bool some_branch_empty = false;
  for (auto& b : conj) {
    std::vector<plan::Expr> left;
    for (auto& c : b) if (!common_keys.count(c.SerializeAsString())) left.push_back(std::move(c));
    if (left.empty()) some_branch_empty = true;
    else rest.push_back(Combine(plan::AND, std::move(left)));
  }
  // A branch that is only common conjuncts makes the OR of the rest true.
  if (!some_branch_empty) common.push_back(Combine(plan::OR, std::move(rest)));
  return Combine(plan::AND, std::move(common));
}

namespace {

bool IsInnerJoinTree(const LogicalNode& node) {
  return (node.kind == LogicalKind::kJoin && node.join_type == plan::INNER) ||
         (node.kind == LogicalKind::kFilter && node.children[0]->kind == LogicalKind::kJoin &&
          node.children[0]->join_type == plan::INNER);
}

// The ordered joins of a region under a filter of its predicates that read no leaf, and a
// projection restoring the region's original column order (`pos`: global column -> position).
LogicalPtr Finish(LogicalPtr current, const std::vector<int>& pos, double rows, std::vector<plan::Expr> constant,
                  const std::vector<OutputColumn>& original) {
  if (!constant.empty()) {
    auto f = std::make_unique<LogicalNode>();
    f->kind = LogicalKind::kFilter;
    f->columns = current->columns;
    f->estimated_rows = current->estimated_rows;
    f->predicate = Combine(plan::AND, std::move(constant));
    f->has_predicate = true;
    f->children.push_back(std::move(current));
    current = std::move(f);
  }
  auto p = std::make_unique<LogicalNode>();
  p->kind = LogicalKind::kProject;
  p->columns = original;
  p->estimated_rows = rows;
  for (size_t g = 0; g < original.size(); ++g) p->exprs.push_back(ColumnExpr(pos[g], original[g].type));
  p->children.push_back(std::move(current));
  return p;
}

// The ordering of the inner-join tree at `node` (and of every inner-join tree below it): by
// enumeration where it applies, else greedy.
LogicalPtr OrderTree(LogicalPtr node) {
  if (!IsInnerJoinTree(*node)) {
    for (auto& c : node->children) c = OrderTree(std::move(c));
    return node;
  }
  std::vector<OutputColumn> original = node->columns;
  std::vector<Leaf> leaves;
  std::vector<plan::Expr> raw;
  Flatten(std::move(node), 0, &leaves, &raw, /*root=*/true);
  for (auto& l : leaves) l.node = OrderTree(std::move(l.node));
  std::vector<plan::Expr> conj;
  for (auto& c : raw) SplitConjuncts(FactorOr(std::move(c)), &conj);

  int total = 0;
  for (const auto& l : leaves) total = std::max(total, l.offset + l.width);
  std::vector<int> leaf_of(total, -1);
  for (size_t i = 0; i < leaves.size(); ++i) {
    for (int c = 0; c < leaves[i].width; ++c) leaf_of[leaves[i].offset + c] = static_cast<int>(i);
  }
  auto leaves_of = [&](const plan::Expr& e) {
    std::vector<int> cols;
    CollectColumns(e, &cols);
    std::set<int> s;
    for (int c : cols) s.insert(leaf_of[c]);
    return s;
  };

  // An OR across leaves implies, for each leaf that every branch constrains, the OR of those
  // constraints: (n1 = 'FRANCE' AND n2 = 'GERMANY') OR (n1 = 'GERMANY' AND n2 = 'FRANCE')
  // implies n1 IN ('FRANCE', 'GERMANY') and the same of n2 (TPC-H Q7; Q19's part and lineitem
  // conditions likewise). The implied filters go on their leaves (a row the OR keeps passes
  // them) and the OR stays where it was.
  {
    std::vector<plan::Expr> implied;
    for (const auto& c : conj) {
      if (!c.has_call() || c.call().op() != plan::OR || IsVolatile(c)) continue;
      std::set<int> all = leaves_of(c);
      if (all.size() < 2) continue;
      std::vector<plan::Expr> branches;
      SplitOr(c, &branches);
      std::vector<std::vector<plan::Expr>> parts(branches.size());
      for (size_t b = 0; b < branches.size(); ++b) SplitConjuncts(std::move(branches[b]), &parts[b]);
      for (int leaf : all) {
        std::vector<plan::Expr> per_branch;
        for (const auto& part : parts) {
          std::vector<plan::Expr> mine;
          for (const auto& x : part) {
            std::set<int> ls = leaves_of(x);
            if (ls.size() == 1 && *ls.begin() == leaf) mine.push_back(x);
          }
          if (mine.empty()) break;
          per_branch.push_back(Combine(plan::AND, std::move(mine)));
        }
        if (per_branch.size() == parts.size()) implied.push_back(Combine(plan::OR, std::move(per_branch)));
      }
    }
    for (auto& x : implied) conj.push_back(std::move(x));
  }

  // Single-leaf predicates become filters on their leaf.
  std::vector<plan::Expr> multi, constant;
  std::map<int, std::vector<plan::Expr>> per_leaf;
  for (auto& c : conj) {
    auto ls = leaves_of(c);
    if (ls.empty()) constant.push_back(std::move(c));
    else if (ls.size() == 1) {
      int l = *ls.begin();
      ShiftColumns(&c, -leaves[l].offset);
      per_leaf[l].push_back(std::move(c));
    } else {
      multi.push_back(std::move(c));
    }
  }
  for (auto& [l, preds] : per_leaf) {
    auto f = std::make_unique<LogicalNode>();
    f->kind = LogicalKind::kFilter;
    f->columns = leaves[l].node->columns;
    f->predicate = Combine(plan::AND, std::move(preds));
    f->estimated_rows = std::max(1.0, leaves[l].rows * FilterSelectivity(f->predicate, *leaves[l].node));
    f->has_predicate = true;
    f->children.push_back(std::move(leaves[l].node));
    leaves[l].rows = f->estimated_rows;
    leaves[l].node = std::move(f);
  }

  // Distinct values per global column, for join-size estimates.
  std::vector<double> ndv(total, 1);
  for (const auto& l : leaves) {
    for (int c = 0; c < l.width; ++c) ndv[l.offset + c] = ColumnNdv(*l.node, c);
  }
  // Rows of current JOIN leaf l: |current| * |l| / max distinct values of the tightest key.
  auto join_rows = [&](double current_rows, const Leaf& leaf, const std::vector<std::pair<int, int>>& key_cols) {
    double divisor = 1;
    for (const auto& [a, b] : key_cols) {
      double da = a >= 0 ? std::min(ndv[a], current_rows) : current_rows;
      double db = b >= 0 ? std::min(ndv[b], leaf.rows) : leaf.rows;
      divisor = std::max(divisor, std::max(da, db));
    }
    return std::max(1.0, current_rows * leaf.rows / divisor);
  };

  for (auto& l : leaves) {
    l.globals.clear();
    for (int c = 0; c < l.width; ++c) l.globals.push_back(l.offset + c);
  }
  // The cheapest bushy tree when the region is small and its equalities connect it
  // (planner/join_enumeration.h); the greedy order below otherwise.
  if (auto enumerated = EnumerateJoins(&leaves, multi, ndv)) {
    return Finish(std::move(enumerated->node), enumerated->pos, enumerated->rows, std::move(constant), original);
  }
  std::vector<bool> used(leaves.size(), false), consumed(multi.size(), false);

  // Satellites. A leaf m whose every join equality leads to one other leaf p, and which keeps
  // few of p's rows (supplier ⋈ σnation, nation ⋈ σregion), is joined into p first, as p's
  // build side: the greedy chain below then probes the small joined result once, instead of
  // probing p's full join and filtering by m afterwards. Repeated, so chains (region → nation →
  // supplier) fold from the outside in.
  for (bool merged = true; merged;) {
    merged = false;
    for (size_t m = 0; m < leaves.size() && !merged; ++m) {
      if (leaves[m].absorbed) continue;
      int host = -1;
      bool dead_end = true;
      std::vector<size_t> keys;
      for (size_t k = 0; k < multi.size() && dead_end; ++k) {
        if (consumed[k]) continue;
        const plan::Expr& c = multi[k];
        if (!c.has_call() || c.call().op() != plan::EQ) continue;
        std::set<int> a = leaves_of(c.call().args(0)), b = leaves_of(c.call().args(1));
        if (a.size() != 1 || b.size() != 1) continue;
        int x = *a.begin(), y = *b.begin();
        if (x != static_cast<int>(m) && y != static_cast<int>(m)) continue;
        int other = x == static_cast<int>(m) ? y : x;
        if (other == static_cast<int>(m)) continue;
        if (host >= 0 && other != host) dead_end = false;
        host = other;
        keys.push_back(k);
      }
      if (!dead_end || host < 0 || keys.empty()) continue;
      Leaf& p = leaves[host];
      Leaf& sat = leaves[m];
      std::vector<std::pair<int, int>> key_cols;
      for (size_t k : keys) {
        const auto& args = multi[k].call().args();
        bool m_first = leaves_of(args[0]) == std::set<int>{static_cast<int>(m)};
        key_cols.push_back({JoinKeyColumn(args[m_first ? 1 : 0]), JoinKeyColumn(args[m_first ? 0 : 1])});
      }
      double joined = join_rows(p.rows, sat, key_cols);
      if (sat.rows > p.rows || joined >= 0.5 * p.rows) continue;
      // p ⋈ m, p probing, m built; keys in each side's own columns.
      std::vector<int> to_p(total, -1), to_m(total, -1);
      for (size_t i = 0; i < p.globals.size(); ++i) to_p[p.globals[i]] = static_cast<int>(i);
      for (size_t i = 0; i < sat.globals.size(); ++i) to_m[sat.globals[i]] = static_cast<int>(i);
      auto j = std::make_unique<LogicalNode>();
      j->kind = LogicalKind::kJoin;
      j->join_type = plan::INNER;
      j->columns = p.node->columns;
      j->columns.insert(j->columns.end(), sat.node->columns.begin(), sat.node->columns.end());
      for (size_t k : keys) {
        const auto& args = multi[k].call().args();
        bool m_first = leaves_of(args[0]) == std::set<int>{static_cast<int>(m)};
        plan::Expr pk = args[m_first ? 1 : 0], mk = args[m_first ? 0 : 1];
        RemapColumns(&pk, to_p);
        RemapColumns(&mk, to_m);
        j->left_keys.push_back(std::move(pk));
        j->right_keys.push_back(std::move(mk));
        consumed[k] = true;
      }
      j->estimated_rows = joined;
      j->children.push_back(std::move(p.node));
      j->children.push_back(std::move(sat.node));
      p.node = std::move(j);
      p.rows = joined;
      for (int g : sat.globals) {
        p.globals.push_back(g);
        leaf_of[g] = host;
      }
      p.width = static_cast<int>(p.globals.size());
      sat.absorbed = true;
      used[m] = true;
      merged = true;
    }
  }

  // Greedy left-deep construction.
  std::vector<int> pos(total, -1);  // global column -> position in the current result
  size_t start = 0;
  while (leaves[start].absorbed) ++start;
  for (size_t i = 1; i < leaves.size(); ++i) if (!leaves[i].absorbed && leaves[i].rows > leaves[start].rows) start = i;
  LogicalPtr current = std::move(leaves[start].node);
  double current_rows = leaves[start].rows;
  int width = leaves[start].width;
  for (size_t c = 0; c < leaves[start].globals.size(); ++c) pos[leaves[start].globals[c]] = static_cast<int>(c);
  used[start] = true;
  std::set<int> used_set{static_cast<int>(start)};

  // An equality usable as a hash key between `used` and leaf l: one side only l, the other only used.
  auto key_sides = [&](const plan::Expr& c, int l, int* leaf_side) {
    if (!c.has_call() || c.call().op() != plan::EQ) return false;
    auto a = leaves_of(c.call().args(0)), b = leaves_of(c.call().args(1));
    auto only_used = [&](const std::set<int>& s) {
      return !s.empty() && std::all_of(s.begin(), s.end(), [&](int x) { return used_set.count(x) > 0; });
    };
    std::set<int> just_l{l};
    if (a == just_l && only_used(b)) { *leaf_side = 0; return true; }
    if (b == just_l && only_used(a)) { *leaf_side = 1; return true; }
    return false;
  };

  // Key columns (global) of the equalities usable between the current result and leaf l.
  auto keys_to = [&](int l) {
    std::vector<std::pair<int, int>> cols;
    for (size_t k = 0; k < multi.size(); ++k) {
      int side;
      if (consumed[k] || !key_sides(multi[k], l, &side)) continue;
      cols.push_back({JoinKeyColumn(multi[k].call().args(1 - side)), JoinKeyColumn(multi[k].call().args(side))});
    }
    return cols;
  };
  for (;;) {
    // Prefer a connected leaf, then the one giving the smallest estimated result.
    int best = -1;
    bool best_connected = false;
    double best_rows = 0;
    for (size_t l = 0; l < leaves.size(); ++l) {
      if (used[l]) continue;
      auto cols = keys_to(static_cast<int>(l));
      bool connected = !cols.empty();
      double rows = join_rows(current_rows, leaves[l], cols);
      bool better = best < 0 || (connected && !best_connected) ||
                    (connected == best_connected && (rows < best_rows || (rows == best_rows && leaves[l].rows < leaves[best].rows)));
      if (better) {
        best = static_cast<int>(l);
        best_connected = connected;
        best_rows = rows;
      }
    }
    if (best < 0) break;  // every leaf joined (or absorbed)
    Leaf& leaf = leaves[best];
    auto j = std::make_unique<LogicalNode>();
    j->kind = LogicalKind::kJoin;
    j->join_type = plan::INNER;
    j->columns = current->columns;
    j->columns.insert(j->columns.end(), leaf.node->columns.begin(), leaf.node->columns.end());
    std::vector<int> to_left(total, -1), to_right(total, -1), to_joined(total, -1);
    for (size_t i = 0; i < leaf.globals.size(); ++i) to_right[leaf.globals[i]] = static_cast<int>(i);
    for (int g = 0; g < total; ++g) {
      to_left[g] = pos[g];
      to_joined[g] = pos[g] >= 0 ? pos[g] : (to_right[g] >= 0 ? width + to_right[g] : -1);
    }
    std::vector<plan::Expr> residual;
    for (size_t k = 0; k < multi.size(); ++k) {
      if (consumed[k]) continue;
      int side;
      if (key_sides(multi[k], best, &side)) {
        plan::Expr lk = multi[k].call().args(1 - side), rk = multi[k].call().args(side);
        RemapColumns(&lk, to_left);
        RemapColumns(&rk, to_right);
        j->left_keys.push_back(std::move(lk));
        j->right_keys.push_back(std::move(rk));
        consumed[k] = true;
        continue;
      }
      auto ls = leaves_of(multi[k]);
      bool covered = std::all_of(ls.begin(), ls.end(), [&](int x) { return used_set.count(x) || x == best; });
      if (covered) {
        plan::Expr r = multi[k];
        RemapColumns(&r, to_joined);
        residual.push_back(std::move(r));
        consumed[k] = true;
      }
    }
    if (!residual.empty()) {
      j->predicate = Combine(plan::AND, std::move(residual));
      j->has_predicate = true;
    }
    current_rows = best_rows;
    j->estimated_rows = current_rows;
    for (size_t i = 0; i < leaf.globals.size(); ++i) pos[leaf.globals[i]] = width + static_cast<int>(i);
    width += leaf.width;
    j->children.push_back(std::move(current));
    j->children.push_back(std::move(leaf.node));
    current = std::move(j);
    used[best] = true;
    used_set.insert(best);
  }
  // Predicates between a satellite and its host that were no join key are applied here when no
  // later join took them (the host was the chain's start and nothing else joined).
  for (size_t k = 0; k < multi.size(); ++k) {
    if (consumed[k]) continue;
    plan::Expr r = multi[k];
    RemapColumns(&r, pos);
    constant.push_back(std::move(r));
    consumed[k] = true;
  }
  return Finish(std::move(current), pos, current_rows, std::move(constant), original);
}

}  // namespace

LogicalPtr OrderJoins(LogicalPtr node) {
  if (node->join_region) return OrderTree(std::move(node));
  for (auto& c : node->children) c = OrderJoins(std::move(c));
  return node;
}

double OrderedJoinRows(const LogicalNode& region) { return OrderTree(CloneTree(region))->estimated_rows; }

void MarkJoinRegion(LogicalNode* node) {
  node->join_region = true;
  // Only a tree of inner joins changes its estimate when ordered (a single table or an outer
  // join keeps its own): copy and order only those.
  if (IsInnerJoinTree(*node)) node->estimated_rows = OrderedJoinRows(*node);
}

}  // namespace strata
