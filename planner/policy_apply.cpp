// Applying RLS and masking policies to a table read (see policy_apply.h).
#include "planner/policy_apply.h"

#include <map>

#include "catalog/catalog_privileges.h"
#include "planner/bind_helpers.h"
#include "planner/expr_binder.h"
#include "planner/expr_builder.h"
#include "sql/error.h"
#include "sql/parser.h"

namespace strata {
namespace {

const catalog::Policy* FindPolicy(const catalog::Catalog& meta, const std::string& name, bool masking) {
  for (const auto& p : meta.policies()) {
    if (p.name() == name && p.masking() == masking) return &p;
  }
  return nullptr;
}

// The policy's expression bound over the table's columns: its WITH column k reads table column
// `ordinals[k]`; nothing else of the table is visible to it.
plan::Expr BindPolicyExpression(const catalog::Policy& p, const catalog::Table& t, const std::vector<int>& ordinals,
                                BindState* state) {
  std::vector<ast::Statement> parsed = ParseSql("SELECT (" + p.expression() + ")");
  if (parsed.size() != 1 || parsed[0].kind != ast::StatementKind::kSelect || parsed[0].select->targets.size() != 1) {
    throw SqlError(sqlstate::kDataCorrupted, StrCat("the expression of policy \"", p.name(), "\" is not one expression"));
  }
  Scope scope;
  for (int c = 0; c < t.columns_size(); ++c) {
    scope.columns.push_back({"\x01", "\x01" + t.columns(c).name(), FromProtoType(t.columns(c).type())});
  }
  const std::string qualifier = p.alias().empty() ? t.name() : p.alias();
  for (size_t k = 0; k < ordinals.size() && k < static_cast<size_t>(p.columns_size()); ++k) {
    scope.columns[ordinals[k]].qualifier = qualifier;
    scope.columns[ordinals[k]].name = p.columns(static_cast<int>(k));
  }
  BindState policy_state;
  policy_state.catalog = state->catalog;
  policy_state.session = state->session;
  ExprBinder binder(scope, &policy_state, nullptr, "POLICY");
  try {
    return binder.Bind(*parsed[0].select->targets[0].expr);
  } catch (const SqlError& e) {
    // The position is in the policy's text, not the statement's: it is dropped.
    SqlError out(e.sqlstate(), StrCat(e.message(), " (in policy \"", p.name(), "\")"));
    if (!e.hint().empty()) out.WithHint(e.hint());
    throw out;
  }
}

LogicalPtr Filtered(LogicalPtr child, plan::Expr predicate) {
  auto n = std::make_unique<LogicalNode>();
  n->kind = LogicalKind::kFilter;
  n->columns = child->columns;
  n->estimated_rows = child->estimated_rows;
  n->predicate = std::move(predicate);
  n->has_predicate = true;
  n->children.push_back(std::move(child));
  return n;
}

int ColumnOrdinal(const catalog::Table& t, const std::string& name) {
  for (int c = 0; c < t.columns_size(); ++c) {
    if (t.columns(c).name() == name) return c;
  }
  return -1;
}

}  // namespace

void CheckPolicyExpression(const catalog::Policy& p, const CatalogVersion& cat, const SessionValues* session) {
  catalog::Table own;
  own.set_name(p.alias().empty() ? p.name() : p.alias());
  std::vector<int> ordinals;
  for (int i = 0; i < p.columns_size(); ++i) {
    catalog::Column* c = own.add_columns();
    c->set_name(p.columns(i));
    *c->mutable_type() = p.column_types(i);
    ordinals.push_back(i);
  }
  BindState state;
  state.catalog = &cat;
  state.session = session;
  plan::Expr e = BindPolicyExpression(p, own, ordinals, &state);
  SqlType type = ExprType(e);
  if (!p.masking() && type.id != TypeId::kBool && type.id != TypeId::kNull) {
    throw SqlError(sqlstate::kDatatypeMismatch, StrCat("the predicate of RLS policy \"", p.name(), "\" must be boolean, not ", type.ToString()));
  }
}

LogicalPtr ApplyPolicies(const catalog::Table& t, LogicalPtr scan, BindState* state, bool mask) {
  if (state == nullptr || state->session == nullptr || state->catalog == nullptr) return scan;
  const catalog::Catalog& meta = state->catalog->meta();
  if (meta.policy_attachments().empty() && !t.rls_enabled()) return scan;
  const std::string& user = state->session->user.empty() ? std::string(kBootstrapUserName) : state->session->user;
  const std::set<std::string> principals = PrincipalsOf(meta, user);
  if (t.rls_enabled() && !IsSuperuserName(meta, user)) {
    std::vector<plan::Expr> predicates;
    std::set<std::string> seen;
    for (const auto& a : meta.policy_attachments()) {
      if (a.masking() || a.table_id() != t.id() || !principals.count(a.grantee()) || !seen.insert(a.policy()).second) continue;
      const catalog::Policy* p = FindPolicy(meta, a.policy(), false);
      if (p == nullptr) continue;
      std::vector<int> ordinals;
      for (const auto& c : p->columns()) ordinals.push_back(ColumnOrdinal(t, c));
      if (std::find(ordinals.begin(), ordinals.end(), -1) != ordinals.end()) {
        throw SqlError(sqlstate::kUndefinedColumn, StrCat("policy \"", p->name(), "\" reads a column table \"", t.name(), "\" no longer has"));
      }
      predicates.push_back(CoerceTo(BindPolicyExpression(*p, t, ordinals, state), SqlType::Bool()));
    }
    plan::Expr allowed;
    if (predicates.empty()) {
      allowed = CastExpr(Int64Literal(0, SqlType::Bool()), SqlType::Bool());  // no policy: no rows
    } else {
      allowed = std::move(predicates[0]);
      for (size_t i = 1; i < predicates.size(); ++i) {
        allowed = CallExpr(t.rls_conjunction_or() ? plan::OR : plan::AND, SqlType::Bool(), {std::move(allowed), std::move(predicates[i])});
      }
    }
    scan = Filtered(std::move(scan), std::move(allowed));
  }
  if (!mask) return scan;
  // Per column, the masking attachment of the highest priority that names the user.
  std::map<int, const catalog::PolicyAttachment*> masks;
  for (const auto& a : meta.policy_attachments()) {
    if (!a.masking() || a.table_id() != t.id() || !principals.count(a.grantee())) continue;
    for (const auto& c : a.columns()) {
      int ordinal = ColumnOrdinal(t, c);
      if (ordinal < 0) continue;
      auto [it, fresh] = masks.try_emplace(ordinal, &a);
      if (!fresh && a.priority() > it->second->priority()) it->second = &a;
    }
  }
  if (masks.empty()) return scan;
  std::vector<plan::Expr> exprs;
  std::vector<OutputColumn> cols = scan->columns;
  for (size_t c = 0; c < scan->columns.size(); ++c) exprs.push_back(ColumnExpr(static_cast<int>(c), scan->columns[c].type));
  for (const auto& [ordinal, a] : masks) {
    const catalog::Policy* p = FindPolicy(meta, a->policy(), true);
    if (p == nullptr) continue;
    std::vector<int> inputs;
    const auto& names = a->input_columns().empty() ? a->columns() : a->input_columns();
    for (const auto& n : names) inputs.push_back(ColumnOrdinal(t, n));
    if (std::find(inputs.begin(), inputs.end(), -1) != inputs.end()) continue;
    const catalog::Column& col = t.columns(ordinal);
    exprs[ordinal] = AssignTo(BindPolicyExpression(*p, t, inputs, state), FromProtoType(col.type()), col.name());
  }
  return ProjectNodeOver(std::move(scan), std::move(exprs), std::move(cols));
}

}  // namespace strata
