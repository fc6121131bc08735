// The binder: resolves names in an ast::Statement against a catalog version, applies
// PostgreSQL's type rules, and produces a BoundStatement: a logical plan for queries and the
// catalog changes for DDL. It raises the user-facing errors of name resolution and typing
// (42703, 42P01, 42702, 42804, 42803, 42883 ...) with cursor positions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "planner/logical_plan.h"
#include "planner/session_values.h"
#include "sql/ast.h"
#include "catalog/catalog_version.h"

namespace strata {

// COPY FROM's source, resolved by the leader when it runs the statement.
struct CopyInput {
  std::string source;        // a file, a prefix or (MANIFEST) a manifest object
  bool from_stdin = false;
  bool manifest = false;
  bool noload = false;       // check the input, load nothing
  std::string json_paths_url;
};

struct BoundStatement {
  ast::StatementKind kind = ast::StatementKind::kEmpty;
  LogicalPtr query;                      // kSelect, kInsert (source rows), kExplain target
  // kInsert ... RETURNING: expressions over the target table's columns (the rows as written);
  // `result` holds their output columns.
  std::vector<plan::Expr> returning;
  std::vector<OutputColumn> result;      // kSelect: the client's columns
  catalog::Table table;                  // kCreateTable: the new table; kInsert: the target
  bool if_not_exists = false;
  std::vector<int64_t> drop_ids;         // kDrop (with CASCADE, the views that read them too)
  // kDrop CASCADE: the foreign keys (table id, constraint name) that reference a dropped table.
  std::vector<std::pair<int64_t, std::string>> drop_constraints;
  std::vector<std::string> drop_missing; // kDrop IF EXISTS: names that were not there
  std::vector<SqlType> param_types;      // $1..$n as inferred
  bool explain_analyze = false;
  ast::StatementKind explained_kind = ast::StatementKind::kEmpty;
  CopyInput copy;                        // kCopy FROM: where the rows come from
  plan::UnloadSpec unload;               // kUnload, COPY TO STDOUT: how rows are written
  bool update_moves_rows = false;        // kUpdate: the DISTKEY column is assigned
  bool alter_added_column = false;       // kAlterTable ADD COLUMN (the table's last column)
  int alter_dropped_column = -1;         // kAlterTable DROP COLUMN: its ordinal before the drop
  catalog::Table append_source;          // kAppend: the table whose rows move (`table` is the target)
  std::vector<int> append_columns;       // kAppend: per target column, the source's column or -1 (DEFAULT)
  LogicalPtr create_as;                  // kCreateTable AS SELECT: the rows to insert
  std::vector<RecursiveCte> recursive_ctes;  // kSelect: computed before `query` runs
  std::vector<std::string> notices;      // NOTICEs for the client (e.g. "..., skipping")
};

// Parameter values for execution: text form (nullopt = NULL), one per $n.
using ParamValues = std::vector<std::optional<std::string>>;

// Binds one statement. `params`, when given, are substituted as typed constants; param_oids
// are the types the client declared (0 = infer). `session` holds what the session functions
// (current_user, now(), pg_last_query_id(), current_setting(), ...) fold to; nullptr without a
// session. Binding reads only what it is given: no thread-local or global state.
BoundStatement Bind(const ast::Statement& stmt, const CatalogVersion& cat,
                    const std::vector<uint32_t>& param_oids, const ParamValues* params,
                    const SessionValues* session = nullptr);

// The SqlType for a PostgreSQL type oid (0 or unknown -> nullopt).
std::optional<SqlType> TypeFromOid(uint32_t oid);

}  // namespace strata
