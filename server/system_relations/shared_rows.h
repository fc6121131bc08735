// What several system relations' producers compute alike: column defaults and sort-key
// positions (pg_attrdef, pg_attribute, pg_table_def, information_schema.columns, svv_columns),
// the SQL standard's description of a type (information_schema.columns, svv_columns), the
// constraints as information_schema lists them (table_constraints, key_column_usage), the
// block-list request for every table (stv_blocklist, svv_table_info), and the user ids and
// clock the session tables show (pg_stat_activity, stv_recents, stv_inflight,
// svl_query_summary).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "server/rpc.pb.h"
#include "server/system_relations/row_writer.h"
#include "sql/types.h"
#include "catalog/catalog_version.h"

namespace strata {

// A column default as pg_get_expr prints it: a constant as its literal ('x'::character
// varying, 42), anything else in Strata's expression text; "" without a default.
std::string ColumnDefaultText(const catalog::Column& c);
// As above for column `c` of table `t`; a serial column shows PostgreSQL's
// nextval('t_c_seq'::regclass), as PostgreSQL shows the default it makes for one.
std::string ColumnDefaultText(const catalog::Table& t, const catalog::Column& c);
// True when the catalogs show a default for `c` (its DEFAULT, or a serial column's nextval).
bool ShowsDefault(const catalog::Column& c);
// PostgreSQL's attidentity: 'a' (ALWAYS), 'd' (BY DEFAULT) or "" — a serial column is shown as
// PostgreSQL shows one, with a default and no identity.
const char* IdentityKind(const catalog::Column& c);

// The column's place in the table's sort key as pg_table_def.sortkey and
// pg_attribute.attsortkeyord show it: 0 when not in it, 1-based for a compound key, and for an
// interleaved key alternately positive and negative (1, -2, 3, ...), as Redshift shows it.
int SortKeyOrdinal(const catalog::Table& t, int column);

// A Strata type as the SQL standard describes it: character varying(n) has
// character_maximum_length n; an integer has binary precision 16/32/64 with radix 2 and scale 0;
// numeric(p,s) decimal precision p, radix 10, scale s; real / double precision binary precision
// 24 / 53; date and timestamps a datetime_precision (0 for date, 6 otherwise).
struct StandardType {
  std::string data_type;  // information_schema.columns.data_type
  std::string udt;        // PostgreSQL's type name (udt_name)
  CatalogValue char_len = kNullValue, precision = kNullValue, radix = kNullValue, scale = kNullValue,
               dt_precision = kNullValue;
};
StandardType DescribeStandardType(const SqlType& type);

// pg_type's typalign and typstorage for type `oid` (pg_type.cpp), which pg_attribute repeats as
// attalign and attstorage: PostgreSQL's values ('i' / 'x' for a type pg_type does not list).
char PgTypeAlign(int64_t oid);
char PgTypeStorage(int64_t oid);

// The table with id `id`, nullptr when there is none.
const catalog::Table* TableById(const CatalogVersion& cat, int64_t id);

// A constraint as information_schema shows it: one row of table_constraints, and one row of
// key_column_usage per column of a PRIMARY KEY, UNIQUE or FOREIGN KEY constraint.
struct TableConstraint {
  std::string schema, table, name;
  std::string type;                  // "PRIMARY KEY", "UNIQUE", "FOREIGN KEY" or "CHECK"
  std::vector<std::string> columns;  // in key order
  // FOREIGN KEY: for each column, its 1-based position in the referenced unique constraint.
  std::vector<int> referenced_positions;
};

// The constraints of the user tables in `cat`, table by table: the declared ones in their order,
// then the NOT NULL checks (which PostgreSQL lists for every NOT NULL column).
std::vector<TableConstraint> TableConstraints(const CatalogVersion& cat);


// The id of user `user` (1, the bootstrap superuser, for one the catalog does not know).
int64_t UserIdOf(const CatalogVersion& cat, const std::string& user);

// Whether the reading user may see table `t` listed (information_schema, svv_table_info): a
// superuser, its owner, or one holding any privilege on it or on one of its columns — as
// PostgreSQL's information_schema shows only the tables the user has some privilege on.
bool ViewerMaySee(const CatalogVersion& cat, const std::string& viewer, bool viewer_is_superuser,
                  const catalog::Table& t);

// Now, in microseconds since 2000-01-01 (a timestamp column's value).
int64_t NowMicros2000();

}  // namespace strata
