#include "planner/column_pruning.h"

#include <map>

#include "planner/external_scan_plan.h"
#include "planner/shared_subtrees.h"

#include "planner/expr_builder.h"
#include "planner/join_shape.h"
#include "sql/error.h"

namespace strata {

namespace {

void Use(const plan::Expr& e, std::vector<bool>* used) {
  std::vector<int> cols;
  CollectColumns(e, &cols);
  for (int c : cols) (*used)[c] = true;
}

// Prunes `n` to the columns marked in `required` (sized to n's output); returns the mapping
// from n's old output columns to its new ones (-1 for a dropped column).
std::vector<int> Prune(LogicalNode* n, const std::vector<bool>& required);

std::vector<int> Identity(size_t width) {
  std::vector<int> m(width);
  for (size_t i = 0; i < width; ++i) m[i] = static_cast<int>(i);
  return m;
}

void Remap(plan::Expr* e, const std::vector<int>& m) { RemapColumns(e, m); }

// A filter's output still holds the columns only its predicate reads (TPC-H Q13's o_comment
// under NOT LIKE). When an ancestor needs none of them, `n` becomes a projection that drops them
// over the filter, so they are not carried into exchanges, hash tables or sorts. `m` maps n's
// old output columns to the filter's; returns the mapping to the projection's.
std::vector<int> DropPredicateOnlyColumns(LogicalNode* n, const std::vector<bool>& required, std::vector<int> m) {
  std::vector<int> out(m.size(), -1);
  std::vector<plan::Expr> exprs;
  std::vector<OutputColumn> cols;
  for (size_t i = 0; i < m.size(); ++i) {
    if (!required[i] || m[i] < 0) continue;
    out[i] = static_cast<int>(exprs.size());
    exprs.push_back(ColumnExpr(m[i], n->columns[m[i]].type));
    cols.push_back(n->columns[m[i]]);
  }
  if (cols.size() == n->columns.size()) return m;
  auto filter = std::make_unique<LogicalNode>();
  static_cast<LogicalNodeFields&>(*filter) = std::move(static_cast<LogicalNodeFields&>(*n));
  filter->children = std::move(n->children);
  static_cast<LogicalNodeFields&>(*n) = LogicalNodeFields{};
  n->kind = LogicalKind::kProject;
  n->estimated_rows = filter->estimated_rows;
  n->exprs = std::move(exprs);
  n->columns = std::move(cols);
  n->children.clear();
  n->children.push_back(std::move(filter));
  return out;
}

std::vector<int> PruneJoin(LogicalNode* n, const std::vector<bool>& required) {
  LogicalNode* left = n->children[0].get();
  LogicalNode* right = n->children[1].get();
  size_t lw = left->columns.size(), rw = right->columns.size();
  bool semi_like = ShapeOf(n->join_type) == JoinShape::kProbeOnly;
  bool mark = ShapeOf(n->join_type) == JoinShape::kProbeAndFlag;
  std::vector<bool> lreq(lw, false), rreq(rw, false);
  for (size_t i = 0; i < lw && i < required.size(); ++i) lreq[i] = required[i];
  if (!semi_like && !mark) for (size_t i = 0; i < rw; ++i) rreq[i] = required[lw + i];
  for (const auto& k : n->left_keys) Use(k, &lreq);
  for (const auto& k : n->right_keys) Use(k, &rreq);
  if (n->has_predicate) {
    std::vector<bool> both(lw + rw, false);
    Use(n->predicate, &both);
    for (size_t i = 0; i < lw; ++i) lreq[i] = lreq[i] || both[i];
    for (size_t i = 0; i < rw; ++i) rreq[i] = rreq[i] || both[lw + i];
  }
  std::vector<int> lm = Prune(left, lreq), rm = Prune(right, rreq);
  int new_lw = static_cast<int>(left->columns.size());
  for (auto& k : n->left_keys) Remap(&k, lm);
  for (auto& k : n->right_keys) Remap(&k, rm);
  std::vector<int> both_map(lw + rw, -1);
  for (size_t i = 0; i < lw; ++i) both_map[i] = lm[i];
  for (size_t i = 0; i < rw; ++i) both_map[lw + i] = rm[i] < 0 ? -1 : new_lw + rm[i];
  if (n->has_predicate) Remap(&n->predicate, both_map);
  // Output columns and the mapping of the join's own output.
  std::vector<OutputColumn> cols = left->columns;
  std::vector<int> out(n->columns.size(), -1);
  for (size_t i = 0; i < lw; ++i) out[i] = lm[i];
  if (mark) {
    cols.push_back(n->columns.back());
    out[lw] = new_lw;
  } else if (!semi_like) {
    cols.insert(cols.end(), right->columns.begin(), right->columns.end());
    for (size_t i = 0; i < rw; ++i) out[lw + i] = both_map[lw + i];
  }
  n->columns = std::move(cols);
  return out;
}

// Copies of a shared subtree (planner/shared_subtrees.h) are pruned to the union of what
// their parents need: a first pass over a copy of the plan only collects it per group.
struct SharedColumns {
  bool collecting = false;
  std::map<int, std::vector<bool>> required;  // by share_group
};
thread_local SharedColumns* shared_columns = nullptr;

std::vector<int> PruneNode(LogicalNode* n, const std::vector<bool>& required);

std::vector<int> Prune(LogicalNode* n, const std::vector<bool>& required) {
  if (n->share_group < 0 || shared_columns == nullptr) return PruneNode(n, required);
  std::vector<bool>& all = shared_columns->required[n->share_group];
  if (shared_columns->collecting) {
    if (all.empty()) all.assign(required.size(), false);
    if (all.size() != required.size()) STRATA_INTERNAL_ERROR("copies of a shared subtree differ in width");
    for (size_t i = 0; i < required.size(); ++i) all[i] = all[i] || required[i];
    return PruneNode(n, required);
  }
  if (all.size() != required.size()) STRATA_INTERNAL_ERROR("a shared subtree's columns were not collected");
  return PruneNode(n, all);
}

std::vector<int> PruneNode(LogicalNode* n, const std::vector<bool>& required) {
  size_t width = n->columns.size();
  switch (n->kind) {
    case LogicalKind::kScan: {
      std::vector<int> keep_cols, m(width, -1);
      std::vector<OutputColumn> cols;
      for (size_t i = 0; i < width; ++i) {
        if (!required[i]) continue;
        m[i] = static_cast<int>(keep_cols.size());
        keep_cols.push_back(n->scan_columns[i]);
        cols.push_back(n->columns[i]);
      }
      n->scan_columns = std::move(keep_cols);
      n->columns = std::move(cols);
      return m;
    }
    case LogicalKind::kFilter: {
      std::vector<bool> req = required;
      Use(n->predicate, &req);
      std::vector<int> m = Prune(n->children[0].get(), req);
      Remap(&n->predicate, m);
      n->columns = n->children[0]->columns;
      return DropPredicateOnlyColumns(n, required, std::move(m));
    }
    case LogicalKind::kProject: {
      std::vector<bool> req(n->children[0]->columns.size(), false);
      std::vector<int> m(width, -1);
      std::vector<plan::Expr> exprs;
      std::vector<OutputColumn> cols;
      for (size_t i = 0; i < width; ++i) {
        if (!required[i]) continue;
        Use(n->exprs[i], &req);
        m[i] = static_cast<int>(exprs.size());
        exprs.push_back(n->exprs[i]);
        cols.push_back(n->columns[i]);
      }
      std::vector<int> cm = Prune(n->children[0].get(), req);
      for (auto& e : exprs) Remap(&e, cm);
      n->exprs = std::move(exprs);
      n->columns = std::move(cols);
      return m;
    }
    case LogicalKind::kAggregate: {
      std::vector<bool> req(n->children[0]->columns.size(), false);
      for (const auto& g : n->groups) Use(g, &req);
      for (const auto& a : n->aggs) if (a.has_arg()) Use(a.arg(), &req);
      for (const auto& a : n->aggs) if (a.has_order_arg()) Use(a.order_arg(), &req);
      std::vector<int> cm = Prune(n->children[0].get(), req);
      for (auto& g : n->groups) Remap(&g, cm);
      for (auto& a : n->aggs) if (a.has_arg()) Remap(a.mutable_arg(), cm);
      for (auto& a : n->aggs) if (a.has_order_arg()) Remap(a.mutable_order_arg(), cm);
      return Identity(width);
    }
    case LogicalKind::kJoin: return PruneJoin(n, required);
    case LogicalKind::kSort: {
      std::vector<bool> req = required;
      for (const auto& k : n->sort_keys) Use(k.expr(), &req);
      std::vector<int> m = Prune(n->children[0].get(), req);
      for (auto& k : n->sort_keys) Remap(k.mutable_expr(), m);
      n->columns = n->children[0]->columns;
      return m;
    }
    case LogicalKind::kWindow: {
      // Input columns as required plus what the window reads; every function's column stays.
      size_t in_width = n->children[0]->columns.size();
      std::vector<bool> req(required.begin(), required.begin() + in_width);
      for (const auto& k : n->partition_keys) Use(k, &req);
      for (const auto& k : n->sort_keys) Use(k.expr(), &req);
      for (const auto& f : n->window_funcs) for (const auto& a : f.args()) Use(a, &req);
      std::vector<int> m = Prune(n->children[0].get(), req);
      for (auto& k : n->partition_keys) Remap(&k, m);
      for (auto& k : n->sort_keys) Remap(k.mutable_expr(), m);
      for (auto& f : n->window_funcs) for (auto& a : *f.mutable_args()) Remap(&a, m);
      std::vector<OutputColumn> cols = n->children[0]->columns;
      int new_in_width = static_cast<int>(cols.size());
      m.resize(width);
      for (size_t i = in_width; i < width; ++i) {
        m[i] = new_in_width + static_cast<int>(i - in_width);
        cols.push_back(n->columns[i]);
      }
      n->columns = std::move(cols);
      return m;
    }
    case LogicalKind::kLimit: {
      std::vector<int> m = Prune(n->children[0].get(), required);
      n->columns = n->children[0]->columns;
      return m;
    }
    case LogicalKind::kDependentJoin:  // unnested by the decorrelation pass before pruning
    case LogicalKind::kAppend:
    case LogicalKind::kRepeat: {
      // Set operations keep every column (their inputs line up by position); each input
      // prunes below its own projections.
      for (auto& c : n->children) Prune(c.get(), std::vector<bool>(c->columns.size(), true));
      return Identity(width);
    }
    case LogicalKind::kFileScan:
      if (n->file_scan.has_external()) return PruneExternalScan(n, required);
      return Identity(width);
    case LogicalKind::kValues:
    case LogicalKind::kSystemTable:
      return Identity(width);
  }
  return Identity(width);
}

}  // namespace

void PruneColumns(LogicalNode* root) {
  std::vector<bool> all(root->columns.size(), true);
  if (MarkSharedSubtrees(root) == 0) {
    Prune(root, all);
    return;
  }
  SharedColumns shared;
  struct Scope {
    explicit Scope(SharedColumns* s) { shared_columns = s; }
    ~Scope() { shared_columns = nullptr; }
  } scope(&shared);
  shared.collecting = true;
  LogicalPtr scratch = CloneTree(*root);
  Prune(scratch.get(), all);
  shared.collecting = false;
  Prune(root, all);
}

}  // namespace strata
