// Binding MERGE. It becomes the same modify stream as UPDATE and DELETE (plan.proto's
// SINK_MODIFY: per row a row id, an insert flag and the table's columns), so it runs on their
// write path:
//
//   target RIGHT JOIN source ON cond        (INNER JOIN when no clause is WHEN NOT MATCHED)
//     -> action: the first WHEN clause whose kind fits (the target's row id is NULL: not
//        matched) and whose AND condition holds; 0 when none does, or for DO NOTHING
//     -> only rows with an action
//     -> (row id, insert, values): UPDATE (id, true, new row), DELETE (id, false, NULLs),
//        INSERT (NULL, true, new row)
//
// Each clause's conditions and values are evaluated only for the rows that reach it, as in
// PostgreSQL: they are inlined into CASE expressions, which evaluate a branch only on its rows.
// A target row the stream names twice (matched by two source rows) is 21000 where the stream
// is applied (executor/modify_writer.h); a NULL in a join key never matches.
//
// Redshift's REMOVE DUPLICATES is the same stream with fixed actions: the first target row a
// source row matches becomes that source row, the other target rows it matches are deleted,
// and a source row with no match is inserted (source columns by position). Which target row is
// first: ROW_NUMBER() over the joined rows of one source row (partitioned by its values, and for
// a DISTSTYLE ALL target by the slice of the target row, so that every node's copy keeps one).
#pragma once

#include "catalog/catalog_version.h"
#include "planner/binder.h"
#include "planner/expr_binder.h"

namespace strata {

void BindMerge(const ast::MergeStmt& m, const CatalogVersion& cat, BindState* params, BoundStatement* out);

}  // namespace strata
