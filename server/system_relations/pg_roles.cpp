// pg_roles: the bootstrap user strata, then CREATE USER's users (passwords show as ********),
// then groups and roles (CREATE GROUP / CREATE ROLE), which cannot log in.
#include "planner/pg_catalog_tables.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  RowWriter w(out);
  auto add = [&](int64_t oid, const std::string& user, bool super, bool createdb, bool login = true) {
    w.Add({S(user), B(super), B(true), B(super), B(createdb || super), B(login), B(false), I(-1), S("********"), kNullValue,
           B(super), kNullValue, I(oid)});
  };
  add(kBootstrapUserOid, "strata", true, true);
  for (const auto& u : ctx.cat.users()) add(u.id(), u.name(), u.superuser(), u.create_db());
  for (const auto& r : ctx.cat.meta().roles()) add(r.id(), r.name(), false, false, /*login=*/false);
}

const SystemRelationRegistrar kPgRoles(
    "pg_roles", 12010,
    "rolname:n rolsuper:b rolinherit:b rolcreaterole:b rolcreatedb:b rolcanlogin:b rolreplication:b "
    "rolconnlimit:i rolpassword:t rolvaliduntil:T rolbypassrls:b rolconfig:a oid:o",
    Rows);

}  // namespace
}  // namespace strata
