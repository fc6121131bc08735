// pg_auth_members: who belongs to which group or role (CREATE GROUP ... WITH USER, ALTER GROUP
// ... ADD USER, GRANT ROLE), one row per membership, as psql's \du "Member of" reads it; and
// pg_group, Redshift's (and PostgreSQL's old) view of the groups with their members' ids.
#include "catalog/catalog_privileges.h"
#include "planner/pg_catalog_tables.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Members(const SystemRelationContext& ctx, Batch* out) {
  RowWriter w(out);
  for (const auto& r : ctx.cat.meta().roles()) {
    for (const auto& m : r.members()) {
      w.Add({I(r.id()), I(RoleOid(ctx.cat, m)), I(RoleOid(ctx.cat, r.owner())), B(false)});
    }
  }
}

void Groups(const SystemRelationContext& ctx, Batch* out) {
  RowWriter w(out);
  for (const auto& r : ctx.cat.meta().roles()) {
    if (!r.is_group()) continue;
    std::string list = "{";
    for (const auto& m : r.members()) list += (list.size() > 1 ? "," : "") + std::to_string(RoleOid(ctx.cat, m));
    w.Add({S(r.name()), I(r.id()), S(list + "}")});
  }
}

const SystemRelationRegistrar kPgAuthMembers("pg_auth_members", 1261, "roleid:o member:o grantor:o admin_option:b", Members);
const SystemRelationRegistrar kPgGroup("pg_group", 12012, "groname:n grosysid:o grolist:O", Groups);

}  // namespace
}  // namespace strata
