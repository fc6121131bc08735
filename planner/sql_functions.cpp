// See sql_functions.h.
#include "planner/sql_functions.h"

#include "planner/expr_binder.h"
#include "planner/expr_builder.h"
#include "planner/privilege_check.h"
#include "planner/type_coercion.h"
#include "sql/error.h"
#include "sql/parser.h"

namespace strata {

namespace {

// `err` moved to `position` (1-based; 0 = none): a body's own positions mean nothing in the
// statement that calls or creates the function.
SqlError Relocated(const SqlError& err, int position) {
  SqlError out(err.sqlstate(), err.message(), position);
  if (!err.detail().empty()) out.WithDetail(err.detail());
  if (!err.hint().empty()) out.WithHint(err.hint());
  return out;
}

bool UnboundedNumeric(const SqlType& t) { return t.id == TypeId::kDecimal && t.precision == 0; }

// Numeric types in the order PostgreSQL converts implicitly (each to the ones after it).
int NumericRank(TypeId id) {
  switch (id) {
    case TypeId::kInt16: return 1;
    case TypeId::kInt32: return 2;
    case TypeId::kInt64: return 3;
    case TypeId::kDecimal: return 4;
    case TypeId::kFloat32: return 5;
    case TypeId::kFloat64: return 6;
    default: return 0;
  }
}

bool ImplicitlyConvertible(const SqlType& from, const SqlType& to) {
  if (from.id == to.id || from.id == TypeId::kNull) return true;
  if (from.is_numeric() && to.is_numeric()) return NumericRank(from.id) <= NumericRank(to.id);
  if (from.is_string() && to.is_string()) return true;
  if (from.id == TypeId::kDate) return to.is_timestamp();
  if (from.id == TypeId::kTimestamp) return to.id == TypeId::kTimestampTz;
  if (from.id == TypeId::kTime) return to.id == TypeId::kInterval || to.id == TypeId::kTimeTz;
  return false;
}

// The body's one expression, or 42P13 when the body is not the shape Redshift allows.
const ast::Expr& BodyExpression(const std::vector<ast::Statement>& parsed, const catalog::Function& f) {
  auto refuse = [&](const std::string& why) {
    throw SqlError(sqlstate::kInvalidFunctionDefinition,
                   StrCat("the body of SQL function \"", f.name(), "\" must be one SELECT of one expression: ", why));
  };
  if (parsed.size() != 1 || parsed[0].kind != ast::StatementKind::kSelect) refuse("it is not a single SELECT");
  const ast::SelectStmt& s = *parsed[0].select;
  if (s.op != ast::SetOp::kNone || !s.values.empty()) refuse("it is a set operation or VALUES");
  if (!s.from.empty()) refuse("it has a FROM clause");
  if (s.where || !s.group_by.empty() || s.having || !s.order_by.empty() || s.limit || s.offset || !s.with.empty() ||
      s.distinct || !s.distinct_on.empty()) {
    refuse("it has clauses other than the select list");
  }
  if (s.targets.size() != 1 || s.targets[0].expr == nullptr || s.targets[0].expr->kind == ast::ExprKind::kStar) {
    refuse("it does not select exactly one expression");
  }
  return *s.targets[0].expr;
}

std::vector<ast::Statement> ParseBody(const catalog::Function& f) {
  try {
    return ParseSql(f.body());
  } catch (const SqlError& err) {
    throw Relocated(err, 0);
  }
}

}  // namespace

SqlType DeclaredFunctionType(const ast::TypeName& t) {
  if (t.name == "text") return SqlType::Text();
  SqlType r = ResolveTypeName(t);
  if (r.is_string() && r.id != TypeId::kChar) return SqlType::Varchar(-1);
  if (r.id == TypeId::kChar) return SqlType::Text();
  if (r.id == TypeId::kDecimal) return SqlType::Decimal(0, 0);
  return r;
}

std::string DeclaredTypeText(const SqlType& t) {
  if (t.id == TypeId::kDecimal) return "numeric";
  if (t.id == TypeId::kVarchar) return "character varying";
  return t.ToString();
}

std::string FunctionArgumentsText(const catalog::Function& f, bool with_names) {
  std::string out;
  for (int i = 0; i < f.arg_types_size(); ++i) {
    if (i > 0) out += ", ";
    if (f.is_procedure()) {  // PostgreSQL names every mode of a procedure's arguments
      char mode = ProcedureArgMode(f, i);
      out += mode == 'o' ? "OUT " : mode == 'b' ? "INOUT " : "IN ";
    }
    if (with_names && i < f.arg_names_size() && !f.arg_names(i).empty()) out += f.arg_names(i) + " ";
    out += DeclaredTypeText(FromProtoType(f.arg_types(i)));
  }
  return out;
}

char ProcedureArgMode(const catalog::Function& f, int i) {
  size_t at = static_cast<size_t>(i);
  return at < f.arg_modes().size() ? f.arg_modes()[at] : 'i';
}

int NamedArguments(const catalog::Function& f) {
  int n = 0;
  for (const auto& name : f.arg_names()) n += !name.empty();
  return n;
}

const catalog::Function& ProcedureForCall(const CatalogVersion& c, const std::string& schema,
                                          const std::string& name, size_t n, int location) {
  const catalog::Function* found = nullptr;
  for (const catalog::Function* f : FunctionsNamed(c, schema, name, /*procedures=*/true)) {
    size_t all = static_cast<size_t>(f->arg_types_size()), in = 0;
    for (size_t i = 0; i < all; ++i) in += ProcedureArgMode(*f, static_cast<int>(i)) != 'o';
    if (n != all && n != in) continue;
    if (found != nullptr) {
      throw SqlError(sqlstate::kAmbiguousFunction, StrCat("procedure ", name, " is not unique"), location + 1)
          .WithHint("Could not choose a best candidate procedure. You might need to add explicit type casts.");
    }
    found = f;
  }
  if (found == nullptr) {
    throw SqlError(sqlstate::kUndefinedFunction, StrCat("procedure ", name, " does not exist"), location + 1)
        .WithHint("No procedure matches the given name and argument types. You might need to add explicit type casts.");
  }
  return *found;
}

std::vector<std::pair<std::string, SqlType>> ProcedureResultColumns(const catalog::Function& f) {
  std::vector<std::pair<std::string, SqlType>> out;
  for (int i = 0; i < f.arg_types_size(); ++i) {
    if (ProcedureArgMode(f, i) == 'i') continue;
    SqlType type = FromProtoType(f.arg_types(i));
    if (UnboundedNumeric(type)) type = SqlType::Text();
    out.emplace_back(f.arg_names(i).empty() ? StrCat("column", i + 1) : f.arg_names(i), type);
  }
  return out;
}

std::string ProcedureSourceText(const catalog::Function& f) {
  std::string out = StrCat("CREATE PROCEDURE \"", f.name(), "\"(");
  for (int i = 0; i < f.arg_types_size(); ++i) {
    char mode = ProcedureArgMode(f, i);
    out += StrCat(i ? ", " : "", mode == 'o' ? "OUT " : mode == 'b' ? "INOUT " : "");
    if (i < f.arg_names_size() && !f.arg_names(i).empty()) out += StrCat("\"", f.arg_names(i), "\" ");
    out += DeclaredTypeText(FromProtoType(f.arg_types(i)));
  }
  // A dollar tag the body does not contain.
  std::string tag = "$strata$";
  for (int k = 0; f.body().find(tag) != std::string::npos; ++k) tag = StrCat("$strata", k, "$");
  return StrCat(out, ") AS ", tag, f.body(), tag, " LANGUAGE plpgsql");
}

bool AssignmentCastable(const SqlType& from, const SqlType& to) {
  return from.id == to.id || from.id == TypeId::kNull || (from.is_numeric() && to.is_numeric()) || to.is_string() ||
         (from.is_temporal() && to.is_temporal()) ||
         (to.is_time() && (from.is_time() || from.is_timestamp() || from.id == TypeId::kInterval)) ||
         (to.id == TypeId::kInterval && from.id == TypeId::kTime);
}

plan::Expr CoerceToDeclared(plan::Expr e, const SqlType& t, bool assignment) {
  SqlType target = t;
  if (UnboundedNumeric(t)) {
    SqlType from = ExprType(e);
    if (from.id == TypeId::kDecimal) return e;
    target = from.is_integer() ? IntegerAsDecimal(from) : SqlType::Decimal(18, 0);
  }
  if (IsUntypedStringLiteral(e) || !assignment) return CoerceTo(std::move(e), target);
  SqlType from = ExprType(e);
  if (from == target) return e;
  if (from.id == TypeId::kNull) return CoerceTo(std::move(e), target);
  return CallExpr(plan::ASSIGN_CAST, target, {std::move(e)});
}

std::vector<const catalog::Function*> FunctionsNamed(const CatalogVersion& c, const std::string& schema,
                                                     const std::string& name, bool procedures) {
  std::vector<const catalog::Function*> out;
  for (const auto& f : c.functions()) {
    if (f.name() == name && f.is_procedure() == procedures && (schema.empty() || f.schema() == schema)) out.push_back(&f);
  }
  return out;
}

const catalog::Function* PickOverload(const std::vector<const catalog::Function*>& candidates,
                                      const std::vector<SqlType>& types, const std::vector<bool>& unknown,
                                      int location) {
  const catalog::Function* best = nullptr;
  int best_exact = -1;
  bool tie = false;
  for (const catalog::Function* f : candidates) {
    if (f->arg_types_size() != static_cast<int>(types.size())) continue;
    int exact = 0;
    bool fits = true;
    for (size_t i = 0; i < types.size() && fits; ++i) {
      SqlType want = FromProtoType(f->arg_types(static_cast<int>(i)));
      bool is_unknown = i < unknown.size() && unknown[i];
      if (!is_unknown && types[i].id == want.id) ++exact;
      fits = is_unknown || ImplicitlyConvertible(types[i], want);
    }
    if (!fits) continue;
    if (exact > best_exact) {
      best = f;
      best_exact = exact;
      tie = false;
    } else if (exact == best_exact) {
      tie = true;
    }
  }
  if (best != nullptr && tie) {
    std::string sig;
    for (size_t i = 0; i < types.size(); ++i) {
      sig += StrCat(i ? ", " : "", unknown[i] ? "unknown" : DeclaredTypeText(types[i]));
    }
    FailAt(sqlstate::kAmbiguousFunction, StrCat("function ", best->name(), "(", sig, ") is not unique"), location);
  }
  return best;
}

void CheckSqlFunctionBody(const catalog::Function& f, const CatalogVersion& cat, const SessionValues* session) {
  std::vector<ast::Statement> parsed = ParseBody(f);
  const ast::Expr& body = BodyExpression(parsed, f);
  // The arguments stand as parameters of their declared types: typed, and not constants that
  // the binder could fold.
  std::vector<plan::Expr> args;
  std::vector<std::string> names;
  for (int i = 0; i < f.arg_types_size(); ++i) {
    SqlType t = FromProtoType(f.arg_types(i));
    if (UnboundedNumeric(t)) t = SqlType::Decimal(18, 0);
    plan::Expr a;
    *a.mutable_type() = ToProtoType(t);
    a.set_param(i + 1);
    args.push_back(std::move(a));
    names.push_back(i < f.arg_names_size() ? f.arg_names(i) : "");
  }
  BindState state;
  state.catalog = &cat;
  state.session = session;
  BindState::FunctionFrame frame{&args, &names, f.name()};
  state.function_frame = &frame;
  state.function_depth = 1;
  Scope empty;
  ExprBinder binder(empty, &state, nullptr, "SQL function body");
  plan::Expr bound;
  try {
    bound = binder.Bind(body);
  } catch (const SqlError& err) {
    throw Relocated(err, 0);
  }
  SqlType result = ExprType(bound);
  SqlType declared = FromProtoType(f.return_type());
  if (!IsUntypedStringLiteral(bound) && !AssignmentCastable(result, declared)) {
    throw SqlError(sqlstate::kInvalidFunctionDefinition,
                   StrCat("return type mismatch in function declared to return ", DeclaredTypeText(declared)))
        .WithDetail(StrCat("Actual return type is ", DeclaredTypeText(result), "."));
  }
}

std::optional<plan::Expr> ExprBinder::BindSqlFunctionCall(const ast::Expr& e, std::vector<plan::Expr>& args,
                                                          const std::vector<bool>& unknown) {
  const CatalogVersion& cat = Catalog();
  if (cat.functions_size() == 0 || params_ == nullptr) return std::nullopt;
  std::vector<const catalog::Function*> named = FunctionsNamed(cat, "", e.func_name, false);
  if (named.empty()) return std::nullopt;
  std::vector<SqlType> types;
  for (const auto& a : args) types.push_back(ExprType(a));
  const catalog::Function* f = PickOverload(named, types, unknown, e.location);
  if (f == nullptr) return std::nullopt;
  CheckFunctionExecute(cat, params_, *f, e.location);
  if (params_->function_depth >= kMaxFunctionNesting) {
    FailAt(sqlstate::kStatementTooComplex, "stack depth limit exceeded", e.location);
  }
  if (++params_->functions_inlined > kMaxFunctionsInlined) {
    FailAt(sqlstate::kStatementTooComplex,
           StrCat("statement too complex: more than ", kMaxFunctionsInlined, " SQL function calls to inline"), e.location);
  }
  std::vector<plan::Expr> declared_args;
  std::vector<std::string> names;
  for (size_t i = 0; i < args.size(); ++i) {
    declared_args.push_back(CoerceToDeclared(args[i], FromProtoType(f->arg_types(static_cast<int>(i))), false));
    names.push_back(static_cast<int>(i) < f->arg_names_size() ? f->arg_names(static_cast<int>(i)) : "");
  }
  std::vector<ast::Statement> parsed = ParseBody(*f);
  const ast::Expr& body = BodyExpression(parsed, *f);
  BindState::FunctionFrame frame{&declared_args, &names, f->name()};
  // The body sees its arguments only: no columns of the calling query or of queries around it.
  const BindState::FunctionFrame* saved_frame = params_->function_frame;
  std::vector<OuterScope*> saved_outer = std::move(params_->outer_scopes);
  params_->outer_scopes.clear();
  params_->function_frame = &frame;
  ++params_->function_depth;
  auto restore = [&] {
    params_->function_frame = saved_frame;
    params_->outer_scopes = std::move(saved_outer);
    --params_->function_depth;
  };
  plan::Expr bound;
  try {
    Scope empty;
    ExprBinder inner(empty, params_, nullptr, "SQL function body");
    bound = inner.Bind(body);
  } catch (const SqlError& err) {
    restore();
    throw Relocated(err, e.location + 1);
  } catch (...) {
    restore();
    throw;
  }
  restore();
  return CoerceToDeclared(std::move(bound), FromProtoType(f->return_type()), true);
}

}  // namespace strata
