// Small pieces the statement binders share (planner/binder.cpp, planner/copy_binder.cpp):
// resolving a target table and its columns, and projecting a row source into table order.
#pragma once

#include <string>
#include <vector>

#include "planner/expr_binder.h"
#include "planner/logical_plan.h"
#include "sql/ast.h"
#include "catalog/catalog_version.h"

namespace strata {

struct BoundStatement;

// The table a statement writes into (42P01 if missing, 42809 for a view, 0A000 for an external
// table unless `external_ok`: INSERT writes new files into one).
const catalog::Table& TargetTable(const CatalogVersion& cat, const SessionValues* sv, const std::string& schema,
                                  const std::string& name, int location, bool external_ok = false);
// The table's columns, with *exprs (sized to the column count) set to each column's DEFAULT
// (a NULL of its type when it has none): the value of a column a statement does not supply.
std::vector<OutputColumn> TableColumnsAsDefaults(const catalog::Table& t, std::vector<plan::Expr>* exprs);
// The value column `c` takes where a statement gives none (or DEFAULT): its DEFAULT, else a NULL
// of its type (which an identity column's IdentityFill numbers).
plan::Expr ColumnDefaultOrNull(const catalog::Column& c);
LogicalPtr ProjectNodeOver(LogicalPtr src, std::vector<plan::Expr> exprs, std::vector<OutputColumn> cols);
// INSERT / UPDATE / DELETE ... RETURNING `items`: expressions over table `t`'s columns (a row as
// written, or as deleted), named by `qualifier`, into out->returning, their columns into
// out->result. * and qualifier.* are every column.
void BindReturning(const std::vector<ast::SelectItem>& items, const std::string& qualifier, const catalog::Table& t,
                   BindState* params, BoundStatement* out);
// ENCODE x of a column: 42704 for an unknown encoding, 22023 when it cannot hold the type.
void CheckColumnEncoding(const std::string& encode, const SqlType& type, const std::string& column, int location);
// `e` as a value of a column of type `ct` (an assignment cast when the types differ); 42804
// when no assignment cast exists.
plan::Expr AssignTo(plan::Expr e, const SqlType& ct, const std::string& column);
// DEFAULT e of a column of type `ct`: bound over no columns, assignment-cast to the type.
plan::Expr BindColumnDefault(const BindState& statement, const ast::Expr& e, const SqlType& ct, const std::string& column);
// The table columns a statement supplies, in order (all when `names` is empty); 42703 / 42701.
std::vector<int> TargetColumns(const catalog::Table& t, const std::vector<std::string>& names);

}  // namespace strata
