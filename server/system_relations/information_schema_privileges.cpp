// information_schema.table_privileges and information_schema.column_privileges: one row per
// privilege held on a user table or view (column_privileges: on each column, a table-wide grant
// counting for every column, as PostgreSQL lists them) — its owner's implicit ones first, then
// every GRANT (catalog/catalog_privileges.h), PUBLIC as "PUBLIC". As in PostgreSQL a user sees
// the rows whose grantor or grantee is itself, a group or role it is in, or PUBLIC; a superuser
// sees every row.
#include "catalog/catalog_privileges.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

// The bits of `mask`, lowest first.
std::vector<uint32_t> Bits(uint32_t mask) {
  std::vector<uint32_t> out;
  for (uint32_t b = 1; b != 0 && b <= mask; b <<= 1) {
    if (mask & b) out.push_back(b);
  }
  return out;
}

struct Grant {
  std::string grantor, grantee;
  uint32_t privileges, grant_options;
};

// A table's grants with its owner's implicit one first; `kinds` limits the privileges.
std::vector<Grant> GrantsOf(const catalog::Table& t, const google::protobuf::RepeatedPtrField<catalog::AclEntry>& acl,
                            uint32_t kinds, bool with_owner) {
  std::vector<Grant> out;
  const std::string owner = OwnerName(t.owner());
  if (with_owner) out.push_back({owner, owner, kinds, kinds});
  for (const auto& e : acl) out.push_back({e.grantor().empty() ? owner : e.grantor(), e.grantee(), e.privileges() & kinds, e.grant_options() & kinds});
  return out;
}

// Whether the viewer may see a row of this grantor and grantee.
bool Visible(const SystemRelationContext& ctx, const std::set<std::string>& mine, const Grant& g) {
  return ctx.viewer_is_superuser || mine.count(g.grantor) > 0 || mine.count(g.grantee) > 0;
}

std::string GranteeName(const std::string& g) { return g.empty() ? "PUBLIC" : g; }

void TableRows(const SystemRelationContext& ctx, Batch* out) {
  RowWriter w(out);
  const std::string db = ctx.Database();
  const std::set<std::string> mine = PrincipalsOf(ctx.cat.meta(), ctx.viewer);
  for (const auto& t : ctx.cat.tables()) {
    if (t.temporary() || t.has_external()) continue;
    for (const Grant& g : GrantsOf(t, t.acl(), kTablePrivileges, true)) {
      if (!Visible(ctx, mine, g)) continue;
      for (uint32_t bit : Bits(g.privileges)) {
        w.Add({S(g.grantor), S(GranteeName(g.grantee)), S(db), S(t.schema()), S(t.name()), S(PrivilegeName(bit)),
               S(g.grant_options & bit ? "YES" : "NO"), S(bit == kPrivSelect ? "YES" : "NO")});
      }
    }
  }
}

void ColumnRows(const SystemRelationContext& ctx, Batch* out) {
  RowWriter w(out);
  const std::string db = ctx.Database();
  const std::set<std::string> mine = PrincipalsOf(ctx.cat.meta(), ctx.viewer);
  for (const auto& t : ctx.cat.tables()) {
    if (t.temporary() || t.has_external()) continue;
    const std::vector<Grant> table_wide = GrantsOf(t, t.acl(), kColumnPrivileges, true);
    for (const auto& c : t.columns()) {
      std::vector<Grant> grants = table_wide;
      for (const Grant& g : GrantsOf(t, c.acl(), kColumnPrivileges, false)) grants.push_back(g);
      for (const Grant& g : grants) {
        if (!Visible(ctx, mine, g)) continue;
        for (uint32_t bit : Bits(g.privileges)) {
          w.Add({S(g.grantor), S(GranteeName(g.grantee)), S(db), S(t.schema()), S(t.name()), S(c.name()),
                 S(PrivilegeName(bit)), S(g.grant_options & bit ? "YES" : "NO")});
        }
      }
    }
  }
}

const SystemRelationRegistrar kTablePrivilegesView(
    "information_schema.table_privileges", 12051,
    "grantor:n grantee:n table_catalog:n table_schema:n table_name:n privilege_type:t is_grantable:t with_hierarchy:t",
    TableRows);

const SystemRelationRegistrar kColumnPrivilegesView(
    "information_schema.column_privileges", 12052,
    "grantor:n grantee:n table_catalog:n table_schema:n table_name:n column_name:n privilege_type:t is_grantable:t",
    ColumnRows);

}  // namespace
}  // namespace strata
