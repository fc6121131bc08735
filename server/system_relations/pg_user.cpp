// pg_user: the same users as pg_roles (the bootstrap user strata, then CREATE USER's), in
// pg_user's shape.
#include "planner/pg_catalog_tables.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  RowWriter w(out);
  auto add = [&](int64_t oid, const std::string& user, bool super, bool createdb) {
    w.Add({S(user), I(oid), B(createdb || super), B(super), B(false), B(super), S("********"), kNullValue, kNullValue});
  };
  add(kBootstrapUserOid, "strata", true, true);
  for (const auto& u : ctx.cat.users()) add(u.id(), u.name(), u.superuser(), u.create_db());
}

const SystemRelationRegistrar kPgUser(
    "pg_user", 12011,
    "usename:n usesysid:o usecreatedb:b usesuper:b userepl:b usebypassrls:b passwd:t valuntil:T useconfig:a", Rows);

}  // namespace
}  // namespace strata
