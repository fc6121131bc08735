// The object ids and names PostgreSQL's catalog uses as Strata presents it: user table, schema,
// constraint and type oids, Redshift's encoding and distribution-style ids. The system relations
// themselves (their names, oids, columns and rows) are registered in planner/system_relation.h,
// one file each under server/system_relations/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog_version.h"

namespace strata {

// Object ids. User tables and views: 16384 + table id, as PostgreSQL's first user oid.
inline constexpr int64_t kFirstUserOid = 16384;
inline constexpr int64_t kPgCatalogNamespaceOid = 11;
inline constexpr int64_t kPublicNamespaceOid = 2200;
inline constexpr int64_t kInformationSchemaNamespaceOid = 13000;
inline constexpr int64_t kBootstrapUserOid = 10;
inline int64_t TableOid(int64_t table_id) { return kFirstUserOid + table_id; }
// The oid of the index-th constraint of a table (pg_constraint.oid), apart from relation oids.
inline int64_t ConstraintOid(int64_t table_id, int index) { return 1000000000 + table_id * 1000 + index; }
// The oid of the index PostgreSQL would build for the index-th constraint of a table when it is
// a PRIMARY KEY or UNIQUE one: pg_class lists it (relkind 'i') as its conindid, so that clients
// can name a foreign key's referenced key (pgjdbc's getImportedKeys). Strata has no indexes
// behind them, so pg_index stays empty.
inline int64_t KeyIndexOid(int64_t table_id, int index) { return ConstraintOid(table_id, index) + 500; }
// The schemas holding user tables other than public, sorted: the `user_schemas` below.
std::vector<std::string> UserSchemas(const CatalogVersion& cat);
// The oid of schema `name` among `user_schemas` (schemas holding user tables, sorted): fixed
// for pg_catalog, public and information_schema, 16000 + position for the others.
int64_t NamespaceOid(const std::string& name, const std::vector<std::string>& user_schemas);
// The oid of a user, group or role by name (an owner's "" is the bootstrap superuser, 10).
int64_t RoleOid(const CatalogVersion& cat, const std::string& name);
// The type oid for a type name as written in a cast to regtype ("integer", "int4", "varchar"),
// -1 when unknown.
int64_t TypeOidByName(const std::string& name);
// The oid PostgreSQL 15 gives function `name` (unqualified) for a cast to regproc
// ('pg_catalog.array_in'::regproc): the input and output functions pg_type names, -1 for others.
int64_t ProcOidByName(const std::string& name);

// Redshift's column encoding ids, as pg_attribute.attencodingtype holds them and
// format_encoding(id) names them: 0 none (RAW), 1 bytedict, 2 delta, 3 delta32k, 4 lzo,
// 5 mostly8, 6 mostly16, 7 mostly32, 8 runlength, 9 text255, 10 text32k, 11 zstd, 12 az64;
// 128 is also "none" (Redshift's flag for a raw column whose encoding it may still choose).
// The id of a Strata encoding name ("raw", "az64", ... as storage/encoding.h spells them), 0
// for an unknown one.
int RedshiftEncodingId(std::string_view strata_encoding_name);
// The name format_encoding() returns for `id`, nullptr for an id Redshift has no encoding for.
const char* RedshiftEncodingName(int64_t id);
// Redshift's pg_class.reldiststyle for a table's DISTSTYLE: EVEN 0, KEY 1, ALL 8, AUTO 9.
int RedshiftDistStyleId(catalog::DistStyle style);

}  // namespace strata
