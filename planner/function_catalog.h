// The scalar function catalog: for a function name and the argument types the binder found, the
// result type and the type each argument is cast to (PostgreSQL 15's choices, with the
// decisions Strata makes where PostgreSQL's numeric has no typmod). Also the result type of
// decimal arithmetic. Rules, in full:
//
// DecimalResultType(op, decimal(p1,s1), decimal(p2,s2)), every precision capped at 38:
//   + -  scale max(s1,s2), precision max(p1-s1, p2-s2) + scale + 1
//   *    scale s1+s2 (capped at 38), precision p1+p2
//   /    scale = PostgreSQL's select_div_scale with the quotient's weight estimated as 0
//        (operands of similar magnitude): max(s1, s2, 16), so at least 16 significant digits;
//        integer digits (p1-s1) + s2; if integer digits + scale exceed 38 the scale shrinks to
//        fit (never below max(s1, s2) unless that alone exceeds 38)
//   %    scale max(s1,s2), precision min(p1-s1, p2-s2) + scale
//
// Functions (args: string = CHAR/VARCHAR/TEXT, int = SMALLINT/INTEGER/BIGINT):
//   lower, upper, trim, btrim, ltrim, rtrim (string) -> text
//   length, char_length, character_length, len (string) -> integer; CHAR args keep CHAR so
//     padding is ignored (bpchar length); octet_length (string) -> integer, CHAR counts padding
//   substring, substr (string, int [, int]) -> text
//   abs(x) -> x's type
//   round(decimal(p,s)) -> decimal(p-s+1, 0); round(decimal(p,s), n): n a constant k ->
//     decimal(p-s+1+max(k,0), max(k,0)) (PostgreSQL prints k digits), n not constant ->
//     decimal(p+1, s); an integer argument is a decimal(p,0) first; round(float[, n]) -> double
//     (round(float, n) is Redshift's, PostgreSQL has none)
//   floor, ceil, ceiling (decimal(p,s)) -> decimal(p-s+1, 0); (float or int) -> double
//   mod(int, int) -> the wider int; mod with a decimal -> DecimalResultType(MOD)
//   nullif(a, b), greatest(...), least(...) -> the common type of the arguments
//   date_part(text, date|timestamp) -> double (the date is cast to timestamp, PostgreSQL 15)
//   extract(text, date|timestamp) -> numeric: second decimal(8,6), millisecond decimal(8,3),
//     epoch and julian decimal(18,6) for timestamps and decimal(18,0) for dates, other fields
//     decimal(18,0); a field that is not a constant -> decimal(18,6)
//   Catalog functions (executor/expr_catalog.cpp; arrays are TEXT holding PostgreSQL's literal):
//   textregexeq, texticregexeq (string, string) -> boolean: ~ and ~* (POSIX extended regex)
//   replace(string, string, string) -> text
//   format_type(int oid, int typmod) -> text: PostgreSQL's format_type
//   pg_any_eq(any, string) -> boolean: elem = ANY(array), elem cast to text
//   array_to_string(string, string [, string]) -> text
//   pg_array_element(string, int) -> text; array_upper(string, int) -> integer;
//     cardinality(string) -> integer
//   pg_array_text(any...) -> text (0 or more args, each cast to text): an array literal
//   pg_array_quote(any) -> text: one element quoted for an array literal
//   quote_ident(string) -> text; quote_literal(any) -> text
//   pg_encoding_to_char(int) -> text; pg_get_expr(string, int [, boolean]) -> text
//   split_part(string, string, int) -> text; strpos(string, string) -> integer;
//     left, right (string, int) -> text; concat(any...) -> text (one or more args, cast to text)
//   date_trunc, dateadd, datediff, add_months, last_day, months_between, trunc(date/time),
//     to_char: planner/datetime_functions.h
// Anything else: 42883 "function name(argtypes) does not exist".
#pragma once

#include <string>
#include <vector>

#include "planner/plan.pb.h"
#include "sql/types.h"

namespace strata {

struct FunctionSignature {
  SqlType result;
  std::vector<SqlType> arg_types;  // the types to cast each argument to
};

// `args`, when given, are the bound arguments (same order as arg_types); the catalog reads
// constant literals among them (round's digit count, extract's field) to pick a result type.
FunctionSignature ResolveFunction(const std::string& name, const std::vector<SqlType>& arg_types,
                                  const std::vector<const plan::Expr*>& args = {});

SqlType DecimalResultType(plan::Op op, SqlType a, SqlType b);

}  // namespace strata
