// CREATE / ALTER / DROP / ATTACH / DETACH RLS and MASKING POLICY, and ALTER TABLE ... ROW LEVEL
// SECURITY, on the leader. Policies and their attachments live in the catalog's meta and commit
// whole like groups and roles (a concurrent change of them fails one transaction with 40001);
// a table's RLS switch is part of the table. Only superusers manage policies, as Redshift's
// security administrators; a table's owner may switch its RLS. Where they apply:
// planner/policy_apply.h.
#include <algorithm>

#include "catalog/catalog_privileges.h"
#include "catalog/catalog_store.h"
#include "planner/expr_builder.h"
#include "planner/name_resolution.h"
#include "planner/policy_apply.h"
#include "planner/clock_functions.h"
#include "server/leader_session.h"
#include "sql/error.h"
#include "sql/parser.h"

namespace strata {
namespace {

using Stmt = ast::PolicyStmt;

const char* Kind(bool masking) { return masking ? "masking policy" : "RLS policy"; }

catalog::Policy* FindMutablePolicy(catalog::Catalog* meta, const std::string& name, bool masking) {
  for (auto& p : *meta->mutable_policies()) {
    if (p.name() == name && p.masking() == masking) return &p;
  }
  return nullptr;
}


}  // namespace

StatementResult LeaderSession::RunPolicy(const Stmt& p) {
  using A = Stmt::Action;
  return InTransaction([&](StatementResult& r) {
    const CatalogVersion& cat = txn_->catalog.Read();
    if (p.action == A::kTableRls) {
      r.command_tag = "ALTER TABLE";
      const ast::QualifiedName& q = p.tables[0];
      const catalog::Table* found = LookupTable(cat, &session_values_, q.schema, q.name);
      if (found == nullptr || found->is_view() || found->has_external()) {
        throw SqlError(sqlstate::kUndefinedTable, StrCat("relation \"", q.name, "\" does not exist"));
      }
      if (!OwnsObject(cat.meta(), found->owner(), user_)) {
        throw SqlError(sqlstate::kInsufficientPrivilege, StrCat("must be owner of table ", found->name()));
      }
      catalog::Table* t = LockForWrite(found->id(), found->name(), /*reads_table=*/false);
      t->set_rls_enabled(p.rls_on);
      if (p.conjunction_given) t->set_rls_conjunction_or(p.conjunction_or);
      return;
    }
    if (!IsSuperuserName(cat.meta(), user_)) {
      throw SqlError(sqlstate::kInsufficientPrivilege, StrCat("permission denied: only a superuser may manage ", p.masking ? "masking policies" : "RLS policies"));
    }
    catalog::Catalog* meta = txn_->catalog.EditMeta();
    txn_->catalog.SecurityChanged();
    switch (p.action) {
      case A::kCreate: {
        r.command_tag = p.masking ? "CREATE MASKING POLICY" : "CREATE RLS POLICY";
        if (FindMutablePolicy(meta, p.name, p.masking) != nullptr) {
          throw SqlError(sqlstate::kDuplicateObject, StrCat(Kind(p.masking), " \"", p.name, "\" already exists"));
        }
        if (p.masking && p.columns.empty()) throw SqlError(sqlstate::kSyntaxError, "a masking policy needs WITH (columns)");
        // The expression must at least parse; it binds against each table it is attached to.
        std::vector<ast::Statement> parsed = ParseSql("SELECT (" + p.expression + ")");
        if (parsed.size() != 1 || parsed[0].kind != ast::StatementKind::kSelect) {
          throw SqlError(sqlstate::kSyntaxError, "the USING clause must be one expression");
        }
        catalog::Policy* added = meta->add_policies();
        added->set_name(p.name);
        added->set_masking(p.masking);
        for (size_t i = 0; i < p.columns.size(); ++i) {
          *added->add_columns() = p.columns[i];
          *added->add_column_types() = ToProtoType(ResolveTypeName(p.column_types[i]));
        }
        added->set_alias(p.alias);
        added->set_expression(p.expression);
        added->set_owner(user_);
        added->set_modified_micros(ClockMicros());
        CheckPolicyExpression(*added, cat, &session_values_);
        return;
      }
      case A::kAlter: {
        r.command_tag = p.masking ? "ALTER MASKING POLICY" : "ALTER RLS POLICY";
        catalog::Policy* found = FindMutablePolicy(meta, p.name, p.masking);
        if (found == nullptr) throw SqlError(sqlstate::kUndefinedObject, StrCat(Kind(p.masking), " \"", p.name, "\" does not exist"));
        found->set_expression(p.expression);
        found->set_modified_micros(ClockMicros());
        CheckPolicyExpression(*found, cat, &session_values_);
        return;
      }
      case A::kDrop: {
        r.command_tag = p.masking ? "DROP MASKING POLICY" : "DROP RLS POLICY";
        auto* policies = meta->mutable_policies();
        auto at = std::find_if(policies->begin(), policies->end(),
                               [&](const catalog::Policy& x) { return x.name() == p.name && x.masking() == p.masking; });
        if (at == policies->end()) {
          if (p.if_exists) {
            r.notices.push_back(StrCat(Kind(p.masking), " \"", p.name, "\" does not exist, skipping"));
            return;
          }
          throw SqlError(sqlstate::kUndefinedObject, StrCat(Kind(p.masking), " \"", p.name, "\" does not exist"));
        }
        policies->erase(at);
        auto* attached = meta->mutable_policy_attachments();
        auto gone = std::remove_if(attached->begin(), attached->end(), [&](const catalog::PolicyAttachment& a) {
          return a.policy() == p.name && a.masking() == p.masking;
        });
        if (gone != attached->end() && !p.cascade) {
          throw SqlError(sqlstate::kDependentObjectsStillExist, StrCat("cannot drop ", Kind(p.masking), " \"", p.name, "\" because it is attached to a table"))
              .WithHint("Detach it first, or use DROP ... CASCADE.");
        }
        attached->erase(gone, attached->end());
        return;
      }
      case A::kAttach:
      case A::kDetach: {
        const bool attach = p.action == A::kAttach;
        r.command_tag = StrCat(attach ? "ATTACH " : "DETACH ", p.masking ? "MASKING POLICY" : "RLS POLICY");
        const catalog::Policy* policy = FindMutablePolicy(meta, p.name, p.masking);
        if (policy == nullptr) throw SqlError(sqlstate::kUndefinedObject, StrCat(Kind(p.masking), " \"", p.name, "\" does not exist"));
        CheckGrantees(p.grantees);
        for (const auto& q : p.tables) {
          const catalog::Table* t = LookupTable(cat, &session_values_, q.schema, q.name);
          if (t == nullptr || t->is_view() || t->has_external()) {
            throw SqlError(sqlstate::kUndefinedTable, StrCat("relation \"", q.name, "\" does not exist"));
          }
          auto has_column = [&](const std::string& n) {
            return std::any_of(t->columns().begin(), t->columns().end(), [&](const catalog::Column& c) { return c.name() == n; });
          };
          const std::vector<std::string>& reads =
              p.masking ? (p.input_columns.empty() ? p.target_columns : p.input_columns)
                        : std::vector<std::string>(policy->columns().begin(), policy->columns().end());
          for (const auto& c : p.target_columns) {
            if (!has_column(c)) throw SqlError(sqlstate::kUndefinedColumn, StrCat("column \"", c, "\" of relation \"", t->name(), "\" does not exist"));
          }
          for (const auto& c : reads) {
            if (!has_column(c)) throw SqlError(sqlstate::kUndefinedColumn, StrCat("column \"", c, "\" of relation \"", t->name(), "\" does not exist"));
          }
          if (p.masking && static_cast<int>(reads.size()) != policy->columns_size()) {
            throw SqlError(sqlstate::kInvalidParameterValue,
                           StrCat("masking policy \"", p.name, "\" takes ", policy->columns_size(), " input columns, not ", reads.size()));
          }
          for (const std::string& grantee : p.grantees) {
            auto* attached = meta->mutable_policy_attachments();
            auto same = [&](const catalog::PolicyAttachment& a) {
              return a.policy() == p.name && a.masking() == p.masking && a.table_id() == t->id() && a.grantee() == grantee &&
                     (!p.masking || std::vector<std::string>(a.columns().begin(), a.columns().end()) == p.target_columns);
            };
            auto at = std::find_if(attached->begin(), attached->end(), same);
            if (attach) {
              if (at != attached->end()) {
                throw SqlError(sqlstate::kDuplicateObject, StrCat(Kind(p.masking), " \"", p.name, "\" is already attached to \"",
                                                                  t->name(), "\" for ", grantee.empty() ? "PUBLIC" : grantee));
              }
              catalog::PolicyAttachment* a = meta->add_policy_attachments();
              a->set_policy(p.name);
              a->set_masking(p.masking);
              a->set_table_id(t->id());
              a->set_grantee(grantee);
              for (const auto& c : p.target_columns) *a->add_columns() = c;
              for (const auto& c : p.input_columns) *a->add_input_columns() = c;
              a->set_priority(p.priority);
              a->set_grantor(user_);
            } else {
              if (at == attached->end()) {
                throw SqlError(sqlstate::kUndefinedObject, StrCat(Kind(p.masking), " \"", p.name, "\" is not attached to \"", t->name(),
                                                                  "\" for ", grantee.empty() ? "PUBLIC" : grantee));
              }
              attached->erase(at);
            }
          }
        }
        return;
      }
      default:
        return;
    }
  });
}

}  // namespace strata
