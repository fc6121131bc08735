// Redshift's PIVOT and UNPIVOT of a table reference (sql/redshift_dialect.cpp lifts the clause
// into an ast::PivotSpec). Both become an ordinary query over the reference, written as SQL and
// bound with the reference standing, already bound, for its first FROM item:
//
//   X PIVOT (avg(price) FOR partname IN ('prop', 'wing'))
//     SELECT <X's other columns>, avg(CASE WHEN (partname) IS NOT DISTINCT FROM ('prop') THEN price END) AS "prop", ...
//     FROM X GROUP BY <X's other columns>
//   X UNPIVOT (cnt FOR color IN (red, green))
//     SELECT <X's other columns>, CASE ord WHEN 1 THEN 'red' WHEN 2 THEN 'green' END AS color,
//            CASE ord WHEN 1 THEN red WHEN 2 THEN green END AS cnt
//     FROM X, generate_series(1, 2) AS _(ord) WHERE <cnt> IS NOT NULL   -- unless INCLUDE NULLS
//
// So a PIVOT's implicit grouping columns are every column of X its aggregates and FOR column do
// not read, an IN value matches NULLs too (Redshift's IN (NULL) counts the NULLs), and UNPIVOT
// reads X once.
#include <set>
#include <string>
#include <vector>

#include "planner/select_binder.h"
#include "sql/error.h"
#include "sql/parser.h"
#include "sql/redshift_dialect.h"

namespace strata {
namespace {

void CollectColumnNames(const ast::Expr* e, std::set<std::string>* out) {
  if (e == nullptr) return;
  if (e->kind == ast::ExprKind::kColumnRef && !e->names.empty()) out->insert(e->names.back());
  for (const auto& a : e->args) CollectColumnNames(a.get(), out);
  CollectColumnNames(e->case_operand.get(), out);
  for (const auto& w : e->when) CollectColumnNames(w.get(), out);
  for (const auto& t : e->then) CollectColumnNames(t.get(), out);
  CollectColumnNames(e->else_expr.get(), out);
  CollectColumnNames(e->filter.get(), out);
}

std::string QuoteLiteral(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string JoinQuoted(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + QuoteIdentifier(n);
  return out;
}

// The SQL of a PIVOT over a reference whose columns are `columns`.
std::string PivotSql(const ast::PivotSpec& p, const std::vector<std::string>& columns) {
  std::vector<ast::Statement> items = ParseSql("SELECT " + p.items_sql);
  std::set<std::string> read;
  if (items.size() == 1 && items[0].select != nullptr) {
    for (const auto& t : items[0].select->targets) CollectColumnNames(t.expr.get(), &read);
  }
  std::vector<std::string> groups;
  for (const auto& c : columns) {
    if (!read.count(c)) groups.push_back(c);
  }
  std::string sql = "SELECT " + JoinQuoted(groups) + (groups.empty() ? "" : ", ") + p.items_sql + " FROM _pivot_source_";
  if (!groups.empty()) sql += " GROUP BY " + JoinQuoted(groups);
  return sql;
}

// The SQL of an UNPIVOT over a reference whose columns are `columns`.
std::string UnpivotSql(const ast::PivotSpec& p, const std::vector<std::string>& columns) {
  std::set<std::string> rotated;
  for (const auto& c : p.in_columns) rotated.insert(NormalizeIdentifier(c));
  std::vector<std::string> rest;
  for (const auto& c : columns) {
    if (!rotated.count(c)) rest.push_back(c);
  }
  std::string names = "CASE \"_unpivot_ordinal_\"", values = "CASE \"_unpivot_ordinal_\"";
  for (size_t i = 0; i < p.in_columns.size(); ++i) {
    names += StrCat(" WHEN ", i + 1, " THEN ", QuoteLiteral(p.in_names[i]));
    values += StrCat(" WHEN ", i + 1, " THEN ", p.in_columns[i]);
  }
  names += " END";
  values += " END";
  std::string sql = "SELECT " + JoinQuoted(rest) + (rest.empty() ? "" : ", ") + names + " AS " +
                    QuoteIdentifier(p.name_column) + ", " + values + " AS " + QuoteIdentifier(p.value_column) +
                    StrCat(" FROM _pivot_source_, generate_series(1, ", p.in_columns.size(),
                           ") AS _unpivot_(\"_unpivot_ordinal_\")");
  if (!p.include_nulls) sql += " WHERE (" + values + ") IS NOT NULL";
  return sql;
}

}  // namespace

LogicalPtr SelectBinder::BindPivot(const ast::TableRef& ref, Scope* scope) {
  const ast::PivotSpec& p = *ref.pivot;
  Scope source_scope;
  LogicalPtr source = BindFrom(*ref.left, &source_scope);
  std::vector<std::string> columns;
  for (const auto& c : source_scope.columns) columns.push_back(c.name);
  try {
    std::vector<ast::Statement> parsed = ParseSql(p.unpivot ? UnpivotSql(p, columns) : PivotSql(p, columns));
    if (parsed.size() != 1 || parsed[0].select == nullptr) {
      FailAt(sqlstate::kSyntaxError, p.unpivot ? "malformed UNPIVOT" : "malformed PIVOT", p.location);
    }
    prebound_ = {parsed[0].select.get(), std::move(source), std::move(source_scope)};
    const std::string qualifier = !ref.alias.empty() ? ref.alias : p.unpivot ? "unpivot" : "pivot";
    LogicalPtr out = BindNamedQuery(*parsed[0].select, {}, qualifier, scope);
    prebound_ = PreboundFrom();
    return out;
  } catch (const SqlError& e) {
    prebound_ = PreboundFrom();
    // Positions inside the written query mean nothing to the user: point at the clause.
    throw SqlError(e.sqlstate(), e.message(), p.location);
  }
}

}  // namespace strata
