// Checking the privileges a bound statement needs (see privilege_check.h).
#include "planner/privilege_check.h"

#include "catalog/catalog_privileges.h"
#include "catalog/catalog_store.h"
#include "planner/expr_binder.h"
#include "sql/error.h"

namespace strata {
namespace {

[[noreturn]] void Denied(const catalog::Table& t) {
  const char* kind = t.is_view() ? "view" : "table";
  throw SqlError(sqlstate::kInsufficientPrivilege, StrCat("permission denied for ", kind, " ", t.name()));
}

// Every column of `columns` has `privilege`, by a table grant or its own.
bool ColumnsAllowed(const CatalogVersion& cat, const catalog::Table& t, const std::string& user, uint32_t table_held,
                    const std::set<int>& columns, uint32_t privilege) {
  if (table_held & privilege) return true;
  for (int c : columns) {
    if ((ColumnPrivilegesOf(cat, t, c, user) & privilege) == 0) return false;
  }
  return true;
}

}  // namespace

int AddRelationAccess(BindState* state, const catalog::Table& t) {
  if (state == nullptr || state->session == nullptr || state->session->user.empty()) return -1;
  RelationAccess a;
  a.table_id = t.id();
  a.user = state->privilege_user.empty() ? state->session->user : state->privilege_user;
  state->accesses.push_back(std::move(a));
  return static_cast<int>(state->accesses.size()) - 1;
}

void CheckFunctionExecute(const CatalogVersion& cat, const BindState* state, const catalog::Function& f, int location) {
  if (state == nullptr || state->session == nullptr || state->session->user.empty()) return;
  const std::string& user = state->privilege_user.empty() ? state->session->user : state->privilege_user;
  if (FunctionPrivilegesOf(cat.meta(), f, user) & kPrivExecute) return;
  FailAt(sqlstate::kInsufficientPrivilege,
         StrCat("permission denied for ", f.is_procedure() ? "procedure " : "function ", f.name()), location);
}

void MarkColumnRead(BindState* state, const ScopeColumn& c) {
  if (state == nullptr || c.access < 0 || c.access >= static_cast<int>(state->accesses.size())) return;
  state->accesses[c.access].select_columns.insert(c.ordinal);
}

void CheckRelationAccesses(const CatalogVersion& cat, const std::vector<RelationAccess>& accesses) {
  for (const RelationAccess& a : accesses) {
    if (IsSuperuserName(cat.meta(), a.user)) continue;
    const catalog::Table* t = FindTableById(cat, a.table_id);
    if (t == nullptr) continue;
    if (!t->temporary() && (SchemaPrivilegesOf(cat, t->schema(), a.user) & kPrivUsage) == 0) {
      throw SqlError(sqlstate::kInsufficientPrivilege, StrCat("permission denied for schema ", t->schema()));
    }
    // An external table's rows are the files of its schema's location: USAGE on the schema is
    // what lets a user read them, as in Redshift.
    if (t->has_external()) continue;
    const uint32_t held = TablePrivilegesOf(cat, *t, a.user);
    if ((held & a.table_privileges) != a.table_privileges) Denied(*t);
    if (!ColumnsAllowed(cat, *t, a.user, held, a.select_columns, kPrivSelect) ||
        !ColumnsAllowed(cat, *t, a.user, held, a.insert_columns, kPrivInsert) ||
        !ColumnsAllowed(cat, *t, a.user, held, a.update_columns, kPrivUpdate)) {
      Denied(*t);
    }
    if (a.select_any && a.select_columns.empty() && (held & kPrivSelect) == 0) {
      bool any = false;
      for (int c = 0; c < t->columns_size() && !any; ++c) any = (ColumnPrivilegesOf(cat, *t, c, a.user) & kPrivSelect) != 0;
      if (!any) Denied(*t);
    }
  }
}

}  // namespace strata
