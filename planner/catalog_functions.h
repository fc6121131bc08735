// The catalog and session functions clients call (psql, pgjdbc, BI tools), folded by the binder
// into constants or small expressions over the catalog version being bound: current_database(),
// current_schema(s), version(), pg_backend_pid(), current_setting(), set_config(),
// pg_get_userbyid(), pg_table_is_visible(), pg_get_viewdef(), has_*_privilege(),
// pg_database_size() (0 bytes), pg_stat_get_numscans() (0), Redshift's format_encoding(id)
// (names in planner/pg_catalog_tables.h), format() (typed here, run by
// executor/expr_string_parts.cpp), obj_description() / col_description() (COMMENT ON) and
// pg_get_constraintdef() as CASE lookups, pg_get_serial_sequence() (NULL: Strata has no
// sequences), the definition lookups Strata has no objects for (NULL), and the casts to regclass
// (names for a column of oids) / regtype / regnamespace / regproc (a function's oid by name) /
// oid / name and to array types (typed as the array, sql/array_types.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog_version.h"
#include "planner/plan.pb.h"
#include "planner/session_values.h"
#include "sql/ast.h"

namespace strata {

// The folded form of catalog function `name` over bound `args`, or nullopt when `name` is not
// one of them, folded against catalog version `cat` and the session's values `sv` (nullptr
// without a session). Throws SqlError for a wrong argument (e.g. current_setting of an unknown name).
std::optional<plan::Expr> BindCatalogFunction(const CatalogVersion& cat, const SessionValues* sv, const std::string& name,
                                              std::vector<plan::Expr>& args, int location);

// The cast of `arg` to catalog type `type` (regclass, regtype, regnamespace, regproc, regrole,
// oid, xid, name, or an array type "_elem"), or nullopt for other types.
std::optional<plan::Expr> BindCatalogCast(const CatalogVersion& cat, const SessionValues* sv, plan::Expr arg, const ast::TypeName& type, int location);

}  // namespace strata
