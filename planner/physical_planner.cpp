#include "planner/physical_planner.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>

#include "planner/aggregate_layout.h"
#include "planner/bind_helpers.h"
#include "planner/expr_builder.h"
#include "planner/identity_columns.h"
#include "planner/join_shape.h"
#include "planner/expr_text.h"
#include "planner/external_scan_plan.h"
#include "planner/selectivity.h"
#include "planner/shared_subtrees.h"
#include "sql/error.h"
#include "storage/slice_writer.h"
#include "catalog/table_styles.h"

namespace strata {

namespace {

struct ExplainNode {
  std::string label;
  std::vector<std::string> details;
  std::vector<ExplainNode> children;
};

// A plan piece under construction: an operator tree plus where it runs and how its rows are
// spread over the slices.
struct Fragment {
  plan::Operator op;
  bool on_leader = false;
  std::vector<int> hash_cols;   // rows are placed by the distribution hash of these columns
  // With one hash column: other columns equal to it in every row (an inner join's other key), so
  // the rows are placed by each of them too.
  std::vector<int> hash_equiv;
  bool single_slice = false;    // all rows are on one slice (a DISTSTYLE ALL table read once)
  std::vector<SqlType> types;
  double rows = 1;
  int width = 8;
  ExplainNode explain;
};

// The columns that place f's rows on their own: its one hash column and those equal to it.
std::vector<int> PlacingColumns(const Fragment& f) {
  if (f.hash_cols.size() != 1) return {};
  std::vector<int> cols = f.hash_cols;
  cols.insert(cols.end(), f.hash_equiv.begin(), f.hash_equiv.end());
  return cols;
}

bool Contains(const std::vector<int>& v, int x) { return std::find(v.begin(), v.end(), x) != v.end(); }

class Planner {
 public:
  explicit Planner(const ClusterShape& shape) : shape_(shape) {}

  Fragment Plan(const LogicalNode& n);
  // Moves a compute fragment's rows to the leader (a stage with SINK_GATHER).
  Fragment Gather(Fragment f);
  // count/sum/avg/min/max(DISTINCT x) over one x and no GROUP BY, planned without a global
  // distinct set (see PlanScalarDistinct).
  static bool DistinctOfOneArgument(const LogicalNode& n);
  Fragment PlanScalarDistinct(const LogicalNode& n, Fragment child);
  // Redistributes a compute or leader fragment by hash of `keys` (a stage with SINK_HASH).
  Fragment Redistribute(Fragment f, const std::vector<plan::Expr>& keys);
  Fragment Broadcast(Fragment f);
  // Ends f's stage with a sink of `kind` into a new exchange; returns the fragment reading it.
  Fragment Exchange(Fragment f, plan::SinkKind kind, const std::vector<plan::Expr>& keys, const std::string& label);
  void Finish(Fragment f, plan::Sink sink, const std::string& label);
  // DELETE / UPDATE / MERGE of a DISTSTYLE ALL table: every node's copy must meet every source
  // row, so a join may not read the target as each node's own copy (DS_DIST_ALL_NONE) -- a
  // source row would then change only the copy on its own node.
  void set_modified_all_table(int64_t id) { modified_all_table_ = id; }
  // Ends f's stage with `write` (a SINK_WRITE) that also sends the rows it writes to the leader;
  // returns the leader fragment reading them (INSERT ... RETURNING).
  Fragment WriteAndReturn(Fragment f, plan::Sink write, bool one_copy, const std::string& label);

  PhysicalPlan out;
  // Copies of a shared subtree (planner/shared_subtrees.h) read one computation of it (queries
  // only: PlanQuery turns this on).
  bool share_subtrees = false;

 private:
  Fragment PlanNode(const LogicalNode& n);
  Fragment PlanShared(const LogicalNode& n);
  Fragment PlanScan(const LogicalNode& n);
  Fragment PlanAggregate(const LogicalNode& n);
  Fragment PlanJoin(const LogicalNode& n);
  bool ReadsOnlyAllTables(const plan::Operator& op) const;
  static void ReadNodeCopies(plan::Operator* op);
  Fragment PlanWindow(const LogicalNode& n);
  Fragment PlanAppend(const LogicalNode& n);
  int AddStage(Fragment f, plan::Sink sink, const std::string& label);
  // Ends f's stage with `sink`, whose rows go to the leader through a new exchange; returns the
  // leader fragment that reads them (Gather, WriteAndReturn).
  Fragment SendToLeader(Fragment f, plan::Sink sink, const std::string& label);
  plan::Operator Source(int exchange, const std::vector<SqlType>& types);

  ClusterShape shape_;
  // By fingerprint: the fragment that reads a shared subtree's rows, or none when its first
  // copy could not be shared (it runs on the leader).
  std::map<std::string, std::optional<Fragment>> shared_;
  // Inside the first copy of a shared subtree: a GROUP BY finishes on the slices, not the
  // leader, so the subtree's rows stay on the compute nodes where every copy can read them.
  int planning_shared_ = 0;
  int next_exchange_ = 1;
  int64_t modified_all_table_ = -1;
};

std::string Cost(const Fragment& f) {
  char buf[128];
  std::snprintf(buf, sizeof buf, "  (cost=0.00..%.2f rows=%.0f width=%d)", f.rows * 0.01, f.rows, f.width);
  return buf;
}

int WidthOf(const std::vector<SqlType>& types) {
  int w = 0;
  for (const auto& t : types) w += t.is_string() ? std::max(4, t.length < 0 ? 32 : t.length) : static_cast<int>(PhysicalWidth(t.physical()));
  return std::max(w, 1);
}

int Planner::AddStage(Fragment f, plan::Sink sink, const std::string& label) {
  plan::Stage* s = out.plan.add_stages();
  s->set_id(out.plan.stages_size() - 1);
  s->set_on_leader(f.on_leader);
  *s->mutable_root() = std::move(f.op);
  *s->mutable_sink() = std::move(sink);
  s->set_label(label);
  return s->id();
}

plan::Operator Planner::Source(int exchange, const std::vector<SqlType>& types) {
  plan::Operator op;
  auto* x = op.mutable_exchange();
  x->set_exchange_id(exchange);
  for (const auto& t : types) *x->add_types() = ToProtoType(t);
  return op;
}

Fragment Planner::SendToLeader(Fragment f, plan::Sink sink, const std::string& label) {
  int id = next_exchange_++;
  sink.set_exchange_id(id);
  Fragment g;
  g.types = f.types;
  g.rows = f.rows;
  g.width = f.width;
  g.on_leader = true;
  ExplainNode net{"XN Network" + Cost(f), {"Send to leader"}, {std::move(f.explain)}};
  AddStage(std::move(f), std::move(sink), label);
  g.op = Source(id, g.types);
  g.explain = std::move(net);
  return g;
}

Fragment Planner::Gather(Fragment f) {
  if (f.on_leader) return f;
  plan::Sink sink;
  sink.set_kind(plan::SINK_GATHER);
  return SendToLeader(std::move(f), std::move(sink), "gather");
}

Fragment Planner::WriteAndReturn(Fragment f, plan::Sink write, bool one_copy, const std::string& label) {
  write.set_returning(true);
  write.set_returning_one_copy(one_copy);
  return SendToLeader(std::move(f), std::move(write), label);
}

Fragment Planner::Exchange(Fragment f, plan::SinkKind kind, const std::vector<plan::Expr>& keys, const std::string& label) {
  int id = next_exchange_++;
  plan::Sink sink;
  sink.set_kind(kind);
  sink.set_exchange_id(id);
  for (const auto& k : keys) *sink.add_keys() = k;
  Fragment g;
  g.types = f.types;
  g.rows = f.rows;
  g.width = f.width;
  g.on_leader = false;
  ExplainNode child = std::move(f.explain);
  AddStage(std::move(f), std::move(sink), label);
  g.op = Source(id, g.types);
  g.explain = std::move(child);
  return g;
}

Fragment Planner::Redistribute(Fragment f, const std::vector<plan::Expr>& keys) {
  Fragment g = Exchange(std::move(f), plan::SINK_HASH, keys, "redistribute");
  // The hash columns are the key expressions when they are plain columns.
  for (const auto& k : keys) {
    if (!k.has_column()) { g.hash_cols.clear(); break; }
    g.hash_cols.push_back(k.column());
  }
  return g;
}

Fragment Planner::Broadcast(Fragment f) { return Exchange(std::move(f), plan::SINK_BROADCAST, {}, "broadcast"); }

void Planner::Finish(Fragment f, plan::Sink sink, const std::string& label) {
  ExplainNode root = std::move(f.explain);
  AddStage(std::move(f), std::move(sink), label);
  // Render the explain tree.
  std::function<void(const ExplainNode&, int)> render = [&](const ExplainNode& e, int depth) {
    std::string pad(depth == 0 ? 0 : depth * 6 - 4, ' ');
    out.explain.push_back(depth == 0 ? e.label : pad + "->  " + e.label);
    std::string dpad(depth == 0 ? 2 : depth * 6 + 2, ' ');
    for (const auto& d : e.details) out.explain.push_back(dpad + d);
    for (const auto& c : e.children) render(c, depth + 1);
  };
  render(root, 0);
}

Fragment Planner::PlanScan(const LogicalNode& n) {
  Fragment f;
  auto* s = f.op.mutable_scan();
  const catalog::Table& t = n.table;
  s->set_table_id(t.id());
  s->set_table_name(t.name());
  for (size_t i = 0; i < n.scan_columns.size(); ++i) {
    s->add_columns(n.scan_columns[i]);
    *s->add_types() = ToProtoType(n.columns[i].type);  // also the row id pseudo column's BIGINT
    s->add_column_names(n.columns[i].name);
  }
  for (const auto& [slice, m] : t.manifest_by_slice()) (*s->mutable_manifest_by_slice())[slice] = m;
  f.types = ColumnTypes(n);
  f.rows = std::max<double>(1, t.rows());
  f.width = WidthOf(f.types);
  if (t.dist_style() == catalog::DIST_KEY) {
    for (size_t i = 0; i < n.scan_columns.size(); ++i) {
      if (n.scan_columns[i] == t.distkey()) {
        f.hash_cols = {static_cast<int>(i)};
        s->set_distkey_position(static_cast<int>(i) + 1);
      }
    }
  } else if (t.dist_style() == catalog::DIST_ALL) {
    s->set_one_copy(true);
    f.single_slice = true;
  }
  f.explain.label = "XN Seq Scan on " + t.name() + Cost(f);
  return f;
}

Fragment Planner::PlanAggregate(const LogicalNode& n) {
  Fragment child = Plan(*n.children[0]);
  bool has_distinct = std::any_of(n.aggs.begin(), n.aggs.end(), [](const plan::AggSpec& a) { return a.distinct(); });
  auto single = [&](Fragment in) {
    Fragment f;
    auto* a = f.op.mutable_aggregate();
    *a->mutable_input() = std::move(in.op);
    for (const auto& g : n.groups) *a->add_groups() = g;
    for (const auto& s : n.aggs) *a->add_aggs() = s;
    a->set_mode(plan::SINGLE);
    f.on_leader = in.on_leader;
    f.types = ColumnTypes(n);
    f.rows = n.estimated_rows;
    f.width = WidthOf(f.types);
    f.explain = {(n.groups.empty() ? "XN Aggregate" : "XN HashAggregate") + Cost(f), {}, {std::move(in.explain)}};
    return f;
  };
  if (child.on_leader) return single(std::move(child));
  // Rows already placed by (a subset of) the group keys: each group lives on one slice.
  std::vector<int> group_pos_of_hash;
  if (child.hash_cols.size() == 1) {
    const std::vector<int> placing = PlacingColumns(child);  // any column equal to the hash column will do
    for (size_t g = 0; g < n.groups.size() && group_pos_of_hash.empty(); ++g) {
      if (n.groups[g].has_column() && Contains(placing, n.groups[g].column())) group_pos_of_hash.push_back(static_cast<int>(g));
    }
  } else {
    for (int h : child.hash_cols) {
      for (size_t g = 0; g < n.groups.size(); ++g) {
        if (n.groups[g].has_column() && n.groups[g].column() == h) { group_pos_of_hash.push_back(static_cast<int>(g)); break; }
      }
    }
  }
  if (!child.hash_cols.empty() && group_pos_of_hash.size() == child.hash_cols.size()) {
    Fragment f = single(std::move(child));
    f.hash_cols = group_pos_of_hash;
    return f;
  }
  if (has_distinct) {
    if (n.groups.empty() && DistinctOfOneArgument(n)) return PlanScalarDistinct(n, std::move(child));
    if (n.groups.empty()) return single(Gather(std::move(child)));
    Fragment f = single(Redistribute(std::move(child), n.groups));
    f.hash_cols.clear();
    for (size_t g = 0; g < n.groups.size(); ++g) f.hash_cols.push_back(static_cast<int>(g));
    return f;
  }
  constexpr double kLeaderGroupLimit = 100000;
  // Two phases: partial per slice, final on the leader.
  Fragment partial;
  auto* pa = partial.op.mutable_aggregate();
  *pa->mutable_input() = std::move(child.op);
  for (const auto& g : n.groups) *pa->add_groups() = g;
  for (const auto& s : n.aggs) *pa->add_aggs() = s;
  pa->set_mode(plan::PARTIAL);
  for (const auto& g : n.groups) partial.types.push_back(ExprType(g));
  for (const auto& s : n.aggs) for (const auto& t : PartialStateTypes(s)) partial.types.push_back(t);
  partial.rows = std::max(1.0, n.estimated_rows * shape_.total_slices());
  partial.width = WidthOf(partial.types);
  if (child.explain.label.rfind("XN S3 Query Scan", 0) == 0 && child.explain.children.size() == 1) {
    // Over an external table the partial aggregation runs on the spectrum workers, as Redshift
    // shows it (server/external_splits.h moves it there).
    ExplainNode s3 = std::move(child.explain);
    s3.children[0] = {(n.groups.empty() ? "S3 Aggregate" : "S3 HashAggregate") + Cost(partial), {}, {std::move(s3.children[0])}};
    partial.explain = {(n.groups.empty() ? "XN Aggregate" : "XN HashAggregate") + Cost(partial), {}, {std::move(s3)}};
  } else {
    partial.explain = {(n.groups.empty() ? "XN Aggregate" : "XN HashAggregate") + Cost(partial), {}, {std::move(child.explain)}};
  }
  bool on_slices = !n.groups.empty() && (n.estimated_rows > kLeaderGroupLimit || planning_shared_ > 0);
  Fragment gathered;
  if (on_slices) {
    // Many groups: redistribute the partial states by group key and finish on the slices.
    std::vector<plan::Expr> keys;
    for (size_t i = 0; i < n.groups.size(); ++i) keys.push_back(ColumnExpr(static_cast<int>(i), ExprType(n.groups[i])));
    gathered = Redistribute(std::move(partial), keys);
  } else {
    gathered = Gather(std::move(partial));
  }
  Fragment f;
  auto* fa = f.op.mutable_aggregate();
  *fa->mutable_input() = std::move(gathered.op);
  for (size_t i = 0; i < n.groups.size(); ++i) *fa->add_groups() = ColumnExpr(static_cast<int>(i), ExprType(n.groups[i]));
  for (const auto& s : n.aggs) *fa->add_aggs() = s;
  fa->set_mode(plan::FINAL);
  f.on_leader = !on_slices;
  if (on_slices) for (size_t i = 0; i < n.groups.size(); ++i) f.hash_cols.push_back(static_cast<int>(i));
  f.types = ColumnTypes(n);
  f.rows = n.estimated_rows;
  f.width = WidthOf(f.types);
  f.explain = std::move(gathered.explain);
  return f;
}

bool Planner::DistinctOfOneArgument(const LogicalNode& n) {
  if (n.aggs.empty() || !n.aggs[0].has_arg()) return false;
  std::string arg = n.aggs[0].arg().SerializeAsString();
  for (const auto& a : n.aggs) {
    bool kind_ok = a.func() == plan::COUNT || a.func() == plan::SUM || a.func() == plan::MIN ||
                   a.func() == plan::MAX || a.func() == plan::AVG;
    if (!a.distinct() || !kind_ok || !a.has_arg() || a.arg().SerializeAsString() != arg) return false;
  }
  return true;
}

Fragment Planner::PlanScalarDistinct(const LogicalNode& n, Fragment child) {
  // count(distinct x), sum(distinct x), … without GROUP BY: rather than gather every row to the
  // leader into one distinct set (one group's state, which cannot spill), find the distinct
  // values of x on the slices — redistributed by x, grouped by x, an ordinary aggregate that
  // spills — then aggregate those values without DISTINCT in two phases.
  const plan::Expr& x = n.aggs[0].arg();
  SqlType xt = ExprType(x);
  Fragment red = Redistribute(std::move(child), {x});
  Fragment d;
  auto* da = d.op.mutable_aggregate();
  *da->mutable_input() = std::move(red.op);
  *da->add_groups() = x;
  da->set_mode(plan::SINGLE);
  d.types = {xt};
  d.rows = std::max(1.0, red.rows);
  d.width = WidthOf(d.types);
  d.on_leader = false;
  d.hash_cols = {0};
  d.explain = {"XN HashAggregate" + Cost(d), {}, {std::move(red.explain)}};
  std::vector<plan::AggSpec> aggs;
  for (const auto& a : n.aggs) {
    plan::AggSpec plain = a;
    plain.set_distinct(false);
    *plain.mutable_arg() = ColumnExpr(0, xt);
    aggs.push_back(std::move(plain));
  }
  Fragment partial;
  auto* pa = partial.op.mutable_aggregate();
  *pa->mutable_input() = std::move(d.op);
  for (const auto& a : aggs) *pa->add_aggs() = a;
  pa->set_mode(plan::PARTIAL);
  for (const auto& a : aggs) for (const auto& t : PartialStateTypes(a)) partial.types.push_back(t);
  partial.rows = shape_.total_slices();
  partial.width = WidthOf(partial.types);
  partial.explain = {"XN Aggregate" + Cost(partial), {}, {std::move(d.explain)}};
  Fragment gathered = Gather(std::move(partial));
  Fragment f;
  auto* fa = f.op.mutable_aggregate();
  *fa->mutable_input() = std::move(gathered.op);
  for (const auto& a : aggs) *fa->add_aggs() = a;
  fa->set_mode(plan::FINAL);
  f.on_leader = true;
  f.types = ColumnTypes(n);
  f.rows = 1;
  f.width = WidthOf(f.types);
  f.explain = std::move(gathered.explain);
  return f;
}

// Whether `op` reads nothing but DISTSTYLE ALL tables (not the one a DELETE / UPDATE changes),
// through filters, projections and joins of them: every node can compute all of its rows from
// its own copies (TPC-H Q11's supplier joined with the filtered nation).
bool Planner::ReadsOnlyAllTables(const plan::Operator& op) const {
  switch (op.kind_case()) {
    case plan::Operator::kScan:
      return (op.scan().one_copy() || op.scan().node_copy()) && op.scan().table_id() != modified_all_table_;
    case plan::Operator::kFilter: return ReadsOnlyAllTables(op.filter().input());
    case plan::Operator::kProject: return ReadsOnlyAllTables(op.project().input());
    case plan::Operator::kHashJoin:
      return ReadsOnlyAllTables(op.hash_join().probe()) && ReadsOnlyAllTables(op.hash_join().build());
    case plan::Operator::kNestedLoopJoin:
      return ReadsOnlyAllTables(op.nested_loop_join().probe()) && ReadsOnlyAllTables(op.nested_loop_join().build());
    default: return false;
  }
}

// Makes every slice read its node's copy of each ALL table under `op` (ReadsOnlyAllTables).
void Planner::ReadNodeCopies(plan::Operator* op) {
  switch (op->kind_case()) {
    case plan::Operator::kScan:
      op->mutable_scan()->set_one_copy(false);
      op->mutable_scan()->set_node_copy(true);
      break;
    case plan::Operator::kFilter: ReadNodeCopies(op->mutable_filter()->mutable_input()); break;
    case plan::Operator::kProject: ReadNodeCopies(op->mutable_project()->mutable_input()); break;
    case plan::Operator::kHashJoin:
      ReadNodeCopies(op->mutable_hash_join()->mutable_probe());
      ReadNodeCopies(op->mutable_hash_join()->mutable_build());
      break;
    case plan::Operator::kNestedLoopJoin:
      ReadNodeCopies(op->mutable_nested_loop_join()->mutable_probe());
      ReadNodeCopies(op->mutable_nested_loop_join()->mutable_build());
      break;
    default: break;
  }
}

Fragment Planner::PlanJoin(const LogicalNode& n) {
  Fragment left = Plan(*n.children[0]);
  Fragment right = Plan(*n.children[1]);
  std::vector<plan::Expr> lkeys = n.left_keys, rkeys = n.right_keys;
  std::string step;
  bool swapped = false;

  bool mark = ShapeOf(n.join_type) == JoinShape::kProbeAndFlag;
  bool null_aware = n.join_type == plan::NULL_AWARE_ANTI || n.join_type == plan::NULL_AWARE_MARK;
  bool semi_like = ShapeOf(n.join_type) != JoinShape::kBothSides;  // the build's columns are not output
  bool build_only = false;  // SEMI / ANTI flipped to RIGHT_SEMI / RIGHT_ANTI: only the build's are
  plan::JoinType join_type = n.join_type;  // RIGHT/LEFT swap when the sides do
  bool outer_build = join_type == plan::RIGHT || join_type == plan::FULL;  // build rows must not repeat
  constexpr double kBroadcastLimit = 200000;
  auto small = [&](const Fragment& x) { return x.rows * shape_.total_slices() < std::max(left.rows, kBroadcastLimit); };
  if (left.on_leader) {
    left = Gather(std::move(left));
    right = Gather(std::move(right));
  } else if (lkeys.empty() || null_aware || right.on_leader) {
    // No equality, NOT IN (which must see every build row), or an inner already on the leader:
    // copy the inner to every node when it is small, else do the join on the leader.
    if (!outer_build && (small(right) || null_aware)) {
      right = Broadcast(std::move(right));
      step = "DS_BCAST_INNER";
    } else {
      left = Gather(std::move(left));
      right = Gather(std::move(right));
    }
  } else {
    // Build the hash table on the smaller input: an inner or full join swaps its sides, a LEFT
    // join becomes a RIGHT join (the preserved side is built, its unmatched rows come out at the
    // end) and the other way round. Semi, anti and mark joins keep their sides.
    const bool swappable = join_type == plan::INNER || join_type == plan::LEFT || join_type == plan::RIGHT ||
                           join_type == plan::FULL;
    if (swappable && right.rows > left.rows) {
      std::swap(left, right);
      std::swap(lkeys, rkeys);
      swapped = true;
      if (join_type == plan::LEFT) join_type = plan::RIGHT;
      else if (join_type == plan::RIGHT) join_type = plan::LEFT;
      outer_build = join_type == plan::RIGHT || join_type == plan::FULL;
    }
    // EXISTS / NOT EXISTS / IN whose subquery side is the larger (TPC-H Q4: a quarter's orders
    // against every lineitem): build the rows that are kept, and let the subquery's rows probe
    // (RIGHT_SEMI / RIGHT_ANTI) -- a small table, and the probe scan filtered by its keys.
    if ((join_type == plan::SEMI || join_type == plan::ANTI) && right.rows > left.rows) {
      std::swap(left, right);
      std::swap(lkeys, rkeys);
      swapped = true;
      build_only = true;
      join_type = join_type == plan::SEMI ? plan::RIGHT_SEMI : plan::RIGHT_ANTI;
      outer_build = true;  // each build row is output once: it may not be copied to every node
    }
    const std::vector<int> left_placing = PlacingColumns(left), right_placing = PlacingColumns(right);
    auto colocated = [&]() {
      for (size_t k = 0; k < lkeys.size(); ++k) {
        if (lkeys[k].has_column() && rkeys[k].has_column() && Contains(left_placing, lkeys[k].column()) &&
            Contains(right_placing, rkeys[k].column()) && ExprType(lkeys[k]) == ExprType(rkeys[k])) return true;
      }
      return false;
    };
    auto hashed_on_key = [&](const Fragment& f, const std::vector<plan::Expr>& keys, size_t* which) {
      const std::vector<int> placing = PlacingColumns(f);
      for (size_t k = 0; k < keys.size(); ++k) {
        if (keys[k].has_column() && Contains(placing, keys[k].column())) { *which = k; return true; }
      }
      return false;
    };
    size_t k = 0;
    if (colocated()) {
      step = "DS_DIST_NONE";
    } else if (right.single_slice && !outer_build && ReadsOnlyAllTables(right.op)) {
      ReadNodeCopies(&right.op);
      right.single_slice = false;
      step = "DS_DIST_ALL_NONE";
    } else if (!outer_build && right.rows * shape_.total_slices() < left.rows) {
      right = Broadcast(std::move(right));
      step = "DS_BCAST_INNER";
    } else if (hashed_on_key(left, lkeys, &k)) {
      right = Redistribute(std::move(right), {rkeys[k]});
      step = "DS_DIST_INNER";
    } else if (hashed_on_key(right, rkeys, &k)) {
      left = Redistribute(std::move(left), {lkeys[k]});
      step = "DS_DIST_OUTER";
    } else {
      left = Redistribute(std::move(left), {lkeys[0]});
      right = Redistribute(std::move(right), {rkeys[0]});
      step = "DS_DIST_BOTH";
    }
  }

  Fragment f;
  f.on_leader = left.on_leader;
  f.types = build_only ? right.types : left.types;
  if (!semi_like) f.types.insert(f.types.end(), right.types.begin(), right.types.end());
  if (mark) f.types.push_back(SqlType::Bool());
  // An inner join's rows are the optimizer's estimate (join ordering's, from the statistics: a
  // join with a filtered dimension keeps that share of the fact rows), so later steps decide
  // between broadcasting and redistributing by what the join gives, not by its larger input.
  // An outer join keeps at least its preserved side.
  const double joined = std::max(1.0, n.estimated_rows);
  // A semi join keeps what the optimizer estimated (planner/selectivity.h's SemiJoinRows), an
  // anti join half of its preserved side.
  const double kept_side = build_only ? right.rows : left.rows;
  const bool semi = n.join_type == plan::SEMI;
  if (mark) f.rows = left.rows;
  else if (semi_like) f.rows = std::max(1.0, semi ? std::min(kept_side, joined) : kept_side * 0.5);
  else if (join_type == plan::INNER) f.rows = joined;
  else if (join_type == plan::LEFT) f.rows = std::max(left.rows, joined);
  else if (join_type == plan::RIGHT) f.rows = std::max(right.rows, joined);
  else f.rows = std::max({left.rows, right.rows, joined});
  f.width = WidthOf(f.types);
  int probe_width = static_cast<int>(left.types.size());
  // Where the output rows live: with the probe rows, except that a RIGHT join's unmatched build
  // rows (NULL on the probe side) live with their build key, and a FULL join's rows follow either.
  if (build_only) {
    f.hash_cols = right.hash_cols;
    f.hash_equiv = right.hash_equiv;
  } else if (join_type == plan::RIGHT) {
    const std::vector<int> placing = PlacingColumns(right);
    bool on_key = !right.on_leader && std::any_of(rkeys.begin(), rkeys.end(), [&](const plan::Expr& k) {
                    return k.has_column() && Contains(placing, k.column());
                  });
    if (on_key) {
      f.hash_cols = {right.hash_cols[0] + probe_width};
      for (int c : right.hash_equiv) f.hash_equiv.push_back(c + probe_width);
    }
  } else if (join_type != plan::FULL) {
    f.hash_cols = left.hash_cols;
    f.hash_equiv = left.hash_cols.size() == 1 ? left.hash_equiv : std::vector<int>{};
    // A probe side read once from an ALL table, joined with every node's copy of another (or
    // with one more single-slice input): the rows are still all on that one slice, so a join
    // above can read every node's copies of both tables in turn (DS_DIST_ALL_NONE).
    f.single_slice = left.single_slice && !left.on_leader && (right.single_slice || step == "DS_DIST_ALL_NONE");
    // An inner join's matched rows carry equal keys on both sides: the build's key equal to the
    // probe's placing column places the rows too (and so does every column equal to that key).
    if (join_type == plan::INNER && left.hash_cols.size() == 1) {
      const std::vector<int> left_placing = PlacingColumns(left), right_placing = PlacingColumns(right);
      for (size_t k = 0; k < lkeys.size(); ++k) {
        if (!lkeys[k].has_column() || !rkeys[k].has_column() || !Contains(left_placing, lkeys[k].column())) continue;
        int c = rkeys[k].column() + probe_width;
        if (!Contains(f.hash_equiv, c)) f.hash_equiv.push_back(c);
        if (Contains(right_placing, rkeys[k].column())) {
          for (int r : right_placing) {
            if (!Contains(f.hash_equiv, r + probe_width)) f.hash_equiv.push_back(r + probe_width);
          }
        }
      }
    }
  }
  plan::Expr residual = n.predicate;
  if (swapped && n.has_predicate) {
    // Residual columns were left ++ right; the operator sees right ++ left.
    std::vector<int> mapping(left.types.size() + right.types.size());
    int nright = probe_width;               // the original right side is now the probe side
    int norig_left = static_cast<int>(right.types.size());
    for (int i = 0; i < norig_left; ++i) mapping[i] = nright + i;
    for (int i = 0; i < nright; ++i) mapping[norig_left + i] = i;
    RemapColumns(&residual, mapping);
  }
  if (lkeys.empty()) {
    auto* j = f.op.mutable_nested_loop_join();
    *j->mutable_probe() = std::move(left.op);
    *j->mutable_build() = std::move(right.op);
    j->set_type(n.join_type);
    if (n.has_predicate) { *j->mutable_condition() = residual; }
    f.explain = {"XN Nested Loop" + Cost(f), {}, {std::move(left.explain), std::move(right.explain)}};
  } else {
    auto* j = f.op.mutable_hash_join();
    *j->mutable_probe() = std::move(left.op);
    *j->mutable_build() = std::move(right.op);
    for (auto& k : lkeys) *j->add_probe_keys() = k;
    for (auto& k : rkeys) *j->add_build_keys() = k;
    j->set_type(join_type);
    if (n.has_predicate) { *j->mutable_residual() = residual; }
    std::string kind = join_type == plan::LEFT ? "Left Join" : join_type == plan::RIGHT ? "Right Join"
                       : join_type == plan::FULL ? "Full Join" : join_type == plan::SEMI ? "IN Join"
                       : join_type == plan::INNER ? "Join" : mark ? "Mark Join"
                       : join_type == plan::RIGHT_SEMI ? "Right Semi Join" : join_type == plan::RIGHT_ANTI ? "Right Anti Join"
                       : "NOT IN Join";
    ExplainNode hash{"XN Hash" + Cost(right), {}, {std::move(right.explain)}};
    std::string cond;
    for (size_t k = 0; k < n.left_keys.size(); ++k) {
      cond += (k ? " AND " : "") + std::string("(") + ExprText(n.left_keys[k], n.children[0]->columns) + " = " +
              ExprText(n.right_keys[k], n.children[1]->columns) + ")";
    }
    f.explain = {"XN Hash " + kind + (step.empty() ? "" : " " + step) + Cost(f), {"Hash Cond: " + cond},
                 {std::move(left.explain), std::move(hash)}};
  }
  if (swapped && !build_only) {
    // Restore the logical column order: original left (now build) then original right (probe).
    Fragment p;
    auto* pr = p.op.mutable_project();
    *pr->mutable_input() = std::move(f.op);
    int nprobe = probe_width;
    int nbuild = static_cast<int>(f.types.size()) - nprobe;
    std::vector<SqlType> types;
    for (int i = 0; i < nbuild; ++i) { *pr->add_exprs() = ColumnExpr(nprobe + i, f.types[nprobe + i]); types.push_back(f.types[nprobe + i]); }
    for (int i = 0; i < nprobe; ++i) { *pr->add_exprs() = ColumnExpr(i, f.types[i]); types.push_back(f.types[i]); }
    p.on_leader = f.on_leader;
    p.types = types;
    p.rows = f.rows;
    p.width = f.width;
    for (int c : f.hash_cols) p.hash_cols.push_back(c < nprobe ? c + nbuild : c - nprobe);
    for (int c : f.hash_equiv) p.hash_equiv.push_back(c < nprobe ? c + nbuild : c - nprobe);
    p.explain = std::move(f.explain);
    return p;
  }
  return f;
}

// A window needs all rows of a partition on one slice: with PARTITION BY, rows are redistributed
// by the partition keys (unless already placed by a subset of them); without it, gathered to the
// leader. There a Sort orders them by (partition keys, order keys) for the Window operator.
Fragment Planner::PlanWindow(const LogicalNode& n) {
  Fragment child = Plan(*n.children[0]);
  const auto& in_cols = n.children[0]->columns;
  if (!child.on_leader && n.partition_keys.empty()) {
    child = Gather(std::move(child));
  } else if (!child.on_leader && !child.single_slice) {
    bool placed = !child.hash_cols.empty();
    for (int h : child.hash_cols) {
      placed = placed && std::any_of(n.partition_keys.begin(), n.partition_keys.end(),
                                     [h](const plan::Expr& k) { return k.has_column() && k.column() == h; });
    }
    if (!placed) {
      child = Redistribute(std::move(child), n.partition_keys);
      child.explain = {"XN Network" + Cost(child), {"Distribute"}, {std::move(child.explain)}};
    }
  }
  std::string partition_text, order_text;
  for (const auto& k : n.partition_keys) partition_text += (partition_text.empty() ? "" : ", ") + ExprText(k, in_cols);
  for (const auto& k : n.sort_keys) {
    order_text += (order_text.empty() ? "" : ", ") + ExprText(k.expr(), in_cols) + (k.desc() ? " DESC" : "");
  }
  Fragment f;
  f.on_leader = child.on_leader;
  f.single_slice = child.single_slice;
  f.hash_cols = child.hash_cols;
  f.types = ColumnTypes(n);
  f.rows = child.rows;
  f.width = WidthOf(f.types);
  auto* w = f.op.mutable_window();
  if (!n.partition_keys.empty() || !n.sort_keys.empty()) {
    auto* so = w->mutable_input()->mutable_sort();
    *so->mutable_input() = std::move(child.op);
    for (const auto& k : n.partition_keys) {
      auto* key = so->add_keys();
      *key->mutable_expr() = k;
      key->set_nulls_first(false);
    }
    for (const auto& k : n.sort_keys) *so->add_keys() = k;
    so->set_limit(-1);
    std::string keys = partition_text + (partition_text.empty() || order_text.empty() ? "" : ", ") + order_text;
    child.explain = {"XN Sort" + Cost(child), {"Sort Key: " + keys}, {std::move(child.explain)}};
  } else {
    *w->mutable_input() = std::move(child.op);
  }
  for (const auto& k : n.partition_keys) *w->add_partition_keys() = k;
  for (const auto& k : n.sort_keys) *w->add_order_keys() = k;
  for (const auto& fn : n.window_funcs) *w->add_funcs() = fn;
  std::vector<std::string> details;
  if (!partition_text.empty()) details.push_back("Partition: " + partition_text);
  if (!order_text.empty()) details.push_back("Order: " + order_text);
  f.explain = {"XN Window" + Cost(f), std::move(details), {std::move(child.explain)}};
  return f;
}

// UNION ALL: when every input runs on the slices, each slice appends its own rows of every
// input (no exchange); when one runs on the leader, all are gathered there. Nested Appends are
// flattened. The rows stay placed by a distribution key only if every input is placed by the
// same columns of the same types.
Fragment Planner::PlanAppend(const LogicalNode& n) {
  std::vector<Fragment> inputs;
  std::function<void(const LogicalNode&)> collect = [&](const LogicalNode& x) {
    for (const auto& c : x.children) {
      if (c->kind == LogicalKind::kAppend) collect(*c);
      else inputs.push_back(Plan(*c));
    }
  };
  collect(n);
  bool leader = std::any_of(inputs.begin(), inputs.end(), [](const Fragment& x) { return x.on_leader; });
  Fragment f;
  f.on_leader = leader;
  f.types = ColumnTypes(n);
  f.single_slice = !leader;
  bool same_placement = !leader;
  f.rows = 0;
  for (auto& in : inputs) {
    if (leader) in = Gather(std::move(in));
    f.single_slice = f.single_slice && in.single_slice;
    same_placement = same_placement && !in.hash_cols.empty() && in.hash_cols == inputs[0].hash_cols;
    for (int h : in.hash_cols) same_placement = same_placement && in.types[h] == inputs[0].types[h];
    f.rows += in.rows;
  }
  if (same_placement && !f.single_slice) f.hash_cols = inputs[0].hash_cols;
  f.rows = std::max(1.0, f.rows);
  f.width = WidthOf(f.types);
  auto* a = f.op.mutable_append();
  for (const auto& t : f.types) *a->add_types() = ToProtoType(t);
  f.explain.label = "XN Append" + Cost(f);
  for (auto& in : inputs) {
    *a->add_inputs() = std::move(in.op);
    f.explain.children.push_back(std::move(in.explain));
  }
  return f;
}

Fragment Planner::Plan(const LogicalNode& n) {
  if (share_subtrees && n.share_group >= 0) return PlanShared(n);
  return PlanNode(n);
}

// The first copy of a shared subtree ends a stage of its own whose sink keeps every row on its
// slice (by the distribution hash of the columns that already place the rows, else spread
// round robin); each copy reads that stage's exchange, placed as the subtree's rows were.
Fragment Planner::PlanShared(const LogicalNode& n) {
  const std::string key = SubtreeFingerprint(n);
  if (key.empty()) return PlanNode(n);
  auto it = shared_.find(key);
  if (it != shared_.end()) return it->second ? *it->second : PlanNode(n);
  ++planning_shared_;
  Fragment f = PlanNode(n);
  --planning_shared_;
  if (f.on_leader || f.single_slice) {
    shared_[key] = std::nullopt;
    return f;
  }
  const std::vector<int> hash_cols = f.hash_cols, hash_equiv = f.hash_equiv;
  std::vector<plan::Expr> keys;
  for (int h : hash_cols) keys.push_back(ColumnExpr(h, f.types[h]));
  f.explain.details.push_back("Shared: computed once, read by every copy");
  Fragment g = Exchange(std::move(f), keys.empty() ? plan::SINK_ROUND_ROBIN : plan::SINK_HASH, keys, "shared");
  g.hash_cols = hash_cols;
  g.hash_equiv = hash_equiv;
  shared_[key] = g;
  return g;
}

Fragment Planner::PlanNode(const LogicalNode& n) {
  switch (n.kind) {
    case LogicalKind::kAppend: return PlanAppend(n);
    case LogicalKind::kRepeat: {
      // INTERSECT ALL / EXCEPT ALL: copies of each row where the row is; placement is kept.
      Fragment c = Plan(*n.children[0]);
      Fragment f = c;
      auto* r = f.op.mutable_repeat();
      *r->mutable_input() = std::move(c.op);
      *r->mutable_count() = n.repeat_count;
      r->set_ordinal(n.repeat_ordinal);
      if (n.repeat_ordinal) f.types.push_back(SqlType::Int64());
      f.rows = n.estimated_rows;
      f.explain = {(n.repeat_ordinal ? "XN ProjectSet" : "XN SetOp") + Cost(f),
                   {"Copies: " + ExprText(n.repeat_count, n.children[0]->columns)},
                   {std::move(c.explain)}};
      return f;
    }
    case LogicalKind::kScan: return PlanScan(n);
    case LogicalKind::kSystemTable: {
      Fragment f;
      int id = next_exchange_++;
      f.types = ColumnTypes(n);
      f.op = Source(id, f.types);
      f.on_leader = true;
      f.rows = n.estimated_rows;
      f.width = WidthOf(f.types);
      f.explain.label = "LD Seq Scan on " + n.system_table + Cost(f);
      out.system_inputs.push_back({id, n.system_table});
      return f;
    }
    case LogicalKind::kFileScan: {
      Fragment f;
      *f.op.mutable_file_scan() = n.file_scan;
      f.types = ColumnTypes(n);
      f.rows = n.estimated_rows;
      f.width = WidthOf(f.types);
      if (n.file_scan.has_external()) {
        f.explain.label = "XN S3 Query Scan " + n.file_scan.external().table_name() + Cost(f);
        f.explain.children.push_back({ExternalScanLabel(n.file_scan) + Cost(f), {}, {}});
      } else {
        f.explain.label = "XN File Scan on " + n.file_scan.path() + Cost(f);
      }
      return f;
    }
    case LogicalKind::kValues: {
      Fragment f;
      auto* v = f.op.mutable_values();
      for (const auto& c : n.columns) *v->add_types() = ToProtoType(c.type);
      for (const auto& row : n.rows) {
        auto* r = v->add_rows();
        for (const auto& e : row) *r->add_values() = e;
      }
      f.types = ColumnTypes(n);
      f.on_leader = true;
      f.rows = std::max<double>(1, n.rows.size());
      f.width = WidthOf(f.types);
      f.explain.label = "XN Result" + Cost(f);
      return f;
    }
    case LogicalKind::kFilter: {
      Fragment c = Plan(*n.children[0]);
      Fragment f = c;
      auto* fl = f.op.mutable_filter();
      *fl->mutable_input() = std::move(c.op);
      *fl->mutable_predicate() = n.predicate;
      f.rows = std::max(1.0, c.rows * FilterSelectivity(n.predicate, *n.children[0]));
      // An external table takes the filter for pruning partitions and skipping row groups.
      if (fl->input().has_file_scan() && fl->input().file_scan().has_external()) {
        AttachExternalFilter(n.predicate, fl->mutable_input()->mutable_file_scan());
      }
      // A filter directly on a scan is shown as the scan's Filter line, as Redshift does.
      if (c.explain.label.rfind("XN S3 Query Scan", 0) == 0 && !f.explain.children.empty()) {
        f.explain.children[0].details.push_back("Filter: " + ExprText(n.predicate, n.children[0]->columns));
      } else if (c.explain.label.rfind("XN Seq Scan", 0) == 0) {
        f.explain.details.push_back("Filter: " + ExprText(n.predicate, n.children[0]->columns));
      } else {
        f.explain = {"XN Filter" + Cost(f), {"Filter: " + ExprText(n.predicate, n.children[0]->columns)}, {std::move(c.explain)}};
      }
      return f;
    }
    case LogicalKind::kProject: {
      Fragment c = Plan(*n.children[0]);
      Fragment f;
      auto* pr = f.op.mutable_project();
      *pr->mutable_input() = std::move(c.op);
      for (const auto& e : n.exprs) *pr->add_exprs() = e;
      f.on_leader = c.on_leader;
      f.single_slice = c.single_slice;
      f.types = ColumnTypes(n);
      f.rows = c.rows;
      f.width = WidthOf(f.types);
      if (c.hash_cols.size() == 1) {
        // The one placing column, or any column equal to it, that the projection keeps.
        const std::vector<int> placing = PlacingColumns(c);
        for (size_t i = 0; i < n.exprs.size(); ++i) {
          if (!n.exprs[i].has_column() || !Contains(placing, n.exprs[i].column())) continue;
          if (f.hash_cols.empty()) f.hash_cols.push_back(static_cast<int>(i));
          else f.hash_equiv.push_back(static_cast<int>(i));
        }
      } else {
        for (int h : c.hash_cols) {
          for (size_t i = 0; i < n.exprs.size(); ++i) {
            if (n.exprs[i].has_column() && n.exprs[i].column() == h) { f.hash_cols.push_back(static_cast<int>(i)); break; }
          }
        }
        if (f.hash_cols.size() != c.hash_cols.size()) f.hash_cols.clear();
      }
      f.explain = std::move(c.explain);
      return f;
    }
    case LogicalKind::kAggregate: return PlanAggregate(n);
    case LogicalKind::kJoin: return PlanJoin(n);
    case LogicalKind::kWindow: return PlanWindow(n);
    case LogicalKind::kSort: {
      Fragment c = Plan(*n.children[0]);
      auto sort_op = [&](plan::Operator in) {
        plan::Operator op;
        auto* so = op.mutable_sort();
        *so->mutable_input() = std::move(in);
        for (const auto& k : n.sort_keys) *so->add_keys() = k;
        so->set_limit(n.limit);
        return op;
      };
      if (!c.on_leader && n.limit >= 0) {
        // Top-N per slice first, so only N rows per slice cross the network.
        c.op = sort_op(std::move(c.op));
        c.rows = std::min<double>(c.rows, n.limit);
      }
      Fragment g = Gather(std::move(c));
      Fragment f = g;
      f.op = sort_op(std::move(g.op));
      std::string merge_key;
      for (const auto& k : n.sort_keys) {
        merge_key += (merge_key.empty() ? "" : ", ") + ExprText(k.expr(), n.children[0]->columns) + (k.desc() ? " DESC" : "");
      }
      f.explain = {"XN Merge" + Cost(f), {"Merge Key: " + merge_key}, {std::move(g.explain)}};
      return f;
    }
    case LogicalKind::kLimit: {
      Fragment c = Plan(*n.children[0]);
      auto limit_op = [&](plan::Operator in, int64_t limit, int64_t offset) {
        plan::Operator op;
        auto* l = op.mutable_limit();
        *l->mutable_input() = std::move(in);
        l->set_limit(limit);
        l->set_offset(offset);
        return op;
      };
      if (!c.on_leader && n.limit >= 0) c.op = limit_op(std::move(c.op), n.limit + n.offset, 0);
      Fragment g = Gather(std::move(c));
      Fragment f = g;
      f.op = limit_op(std::move(g.op), n.limit, n.offset);
      f.rows = n.limit >= 0 ? std::min<double>(g.rows, n.limit) : g.rows;
      f.explain = {"XN Limit" + Cost(f), {}, {std::move(g.explain)}};
      return f;
    }
  }
  STRATA_INTERNAL_ERROR("unknown logical node");
}

}  // namespace

PhysicalPlan PlanQuery(const LogicalNode& root, const ClusterShape& shape) {
  Planner p(shape);
  p.share_subtrees = true;
  Fragment f = p.Gather(p.Plan(root));
  plan::Sink sink;
  sink.set_kind(plan::SINK_RESULT);
  for (const auto& c : root.columns) {
    p.out.plan.add_column_names(c.name);
    *p.out.plan.add_column_types() = ToProtoType(c.type);
  }
  p.Finish(std::move(f), std::move(sink), "result");
  return std::move(p.out);
}

PhysicalPlan PlanUnload(const LogicalNode& root, const plan::UnloadSpec& spec, const ClusterShape& shape) {
  Planner p(shape);
  Fragment f = p.Plan(root);
  // PARALLEL ON: each slice writes its own files where the rows already are; a plan that ends on
  // the leader (ORDER BY, a final aggregate) and PARALLEL OFF write from the leader.
  if (!spec.parallel()) f = p.Gather(std::move(f));
  plan::Sink sink;
  sink.set_kind(plan::SINK_UNLOAD);
  *sink.mutable_unload() = spec;
  p.Finish(std::move(f), std::move(sink), "unload");
  return std::move(p.out);
}

namespace {

// Sorts a fragment's rows by the table's sort key; the key's columns start at `offset`.
void SortBySortKey(const catalog::Table& target, const std::vector<SqlType>& types, int offset, Fragment* f) {
  if (target.sortkey_size() == 0) return;
  plan::Operator sorted;
  auto* so = sorted.mutable_sort();
  *so->mutable_input() = std::move(f->op);
  for (int k : target.sortkey()) {
    auto* key = so->add_keys();
    *key->mutable_expr() = ColumnExpr(offset + k, types[offset + k]);
    key->set_nulls_first(false);
  }
  so->set_limit(-1);
  // INTERLEAVED: z-order, so that a filter on any one key column lets zone maps skip blocks.
  so->set_zorder(target.sort_style() == catalog::SORT_INTERLEAVED);
  f->op = std::move(sorted);
}

using Order = SliceWriter::InputOrder;

// Sink.input_order: how rows written in `order` relate to the table's sort key.
int InputOrderOf(const catalog::Table& t, Order order) {
  return static_cast<int>(t.sortkey_size() == 0 ? Order::kNoSortKey : order);
}

// The parts of a SINK_WRITE / SINK_MODIFY that describe the target table.
plan::Sink TableSink(plan::SinkKind kind, const catalog::Table& target) {
  plan::Sink sink;
  sink.set_kind(kind);
  sink.set_table_id(target.id());
  sink.set_table_name(target.name());
  for (const auto& [slice, m] : target.manifest_by_slice()) (*sink.mutable_base_manifest_by_slice())[slice] = m;
  for (const auto& c : target.columns()) {
    sink.add_not_null(c.not_null());
    sink.add_column_names(c.name());
  }
  for (int e : WriteEncodings(target)) sink.add_encodings(e);
  return sink;
}

// DISTSTYLE ALL: a DELETE or UPDATE must change every node's copy, so the target's scans read
// each node's own copy instead of node 0's.
void ScanEveryCopy(plan::Operator* op, int64_t table_id) {
  switch (op->kind_case()) {
    case plan::Operator::kScan:
      if (op->scan().table_id() == table_id && op->scan().one_copy()) {
        op->mutable_scan()->set_one_copy(false);
        op->mutable_scan()->set_every_copy(true);
      }
      break;
    case plan::Operator::kFilter: ScanEveryCopy(op->mutable_filter()->mutable_input(), table_id); break;
    case plan::Operator::kProject: ScanEveryCopy(op->mutable_project()->mutable_input(), table_id); break;
    case plan::Operator::kAggregate: ScanEveryCopy(op->mutable_aggregate()->mutable_input(), table_id); break;
    case plan::Operator::kSort: ScanEveryCopy(op->mutable_sort()->mutable_input(), table_id); break;
    case plan::Operator::kLimit: ScanEveryCopy(op->mutable_limit()->mutable_input(), table_id); break;
    case plan::Operator::kRepeat: ScanEveryCopy(op->mutable_repeat()->mutable_input(), table_id); break;
    case plan::Operator::kAppend:
      for (auto& in : *op->mutable_append()->mutable_inputs()) ScanEveryCopy(&in, table_id);
      break;
    case plan::Operator::kHashJoin:
      ScanEveryCopy(op->mutable_hash_join()->mutable_probe(), table_id);
      ScanEveryCopy(op->mutable_hash_join()->mutable_build(), table_id);
      break;
    case plan::Operator::kNestedLoopJoin:
      ScanEveryCopy(op->mutable_nested_loop_join()->mutable_probe(), table_id);
      ScanEveryCopy(op->mutable_nested_loop_join()->mutable_build(), table_id);
      break;
    default: break;
  }
}

}  // namespace

// Numbers the identity columns of the rows in `f` (the target's columns from position `first`)
// where they are made, before they are distributed (planner/identity_columns.h).
static void FillIdentityColumns(const catalog::Table& target, int first, Fragment* f, bool append_ordinal = false) {
  plan::IdentityFill fill;
  fill.set_append_ordinal(append_ordinal);
  for (int c = 0; c < target.columns_size(); ++c) {
    const catalog::Column& col = target.columns(c);
    if (!col.has_identity()) continue;
    SqlType type = FromProtoType(col.type());
    fill.add_columns(first + c);
    fill.add_next_value(col.identity().next_value());
    fill.add_increment(col.identity().increment());
    fill.add_min(col.identity().increment() > 0 ? 1 : IdentityMinimum(type));
    fill.add_max(col.identity().increment() > 0 ? IdentityMaximum(type) : -1);
    fill.add_names(IdentitySequenceName(target.name(), col.name()));
  }
  if (fill.columns_size() == 0 && !append_ordinal) return;
  if (append_ordinal) f->types.push_back(SqlType::Int64());
  // A sequence's bounds hold for values it makes, not for where it was told to start.
  for (int i = 0; i < fill.columns_size(); ++i) {
    if (fill.next_value(i) < fill.min(i)) fill.set_min(i, fill.next_value(i));
    if (fill.next_value(i) > fill.max(i)) fill.set_max(i, fill.next_value(i));
  }
  plan::Operator op;
  *fill.mutable_input() = std::move(f->op);
  *op.mutable_identity_fill() = std::move(fill);
  f->op = std::move(op);
}

// PlanModify and PlanMerge.
// Ends `p` with RETURNING's leader stage: `back` (the rows sent from the sinks) projected.
static void FinishReturning(Planner& p, Fragment back, const InsertReturning& returning, int shift) {
  plan::Operator projected;
  auto* pr = projected.mutable_project();
  *pr->mutable_input() = std::move(back.op);
  back.types.clear();
  for (size_t i = 0; i < returning.exprs.size(); ++i) {
    plan::Expr e = returning.exprs[i];
    ShiftColumns(&e, shift);  // RETURNING reads the table's columns after the stream's first `shift`
    *pr->add_exprs() = std::move(e);
    back.types.push_back(returning.columns[i].type);
    p.out.plan.add_column_names(returning.columns[i].name);
    *p.out.plan.add_column_types() = ToProtoType(returning.columns[i].type);
  }
  back.op = std::move(projected);
  plan::Sink result;
  result.set_kind(plan::SINK_RESULT);
  p.Finish(std::move(back), std::move(result), "result");
}

static PhysicalPlan PlanModifyStream(const LogicalNode& source, const catalog::Table& target, bool moves_rows, bool merge,
                              const ClusterShape& shape, const InsertReturning* returning = nullptr) {
  Planner p(shape);
  if (target.dist_style() == catalog::DIST_ALL) p.set_modified_all_table(target.id());
  Fragment f = p.Plan(source);
  if (merge) FillIdentityColumns(target, 2, &f);  // MERGE's new rows
  std::vector<SqlType> types = f.types;
  std::vector<plan::Expr> keys;
  // MERGE's new rows go by their DISTKEY, so a KEY table always routes by it.
  if (moves_rows || (merge && target.dist_style() == catalog::DIST_KEY)) {
    keys.push_back(ColumnExpr(2 + target.distkey(), types[2 + target.distkey()]));
  }
  Fragment routed = p.Exchange(std::move(f), plan::SINK_MODIFY_ROUTE, keys, "route to owner");
  bool every_node = target.dist_style() == catalog::DIST_ALL;
  if (merge) {
    plan::Sink* route = p.out.plan.mutable_stages(p.out.plan.stages_size() - 1)->mutable_sink();
    route->set_merge(true);
    route->set_every_node(every_node);
  }
  routed.on_leader = false;
  if (types.size() > 2) SortBySortKey(target, types, 2, &routed);  // UPDATE's new rows
  plan::Sink sink = TableSink(plan::SINK_MODIFY, target);
  sink.set_input_order(InputOrderOf(target, Order::kUnsorted));
  sink.set_merge(merge);
  sink.set_every_node(merge && every_node);
  if (returning != nullptr) {
    // UPDATE returns the new rows (insert = true), DELETE the deleted ones.
    sink.set_returning_inserted(!returning->deleted);
    Fragment back = p.WriteAndReturn(std::move(routed), std::move(sink), every_node, "modify");
    FinishReturning(p, std::move(back), *returning, 2);
    if (target.dist_style() == catalog::DIST_ALL) {
      for (auto& st : *p.out.plan.mutable_stages()) ScanEveryCopy(st.mutable_root(), target.id());
    }
    return std::move(p.out);
  }
  p.Finish(std::move(routed), std::move(sink), "modify");
  if (target.dist_style() == catalog::DIST_ALL) {
    for (auto& st : *p.out.plan.mutable_stages()) ScanEveryCopy(st.mutable_root(), target.id());
  }
  return std::move(p.out);
}

PhysicalPlan PlanModify(const LogicalNode& source, const catalog::Table& target, bool moves_rows,
                        const ClusterShape& shape, const InsertReturning* returning) {
  return PlanModifyStream(source, target, moves_rows, /*merge=*/false, shape, returning);
}

PhysicalPlan PlanMerge(const LogicalNode& source, const catalog::Table& target, const ClusterShape& shape) {
  return PlanModifyStream(source, target, /*moves_rows=*/false, /*merge=*/true, shape);
}

PhysicalPlan PlanRewrite(const catalog::Table& t, bool sort, bool rows_in_order, const ClusterShape& shape) {
  std::vector<int> same(t.columns_size());
  for (int c = 0; c < t.columns_size(); ++c) same[c] = c;
  return PlanRewriteAs(t, t, same, sort, shape, rows_in_order);
}

PhysicalPlan PlanRewriteAs(const catalog::Table& source, const catalog::Table& target, const std::vector<int>& sources,
                           bool sort, const ClusterShape& shape, bool rows_in_order) {
  Planner p(shape);
  Fragment f;
  auto* s = f.op.mutable_scan();
  s->set_table_id(source.id());
  s->set_table_name(source.name());
  std::vector<int> scan_pos(source.columns_size(), -1);  // source column -> position in the scan
  for (int c : sources) {
    if (c < 0 || scan_pos[c] >= 0) continue;
    scan_pos[c] = s->columns_size();
    s->add_columns(c);
    *s->add_types() = source.columns(c).type();
    s->add_column_names(source.columns(c).name());
    f.types.push_back(FromProtoType(source.columns(c).type()));
  }
  for (const auto& [slice, m] : source.manifest_by_slice()) (*s->mutable_manifest_by_slice())[slice] = m;
  s->set_every_copy(source.dist_style() == catalog::DIST_ALL);
  f.rows = std::max<double>(1, source.rows());
  f.width = WidthOf(f.types);
  f.explain.label = "XN Seq Scan on " + source.name() + Cost(f);
  // Into the target's column order: a kept column, or the new column's DEFAULT (else NULL).
  bool identity = static_cast<int>(sources.size()) == s->columns_size();
  for (size_t i = 0; i < sources.size() && identity; ++i) {
    identity = sources[i] >= 0 && scan_pos[sources[i]] == static_cast<int>(i);
  }
  if (!identity) {
    plan::Operator projected;
    auto* pr = projected.mutable_project();
    *pr->mutable_input() = std::move(f.op);
    std::vector<SqlType> types;
    for (int i = 0; i < target.columns_size(); ++i) {
      const catalog::Column& c = target.columns(i);
      SqlType type = FromProtoType(c.type());
      int from = sources[i];
      *pr->add_exprs() = from >= 0 ? ColumnExpr(scan_pos[from], type)
                                   : ColumnDefaultOrNull(c);
      types.push_back(type);
    }
    f.op = std::move(projected);
    f.types = std::move(types);
    f.width = WidthOf(f.types);
  }
  if (sort) SortBySortKey(target, f.types, 0, &f);
  plan::Sink write = TableSink(plan::SINK_WRITE, target);
  write.clear_base_manifest_by_slice();  // a fresh version: the live rows only
  write.set_input_order(InputOrderOf(target, sort || rows_in_order ? Order::kSorted : Order::kUnsorted));
  p.Finish(std::move(f), std::move(write), "rewrite");
  return std::move(p.out);
}

PhysicalPlan PlanInsert(const LogicalNode& source, const catalog::Table& target, const ClusterShape& shape,
                        const InsertReturning* returning) {
  Planner p(shape);
  Fragment f = p.Plan(source);
  FillIdentityColumns(target, 0, &f, /*append_ordinal=*/returning != nullptr);
  std::vector<SqlType> types = f.types;
  if (returning != nullptr) types.pop_back();  // the table's columns
  // Distribute by the target's style into an exchange, then append on every slice.
  Fragment moved;
  if (target.dist_style() == catalog::DIST_KEY) {
    moved = p.Redistribute(std::move(f), {ColumnExpr(target.distkey(), types[target.distkey()])});
  } else {
    // EVEN/AUTO: round robin; ALL: a copy on every node.
    moved = p.Exchange(std::move(f), target.dist_style() == catalog::DIST_ALL ? plan::SINK_TO_NODE_COPY : plan::SINK_ROUND_ROBIN, {},
                       "distribute");
  }
  moved.on_leader = false;
  // As Redshift does on COPY, each slice writes its new rows in sort-key order, so the new
  // blocks' zone maps are tight and range filters on the key skip most of them.
  SortBySortKey(target, types, 0, &moved);
  plan::Sink write = TableSink(plan::SINK_WRITE, target);
  write.set_input_order(InputOrderOf(target, Order::kSorted));
  if (returning == nullptr) {
    p.Finish(std::move(moved), std::move(write), "write");
    return std::move(p.out);
  }
  // RETURNING: the written rows, as the slices wrote them, back in the order they came (by the
  // ordinal IdentityFill gave them), projected on the leader.
  const int ordinal = static_cast<int>(types.size());
  Fragment back = p.WriteAndReturn(std::move(moved), std::move(write), target.dist_style() == catalog::DIST_ALL, "write");
  plan::Operator sorted;
  auto* so = sorted.mutable_sort();
  *so->mutable_input() = std::move(back.op);
  *so->add_keys()->mutable_expr() = ColumnExpr(ordinal, SqlType::Int64());
  so->set_limit(-1);
  back.op = std::move(sorted);
  FinishReturning(p, std::move(back), *returning, 0);
  return std::move(p.out);
}

}  // namespace strata
