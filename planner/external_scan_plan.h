// An external table (Spectrum) in a query plan: the binder's leaf for it (a kFileScan whose
// FileScan carries an ExternalScan), the columns pruning keeps, the predicates it takes for
// partition pruning and row-group skipping, and its EXPLAIN lines. The leader fills its splits
// when the query runs (server/external_splits.cpp); the slices or spectrum workers read them
// (executor/external_scan.h).
#pragma once

#include <string>
#include <vector>

#include "planner/expr_binder.h"
#include "planner/logical_plan.h"

namespace strata {

inline constexpr const char* kPathPseudoColumn = "$path";
inline constexpr const char* kSizePseudoColumn = "$size";

// The leaf for external table `t`: its columns (files' columns, then partition columns), then
// the hidden "$path" and "$size"; each added to `scope` under `qualifier`.
LogicalPtr BindExternalTable(const catalog::Table& t, const std::string& qualifier, Scope* scope);

// Column pruning of that leaf: keeps the required outputs (at least one); returns old -> new
// positions (-1 for dropped ones).
std::vector<int> PruneExternalScan(LogicalNode* n, const std::vector<bool>& required);

// A filter right above the scan: the conjuncts that read only partition columns become the
// scan's partition filter (over partition indexes), and the whole predicate its filter for
// skipping row groups by their statistics.
void AttachExternalFilter(const plan::Expr& predicate, plan::FileScan* scan);

// "XN S3 Query Scan t" and its detail lines for EXPLAIN.
std::string ExternalScanLabel(const plan::FileScan& scan);

}  // namespace strata
