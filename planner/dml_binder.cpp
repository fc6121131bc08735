// DELETE, UPDATE and ALTER TABLE binding (see dml_binder.h).
#include "planner/dml_binder.h"

#include <set>

#include "planner/bind_helpers.h"
#include "planner/expr_builder.h"
#include "planner/identity_columns.h"
#include "planner/select_binder.h"
#include "planner/table_constraints.h"
#include "planner/name_resolution.h"
#include "sql/error.h"
#include "sql/parser.h"
#include "catalog/catalog_privileges.h"
#include "catalog/catalog_store.h"
#include "catalog/table_styles.h"

namespace strata {
namespace {

const catalog::Table& ModifiedTable(const CatalogVersion& cat, const SessionValues* sv, const std::string& schema,
                                    const std::string& name, int location, const char* verb) {
  const catalog::Table* t = LookupTable(cat, sv, schema, name);
  if (t == nullptr) FailAt(sqlstate::kUndefinedTable, StrCat("relation \"", name, "\" does not exist"), location);
  if (t->is_view()) FailAt(sqlstate::kWrongObjectType, StrCat("cannot ", verb, " view \"", name, "\""), location);
  if (t->has_external()) {
    FailAt(sqlstate::kFeatureNotSupported, StrCat("cannot ", verb, " external table \"", name, "\": its rows are files, read in place"), location);
  }
  return *t;
}

int ColumnIndex(const catalog::Table& t, const std::string& name) {
  for (int i = 0; i < t.columns_size(); ++i) if (t.columns(i).name() == name) return i;
  return -1;
}

// UPDATE ... FROM that assigns the DISTKEY and matches a row several times: the new versions
// would go to different slices, so only the first match is kept here (PostgreSQL also makes one
// new version). `rows` starts with the row id; the result has the same columns and one more.
LogicalPtr FirstRowPerRowId(LogicalPtr rows) {
  auto w = std::make_unique<LogicalNode>();
  w->kind = LogicalKind::kWindow;
  w->columns = rows->columns;
  w->estimated_rows = rows->estimated_rows;
  w->partition_keys.push_back(ColumnExpr(0, SqlType::Int64()));
  plan::WindowFunc rn;
  rn.set_func(plan::WIN_ROW_NUMBER);
  *rn.mutable_result_type() = ToProtoType(SqlType::Int64());
  w->window_funcs.push_back(rn);
  w->columns.push_back({"row_number", SqlType::Int64()});
  int rn_col = static_cast<int>(rows->columns.size());
  w->children.push_back(std::move(rows));
  auto f = std::make_unique<LogicalNode>();
  f->kind = LogicalKind::kFilter;
  f->columns = w->columns;
  f->estimated_rows = w->estimated_rows;
  f->predicate = CallExpr(plan::EQ, SqlType::Bool(), {ColumnExpr(rn_col, SqlType::Int64()), Int64Literal(1, SqlType::Int64())});
  f->has_predicate = true;
  f->children.push_back(std::move(w));
  return f;
}

}  // namespace

void BindDelete(const ast::DeleteStmt& d, const CatalogVersion& cat, BindState* params, BoundStatement* out) {
  const catalog::Table& t = ModifiedTable(cat, params->session, d.schema, d.name, d.location, "delete from");
  out->table = t;
  if (int a = AddRelationAccess(params, t); a >= 0) params->accesses[a].table_privileges |= kPrivDelete;
  SelectBinder sb(cat, params);
  sb.ExposeRowIdOf(t.id());
  LogicalPtr rows = sb.BindQuery(*d.select);
  // The modify stream: (row id, insert = false), with RETURNING the deleted row's values after.
  std::vector<plan::Expr> exprs = {ColumnExpr(0, SqlType::Int64()), Int64Literal(0, SqlType::Bool())};
  std::vector<OutputColumn> cols = {{ast::kRowIdColumnName, SqlType::Int64()}, {"insert", SqlType::Bool()}};
  if (!d.returning.empty()) {
    for (int c = 0; c < t.columns_size(); ++c) {
      SqlType ct = FromProtoType(t.columns(c).type());
      exprs.push_back(ColumnExpr(1 + c, ct));
      cols.push_back({t.columns(c).name(), ct});
    }
    BindReturning(d.returning, d.qualifier, t, params, out);
  }
  out->query = ProjectNodeOver(std::move(rows), std::move(exprs), std::move(cols));
}

void BindUpdate(const ast::UpdateStmt& u, const CatalogVersion& cat, BindState* params, BoundStatement* out) {
  const catalog::Table& t = ModifiedTable(cat, params->session, u.schema, u.name, u.location, "update");
  out->table = t;
  std::vector<int> set_index(t.columns_size(), -1);
  for (size_t i = 0; i < u.set_columns.size(); ++i) {
    int c = ColumnIndex(t, u.set_columns[i]);
    if (c < 0) {
      FailAt(sqlstate::kUndefinedColumn,
           StrCat("column \"", u.set_columns[i], "\" of relation \"", t.name(), "\" does not exist"), u.set_locations[i]);
    }
    if (set_index[c] >= 0) {
      FailAt(sqlstate::kSyntaxError, StrCat("multiple assignments to same column \"", u.set_columns[i], "\""), u.set_locations[i]);
    }
    set_index[c] = static_cast<int>(i);
    if (int a = AddRelationAccess(params, t); a >= 0) params->accesses[a].update_columns.insert(c);
    // SET c = DEFAULT: the column's default; an identity column is not renumbered.
    const ast::Expr* value = u.select->targets[1 + i].expr.get();
    const catalog::Column& col = t.columns(c);
    if (value != nullptr && value->kind == ast::ExprKind::kDefault) {
      if (col.has_identity()) {
        FailAt(sqlstate::kFeatureNotSupported, StrCat("UPDATE of identity column \"", col.name(), "\" to DEFAULT is not supported"),
               u.set_locations[i]);
      }
      params->default_items[value] = ColumnDefaultOrNull(col);
    } else {
      CheckIdentityUpdate(col);
    }
  }
  SelectBinder sb(cat, params);
  sb.ExposeRowIdOf(t.id());
  LogicalPtr rows = sb.BindQuery(*u.select);
  // rows: row id, the k SET values, then the table's columns.
  int k = static_cast<int>(u.set_columns.size());
  std::vector<plan::Expr> exprs = {ColumnExpr(0, SqlType::Int64()), Int64Literal(1, SqlType::Bool())};
  std::vector<OutputColumn> cols = {{ast::kRowIdColumnName, SqlType::Int64()}, {"insert", SqlType::Bool()}};
  for (int c = 0; c < t.columns_size(); ++c) {
    SqlType ct = FromProtoType(t.columns(c).type());
    plan::Expr e;
    if (set_index[c] >= 0) {
      int at = 1 + set_index[c];
      e = AssignTo(ColumnExpr(at, rows->columns[at].type), ct, t.columns(c).name());
      if (c == t.distkey() && t.dist_style() == catalog::DIST_KEY) out->update_moves_rows = true;
    } else {
      e = ColumnExpr(1 + k + c, ct);
    }
    exprs.push_back(std::move(e));
    cols.push_back({t.columns(c).name(), ct});
  }
  if (out->update_moves_rows) rows = FirstRowPerRowId(std::move(rows));
  out->query = ProjectNodeOver(std::move(rows), std::move(exprs), std::move(cols));
  if (!u.returning.empty()) BindReturning(u.returning, u.qualifier, t, params, out);
}

void BindAlterTable(const ast::AlterTableStmt& a, const CatalogVersion& cat, const BindState& state, BoundStatement* out) {
  const catalog::Table* found = LookupTable(cat, state.session, a.schema, a.name);
  if (found == nullptr) {
    if (a.if_exists) return;  // out->table stays unnamed: nothing to do
    FailAt(sqlstate::kUndefinedTable, StrCat("relation \"", a.name, "\" does not exist"), a.location);
  }
  const bool keeps_definition = a.action == ast::AlterTableStmt::Action::kRenameTable || a.action == ast::AlterTableStmt::Action::kOwner;
  if (found->is_view() && !keeps_definition) {
    FailAt(sqlstate::kWrongObjectType, StrCat("\"", a.name, "\" is not a table"), a.location);
  }
  if (found->has_external() && a.action != ast::AlterTableStmt::Action::kOwner) {
    FailAt(sqlstate::kFeatureNotSupported,
           StrCat("this ALTER TABLE is not supported on external table \"", a.name, "\" (drop and create it again)"), a.location);
  }
  catalog::Table t = *found;
  using A = ast::AlterTableStmt::Action;
  switch (a.action) {
    case A::kRenameTable:
      if (FindTable(cat, found->schema(), a.new_name) != nullptr) {
        FailAt(sqlstate::kDuplicateTable, StrCat("relation \"", a.new_name, "\" already exists"));
      }
      t.set_name(a.new_name);
      break;
    case A::kOwner:
      if (!IsUserName(cat.meta(), a.new_name) && FindRole(cat.meta(), a.new_name) == nullptr) {
        FailAt(sqlstate::kUndefinedObject, StrCat("role \"", a.new_name, "\" does not exist"));
      }
      t.set_owner(a.new_name == kBootstrapUserName ? "" : a.new_name);
      break;
    case A::kRenameColumn: {
      int c = ColumnIndex(t, a.old_name);
      if (c < 0) FailAt(sqlstate::kUndefinedColumn, StrCat("column \"", a.old_name, "\" does not exist"));
      if (ColumnIndex(t, a.new_name) >= 0) {
        FailAt(sqlstate::kDuplicateColumn, StrCat("column \"", a.new_name, "\" of relation \"", t.name(), "\" already exists"));
      }
      t.mutable_columns(c)->set_name(a.new_name);
      break;
    }
    case A::kAddColumn: {
      const ast::ColumnDef& cd = a.column;
      if (ColumnIndex(t, cd.name) >= 0) {
        FailAt(sqlstate::kDuplicateColumn, StrCat("column \"", cd.name, "\" of relation \"", t.name(), "\" already exists"));
      }
      if (cd.not_null && !cd.default_expr) {
        // Redshift's rule (PostgreSQL would allow it on an empty table).
        FailAt(sqlstate::kNotNullViolation, "ALTER TABLE ADD COLUMN defined as NOT NULL must have a non-null default expression",
             cd.location);
      }
      if (cd.distkey || cd.sortkey) {
        FailAt(sqlstate::kFeatureNotSupported, "ALTER TABLE ADD COLUMN cannot add a DISTKEY or SORTKEY column", cd.location);
      }
      if (cd.identity.present) {
        // As Redshift: existing rows would need numbering.
        FailAt(sqlstate::kFeatureNotSupported, "ALTER TABLE ADD COLUMN cannot add an identity column", cd.location);
      }
      if (t.columns_size() >= 1600) FailAt(sqlstate::kTooManyColumns, "tables can have at most 1600 columns");
      auto* c = t.add_columns();
      c->set_name(cd.name);
      SqlType type = ResolveTypeName(cd.type);
      if (type.id == TypeId::kText) type = SqlType::Varchar(256);
      *c->mutable_type() = ToProtoType(type);
      c->set_not_null(cd.not_null);
      if (cd.default_expr) *c->mutable_default_value() = BindColumnDefault(state, *cd.default_expr, type, cd.name);
      CheckColumnEncoding(cd.encode, type, cd.name, cd.location);
      c->set_encode(cd.encode);
      out->alter_added_column = true;
      break;
    }
    case A::kDropColumn: {
      int c = ColumnIndex(t, a.old_name);
      if (c < 0) {
        FailAt(sqlstate::kUndefinedColumn, StrCat("column \"", a.old_name, "\" of relation \"", t.name(), "\" does not exist"));
      }
      if (t.columns_size() == 1) FailAt(sqlstate::kFeatureNotSupported, "cannot drop the only column of a table");
      if (c == t.distkey()) FailAt(sqlstate::kFeatureNotSupported, StrCat("cannot drop distkey column \"", a.old_name, "\""));
      for (int k : t.sortkey()) {
        if (k == c) FailAt(sqlstate::kFeatureNotSupported, StrCat("cannot drop sortkey column \"", a.old_name, "\""));
      }
      CheckColumnDropAllowed(cat, t, c);
      t.mutable_columns()->DeleteSubrange(c, 1);
      if (t.distkey() > c) t.set_distkey(t.distkey() - 1);
      for (int i = 0; i < t.sortkey_size(); ++i) if (t.sortkey(i) > c) t.set_sortkey(i, t.sortkey(i) - 1);
      out->alter_dropped_column = c;
      break;
    }
    case A::kAddConstraint: {
      ast::CreateTableStmt ct;
      ct.constraints.push_back(a.constraint);
      BindTableConstraints(ct, cat, &t);
      ResolveSelfReferences(&t);
      break;
    }
    case A::kDropConstraint:
      if (!DropConstraint(cat, &t, a.old_name)) {
        if (!a.if_exists_inner) {
          FailAt(sqlstate::kUndefinedObject,
                 StrCat("constraint \"", a.old_name, "\" of relation \"", t.name(), "\" does not exist"));
        }
        out->notices.push_back(StrCat("constraint \"", a.old_name, "\" of relation \"", t.name(), "\" does not exist, skipping"));
      }
      break;
  }
  out->table = std::move(t);
}

}  // namespace strata

namespace strata {
namespace {

std::vector<std::string> SortKeyNames(const catalog::Table& t) {
  std::vector<std::string> names;
  for (int k : t.sortkey()) names.push_back(t.columns(k).name());
  return names;
}

}  // namespace

void BindAppend(const ast::AppendStmt& a, const CatalogVersion& cat, const BindState& state, BoundStatement* out) {
  const catalog::Table& target = TargetTable(cat, state.session, a.target.schema, a.target.name, a.target.location);
  const catalog::Table& source = TargetTable(cat, state.session, a.source.schema, a.source.name, a.source.location);
  if (target.id() == source.id()) {
    FailAt(sqlstate::kInvalidTableDefinition, "ALTER TABLE APPEND needs two different tables", a.source.location);
  }
  if (target.temporary()) {
    FailAt(sqlstate::kFeatureNotSupported, "the target of ALTER TABLE APPEND must be a permanent table", a.target.location);
  }
  bool key = target.dist_style() == catalog::DIST_KEY;
  if (target.dist_style() != source.dist_style() ||
      (key && target.columns(target.distkey()).name() != source.columns(source.distkey()).name())) {
    FailAt(sqlstate::kFeatureNotSupported,
           StrCat("ALTER TABLE APPEND needs tables of the same distribution style and key: \"", target.name(), "\" and \"",
                  source.name(), "\" differ"));
  }
  if (target.sort_style() != source.sort_style() || SortKeyNames(target) != SortKeyNames(source)) {
    FailAt(sqlstate::kFeatureNotSupported,
           StrCat("ALTER TABLE APPEND needs tables of the same sort style and sort key: \"", target.name(), "\" and \"",
                  source.name(), "\" differ"));
  }
  using Extra = ast::AppendStmt::Extra;
  std::vector<bool> used(source.columns_size(), false);
  std::vector<int> columns;
  for (const catalog::Column& tc : target.columns()) {
    int from = ColumnIndex(source, tc.name());
    if (from < 0) {
      if (a.extra != Extra::kFillTarget) {
        FailAt(sqlstate::kUndefinedColumn,
               StrCat("column \"", tc.name(), "\" of relation \"", target.name(), "\" is not in \"", source.name(), "\""));
      }
      if (tc.not_null() && !tc.has_default_value()) {
        FailAt(sqlstate::kNotNullViolation,
               StrCat("FILLTARGET cannot fill column \"", tc.name(), "\": it is NOT NULL and has no DEFAULT"));
      }
      columns.push_back(-1);
      continue;
    }
    const catalog::Column& sc = source.columns(from);
    SqlType tt = FromProtoType(tc.type()), st = FromProtoType(sc.type());
    if (!(tt == st) || tc.not_null() != sc.not_null()) {
      FailAt(sqlstate::kDatatypeMismatch,
             StrCat("column \"", tc.name(), "\" is ", tt.ToString(), tc.not_null() ? " NOT NULL" : "", " in \"", target.name(),
                    "\" but ", st.ToString(), sc.not_null() ? " NOT NULL" : "", " in \"", source.name(), "\""));
    }
    used[from] = true;
    columns.push_back(from);
  }
  for (int c = 0; c < source.columns_size(); ++c) {
    if (!used[c] && a.extra != Extra::kIgnoreExtra) {
      FailAt(sqlstate::kUndefinedColumn, StrCat("column \"", source.columns(c).name(), "\" of relation \"", source.name(),
                                                "\" is not in \"", target.name(), "\""));
    }
  }
  out->table = target;
  out->append_source = source;
  out->append_columns = std::move(columns);
}

}  // namespace strata
