// The physical planner: turns a logical plan into a distributed QueryPlan of stages, choosing a
// Redshift distribution step for every join (DS_DIST_NONE, DS_DIST_ALL_NONE, DS_BCAST_INNER,
// DS_DIST_INNER, DS_DIST_OUTER, DS_DIST_BOTH) and how to aggregate: in one phase where the input
// already is (on the leader, or on slices placed by the group keys); else partial per slice, then
// final on the leader, or, past kLeaderGroupLimit estimated groups, on the slices after
// redistributing the partial states by group key. DISTINCT aggregates go in one phase after
// redistributing by the group keys (without GROUP BY: gathered to the leader, or for one
// DISTINCT argument, PlanScalarDistinct). A stage boundary is where rows cross the network.
#pragma once

#include <string>
#include <vector>

#include "catalog/slice_map.h"
#include "planner/logical_plan.h"
#include "planner/plan.pb.h"
#include "catalog/catalog.pb.h"

namespace strata {

// The cluster's slices and nodes. `slice_node` (catalog/slice_map.h) says which node holds each
// slice; empty: the layout at creation, compute_nodes × slices_per_node. After an elastic resize
// the slice count is still the one at creation, and nodes may hold different numbers of slices.
struct ClusterShape {
  int compute_nodes = 2;
  int slices_per_node = 2;
  std::vector<int> slice_node;
  int total_slices() const {
    return slice_node.empty() ? compute_nodes * slices_per_node : static_cast<int>(slice_node.size());
  }
  std::vector<int> SliceNodes() const {
    return slice_node.empty() ? DefaultSliceNodes(compute_nodes, slices_per_node) : slice_node;
  }
};

struct PhysicalPlan {
  plan::QueryPlan plan;
  // System tables the leader must materialise into exchange `first` before running.
  std::vector<std::pair<int, std::string>> system_inputs;
  // EXPLAIN's text, one line per row, in Redshift's shape.
  std::vector<std::string> explain;
};

// A query whose rows go to the client (the last stage runs on the leader with SINK_RESULT).
PhysicalPlan PlanQuery(const LogicalNode& root, const ClusterShape& shape);
// An INSERT: the source rows are distributed by the target's DISTSTYLE and appended on every
// slice (the last stage has SINK_WRITE and reports new manifests).
// UNLOAD: the query's rows go to files (SINK_UNLOAD) from the slices, or from the leader.
PhysicalPlan PlanUnload(const LogicalNode& root, const plan::UnloadSpec& spec, const ClusterShape& shape);
// INSERT ... RETURNING: expressions over the target's columns, computed on the leader from the
// rows the slices wrote, and their output columns.
struct InsertReturning {
  std::vector<plan::Expr> exprs;
  std::vector<OutputColumn> columns;
  bool deleted = false;  // DELETE: over the rows deleted (UPDATE: over the new rows)
};
PhysicalPlan PlanInsert(const LogicalNode& source, const catalog::Table& target, const ClusterShape& shape,
                        const InsertReturning* returning = nullptr);
// DELETE / UPDATE: `source` yields the modify stream (row id, insert flag, new values...); its
// rows go to the slices that own them (SINK_MODIFY_ROUTE; with `moves_rows`, new values go by
// their new DISTKEY) and are applied there (SINK_MODIFY).
PhysicalPlan PlanModify(const LogicalNode& source, const catalog::Table& target, bool moves_rows,
                        const ClusterShape& shape, const InsertReturning* returning = nullptr);
// MERGE (planner/merge_binder.h): as PlanModify, and a row without a row id is a new row, routed
// by the target's distribution; a row id the stream names twice is 21000 (Sink.merge).
PhysicalPlan PlanMerge(const LogicalNode& source, const catalog::Table& target, const ClusterShape& shape);

// VACUUM: every slice rewrites its live rows of `t` (sorted by the sort key when `sort`) into
// a fresh version, with no exchange: rows stay on their slice. `rows_in_order`: every slice is
// already wholly sorted, so an unsorted rewrite (DELETE ONLY) keeps its rows sorted too.
PhysicalPlan PlanRewrite(const catalog::Table& t, bool sort, bool rows_in_order, const ClusterShape& shape);
// ALTER TABLE ADD/DROP COLUMN: every slice's live rows of `source` rewritten as `target`'s
// columns, where target column i is source column sources[i], or its DEFAULT (NULL when it has
// none) when sources[i] is -1. Rows stay on their slice (the distribution key is kept).
PhysicalPlan PlanRewriteAs(const catalog::Table& source, const catalog::Table& target, const std::vector<int>& sources,
                           bool sort, const ClusterShape& shape, bool rows_in_order = false);

// Each column's storage encoding (storage/encoding.h numbers) from its ENCODE, or Redshift's
// default for its type and place in the sort key.
std::vector<int> ColumnEncodings(const catalog::Table& t);
// The encodings a writer of `t`'s blocks is given: ColumnEncodings, with kAdaptiveEncodingFlag
// on the string columns whose encoding is Redshift's default (no ENCODE, or ENCODE AUTO).
std::vector<int> WriteEncodings(const catalog::Table& t);

}  // namespace strata
