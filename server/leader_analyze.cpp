// ANALYZE [table [(columns)]]: the planner's statistics, committed with the table.
//
// Row counts and integer value ranges come from the blocks' zone maps (cheap: no data is read,
// and exact). The per-column statistics come from a sample gathered to the leader: every row of
// a table of at most kSampleRows rows, else about kSampleRows rows, each slice's spread evenly
// over its live rows (Scan.sample_rows, SliceReader::KeepSample). From the sample, per column:
// the NULL fraction, the number of distinct values (exact for a whole table, else the Duj1
// estimate of Haas and Stokes from the sample's distinct values and the values seen once, as
// PostgreSQL's ANALYZE does) and the most common values with their frequencies. The results
// (catalog ColumnStats) drive the planner's filter, join and group estimates
// (planner/selectivity.h) and show in pg_stats.
//
// Before, ANALYZE read every row: an APPROXIMATE COUNT(DISTINCT) of every column and a GROUP BY
// per column for its common values; at TPC-H SF 1 that took longer than the load itself.
#include <algorithm>
#include <cmath>
#include <functional>
#include <unordered_map>

#include "planner/name_resolution.h"
#include "planner/binder.h"
#include "planner/optimizer.h"
#include "planner/expr_builder.h"
#include "executor/row_hash.h"
#include "planner/physical_planner.h"
#include "server/leader_session.h"
#include "sql/error.h"
#include "sql/parser.h"
#include "sql/redshift_dialect.h"
#include "sql/value_text.h"
#include "catalog/catalog_store.h"

namespace strata {
namespace {

constexpr int kMostCommonValues = 10;
constexpr int64_t kMostCommonMaxDistinct = 100000;

// Rows ANALYZE reads of a table (PostgreSQL's default: 300 × its default statistics target).
constexpr int64_t kSampleRows = 30000;

// Every table scan of the plan returns about `per_slice` rows of each slice.
void SetSampleRows(plan::QueryPlan* plan, int64_t per_slice) {
  std::function<void(plan::Operator*)> walk = [&](plan::Operator* op) {
    switch (op->kind_case()) {
      case plan::Operator::kScan: op->mutable_scan()->set_sample_rows(per_slice); break;
      case plan::Operator::kFilter: walk(op->mutable_filter()->mutable_input()); break;
      case plan::Operator::kProject: walk(op->mutable_project()->mutable_input()); break;
      default: break;
    }
  };
  for (auto& stage : *plan->mutable_stages()) walk(stage.mutable_root());
}

// One distinct value of a sampled column: where it first appears and how often.
struct SampledValue {
  size_t batch = 0;
  size_t row = 0;
  int64_t count = 0;
};

struct ColumnSample {
  int64_t non_null = 0;
  int64_t singletons = 0;  // values seen once
  std::vector<SampledValue> values;
};

// The distinct values of column `col` of the sample's batches (by their key encoding, which
// makes equal values equal bytes: executor/row_hash.h).
ColumnSample SampleColumn(const std::vector<Batch>& batches, size_t col) {
  ColumnSample out;
  std::unordered_map<std::string, size_t> index;
  std::string key;
  for (size_t b = 0; b < batches.size(); ++b) {
    const Vector& v = batches[b].columns[col];
    std::vector<const Vector*> one{&v};
    for (size_t r = 0; r < batches[b].rows; ++r) {
      key.clear();
      if (!EncodeKey(one, r, &key)) continue;  // NULL
      ++out.non_null;
      auto [it, added] = index.emplace(key, out.values.size());
      if (added) out.values.push_back({b, r, 0});
      ++out.values[it->second].count;
    }
  }
  for (const auto& v : out.values) out.singletons += v.count == 1;
  return out;
}

// Whether value `ra` of `a` sorts before value `rb` of `b` (same type, neither NULL).
bool ValueLess(const Vector& a, size_t ra, const Vector& b, size_t rb) {
  return DispatchPhysical(a.type().physical(), [&]<typename T>() { return a.data<T>()[ra] < b.data<T>()[rb]; });
}

}  // namespace

StatementResult LeaderSession::RunAnalyze(const ast::Statement& st) {
  StatementResult r;
  r.command_tag = "ANALYZE";
  std::vector<std::pair<int64_t, std::string>> targets;
  const CatalogVersion& cat = ReadCatalog();
  if (st.analyze_tables.empty()) {
    // Every table the user owns: others are skipped, as PostgreSQL skips them.
    for (const auto& t : cat.tables()) {
      if (!t.is_view() && !t.has_external() && MayMaintain(t)) targets.push_back({t.id(), t.name()});
    }
  }
  for (const auto& q : st.analyze_tables) {
    const catalog::Table* t = LookupTable(cat, &session_values_, q.schema, q.name);
    if (t == nullptr) {
      throw SqlError(sqlstate::kUndefinedTable, StrCat("relation \"", q.name, "\" does not exist"), q.location + 1);
    }
    if (t->is_view() || t->has_external()) {
      r.notices.push_back(StrCat("skipping \"", q.name, "\" --- cannot analyze non-tables"));
      continue;
    }
    if (!MayMaintain(*t)) {
      r.notices.push_back(StrCat("skipping \"", q.name, "\" --- only table or database owner can analyze it"));
      continue;
    }
    for (const auto& c : st.analyze_columns) {
      bool found = false;
      for (const auto& tc : t->columns()) found = found || tc.name() == c;
      if (!found) {
        throw SqlError(sqlstate::kUndefinedColumn, StrCat("column \"", c, "\" of relation \"", q.name, "\" does not exist"));
      }
    }
    targets.push_back({t->id(), t->name()});
  }
  for (const auto& [id, name] : targets) {
    catalog::Table* t = LockForWrite(id, name);
    // Row counts and integer value ranges, recomputed from the blocks the nodes hold.
    std::vector<rpc::SliceInfo> slices;
    std::vector<rpc::BlockRow> blocks = ctx_.cluster->TableBlocks(*t, &slices);
    int64_t rows = 0;
    for (const auto& s : slices) rows += s.rows() - s.deleted_rows();
    for (auto& c : *t->mutable_columns()) c.set_has_range(false);
    for (const auto& b : blocks) {
      if (b.has_int_range() && b.col() < t->columns_size()) WidenValueRange(t->mutable_columns(b.col()), b.minvalue(), b.maxvalue());
    }
    rows /= CopiesOf(*t);
    t->set_rows(rows);
    t->set_analyzed(true);
    t->set_analyzed_rows(rows);
    AnalyzeColumns(t, st.analyze_columns);
  }
  return r;
}

void LeaderSession::AnalyzeColumns(catalog::Table* t, const std::vector<std::string>& only) {
  std::vector<int> cols;
  for (int c = 0; c < t->columns_size(); ++c) {
    if (only.empty() || std::find(only.begin(), only.end(), t->columns(c).name()) != only.end()) cols.push_back(c);
  }
  if (cols.empty()) return;
  // The sample: every row of a small table, else about kSampleRows rows spread evenly over the
  // slices, gathered to the leader.
  LogicalNode scan;
  scan.kind = LogicalKind::kScan;
  scan.table = *t;
  for (int c : cols) {
    scan.scan_columns.push_back(c);
    scan.columns.push_back({t->columns(c).name(), FromProtoType(t->columns(c).type())});
  }
  const ClusterShape shape = ctx_.cluster->shape();
  PhysicalPlan p = PlanQuery(scan, shape);
  const int64_t slices = t->dist_style() == catalog::DIST_ALL ? 1 : std::max(1, shape.total_slices());
  SetSampleRows(&p.plan, (kSampleRows + slices - 1) / slices);
  QueryOutcome out = RunPlan(p, ctx_.cluster->NextQueryId());
  int64_t sampled = 0;
  for (const Batch& b : out.rows) sampled += static_cast<int64_t>(b.rows);
  const int64_t rows = t->rows();  // exact: the slices' live rows
  const bool whole = sampled >= rows;
  for (size_t k = 0; k < cols.size(); ++k) {
    catalog::Column* column = t->mutable_columns(cols[k]);
    catalog::ColumnStats stats;
    stats.set_rows(rows);
    ColumnSample sample = SampleColumn(out.rows, k);
    if (sampled > 0) stats.set_null_frac(static_cast<double>(sampled - sample.non_null) / static_cast<double>(sampled));
    // Distinct values: those of the sample when it is the whole table, else Haas and Stokes'
    // Duj1 estimate from the sample's distinct values and those seen once (PostgreSQL's too).
    double ndv = static_cast<double>(sample.values.size());
    if (!whole && sample.non_null > 0) {
      const double n = static_cast<double>(sample.non_null);
      const double total = static_cast<double>(rows) * n / static_cast<double>(sampled);
      const double f1 = static_cast<double>(sample.singletons);
      const double d = static_cast<double>(sample.values.size());
      const double denominator = n - f1 + f1 * n / total;
      ndv = denominator > 0 ? n * d / denominator : total;
      ndv = std::clamp(std::floor(ndv + 0.5), d, std::max(d, total));
    }
    stats.set_n_distinct(ndv);
    // Most common values: those above the average count (all of them when there are few), most
    // frequent first, ties by value.
    if (!sample.values.empty() && static_cast<int64_t>(sample.values.size()) < sample.non_null) {
      const double average = static_cast<double>(sample.non_null) / static_cast<double>(sample.values.size());
      const size_t distinct = sample.values.size();
      std::vector<const SampledValue*> order;
      for (const SampledValue& v : sample.values) order.push_back(&v);
      std::sort(order.begin(), order.end(), [&](const SampledValue* a, const SampledValue* b) {
        if (a->count != b->count) return a->count > b->count;
        return ValueLess(out.rows[a->batch].columns[k], a->row, out.rows[b->batch].columns[k], b->row);
      });
      SqlType type = FromProtoType(column->type());
      for (size_t i = 0; i < order.size() && i < static_cast<size_t>(kMostCommonValues); ++i) {
        const SampledValue& v = *order[i];
        if (v.count < 2 || (distinct > static_cast<size_t>(kMostCommonValues) && static_cast<double>(v.count) < 1.25 * average)) continue;
        const Vector& vec = out.rows[v.batch].columns[k];
        *stats.add_most_common_vals() = LiteralFromVector(vec, v.row, type).literal();
        stats.add_most_common_text(ValueText(vec, v.row));
        stats.add_most_common_freqs(static_cast<double>(v.count) / static_cast<double>(sampled));
      }
    }
    *column->mutable_stats() = std::move(stats);
  }
}

}  // namespace strata
