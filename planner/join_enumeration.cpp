#include "planner/join_enumeration.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>

#include "planner/expr_builder.h"

namespace strata {

namespace {

using Mask = uint32_t;

// Relative costs: a row built into a hash table against one probed or produced, a row sent to
// another slice. Broadcasts copy to every slice of the cluster, whose shape the optimizer does
// not see: a two-node, two-slice cluster is assumed (only the choice between plans uses it).
constexpr double kBuildCost = 2;
constexpr double kMoveCost = 1;
constexpr double kSlices = 4;

bool Has(Mask m, int leaf) { return (m >> leaf) & 1u; }
bool Contains(const std::vector<int>& v, int x) { return std::find(v.begin(), v.end(), x) != v.end(); }

// Where a plan's rows live: hashed on any of `cols` (global columns), or a copy on every node.
struct Placement {
  bool everywhere = false;
  std::vector<int> cols;
};

// A table scanned with DISTSTYLE KEY is placed on its distribution key's column, one with
// DISTSTYLE ALL everywhere; looking through filters and projections that pass columns on.
Placement LeafPlacement(const JoinLeaf& leaf) {
  Placement p;
  for (int c = 0; c < leaf.width; ++c) {
    const LogicalNode* x = leaf.node.get();
    int k = c;
    while (x->kind == LogicalKind::kFilter || (x->kind == LogicalKind::kProject && x->exprs[k].has_column())) {
      if (x->kind == LogicalKind::kProject) k = x->exprs[k].column();
      x = x->children[0].get();
    }
    if (x->kind != LogicalKind::kScan || !x->system_table.empty()) return p;
    if (x->table.dist_style() == catalog::DIST_ALL) {
      p.everywhere = true;
      return p;
    }
    if (x->table.dist_style() == catalog::DIST_KEY && k < static_cast<int>(x->scan_columns.size()) &&
        x->scan_columns[k] == x->table.distkey()) {
      p.cols.push_back(leaf.offset + c);
    }
  }
  return p;
}

// Columns made equal by equalities between plain columns of one type, at most one per leaf.
struct EqClass {
  std::vector<int> member_of_leaf;  // global column, or -1
  Mask leaves = 0;
};

// A predicate of the region other than an equivalence class's equalities: a hash key between
// two leaves (an equality whose sides each read one leaf), or applied where its leaves meet.
struct Pred {
  const plan::Expr* expr;
  Mask leaves = 0;
  bool key = false;
  int leaf[2] = {-1, -1};  // a key's sides' leaves (args 0 and 1)
};

// One hash key of a join: the class or predicate it comes from, and its global column on
// each side (-1 for an expression).
struct KeyPair {
  int left = -1, right = -1;
  const Pred* pred = nullptr;  // null for a class key
  bool left_is_arg0 = true;
};

class Enumerator {
 public:
  Enumerator(std::vector<JoinLeaf>* leaves, const std::vector<plan::Expr>& multi, const std::vector<double>& ndv)
      : leaves_(*leaves), ndv_(ndv), n_(static_cast<int>(leaves->size())) {
    int total = static_cast<int>(ndv.size());
    leaf_of_.assign(total, -1);
    type_of_.resize(total);
    for (int i = 0; i < n_; ++i) {
      for (int c = 0; c < leaves_[i].width; ++c) {
        leaf_of_[leaves_[i].offset + c] = i;
        type_of_[leaves_[i].offset + c] = leaves_[i].node->columns[c].type;
      }
    }
    Classify(multi);
  }

  std::optional<EnumeratedJoins> Run() {
    if (n_ < 2 || n_ > kMaxEnumeratedLeaves || !Connected()) return std::nullopt;
    const Mask full = (Mask{1} << n_) - 1;
    rows_.assign(full + 1, -1);
    cost_.assign(full + 1, std::numeric_limits<double>::infinity());
    split_.assign(full + 1, 0);
    placement_.assign(full + 1, {});
    for (int i = 0; i < n_; ++i) {
      Mask m = Mask{1} << i;
      rows_[m] = std::max(1.0, leaves_[i].rows);
      cost_[m] = 0;
      placement_[m] = LeafPlacement(leaves_[i]);
    }
    for (Mask s = 1; s <= full; ++s) {
      if ((s & (s - 1)) == 0) continue;
      for (Mask a = (s - 1) & s; a > 0; a = (a - 1) & s) {
        Mask b = s ^ a;
        if (a > b || !Planned(a) || !Planned(b) || !Adjacent(a, b)) continue;
        if (rows_[s] < 0) rows_[s] = JoinRows(a, b);
        Placement placed;
        double c = cost_[a] + cost_[b] + JoinCost(a, b, &placed);
        if (c < cost_[s]) {
          cost_[s] = c;
          split_[s] = a;
          placement_[s] = std::move(placed);
        }
      }
    }
    if (!Planned(full)) return std::nullopt;
    Built top = Build(full);
    EnumeratedJoins out;
    out.pos.assign(ndv_.size(), -1);
    for (size_t i = 0; i < top.globals.size(); ++i) out.pos[top.globals[i]] = static_cast<int>(i);
    out.node = std::move(top.node);
    out.rows = rows_[full];
    return out;
  }

 private:
  struct Built {
    LogicalPtr node;
    std::vector<int> globals;
  };

  // The equivalence classes and the other predicates of `multi`.
  void Classify(const std::vector<plan::Expr>& multi) {
    std::vector<int> parent(ndv_.size());
    for (size_t i = 0; i < parent.size(); ++i) parent[i] = static_cast<int>(i);
    auto find = [&](int x) {
      while (parent[x] != x) x = parent[x] = parent[parent[x]];
      return x;
    };
    auto plain_equality = [&](const plan::Expr& e) {
      if (!e.has_call() || e.call().op() != plan::EQ || e.call().args_size() != 2) return false;
      const plan::Expr &a = e.call().args(0), &b = e.call().args(1);
      return a.has_column() && b.has_column() && ExprType(a) == ExprType(b) &&
             leaf_of_[a.column()] != leaf_of_[b.column()];
    };
    for (const auto& e : multi) {
      if (plain_equality(e)) parent[find(e.call().args(0).column())] = find(e.call().args(1).column());
    }
    // Members per class; a class with two columns of one leaf is not used (its equalities stay
    // predicates), since one key per join would leave the leaf's own equality unchecked.
    std::map<int, EqClass> by_root;
    std::map<int, bool> usable;
    for (const auto& e : multi) {
      if (!plain_equality(e)) continue;
      for (int k = 0; k < 2; ++k) {
        int col = e.call().args(k).column();
        int root = find(col);
        EqClass& cls = by_root[root];
        if (cls.member_of_leaf.empty()) cls.member_of_leaf.assign(n_, -1);
        usable.emplace(root, true);
        int& slot = cls.member_of_leaf[leaf_of_[col]];
        if (slot >= 0 && slot != col) usable[root] = false;
        slot = col;
        cls.leaves |= Mask{1} << leaf_of_[col];
      }
    }
    for (auto& [root, cls] : by_root) {
      if (usable[root]) classes_.push_back(std::move(cls));
    }
    for (const auto& e : multi) {
      if (plain_equality(e) && usable[find(e.call().args(0).column())]) continue;
      Pred p;
      p.expr = &e;
      std::vector<int> cols;
      CollectColumns(e, &cols);
      for (int c : cols) p.leaves |= Mask{1} << leaf_of_[c];
      if (e.has_call() && e.call().op() == plan::EQ && e.call().args_size() == 2) {
        for (int k = 0; k < 2; ++k) {
          std::vector<int> side;
          CollectColumns(e.call().args(k), &side);
          Mask m = 0;
          for (int c : side) m |= Mask{1} << leaf_of_[c];
          if (m != 0 && (m & (m - 1)) == 0) p.leaf[k] = __builtin_ctz(m);
        }
        p.key = p.leaf[0] >= 0 && p.leaf[1] >= 0 && p.leaf[0] != p.leaf[1];
      }
      preds_.push_back(p);
    }
    neighbours_.assign(n_, 0);
    for (const auto& cls : classes_) {
      for (int i = 0; i < n_; ++i) {
        if (Has(cls.leaves, i)) neighbours_[i] |= cls.leaves & ~(Mask{1} << i);
      }
    }
    for (const auto& p : preds_) {
      if (!p.key) continue;
      neighbours_[p.leaf[0]] |= Mask{1} << p.leaf[1];
      neighbours_[p.leaf[1]] |= Mask{1} << p.leaf[0];
    }
  }

  bool Connected() const {
    Mask seen = 1, frontier = 1;
    while (frontier != 0) {
      Mask next = 0;
      for (int i = 0; i < n_; ++i) {
        if (Has(frontier, i)) next |= neighbours_[i];
      }
      frontier = next & ~seen;
      seen |= next;
    }
    return seen == (Mask{1} << n_) - 1;
  }

  bool Planned(Mask m) const { return cost_[m] < std::numeric_limits<double>::infinity(); }

  bool Adjacent(Mask a, Mask b) const {
    for (int i = 0; i < n_; ++i) {
      if (Has(a, i) && (neighbours_[i] & b) != 0) return true;
    }
    return false;
  }

  // Distinct values of global column c within a plan of `rows` rows.
  double Ndv(int c, double rows) const { return c >= 0 ? std::min(ndv_[c], rows) : rows; }

  // The hash keys joining a and b: each crossing predicate key, and one pair per equivalence
  // class with members on both sides -- a member the side is placed on when there is one (so
  // the join can run where the rows are), else the one with the fewest distinct values.
  std::vector<KeyPair> Keys(Mask a, Mask b) const {
    std::vector<KeyPair> keys;
    auto pick = [&](const EqClass& cls, Mask side) {
      int best = -1;
      for (int i = 0; i < n_; ++i) {
        int c = cls.member_of_leaf[i];
        if (!Has(side, i) || c < 0) continue;
        bool placed = Contains(placement_[side].cols, c), best_placed = best >= 0 && Contains(placement_[side].cols, best);
        if (best < 0 || (placed && !best_placed) || (placed == best_placed && ndv_[c] < ndv_[best])) best = c;
      }
      return best;
    };
    for (const auto& cls : classes_) {
      if ((cls.leaves & a) == 0 || (cls.leaves & b) == 0) continue;
      keys.push_back({pick(cls, a), pick(cls, b), nullptr, true});
    }
    for (const auto& p : preds_) {
      if (!p.key) continue;
      bool forward = Has(a, p.leaf[0]) && Has(b, p.leaf[1]);
      bool backward = Has(a, p.leaf[1]) && Has(b, p.leaf[0]);
      if (!forward && !backward) continue;
      const plan::Expr& l = p.expr->call().args(forward ? 0 : 1);
      const plan::Expr& r = p.expr->call().args(forward ? 1 : 0);
      KeyPair k;
      // Only a plain column of the other side's type can place a join (as in the physical planner).
      bool plain = l.has_column() && r.has_column() && ExprType(l) == ExprType(r);
      k.left = plain ? l.column() : -1;
      k.right = plain ? r.column() : -1;
      k.pred = &p;
      k.left_is_arg0 = forward;
      keys.push_back(k);
    }
    return keys;
  }

  // Rows of a ⋈ b: the product of the sides, divided for each pair of leaves the join links by
  // its most selective key (several keys between the same two leaves are usually one composite
  // key, not independent ones: partsupp's (partkey, suppkey) against lineitem's), and at least
  // the smaller side when several pairs are linked.
  double JoinRows(Mask a, Mask b) const {
    std::map<std::pair<int, int>, double> divisor;
    auto add = [&](int la, int lb, double d) {
      double& x = divisor[{la, lb}];
      x = std::max({x, d, 1.0});
    };
    for (const auto& cls : classes_) {
      if ((cls.leaves & a) == 0 || (cls.leaves & b) == 0) continue;
      // Within a side the members are equal already: its distinct values are the fewest of theirs.
      int ca = -1, cb = -1;
      for (int i = 0; i < n_; ++i) {
        int c = cls.member_of_leaf[i];
        if (c < 0 || !Has(a | b, i)) continue;
        int& slot = Has(a, i) ? ca : cb;
        if (slot < 0 || ndv_[c] < ndv_[slot]) slot = c;
      }
      add(leaf_of_[ca], leaf_of_[cb], std::max(Ndv(ca, rows_[a]), Ndv(cb, rows_[b])));
    }
    for (const auto& p : preds_) {
      if (!p.key) continue;
      bool forward = Has(a, p.leaf[0]) && Has(b, p.leaf[1]);
      bool backward = Has(a, p.leaf[1]) && Has(b, p.leaf[0]);
      if (!forward && !backward) continue;
      int ka = JoinKeyColumn(p.expr->call().args(forward ? 0 : 1));
      int kb = JoinKeyColumn(p.expr->call().args(forward ? 1 : 0));
      add(p.leaf[forward ? 0 : 1], p.leaf[forward ? 1 : 0], std::max(Ndv(ka, rows_[a]), Ndv(kb, rows_[b])));
    }
    double rows = rows_[a] * rows_[b];
    for (const auto& [pair, d] : divisor) rows /= d;
    // Keys through different leaves may still be one composite key (part ⋈ partsupp against
    // lineitem on partkey and suppkey): together they are taken to be no more selective than a
    // single key unique on the larger side -- the least one key alone is estimated to keep.
    if (divisor.size() > 1) rows = std::max(rows, std::min(rows_[a], rows_[b]));
    return std::max(1.0, rows);
  }

  // The cost of joining the plans of a and b (not counting theirs), and where its rows are
  // placed; the larger input probes, the smaller is built.
  double JoinCost(Mask a, Mask b, Placement* placed) const {
    Mask big = rows_[a] >= rows_[b] ? a : b, small = big == a ? b : a;
    const double big_rows = rows_[big], small_rows = rows_[small];
    double cost = rows_[a | b] + big_rows + kBuildCost * small_rows;  // Run sets rows_[a | b] first
    const Placement &pb = placement_[big], &ps = placement_[small];
    std::vector<KeyPair> keys = Keys(big, small);
    auto on_key = [&](const Placement& p, bool big_side, int* col) {
      for (const auto& k : keys) {
        int c = big_side ? k.left : k.right;
        if (c >= 0 && Contains(p.cols, c)) {
          *col = big_side ? k.right : k.left;
          return true;
        }
      }
      return false;
    };
    for (const auto& k : keys) {
      if (k.left >= 0 && k.right >= 0 && Contains(pb.cols, k.left) && Contains(ps.cols, k.right)) {
        *placed = pb;
        for (int c : ps.cols) placed->cols.push_back(c);
        return cost;  // co-located
      }
    }
    int other = -1;
    if (ps.everywhere) {
      *placed = pb;
    } else if (small_rows * kSlices < big_rows) {
      *placed = pb;
      cost += kMoveCost * small_rows * kSlices;
    } else if (on_key(pb, true, &other)) {
      *placed = pb;
      if (other >= 0) placed->cols.push_back(other);
      cost += kMoveCost * small_rows;
    } else if (on_key(ps, false, &other)) {
      *placed = ps;
      if (other >= 0) placed->cols.push_back(other);
      cost += kMoveCost * big_rows;
    } else {
      if (!keys.empty() && keys[0].left >= 0) placed->cols.push_back(keys[0].left);
      if (!keys.empty() && keys[0].right >= 0) placed->cols.push_back(keys[0].right);
      cost += kMoveCost * (big_rows + small_rows);
    }
    return cost;
  }

  // The plan of m as logical joins: the larger input on the left (the physical planner swaps
  // the sides by its own estimates anyway).
  Built Build(Mask m) {
    if ((m & (m - 1)) == 0) {
      JoinLeaf& leaf = leaves_[__builtin_ctz(m)];
      return {std::move(leaf.node), leaf.globals};
    }
    Mask a = split_[m], b = m ^ a;
    if (rows_[b] > rows_[a]) std::swap(a, b);
    std::vector<KeyPair> keys = Keys(a, b);
    Built l = Build(a), r = Build(b);
    const int total = static_cast<int>(ndv_.size());
    std::vector<int> to_left(total, -1), to_right(total, -1), to_joined(total, -1);
    for (size_t i = 0; i < l.globals.size(); ++i) to_left[l.globals[i]] = static_cast<int>(i);
    for (size_t i = 0; i < r.globals.size(); ++i) to_right[r.globals[i]] = static_cast<int>(i);
    const int width = static_cast<int>(l.globals.size());
    for (int g = 0; g < total; ++g) to_joined[g] = to_left[g] >= 0 ? to_left[g] : (to_right[g] >= 0 ? width + to_right[g] : -1);

    auto j = std::make_unique<LogicalNode>();
    j->kind = LogicalKind::kJoin;
    j->join_type = plan::INNER;
    j->columns = l.node->columns;
    j->columns.insert(j->columns.end(), r.node->columns.begin(), r.node->columns.end());
    for (const auto& k : keys) {
      plan::Expr lk, rk;
      if (k.pred == nullptr) {
        lk = ColumnExpr(k.left, type_of_[k.left]);
        rk = ColumnExpr(k.right, type_of_[k.right]);
      } else {
        lk = k.pred->expr->call().args(k.left_is_arg0 ? 0 : 1);
        rk = k.pred->expr->call().args(k.left_is_arg0 ? 1 : 0);
      }
      RemapColumns(&lk, to_left);
      RemapColumns(&rk, to_right);
      j->left_keys.push_back(std::move(lk));
      j->right_keys.push_back(std::move(rk));
    }
    // Every other predicate goes to the join where its leaves first meet.
    std::vector<plan::Expr> residual;
    for (const auto& p : preds_) {
      bool here = (p.leaves & ~m) == 0 && (p.leaves & ~a) != 0 && (p.leaves & ~b) != 0;
      if (!here || p.key) continue;
      plan::Expr e = *p.expr;
      RemapColumns(&e, to_joined);
      residual.push_back(std::move(e));
    }
    if (residual.size() == 1) {
      j->predicate = std::move(residual[0]);
      j->has_predicate = true;
    } else if (!residual.empty()) {
      j->predicate = CallExpr(plan::AND, SqlType::Bool(), std::move(residual));
      j->has_predicate = true;
    }
    j->estimated_rows = rows_[m];
    j->children.push_back(std::move(l.node));
    j->children.push_back(std::move(r.node));
    Built out{std::move(j), std::move(l.globals)};
    out.globals.insert(out.globals.end(), r.globals.begin(), r.globals.end());
    return out;
  }

  std::vector<JoinLeaf>& leaves_;
  const std::vector<double>& ndv_;
  const int n_;
  std::vector<int> leaf_of_;
  std::vector<SqlType> type_of_;
  std::vector<EqClass> classes_;
  std::vector<Pred> preds_;
  std::vector<Mask> neighbours_;
  std::vector<double> rows_, cost_;
  std::vector<Mask> split_;
  std::vector<Placement> placement_;
};

}  // namespace

int JoinKeyColumn(const plan::Expr& e) {
  if (e.has_column()) return e.column();
  if (e.has_call() && (e.call().op() == plan::CAST || e.call().op() == plan::ASSIGN_CAST) && e.call().args_size() == 1) {
    return JoinKeyColumn(e.call().args(0));
  }
  return -1;
}

std::optional<EnumeratedJoins> EnumerateJoins(std::vector<JoinLeaf>* leaves, const std::vector<plan::Expr>& multi,
                                              const std::vector<double>& ndv) {
  return Enumerator(leaves, multi, ndv).Run();
}

}  // namespace strata
