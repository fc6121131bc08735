// Row-level security and dynamic data masking where a table is read (SelectBinder::BindTable):
// the RLS policies attached to the reading user (directly, through its groups and roles, or
// PUBLIC) filter the table's rows right above its scan — so the predicate is pushed into the
// scan and prunes blocks by zone map as the same WHERE clause would — and a masking policy
// replaces a column's values above that, the attachment of the highest priority winning per
// column. A table with RLS on and no policy for the user shows no rows (Redshift's rule).
// Superusers bypass RLS; masking applies to whoever an attachment names.
#pragma once

#include "catalog/catalog_version.h"
#include "planner/logical_plan.h"
#include "planner/session_values.h"

namespace strata {

struct BindState;

// `scan` (the table's scan node, its first columns the table's) with the policies that apply to
// the session user; `mask`: masking applies too (not for the row an UPDATE or DELETE changes).
LogicalPtr ApplyPolicies(const catalog::Table& t, LogicalPtr scan, BindState* state, bool mask);

// Binds policy `p`'s expression over its own columns (CREATE / ALTER POLICY): 42703, 42883 ...
// for a bad one; 42804 when an RLS predicate is not boolean.
void CheckPolicyExpression(const catalog::Policy& p, const CatalogVersion& cat, const SessionValues* session);

}  // namespace strata
