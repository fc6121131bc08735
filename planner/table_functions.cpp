// Set-returning functions in FROM (see table_functions.h).
#include "planner/table_functions.h"

#include "sql/pg_array_literal.h"
#include "planner/expr_builder.h"
#include "planner/set_returning_binder.h"
#include "planner/type_coercion.h"
#include "sql/error.h"
#include "sql/parser.h"
#include "sql/sqlstate.h"

namespace strata {
namespace {

constexpr int64_t kMaxSeriesRows = 1000000;

// The column of a function in FROM: named by the alias's column list, else the alias, else the
// function (PostgreSQL's rule).
std::string ColumnName(const ast::TableRef& ref) {
  return !ref.column_names.empty() ? ref.column_names[0] : !ref.alias.empty() ? ref.alias : ref.name;
}

// Redshift's pg_get_late_binding_view_cols() AS cols(view_schema name, ...): the columns of the
// views made WITH NO SCHEMA BINDING. Strata has none, so no rows, in the columns the caller's
// definition list gives ("name" columns as VARCHAR(128), as the catalogs carry them).
LogicalPtr BindLateBindingViewColumns(const ast::TableRef& ref) {
  if (!ref.func_args.empty()) {
    FailAt(sqlstate::kUndefinedFunction, "function pg_get_late_binding_view_cols takes no arguments", ref.location);
  }
  if (ref.column_types.empty()) {
    FailAt(sqlstate::kSyntaxError, "a column definition list is required for functions returning \"record\"", ref.location);
  }
  auto n = std::make_unique<LogicalNode>();
  n->kind = LogicalKind::kValues;
  for (size_t i = 0; i < ref.column_types.size(); ++i) {
    SqlType t = ref.column_types[i].name == "name" ? SqlType::Varchar(128) : ResolveTypeName(ref.column_types[i]);
    n->columns.push_back({ref.column_names[i], t});
  }
  n->estimated_rows = 0;
  return n;
}

// unnest('{16870,16876}'::oid[]) [AS src(col)]: one row per element of a constant array (arrays
// are their literal text, see sql/pg_array_literal.h), typed as the cast names the element
// type (`oid[]`, `int[]`, ...) and text otherwise. pg_dump reads its table lists this way.
// nullptr when the array is not a constant.
LogicalPtr BindUnnest(const ast::TableRef& ref, BindState* params) {
  if (ref.func_args.size() != 1) {
    FailAt(sqlstate::kFeatureNotSupported, "unnest in FROM takes one array", ref.location);
  }
  SqlType type = SqlType::Text();
  const ast::Expr& arg = *ref.func_args[0];
  if (arg.kind == ast::ExprKind::kCast && arg.cast_type.name.size() > 1 && arg.cast_type.name[0] == '_') {
    ast::TypeName element = arg.cast_type;
    element.name = element.name.substr(1);
    type = element.name == "oid" || element.name == "regclass" ? SqlType::Int64() : ResolveTypeName(element);
  }
  const ast::Expr& text = arg.kind == ast::ExprKind::kCast && !arg.args.empty() ? *arg.args[0] : arg;
  Scope empty;
  ExprBinder binder(empty, params, nullptr, "FROM");
  plan::Expr e = binder.Bind(text);
  if (!ExprType(e).is_string() && ExprType(e).id != TypeId::kNull) {
    FailAt(sqlstate::kUndefinedFunction, StrCat("function unnest(", ExprType(e).ToString(), ") does not exist"), ref.location);
  }
  if (!e.has_literal()) return nullptr;  // bound as a set-returning function
  auto n = std::make_unique<LogicalNode>();
  n->kind = LogicalKind::kValues;
  if (!e.literal().is_null()) {
    ArrayLiteralReader reader;
    reader.Reset(e.literal().str());
    std::string_view value;
    bool is_null = false;
    while (reader.Next(&value, &is_null)) {
      if (n->rows.size() >= static_cast<size_t>(kMaxSeriesRows)) {
        FailAt(sqlstate::kProgramLimitExceeded, StrCat("unnest in FROM is limited to ", kMaxSeriesRows, " rows"), ref.location);
      }
      std::vector<plan::Expr> row;
      row.push_back(is_null ? NullLiteral(type) : CoerceTo(StringLiteral(std::string(value), SqlType::Text()), type));
      n->rows.push_back(std::move(row));
    }
  }
  n->columns.push_back({ColumnName(ref), type});
  n->estimated_rows = static_cast<double>(n->rows.size());
  return n;
}

// generate_series(start, stop [, step]) over integer constants: its rows as a VALUES list.
// nullptr when an argument is not a constant or not an integer.
LogicalPtr BindConstantSeries(const ast::TableRef& ref, BindState* params) {
  if (ref.func_args.size() != 2 && ref.func_args.size() != 3) {
    FailAt(sqlstate::kUndefinedFunction, "function generate_series with these arguments does not exist", ref.location);
  }
  Scope empty;
  ExprBinder binder(empty, params, nullptr, "FROM");
  int64_t values[3] = {0, 0, 1};
  bool any_null = false;
  SqlType type = SqlType::Int32();
  for (size_t i = 0; i < ref.func_args.size(); ++i) {
    plan::Expr e = binder.Bind(*ref.func_args[i]);
    SqlType t = ExprType(e);
    if (IsUntypedStringLiteral(e)) {
      try {
        e = CoerceTo(std::move(e), SqlType::Int64());
      } catch (const SqlError&) {
        return nullptr;  // a timestamp or an interval: the general path (set_returning_binder.h)
      }
      t = SqlType::Int64();
    }
    if (!t.is_integer()) return nullptr;  // timestamps and numerics: the general path
    if (!e.has_literal()) return nullptr;
    if (e.literal().is_null()) any_null = true;  // no rows, as in PostgreSQL
    else values[i] = e.literal().i64();
    if (t.id == TypeId::kInt64) type = SqlType::Int64();
  }
  auto n = std::make_unique<LogicalNode>();
  n->kind = LogicalKind::kValues;
  const int64_t start = values[0], stop = values[1], step = values[2];
  if (step == 0) FailAt(sqlstate::kInvalidParameterValue, "step size cannot equal zero", ref.location);
  int64_t count = !any_null && (step > 0 ? stop >= start : stop <= start) ? (stop - start) / step + 1 : 0;
  if (count > kMaxSeriesRows) {
    FailAt(sqlstate::kProgramLimitExceeded, StrCat("generate_series in FROM is limited to ", kMaxSeriesRows, " rows"),
         ref.location);
  }
  for (int64_t k = 0; k < count; ++k) {
    std::vector<plan::Expr> row;
    row.push_back(Int64Literal(start + k * step, type));
    n->rows.push_back(std::move(row));
  }
  n->columns.push_back({ColumnName(ref), type});
  n->estimated_rows = static_cast<double>(count);
  return n;
}

// Any other call of a set-returning function: the select list `SELECT f(args)` over one row,
// whose arguments may read the FROM items before it (functions in FROM are LATERAL).
LogicalPtr BindSetReturningCall(const ast::TableRef& ref, BindState* params) {
  auto one_row = std::make_unique<LogicalNode>();
  one_row->kind = LogicalKind::kValues;
  one_row->rows.push_back({});
  one_row->estimated_rows = 1;
  LogicalPtr node = std::move(one_row);
  Scope empty;
  ExprBinder binder(empty, params, nullptr, "FROM");
  SetReturningBinder calls;
  std::vector<plan::Expr> exprs = {calls.BindCall(ref.name, ref.func_args, ref.location, binder)};
  calls.Attach(&node, &exprs);
  auto project = std::make_unique<LogicalNode>();
  project->kind = LogicalKind::kProject;
  project->estimated_rows = node->estimated_rows;
  project->columns.push_back({ColumnName(ref), ExprType(exprs[0])});
  project->exprs = std::move(exprs);
  project->children.push_back(std::move(node));
  return project;
}

}  // namespace

LogicalPtr BindTableFunction(const ast::TableRef& ref, BindState* params) {
  if (ref.name == "pg_get_late_binding_view_cols") return BindLateBindingViewColumns(ref);
  if (!IsSetReturningFunction(ref.name)) {
    FailAt(sqlstate::kFeatureNotSupported, StrCat("functions in FROM (", ref.name, ") are not supported yet"), ref.location);
  }
  LogicalPtr constant = ref.name == "unnest" ? BindUnnest(ref, params)
                        : ref.name == "generate_series" ? BindConstantSeries(ref, params)
                                                        : nullptr;
  return constant != nullptr ? std::move(constant) : BindSetReturningCall(ref, params);
}

}  // namespace strata
