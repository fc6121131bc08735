// MERGE binding (see merge_binder.h).
#include "planner/merge_binder.h"

#include <optional>

#include "planner/bind_helpers.h"
#include "planner/expr_builder.h"
#include "planner/identity_columns.h"
#include "planner/select_binder.h"
#include "catalog/table_styles.h"
#include "sql/error.h"
#include "storage/slice_reader.h"

namespace strata {
namespace {

using Action = ast::MergeClause::Action;

// One WHEN clause, bound: its condition and (UPDATE, INSERT) the new row in table column
// order, all over the joined rows' columns.
struct BoundClause {
  Action action = Action::kNothing;
  bool matched = true;
  std::optional<plan::Expr> condition;
  std::vector<plan::Expr> row;
};

// `e` with every column reference i replaced by defs[i].
plan::Expr Inline(const plan::Expr& e, const std::vector<plan::Expr>& defs) {
  if (e.kind_case() == plan::Expr::kColumn) return defs.at(e.column());
  plan::Expr out = e;
  if (out.has_call()) {
    for (auto& a : *out.mutable_call()->mutable_args()) a = Inline(a, defs);
  }
  return out;
}

int ColumnOf(const catalog::Table& t, const std::string& name, int location) {
  for (int i = 0; i < t.columns_size(); ++i) {
    if (t.columns(i).name() == name) return i;
  }
  FailAt(sqlstate::kUndefinedColumn, StrCat("column \"", name, "\" of relation \"", t.name(), "\" does not exist"), location);
}

plan::Expr Condition(const LogicalNode& rows, int item) {
  const SqlType& type = rows.columns[item].type;
  plan::Expr e = ColumnExpr(item, type);
  if (type.id == TypeId::kNull) return CastExpr(std::move(e), SqlType::Bool());
  if (type.id != TypeId::kBool) {
    FailAt(sqlstate::kDatatypeMismatch, StrCat("argument of WHEN must be type boolean, not type ", type.ToString()));
  }
  return e;
}

// The WHEN clauses as written. The target's columns are the select's last ones (t.*).
std::vector<BoundClause> BindClauses(const ast::MergeStmt& m, const catalog::Table& t, const LogicalNode& rows) {
  int first_target = static_cast<int>(rows.columns.size()) - t.columns_size();
  auto value = [&](int item, int c) {
    if (item < 0) return ColumnDefaultOrNull(t.columns(c));
    return AssignTo(ColumnExpr(item, rows.columns[item].type), FromProtoType(t.columns(c).type()), t.columns(c).name());
  };
  std::vector<BoundClause> out;
  for (const ast::MergeClause& c : m.clauses) {
    BoundClause b;
    b.action = c.action;
    b.matched = c.matched;
    if (c.condition >= 0) b.condition = Condition(rows, c.condition);
    if (c.action == Action::kUpdate) {
      std::vector<int> set(t.columns_size(), -2);  // -2: not assigned
      for (size_t i = 0; i < c.columns.size(); ++i) {
        int col = ColumnOf(t, c.columns[i], c.column_locations[i]);
        if (set[col] != -2) {
          FailAt(sqlstate::kSyntaxError, StrCat("multiple assignments to same column \"", c.columns[i], "\""), c.column_locations[i]);
        }
        set[col] = c.values[i];
        if (c.values[i] >= 0) CheckIdentityUpdate(t.columns(col));
        if (c.values[i] < 0 && t.columns(col).has_identity()) {
          FailAt(sqlstate::kFeatureNotSupported,
                 StrCat("UPDATE of identity column \"", c.columns[i], "\" to DEFAULT is not supported"), c.column_locations[i]);
        }
      }
      for (int col = 0; col < t.columns_size(); ++col) {
        b.row.push_back(set[col] == -2 ? ColumnExpr(first_target + col, FromProtoType(t.columns(col).type())) : value(set[col], col));
      }
    } else if (c.action == Action::kInsert) {
      std::vector<int> targets = TargetColumns(t, c.columns);
      if (c.values.size() > targets.size()) FailAt(sqlstate::kSyntaxError, "INSERT has more expressions than target columns");
      if (c.values.size() < targets.size() && !c.columns.empty()) {
        FailAt(sqlstate::kSyntaxError, "INSERT has more target columns than expressions");
      }
      for (int col = 0; col < t.columns_size(); ++col) b.row.push_back(ColumnDefaultOrNull(t.columns(col)));
      for (size_t i = 0; i < c.values.size(); ++i) {
        const catalog::Column& tc = t.columns(targets[i]);
        if (c.values[i] >= 0 && tc.has_identity() && !tc.identity().by_default()) FailIdentityInsert(tc);
        b.row[targets[i]] = value(c.values[i], targets[i]);
      }
    }
    out.push_back(std::move(b));
  }
  return out;
}

// REMOVE DUPLICATES: rows are (target row id, the source's columns); a ROW_NUMBER over each
// source row's joined rows is added, and the clauses are fixed (merge_binder.h).
std::vector<BoundClause> RemoveDuplicatesClauses(const catalog::Table& t, LogicalPtr* rows) {
  int source_columns = static_cast<int>((*rows)->columns.size()) - 1;
  if (source_columns != t.columns_size()) {
    FailAt(sqlstate::kSyntaxError,
           StrCat("MERGE ... REMOVE DUPLICATES needs a source with as many columns as the target (", t.columns_size(),
                  "), not ", source_columns));
  }
  auto w = std::make_unique<LogicalNode>();
  w->kind = LogicalKind::kWindow;
  w->columns = (*rows)->columns;
  w->estimated_rows = (*rows)->estimated_rows;
  for (int c = 1; c <= source_columns; ++c) w->partition_keys.push_back(ColumnExpr(c, (*rows)->columns[c].type));
  if (t.dist_style() == catalog::DIST_ALL) {
    // Each node's copy keeps its own row: the copies are told apart by their slice.
    w->partition_keys.push_back(CallExpr(plan::DIV, SqlType::Int64(),
                                         {ColumnExpr(0, SqlType::Int64()), Int64Literal(int64_t{1} << kRowIdSliceShift, SqlType::Int64())}));
  }
  plan::WindowFunc rn;
  rn.set_func(plan::WIN_ROW_NUMBER);
  *rn.mutable_result_type() = ToProtoType(SqlType::Int64());
  w->window_funcs.push_back(rn);
  w->columns.push_back({"row_number", SqlType::Int64()});
  w->children.push_back(std::move(*rows));
  *rows = std::move(w);
  std::vector<plan::Expr> source_row;
  for (int c = 0; c < source_columns; ++c) {
    source_row.push_back(AssignTo(ColumnExpr(1 + c, (*rows)->columns[1 + c].type), FromProtoType(t.columns(c).type()),
                                  t.columns(c).name()));
  }
  BoundClause keep{Action::kUpdate, true,
                   CallExpr(plan::EQ, SqlType::Bool(), {ColumnExpr(1 + source_columns, SqlType::Int64()), Int64Literal(1, SqlType::Int64())}),
                   source_row};
  BoundClause drop{Action::kDelete, true, std::nullopt, {}};
  BoundClause insert{Action::kInsert, false, std::nullopt, source_row};
  return {std::move(keep), std::move(drop), std::move(insert)};
}

// CASE WHEN c1 THEN v1 ... [ELSE e] END (args as plan::CASE takes them).
plan::Expr Case(std::vector<plan::Expr> args, const SqlType& type) {
  return CallExpr(plan::CASE, type, std::move(args));
}

}  // namespace

void BindMerge(const ast::MergeStmt& m, const CatalogVersion& cat, BindState* params, BoundStatement* out) {
  const catalog::Table& t = TargetTable(cat, params->session, m.schema, m.name, m.location);
  out->table = t;
  if (m.source_only) {
    // Only to refuse a WHEN NOT MATCHED clause that reads the target, as PostgreSQL does.
    SelectBinder check(cat, params);
    check.BindQuery(*m.source_only);
  }
  SelectBinder sb(cat, params);
  sb.ExposeRowIdOf(t.id());
  LogicalPtr rows = sb.BindQuery(*m.select);
  std::vector<BoundClause> clauses = m.remove_duplicates ? RemoveDuplicatesClauses(t, &rows) : BindClauses(m, t, *rows);

  // The joined rows' own inputs, with the select list's expressions inlined into the CASEs
  // below, so that a clause's expressions are evaluated only on the rows that reach it.
  LogicalPtr input;
  std::vector<plan::Expr> defs;
  if (rows->kind == LogicalKind::kProject) {
    defs = rows->exprs;
    input = std::move(rows->children[0]);
  } else {
    for (size_t i = 0; i < rows->columns.size(); ++i) defs.push_back(ColumnExpr(static_cast<int>(i), rows->columns[i].type));
    input = std::move(rows);
  }
  const int width = static_cast<int>(input->columns.size());
  // Over the action node's output (row id, action, the input's columns).
  auto over_action_node = [&](const plan::Expr& e) {
    plan::Expr x = Inline(e, defs);
    ShiftColumns(&x, 2);
    return x;
  };

  // The action: 1 + the index of the clause that acts, 0 for none (or DO NOTHING).
  const SqlType action_type = SqlType::Int32();
  plan::Expr row_id = Inline(ColumnExpr(0, SqlType::Int64()), defs);
  auto actions = [&](bool matched) {
    std::vector<plan::Expr> args;
    for (size_t i = 0; i < clauses.size(); ++i) {
      const BoundClause& c = clauses[i];
      if (c.matched != matched) continue;
      int action = c.action == Action::kNothing ? 0 : static_cast<int>(i) + 1;
      args.push_back(c.condition ? Inline(*c.condition, defs) : Int64Literal(1, SqlType::Bool()));
      args.push_back(Int64Literal(action, action_type));
    }
    args.push_back(Int64Literal(0, action_type));
    return args.size() == 1 ? args[0] : Case(std::move(args), action_type);
  };
  plan::Expr action = Case({CallExpr(plan::IS_NOT_NULL, SqlType::Bool(), {row_id}), actions(true), actions(false)}, action_type);
  std::vector<plan::Expr> exprs = {row_id, action};
  std::vector<OutputColumn> cols = {{ast::kRowIdColumnName, SqlType::Int64()}, {"action", action_type}};
  for (int i = 0; i < width; ++i) {
    exprs.push_back(ColumnExpr(i, input->columns[i].type));
    cols.push_back(input->columns[i]);
  }
  LogicalPtr acting = ProjectNodeOver(std::move(input), std::move(exprs), std::move(cols));

  auto filter = std::make_unique<LogicalNode>();
  filter->kind = LogicalKind::kFilter;
  filter->columns = acting->columns;
  filter->estimated_rows = acting->estimated_rows;
  filter->predicate = CallExpr(plan::NE, SqlType::Bool(), {ColumnExpr(1, action_type), Int64Literal(0, action_type)});
  filter->has_predicate = true;
  filter->children.push_back(std::move(acting));

  // The modify stream: row id (NULL for an insert), insert flag, the new row (NULLs for a delete).
  plan::Expr action_col = ColumnExpr(1, action_type);
  std::vector<plan::Expr> inserting = {action_col};
  for (size_t i = 0; i < clauses.size(); ++i) {
    if (clauses[i].action == Action::kUpdate || clauses[i].action == Action::kInsert) {
      inserting.push_back(Int64Literal(static_cast<int64_t>(i) + 1, action_type));
    }
  }
  std::vector<plan::Expr> stream = {ColumnExpr(0, SqlType::Int64()),
                                    inserting.size() == 1 ? Int64Literal(0, SqlType::Bool())
                                                          : CallExpr(plan::IN_LIST, SqlType::Bool(), std::move(inserting))};
  std::vector<OutputColumn> stream_cols = {{ast::kRowIdColumnName, SqlType::Int64()}, {"insert", SqlType::Bool()}};
  for (int c = 0; c < t.columns_size(); ++c) {
    SqlType ct = FromProtoType(t.columns(c).type());
    std::vector<plan::Expr> args;
    for (size_t i = 0; i < clauses.size(); ++i) {
      if (clauses[i].row.empty()) continue;
      args.push_back(CallExpr(plan::EQ, SqlType::Bool(), {action_col, Int64Literal(static_cast<int64_t>(i) + 1, action_type)}));
      args.push_back(over_action_node(clauses[i].row[c]));
    }
    stream.push_back(args.empty() ? NullLiteral(ct) : Case(std::move(args), ct));
    stream_cols.push_back({t.columns(c).name(), ct});
  }
  out->query = ProjectNodeOver(std::move(filter), std::move(stream), std::move(stream_cols));
}

}  // namespace strata
