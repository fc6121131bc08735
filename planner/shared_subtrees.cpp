// See shared_subtrees.h.
#include "planner/shared_subtrees.h"

#include <map>
#include <vector>

#include "planner/expr_builder.h"

namespace strata {
namespace {

// Parameters and outer references are bound per use; random() draws per row.
bool Shareable(const plan::Expr& e) {
  if (e.has_param() || e.has_outer_ref()) return false;
  if (!e.has_call()) return true;
  if (IsVolatile(e)) return false;
  for (const auto& a : e.call().args()) {
    if (!Shareable(a)) return false;
  }
  return true;
}

void Put(std::string* out, const google::protobuf::Message& m) {
  const std::string bytes = m.SerializeAsString();
  out->append(std::to_string(bytes.size())).append(":").append(bytes);
}

void Put(std::string* out, int64_t v) { out->append(std::to_string(v)).append(","); }

// Appends the node's own fields; false when it may not be shared.
bool PutNode(const LogicalNode& n, std::string* out) {
  Put(out, static_cast<int64_t>(n.kind));
  Put(out, static_cast<int64_t>(n.columns.size()));
  for (const auto& c : n.columns) {
    Put(out, static_cast<int64_t>(c.type.id));
    Put(out, c.type.precision);
    Put(out, c.type.scale);
    Put(out, c.type.length);
  }
  auto exprs = [&](const std::vector<plan::Expr>& v) {
    Put(out, static_cast<int64_t>(v.size()));
    for (const auto& e : v) {
      if (!Shareable(e)) return false;
      Put(out, e);
    }
    return true;
  };
  switch (n.kind) {
    case LogicalKind::kScan:
      Put(out, n.table.id());
      for (int c : n.scan_columns) Put(out, c);
      return true;
    case LogicalKind::kFilter:
      if (!Shareable(n.predicate)) return false;
      Put(out, n.predicate);
      return true;
    case LogicalKind::kProject: return exprs(n.exprs);
    case LogicalKind::kAggregate:
      if (!exprs(n.groups)) return false;
      Put(out, static_cast<int64_t>(n.aggs.size()));
      for (const auto& a : n.aggs) {
        if ((a.has_arg() && !Shareable(a.arg())) || (a.has_order_arg() && !Shareable(a.order_arg()))) return false;
        Put(out, a);
      }
      return true;
    case LogicalKind::kJoin:
      Put(out, static_cast<int64_t>(n.join_type));
      if (!exprs(n.left_keys) || !exprs(n.right_keys)) return false;
      Put(out, n.has_predicate ? 1 : 0);
      if (n.has_predicate) {
        if (!Shareable(n.predicate)) return false;
        Put(out, n.predicate);
      }
      return true;
    default: return false;
  }
}

// A subtree that reads fewer rows is computed again rather than given a stage of its own (TPC-H
// Q2's nation and region: a stage costs about a millisecond of round trips).
constexpr double kMinScanRows = 100000;

struct Info {
  std::string fingerprint;  // empty: not shareable
  bool work = false;        // holds a join or an aggregate
  bool scans = false;       // holds a table scan
  double scan_rows = 0;     // estimated rows of its table scans
  bool worth = false;       // a join or an aggregate over scans of kMinScanRows or more
};

// Fills info[node] for n and everything below it.
const Info& Describe(const LogicalNode& n, std::map<const LogicalNode*, Info>* info) {
  Info me;
  std::string fp;
  bool ok = PutNode(n, &fp);
  me.scans = n.kind == LogicalKind::kScan;
  if (me.scans) me.scan_rows = n.estimated_rows;
  me.work = n.kind == LogicalKind::kJoin || n.kind == LogicalKind::kAggregate;
  Put(&fp, static_cast<int64_t>(n.children.size()));
  for (const auto& c : n.children) {
    if (c == nullptr) {
      ok = false;
      continue;
    }
    const Info& ci = Describe(*c, info);
    ok = ok && !ci.fingerprint.empty();
    if (ok) fp.append("(").append(ci.fingerprint).append(")");
    me.scans = me.scans || ci.scans;
    me.work = me.work || ci.work;
    me.scan_rows += ci.scan_rows;
  }
  me.worth = me.work && me.scans && me.scan_rows >= kMinScanRows;
  if (ok) me.fingerprint = std::move(fp);
  return (*info)[&n] = std::move(me);
}

}  // namespace

std::string SubtreeFingerprint(const LogicalNode& n) {
  std::map<const LogicalNode*, Info> info;
  return Describe(n, &info).fingerprint;
}

int MarkSharedSubtrees(LogicalNode* root) {
  if (root == nullptr) return 0;
  std::map<const LogicalNode*, Info> info;
  Describe(*root, &info);
  std::map<std::string, int> count;
  for (const auto& [node, i] : info) {
    if (i.worth && !i.fingerprint.empty()) ++count[i.fingerprint];
  }
  // Top down: the first repeated subtree on a path is the largest; nothing below it is marked.
  std::map<std::string, std::vector<LogicalNode*>> copies;
  std::vector<LogicalNode*> stack{root};
  while (!stack.empty()) {
    LogicalNode* n = stack.back();
    stack.pop_back();
    const Info& i = info[n];
    if (i.worth && !i.fingerprint.empty() && count[i.fingerprint] >= 2) {
      copies[i.fingerprint].push_back(n);
      continue;
    }
    for (auto& c : n->children) {
      if (c != nullptr) stack.push_back(c.get());
    }
  }
  int groups = 0;
  for (auto& [fp, nodes] : copies) {
    if (nodes.size() < 2) continue;  // its other copies sit inside a larger shared subtree
    for (LogicalNode* n : nodes) n->share_group = groups;
    ++groups;
  }
  return groups;
}

}  // namespace strata
