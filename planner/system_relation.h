// The system relations: pg_catalog's tables, information_schema's views, Redshift's
// stv_/stl_/svv_/svl_ tables and pg_table_def, each defined once, by one file under
// server/system_relations/ that registers its name, oid, columns and row producer here. The
// binder looks a relation's shape up by name; the leader runs its producer when a statement
// reads it; pg_class and pg_attribute list the relations that have an oid.
//
// The registrations are static objects in an object library (strata_system_relations), linked
// straight into every executable that binds or reads system relations: a static library's
// unreferenced registration objects would be dropped by the linker. A binary without it sees
// no system relations at all.
//
// Column types follow PostgreSQL where Strata has the type: oid, regproc and xid columns are
// BIGINT, name is VARCHAR(128), "char" is CHAR(1), and an array column (oid[], text[],
// int2vector) is TEXT holding PostgreSQL's array literal ("{1,2}"), which is how Strata carries
// arrays, typed as its array type (SqlType::Array) so that clients are told what it is.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "planner/logical_plan.h"
#include "sql/vector.h"

namespace strata {

// What a producer reads (the catalog version, the cluster, the leader's logs, the reading
// session): defined by the leader in server/system_relations/system_relation_context.h.
struct SystemRelationContext;

// Appends the relation's rows to `out`, whose columns already have the relation's types.
using SystemRowProducer = void (*)(const SystemRelationContext& ctx, Batch* out);

// The oid of a relation pg_class does not list.
inline constexpr int64_t kNotInPgClass = 0;

struct SystemRelation {
  // As a query names it: "pg_class" for pg_catalog's (found unqualified too), and
  // "information_schema.<name>" for information_schema's (only found qualified).
  std::string name;
  // Its pg_class oid (pg_class is 1259, as in PostgreSQL); kNotInPgClass for the relations
  // pg_class does not list (Redshift's stv_/stl_/svl_ tables, pg_stats, pg_stat_activity).
  int64_t oid = 0;
  std::vector<OutputColumn> columns;
  // nullptr: the relation never has rows.
  SystemRowProducer produce = nullptr;
  // A query that inner-joins it is answered as empty without binding its select list
  // (planner/empty_query.h); only for relations without a producer.
  bool empty_without_binding = false;
};

// The relation a query names `name` (see SystemRelation::name), nullptr when there is none.
const SystemRelation* FindSystemRelation(const std::string& name);

// Every registered relation, by oid (those not in pg_class first), then by name.
const std::vector<const SystemRelation*>& AllSystemRelations();

// The relation's rows, produced for the reading statement: an empty batch of its column types
// when it has no producer.
Batch SystemRelationRows(const SystemRelation& rel, const SystemRelationContext& ctx);

// The pg_class oid of system relation `name`, -1 when there is none or pg_class does not list it.
int64_t SystemRelationOid(const std::string& name);

// Registers a relation at static initialization; a second relation with the same name or oid
// aborts the program at startup. The columns are given either as a list or in the compact
// form "name:code name:code ...", the code being the column's type:
//   o oid / regproc / xid (BIGINT)   n name (VARCHAR(128))   c "char" (CHAR(1))   b boolean
//   s smallint   i integer   l bigint   f real   t text   T timestamp   Z timestamp with time zone
//   v Redshift's VARCHAR(256) (character_data and the svv_ views)
//   arrays, carried as their text (sql/array_types.h): a text[]   A aclitem[]   2 int2[]
//   O oid[]   C "char"[]   V int2vector   W oidvector
class SystemRelationRegistrar {
 public:
  struct EmptyWithoutBinding {};
  SystemRelationRegistrar(const char* name, int64_t oid, const char* columns, SystemRowProducer produce);
  SystemRelationRegistrar(const char* name, int64_t oid, std::initializer_list<OutputColumn> columns,
                          SystemRowProducer produce);
  // A relation that never has rows and whose inner joins are answered without binding.
  SystemRelationRegistrar(const char* name, int64_t oid, const char* columns, EmptyWithoutBinding);
};

// The columns of a compact "name:code ..." list (see SystemRelationRegistrar).
std::vector<OutputColumn> ParseSystemColumns(const char* columns);

}  // namespace strata
