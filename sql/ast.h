// Strata's own abstract syntax tree: what the parser (libpg_query + the Redshift dialect layer)
// hands to the binder. Nothing downstream of sql/parser.h sees libpg_query types.
// Nodes are plain structs with owning pointers; `location` is a 0-based byte offset into the
// statement text (-1 when unknown), used for error cursor positions.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sql/types.h"

namespace strata::ast {

struct Expr;
struct OrderItem;
struct SelectStmt;
struct Statement;
struct WindowSpec;
using ExprPtr = std::unique_ptr<Expr>;

// A type as written: name in PostgreSQL's internal spelling ("int4", "int8", "int2", "numeric",
// "float4", "float8", "bool", "bpchar", "varchar", "text", "date", "timestamp") plus modifiers.
struct TypeName {
  std::string name;
  std::vector<int> mods;
  int location = -1;
};

enum class ExprKind {
  kColumnRef,   // names = [col] or [table, col] or [schema, table, col]
  kStar,        // names = [] for *, [table] for t.*
  kLiteral,     // literal_kind + text
  kParam,       // $n: param_index (1-based)
  kUnary,       // op in {"-", "+", "NOT"}, args[0]
  kBinary,      // op in {"+","-","*","/","%","=","<>","<",">","<=",">=","AND","OR","||",
                //        "IS DISTINCT FROM","IS NOT DISTINCT FROM"}, args[0..1]
  kFuncCall,    // func_name (lowercase, unqualified), args, distinct, star_arg (count(*))
  kCase,        // case_operand (optional), when[i] -> then[i], else_expr (optional)
  kCast,        // args[0]::cast_type
  kIsNull,      // args[0] IS [NOT] NULL (negated = IS NOT NULL)
  kBetween,     // args[0] [NOT] BETWEEN args[1] AND args[2]
  kInList,      // args[0] [NOT] IN (args[1..])
  kLike,        // args[0] [NOT] LIKE args[1]; op = "LIKE" or "ILIKE"
  kSubquery,    // scalar subquery; op = "ARRAY" for ARRAY(subquery)
  kExists,      // [NOT] EXISTS (subquery)
  kInSubquery,  // args[0] [NOT] IN (subquery); with op (<, >=, <>, ...): args[0] op ANY / ALL
                //   (subquery), all_rows telling which
  kIsBool,      // args[0] IS [NOT] TRUE/FALSE: op = "TRUE" or "FALSE"
  kDefault,     // DEFAULT as an item of an INSERT's VALUES row: the column's default
};

enum class LiteralKind { kNull, kInteger, kNumeric, kFloat, kString, kBool };

struct Expr {
  ExprKind kind = ExprKind::kLiteral;
  // A `t.*` the decoder adds to an UPDATE, DELETE … RETURNING or MERGE to carry the target's
  // row: it needs no SELECT privilege on the target's columns.
  bool carries_target = false;
  int location = -1;

  std::vector<std::string> names;  // kColumnRef, kStar
  LiteralKind literal_kind = LiteralKind::kNull;
  std::string text;                // literal text as written ("42", "1.50", "abc", "true")
  int param_index = 0;
  std::string op;
  std::vector<ExprPtr> args;
  std::string func_name;
  bool distinct = false;
  bool star_arg = false;
  ExprPtr case_operand;
  std::vector<ExprPtr> when;
  std::vector<ExprPtr> then;
  ExprPtr else_expr;
  TypeName cast_type;
  bool negated = false;
  bool all_rows = false;  // kInSubquery: op ALL (subquery)
  std::unique_ptr<SelectStmt> subquery;
  std::unique_ptr<WindowSpec> over;  // kFuncCall with OVER (...): a window function call
  ExprPtr filter;                    // kFuncCall: an aggregate's FILTER (WHERE filter)
  // kFuncCall percentile_cont / percentile_disc (f) WITHIN GROUP (ORDER BY x [DESC]): args are
  // [f, x]; within_group_desc for DESC.
  bool within_group_desc = false;
  // LISTAGG(x, d) WITHIN GROUP (ORDER BY k) and string_agg(x, d ORDER BY k): the key.
  std::unique_ptr<OrderItem> agg_order;
};

enum class JoinType { kInner, kLeft, kRight, kFull, kCross };

// Redshift's `table_reference PIVOT (...)` / `UNPIVOT (...)` (sql/redshift_dialect.cpp lifts the
// clause out; planner/select_binder.cpp's BindPivot turns it into a grouping or a repeat).
struct PivotSpec {
  bool unpivot = false;
  // PIVOT: the select-list items that follow the implicit grouping columns, as SQL text: one
  // aggregate per IN value (and aggregate), already made conditional on the FOR column, e.g.
  // `avg(CASE WHEN (partname) IS NOT DISTINCT FROM ('prop') THEN price END) AS "prop"`.
  std::string items_sql;
  // UNPIVOT: the value and name columns, and each IN column as written with its name.
  bool include_nulls = false;
  std::string value_column, name_column;
  std::vector<std::string> in_columns, in_names;
  std::string alias;  // the alias after the clause; empty when none
  int location = -1;  // of the PIVOT / UNPIVOT keyword
};

struct TableRef {
  // kFunction: a function in FROM (name = the function); decoded so that a query which is empty
  // by its shape (planner/empty_query.h) can still be answered, refused by the binder otherwise.
  // kPivot: `left` PIVOT / UNPIVOT as `pivot` says.
  enum class Kind { kTable, kJoin, kSubquery, kFunction, kPivot } kind = Kind::kTable;
  std::string schema;  // empty when unqualified
  std::string name;
  std::string catalog;  // a third name part (db.schema.name: ignored for tables; a PartiQL path)
  std::string alias;   // empty when none
  JoinType join_type = JoinType::kInner;
  std::unique_ptr<TableRef> left, right;
  ExprPtr on;                          // JOIN ... ON
  std::vector<std::string> using_cols;  // JOIN ... USING
  bool natural = false;
  std::unique_ptr<SelectStmt> subquery;
  bool lateral = false;                    // kSubquery: LATERAL (sees the FROM items before it)
  std::vector<ExprPtr> func_args;          // kFunction: its arguments
  std::vector<std::string> column_names;   // kFunction: AS alias(column, ...)
  std::vector<TypeName> column_types;      // kFunction: AS alias(column type, ...), when typed
  std::shared_ptr<const PivotSpec> pivot;  // kPivot
  int location = -1;
};

struct SelectItem {
  ExprPtr expr;
  std::string alias;  // empty when none
};

struct OrderItem {
  ExprPtr expr;
  bool desc = false;
  std::optional<bool> nulls_first;
};

// A window function's frame. kDefault is RANGE UNBOUNDED PRECEDING .. CURRENT ROW (peers
// included; the whole partition without ORDER BY); kGeneral is any other frame, spelled out in
// WindowSpec's frame_mode / frame_start / frame_end.
enum class WindowFrame { kDefault, kRowsToCurrentRow, kWholePartition, kGeneral };
enum class FrameMode { kRange, kRows, kGroups };
struct FrameBound {
  enum Kind { kUnboundedPreceding, kPreceding, kCurrentRow, kFollowing, kUnboundedFollowing };
  Kind kind = kUnboundedPreceding;
  ExprPtr offset;  // kPreceding / kFollowing
};

// OVER (PARTITION BY ... ORDER BY ... [frame]).
struct WindowSpec {
  std::vector<ExprPtr> partition_by;
  std::vector<OrderItem> order_by;
  WindowFrame frame = WindowFrame::kDefault;
  FrameMode frame_mode = FrameMode::kRange;  // kGeneral only
  FrameBound frame_start, frame_end;         // kGeneral only
  int exclude = 0;  // kGeneral: EXCLUDE 0 NO OTHERS, 1 CURRENT ROW, 2 GROUP, 3 TIES
  int location = -1;
};

struct CommonTableExpr {
  std::string name;
  std::vector<std::string> column_names;
  std::unique_ptr<SelectStmt> query;
  bool recursive = false;  // in WITH RECURSIVE: may read itself (base UNION [ALL] step)
  int location = -1;
};

enum class SetOp { kNone, kUnion, kIntersect, kExcept };

struct SelectStmt {
  std::vector<CommonTableExpr> with;
  // A plain SELECT (op == kNone and values empty):
  bool distinct = false;
  std::vector<ExprPtr> distinct_on;  // DISTINCT ON (...); `distinct` stays false
  std::vector<SelectItem> targets;
  std::vector<std::unique_ptr<TableRef>> from;
  ExprPtr where;
  std::vector<ExprPtr> group_by;
  // GROUP BY with GROUPING SETS / ROLLUP / CUBE: every grouping set, expanded (and crossed with
  // the plain items), as indexes into group_by; empty for a plain GROUP BY.
  std::vector<std::vector<int>> grouping_sets;
  ExprPtr having;
  // VALUES (...), (...): when non-empty, this statement is a VALUES list.
  std::vector<std::vector<ExprPtr>> values;
  // A set operation: larg op [ALL] rarg.
  SetOp op = SetOp::kNone;
  bool all = false;
  std::unique_ptr<SelectStmt> larg, rarg;
  // Apply to any of the above.
  std::vector<OrderItem> order_by;
  ExprPtr limit;
  ExprPtr offset;
  int location = -1;
};

// GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY [(START WITH s INCREMENT BY i)], Redshift's
// IDENTITY(seed, step) (= ALWAYS) and PostgreSQL's serial types (= BY DEFAULT).
struct IdentitySpec {
  bool present = false;
  bool by_default = false;  // explicit values may be inserted without OVERRIDING SYSTEM VALUE
  bool serial = false;      // declared as serial / bigserial / smallserial
  bool start_given = false;
  int64_t start = 1;
  int64_t increment = 1;
};

struct ColumnDef {
  std::string name;
  IdentitySpec identity;
  TypeName type;
  bool not_null = false;
  std::string encode;     // Redshift ENCODE, lowercased; empty when not given
  bool distkey = false;   // column-level DISTKEY
  bool sortkey = false;   // column-level SORTKEY
  ExprPtr default_expr;
  int location = -1;
};

// PRIMARY KEY / UNIQUE / FOREIGN KEY of CREATE TABLE, table- or column-level. Informational, as
// in Redshift: recorded in the catalog (pg_constraint, information_schema) and not enforced.
struct TableConstraintDef {
  enum class Kind { kPrimaryKey, kUnique, kForeignKey } kind = Kind::kPrimaryKey;
  std::string name;                      // CONSTRAINT name; empty = derived as PostgreSQL does
  std::vector<std::string> columns;
  std::string ref_schema, ref_table;     // FOREIGN KEY ... REFERENCES
  std::vector<std::string> ref_columns;  // empty = the referenced table's primary key
  int location = -1;
};

struct CreateTableStmt {
  std::string schema, name;
  bool temporary = false;  // CREATE TEMP TABLE
  std::vector<TableConstraintDef> constraints;
  bool if_not_exists = false;
  std::vector<ColumnDef> columns;
  std::string diststyle;              // "", "EVEN", "KEY", "ALL", "AUTO"
  std::string distkey;                // table-level DISTKEY(col), empty when none
  std::vector<std::string> sortkey;   // table-level [COMPOUND|INTERLEAVED] SORTKEY(cols)
  std::string sortstyle;              // "", "COMPOUND", "INTERLEAVED"
  std::unique_ptr<SelectStmt> as_select;  // CREATE TABLE ... AS SELECT
  std::string like_schema, like_name;     // CREATE TABLE t (LIKE s): empty name when none
  bool like_including_defaults = false;   // LIKE s INCLUDING DEFAULTS
};

struct QualifiedName {
  std::string schema, name;
  int location = -1;
};

struct DropStmt {
  enum class Kind { kTable, kView, kSchema } kind = Kind::kTable;
  std::vector<QualifiedName> names;  // kSchema: the schemas' names in `name`
  bool if_exists = false;
  // CASCADE: DROP SCHEMA drops the tables and views in it; every DROP drops the views that read
  // what it drops (and DROP TABLE the foreign keys that reference it).
  bool cascade = false;
};

// CREATE SCHEMA [IF NOT EXISTS] s [AUTHORIZATION u], ALTER SCHEMA s RENAME TO t | OWNER TO u
// (server/leader_schemas.cpp; DROP SCHEMA is a DropStmt).
struct SchemaStmt {
  enum class Action { kCreate, kRename, kOwner } action = Action::kCreate;
  std::string name;
  std::string new_name;  // kRename
  std::string owner;     // kCreate (AUTHORIZATION; empty = the current user), kOwner
  bool if_not_exists = false;
};

// Spectrum's external catalog in Redshift's (and Athena's) syntax (sql/external_parser.h, run by
// server/leader_external.cpp):
//   CREATE EXTERNAL SCHEMA [IF NOT EXISTS] s FROM DATA CATALOG DATABASE 'db' [IAM_ROLE '...']
//     [REGION '...'] [CREATE EXTERNAL DATABASE IF NOT EXISTS]
//   DROP SCHEMA [IF EXISTS] s [DROP EXTERNAL DATABASE] [CASCADE | RESTRICT]
//   CREATE EXTERNAL TABLE [IF NOT EXISTS] s.t (cols) [PARTITIONED BY (cols)] [ROW FORMAT ...]
//     [STORED AS fmt | STORED AS INPUTFORMAT '..' OUTPUTFORMAT '..'] LOCATION '...'
//     [TABLE PROPERTIES (...)] [AS query]
//   ALTER TABLE s.t ADD [IF NOT EXISTS] PARTITION (k=v, ...) LOCATION '...' [PARTITION ...]
//   ALTER TABLE s.t DROP PARTITION (k=v, ...); ALTER TABLE s.t [PARTITION (...)] SET LOCATION '...'
//   ALTER TABLE s.t SET TABLE PROPERTIES (...); MSCK REPAIR TABLE s.t
//   CRAWL 'location' INTO SCHEMA s [TABLE t]   (Strata's crawler, server/external_crawler.h)
// Snapshots (server/leader_snapshots.cpp): CREATE SNAPSHOT name [RETENTION days], DROP SNAPSHOT
// name, RESTORE TABLE [s.]t FROM SNAPSHOT name AS [s.]new_table.
struct SnapshotStmt {
  enum class Action { kCreate, kDrop, kRestoreTable } action = Action::kCreate;
  std::string snapshot;
  int retention_days = -1;        // kCreate: -1 = kept until deleted
  std::string schema, table;      // kRestoreTable: the table in the snapshot
  std::string new_schema, new_table;
};

// RESIZE CLUSTER TO n [NODES] (sql/cluster_parser.h; server/resize.h).
struct ResizeClusterStmt {
  int nodes = 0;
};

struct ExternalStmt {
  enum class Action { kCreateSchema, kDropSchema, kCreateTable, kAddPartitions, kDropPartitions, kSetLocation,
                      kSetProperties, kRepair, kCrawl } action = Action::kCreateSchema;
  std::string schema, name;  // the schema (kCreateSchema, kDropSchema: in `name`) or the table
  bool if_not_exists = false;
  bool if_exists = false;
  // kCreateSchema / kDropSchema
  std::string database, iam_role, region;
  bool create_database = false, drop_database = false, cascade = false;
  // kCreateTable
  std::vector<ColumnDef> columns, partition_columns;
  std::string row_format;  // "", "delimited", or the SERDE class name
  std::string delimiter;   // ROW FORMAT DELIMITED FIELDS TERMINATED BY
  std::string line_delimiter;
  std::string stored_as;   // lowercased: parquet, textfile, orc, avro, ... or the INPUTFORMAT class
  std::vector<std::pair<std::string, std::string>> serde_properties, table_properties;  // kSetProperties too
  std::string query_text;  // CREATE EXTERNAL TABLE ... AS query
  // kAddPartitions / kDropPartitions / kSetLocation (a partition's when `partitions` has one)
  struct Partition {
    std::vector<std::pair<std::string, std::string>> values;  // (column, value text)
    std::string location;
  };
  std::vector<Partition> partitions;
  std::string location;  // kCreateTable, kSetLocation
  int location_offset = -1;
};

struct InsertStmt {
  std::string schema, name;
  std::vector<std::string> columns;
  enum class Overriding { kNone, kSystemValue, kUserValue } overriding = Overriding::kNone;
  bool default_values = false;         // INSERT ... DEFAULT VALUES (select is then null)
  std::string alias;                   // INSERT INTO t AS alias
  std::vector<SelectItem> returning;   // RETURNING items; empty when none
  std::unique_ptr<SelectStmt> select;  // VALUES lists arrive as SelectStmt::values
  int location = -1;
};

struct CreateViewStmt {
  std::string schema, name;
  bool or_replace = false;
  std::vector<std::string> column_names;
  std::unique_ptr<SelectStmt> query;
  std::string query_text;  // the defining SELECT's text, for catalogs
  bool late_binding = false;  // Redshift's WITH NO SCHEMA BINDING
};

// COPY in Redshift's syntax, and PostgreSQL's for STDIN / STDOUT (sql/copy_parser.h):
//   COPY t [(cols)] FROM 'prefix-or-file' | STDIN [options]
//   COPY t [(cols)] | (query) TO STDOUT [options]
// Options are kept as written, as (lowercased name, value) pairs in order; a flag without a
// value has an empty value. The binder gives them meaning (planner/copy_binder.cpp).
struct CopyStmt {
  std::string schema, name;
  std::vector<std::string> columns;
  bool is_from = true;
  std::string source;        // FROM / TO target text; empty for STDIN / STDOUT
  bool from_stdin = false;   // FROM STDIN
  bool to_stdout = false;    // TO STDOUT
  std::string query_text;    // COPY (query) TO STDOUT
  std::vector<std::pair<std::string, std::string>> options;
  int location = -1;         // of the table name (or the query)
};

// The hidden column that names a row of a table (its slice and ordinal) in DELETE and UPDATE;
// `SELECT *` never shows it.
inline constexpr const char* kRowIdColumnName = "__strata_rowid";

// DELETE FROM t [alias] [USING ...] [WHERE ...], decoded as the query that finds the rows:
// SELECT <t's row id> FROM t [alias], <USING items> WHERE ...
struct DeleteStmt {
  std::string schema, name;
  std::unique_ptr<SelectStmt> select;  // SELECT <row id>[, t.* with RETURNING] ...
  std::vector<SelectItem> returning;   // RETURNING items over the deleted rows; empty when none
  std::string qualifier;               // the target's name or alias, for RETURNING
  int location = -1;
};

// UPDATE t [alias] SET c = e, ... [FROM ...] [WHERE ...], decoded as the query
// SELECT <t's row id>, e1, ..., ek, t.* FROM t [alias], <FROM items> WHERE ...
// where set_columns[i] is the column that targets[1 + i] assigns.
struct UpdateStmt {
  std::string schema, name;
  std::vector<std::string> set_columns;
  std::vector<int> set_locations;
  std::unique_ptr<SelectStmt> select;
  std::vector<SelectItem> returning;   // RETURNING items over the new rows; empty when none
  std::string qualifier;               // the target's name or alias, for RETURNING
  int location = -1;
};

// One WHEN clause of MERGE. Its condition and values are items of MergeStmt::select's list,
// named here by their index in it.
struct MergeClause {
  enum class Action { kUpdate, kDelete, kInsert, kNothing } action = Action::kNothing;
  bool matched = true;                // WHEN MATCHED (else WHEN NOT MATCHED)
  int condition = -1;                 // WHEN ... AND condition: its select item; -1 when none
  // kUpdate: SET's columns; kInsert: INSERT's column list (empty: the table's columns in order).
  std::vector<std::string> columns;
  std::vector<int> column_locations;
  // kUpdate: per SET column, kInsert: per VALUES item, the select item holding the value; -1
  // for DEFAULT. INSERT DEFAULT VALUES has none.
  std::vector<int> values;
  int location = -1;
};

// MERGE INTO t [[AS] alias] USING source [[AS] alias] ON cond WHEN ... (PostgreSQL 15's form,
// of which Redshift's is a subset), and Redshift's MERGE INTO t USING s ON cond REMOVE
// DUPLICATES. Decoded, like UPDATE, as the query whose rows drive the change, the target first:
//   SELECT <t's row id>, <each clause's condition and values>, t.*
//     FROM t [alias] {RIGHT | INNER} JOIN source ON cond
// (INNER when no clause is WHEN NOT MATCHED: only matched rows can act). With REMOVE
// DUPLICATES: SELECT <t's row id>, s.* FROM t RIGHT JOIN source s ON cond.
struct MergeStmt {
  std::string schema, name;
  std::vector<MergeClause> clauses;
  bool remove_duplicates = false;
  std::unique_ptr<SelectStmt> select;
  // The WHEN NOT MATCHED clauses' expressions over the source alone, bound only to refuse a
  // reference to the target there (42P01), as PostgreSQL does. Null when there are none.
  std::unique_ptr<SelectStmt> source_only;
  int location = -1;
};

// Redshift's ALTER TABLE target APPEND FROM source [IGNOREEXTRA | FILLTARGET]
// (sql/maintenance_parser.h; run by server/leader_append.cpp).
struct AppendStmt {
  enum class Extra { kNone, kIgnoreExtra, kFillTarget } extra = Extra::kNone;
  QualifiedName target, source;
};

// ALTER TABLE t ADD [COLUMN] c type [DEFAULT e] | DROP [COLUMN] c | RENAME TO n |
// RENAME [COLUMN] a TO b. One action per statement, as Redshift allows.
struct AlterTableStmt {
  enum class Action { kAddColumn, kDropColumn, kRenameTable, kRenameColumn, kAddConstraint, kDropConstraint, kOwner } action =
      Action::kAddColumn;
  std::string schema, name;
  ColumnDef column;       // kAddColumn
  TableConstraintDef constraint;  // kAddConstraint
  std::string old_name;   // kDropColumn, kRenameColumn, kDropConstraint
  bool if_exists_inner = false;  // DROP COLUMN / DROP CONSTRAINT IF EXISTS
  std::string new_name;   // kRenameTable, kRenameColumn; kOwner: the new owner
  bool if_exists = false;
  int location = -1;
};

// VACUUM [FULL | SORT ONLY | DELETE ONLY | REINDEX] [table] [TO n PERCENT] [BOOST].
struct VacuumStmt {
  enum class Mode { kFull, kSortOnly, kDeleteOnly, kReindex } mode = Mode::kFull;
  std::string schema, name;  // empty name: every table
  int threshold_percent = 95;
  bool analyze = false;  // PostgreSQL's VACUUM ANALYZE: statistics are gathered afterwards
  int location = -1;
};

// UNLOAD ('select ...') TO 's3://prefix' [options], options as for CopyStmt.
struct UnloadStmt {
  std::string query_text;
  std::string target;
  std::vector<std::pair<std::string, std::string>> options;
  int location = -1;         // of the query string
};

// CREATE USER / ALTER USER / DROP USER in Redshift's syntax (sql/user_parser.h).
struct UserStmt {
  enum class Action { kCreate, kAlter, kDrop } action = Action::kCreate;
  std::vector<std::string> names;         // one, except DROP USER a, b
  bool if_exists = false;                 // DROP USER IF EXISTS
  std::optional<std::string> password;    // PASSWORD 'text' (plain, 'md5...' or a SCRAM verifier)
  bool password_disable = false;          // PASSWORD DISABLE (or NULL)
  std::optional<bool> create_db;          // CREATEDB / NOCREATEDB
  std::optional<bool> superuser;          // CREATEUSER / NOCREATEUSER (SUPERUSER / NOSUPERUSER)
  std::string rename_to;                  // ALTER USER a RENAME TO b
  int location = -1;
};

// Privileges, groups and roles (sql/privilege_parser.h, server/leader_privileges.cpp):
//   GRANT | REVOKE [GRANT OPTION FOR] privileges ON object TO | FROM grantees
//     [WITH GRANT OPTION] [CASCADE | RESTRICT]
//   GRANT | REVOKE [ROLE] r [, ...] TO | FROM grantees
//   CREATE GROUP g [[WITH] USER u [, ...]] | ALTER GROUP g ADD | DROP USER u [, ...]
//     | ALTER GROUP g RENAME TO n | DROP GROUP [IF EXISTS] g
//   CREATE ROLE r | ALTER ROLE r RENAME TO n | DROP ROLE [IF EXISTS] r [, ...]
//   ALTER DEFAULT PRIVILEGES [FOR USER u] [IN SCHEMA s] GRANT | REVOKE ... ON TABLES ...
struct PrivilegeStmt {
  enum class Action {
    kGrant, kRevoke, kGrantRole, kRevokeRole, kCreateGroup, kAlterGroupAdd, kAlterGroupDrop, kRenameGroup,
    kDropGroup, kCreateRole, kRenameRole, kDropRole, kDefaultPrivileges,
  } action = Action::kGrant;
  enum class Object { kTable, kAllTablesInSchema, kSchema, kDatabase, kFunction, kAllFunctionsInSchema, kTables } object =
      Object::kTable;
  bool is_grant = true;                  // kDefaultPrivileges: GRANT (else REVOKE)
  bool all_privileges = false;           // ALL [PRIVILEGES]
  std::vector<std::string> privileges;   // upper case: SELECT, INSERT, ...
  std::vector<std::vector<std::string>> privilege_columns;  // per privilege: (a, b), or empty
  std::vector<QualifiedName> objects;    // tables, schemas (in `name`), the database, functions
  std::vector<std::string> grantees;     // user, group or role names; "" = PUBLIC
  std::vector<std::string> names;        // kGrantRole/kRevokeRole: the roles; group/role statements: the group or role
  std::vector<std::string> members;      // CREATE / ALTER GROUP: the users
  std::string new_name;                  // RENAME TO
  bool with_grant_option = false;        // WITH GRANT OPTION (WITH ADMIN OPTION for roles)
  bool grant_option_for = false;         // REVOKE GRANT OPTION FOR
  bool cascade = false;
  bool if_exists = false;
  std::vector<std::string> default_for;  // ALTER DEFAULT PRIVILEGES FOR USER ...; empty: the current user
  std::vector<std::string> default_in;   // ... IN SCHEMA ...; empty: every schema
  int location = -1;
};

// Row-level security and dynamic data masking in Redshift's syntax (sql/policy_parser.h,
// server/leader_policies.cpp):
//   CREATE RLS POLICY p [WITH (col type [, ...]) [[AS] alias]] USING (predicate)
//   CREATE MASKING POLICY p WITH (col type [, ...]) USING (expression)
//   ALTER RLS | MASKING POLICY p USING (...)
//   DROP RLS | MASKING POLICY [IF EXISTS] p [CASCADE | RESTRICT]
//   ATTACH RLS POLICY p ON [TABLE] t [, ...] TO grantee [, ...]
//   ATTACH MASKING POLICY p ON t (col [, ...]) [USING (col [, ...])] TO grantee [PRIORITY n]
//   DETACH ... FROM grantee [, ...]
//   ALTER TABLE t ROW LEVEL SECURITY ON | OFF [CONJUNCTION TYPE AND | OR]
struct PolicyStmt {
  enum class Action { kCreate, kAlter, kDrop, kAttach, kDetach, kTableRls } action = Action::kCreate;
  bool masking = false;                       // MASKING POLICY (else RLS POLICY)
  std::string name;
  std::vector<std::string> columns;           // WITH (col type, ...)
  std::vector<TypeName> column_types;
  std::string alias;                          // RLS: AS alias
  std::string expression;                     // USING (...): the text between the parentheses
  bool if_exists = false;
  bool cascade = false;                       // DROP ... CASCADE: detach it everywhere first
  std::vector<QualifiedName> tables;          // ATTACH / DETACH; kTableRls: the table
  std::vector<std::string> target_columns;    // masking: ON t (cols)
  std::vector<std::string> input_columns;     // masking: USING (cols); empty: the target columns
  std::vector<std::string> grantees;          // "" = PUBLIC
  int priority = 0;                           // masking: PRIORITY n
  bool rls_on = false;                        // kTableRls
  bool conjunction_or = false;                // kTableRls: CONJUNCTION TYPE OR
  bool conjunction_given = false;
  int location = -1;
};

enum class StatementKind {
  kSelect, kCreateTable, kDrop, kInsert, kCreateView, kBegin, kCommit, kRollback, kExplain,
  kSet, kShow, kEmpty, kCopy, kAnalyze, kUnload, kDelete, kUpdate, kTruncate, kAlterTable, kVacuum,
  kAnalyzeCompression, kUser, kDeclareCursor, kFetch, kCloseCursor, kComment, kPrepare, kExecute, kDeallocate,
  kSchema, kLock, kMerge, kAppend, kFunction, kCall, kExternal, kSnapshot, kResizeCluster, kPrivilege, kPolicy,
};

// CREATE [OR REPLACE] FUNCTION | PROCEDURE, DROP FUNCTION | PROCEDURE [IF EXISTS] and CALL
// (server/leader_functions.cpp). The catalog's Function says what a function is.
struct FunctionStmt {
  enum class Action { kCreate, kDrop, kCall } action = Action::kCreate;
  bool procedure = false;
  std::string schema, name;  // kCreate, kCall
  bool or_replace = false;
  std::vector<std::string> arg_names;  // kCreate: "" where none was given
  std::vector<TypeName> arg_types;     // kCreate
  std::vector<int> arg_modes;          // kCreate: 'i' in, 'o' out, 'b' inout (libpg_query's mode)
  std::optional<TypeName> return_type; // kCreate of a function
  std::string volatility;              // kCreate: "v", "s" or "i"; empty when not given
  std::string language;                // kCreate: lowercased; empty when not given
  std::string body;                    // kCreate: the text of AS '...'
  struct Signature {                   // kDrop: DROP FUNCTION name[(types)], ...
    std::string schema, name;
    std::vector<TypeName> arg_types;
    bool args_given = false;           // false for DROP FUNCTION name (no parentheses)
  };
  std::vector<Signature> drops;
  bool if_exists = false;              // kDrop
  std::vector<ExprPtr> call_args;      // kCall
  int location = -1;
};

// COMMENT ON TABLE | VIEW | COLUMN ... IS 'text' | NULL (server/leader_comments.cpp).
struct CommentStmt {
  enum class Object { kTable, kView, kColumn, kSchema } object = Object::kTable;  // kSchema: the name is in `schema`
  std::string schema, table, column;  // schema empty when unqualified; column for kColumn
  std::string text;                   // empty: the comment is removed (IS NULL or IS '')
};

// DECLARE name [BINARY] [NO SCROLL] CURSOR [WITH HOLD] FOR query / FETCH / MOVE / CLOSE
// (server/leader_cursors.cpp). Cursors only go forward.
struct CursorStmt {
  static constexpr int64_t kAll = INT64_MAX;  // FETCH ALL
  std::string name;                  // case folded like an identifier; empty: CLOSE ALL
  bool with_hold = false;            // DECLARE ... WITH HOLD
  bool binary = false;               // DECLARE BINARY (results are still sent as text)
  int64_t count = 1;                 // FETCH / MOVE: rows wanted, kAll for ALL
  bool move = false;                 // MOVE: skip the rows instead of returning them
  std::unique_ptr<Statement> query;  // DECLARE: the SELECT
};

struct Statement {
  StatementKind kind = StatementKind::kEmpty;
  std::string text;  // this statement's own text (without the trailing ';')
  std::unique_ptr<SelectStmt> select;
  std::unique_ptr<CreateTableStmt> create_table;
  std::unique_ptr<DropStmt> drop;
  std::unique_ptr<InsertStmt> insert;
  std::unique_ptr<CreateViewStmt> create_view;
  std::unique_ptr<CopyStmt> copy;
  std::unique_ptr<UnloadStmt> unload;
  std::unique_ptr<DeleteStmt> del;
  std::unique_ptr<UpdateStmt> update;
  std::unique_ptr<MergeStmt> merge;    // kMerge
  std::unique_ptr<AppendStmt> append;  // kAppend
  std::unique_ptr<AlterTableStmt> alter;
  std::unique_ptr<VacuumStmt> vacuum;
  std::unique_ptr<UserStmt> user;  // kUser
  std::unique_ptr<CommentStmt> comment;  // kComment
  std::unique_ptr<SchemaStmt> schema;    // kSchema
  std::unique_ptr<FunctionStmt> function;  // kFunction, kCall
  std::unique_ptr<ExternalStmt> external;  // kExternal
  std::unique_ptr<SnapshotStmt> snapshot;  // kSnapshot
  std::unique_ptr<ResizeClusterStmt> resize;  // kResizeCluster
  std::unique_ptr<PrivilegeStmt> privilege;  // kPrivilege
  std::unique_ptr<PolicyStmt> policy;        // kPolicy
  std::vector<QualifiedName> truncate_tables;  // kTruncate; kLock: the tables to lock
  int lock_mode = 8;  // kLock: PostgreSQL's lock mode number, 1 ACCESS SHARE .. 8 ACCESS EXCLUSIVE
  std::vector<QualifiedName> analyze_tables;  // kAnalyze, kAnalyzeCompression: empty = every table
  std::vector<std::string> analyze_columns;   // ANALYZE t (cols)
  std::unique_ptr<Statement> explained;  // kExplain
  bool explain_analyze = false;
  std::string set_name;   // kSet / kShow: lowercased name
  std::string set_value;  // kSet: value as text (unquoted)
  // kSet of SET TRANSACTION / SET SESSION CHARACTERISTICS with more than one mode, and kBegin's
  // modes (BEGIN ISOLATION LEVEL x, READ ONLY): further (name, value) pairs set the same way.
  std::vector<std::pair<std::string, std::string>> set_more;
  bool set_default = false;  // kSet: SET x TO DEFAULT / RESET x / RESET ALL (set_name "all")
  bool set_local = false;    // kSet: SET LOCAL (until the end of the transaction)
  std::unique_ptr<CursorStmt> cursor;  // kDeclareCursor, kFetch, kCloseCursor
  // SQL-level prepared statements (server/leader_prepared.cpp): kPrepare, kExecute and
  // kDeallocate name one (empty for DEALLOCATE ALL); PREPARE gives the statement and the types
  // of its $n, EXECUTE the values.
  std::string prepared_name;
  std::unique_ptr<Statement> prepared;
  std::vector<TypeName> prepare_types;
  std::vector<ExprPtr> execute_args;
};

}  // namespace strata::ast
