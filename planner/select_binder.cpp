#include "planner/select_binder.h"

#include "planner/external_scan_plan.h"

#include <algorithm>

#include "catalog/catalog_privileges.h"
#include "planner/expr_builder.h"
#include "planner/policy_apply.h"
#include "planner/selectivity.h"
#include "planner/set_operation_binder.h"
#include "planner/sort_limit.h"
#include "planner/table_functions.h"
#include "planner/empty_query.h"
#include "planner/system_relation.h"
#include "sql/array_types.h"
#include "sql/error.h"
#include "sql/nesting_limit.h"
#include "sql/parser.h"
#include "catalog/catalog_store.h"
#include "storage/slice_reader.h"
#include "planner/join_order.h"
#include "planner/type_coercion.h"
#include "planner/set_returning_binder.h"
#include "planner/window_binder.h"
#include "planner/name_resolution.h"
#include "planner/pg_catalog_tables.h"

namespace strata {

namespace {

void SplitAstConjuncts(const ast::Expr* e, std::vector<const ast::Expr*>* out);

LogicalPtr MakeNode(LogicalKind kind) {
  auto n = std::make_unique<LogicalNode>();
  n->kind = kind;
  return n;
}

LogicalPtr Wrap(LogicalKind kind, LogicalPtr child) {
  auto n = MakeNode(kind);
  n->columns = child->columns;
  n->estimated_rows = child->estimated_rows;
  n->children.push_back(std::move(child));
  return n;
}

LogicalPtr FilterNode(LogicalPtr child, plan::Expr pred) {
  auto n = Wrap(LogicalKind::kFilter, std::move(child));
  n->predicate = std::move(pred);
  n->has_predicate = true;
  n->estimated_rows = std::max(1.0, n->estimated_rows * FilterSelectivity(n->predicate, *n->children[0]));
  return n;
}

LogicalPtr ProjectNode(LogicalPtr child, std::vector<plan::Expr> exprs, std::vector<OutputColumn> cols) {
  auto n = MakeNode(LogicalKind::kProject);
  n->estimated_rows = child->estimated_rows;
  n->children.push_back(std::move(child));
  n->exprs = std::move(exprs);
  n->columns = std::move(cols);
  return n;
}

// One AND call over all conjuncts (not a chain of binary ANDs, which would nest as deep as the
// list is long).
plan::Expr AndAll(std::vector<plan::Expr> conj) {
  if (conj.size() == 1) return std::move(conj[0]);
  return CallExpr(plan::AND, SqlType::Bool(), std::move(conj));
}

std::string DefaultColumnName(const ast::Expr& e) {
  switch (e.kind) {
    case ast::ExprKind::kColumnRef: return e.names.back();
    case ast::ExprKind::kFuncCall:
      if (e.func_name == "approximate_count") return "count";
      if (e.func_name == "_cvt_") return "convert";  // CONVERT(type, x) (sql/redshift_dialect.cpp)
      if (e.func_name == "_arr_" || e.func_name == "pg_array_text") return "array";  // ARRAY(...), ARRAY[...]
      // a ~ b and SIMILAR TO arrive as these calls; PostgreSQL names operators ?column?.
      if (e.func_name == "textregexeq" || e.func_name == "texticregexeq") return "?column?";
      // x[i] is named after x, (x).field and a SUPER path after the last field, as in PostgreSQL.
      if (e.func_name == "pg_array_element" && !e.args.empty()) return DefaultColumnName(*e.args[0]);
      if (e.func_name.rfind("(field).", 0) == 0) return e.func_name.substr(8);
      return e.func_name;
    case ast::ExprKind::kCast: {
      std::string inner = DefaultColumnName(*e.args[0]);
      if (inner != "?column?") return inner;
      const std::string& t = e.cast_type.name;
      if (t == "int4") return "int4";
      return t;
    }
    case ast::ExprKind::kCase: return "case";
    case ast::ExprKind::kExists: return "exists";
    case ast::ExprKind::kSubquery: {
      // PostgreSQL names a scalar subquery's column after the subquery's own first column.
      if (e.op == "ARRAY") return "array";
      const ast::SelectStmt* q = e.subquery.get();
      while (q != nullptr && q->op != ast::SetOp::kNone) q = q->larg.get();
      if (q != nullptr && !q->values.empty()) return "column1";
      if (q == nullptr || q->targets.empty() || !q->targets[0].expr) return "?column?";
      if (!q->targets[0].alias.empty()) return q->targets[0].alias;
      return q->targets[0].expr->kind == ast::ExprKind::kStar ? std::string("?column?") : DefaultColumnName(*q->targets[0].expr);
    }
    default: return "?column?";
  }
}

}  // namespace

std::string OutputColumnName(const ast::Expr& e) { return DefaultColumnName(e); }

void SplitConjuncts(plan::Expr e, std::vector<plan::Expr>* out) {
  if (e.has_call() && e.call().op() == plan::AND) {
    for (auto& a : *e.mutable_call()->mutable_args()) SplitConjuncts(std::move(a), out);
  } else {
    out->push_back(std::move(e));
  }
}

LogicalPtr SelectBinder::BindLateral(const ast::TableRef& ref, const Scope& before, Scope* scope,
                                     std::vector<OuterBinding>* reads) {
  OuterScope frame;
  frame.scope = &before;
  LogicalPtr sub;
  {
    OuterScopeGuard guard(params_, &frame);
    sub = BindFrom(ref, scope);
  }
  *reads = std::move(frame.bindings);
  return sub;
}

LogicalPtr SelectBinder::BindNamedQuery(const ast::SelectStmt& q, const std::vector<std::string>& names,
                                        const std::string& qualifier, Scope* scope) {
  LogicalPtr sub = BindQuery(q);
  if (names.size() > sub->columns.size()) {
    FailAt(sqlstate::kInvalidColumnReference,
         StrCat("\"", qualifier, "\" has ", sub->columns.size(), " columns available but ", names.size(), " columns specified"),
         q.location);
  }
  for (size_t i = 0; i < names.size(); ++i) sub->columns[i].name = names[i];
  for (const auto& c : sub->columns) scope->columns.push_back({qualifier, c.name, c.type});
  return sub;
}

LogicalPtr SelectBinder::BindTable(const ast::TableRef& ref, Scope* scope) {
  if (!ref.column_names.empty()) FailAt(sqlstate::kFeatureNotSupported, "column alias lists in FROM are not supported yet", ref.location);
  std::string qualifier = ref.alias.empty() ? ref.name : ref.alias;
  if (ref.schema.empty()) {
    for (auto it = ctes_.rbegin(); it != ctes_.rend(); ++it) {
      auto c = it->find(ref.name);
      if (c != it->end()) return BindCteReference(*c->second, qualifier, scope, ref.location);
    }
  }
  // System relations: pg_catalog's (found unqualified too, as pg_catalog is searched first) and
  // information_schema's (only qualified).
  std::string sys_name = ref.schema == "information_schema" ? "information_schema." + ref.name : ref.name;
  const SystemRelation* sys = FindSystemRelation(sys_name);
  if (sys != nullptr && (ref.schema.empty() || ref.schema == "pg_catalog" || ref.schema == "information_schema")) {
    auto n = MakeNode(LogicalKind::kSystemTable);
    n->system_table = sys_name;
    n->columns = sys->columns;
    n->estimated_rows = 100;
    for (const auto& c : sys->columns) scope->columns.push_back({qualifier, c.name, c.type, sys->oid});
    return n;
  }
  const catalog::Table* t = LookupTable(catalog_, params_->session, ref.schema, ref.name);
  if (t == nullptr) FailAt(sqlstate::kUndefinedTable, StrCat("relation \"", ref.name, "\" does not exist"), ref.location);
  // What the statement reads of the table is checked when binding ends (planner/privilege_check.h);
  // the row an UPDATE, DELETE or MERGE changes needs no SELECT unless a column of it is read.
  const int access = AddRelationAccess(params_, *t);
  if (access >= 0 && t->id() != row_id_table_) params_->accesses[access].select_any = true;
  auto mark_columns = [&](size_t first) {
    for (size_t i = first, ordinal = 0; i < scope->columns.size(); ++i, ++ordinal) {
      scope->columns[i].access = access;
      scope->columns[i].ordinal = static_cast<int>(ordinal);
    }
  };
  if (t->is_view()) {
    if (++view_depth_ > 32) FailAt(sqlstate::kFeatureNotSupported, "views nest too deeply", ref.location);
    std::vector<ast::Statement> parsed = ParseSql(t->view_sql());
    if (parsed.size() != 1 || parsed[0].kind != ast::StatementKind::kSelect) {
      FailAt(sqlstate::kDataCorrupted, StrCat("the definition of view \"", t->name(), "\" is not a query"), ref.location);
    }
    std::vector<std::string> names;
    for (const auto& c : t->columns()) names.push_back(c.name());
    // A late-binding view's columns are whatever its query has now (with its own names, if given).
    if (t->late_binding()) names.assign(t->view_column_names().begin(), t->view_column_names().end());
    // The view's names resolve along the search_path it was created under, and never to the
    // reader's temporary tables (only a temporary view reads its own session's).
    SessionValues view_session = params_->session != nullptr ? *params_->session : SessionValues{};
    std::map<std::string, std::string> view_settings;
    if (view_session.settings != nullptr) view_settings = *view_session.settings;
    if (!t->view_search_path().empty()) view_settings["search_path"] = t->view_search_path();
    else view_settings.erase("search_path");
    view_session.settings = &view_settings;
    if (!t->temporary()) view_session.temp_schema.clear();
    // Its query reads what it reads with its owner's privileges, as in PostgreSQL.
    struct Restore {
      BindState* state;
      const SessionValues* saved;
      std::string saved_user;
      ~Restore() {
        state->session = saved;
        state->privilege_user = saved_user;
      }
    } restore{params_, params_->session, params_->privilege_user};
    params_->session = &view_session;
    params_->privilege_user = OwnerName(t->owner());
    const size_t first = scope->columns.size();
    LogicalPtr v = BindNamedQuery(*parsed[0].select, names, qualifier, scope);
    mark_columns(first);
    --view_depth_;
    return v;
  }
  if (t->has_external()) {
    const size_t first = scope->columns.size();
    LogicalPtr e = BindExternalTable(*t, qualifier, scope);
    mark_columns(first);
    return e;
  }
  auto n = MakeNode(LogicalKind::kScan);
  n->table = *t;
  n->estimated_rows = std::max<double>(1, t->rows());
  for (int i = 0; i < t->columns_size(); ++i) {
    const auto& c = t->columns(i);
    n->scan_columns.push_back(i);
    n->columns.push_back({c.name(), FromProtoType(c.type())});
    scope->columns.push_back({qualifier, c.name(), FromProtoType(c.type()), TableOid(t->id())});
    scope->columns.back().access = access;
    scope->columns.back().ordinal = i;
  }
  const bool dml_target = t->id() == row_id_table_;
  if (dml_target) {
    row_id_table_ = -1;
    n->scan_columns.push_back(kRowIdColumn);
    n->columns.push_back({ast::kRowIdColumnName, SqlType::Int64()});
    scope->columns.push_back({qualifier, ast::kRowIdColumnName, SqlType::Int64()});
  }
  // Row-level security and masking (planner/policy_apply.h); an UPDATE or DELETE sees only the
  // rows RLS lets it, and writes real values, never masked ones.
  return ApplyPolicies(*t, std::move(n), params_, /*mask=*/!dml_target);
}

LogicalPtr SelectBinder::BindFrom(const ast::TableRef& ref, Scope* scope) {
  NestingGuard guard(NestingGuard::Kind::kExpression);
  switch (ref.kind) {
    case ast::TableRef::Kind::kTable: return BindTable(ref, scope);
    case ast::TableRef::Kind::kPivot: return BindPivot(ref, scope);
    case ast::TableRef::Kind::kFunction: {
      LogicalPtr n = BindTableFunction(ref, params_);
      std::string qualifier = ref.alias.empty() ? ref.name : ref.alias;
      for (const auto& c : n->columns) scope->columns.push_back({qualifier, c.name, c.type});
      return n;
    }
    case ast::TableRef::Kind::kSubquery:
      return BindNamedQuery(*ref.subquery, {}, ref.alias, scope);
    case ast::TableRef::Kind::kJoin: {
      Scope left_scope, right_scope;
      LogicalPtr left = BindFrom(*ref.left, &left_scope);
      std::vector<OuterBinding> reads;
      // A function in FROM is LATERAL without the word, as in PostgreSQL.
      const bool lateral = ref.right->lateral || ref.right->kind == ast::TableRef::Kind::kFunction;
      LogicalPtr right = lateral ? BindLateral(*ref.right, left_scope, &right_scope, &reads)
                                 : BindFrom(*ref.right, &right_scope);
      if (!reads.empty() && ref.join_type != ast::JoinType::kInner && ref.join_type != ast::JoinType::kCross &&
          ref.join_type != ast::JoinType::kLeft) {
        FailAt(sqlstate::kInvalidColumnReference,
               "invalid reference to FROM-clause entry: the combining JOIN type must be INNER or LEFT for a LATERAL reference",
               ref.location);
      }
      auto j = MakeNode(reads.empty() ? LogicalKind::kJoin : LogicalKind::kDependentJoin);
      j->correlation = std::move(reads);
      j->columns = left->columns;
      j->columns.insert(j->columns.end(), right->columns.begin(), right->columns.end());
      j->estimated_rows = std::max(left->estimated_rows, right->estimated_rows);
      switch (ref.join_type) {
        case ast::JoinType::kInner: case ast::JoinType::kCross: j->join_type = plan::INNER; break;
        case ast::JoinType::kLeft: j->join_type = plan::LEFT; break;
        case ast::JoinType::kRight: j->join_type = plan::RIGHT; break;
        case ast::JoinType::kFull: j->join_type = plan::FULL; break;
      }
      Scope both;
      both.columns = left_scope.columns;
      both.columns.insert(both.columns.end(), right_scope.columns.begin(), right_scope.columns.end());
      int nleft = static_cast<int>(left->columns.size());
      std::vector<plan::Expr> conj;
      std::vector<const ast::Expr*> with_subquery;  // INNER JOIN ... ON conditions over subqueries
      if (ref.on) {
        ExprBinder b(both, params_, nullptr, "JOIN/ON");
        if (j->join_type == plan::INNER && ContainsSubquery(*ref.on)) {
          std::vector<const ast::Expr*> parts;
          SplitAstConjuncts(ref.on.get(), &parts);
          for (const ast::Expr* c : parts) {
            if (ContainsSubquery(*c)) with_subquery.push_back(c);
            else SplitConjuncts(b.BindCondition(*c), &conj);
          }
        } else {
          SplitConjuncts(b.BindCondition(*ref.on), &conj);
        }
      }
      if (ref.natural) FailAt(sqlstate::kFeatureNotSupported, "NATURAL JOIN is not supported yet", ref.location);
      for (const auto& col : ref.using_cols) {
        ast::Expr l, r;
        l.kind = r.kind = ast::ExprKind::kColumnRef;
        l.names = {col};
        r.names = {col};
        ExprBinder lb(left_scope, params_), rb(right_scope, params_);
        plan::Expr le = lb.Bind(l), re = rb.Bind(r);
        ShiftColumns(&re, nleft);
        conj.push_back(CallExpr(plan::EQ, SqlType::Bool(), {std::move(le), std::move(re)}));
      }
      std::vector<plan::Expr> residual;
      for (auto& c : conj) {
        bool is_key = false;
        if (c.has_call() && c.call().op() == plan::EQ) {
          std::vector<int> lc, rc;
          CollectColumns(c.call().args(0), &lc);
          CollectColumns(c.call().args(1), &rc);
          auto all_left = [&](const std::vector<int>& v) { return !v.empty() && std::all_of(v.begin(), v.end(), [&](int x) { return x < nleft; }); };
          auto all_right = [&](const std::vector<int>& v) { return !v.empty() && std::all_of(v.begin(), v.end(), [&](int x) { return x >= nleft; }); };
          if (all_left(lc) && all_right(rc)) {
            j->left_keys.push_back(c.call().args(0));
            plan::Expr rk = c.call().args(1);
            ShiftColumns(&rk, -nleft);
            j->right_keys.push_back(std::move(rk));
            is_key = true;
          } else if (all_right(lc) && all_left(rc)) {
            j->left_keys.push_back(c.call().args(1));
            plan::Expr rk = c.call().args(0);
            ShiftColumns(&rk, -nleft);
            j->right_keys.push_back(std::move(rk));
            is_key = true;
          }
        }
        if (!is_key) residual.push_back(std::move(c));
      }
      if (!residual.empty()) {
        j->predicate = AndAll(std::move(residual));
        j->has_predicate = true;
      }
      j->children.push_back(std::move(left));
      j->children.push_back(std::move(right));
      scope->columns.insert(scope->columns.end(), both.columns.begin(), both.columns.end());
      if (!with_subquery.empty()) return FilterBySubqueries(std::move(j), both, with_subquery);
      return j;
    }
  }
  return nullptr;
}

LogicalPtr SelectBinder::BindValues(const ast::SelectStmt& s) {
  const std::vector<SqlType> targets = std::exchange(values_column_types, {});
  auto n = MakeNode(LogicalKind::kValues);
  Scope empty;
  size_t width = s.values[0].size();
  for (const auto& row : s.values) {
    if (row.size() != width) FailAt(sqlstate::kSyntaxError, "VALUES lists must all be the same length", s.location);
    std::vector<plan::Expr> bound;
    ExprBinder b(empty, params_, nullptr, "VALUES");
    for (const auto& e : row) bound.push_back(b.Bind(*e));
    n->rows.push_back(std::move(bound));
  }
  for (size_t c = 0; c < width; ++c) {
    std::vector<plan::Expr*> col;
    for (auto& row : n->rows) {
      if (c < targets.size() && IsUntypedStringLiteral(row[c])) row[c] = CoerceTo(std::move(row[c]), targets[c]);
      col.push_back(&row[c]);
    }
    SqlType t = UnifyTypes(col, "VALUES", s.location);
    n->columns.push_back({"column" + std::to_string(c + 1), t});
  }
  n->estimated_rows = n->rows.size();
  return n;
}

constexpr int kPlaceholderBase = 1 << 24;

namespace {

void SplitAstConjuncts(const ast::Expr* e, std::vector<const ast::Expr*>* out) {
  if (e == nullptr) return;
  if (e->kind == ast::ExprKind::kBinary && e->op == "AND") {
    SplitAstConjuncts(e->args[0].get(), out);
    SplitAstConjuncts(e->args[1].get(), out);
  } else {
    out->push_back(e);
  }
}

void RemapPlaceholders(plan::Expr* e, const std::vector<int>& mapping) {
  if (e->has_column()) {
    int c = e->column();
    if (c >= kPlaceholderBase && c < WindowBinder::kPlaceholderBase) e->set_column(mapping.at(c - kPlaceholderBase));
  } else if (e->has_call()) {
    for (auto& a : *e->mutable_call()->mutable_args()) RemapPlaceholders(&a, mapping);
  }
}

bool IsPlainAggregateQuery(const ast::SelectStmt& q) {
  if (q.op != ast::SetOp::kNone || !q.values.empty() || !q.group_by.empty() || q.targets.size() != 1) return false;
  return q.targets[0].expr && ContainsAggregate(*q.targets[0].expr);
}

// A scope padded with unnamed entries up to `width`, so that columns appended after it get
// the indexes they have in a node that is wider than the names it exposes.
Scope PaddedScope(const Scope& s, size_t width) {
  Scope out = s;
  while (out.columns.size() < width) out.columns.push_back({"\x01", "\x01", SqlType::Null()});
  return out;
}

}  // namespace

namespace {

// PartiQL's unnesting: in `FROM t c, c.arr o`, the item `c.arr` names no table but a SUPER
// value of an item before it (column arr of c, or member arr of a SUPER column c, such as an
// earlier unnested element). Returns that value over the columns of `scope`.
std::optional<plan::Expr> SuperUnnestPath(const ast::TableRef& ref, const Scope& scope) {
  if (ref.kind != ast::TableRef::Kind::kTable) return std::nullopt;
  if (ref.schema.empty()) {  // an earlier unnested element by its alias: FROM t c, c.arr a, a AS x
    for (size_t i = 0; i < scope.columns.size(); ++i) {
      const ScopeColumn& c = scope.columns[i];
      if (c.type.id == TypeId::kSuper && c.qualifier == ref.name && c.name == ref.name) {
        return ColumnExpr(static_cast<int>(i), c.type);
      }
    }
    return std::nullopt;
  }
  std::vector<std::string> names;  // the path as written: [catalog.]schema.name
  if (!ref.catalog.empty()) names.push_back(ref.catalog);
  names.push_back(ref.schema);
  names.push_back(ref.name);
  auto path = [&](size_t column, size_t first_step) {
    plan::Expr e = ColumnExpr(static_cast<int>(column), scope.columns[column].type);
    for (size_t k = first_step; k < names.size(); ++k) e = SuperStep(std::move(e), StringLiteral(names[k], SqlType::Text()));
    return e;
  };
  // qualifier.column.steps first, then column.steps.
  for (size_t i = 0; i < scope.columns.size(); ++i) {
    const ScopeColumn& c = scope.columns[i];
    if (c.type.id == TypeId::kSuper && c.qualifier == names[0] && c.name == names[1]) return path(i, 2);
  }
  for (size_t i = 0; i < scope.columns.size(); ++i) {
    const ScopeColumn& c = scope.columns[i];
    if (c.type.id == TypeId::kSuper && c.name == names[0]) return path(i, 1);
  }
  return std::nullopt;
}

// `node` with each row repeated once per element of the SUPER array `path` (none when it is not
// an array), the element appended as column `alias` (and, with AT, its index as `index_name`).
// With `unpivot`, once per member of the SUPER object `path` instead: the member's value as
// `alias` and, with AT, its name as `index_name` (PartiQL's UNPIVOT).
LogicalPtr UnnestSuperArray(LogicalPtr node, plan::Expr path, const std::string& alias, const std::string& index_name,
                            Scope* scope, bool unpivot = false) {
  const int w = static_cast<int>(node->columns.size());
  auto repeat = MakeNode(LogicalKind::kRepeat);
  repeat->repeat_count = FunctionExpr(unpivot ? "super_object_size" : "get_array_length", SqlType::Int64(), {path});
  repeat->repeat_ordinal = true;
  repeat->columns = node->columns;
  repeat->columns.push_back({"\x01index", SqlType::Int64()});
  repeat->estimated_rows = node->estimated_rows * 4;
  repeat->children.push_back(std::move(node));
  auto project = MakeNode(LogicalKind::kProject);
  for (int i = 0; i < w; ++i) {
    project->exprs.push_back(ColumnExpr(i, repeat->columns[i].type));
    project->columns.push_back(repeat->columns[i]);
  }
  // The copy numbers count from 1; an element's index from 0.
  plan::Expr index = CallExpr(plan::SUB, SqlType::Int64(), {ColumnExpr(w, SqlType::Int64()), Int64Literal(1, SqlType::Int64())});
  if (unpivot) {
    project->exprs.push_back(FunctionExpr("super_member_value", SqlType::Super(), {path, index}));
    project->columns.push_back({alias, SqlType::Super()});
    scope->columns.push_back({alias, alias, SqlType::Super()});
    if (!index_name.empty()) {
      project->exprs.push_back(FunctionExpr("super_member_key", SqlType::Varchar(-1), {path, index}));
      project->columns.push_back({index_name, SqlType::Varchar(-1)});
      scope->columns.push_back({alias, index_name, SqlType::Varchar(-1)});
    }
    project->estimated_rows = repeat->estimated_rows;
    project->children.push_back(std::move(repeat));
    return project;
  }
  project->exprs.push_back(SuperStep(std::move(path), index));
  project->columns.push_back({alias, SqlType::Super()});
  scope->columns.push_back({alias, alias, SqlType::Super()});
  if (!index_name.empty()) {
    project->exprs.push_back(CastExpr(index, SqlType::Int32()));
    project->columns.push_back({index_name, SqlType::Int32()});
    scope->columns.push_back({alias, index_name, SqlType::Int32()});
  }
  project->estimated_rows = repeat->estimated_rows;
  project->children.push_back(std::move(repeat));
  return project;
}

}  // namespace

LogicalPtr SelectBinder::BindFromList(const ast::SelectStmt& s, Scope* scope) {
  LogicalPtr node;
  // FROM: a comma list is a chain of cross joins; the optimizer's join ordering turns it into
  // real joins (MarkJoinRegion below records where the list ends).
  for (const auto& ref : s.from) {
    if (node && ref->kind == ast::TableRef::Kind::kFunction && ref->name == "_unpvt_" && ref->func_args.size() == 1) {
      // UNPIVOT path AS v [AT k] (sql/redshift_dialect.cpp): one row per member of an object.
      ExprBinder binder(*scope, params_, nullptr, "FROM");
      plan::Expr object = binder.Bind(*ref->func_args[0]);
      if (ExprType(object).id != TypeId::kSuper) {
        FailAt(sqlstate::kDatatypeMismatch, "UNPIVOT needs a SUPER value", ref->location);
      }
      std::string alias = ref->alias.empty() ? "unpivot" : ref->alias;
      std::string key_name = ref->column_names.empty() ? "" : ref->column_names[0];
      node = UnnestSuperArray(std::move(node), std::move(object), alias, key_name, scope, /*unpivot=*/true);
      continue;
    }
    if (node) {
      if (auto path = SuperUnnestPath(*ref, *scope)) {
        std::string alias = ref->alias.empty() ? ref->name : ref->alias;
        // `AS o AT i` arrives as the alias's column list (sql/redshift_dialect.cpp).
        std::string index_name = ref->column_names.empty() ? "" : ref->column_names[0];
        node = UnnestSuperArray(std::move(node), std::move(*path), alias, index_name, scope);
        continue;
      }
    }
    if (prebound_.query == &s && ref.get() == s.from.front().get()) {
      node = std::move(prebound_.node);
      scope->columns.insert(scope->columns.end(), prebound_.scope.columns.begin(), prebound_.scope.columns.end());
      prebound_ = PreboundFrom();
      continue;
    }
    Scope item_scope;
    std::vector<OuterBinding> reads;
    // LATERAL (subquery) sees the items before it: what it reads of them makes a dependent join.
    // So does a function in FROM, LATERAL without the word.
    const bool lateral = ref->lateral || ref->kind == ast::TableRef::Kind::kFunction;
    LogicalPtr item = node && lateral ? BindLateral(*ref, *scope, &item_scope, &reads) : BindFrom(*ref, &item_scope);
    scope->columns.insert(scope->columns.end(), item_scope.columns.begin(), item_scope.columns.end());
    if (!node) { node = std::move(item); continue; }
    auto j = MakeNode(reads.empty() ? LogicalKind::kJoin : LogicalKind::kDependentJoin);
    j->correlation = std::move(reads);
    j->columns = node->columns;
    j->columns.insert(j->columns.end(), item->columns.begin(), item->columns.end());
    j->estimated_rows = node->estimated_rows * item->estimated_rows;
    j->children.push_back(std::move(node));
    j->children.push_back(std::move(item));
    node = std::move(j);
  }
  if (!node) {  // SELECT without FROM: one empty row
    node = MakeNode(LogicalKind::kValues);
    node->rows.push_back({});
    node->estimated_rows = 1;
  }
  return node;
}

namespace {

// Rewrites `e` (over the input of an aggregation) to read the aggregation's output: each part
// equal to a GROUP BY expression becomes that group's column. False when a column of the input
// is read outside every group.
bool OverGroups(plan::Expr* e, const AggregateContext& agg) {
  std::string key = e->SerializeAsString();
  for (size_t i = 0; i < agg.group_keys.size(); ++i) {
    if (agg.group_keys[i] == key) {
      *e = ColumnExpr(static_cast<int>(i), ExprType(*e));
      return true;
    }
  }
  if (e->has_column()) return false;
  if (e->has_call()) {
    for (auto& a : *e->mutable_call()->mutable_args()) if (!OverGroups(&a, agg)) return false;
  }
  return true;
}

}  // namespace

void SelectBinder::ReadGroups(std::vector<OuterBinding>* reads, const AggregateContext& agg, const Scope& outer,
                              int location) {
  for (OuterBinding& b : *reads) {
    plan::Expr before = b.value;
    if (OverGroups(&b.value, agg)) continue;
    std::vector<int> cols;
    CollectColumns(before, &cols);
    std::string name = "?";
    for (int c : cols) {
      plan::Expr one = ColumnExpr(c, outer.columns[c].type);
      if (!OverGroups(&one, agg)) {
        name = outer.columns[c].qualifier.empty() ? outer.columns[c].name : outer.columns[c].qualifier + "." + outer.columns[c].name;
        break;
      }
    }
    FailAt(sqlstate::kGroupingError, StrCat("subquery uses ungrouped column \"", name, "\" from outer query"), location);
  }
}

LogicalPtr SelectBinder::BindCorrelated(const ast::SelectStmt& sub, const Scope& outer, std::vector<OuterBinding>* reads) {
  OuterScope frame;
  frame.scope = &outer;
  LogicalPtr q;
  {
    OuterScopeGuard guard(params_, &frame);
    q = BindQuery(sub);
  }
  *reads = std::move(frame.bindings);
  return q;
}

plan::Expr SelectBinder::BindScalarSubquery(const ast::Expr& e, const Scope& outer, AggregateContext* grouped,
                                            std::vector<PendingSubquery>* pending) {
  const ast::SelectStmt& sub = *e.subquery;
  if (IsProvablyEmptyQuery(catalog_, sub)) {
    // No rows whatever the outer row (it inner-joins a catalog relation that is always empty):
    // ARRAY(...) is '{}' and a scalar subquery NULL, without binding its select list (psql's
    // \dp lists policies this way, with array machinery nested inside).
    if (e.op == "ARRAY") return StringLiteral("{}", SqlType::Varchar(65535));
    std::vector<SqlType> types = OutputTypesWithoutBinding(sub);
    if (types.size() != 1) FailAt(sqlstate::kSyntaxError, "subquery must return only one column", e.location);
    return NullLiteral(types[0]);
  }
  if (grouped == nullptr) {
    if (auto v = BindEquiCorrelatedScalar(e, outer, pending)) return *v;
  }
  // Any other subquery: bound whole, reading the outer row through outer references.
  std::vector<OuterBinding> reads;
  LogicalPtr q = BindCorrelated(sub, outer, &reads);
  if (grouped != nullptr) ReadGroups(&reads, *grouped, outer, e.location);
  PendingSubquery p;
  const bool array = e.op == "ARRAY";
  {
    if (q->columns.size() != 1) FailAt(sqlstate::kSyntaxError, "subquery must return only one column", e.location);
    SqlType t = q->columns[0].type;
    if (!reads.empty()) {
      p.dependent = true;
      p.correlation = std::move(reads);
      p.join_type = plan::LEFT;
    }
    if (array) {
      // ARRAY(subquery): the rows' values as one array literal, '{}' for no rows.
      auto a = MakeNode(LogicalKind::kAggregate);
      a->columns = {{"value", SqlType::Varchar(65535)}};
      a->estimated_rows = 1;
      a->aggs.push_back(ArrayElementsAgg(ColumnExpr(0, t)));
      a->children.push_back(std::move(q));
      p.derived = std::move(a);
      pending->push_back(std::move(p));
      return ArrayLiteralOf(ColumnExpr(kPlaceholderBase + static_cast<int>(pending->size() - 1), SqlType::Varchar(65535)), t);
    }
    if (!IsPlainAggregateQuery(sub)) {
      // Any other query may return zero rows (NULL) or several (21000, raised while running).
      plan::AggSpec one;
      one.set_func(plan::SINGLE_VALUE);
      *one.mutable_arg() = ColumnExpr(0, t);
      *one.mutable_result_type() = ToProtoType(t);
      auto a = MakeNode(LogicalKind::kAggregate);
      a->columns = {{"value", t}};
      a->estimated_rows = 1;
      a->aggs.push_back(std::move(one));
      a->children.push_back(std::move(q));
      q = std::move(a);
    }
    p.derived = std::move(q);
    pending->push_back(std::move(p));
    return ColumnExpr(kPlaceholderBase + static_cast<int>(pending->size() - 1), t);
  }
}

std::optional<plan::Expr> SelectBinder::BindEquiCorrelatedScalar(const ast::Expr& e, const Scope& outer,
                                                                 std::vector<PendingSubquery>* pending) {
  const ast::SelectStmt& sub = *e.subquery;
  // Anything below that reads the outer row other than through WHERE's conjuncts lands in
  // this scope's bindings, and the shortcut gives way to the general path.
  OuterScope frame;
  frame.scope = &outer;
  OuterScopeGuard guard(params_, &frame);
  CteScope ctes(this, sub);
  Scope inner;
  LogicalPtr from = BindFromList(sub, &inner);
  std::vector<const ast::Expr*> conj;
  SplitAstConjuncts(sub.where.get(), &conj);
  std::vector<const ast::Expr*> local, correlated;
  for (const ast::Expr* c : conj) (ResolvesIn(*c, inner) || ContainsSubquery(*c) ? local : correlated).push_back(c);
  if (correlated.empty() || !frame.bindings.empty()) return std::nullopt;
  PendingSubquery p;
  const bool array = e.op == "ARRAY";
  bool aggregate = !array && IsPlainAggregateQuery(sub);
  // A subquery that is not an aggregate must find at most one row per outer row (21000). Grouped
  // here by its correlation keys it would check every key of the inner rows, outer or not: the
  // general path checks only the outer rows' values.
  if (!aggregate && !array) return std::nullopt;
  // ARRAY(subquery) may order its rows; the order of the elements is not kept.
  if (sub.op != ast::SetOp::kNone || !sub.group_by.empty() || sub.having || (!sub.order_by.empty() && !array) ||
      sub.limit || sub.targets.size() != 1 || sub.distinct || !sub.distinct_on.empty()) {
    return std::nullopt;
  }
  // Conjuncts over outer columns only gate the value: CASE WHEN cond THEN value END.
  std::vector<const ast::Expr*> outer_only;
  for (auto it = correlated.begin(); it != correlated.end();) {
    if (ResolvesIn(**it, outer) && !ContainsSubquery(**it) && !MentionsScope(**it, inner)) {
      outer_only.push_back(*it);
      it = correlated.erase(it);
    } else {
      ++it;
    }
  }
  // Correlation equalities inner = outer become the grouping keys of the derived table; any
  // other correlated conjunct must become local by replacing outer columns with the inner
  // expressions they equal.
  std::vector<const ast::Expr*> equalities, others;
  for (const ast::Expr* c : correlated) {
    bool eq = c->kind == ast::ExprKind::kBinary && c->op == "=" &&
              ((ResolvesIn(*c->args[0], inner) && ResolvesIn(*c->args[1], outer)) ||
               (ResolvesIn(*c->args[1], inner) && ResolvesIn(*c->args[0], outer)));
    (eq ? equalities : others).push_back(c);
  }
  std::vector<ast::ExprPtr> rewritten;
  for (const ast::Expr* c : others) {
    ast::ExprPtr r = SubstituteOuterColumns(*c, equalities, inner, outer);
    if (r == nullptr || !ResolvesIn(*r, inner)) return std::nullopt;
    local.push_back(r.get());
    rewritten.push_back(std::move(r));
  }
  correlated = equalities;
  std::vector<plan::Expr> inner_keys, outer_keys;
  for (const ast::Expr* c : correlated) {
    bool ok = c->kind == ast::ExprKind::kBinary && c->op == "=";
    int inner_side = -1;
    if (ok && ResolvesIn(*c->args[0], inner) && ResolvesIn(*c->args[1], outer)) inner_side = 0;
    else if (ok && ResolvesIn(*c->args[1], inner) && ResolvesIn(*c->args[0], outer)) inner_side = 1;
    if (inner_side < 0) return std::nullopt;
    ExprBinder ib(inner, params_), ob(outer, params_);
    plan::Expr ie = ib.Bind(*c->args[inner_side]);
    plan::Expr oe = ob.Bind(*c->args[1 - inner_side]);
    auto common = CommonType(ExprType(ie), ExprType(oe));
    if (!common) return std::nullopt;  // the general path reports the operator
    inner_keys.push_back(CoerceTo(std::move(ie), *common));
    outer_keys.push_back(CoerceTo(std::move(oe), *common));
  }
  if (!local.empty()) {
    std::vector<PendingSubquery> nested;
    const int from_width = static_cast<int>(from->columns.size());
    ExprBinder lb(inner, params_, nullptr, "WHERE", [&](const ast::Expr& x) {
      return BindSubqueryValue(x, inner, from_width, nullptr, &nested);
    });
    std::vector<plan::Expr> preds;
    for (const ast::Expr* c : local) preds.push_back(lb.BindCondition(*c));
    std::vector<int> mapping = AttachPending(&nested, &from);
    plan::Expr all = AndAll(std::move(preds));
    RemapPlaceholders(&all, mapping);
    from = FilterNode(std::move(from), std::move(all));
  }
  MarkJoinRegion(from.get());
  AggregateContext agg;
  agg.input = &inner;
  for (const auto& k : inner_keys) {
    agg.group_keys.push_back(k.SerializeAsString());
    agg.groups.push_back(k);
  }
  plan::Expr value;
  SqlType array_element = SqlType::Text();
  if (aggregate) {
    ExprBinder tb(inner, params_, &agg, "SELECT");
    value = tb.Bind(*sub.targets[0].expr);
  } else if (array) {
    ExprBinder tb(inner, params_, nullptr, "SELECT");
    plan::Expr arg = tb.Bind(*sub.targets[0].expr);
    if (IsUntypedStringLiteral(arg)) arg = CoerceTo(std::move(arg), SqlType::Text());
    array_element = ExprType(arg);
    value = ColumnExpr(static_cast<int>(agg.groups.size()), SqlType::Varchar(65535));
    agg.aggs.push_back(ArrayElementsAgg(std::move(arg)));
  } else {
    // One row per outer row at most: SINGLE_VALUE raises 21000 for a second one.
    ExprBinder tb(inner, params_, nullptr, "SELECT");
    plan::Expr arg = tb.Bind(*sub.targets[0].expr);
    if (IsUntypedStringLiteral(arg)) arg = CoerceTo(std::move(arg), SqlType::Text());
    plan::AggSpec one;
    one.set_func(plan::SINGLE_VALUE);
    *one.mutable_result_type() = arg.type();
    *one.mutable_arg() = std::move(arg);
    value = ColumnExpr(static_cast<int>(agg.groups.size()), FromProtoType(one.result_type()));
    agg.aggs.push_back(std::move(one));
  }
  auto a = MakeNode(LogicalKind::kAggregate);
  a->estimated_rows = std::max(1.0, from->estimated_rows * 0.1);
  a->children.push_back(std::move(from));
  for (size_t i = 0; i < agg.groups.size(); ++i) a->columns.push_back({"key" + std::to_string(i), ExprType(agg.groups[i])});
  for (size_t i = 0; i < agg.aggs.size(); ++i) a->columns.push_back({"agg" + std::to_string(i), FromProtoType(agg.aggs[i].result_type())});
  a->groups = agg.groups;
  a->aggs = agg.aggs;
  std::vector<plan::Expr> exprs;
  std::vector<OutputColumn> cols;
  for (size_t i = 0; i < inner_keys.size(); ++i) {
    exprs.push_back(ColumnExpr(static_cast<int>(i), ExprType(inner_keys[i])));
    cols.push_back({"key" + std::to_string(i), ExprType(inner_keys[i])});
  }
  SqlType vt = ExprType(value);
  exprs.push_back(std::move(value));
  cols.push_back({"value", vt});
  if (!frame.bindings.empty()) return std::nullopt;
  p.derived = ProjectNode(std::move(a), std::move(exprs), std::move(cols));
  p.outer_keys = std::move(outer_keys);
  p.value_col = static_cast<int>(inner_keys.size());
  p.join_type = plan::LEFT;
  pending->push_back(std::move(p));
  plan::Expr ref = ColumnExpr(kPlaceholderBase + static_cast<int>(pending->size() - 1), vt);
  const ast::Expr& target = *sub.targets[0].expr;
  if (array) {
    ref = ArrayLiteralOf(std::move(ref), array_element);
  } else if (target.kind == ast::ExprKind::kFuncCall && target.func_name == "count") {
    // No matching rows means COUNT = 0, not NULL (the "count bug" of naive unnesting).
    ref = CallExpr(plan::COALESCE, vt, {std::move(ref), Int64Literal(0, vt)});
  }
  if (outer_only.empty()) return ref;
  ExprBinder ob(outer, params_, nullptr, "WHERE");
  std::vector<plan::Expr> conds;
  for (const ast::Expr* c : outer_only) conds.push_back(ob.BindCondition(*c));
  SqlType rt = ExprType(ref);
  std::vector<plan::Expr> args;
  args.push_back(AndAll(std::move(conds)));
  args.push_back(std::move(ref));
  // ARRAY(...) gated off is an empty array; any other value is NULL.
  args.push_back(array ? StringLiteral("{}", rt) : NullLiteral(rt));
  return CallExpr(plan::CASE, rt, std::move(args));
}

bool SelectBinder::MentionsScope(const ast::Expr& e, const Scope& scope) {
  if (e.kind == ast::ExprKind::kColumnRef) return ResolvesIn(e, scope);
  for (const auto& a : e.args) if (MentionsScope(*a, scope)) return true;
  for (const auto& w : e.when) if (MentionsScope(*w, scope)) return true;
  for (const auto& t : e.then) if (MentionsScope(*t, scope)) return true;
  if (e.case_operand && MentionsScope(*e.case_operand, scope)) return true;
  return e.else_expr && MentionsScope(*e.else_expr, scope);
}

plan::AggSpec SelectBinder::ArrayElementsAgg(plan::Expr element) {
  plan::AggSpec spec;
  spec.set_func(plan::LISTAGG);
  spec.set_delimiter(",");
  *spec.mutable_arg() = FunctionExpr("pg_array_quote", SqlType::Varchar(65535), {CoerceTo(std::move(element), SqlType::Text())});
  *spec.mutable_result_type() = ToProtoType(SqlType::Varchar(65535));
  return spec;
}

plan::Expr SelectBinder::ArrayLiteralOf(plan::Expr elements, const SqlType& element) {
  SqlType t = SqlType::Varchar(65535);
  plan::Expr inner = CallExpr(plan::COALESCE, t, {std::move(elements), StringLiteral("", t)});
  const ArrayTypeInfo* array = ArrayTypeOf(element);  // typed as the array of the elements' type
  return CallExpr(plan::CONCAT, array != nullptr ? SqlType::Array(array->oid) : t,
                  {StringLiteral("{", t), std::move(inner), StringLiteral("}", t)});
}

ast::ExprPtr SelectBinder::SubstituteOuterColumns(const ast::Expr& e, const std::vector<const ast::Expr*>& equalities,
                                                  const Scope& inner, const Scope& outer) {
  auto copy = std::make_unique<ast::Expr>();
  if (e.kind == ast::ExprKind::kColumnRef && !ResolvesIn(e, inner) && ResolvesIn(e, outer)) {
    // Find an equality inner = <this outer column> and take its inner side.
    for (const ast::Expr* eq : equalities) {
      for (int side = 0; side < 2; ++side) {
        const ast::Expr& o = *eq->args[side];
        if (o.kind == ast::ExprKind::kColumnRef && o.names == e.names) return SubstituteOuterColumns(*eq->args[1 - side], {}, inner, outer);
      }
    }
    return nullptr;
  }
  if (e.subquery || e.case_operand || e.else_expr || !e.when.empty()) return nullptr;  // not needed so far
  copy->kind = e.kind;
  copy->location = e.location;
  copy->names = e.names;
  copy->literal_kind = e.literal_kind;
  copy->text = e.text;
  copy->param_index = e.param_index;
  copy->op = e.op;
  copy->func_name = e.func_name;
  copy->distinct = e.distinct;
  copy->star_arg = e.star_arg;
  copy->cast_type = e.cast_type;
  copy->negated = e.negated;
  for (const auto& a : e.args) {
    ast::ExprPtr c = SubstituteOuterColumns(*a, equalities, inner, outer);
    if (c == nullptr) return nullptr;
    copy->args.push_back(std::move(c));
  }
  return copy;
}

LogicalPtr SelectBinder::GroupingSetsAggregate(LogicalPtr input, const AggregateContext& agg,
                                               const std::vector<std::vector<int>>& sets) {
  // One aggregate per grouping set over its own copy of the input, each projected onto the full
  // layout (every key, NULL where the set does not group by it; the grouping id; the
  // aggregates), and all of them appended.
  const int nkeys = agg.grouping_id;
  auto all = MakeNode(LogicalKind::kAppend);
  for (int k = 0; k < nkeys; ++k) all->columns.push_back({"group" + std::to_string(k), ExprType(agg.groups[k])});
  all->columns.push_back({"?grouping_id?", SqlType::Int64()});
  for (size_t i = 0; i < agg.aggs.size(); ++i) all->columns.push_back({"agg" + std::to_string(i), FromProtoType(agg.aggs[i].result_type())});
  all->estimated_rows = 0;
  for (const std::vector<int>& set : sets) {
    auto a = MakeNode(LogicalKind::kAggregate);
    a->children.push_back(CloneTree(*input));
    int64_t mask = 0;
    for (int k = 0; k < nkeys; ++k) {
      if (std::find(set.begin(), set.end(), k) == set.end()) mask |= int64_t{1} << k;
    }
    for (int k : set) {
      a->groups.push_back(agg.groups[k]);
      a->columns.push_back({"group" + std::to_string(k), ExprType(agg.groups[k])});
    }
    a->aggs = agg.aggs;
    for (size_t i = 0; i < agg.aggs.size(); ++i) a->columns.push_back({"agg" + std::to_string(i), FromProtoType(agg.aggs[i].result_type())});
    a->estimated_rows = GroupCount(a->groups, *input);
    std::vector<plan::Expr> exprs;
    for (int k = 0; k < nkeys; ++k) {
      auto at = std::find(set.begin(), set.end(), k);
      SqlType t = ExprType(agg.groups[k]);
      exprs.push_back(at == set.end() ? NullLiteral(t) : ColumnExpr(static_cast<int>(at - set.begin()), t));
    }
    exprs.push_back(Int64Literal(mask, SqlType::Int64()));
    for (size_t i = 0; i < agg.aggs.size(); ++i) {
      exprs.push_back(ColumnExpr(static_cast<int>(set.size() + i), FromProtoType(agg.aggs[i].result_type())));
    }
    all->estimated_rows += a->estimated_rows;
    all->children.push_back(ProjectNode(std::move(a), std::move(exprs), all->columns));
  }
  return all;
}

LogicalPtr SelectBinder::KeepFirstPerGroup(LogicalPtr node, const std::vector<int>& keys,
                                           const std::vector<plan::SortKey>& order) {
  // row_number() over (partition by keys order by order) = 1, then the node's columns again.
  const int width = static_cast<int>(node->columns.size());
  std::vector<OutputColumn> cols = node->columns;
  auto w = MakeNode(LogicalKind::kWindow);
  w->estimated_rows = node->estimated_rows;
  for (int k : keys) w->partition_keys.push_back(ColumnExpr(k, cols[k].type));
  w->sort_keys = order;
  plan::WindowFunc rn;
  rn.set_func(plan::WIN_ROW_NUMBER);
  *rn.mutable_result_type() = ToProtoType(SqlType::Int64());
  w->window_funcs.push_back(std::move(rn));
  w->columns = cols;
  w->columns.push_back({"?row_number?", SqlType::Int64()});
  w->children.push_back(std::move(node));
  LogicalPtr f = FilterNode(std::move(w), CallExpr(plan::EQ, SqlType::Bool(), {ColumnExpr(width, SqlType::Int64()),
                                                                                Int64Literal(1, SqlType::Int64())}));
  std::vector<plan::Expr> keep;
  for (int i = 0; i < width; ++i) keep.push_back(ColumnExpr(i, cols[i].type));
  return ProjectNode(std::move(f), std::move(keep), std::move(cols));
}

LogicalPtr SelectBinder::FilterBySubqueries(LogicalPtr node, const Scope& scope, const std::vector<const ast::Expr*>& conds) {
  int width = static_cast<int>(node->columns.size());
  std::vector<PendingSubquery> pending;
  ExprBinder b(scope, params_, nullptr, "JOIN/ON", [&](const ast::Expr& sq) {
    return BindSubqueryValue(sq, scope, width, nullptr, &pending);
  });
  std::vector<plan::Expr> preds;
  for (const ast::Expr* c : conds) preds.push_back(b.BindCondition(*c));
  plan::Expr pred = AndAll(std::move(preds));
  std::vector<int> mapping = AttachPending(&pending, &node);
  RemapPlaceholders(&pred, mapping);
  std::vector<OutputColumn> cols(node->columns.begin(), node->columns.begin() + width);
  node = FilterNode(std::move(node), std::move(pred));
  // The FROM item keeps its own columns: the subqueries' values are dropped again.
  std::vector<plan::Expr> keep;
  for (int i = 0; i < width; ++i) keep.push_back(ColumnExpr(i, cols[i].type));
  return ProjectNode(std::move(node), std::move(keep), std::move(cols));
}

std::vector<int> SelectBinder::AttachPending(std::vector<PendingSubquery>* pending, LogicalPtr* node) {
  std::vector<int> mapping;
  for (auto& p : *pending) {
    int before = static_cast<int>((*node)->columns.size());
    bool mark = p.join_type == plan::MARK || p.join_type == plan::NULL_AWARE_MARK;
    auto j = MakeNode(p.dependent ? LogicalKind::kDependentJoin : LogicalKind::kJoin);
    j->join_type = p.join_type;
    j->correlation = std::move(p.correlation);
    j->columns = (*node)->columns;
    if (mark) j->columns.push_back({"?mark?", SqlType::Bool()});
    else j->columns.insert(j->columns.end(), p.derived->columns.begin(), p.derived->columns.end());
    j->estimated_rows = (*node)->estimated_rows;
    for (size_t k = 0; k < p.outer_keys.size(); ++k) {
      j->left_keys.push_back(p.outer_keys[k]);
      j->right_keys.push_back(p.inner_keys.empty() ? ColumnExpr(static_cast<int>(k), ExprType(p.outer_keys[k])) : p.inner_keys[k]);
    }
    if (p.has_residual) {
      // Columns of the subquery were numbered after the node as it was when bound.
      std::vector<int> cols;
      CollectColumns(p.residual, &cols);
      int max_col = 0;
      for (int c : cols) max_col = std::max(max_col, c);
      std::vector<int> shift(max_col + 1);
      for (int c = 0; c <= max_col; ++c) shift[c] = c < p.bind_width ? c : c - p.bind_width + before;
      RemapColumns(&p.residual, shift);
      j->predicate = std::move(p.residual);
      j->has_predicate = true;
    }
    j->children.push_back(std::move(*node));
    j->children.push_back(std::move(p.derived));
    *node = std::move(j);
    mapping.push_back(mark ? before : before + p.value_col);
  }
  pending->clear();
  return mapping;
}

std::optional<SelectBinder::ExistsJoin> SelectBinder::BindExistsJoin(const ast::Expr& e, const Scope& scope, int width) {
  const ast::SelectStmt& sub = *e.subquery;
  if (!sub.group_by.empty() || sub.having || sub.op != ast::SetOp::kNone || !sub.values.empty() || sub.limit ||
      sub.offset || sub.distinct) {
    return std::nullopt;
  }
  for (const auto& t : sub.targets) {
    if (t.expr && (ContainsAggregate(*t.expr) || ContainsSubquery(*t.expr))) return std::nullopt;
  }
  // A FROM item that reads the outer row lands in this scope's bindings: not this shortcut.
  OuterScope frame;
  frame.scope = &scope;
  OuterScopeGuard guard(params_, &frame);
  ExistsJoin out;
  CteScope ctes(this, sub);
  Scope inner;
  out.from = BindFromList(sub, &inner);
  if (!frame.bindings.empty()) return std::nullopt;
  std::vector<const ast::Expr*> conj;
  SplitAstConjuncts(sub.where.get(), &conj);
  std::vector<plan::Expr> local;
  std::vector<const ast::Expr*> correlated;
  ExprBinder lb(inner, params_, nullptr, "WHERE");
  for (const ast::Expr* c : conj) {
    if (ResolvesIn(*c, inner) && !ContainsSubquery(*c)) local.push_back(lb.BindCondition(*c));
    else correlated.push_back(c);
  }
  if (!local.empty()) out.from = FilterNode(std::move(out.from), AndAll(std::move(local)));
  MarkJoinRegion(out.from.get());
  Scope combined = PaddedScope(scope, width);
  combined.columns.insert(combined.columns.end(), inner.columns.begin(), inner.columns.end());
  ExprBinder cb(combined, params_, nullptr, "WHERE");
  for (const ast::Expr* c : correlated) if (ContainsSubquery(*c)) return std::nullopt;
  for (const ast::Expr* c : correlated) {
    plan::Expr b = cb.BindCondition(*c);
    if (b.has_call() && b.call().op() == plan::EQ) {
      std::vector<int> l, r;
      CollectColumns(b.call().args(0), &l);
      CollectColumns(b.call().args(1), &r);
      auto outer_only = [&](const std::vector<int>& v) { return !v.empty() && std::all_of(v.begin(), v.end(), [&](int x) { return x < width; }); };
      auto inner_only = [&](const std::vector<int>& v) { return !v.empty() && std::all_of(v.begin(), v.end(), [&](int x) { return x >= width; }); };
      int outer_side = outer_only(l) && inner_only(r) ? 0 : (outer_only(r) && inner_only(l) ? 1 : -1);
      if (outer_side >= 0) {
        plan::Expr ik = b.call().args(1 - outer_side);
        ShiftColumns(&ik, -width);
        out.outer_keys.push_back(b.call().args(outer_side));
        out.inner_keys.push_back(std::move(ik));
        continue;
      }
    }
    out.residual.push_back(std::move(b));
  }
  if (!frame.bindings.empty()) return std::nullopt;
  return out;
}

SelectBinder::InJoin SelectBinder::BindInJoin(const ast::Expr& e, const Scope& outer, int width) {
  InJoin in;
  in.subquery = BindQuery(*e.subquery);
  if (in.subquery->columns.size() != 1) FailAt(sqlstate::kSyntaxError, "subquery has too many columns", e.location);
  Scope padded = PaddedScope(outer, width);  // ExprBinder keeps a reference: it must outlive the binder
  ExprBinder ob(padded, params_, nullptr, "WHERE");
  plan::Expr left = ob.Bind(*e.args[0]);
  SqlType rt = in.subquery->columns[0].type;
  if (IsUntypedStringLiteral(left)) left = CoerceTo(std::move(left), rt);
  auto common = CommonType(ExprType(left), rt);
  if (!common) {
    FailAt(sqlstate::kUndefinedFunction, StrCat("operator does not exist: ", ExprType(left).ToString(), " = ", rt.ToString()), e.location);
  }
  in.outer_key = CoerceTo(std::move(left), *common);
  in.inner_key = CoerceTo(ColumnExpr(0, rt), *common);
  return in;
}

plan::Expr SelectBinder::BindSubqueryValue(const ast::Expr& e, const Scope& outer, int width, AggregateContext* grouped,
                                           std::vector<PendingSubquery>* pending) {
  if (e.kind == ast::ExprKind::kSubquery) return BindScalarSubquery(e, outer, grouped, pending);
  if (e.kind == ast::ExprKind::kInSubquery) {
    if (IsQuantified(e) || grouped != nullptr) return BindQuantified(e, outer, grouped, pending);
    std::optional<InJoin> in = BindUncorrelatedIn(e, outer, width);
    if (!in) return BindQuantified(e, outer, grouped, pending);
    PendingSubquery p;
    p.derived = std::move(in->subquery);
    p.join_type = plan::NULL_AWARE_MARK;
    p.outer_keys.push_back(std::move(in->outer_key));
    p.inner_keys.push_back(std::move(in->inner_key));
    p.value_col = -1;
    pending->push_back(std::move(p));
    plan::Expr ref = ColumnExpr(kPlaceholderBase + static_cast<int>(pending->size() - 1), SqlType::Bool());
    return e.negated ? CallExpr(plan::NOT, SqlType::Bool(), {std::move(ref)}) : ref;
  }
  // EXISTS
  PendingSubquery p;
  std::optional<ExistsJoin> ej;
  if (grouped == nullptr) ej = BindExistsJoin(e, outer, width);
  if (ej) {
    p.derived = std::move(ej->from);
    p.outer_keys = std::move(ej->outer_keys);
    p.inner_keys = std::move(ej->inner_keys);
    if (!ej->residual.empty()) {
      p.residual = AndAll(std::move(ej->residual));
      p.has_residual = true;
      p.bind_width = width;
    }
  } else {
    std::vector<OuterBinding> reads;
    p.derived = BindCorrelated(*e.subquery, outer, &reads);
    if (grouped != nullptr) ReadGroups(&reads, *grouped, outer, e.location);
    p.dependent = true;
    p.correlation = std::move(reads);
  }
  p.join_type = plan::MARK;
  p.value_col = -1;
  pending->push_back(std::move(p));
  plan::Expr ref = ColumnExpr(kPlaceholderBase + static_cast<int>(pending->size() - 1), SqlType::Bool());
  return e.negated ? CallExpr(plan::NOT, SqlType::Bool(), {std::move(ref)}) : ref;
}

std::optional<SelectBinder::InJoin> SelectBinder::BindUncorrelatedIn(const ast::Expr& e, const Scope& outer, int width) {
  OuterScope frame;
  frame.scope = &outer;
  InJoin in;
  // A NULL-aware join cannot be evaluated per outer value: a subquery that reads any enclosing
  // row, however far out, takes the quantified path instead.
  const int64_t refs_before = params_->outer_refs_made;
  {
    OuterScopeGuard guard(params_, &frame);
    in = BindInJoin(e, outer, width);
  }
  if (params_->outer_refs_made != refs_before) return std::nullopt;
  return in;
}

bool SelectBinder::IsQuantified(const ast::Expr& e) { return e.all_rows || (e.op != "=" && !e.op.empty()); }

plan::Expr SelectBinder::BindQuantified(const ast::Expr& e, const Scope& outer, AggregateContext* grouped,
                                        std::vector<PendingSubquery>* pending) {
  static const std::map<std::string, plan::Op> kOps = {{"=", plan::EQ}, {"<>", plan::NE}, {"!=", plan::NE},
                                                       {"<", plan::LT}, {"<=", plan::LE}, {">", plan::GT},
                                                       {">=", plan::GE}};
  std::string op_name = e.op.empty() ? "=" : e.op;
  auto op = kOps.find(op_name);
  if (op == kOps.end()) {
    FailAt(sqlstate::kFeatureNotSupported, StrCat("operator ", op_name, " with ANY / ALL (subquery) is not supported"), e.location);
  }
  // In an aggregating query the tested value is bound over the groups (it may be an aggregate).
  ExprBinder xb(outer, params_, grouped, grouped != nullptr ? "HAVING" : "WHERE");
  plan::Expr x = xb.Bind(*e.args[0]);
  OuterScope frame;
  frame.scope = &outer;
  LogicalPtr q;
  {
    OuterScopeGuard guard(params_, &frame);
    q = BindQuery(*e.subquery);
  }
  if (q->columns.size() != 1) FailAt(sqlstate::kSyntaxError, "subquery has too many columns", e.location);
  SqlType ct = q->columns[0].type;
  if (IsUntypedStringLiteral(x)) x = CoerceTo(std::move(x), ct);
  auto common = CommonType(ExprType(x), ct);
  if (!common) {
    FailAt(sqlstate::kUndefinedFunction, StrCat("operator does not exist: ", ExprType(x).ToString(), " ", op_name, " ",
                                                ct.ToString()), e.location);
  }
  if (grouped != nullptr) ReadGroups(&frame.bindings, *grouped, outer, e.location);
  plan::Expr tested = OuterReference(&frame, params_, CoerceTo(std::move(x), *common));
  // Per row of the subquery: 2 when the comparison holds, 1 when it is unknown, 0 when not.
  SqlType it = SqlType::Int32();
  plan::Expr cmp = CallExpr(op->second, SqlType::Bool(), {tested, CoerceTo(ColumnExpr(0, ct), *common)});
  plan::Expr outcome = CallExpr(plan::CASE, it, {cmp, Int64Literal(2, it),
                                                 CallExpr(plan::IS_NULL, SqlType::Bool(), {cmp}), Int64Literal(1, it),
                                                 Int64Literal(0, it)});
  auto project = ProjectNode(std::move(q), {std::move(outcome)}, {{"outcome", it}});
  plan::AggSpec spec;
  spec.set_func(e.all_rows ? plan::MIN : plan::MAX);
  *spec.mutable_arg() = ColumnExpr(0, it);
  *spec.mutable_result_type() = ToProtoType(it);
  auto agg = MakeNode(LogicalKind::kAggregate);
  agg->columns = {{"outcome", it}};
  agg->estimated_rows = 1;
  agg->aggs.push_back(std::move(spec));
  agg->children.push_back(std::move(project));
  PendingSubquery p;
  p.derived = std::move(agg);
  p.dependent = true;
  p.correlation = std::move(frame.bindings);
  p.join_type = plan::LEFT;
  pending->push_back(std::move(p));
  plan::Expr v = ColumnExpr(kPlaceholderBase + static_cast<int>(pending->size() - 1), it);
  // ANY: true if some row compares true, else unknown if some is unknown, else false (also for
  // no rows). ALL: false if some row compares false, else unknown if some is unknown, else true.
  SqlType b = SqlType::Bool();
  plan::Expr yes = Int64Literal(1, b), no = Int64Literal(0, b);
  plan::Expr result =
      e.all_rows
          ? CallExpr(plan::CASE, b, {CallExpr(plan::EQ, b, {v, Int64Literal(0, it)}), no,
                                     CallExpr(plan::EQ, b, {v, Int64Literal(1, it)}), NullLiteral(b), yes})
          : CallExpr(plan::CASE, b, {CallExpr(plan::EQ, b, {v, Int64Literal(2, it)}), yes,
                                     CallExpr(plan::EQ, b, {v, Int64Literal(1, it)}), NullLiteral(b), no});
  return e.negated ? CallExpr(plan::NOT, b, {std::move(result)}) : result;
}

void SelectBinder::AttachExists(const ast::Expr& e, bool negated, LogicalPtr* node, const Scope& scope) {
  int width = static_cast<int>((*node)->columns.size());
  std::optional<ExistsJoin> ej = BindExistsJoin(e, scope, width);
  if (!ej) {
    // Any other EXISTS: the whole subquery as a dependent semi / anti join.
    std::vector<OuterBinding> reads;
    LogicalPtr q = BindCorrelated(*e.subquery, scope, &reads);
    auto j = MakeNode(LogicalKind::kDependentJoin);
    j->join_type = negated ? plan::ANTI : plan::SEMI;
    j->correlation = std::move(reads);
    j->columns = (*node)->columns;
    j->estimated_rows = std::max(1.0, (*node)->estimated_rows * 0.5);
    j->children.push_back(std::move(*node));
    j->children.push_back(std::move(q));
    *node = std::move(j);
    return;
  }
  auto j = MakeNode(LogicalKind::kJoin);
  j->join_type = negated ? plan::ANTI : plan::SEMI;
  j->left_keys = std::move(ej->outer_keys);
  j->right_keys = std::move(ej->inner_keys);
  if (!ej->residual.empty()) {
    j->predicate = AndAll(std::move(ej->residual));
    j->has_predicate = true;
  }
  j->columns = (*node)->columns;
  j->estimated_rows = negated ? std::max(1.0, (*node)->estimated_rows * 0.5)
                              : SemiJoinRows(**node, j->left_keys, *ej->from, j->right_keys);
  j->children.push_back(std::move(*node));
  j->children.push_back(std::move(ej->from));
  *node = std::move(j);
}

bool SelectBinder::AttachIn(const ast::Expr& e, bool negated, LogicalPtr* node, const Scope& scope) {
  if (IsQuantified(e)) return false;
  const ast::SelectStmt& sub = *e.subquery;
  {
    CteScope ctes(this, sub);
    Scope inner;
    BindFromList(sub, &inner);
    std::vector<const ast::Expr*> conj;
    SplitAstConjuncts(sub.where.get(), &conj);
    for (const ast::Expr* c : conj) {
      if (!ResolvesIn(*c, inner) && !ContainsSubquery(*c)) return false;  // correlated
    }
  }
  std::optional<InJoin> in = BindUncorrelatedIn(e, scope, static_cast<int>((*node)->columns.size()));
  if (!in) return false;
  auto j = MakeNode(LogicalKind::kJoin);
  j->join_type = negated ? plan::NULL_AWARE_ANTI : plan::SEMI;
  j->left_keys.push_back(std::move(in->outer_key));
  j->right_keys.push_back(std::move(in->inner_key));
  j->columns = (*node)->columns;
  j->estimated_rows = negated ? std::max(1.0, (*node)->estimated_rows * 0.5)
                              : SemiJoinRows(**node, j->left_keys, *in->subquery, j->right_keys);
  j->children.push_back(std::move(*node));
  j->children.push_back(std::move(in->subquery));
  *node = std::move(j);
  return true;
}

SelectBinder::CteScope::CteScope(SelectBinder* binder, const ast::SelectStmt& s) : stack_(&binder->ctes_), active_(!s.with.empty()) {
  if (!active_) return;
  // The level is complete before it is pushed: a constructor that throws runs no destructor.
  std::map<std::string, const ast::CommonTableExpr*> level;
  for (const auto& c : s.with) {
    if (!level.emplace(c.name, &c).second) {
      FailAt(sqlstate::kDuplicateObject, StrCat("WITH query name \"", c.name, "\" specified more than once"), s.location);
    }
  }
  stack_->push_back(std::move(level));
}

SelectBinder::CteScope::~CteScope() {
  if (active_) stack_->pop_back();
}

LogicalPtr SelectBinder::BindQuery(const ast::SelectStmt& s) {
  NestingGuard guard(NestingGuard::Kind::kQueryBlock, s.location >= 0 ? s.location + 1 : 0);
  CteScope ctes(this, s);
  if (IsProvablyEmptyQuery(catalog_, s)) {
    auto n = MakeNode(LogicalKind::kValues);
    std::vector<std::string> names = OutputNamesWithoutBinding(s);
    std::vector<SqlType> types = OutputTypesWithoutBinding(s);
    for (size_t i = 0; i < names.size(); ++i) n->columns.push_back({names[i], types[i]});
    n->estimated_rows = 1;
    return n;
  }
  if (s.op != ast::SetOp::kNone) {
    return BindSetOperation(s, [this](const ast::SelectStmt& q) { return BindQuery(q); }, params_);
  }
  LogicalPtr node;
  Scope scope;
  std::vector<plan::Expr> select_exprs;
  std::vector<OutputColumn> select_cols;
  AggregateContext agg;
  std::vector<int> key_of_item;  // GROUPING SETS: group key of each GROUP BY expression
  bool aggregating = false;
  std::vector<PendingSubquery> post;  // scalar subqueries of the select list, HAVING, ORDER BY
  int post_width = 0;  // the node's width where select-list subqueries attach (set below)
  auto post_hook = [&](const ast::Expr& x) {
    return BindSubqueryValue(x, scope, post_width, aggregating ? &agg : nullptr, &post);
  };
  WindowBinder windows;  // window calls of the select list and ORDER BY
  auto window_hook = [&](const ast::Expr& x, ExprBinder& b) { return windows.Bind(x, b); };
  SetReturningBinder set_returning;  // unnest(), generate_series(), ... in the select list
  auto set_returning_hook = [&](const ast::Expr& x, ExprBinder& b) { return set_returning.Bind(x, b); };

  if (!s.values.empty()) {
    node = BindValues(s);
    // A bare VALUES list is its own result (INSERT folds its literals into the target types).
    if (s.order_by.empty() && !s.limit && !s.offset) return node;
    for (size_t i = 0; i < node->columns.size(); ++i) {
      scope.columns.push_back({"*VALUES*", node->columns[i].name, node->columns[i].type});
    }
    for (size_t i = 0; i < node->columns.size(); ++i) {
      select_exprs.push_back(ColumnExpr(static_cast<int>(i), node->columns[i].type));
      select_cols.push_back(node->columns[i]);
    }
  } else {
    node = BindFromList(s, &scope);
    std::vector<const ast::Expr*> conj, plain, with_subquery;
    SplitAstConjuncts(s.where.get(), &conj);
    for (const ast::Expr* c : conj) {
      if (ContainsAggregate(*c)) FailAt(sqlstate::kGroupingError, "aggregate functions are not allowed in WHERE", c->location);
      (ContainsSubquery(*c) ? with_subquery : plain).push_back(c);
    }
    if (!plain.empty()) {
      ExprBinder b(scope, params_, nullptr, "WHERE");
      std::vector<plan::Expr> preds;
      for (const ast::Expr* c : plain) preds.push_back(b.BindCondition(*c));
      node = FilterNode(std::move(node), AndAll(std::move(preds)));
    }
    MarkJoinRegion(node.get());
    // Conditions with subqueries apply after the joins of the FROM list.
    for (const ast::Expr* c : with_subquery) {
      const ast::Expr* x = c;
      bool negated = false;
      if (x->kind == ast::ExprKind::kUnary && x->op == "NOT" &&
          (x->args[0]->kind == ast::ExprKind::kExists || x->args[0]->kind == ast::ExprKind::kInSubquery)) {
        negated = true;
        x = x->args[0].get();
      }
      if (x->kind == ast::ExprKind::kExists) {
        AttachExists(*x, negated != x->negated, &node, scope);
      } else if (x->kind == ast::ExprKind::kInSubquery && AttachIn(*x, negated != x->negated, &node, scope)) {
        // joined as a semi / NULL-aware anti join
      } else {
        x = c;  // a quantified or correlated IN is a value (with its NOT) like any other
        std::vector<PendingSubquery> pending;
        int width = static_cast<int>(node->columns.size());
        ExprBinder b(scope, params_, nullptr, "WHERE", [&](const ast::Expr& sq) {
          return BindSubqueryValue(sq, scope, width, nullptr, &pending);
        });
        plan::Expr pred = b.BindCondition(*x);
        std::vector<int> mapping = AttachPending(&pending, &node);
        RemapPlaceholders(&pred, mapping);
        node = FilterNode(std::move(node), std::move(pred));
      }
    }
    aggregating = !s.group_by.empty() || (s.having != nullptr) || !s.grouping_sets.empty();
    post_width = static_cast<int>(node->columns.size());
    for (const auto& t : s.targets) if (t.expr && ContainsAggregate(*t.expr)) aggregating = true;
    for (const auto& o : s.order_by) if (ContainsAggregate(*o.expr)) aggregating = true;

    if (aggregating) {
      agg.input = &scope;
      ExprBinder gb(scope, params_, nullptr, "GROUP BY");
      key_of_item.clear();
      for (const auto& g : s.group_by) {
        if (ContainsAggregate(*g)) FailAt(sqlstate::kGroupingError, "aggregate functions are not allowed in GROUP BY", g->location);
        plan::Expr ge;
        // GROUP BY n refers to the n-th select item; GROUP BY name may name an output alias.
        if (g->kind == ast::ExprKind::kLiteral && g->literal_kind == ast::LiteralKind::kInteger) {
          int pos = SelectListPosition(*g, "GROUP BY");
          if (pos < 1 || pos > static_cast<int>(s.targets.size())) {
            FailAt(sqlstate::kInvalidColumnReference, StrCat("GROUP BY position ", pos, " is not in select list"), g->location);
          }
          ge = gb.Bind(*s.targets[pos - 1].expr);
        } else if (g->kind == ast::ExprKind::kColumnRef && g->names.size() == 1 && !ResolvesIn(*g, scope)) {
          const ast::Expr* aliased = nullptr;
          for (const auto& t : s.targets) if (t.alias == g->names[0]) aliased = t.expr.get();
          ge = gb.Bind(aliased ? *aliased : *g);
        } else {
          ge = gb.Bind(*g);
        }
        std::string key = ge.SerializeAsString();
        if (!s.grouping_sets.empty()) {
          // Grouping sets name each expression once: a repeat is the same key.
          auto same = std::find(agg.group_keys.begin(), agg.group_keys.end(), key);
          key_of_item.push_back(static_cast<int>(same - agg.group_keys.begin()));
          if (same != agg.group_keys.end()) continue;
        }
        agg.group_keys.push_back(std::move(key));
        agg.groups.push_back(std::move(ge));
      }
      if (!s.grouping_sets.empty()) {
        // The grouping set each row comes from, as GROUPING() reads it: bit k set when key k is
        // not grouped in it. Never matched by an expression (its key is no serialization).
        agg.grouping_id = static_cast<int>(agg.groups.size());
        agg.group_keys.push_back("\x01grouping_id");
        agg.groups.push_back(Int64Literal(0, SqlType::Int64()));
      }
    }
    ExprBinder sb(scope, params_, aggregating ? &agg : nullptr, "SELECT", post_hook);
    sb.SetWindowHook(window_hook);
    sb.SetSetReturningHook(set_returning_hook);
    for (const auto& t : s.targets) {
      if (t.expr->kind == ast::ExprKind::kStar) {
        std::string q = t.expr->names.empty() ? "" : t.expr->names[0];
        bool any = false;
        for (size_t i = 0; i < scope.columns.size(); ++i) {
          if (!q.empty() && scope.columns[i].qualifier != q) continue;
          if (scope.columns[i].name == ast::kRowIdColumnName || scope.columns[i].hidden) continue;  // hidden
          any = true;
          if (!t.expr->carries_target) MarkColumnRead(params_, scope.columns[i]);
          plan::Expr c = ColumnExpr(static_cast<int>(i), scope.columns[i].type);
          if (aggregating) {
            // With GROUP BY, each column * names must be grouped: it reads that group's column.
            std::string key = c.SerializeAsString();
            auto g = std::find(agg.group_keys.begin(), agg.group_keys.end(), key);
            if (g == agg.group_keys.end()) {
              const ScopeColumn& sc = scope.columns[i];
              FailAt(sqlstate::kGroupingError,
                     StrCat("column \"", sc.qualifier.empty() ? sc.name : sc.qualifier + "." + sc.name,
                            "\" must appear in the GROUP BY clause or be used in an aggregate function"),
                     t.expr->location);
            }
            c = ColumnExpr(static_cast<int>(g - agg.group_keys.begin()), scope.columns[i].type);
          }
          select_exprs.push_back(std::move(c));
          select_cols.push_back({scope.columns[i].name, scope.columns[i].type});
        }
        if (!any && !q.empty()) FailAt(sqlstate::kUndefinedTable, StrCat("missing FROM-clause entry for table \"", q, "\""), t.expr->location);
        continue;
      }
      plan::Expr e = sb.Bind(*t.expr);
      if (IsUntypedStringLiteral(e)) e = CoerceTo(std::move(e), SqlType::Text());
      if (ExprType(e).id == TypeId::kNull) e = NullLiteral(SqlType::Text());
      select_cols.push_back({t.alias.empty() ? DefaultColumnName(*t.expr) : t.alias, ExprType(e)});
      select_exprs.push_back(std::move(e));
    }
  }

  // ORDER BY: output alias, output position, or an expression (hidden column when not selected).
  std::vector<plan::SortKey> sort_keys;
  size_t visible = select_exprs.size();
  std::vector<plan::Expr> having;
  if (aggregating && s.having) {
    ExprBinder hb(scope, params_, &agg, "HAVING", post_hook);
    having.push_back(hb.BindCondition(*s.having));
  }
  // An ORDER BY or DISTINCT ON item as a column of the select list (hidden when not selected).
  auto output_index = [&](const ast::Expr& x, const char* clause) {
    int index = -1;
    if (x.kind == ast::ExprKind::kLiteral && x.literal_kind == ast::LiteralKind::kInteger) {
      int pos = SelectListPosition(x, clause);
      if (pos < 1 || pos > static_cast<int>(visible)) {
        FailAt(sqlstate::kInvalidColumnReference, StrCat(clause, " position ", pos, " is not in select list"), x.location);
      }
      return pos - 1;
    }
    if (x.kind == ast::ExprKind::kColumnRef && x.names.size() == 1) {
      // An output name wins over an input column (PostgreSQL's rule for bare names).
      for (size_t i = 0; i < visible && i < s.targets.size(); ++i) {
        const auto& t = s.targets[i];
        bool named = t.alias == x.names[0] ||
                     (t.alias.empty() && t.expr->kind == ast::ExprKind::kColumnRef && t.expr->names.back() == x.names[0]);
        if (named && select_cols[i].name == x.names[0]) return static_cast<int>(i);
      }
    }
    ExprBinder ob(scope, params_, aggregating ? &agg : nullptr, clause, post_hook);
    if (s.values.empty()) ob.SetWindowHook(window_hook);
    plan::Expr e = ob.Bind(x);
    std::string key = e.SerializeAsString();
    for (size_t i = 0; i < select_exprs.size(); ++i) {
      if (select_exprs[i].SerializeAsString() == key) return static_cast<int>(i);
    }
    if (s.distinct) {
      FailAt(sqlstate::kInvalidColumnReference, "for SELECT DISTINCT, ORDER BY expressions must appear in select list", x.location);
    }
    index = static_cast<int>(select_exprs.size());
    select_cols.push_back({"?sort?", ExprType(e)});
    select_exprs.push_back(std::move(e));
    return index;
  };
  for (const auto& o : s.order_by) {
    int index = output_index(*o.expr, "ORDER BY");
    plan::SortKey k;
    *k.mutable_expr() = ColumnExpr(index, select_cols[index].type);
    k.set_desc(o.desc);
    k.set_nulls_first(o.nulls_first.value_or(o.desc));
    sort_keys.push_back(std::move(k));
  }
  std::vector<int> distinct_on;
  for (const auto& x : s.distinct_on) distinct_on.push_back(output_index(*x, "DISTINCT ON"));
  // PostgreSQL's rule: the leading ORDER BY items are DISTINCT ON's expressions (in any order).
  for (size_t i = 0; i < sort_keys.size() && i < distinct_on.size(); ++i) {
    int key = sort_keys[i].expr().column();
    if (std::find(distinct_on.begin(), distinct_on.end(), key) == distinct_on.end()) {
      FailAt(sqlstate::kInvalidColumnReference, "SELECT DISTINCT ON expressions must match initial ORDER BY expressions",
             s.distinct_on[0]->location);
    }
  }

  if (aggregating && !s.grouping_sets.empty()) {
    std::vector<std::vector<int>> sets;
    for (const auto& set : s.grouping_sets) {
      std::vector<int> keys;
      for (int item : set) {
        int k = key_of_item[item];
        if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
      }
      sets.push_back(std::move(keys));
    }
    node = GroupingSetsAggregate(std::move(node), agg, sets);
  } else if (aggregating) {
    auto a = MakeNode(LogicalKind::kAggregate);
    a->estimated_rows = GroupCount(agg.groups, *node);
    a->children.push_back(std::move(node));
    for (size_t i = 0; i < agg.groups.size(); ++i) a->columns.push_back({"group" + std::to_string(i), ExprType(agg.groups[i])});
    for (size_t i = 0; i < agg.aggs.size(); ++i) a->columns.push_back({"agg" + std::to_string(i), FromProtoType(agg.aggs[i].result_type())});
    a->groups = agg.groups;
    a->aggs = agg.aggs;
    node = std::move(a);
  }
  if (!post.empty()) {
    std::vector<int> mapping = AttachPending(&post, &node);
    for (auto& h : having) RemapPlaceholders(&h, mapping);
    for (auto& e : select_exprs) RemapPlaceholders(&e, mapping);
    windows.VisitExprs([&](plan::Expr* e) { RemapPlaceholders(e, mapping); });
    set_returning.VisitExprs([&](plan::Expr* e) { RemapPlaceholders(e, mapping); });
  }
  if (!having.empty()) node = FilterNode(std::move(node), std::move(having[0]));
  // Window functions see the rows after GROUP BY / HAVING, before DISTINCT, ORDER BY and LIMIT;
  // so do set-returning functions, after the windows (whose results their arguments may read).
  if (!windows.empty()) {
    std::vector<plan::Expr*> srf_args;
    set_returning.VisitExprs([&](plan::Expr* e) { srf_args.push_back(e); });
    const size_t selected = select_exprs.size();
    for (plan::Expr* a : srf_args) select_exprs.push_back(std::move(*a));
    windows.Attach(&node, &select_exprs);
    for (size_t i = 0; i < srf_args.size(); ++i) *srf_args[i] = std::move(select_exprs[selected + i]);
    select_exprs.resize(selected);
  }
  if (!set_returning.empty()) set_returning.Attach(&node, &select_exprs);
  node = ProjectNode(std::move(node), std::move(select_exprs), select_cols);
  if (!distinct_on.empty()) node = KeepFirstPerGroup(std::move(node), distinct_on, sort_keys);
  if (s.distinct) {
    auto d = MakeNode(LogicalKind::kAggregate);
    d->columns = node->columns;
    d->estimated_rows = node->estimated_rows;
    for (size_t i = 0; i < node->columns.size(); ++i) d->groups.push_back(ColumnExpr(static_cast<int>(i), node->columns[i].type));
    d->children.push_back(std::move(node));
    node = std::move(d);
  }
  int64_t limit = s.limit ? ConstantCount(*s.limit, "LIMIT", params_) : -1;
  int64_t offset = s.offset ? ConstantCount(*s.offset, "OFFSET", params_) : 0;
  if (offset < 0) offset = 0;  // OFFSET NULL
  node = SortAndLimit(std::move(node), std::move(sort_keys), limit, offset);
  if (node->columns.size() > visible) {
    std::vector<plan::Expr> keep;
    std::vector<OutputColumn> cols;
    for (size_t i = 0; i < visible; ++i) {
      keep.push_back(ColumnExpr(static_cast<int>(i), node->columns[i].type));
      cols.push_back(node->columns[i]);
    }
    node = ProjectNode(std::move(node), std::move(keep), std::move(cols));
  }
  return node;
}

}  // namespace strata
