// pg_namespace: pg_catalog, public and information_schema, then the schemas holding user tables,
// with their owners and privileges.
#include "catalog/catalog_privileges.h"
#include "catalog/catalog_store.h"
#include "planner/pg_catalog_tables.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  RowWriter w(out);
  const catalog::Catalog& meta = ctx.cat.meta();
  // nspacl: the owner's rights, then what is granted (public: USAGE and CREATE to PUBLIC, as in
  // Redshift, until changed); NULL for a schema with the owner's rights only.
  auto add = [&](int64_t oid, const std::string& name) {
    const catalog::Schema* entry = FindSchema(meta, name);
    const std::string owner = entry != nullptr ? entry->owner() : "";
    google::protobuf::RepeatedPtrField<catalog::AclEntry> acl;
    for (const auto& e : EffectiveSchemaAcl(meta, name)) *acl.Add() = e;
    // pg_catalog's and information_schema's built-in USAGE for PUBLIC is not shown (pg_dump
    // would grant it again), as PostgreSQL records it in pg_init_privs rather than as a change.
    const bool builtin = name == "pg_catalog" || name == "information_schema";
    bool shown = (!acl.empty() && !builtin) || (entry != nullptr && entry->acl_set());
    w.Add({I(oid), S(name), I(RoleOid(ctx.cat, owner)), shown ? S(AclText(acl, owner, kSchemaPrivileges, true)) : kNullValue});
  };
  add(kPgCatalogNamespaceOid, "pg_catalog");
  add(kPublicNamespaceOid, "public");
  add(kInformationSchemaNamespaceOid, "information_schema");
  std::vector<std::string> schemas = UserSchemas(ctx.cat);
  for (const auto& s : schemas) add(NamespaceOid(s, schemas), s);
}

const SystemRelationRegistrar kPgNamespace("pg_namespace", 2615, "oid:o nspname:n nspowner:o nspacl:A", Rows);

}  // namespace
}  // namespace strata
