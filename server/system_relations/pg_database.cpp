// pg_database: Strata's one database, dev (oid 1).
#include "catalog/catalog_privileges.h"
#include "planner/pg_catalog_tables.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  RowWriter w(out);
  const catalog::Catalog& meta = ctx.cat.meta();
  CatalogValue acl = kNullValue;
  if (meta.database_acl_set()) {
    google::protobuf::RepeatedPtrField<catalog::AclEntry> entries;
    for (const auto& e : EffectiveDatabaseAcl(meta)) *entries.Add() = e;
    acl = S(AclText(entries, "", kDatabasePrivileges, true));
  }
  w.Add({I(1), S("dev"), I(kBootstrapUserOid), I(6), S("c"), B(false), B(true), I(-1), I(0), I(0), I(1663), S("C.UTF-8"),
         S("C.UTF-8"), kNullValue, kNullValue, acl});
}

const SystemRelationRegistrar kPgDatabase(
    "pg_database", 1262,
    "oid:o datname:n datdba:o encoding:i datlocprovider:c datistemplate:b datallowconn:b datconnlimit:i "
    "datfrozenxid:o datminmxid:o dattablespace:o datcollate:t datctype:t daticulocale:t datcollversion:t "
    "datacl:A",
    Rows);

}  // namespace
}  // namespace strata
