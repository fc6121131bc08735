#include "planner/binder.h"

#include "planner/session_values.h"

#include <algorithm>
#include <functional>
#include <set>

#include "planner/bind_helpers.h"
#include "planner/copy_binder.h"
#include "planner/dml_binder.h"
#include "planner/merge_binder.h"
#include "planner/expr_builder.h"
#include "planner/identity_columns.h"
#include "planner/select_binder.h"
#include "planner/table_constraints.h"
#include "planner/name_resolution.h"
#include "sql/nesting_limit.h"
#include "sql/error.h"
#include "sql/parser.h"
#include "catalog/catalog_privileges.h"
#include "catalog/catalog_store.h"
#include "storage/encoding.h"
#include "catalog/table_styles.h"
#include "planner/view_references.h"

namespace strata {

namespace {

std::string Upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// CREATE TABLE t (LIKE s [INCLUDING DEFAULTS]): s's columns (types, NOT NULL, encodings, and
// the defaults when asked) and, unless the statement gives its own, s's distribution and sort key.
void CopyLikeTable(const ast::CreateTableStmt& ct, const CatalogVersion& cat, const SessionValues* sv, catalog::Table* t) {
  const catalog::Table* src = LookupTable(cat, sv, ct.like_schema, ct.like_name);
  if (src == nullptr || src->is_view() || src->has_external()) {
    FailAt(sqlstate::kUndefinedTable, StrCat("relation \"", ct.like_name, "\" does not exist"));
  }
  for (const auto& c : src->columns()) {
    auto* nc = t->add_columns();
    nc->set_name(c.name());
    *nc->mutable_type() = c.type();
    nc->set_not_null(c.not_null());
    nc->set_encode(c.encode());
    if (ct.like_including_defaults && c.has_default_value()) *nc->mutable_default_value() = c.default_value();
    if (ct.like_including_defaults && c.has_identity()) {
      *nc->mutable_identity() = c.identity();
      nc->mutable_identity()->set_next_value(c.identity().start());
    }
  }
  if (ct.diststyle.empty() && ct.distkey.empty()) {
    t->set_dist_style(src->dist_style());
    t->set_distkey(src->distkey());
  }
  if (ct.sortkey.empty()) {
    *t->mutable_sortkey() = src->sortkey();
    t->set_sort_style(src->sort_style());
  }
}

// DROP TABLE / VIEW: what depends on the relations dropped — the views that read them (through
// other views too) and the foreign keys that reference them — makes the drop fail with 2BP01, as
// in PostgreSQL, or with CASCADE goes too, with a NOTICE.
void BindDropDependents(const CatalogVersion& cat, bool cascade, BoundStatement* out) {
  std::set<int64_t> gone(out->drop_ids.begin(), out->drop_ids.end());
  std::vector<std::string> depends, cascades;
  std::vector<int64_t> views = DependentViews(cat, out->drop_ids);
  for (int64_t id : views) {
    const catalog::Table* v = cat.TableById(id);
    if (v == nullptr) continue;
    for (int64_t read : ViewReads(cat, *v)) {
      const catalog::Table* r = cat.TableById(read);
      if (r == nullptr || !gone.count(read)) continue;
      depends.push_back(StrCat(RelationDescription(*v), " depends on ", RelationDescription(*r)));
      break;
    }
    cascades.push_back(RelationDescription(*v));
    gone.insert(id);
  }
  for (const auto& t : cat.tables()) {
    if (gone.count(t.id())) continue;
    for (const auto& c : t.constraints()) {
      if (!IsForeignKey(c) || !gone.count(c.ref_table_id())) continue;
      const catalog::Table* r = cat.TableById(c.ref_table_id());
      const std::string on = StrCat("constraint ", c.name(), " on ", RelationDescription(t));
      depends.push_back(StrCat(on, " depends on ", r != nullptr ? RelationDescription(*r) : "table"));
      cascades.push_back(on);
      out->drop_constraints.push_back({t.id(), c.name()});
    }
  }
  if (depends.empty()) return;
  if (!cascade) {
    const catalog::Table* first = cat.TableById(out->drop_ids.front());
    std::string detail;
    for (const auto& d : depends) detail += (detail.empty() ? "" : "\n") + d;
    throw SqlError(sqlstate::kDependentObjectsStillExist,
                   StrCat("cannot drop ", first != nullptr ? RelationDescription(*first) : "relation",
                          " because other objects depend on it"))
        .WithDetail(detail)
        .WithHint("Use DROP ... CASCADE to drop the dependent objects too.");
  }
  out->drop_ids.insert(out->drop_ids.end(), views.begin(), views.end());
  out->notices.push_back(cascades.size() == 1 ? "drop cascades to " + cascades[0]
                                              : StrCat("drop cascades to ", cascades.size(), " other objects"));
}

void BindCreateTable(const ast::CreateTableStmt& ct, const CatalogVersion& cat, BindState* params,
                     BoundStatement* out) {
  // A temporary table (CREATE TEMP TABLE, or a table created in pg_temp) goes to the session's
  // own schema, which it makes exist.
  bool temporary = ct.temporary || ct.schema == "pg_temp";
  if (ct.temporary && !ct.schema.empty() && ct.schema != "pg_temp") {
    FailAt(sqlstate::kInvalidTableDefinition, "cannot create temporary relation in non-temporary schema");
  }
  if (temporary && (params->session == nullptr || params->session->temp_schema.empty())) {
    FailAt(sqlstate::kFeatureNotSupported, "temporary tables need a session");
  }
  std::string schema = temporary ? params->session->temp_schema : CreationSchema(cat, params->session, ct.schema);
  // A table created in the session's own temporary schema (through search_path) is temporary.
  if (params->session != nullptr && schema == params->session->temp_schema) temporary = true;
  out->if_not_exists = ct.if_not_exists;
  if (FindTable(cat, schema, ct.name) != nullptr) {
    if (ct.if_not_exists) return;
    FailAt(sqlstate::kDuplicateTable, StrCat("relation \"", ct.name, "\" already exists"));
  }
  catalog::Table& t = out->table;
  t.set_schema(schema);
  t.set_name(ct.name);
  t.set_temporary(temporary);
  if (!ct.like_name.empty()) {
    CopyLikeTable(ct, cat, params->session, &t);
    if (ct.diststyle.empty() && ct.distkey.empty() && ct.sortkey.empty()) return;
  }
  // CREATE TABLE AS: the query's columns, its rows to insert once the table exists.
  if (ct.as_select) {
    SelectBinder sb(cat, params);
    LogicalPtr q = sb.BindQuery(*ct.as_select);
    std::vector<plan::Expr> exprs;
    std::vector<OutputColumn> cols;
    std::set<std::string> seen;
    for (size_t i = 0; i < q->columns.size(); ++i) {
      SqlType type = q->columns[i].type;
      if (type.id == TypeId::kNull) type = SqlType::Varchar(256);
      if (type.id == TypeId::kText) type = SqlType::Varchar(256);
      if (!seen.insert(q->columns[i].name).second) {
        FailAt(sqlstate::kDuplicateColumn, StrCat("column \"", q->columns[i].name, "\" specified more than once"));
      }
      auto* c = t.add_columns();
      c->set_name(q->columns[i].name);
      *c->mutable_type() = ToProtoType(type);
      exprs.push_back(AssignTo(ColumnExpr(static_cast<int>(i), q->columns[i].type), type, q->columns[i].name));
      cols.push_back({q->columns[i].name, type});
    }
    out->create_as = ProjectNodeOver(std::move(q), std::move(exprs), std::move(cols));
  }
  std::set<std::string> names;
  int distkey = -1;
  std::vector<int> sortkey;
  for (size_t i = 0; i < ct.columns.size() && ct.like_name.empty(); ++i) {
    const auto& cd = ct.columns[i];
    if (!names.insert(cd.name).second) {
      FailAt(sqlstate::kDuplicateColumn, StrCat("column \"", cd.name, "\" specified more than once"), cd.location);
    }
    auto* c = t.add_columns();
    c->set_name(cd.name);
    SqlType type = ResolveTypeName(cd.type);
    if (type.id == TypeId::kText) type = SqlType::Varchar(256);
    *c->mutable_type() = ToProtoType(type);
    c->set_not_null(cd.not_null);
    const bool sequence_default = cd.default_expr && IsSequenceDefault(*cd.default_expr);
    if (cd.identity.present || sequence_default) BindIdentityColumn(cd, type, ct.name, c);
    if (cd.default_expr && !sequence_default) *c->mutable_default_value() = BindColumnDefault(*params, *cd.default_expr, type, cd.name);
    CheckColumnEncoding(cd.encode, type, cd.name, cd.location);
    c->set_encode(cd.encode);
    if (cd.distkey) {
      if (distkey >= 0) FailAt(sqlstate::kInvalidTableDefinition, "only one column can be the distribution key", cd.location);
      distkey = static_cast<int>(i);
    }
    if (cd.sortkey) sortkey.push_back(static_cast<int>(i));
  }
  if (t.columns_size() > 1600) FailAt(sqlstate::kTooManyColumns, "tables can have at most 1600 columns");
  auto column_index = [&](const std::string& n) {
    for (int i = 0; i < t.columns_size(); ++i) if (t.columns(i).name() == n) return i;
    FailAt(sqlstate::kUndefinedColumn, StrCat("column \"", n, "\" named in key does not exist"));
  };
  if (!ct.distkey.empty()) {
    if (distkey >= 0 && distkey != column_index(ct.distkey)) {
      FailAt(sqlstate::kInvalidTableDefinition, "only one column can be the distribution key");
    }
    distkey = column_index(ct.distkey);
  }
  bool like = !ct.like_name.empty();
  const std::string like_style = DistStyleName(t.dist_style());
  const catalog::SortStyle like_sortstyle = t.sort_style();
  if (like) {
    // LIKE with some keys of its own: what the statement does not give is LIKE's.
    if (ct.distkey.empty() && ct.diststyle.empty()) distkey = t.distkey();
    if (ct.sortkey.empty()) for (int k : t.sortkey()) sortkey.push_back(k);
    t.clear_sortkey();
  }
  if (!ct.sortkey.empty()) {
    if (!sortkey.empty()) FailAt(sqlstate::kInvalidTableDefinition, "a sort key was given both for a column and for the table");
    for (const auto& n : ct.sortkey) sortkey.push_back(column_index(n));
  }
  std::string style = Upper(ct.diststyle);
  if (style.empty() && like && ct.distkey.empty()) style = like_style;
  if (style.empty()) style = distkey >= 0 ? "KEY" : "AUTO";
  if (style == "KEY" && distkey < 0) FailAt(sqlstate::kInvalidTableDefinition, "DISTSTYLE KEY requires a DISTKEY column");
  if (style != "KEY" && distkey >= 0) FailAt(sqlstate::kInvalidTableDefinition, StrCat("DISTKEY cannot be used with DISTSTYLE ", style));
  // Redshift: a SUPER column can be neither the distribution key nor a sort key.
  auto is_super = [&](int k) { return FromProtoType(t.columns(k).type()).id == TypeId::kSuper; };
  if (distkey >= 0 && is_super(distkey)) {
    FailAt(sqlstate::kFeatureNotSupported, StrCat("column \"", t.columns(distkey).name(), "\" of type super cannot be a DISTKEY"));
  }
  for (int k : sortkey) {
    if (is_super(k)) FailAt(sqlstate::kFeatureNotSupported, StrCat("column \"", t.columns(k).name(), "\" of type super cannot be a SORTKEY"));
  }
  t.set_dist_style(DistStyleNamed(style));
  t.set_distkey(distkey);
  for (int k : sortkey) t.add_sortkey(k);
  if (like && ct.sortkey.empty()) {
    t.set_sort_style(like_sortstyle);
  } else {
    t.set_sort_style(sortkey.empty() ? catalog::SORT_NONE
                      : Upper(ct.sortstyle) == "INTERLEAVED" ? catalog::SORT_INTERLEAVED : catalog::SORT_COMPOUND);
  }
  if (t.sort_style() == catalog::SORT_INTERLEAVED && t.sortkey_size() > 8) {
    FailAt(sqlstate::kInvalidTableDefinition, "an interleaved sort key can have at most 8 columns");
  }
  BindTableConstraints(ct, cat, &t);
}

}  // namespace

const catalog::Table& TargetTable(const CatalogVersion& cat, const SessionValues* sv, const std::string& schema,
                                   const std::string& name, int location, bool external_ok) {
  const catalog::Table* t = LookupTable(cat, sv, schema, name);
  if (t == nullptr) FailAt(sqlstate::kUndefinedTable, StrCat("relation \"", name, "\" does not exist"), location);
  if (t->is_view()) FailAt(sqlstate::kWrongObjectType, StrCat("cannot insert into view \"", name, "\""));
  if (t->has_external() && !external_ok) {
    FailAt(sqlstate::kFeatureNotSupported, StrCat("cannot load into external table \"", name, "\": INSERT INTO it writes new files"), location);
  }
  return *t;
}

plan::Expr ColumnDefaultOrNull(const catalog::Column& c) {
  return c.has_default_value() ? c.default_value() : NullLiteral(FromProtoType(c.type()));
}

std::vector<OutputColumn> TableColumnsAsDefaults(const catalog::Table& t, std::vector<plan::Expr>* exprs) {
  std::vector<OutputColumn> cols;
  for (int i = 0; i < t.columns_size(); ++i) {
    SqlType ct = FromProtoType(t.columns(i).type());
    (*exprs)[i] = ColumnDefaultOrNull(t.columns(i));
    cols.push_back({t.columns(i).name(), ct});
  }
  return cols;
}

LogicalPtr ProjectNodeOver(LogicalPtr src, std::vector<plan::Expr> exprs, std::vector<OutputColumn> cols) {
  auto p = std::make_unique<LogicalNode>();
  p->kind = LogicalKind::kProject;
  p->estimated_rows = src->estimated_rows;
  p->children.push_back(std::move(src));
  p->exprs = std::move(exprs);
  p->columns = std::move(cols);
  return p;
}

void CheckColumnEncoding(const std::string& encode, const SqlType& type, const std::string& column, int location) {
  if (encode.empty() || encode == "auto") return;
  std::optional<Encoding> e = EncodingFromName(encode);
  if (!e) {
    FailAt(sqlstate::kUndefinedObject, StrCat("invalid encoding type \"", encode, "\" specified for column \"", column, "\""),
         location);
  }
  if (!EncodingAccepts(*e, type)) {
    FailAt(sqlstate::kInvalidParameterValue,
         StrCat("encoding \"", encode, "\" is not supported for column \"", column, "\" of type ", type.ToString()), location);
  }
}

plan::Expr BindColumnDefault(const BindState& statement, const ast::Expr& e, const SqlType& ct, const std::string& column) {
  BindState no_params;  // a default takes no $n, but folds against the statement's catalog and session
  no_params.catalog = statement.catalog;
  no_params.session = statement.session;
  Scope no_columns;
  ExprBinder binder(no_columns, &no_params, nullptr, "DEFAULT");
  return AssignTo(binder.Bind(e), ct, column);
}

plan::Expr AssignTo(plan::Expr e, const SqlType& ct, const std::string& column) {
  SqlType st = ExprType(e);
  // As PostgreSQL: any value can be assigned to a string column (its text, length-checked).
  bool assignable = st == ct || st.id == TypeId::kNull || (st.is_numeric() && ct.is_numeric()) || ct.is_string() ||
                    (st.is_temporal() && ct.is_temporal()) || st.id == TypeId::kText ||
                    // PostgreSQL's assignment casts into time, timetz and interval.
                    (ct.is_time() && (st.is_time() || st.is_timestamp() || st.id == TypeId::kInterval)) ||
                    (ct.id == TypeId::kInterval && st.id == TypeId::kTime);
  if (!assignable) {
    FailAt(sqlstate::kDatatypeMismatch, StrCat("column \"", column, "\" is of type ", ct.ToString(),
                                             " but expression is of type ", st.ToString()));
  }
  return st == ct ? std::move(e) : CallExpr(plan::ASSIGN_CAST, ct, {std::move(e)});
}

// The table columns a statement supplies, in the order it supplies them.
std::vector<int> TargetColumns(const catalog::Table& t, const std::vector<std::string>& names) {
  std::vector<int> targets;
  if (names.empty()) {
    for (int i = 0; i < t.columns_size(); ++i) targets.push_back(i);
    return targets;
  }
  for (const auto& n : names) {
    int found = -1;
    for (int i = 0; i < t.columns_size(); ++i) if (t.columns(i).name() == n) found = i;
    if (found < 0) FailAt(sqlstate::kUndefinedColumn, StrCat("column \"", n, "\" of relation \"", t.name(), "\" does not exist"));
    if (std::find(targets.begin(), targets.end(), found) != targets.end()) {
      FailAt(sqlstate::kDuplicateColumn, StrCat("column \"", n, "\" specified more than once"));
    }
    targets.push_back(found);
  }
  return targets;
}

namespace {

// CREATE VIEW ... WITH NO SCHEMA BINDING (Redshift's late-binding view): every relation it names
// must be schema-qualified (as Redshift requires); the query is bound now only to record its
// columns for the catalogs, and may fail to (a table that does not exist yet).
void BindLateBindingView(const ast::CreateViewStmt& v, const std::string& schema, const CatalogVersion& cat, BindState* ps,
                         catalog::Table* t) {
  for (const ast::QualifiedName& name : RelationsNamedIn(*v.query)) {
    if (name.schema.empty()) {
      FailAt(sqlstate::kInvalidTableDefinition,
             StrCat("a late-binding view must qualify every relation with its schema: \"", name.name, "\" is not"), name.location);
    }
  }
  t->set_schema(schema);
  t->set_name(v.name);
  t->set_is_view(true);
  t->set_late_binding(true);
  t->set_view_sql(v.query_text);
  t->set_dist_style(catalog::DIST_EVEN);
  t->set_distkey(-1);
  for (const auto& n : v.column_names) t->add_view_column_names(n);
  try {
    SelectBinder sb(cat, ps);
    LogicalPtr q = sb.BindQuery(*v.query);
    for (size_t i = 0; i < q->columns.size(); ++i) {
      auto* c = t->add_columns();
      c->set_name(i < v.column_names.size() ? v.column_names[i] : q->columns[i].name);
      *c->mutable_type() = ToProtoType(q->columns[i].type);
    }
  } catch (const SqlError&) {
    t->clear_columns();  // bound when read
  }
}

}  // namespace

// INSERT ... RETURNING items: expressions over the row as written (the table's columns, named by
// the table or its alias); * and t.* are every column.
void BindReturning(const std::vector<ast::SelectItem>& items, const std::string& qualifier, const catalog::Table& t,
                   BindState* params, BoundStatement* out) {
  Scope scope;
  const int access = AddRelationAccess(params, t);
  for (int c = 0; c < t.columns_size(); ++c) {
    scope.columns.push_back({qualifier, t.columns(c).name(), FromProtoType(t.columns(c).type())});
    scope.columns.back().access = access;
    scope.columns.back().ordinal = c;
  }
  ExprBinder binder(scope, params, nullptr, "RETURNING");
  for (const ast::SelectItem& item : items) {
    const ast::Expr& e = *item.expr;
    if (e.kind == ast::ExprKind::kStar) {
      if (!e.names.empty() && e.names.back() != qualifier) {
        FailAt(sqlstate::kUndefinedTable, StrCat("missing FROM-clause entry for table \"", e.names.back(), "\""), e.location);
      }
      for (int c = 0; c < t.columns_size(); ++c) {
        MarkColumnRead(params, scope.columns[c]);
        out->returning.push_back(ColumnExpr(c, scope.columns[c].type));
        out->result.push_back({t.columns(c).name(), scope.columns[c].type});
      }
      continue;
    }
    plan::Expr bound = binder.Bind(e);
    SqlType type = ExprType(bound);
    if (type.id == TypeId::kNull) {
      type = SqlType::Text();
      bound = CoerceTo(std::move(bound), type);
    }
    out->returning.push_back(std::move(bound));
    out->result.push_back({item.alias.empty() ? OutputColumnName(e) : item.alias, type});
  }
}

namespace {

// INSERT ... DEFAULT VALUES: one VALUES row of DEFAULT for every column.
std::unique_ptr<ast::SelectStmt> DefaultValuesRow(const catalog::Table& t, int location) {
  auto s = std::make_unique<ast::SelectStmt>();
  s->location = location;
  s->values.emplace_back();
  for (int c = 0; c < t.columns_size(); ++c) {
    auto d = std::make_unique<ast::Expr>();
    d->kind = ast::ExprKind::kDefault;
    d->location = location;
    s->values.back().push_back(std::move(d));
  }
  return s;
}

void BindInsert(const ast::InsertStmt& ins, const CatalogVersion& cat, BindState* params, BoundStatement* out) {
  const catalog::Table* t = &TargetTable(cat, params->session, ins.schema, ins.name, ins.location, /*external_ok=*/true);
  if (t->has_external() && (!ins.returning.empty() || ins.overriding != ast::InsertStmt::Overriding::kNone)) {
    FailAt(sqlstate::kFeatureNotSupported, "INSERT INTO an external table takes no RETURNING or OVERRIDING", ins.location);
  }
  out->table = *t;
  std::vector<int> targets = TargetColumns(*t, ins.columns);
  std::unique_ptr<ast::SelectStmt> default_row;
  if (ins.default_values) default_row = DefaultValuesRow(*t, ins.location);
  const ast::SelectStmt& select = default_row ? *default_row : *ins.select;
  bool plain_values = !select.values.empty() && select.with.empty();
  SelectBinder sb(cat, params);
  if (plain_values) {
    for (size_t k = 0; k < targets.size(); ++k) sb.values_column_types.push_back(FromProtoType(t->columns(targets[k]).type()));
    // DEFAULT in a VALUES row: the column's default.
    for (const auto& row : select.values) {
      for (size_t k = 0; k < row.size() && k < targets.size(); ++k) {
        if (row[k]->kind == ast::ExprKind::kDefault) params->default_items[row[k].get()] = ColumnDefaultOrNull(t->columns(targets[k]));
      }
    }
  }
  // A GENERATED ALWAYS identity column takes only DEFAULT, unless OVERRIDING SYSTEM VALUE.
  if (ins.overriding == ast::InsertStmt::Overriding::kNone) {
    for (size_t k = 0; k < targets.size(); ++k) {
      const catalog::Column& c = t->columns(targets[k]);
      if (!c.has_identity() || c.identity().by_default()) continue;
      if (!plain_values) FailIdentityInsert(c);
      for (const auto& row : select.values) {
        if (k < row.size() && row[k]->kind != ast::ExprKind::kDefault) FailIdentityInsert(c);
      }
    }
  }
  LogicalPtr src = sb.BindQuery(select);
  if (src->columns.size() > targets.size()) FailAt(sqlstate::kSyntaxError, "INSERT has more expressions than target columns");
  if (src->columns.size() < targets.size() && select.values.empty() && ins.columns.empty() == false) {
    FailAt(sqlstate::kSyntaxError, "INSERT has more target columns than expressions");
  }
  if (src->columns.size() < targets.size() && !ins.columns.empty()) {
    FailAt(sqlstate::kSyntaxError, "INSERT has more target columns than expressions");
  }
  if (int access = AddRelationAccess(params, *t); access >= 0) {
    RelationAccess& a = params->accesses[access];
    for (size_t k = 0; k < src->columns.size(); ++k) a.insert_columns.insert(targets[k]);
    if (a.insert_columns.empty()) a.table_privileges |= kPrivInsert;  // DEFAULT VALUES
  }
  // Project the source into the table's column order, with assignment casts.
  std::vector<plan::Expr> exprs(t->columns_size());
  std::vector<OutputColumn> cols = TableColumnsAsDefaults(*t, &exprs);
  for (size_t k = 0; k < src->columns.size(); ++k) {
    int col = targets[k];
    SqlType ct = FromProtoType(t->columns(col).type());
    SqlType st = src->columns[k].type;
    exprs[col] = AssignTo(ColumnExpr(static_cast<int>(k), st), ct, t->columns(col).name());
  }
  // VALUES literals fold into typed literals directly, so bad input fails before any work.
  if (src->kind == LogicalKind::kValues) {
    for (auto& row : src->rows) {
      for (size_t k = 0; k < row.size(); ++k) {
        const SqlType& ct = cols[targets[k]].type;
        // A non-string value into a string column is its text, length-checked when it runs.
        SqlType vt = ExprType(row[k]);
        if (ct.is_string() && !vt.is_string() && vt.id != TypeId::kNull) {
          row[k] = AssignTo(std::move(row[k]), ct, t->columns(targets[k]).name());
        } else {
          row[k] = CoerceTo(std::move(row[k]), ct);
        }
      }
    }
    for (size_t k = 0; k < src->columns.size(); ++k) {
      src->columns[k].type = cols[targets[k]].type;
      exprs[targets[k]] = ColumnExpr(static_cast<int>(k), cols[targets[k]].type);
    }
  }
  // OVERRIDING USER VALUE: the values given for identity columns are ignored; they are numbered.
  if (ins.overriding == ast::InsertStmt::Overriding::kUserValue) {
    for (int col : targets) {
      if (t->columns(col).has_identity()) exprs[col] = NullLiteral(cols[col].type);
    }
  }
  out->query = ProjectNodeOver(std::move(src), std::move(exprs), std::move(cols));
  if (!ins.returning.empty()) BindReturning(ins.returning, ins.alias.empty() ? t->name() : ins.alias, *t, params, out);
}

}  // namespace

std::optional<SqlType> TypeFromOid(uint32_t oid) {
  switch (oid) {
    case 16: return SqlType::Bool();
    case 21: return SqlType::Int16();
    case 23: return SqlType::Int32();
    case 20: return SqlType::Int64();
    case 1700: return SqlType::Decimal(kMaxDecimalPrecision, 6);
    case 700: return SqlType::Float32();
    case 701: return SqlType::Float64();
    case 1042: return SqlType::Char(-1);
    case 1043: return SqlType::Varchar(-1);
    case 25: return SqlType::Text();
    case 1082: return SqlType::Date();
    case 1114: return SqlType::Timestamp();
    case 1184: return SqlType::TimestampTz();
    default: return std::nullopt;
  }
}

BoundStatement Bind(const ast::Statement& stmt, const CatalogVersion& cat,
                    const std::vector<uint32_t>& param_oids, const ParamValues* params,
                    const SessionValues* session) {
  BoundStatement out;
  out.kind = stmt.kind;
  NestingGuard::StartStatement();
  BindState ps;
  ps.catalog = &cat;
  ps.session = session;
  ps.values = params;
  for (uint32_t oid : param_oids) ps.types.push_back(TypeFromOid(oid).value_or(SqlType::Null()));
  switch (stmt.kind) {
    case ast::StatementKind::kSelect: {
      SelectBinder sb(cat, &ps);
      out.query = sb.BindQuery(*stmt.select);
      out.result = out.query->columns;
      break;
    }
    case ast::StatementKind::kCreateTable:
      BindCreateTable(*stmt.create_table, cat, &ps, &out);
      break;
    case ast::StatementKind::kDrop:
      if (stmt.drop->kind == ast::DropStmt::Kind::kSchema) break;  // the leader's (leader_schemas.cpp)
      for (const auto& n : stmt.drop->names) {
        const catalog::Table* t = LookupTable(cat, session, n.schema, n.name);
        bool want_view = stmt.drop->kind == ast::DropStmt::Kind::kView;
        if (t == nullptr || t->is_view() != want_view) {
          if (stmt.drop->if_exists) { out.drop_missing.push_back(n.name); continue; }
          if (t != nullptr) {
            FailAt(sqlstate::kWrongObjectType, StrCat("\"", n.name, "\" is not a ", want_view ? "view" : "table"), n.location);
          }
          FailAt(sqlstate::kUndefinedTable,
               StrCat(want_view ? "view \"" : "table \"", n.name, "\" does not exist"), n.location);
        }
        out.drop_ids.push_back(t->id());
      }
      BindDropDependents(cat, stmt.drop->cascade, &out);
      break;
    case ast::StatementKind::kInsert:
      BindInsert(*stmt.insert, cat, &ps, &out);
      break;
    case ast::StatementKind::kDelete:
      BindDelete(*stmt.del, cat, &ps, &out);
      break;
    case ast::StatementKind::kUpdate:
      BindUpdate(*stmt.update, cat, &ps, &out);
      break;
    case ast::StatementKind::kMerge:
      BindMerge(*stmt.merge, cat, &ps, &out);
      break;
    case ast::StatementKind::kAppend:
      BindAppend(*stmt.append, cat, ps, &out);
      break;
    case ast::StatementKind::kAlterTable:
      BindAlterTable(*stmt.alter, cat, ps, &out);
      break;
    case ast::StatementKind::kCopy:
      if (stmt.copy->is_from) BindCopyFrom(*stmt.copy, cat, session, &out);
      else BindCopyTo(*stmt.copy, cat, session, &out);
      break;
    case ast::StatementKind::kUnload:
      BindUnload(*stmt.unload, cat, session, &out);
      break;
    case ast::StatementKind::kExplain: {
      BoundStatement inner = Bind(*stmt.explained, cat, param_oids, params, session);
      if (inner.query == nullptr) {  // EXPLAIN EXECUTE, EXPLAIN of DDL, ...
        FailAt(sqlstate::kFeatureNotSupported, "EXPLAIN of this statement is not supported yet");
      }
      if (!inner.recursive_ctes.empty()) FailAt(sqlstate::kFeatureNotSupported, "EXPLAIN of WITH RECURSIVE is not supported yet");
      out.query = std::move(inner.query);
      out.table = std::move(inner.table);
      out.explained_kind = stmt.explained->kind;
      out.explain_analyze = stmt.explain_analyze;
      out.result = {{"QUERY PLAN", SqlType::Varchar(-1)}};
      break;
    }
    case ast::StatementKind::kCreateView: {
      const ast::CreateViewStmt& v = *stmt.create_view;
      std::string schema = CreationSchema(cat, session, v.schema);
      const catalog::Table* existing = FindTable(cat, schema, v.name);
      if (existing != nullptr && !(v.or_replace && existing->is_view())) {
        FailAt(sqlstate::kDuplicateTable, StrCat("relation \"", v.name, "\" already exists"));
      }
      if (existing != nullptr) out.drop_ids.push_back(existing->id());
      if (v.late_binding) {
        BindLateBindingView(v, schema, cat, &ps, &out.table);
        break;
      }
      SelectBinder sb(cat, &ps);
      LogicalPtr q = sb.BindQuery(*v.query);
      if (v.column_names.size() > q->columns.size()) {
        FailAt(sqlstate::kSyntaxError, "CREATE VIEW specifies more column names than columns");
      }
      // A view over a temporary table is temporary itself (PostgreSQL says so in a notice).
      std::function<bool(const LogicalNode&)> reads_temporary = [&](const LogicalNode& n) {
        if (n.kind == LogicalKind::kScan && n.table.temporary()) return true;
        for (const auto& c : n.children) if (c && reads_temporary(*c)) return true;
        return false;
      };
      if (reads_temporary(*q) && session != nullptr && !session->temp_schema.empty()) {
        if (!v.schema.empty() && v.schema != "pg_temp" && v.schema != session->temp_schema) {
          FailAt(sqlstate::kInvalidTableDefinition, "cannot create temporary relation in non-temporary schema");
        }
        schema = session->temp_schema;
        out.table.set_temporary(true);
      }
      if (session != nullptr && schema == session->temp_schema) out.table.set_temporary(true);
      out.table.set_schema(schema);
      out.table.set_name(v.name);
      out.table.set_is_view(true);
      out.table.set_view_sql(v.query_text);
      if (session != nullptr && session->settings != nullptr) {
        auto path = session->settings->find("search_path");
        if (path != session->settings->end()) out.table.set_view_search_path(path->second);
      }
      out.table.set_dist_style(catalog::DIST_EVEN);
      out.table.set_distkey(-1);
      std::set<std::string> seen;
      for (size_t i = 0; i < q->columns.size(); ++i) {
        std::string name = i < v.column_names.size() ? v.column_names[i] : q->columns[i].name;
        if (!seen.insert(name).second) FailAt(sqlstate::kDuplicateColumn, StrCat("column \"", name, "\" specified more than once"));
        auto* c = out.table.add_columns();
        c->set_name(name);
        *c->mutable_type() = ToProtoType(q->columns[i].type);
      }
      break;
    }
    default:
      break;
  }
  switch (stmt.kind) {  // what the statement writes (what it reads is recorded as it is bound)
    case ast::StatementKind::kCopy:
      if (!stmt.copy->is_from) break;
      if (int a = AddRelationAccess(&ps, out.table); a >= 0) {
        for (int c : TargetColumns(out.table, stmt.copy->columns)) ps.accesses[a].insert_columns.insert(c);
      }
      break;
    case ast::StatementKind::kMerge:
      if (int a = AddRelationAccess(&ps, out.table); a >= 0) {
        RelationAccess& access = ps.accesses[a];
        if (stmt.merge->remove_duplicates) access.table_privileges |= kPrivInsert | kPrivUpdate | kPrivDelete;
        for (const ast::MergeClause& c : stmt.merge->clauses) {
          if (c.action == ast::MergeClause::Action::kDelete) access.table_privileges |= kPrivDelete;
          if (c.action == ast::MergeClause::Action::kInsert) {
            for (int col : TargetColumns(out.table, c.columns)) access.insert_columns.insert(col);
          }
          if (c.action == ast::MergeClause::Action::kUpdate) {
            for (int col : TargetColumns(out.table, c.columns)) access.update_columns.insert(col);
          }
        }
      }
      break;
    case ast::StatementKind::kCreateView:
      ps.accesses.clear();  // a view's query is checked as its owner where it is read
      break;
    default:
      break;
  }
  CheckRelationAccesses(cat, ps.accesses);
  out.param_types = ps.types;
  for (size_t i = 0; i < out.param_types.size(); ++i) {
    SqlType& t = out.param_types[i];
    if (t.id != TypeId::kNull) continue;
    // A $n below the highest one used that the statement never mentions and the client gave
    // no type for (a gap, as in `values ($1, $3)`): PostgreSQL refuses to guess its type.
    bool referenced = i < ps.referenced.size() && ps.referenced[i];
    if (!referenced && params == nullptr) {
      FailAt(sqlstate::kIndeterminateDatatype, StrCat("could not determine data type of parameter $", i + 1));
    }
    t = SqlType::Text();
  }
  if (!ps.recursive_ctes.empty()) {
    // The leader computes them before the statement's plan runs (server/leader_recursive.cpp); a
    // view only checks its query here, and is bound again where it is read.
    using K = ast::StatementKind;
    const K kind = stmt.kind;
    if (kind == K::kCreateView) {
      ps.recursive_ctes.clear();
    } else if (kind != K::kSelect && kind != K::kInsert && kind != K::kDelete && kind != K::kUpdate &&
               kind != K::kMerge && kind != K::kCreateTable) {
      FailAt(sqlstate::kFeatureNotSupported, "WITH RECURSIVE is not supported in this statement yet");
    }
    out.recursive_ctes = std::move(ps.recursive_ctes);
  }
  return out;
}

}  // namespace strata
