// Small pieces the statement binders share (planner/binder.cpp, planner/copy_binder.cpp):
// resolving a target table and its columns, and projecting a row source into table order.
#pragma once

#include <string>
#include <vector>

#include "planner/logical_plan.h"
#include "storage/catalog.pb.h"

namespace strata {

// The table a statement writes into (42P01 if missing, 42809 for a view).
const catalog::Table& TargetTable(const catalog::Catalog& cat, const std::string& schema, const std::string& name,
                                  int location);
// The table's columns, with *exprs (sized to the column count) set to a NULL of each column's type.
std::vector<OutputColumn> TableColumnsAsNulls(const catalog::Table& t, std::vector<plan::Expr>* exprs);
LogicalPtr ProjectNodeOver(LogicalPtr src, std::vector<plan::Expr> exprs, std::vector<OutputColumn> cols);
// The table columns a statement supplies, in order (all when `names` is empty); 42703 / 42701.
std::vector<int> TargetColumns(const catalog::Table& t, const std::vector<std::string>& names);

}  // namespace strata
