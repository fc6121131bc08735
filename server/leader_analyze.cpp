// ANALYZE [table [(columns)]]: the planner's statistics, committed with the table.
//
// Row counts and integer value ranges come from the blocks' zone maps (cheap: no data is read).
// Per column, ANALYZE then runs ordinary distributed queries over the table's live rows: NULL
// counts and distinct counts for all columns in one scan, then per column with few enough
// distinct values its most common values with their counts. The results (catalog ColumnStats)
// drive the planner's filter, join and group estimates (planner/selectivity.h) and show in
// pg_stats.
//
// Row and NULL counts are exact. Distinct counts come from APPROXIMATE COUNT(DISTINCT): exact up
// to 2048 values, within about 1% above (executor/distinct_sketch.h) — an exact distinct count
// per column was a distributed GROUP BY each, and made ANALYZE of TPC-H SF 10 take three times
// its COPY. Most common values are counted exactly, but only for columns of at most
// kMostCommonMaxDistinct values: above that no value is common enough to move an estimate
// unless the column is skewed, and the GROUP BY would cost as much as the exact count did.
#include <algorithm>

#include "planner/name_resolution.h"
#include "planner/binder.h"
#include "planner/optimizer.h"
#include "planner/expr_builder.h"
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

int64_t Int64At(const StatementResult& r, size_t col) {
  for (const auto& b : r.batches) {
    if (b.rows > 0) return b.columns[col].IsNull(0) ? 0 : b.columns[col].data<int64_t>()[0];
  }
  return 0;
}

}  // namespace

StatementResult LeaderSession::RunAnalyze(const ast::Statement& st) {
  StatementResult r;
  r.command_tag = "ANALYZE";
  std::vector<std::pair<int64_t, std::string>> targets;
  const CatalogVersion& cat = ReadCatalog();
  if (st.analyze_tables.empty()) {
    for (const auto& t : cat.tables()) if (!t.is_view() && !t.has_external()) targets.push_back({t.id(), t.name()});
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
  std::string from = StrCat(" from ", QuoteIdentifier(t->schema()), ".", QuoteIdentifier(t->name()));
  auto run = [&](const std::string& sql) {
    std::vector<ast::Statement> parsed = ParseSql(sql);
    BoundStatement b = Bind(parsed[0], ReadCatalog(), {}, nullptr, &session_values_);
    Optimize(&b);
    return RunQuery(b);
  };
  // NULL and distinct counts of every column in one scan.
  std::string counts = "select count(*)";
  for (int c : cols) {
    std::string name = QuoteIdentifier(t->columns(c).name());
    counts += StrCat(", count(", name, "), approx_count_distinct(", name, ")");
  }
  StatementResult totals = run(counts + from);
  int64_t rows = Int64At(totals, 0);
  for (size_t k = 0; k < cols.size(); ++k) {
    catalog::Column* column = t->mutable_columns(cols[k]);
    catalog::ColumnStats stats;
    stats.set_rows(rows);
    int64_t non_null = Int64At(totals, 2 * k + 1);
    if (rows > 0) stats.set_null_frac(static_cast<double>(rows - non_null) / static_cast<double>(rows));
    std::string name = QuoteIdentifier(column->name());
    int64_t ndv = std::min(non_null, Int64At(totals, 2 * k + 2));
    stats.set_n_distinct(static_cast<double>(ndv));
    // Most common values: those above the average count (all of them when there are few).
    if (ndv > 0 && ndv < non_null && ndv <= kMostCommonMaxDistinct) {
      StatementResult common = run(StrCat("select ", name, ", count(*)", from, " where ", name, " is not null group by 1 ",
                                          "order by 2 desc, 1 limit ", kMostCommonValues));
      double average = static_cast<double>(non_null) / static_cast<double>(ndv);
      SqlType type = FromProtoType(column->type());
      for (const auto& b : common.batches) {
        for (size_t i = 0; i < b.rows; ++i) {
          int64_t n = b.columns[1].data<int64_t>()[i];
          if (n < 2 || (ndv > kMostCommonValues && static_cast<double>(n) < 1.25 * average)) continue;
          *stats.add_most_common_vals() = LiteralFromVector(b.columns[0], i, type).literal();
          stats.add_most_common_text(ValueText(b.columns[0], i));
          stats.add_most_common_freqs(static_cast<double>(n) / static_cast<double>(rows));
        }
      }
    }
    *column->mutable_stats() = std::move(stats);
  }
}

}  // namespace strata
