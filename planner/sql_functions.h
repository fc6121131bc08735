// Users' SQL functions (CREATE FUNCTION ... LANGUAGE sql, Redshift's scalar SQL UDFs): how their
// declared types are kept, which overload a call picks, the check of a new body, and (in
// sql_functions.cpp) ExprBinder::BindSqlFunctionCall, which inlines a call.
//
// A call is never executed as a call: the binder re-parses the body (one SELECT of one
// expression, no FROM), binds its expression with each $n (or argument name) standing for the
// call's n-th argument cast to its declared type, and casts the result to the declared return
// type. So f_plus(a, 1) over `create function f_plus(int, int) returns int as 'select $1 + $2'`
// becomes a + 1 in the plan, runs on the compute nodes like any expression, and a body that
// calls another function inlines that one too (at most kMaxFunctionNesting deep: 54001 past it).
#pragma once

#include <string>
#include <vector>

#include "catalog/catalog_version.h"
#include "planner/plan.pb.h"
#include "planner/session_values.h"
#include "sql/ast.h"
#include "sql/types.h"

namespace strata {

inline constexpr int kMaxFunctionNesting = 64;
inline constexpr int64_t kMaxFunctionsInlined = 10000;  // per statement

// The type an argument or result declared as `t` takes. PostgreSQL ignores their modifiers, so
// a string type is unbounded (VARCHAR: varchar of length -1; TEXT, CHAR: text) and a NUMERIC
// is kept as precision 0: "any numeric" (CoerceToDeclared).
SqlType DeclaredFunctionType(const ast::TypeName& t);
// PostgreSQL's name of a declared type, as pg_get_function_arguments shows it ("integer",
// "numeric", "character varying").
std::string DeclaredTypeText(const SqlType& t);
// "a integer, double precision" (with_names) or "integer, double precision".
std::string FunctionArgumentsText(const catalog::Function& f, bool with_names);
// `e` cast to a declared argument or result type (an assignment cast for a result). A NUMERIC
// of precision 0 keeps a decimal's own precision and scale.
plan::Expr CoerceToDeclared(plan::Expr e, const SqlType& t, bool assignment);
// Whether a value of type `from` may be returned as `to` (PostgreSQL's assignment casts).
bool AssignmentCastable(const SqlType& from, const SqlType& to);

// The functions (procedures when `procedures`) named `name`, in `schema` when it is not empty.
std::vector<const catalog::Function*> FunctionsNamed(const CatalogVersion& c, const std::string& schema,
                                                     const std::string& name, bool procedures);
// The overload of `candidates` a call with arguments of `types` picks (unknown[i]: the i-th is
// an untyped literal or NULL, which fits any type): every argument must convert implicitly, and
// the one with the most exact matches wins. nullptr when none fits; 42725 when two tie.
const catalog::Function* PickOverload(const std::vector<const catalog::Function*>& candidates,
                                      const std::vector<SqlType>& types, const std::vector<bool>& unknown,
                                      int location);

// Stored procedures (CREATE PROCEDURE ... LANGUAGE plpgsql; server/leader_procedures.cpp runs
// them). ProcedureArgMode answers 'i', 'o' or 'b' (catalog.proto's Function.arg_modes).
char ProcedureArgMode(const catalog::Function& f, int i);
// How many of f's arguments have names (PL/pgSQL gives only those a variable of their own).
int NamedArguments(const catalog::Function& f);
// The procedure `CALL [schema.]name(n arguments)` runs: one whose arguments number n, or n
// without its OUT arguments (Redshift leaves them out; PostgreSQL passes NULL for them). 42883
// when there is none, 42725 when there are several.
const catalog::Function& ProcedureForCall(const CatalogVersion& c, const std::string& schema,
                                          const std::string& name, size_t n, int location);
// The columns of the row a CALL of f returns: its OUT and INOUT arguments (none: no row).
// An unbounded NUMERIC shows as text.
std::vector<std::pair<std::string, SqlType>> ProcedureResultColumns(const catalog::Function& f);
// The CREATE PROCEDURE statement pg_query_parse_plpgsql reads f's body from.
std::string ProcedureSourceText(const catalog::Function& f);

// Checks a new LANGUAGE sql function `f` (its body, argument and return types set): the body
// must be one SELECT of one expression without FROM or other clauses (42P13, the shape
// Redshift allows), bind with the arguments' types (its own errors: 42883, 42703, 42P02 ...),
// and give a value the return type can take (42P13 "return type mismatch").
void CheckSqlFunctionBody(const catalog::Function& f, const CatalogVersion& cat, const SessionValues* session);

}  // namespace strata
