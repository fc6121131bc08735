// WITH RECURSIVE: binding a query that reads itself (`base UNION [ALL] step`, the step reading
// the query's own name) into a RecursiveCte (planner/logical_plan.h) that the leader computes
// round by round before the statement runs (server/leader_recursive.cpp). Outside its own
// definition the query is read as the leader relation of its rows; inside the step, its name
// is the working table: the rows the previous round added. A WITH RECURSIVE query that does
// not read itself is bound in place like any WITH query.
#include <algorithm>

#include "planner/expr_builder.h"
#include "planner/select_binder.h"
#include "planner/type_coercion.h"
#include "sql/error.h"

namespace strata {

namespace {

using Binding = BindState::RecursiveBinding;

// A relation the leader supplies rows for, read as `qualifier`.
LogicalPtr LeaderRelation(const std::string& name, const std::vector<OutputColumn>& columns, const std::string& qualifier,
                          Scope* scope) {
  auto n = std::make_unique<LogicalNode>();
  n->kind = LogicalKind::kSystemTable;
  n->system_table = name;
  n->columns = columns;
  n->estimated_rows = 100;
  for (const auto& c : columns) scope->columns.push_back({qualifier, c.name, c.type});
  return n;
}

// `node`'s rows as `columns` (same count): string columns relabelled, others cast.
LogicalPtr ProjectAs(LogicalPtr node, const std::vector<OutputColumn>& columns) {
  bool same = true;
  for (size_t i = 0; i < columns.size(); ++i) same = same && node->columns[i].type == columns[i].type && node->columns[i].name == columns[i].name;
  if (same) return node;
  auto p = std::make_unique<LogicalNode>();
  p->kind = LogicalKind::kProject;
  p->estimated_rows = node->estimated_rows;
  for (size_t i = 0; i < columns.size(); ++i) {
    const SqlType& from = node->columns[i].type;
    plan::Expr col = ColumnExpr(static_cast<int>(i), from);
    bool relabel = from == columns[i].type || (from.is_string() && columns[i].type.is_string());
    if (relabel) *col.mutable_type() = ToProtoType(columns[i].type);
    p->exprs.push_back(relabel ? std::move(col) : CoerceTo(std::move(col), columns[i].type));
    p->columns.push_back(columns[i]);
  }
  p->children.push_back(std::move(node));
  return p;
}

}  // namespace

LogicalPtr SelectBinder::BindCteReference(const ast::CommonTableExpr& c, const std::string& qualifier, Scope* scope, int location) {
  if (!c.recursive) return BindNamedQuery(*c.query, c.column_names, qualifier, scope);
  auto done = params_->recursive_index.find(&c);
  if (done != params_->recursive_index.end()) {
    const RecursiveCte& r = params_->recursive_ctes[done->second];
    return LeaderRelation(r.result_name, r.columns, qualifier, scope);
  }
  auto& states = params_->recursive_state;
  auto open = states.find(&c);
  if (open != states.end()) {
    Binding& b = open->second;
    if (b.part == Binding::kBase) {
      FailAt(sqlstate::kInvalidRecursion, StrCat("recursive reference to query \"", c.name, "\" must not appear within its non-recursive term"), location);
    }
    if (b.part == Binding::kWhole) {
      FailAt(sqlstate::kInvalidRecursion,
             StrCat("recursive query \"", c.name, "\" does not have the form non-recursive-term UNION [ALL] recursive-term"), c.location);
    }
    if (++b.references > 1) {
      FailAt(sqlstate::kInvalidRecursion, StrCat("recursive reference to query \"", c.name, "\" must not appear more than once"), location);
    }
    return LeaderRelation(b.working_name, b.columns, qualifier, scope);
  }

  const ast::SelectStmt& q = *c.query;
  struct Erase {
    std::map<const ast::CommonTableExpr*, Binding>* m;
    const ast::CommonTableExpr* key;
    ~Erase() { m->erase(key); }
  } erase{&states, &c};
  if (q.op != ast::SetOp::kUnion || !q.with.empty()) {  // no recursion possible: bound in place
    states[&c].part = Binding::kWhole;
    return BindNamedQuery(q, c.column_names, qualifier, scope);
  }
  if (!q.order_by.empty() || q.limit || q.offset) {
    FailAt(sqlstate::kFeatureNotSupported, StrCat("ORDER BY / LIMIT / OFFSET in recursive query \"", c.name, "\" are not supported"), c.location);
  }
  // The non-recursive term fixes the columns' names and types.
  states[&c].part = Binding::kBase;
  LogicalPtr base = BindQuery(*q.larg);
  if (c.column_names.size() > base->columns.size()) {
    FailAt(sqlstate::kInvalidColumnReference,
           StrCat("\"", c.name, "\" has ", base->columns.size(), " columns available but ", c.column_names.size(), " columns specified"),
           c.location);
  }
  std::vector<OutputColumn> columns = base->columns;
  for (size_t i = 0; i < c.column_names.size(); ++i) columns[i].name = c.column_names[i];
  int index = static_cast<int>(params_->recursive_ctes.size());
  Binding& b = states[&c];
  b.part = Binding::kStep;
  b.working_name = StrCat("$working:", index, ":", c.name);
  b.columns = columns;
  LogicalPtr step = BindQuery(*q.rarg);
  if (b.references == 0) {  // it does not read itself after all
    states[&c].part = Binding::kWhole;
    return BindNamedQuery(q, c.column_names, qualifier, scope);
  }
  // Aggregating the step would aggregate one round's rows only: PostgreSQL refuses it, as here.
  const ast::SelectStmt& rec = *q.rarg;
  bool aggregates = !rec.group_by.empty() || rec.having != nullptr ||
                    std::any_of(rec.targets.begin(), rec.targets.end(), [](const ast::SelectItem& t) { return t.expr && ContainsAggregate(*t.expr); });
  if (rec.op == ast::SetOp::kNone && aggregates) {
    FailAt(sqlstate::kInvalidRecursion, "aggregate functions are not allowed in a recursive query's recursive term", q.rarg->location);
  }
  if (step->columns.size() != columns.size()) {
    FailAt(sqlstate::kSyntaxError, "each UNION query must have the same number of columns", q.rarg->location);
  }
  // The step's rows take the base's types; strings of different lengths are read as text.
  for (size_t i = 0; i < columns.size(); ++i) {
    const SqlType& want = columns[i].type;
    const SqlType& got = step->columns[i].type;
    if (want == got || got.id == TypeId::kNull) continue;
    if (want.is_string() && got.is_string()) {
      columns[i].type = SqlType::Text();
      continue;
    }
    FailAt(sqlstate::kDatatypeMismatch,
           StrCat("recursive query \"", c.name, "\" column ", i + 1, " has type ", want.ToString(), " in non-recursive term but type ",
                  got.ToString(), " overall"),
           q.larg->location);
  }
  RecursiveCte r;
  r.name = c.name;
  r.result_name = StrCat("$recursive:", index, ":", c.name);
  r.working_name = b.working_name;
  r.union_all = q.all;
  r.base = ProjectAs(std::move(base), columns);
  r.step = ProjectAs(std::move(step), columns);
  r.columns = columns;
  params_->recursive_ctes.push_back(std::move(r));
  params_->recursive_index[&c] = index;
  return LeaderRelation(params_->recursive_ctes[index].result_name, columns, qualifier, scope);
}

}  // namespace strata
