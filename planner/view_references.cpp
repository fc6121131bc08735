// See view_references.h.
#include "planner/view_references.h"

#include <algorithm>
#include <map>
#include <set>

#include "planner/name_resolution.h"
#include "planner/session_values.h"
#include "sql/error.h"
#include "sql/parser.h"
#include "sql/redshift_dialect.h"

namespace strata {
namespace {

class Walker {
 public:
  void Query(const ast::SelectStmt& q) {
    for (const auto& cte : q.with) {
      with_names.insert(cte.name);
      if (cte.query) Query(*cte.query);
    }
    for (const auto& e : q.distinct_on) Expr(e.get());
    for (const auto& t : q.targets) Expr(t.expr.get());
    for (const auto& f : q.from) if (f) From(*f);
    Expr(q.where.get());
    for (const auto& e : q.group_by) Expr(e.get());
    Expr(q.having.get());
    for (const auto& row : q.values) for (const auto& e : row) Expr(e.get());
    if (q.larg) Query(*q.larg);
    if (q.rarg) Query(*q.rarg);
    for (const auto& o : q.order_by) Expr(o.expr.get());
    Expr(q.limit.get());
    Expr(q.offset.get());
  }

  std::vector<ast::QualifiedName> names;
  std::vector<bool> aliased;  // names[i] has an alias in its FROM item
  std::set<std::string> with_names;

 private:
  void From(const ast::TableRef& r) {
    if (r.kind == ast::TableRef::Kind::kTable) {
      names.push_back({r.schema, r.name, r.location});
      aliased.push_back(!r.alias.empty());
    }
    if (r.left) From(*r.left);
    if (r.right) From(*r.right);
    if (r.subquery) Query(*r.subquery);
    Expr(r.on.get());
  }

  void Expr(const ast::Expr* e) {
    if (e == nullptr) return;
    for (const auto& a : e->args) Expr(a.get());
    Expr(e->case_operand.get());
    for (const auto& w : e->when) Expr(w.get());
    for (const auto& t : e->then) Expr(t.get());
    Expr(e->else_expr.get());
    Expr(e->filter.get());
    if (e->agg_order) Expr(e->agg_order->expr.get());
    if (e->subquery) Query(*e->subquery);
  }
};

}  // namespace

std::vector<ast::QualifiedName> RelationsNamedIn(const ast::SelectStmt& q) {
  Walker w;
  w.Query(q);
  std::vector<ast::QualifiedName> out;
  for (auto& n : w.names) {
    if (n.schema.empty() && w.with_names.count(n.name)) continue;
    out.push_back(std::move(n));
  }
  return out;
}

std::vector<int64_t> ViewReads(const CatalogVersion& cat, const catalog::Table& view) {
  if (view.late_binding()) return {};  // bound when read: it depends on nothing
  std::vector<ast::Statement> parsed;
  try {
    parsed = ParseSql(view.view_sql());
  } catch (const SqlError&) {
    return {};  // a definition that no longer parses reads nothing
  }
  if (parsed.size() != 1 || parsed[0].select == nullptr) return {};
  std::map<std::string, std::string> settings;
  if (!view.view_search_path().empty()) settings["search_path"] = view.view_search_path();
  SessionValues session;
  session.settings = &settings;
  std::vector<int64_t> out;
  for (const ast::QualifiedName& name : RelationsNamedIn(*parsed[0].select)) {
    const catalog::Table* t = LookupTable(cat, &session, name.schema, name.name);
    if (t == nullptr || t->id() == view.id() || std::find(out.begin(), out.end(), t->id()) != out.end()) continue;
    out.push_back(t->id());
  }
  return out;
}

std::vector<int64_t> ViewsReading(const CatalogVersion& cat, int64_t id) {
  std::vector<int64_t> out;
  for (const auto& t : cat.tables()) {
    if (!t.is_view()) continue;
    const std::vector<int64_t> reads = ViewReads(cat, t);
    if (std::find(reads.begin(), reads.end(), id) != reads.end()) out.push_back(t.id());
  }
  return out;
}

std::vector<int64_t> DependentViews(const CatalogVersion& cat, const std::vector<int64_t>& ids) {
  std::map<int64_t, std::vector<int64_t>> reads;  // every view's, computed once
  for (const auto& t : cat.tables()) {
    if (t.is_view()) reads[t.id()] = ViewReads(cat, t);
  }
  std::set<int64_t> gone(ids.begin(), ids.end());
  std::vector<int64_t> out;
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& [view, read] : reads) {
      if (gone.count(view)) continue;
      if (std::any_of(read.begin(), read.end(), [&](int64_t r) { return gone.count(r) > 0; })) {
        gone.insert(view);
        out.push_back(view);
        grew = true;
      }
    }
  }
  return out;
}

std::string ViewSqlAfterRename(const CatalogVersion& cat, const catalog::Table& view, int64_t renamed,
                               const std::string& new_name) {
  const std::string& sql = view.view_sql();
  std::vector<ast::Statement> parsed;
  try {
    parsed = ParseSql(sql);
  } catch (const SqlError&) {
    return sql;
  }
  if (parsed.size() != 1 || parsed[0].select == nullptr) return sql;
  Walker w;
  w.Query(*parsed[0].select);
  std::map<std::string, std::string> settings;
  if (!view.view_search_path().empty()) settings["search_path"] = view.view_search_path();
  SessionValues session;
  session.settings = &settings;
  std::vector<SqlToken> tokens;
  if (!ScanSqlTokens(sql, &tokens)) return sql;
  // The name tokens to replace, last first so that earlier offsets stay right.
  std::vector<std::pair<size_t, std::string>> edits;  // token index, replacement
  for (size_t i = 0; i < w.names.size(); ++i) {
    const ast::QualifiedName& n = w.names[i];
    if (n.schema.empty() && w.with_names.count(n.name)) continue;
    const catalog::Table* t = LookupTable(cat, &session, n.schema, n.name);
    if (t == nullptr || t->id() != renamed || n.location < 0) continue;
    // The reference's tokens: name ('.' name)*, starting at its location; the last is the name.
    size_t k = 0;
    while (k < tokens.size() && tokens[k].start < n.location) ++k;
    if (k == tokens.size() || tokens[k].start != n.location) continue;
    while (k + 2 < tokens.size() && sql.compare(tokens[k + 1].start, 1, ".") == 0 &&
           tokens[k + 1].end - tokens[k + 1].start == 1) {
      k += 2;
    }
    // Without an alias of its own, the old name becomes one, so the view's qualified column
    // names (t.a) still mean this table.
    edits.push_back({k, QuoteIdentifier(new_name) + (w.aliased[i] ? "" : " " + QuoteIdentifier(n.name))});
  }
  std::string out = sql;
  std::sort(edits.begin(), edits.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (const auto& [k, text] : edits) out.replace(tokens[k].start, tokens[k].end - tokens[k].start, text);
  return out;
}

std::string RelationDescription(const catalog::Table& t) {
  return StrCat(t.is_view() ? "view " : "table ", t.schema() == "public" ? "" : t.schema() + ".", t.name());
}

}  // namespace strata
