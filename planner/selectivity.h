// Row estimates from ANALYZE's column statistics (catalog ColumnStats and the integer value
// ranges): the fraction of rows a filter keeps, and the distinct values of a column. Used where
// the planner sizes filters (binding, join ordering) and join/group outputs.
//
// Without statistics the old flat guesses stand (a filter keeps 30%), so plans of tables that
// were never analyzed do not change.
#pragma once

#include "planner/logical_plan.h"
#include "catalog/catalog.pb.h"

namespace strata {

// The fraction of `input`'s rows for which `pred` (bound over input's columns) is true:
//   col = v      the value's most-common frequency, else the rest spread over the other values
//   col <> v     1 - that
//   col < v ...  the part of the column's value range below v (integer-like columns)
//   col IN (...) the sum over the list
//   IS [NOT] NULL  the null fraction
//   AND / OR / NOT combine as independent events, except that a lower and an upper bound on one
//   column are one range; anything else keeps 30%.
double FilterSelectivity(const plan::Expr& pred, const LogicalNode& input);

// The groups an aggregation of `input` by `groups` yields: the product of the keys' distinct
// counts capped by the rows when ANALYZE counted every key, else a tenth of the rows.
double GroupCount(const std::vector<plan::Expr>& groups, const LogicalNode& input);

// Distinct values of column `col` of `n`: ANALYZE's count for the base column it comes from,
// else its integer value range, capped by the rows; else the rows.
double ColumnNdv(const LogicalNode& n, int col);

// The rows of `left` with a match in `right` on these keys (a semi join), as PostgreSQL's
// eqjoinsel_semi: left's rows times right's distinct keys over left's (at most all of them), for
// key pairs whose columns have statistics; half of left's rows when none has.
double SemiJoinRows(const LogicalNode& left, const std::vector<plan::Expr>& left_keys, const LogicalNode& right,
                    const std::vector<plan::Expr>& right_keys);

// The base table column that column `col` of `n` carries (through filters and projections that
// pass it on unchanged); nullptr when it is computed or comes from elsewhere.
const catalog::Column* BaseColumn(const LogicalNode& n, int col);

}  // namespace strata
