// pg_class: one row per user table and view, one per index PostgreSQL would build for a PRIMARY
// KEY or UNIQUE constraint (relkind 'i', see KeyIndexOid), then one per system relation with an
// oid (pg_catalog's as tables, information_schema's as views). Redshift's reldiststyle comes
// after PostgreSQL's columns, as Redshift places it.
#include <algorithm>
#include <set>

#include "planner/pg_catalog_tables.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"
#include "catalog/catalog_privileges.h"
#include "catalog/table_styles.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  const CatalogVersion& cat = ctx.cat;
  RowWriter w(out);
  std::vector<std::string> schemas = UserSchemas(cat);
  auto add = [&](int64_t oid, const std::string& name, int64_t ns, char kind, int natts, double tuples, int dist,
                 bool triggers, bool has_index = false, const catalog::Table* table = nullptr) {
    // relacl: NULL until something is granted (the owner's rights only), then the ACL with the
    // owner's entry first, as PostgreSQL shows it.
    CatalogValue acl = kNullValue;
    if (table != nullptr && (table->acl_set() || !table->acl().empty())) acl = S(AclText(table->acl(), table->owner(), kTablePrivileges, true));
    w.Add({I(oid), S(name), I(ns), I(0), I(0), I(table != nullptr ? RoleOid(cat, table->owner()) : kBootstrapUserOid), I(kind == 'r' ? 2 : kind == 'i' ? 403 : 0), I(oid), I(0),
           I(0), F(tuples), I(0), I(0), B(has_index), B(false), S("p"), S(std::string(1, kind)), I(natts), I(0),
           B(false), B(triggers), B(false), B(table != nullptr && table->rls_enabled()), B(false), B(true), S(ns == kPgCatalogNamespaceOid ? "n" : "d"), B(false),
           I(0), I(0), I(0), acl, kNullValue, kNullValue, I(dist)});
  };
  // PostgreSQL implements foreign keys with triggers on both tables, and psql's \d lists a
  // table's foreign keys and referencing tables only when relhastriggers says so.
  std::set<int64_t> in_foreign_keys;
  for (const auto& t : cat.tables()) {
    for (const auto& c : t.constraints()) {
      if (!IsForeignKey(c)) continue;
      in_foreign_keys.insert(t.id());
      in_foreign_keys.insert(c.ref_table_id());
    }
  }
  for (const auto& t : cat.tables()) {
    add(TableOid(t.id()), t.name(), NamespaceOid(t.schema(), schemas), t.is_view() ? 'v' : 'r', t.columns_size(),
        t.is_view() ? 0.0 : static_cast<double>(t.rows()), t.is_view() ? 0 : RedshiftDistStyleId(t.dist_style()),
        in_foreign_keys.count(t.id()) > 0,
        std::any_of(t.constraints().begin(), t.constraints().end(), [](const auto& c) { return !IsForeignKey(c); }), &t);
    for (int i = 0; i < t.constraints_size(); ++i) {
      const catalog::Constraint& c = t.constraints(i);
      if (IsForeignKey(c)) continue;
      add(KeyIndexOid(t.id(), i), c.name(), NamespaceOid(t.schema(), schemas), 'i', c.columns_size(), 0, 0, false);
    }
  }
  const std::string kInfo = "information_schema.";
  for (const SystemRelation* rel : AllSystemRelations()) {
    if (rel->oid == kNotInPgClass) continue;
    int natts = static_cast<int>(rel->columns.size());
    if (rel->name.rfind(kInfo, 0) == 0) {
      add(rel->oid, rel->name.substr(kInfo.size()), kInformationSchemaNamespaceOid, 'v', natts, 0, 0, false);
    } else {
      add(rel->oid, rel->name, kPgCatalogNamespaceOid, 'r', natts, 0, 0, false);
    }
  }
}

const SystemRelationRegistrar kPgClass(
    "pg_class", 1259,
    "oid:o relname:n relnamespace:o reltype:o reloftype:o relowner:o relam:o relfilenode:o reltablespace:o "
    "relpages:i reltuples:f relallvisible:i reltoastrelid:o relhasindex:b relisshared:b relpersistence:c "
    "relkind:c relnatts:s relchecks:s relhasrules:b relhastriggers:b relhassubclass:b relrowsecurity:b "
    "relforcerowsecurity:b relispopulated:b relreplident:c relispartition:b relrewrite:o relfrozenxid:o "
    "relminmxid:o relacl:A reloptions:a relpartbound:t reldiststyle:i",
    Rows);

}  // namespace
}  // namespace strata
