// Redshift's views of row-level security and masking policies (server/leader_policies.cpp):
//   svv_rls_policy               every RLS policy, its columns and predicate
//   svv_rls_attached_policy      each attachment of an RLS policy to a table and grantee
//   svv_rls_relation             every table with its RLS switch and conjunction type
//   svv_rls_applied_policy       the RLS policies that apply to the reading user, per table
//   svv_masking_policy           every masking policy
//   svv_attached_masking_policy  each attachment of a masking policy to a table's columns
// Only superusers (who manage policies) see them all; others see the rows of their own
// attachments.
#include "catalog/catalog_privileges.h"
#include "catalog/catalog_store.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/shared_rows.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

std::string Join(const google::protobuf::RepeatedPtrField<std::string>& names) {
  std::string out = "[";
  for (const auto& n : names) out += (out.size() > 1 ? "," : "") + ("\"" + n + "\"");
  return out + "]";
}

bool Sees(const SystemRelationContext& ctx, const catalog::PolicyAttachment& a) {
  return ctx.viewer_is_superuser || PrincipalsOf(ctx.cat.meta(), ctx.viewer).count(a.grantee()) > 0;
}

std::string GranteeKind(const CatalogVersion& cat, const std::string& grantee) {
  if (grantee.empty()) return "public";
  const catalog::Role* r = FindRole(cat.meta(), grantee);
  return r == nullptr ? "user" : r->is_group() ? "group" : "role";
}

void Policies(const SystemRelationContext& ctx, Batch* out, bool masking) {
  if (!ctx.viewer_is_superuser) return;
  RowBuilder rb(out);
  for (const auto& p : ctx.cat.meta().policies()) {
    if (p.masking() != masking) continue;
    size_t c = 0;
    rb.Str(c++, ctx.Database());
    rb.Str(c++, p.name());
    if (!masking) rb.Str(c++, p.alias(), p.alias().empty());
    rb.Str(c++, Join(p.columns()));
    rb.Str(c++, p.expression());
    if (!masking) rb.Bool(c++, true);
    rb.Str(c++, p.owner());
    rb.Timestamp(c++, p.modified_micros());
    rb.EndRow();
  }
}

void RlsPolicies(const SystemRelationContext& ctx, Batch* out) { Policies(ctx, out, false); }
void MaskingPolicies(const SystemRelationContext& ctx, Batch* out) { Policies(ctx, out, true); }

void RlsAttached(const SystemRelationContext& ctx, Batch* out) {
  RowBuilder rb(out);
  for (const auto& a : ctx.cat.meta().policy_attachments()) {
    if (a.masking() || !Sees(ctx, a)) continue;
    const catalog::Table* t = FindTableById(ctx.cat, a.table_id());
    if (t == nullptr) continue;
    rb.Str(0, t->schema());
    rb.Str(1, t->name());
    rb.Str(2, "table");
    rb.Str(3, a.policy());
    rb.Str(4, a.grantor());
    rb.Str(5, a.grantee().empty() ? "public" : a.grantee());
    rb.Str(6, GranteeKind(ctx.cat, a.grantee()));
    rb.Bool(7, true);
    rb.Bool(8, t->rls_enabled());
    rb.Str(9, t->rls_conjunction_or() ? "or" : "and");
    rb.EndRow();
  }
}

void RlsRelations(const SystemRelationContext& ctx, Batch* out) {
  RowBuilder rb(out);
  for (const auto& t : ctx.cat.tables()) {
    if (t.is_view() || t.has_external()) continue;
    rb.Str(0, ctx.Database());
    rb.Str(1, t.schema());
    rb.Str(2, t.name());
    rb.Bool(3, t.rls_enabled());
    rb.Str(4, t.rls_conjunction_or() ? "or" : "and");
    rb.EndRow();
  }
}

void RlsApplied(const SystemRelationContext& ctx, Batch* out) {
  RowBuilder rb(out);
  const std::set<std::string> principals = PrincipalsOf(ctx.cat.meta(), ctx.viewer);
  for (const auto& a : ctx.cat.meta().policy_attachments()) {
    if (a.masking() || !principals.count(a.grantee())) continue;
    const catalog::Table* t = FindTableById(ctx.cat, a.table_id());
    if (t == nullptr || !t->rls_enabled()) continue;
    rb.Str(0, ctx.viewer);
    rb.Str(1, ctx.Database());
    rb.Str(2, t->schema());
    rb.Str(3, t->name());
    rb.Str(4, a.policy());
    rb.EndRow();
  }
}

void MaskingAttached(const SystemRelationContext& ctx, Batch* out) {
  RowBuilder rb(out);
  for (const auto& a : ctx.cat.meta().policy_attachments()) {
    if (!a.masking() || !Sees(ctx, a)) continue;
    const catalog::Table* t = FindTableById(ctx.cat, a.table_id());
    if (t == nullptr) continue;
    rb.Str(0, a.policy());
    rb.Str(1, ctx.Database());
    rb.Str(2, t->schema());
    rb.Str(3, t->name());
    rb.Str(4, Join(a.columns()));
    rb.Str(5, Join(a.input_columns().empty() ? a.columns() : a.input_columns()));
    rb.Int(6, a.priority());
    rb.Str(7, a.grantee().empty() ? "public" : a.grantee());
    rb.Str(8, GranteeKind(ctx.cat, a.grantee()));
    rb.EndRow();
  }
}

const SystemRelationRegistrar kSvvRlsPolicy("svv_rls_policy", kNotInPgClass,
                                            {{"poldb", SqlType::Varchar(128)},
                                             {"polname", SqlType::Varchar(128)},
                                             {"polalias", SqlType::Varchar(128)},
                                             {"polatts", SqlType::Varchar(65535)},
                                             {"polqual", SqlType::Varchar(65535)},
                                             {"polenabled", SqlType::Bool()},
                                             {"polmodifiedby", SqlType::Varchar(128)},
                                             {"polmodifiedtime", SqlType::Timestamp()}},
                                            RlsPolicies);

const SystemRelationRegistrar kSvvRlsAttached("svv_rls_attached_policy", kNotInPgClass,
                                              {{"relschema", SqlType::Varchar(128)},
                                               {"relname", SqlType::Varchar(128)},
                                               {"relkind", SqlType::Varchar(16)},
                                               {"polname", SqlType::Varchar(128)},
                                               {"grantor", SqlType::Varchar(128)},
                                               {"grantee", SqlType::Varchar(128)},
                                               {"granteekind", SqlType::Varchar(16)},
                                               {"is_pol_on", SqlType::Bool()},
                                               {"is_rls_on", SqlType::Bool()},
                                               {"rls_conjuntion_type", SqlType::Varchar(4)}},
                                              RlsAttached);

const SystemRelationRegistrar kSvvRlsRelation("svv_rls_relation", kNotInPgClass,
                                              {{"datname", SqlType::Varchar(128)},
                                               {"relschema", SqlType::Varchar(128)},
                                               {"relname", SqlType::Varchar(128)},
                                               {"is_rls_on", SqlType::Bool()},
                                               {"rls_conjunction_type", SqlType::Varchar(4)}},
                                              RlsRelations);

const SystemRelationRegistrar kSvvRlsApplied("svv_rls_applied_policy", kNotInPgClass,
                                             {{"username", SqlType::Varchar(128)},
                                              {"datname", SqlType::Varchar(128)},
                                              {"relschema", SqlType::Varchar(128)},
                                              {"relname", SqlType::Varchar(128)},
                                              {"polname", SqlType::Varchar(128)}},
                                             RlsApplied);

const SystemRelationRegistrar kSvvMaskingPolicy("svv_masking_policy", kNotInPgClass,
                                                {{"poldb", SqlType::Varchar(128)},
                                                 {"polname", SqlType::Varchar(128)},
                                                 {"polatts", SqlType::Varchar(65535)},
                                                 {"polexpr", SqlType::Varchar(65535)},
                                                 {"polmodifiedby", SqlType::Varchar(128)},
                                                 {"polmodifiedtime", SqlType::Timestamp()}},
                                                MaskingPolicies);

const SystemRelationRegistrar kSvvAttachedMasking("svv_attached_masking_policy", kNotInPgClass,
                                                  {{"policy_name", SqlType::Varchar(128)},
                                                   {"database_name", SqlType::Varchar(128)},
                                                   {"schema_name", SqlType::Varchar(128)},
                                                   {"table_name", SqlType::Varchar(128)},
                                                   {"output_columns", SqlType::Varchar(65535)},
                                                   {"input_columns", SqlType::Varchar(65535)},
                                                   {"priority", SqlType::Int32()},
                                                   {"grantee", SqlType::Varchar(128)},
                                                   {"grantee_type", SqlType::Varchar(16)}},
                                                  MaskingAttached);

}  // namespace
}  // namespace strata
