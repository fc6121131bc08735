// The families of functions behind MakeCatalogFunctionNode (executor/expr_node.h): the SQL
// functions that psql's and pgjdbc's catalog queries call. Each factory returns nullptr for a
// name that is not its own; MakeCatalogFunctionNode tries them in turn.
#pragma once

#include <string>
#include <string_view>

#include "executor/expr_node.h"

namespace strata {

// textregexeq (~), texticregexeq (~*): executor/expr_regex.cpp.
NodePtr MakeRegexFunctionNode(const std::string& name, const plan::Expr& expr, NodeList& args);
// pg_any_eq, array_to_string, pg_array_element, pg_array_text, array_upper, cardinality,
// pg_array_quote: executor/expr_array.cpp.
NodePtr MakeArrayFunctionNode(const std::string& name, const plan::Expr& expr, NodeList& args);
// replace, split_part, strpos, left, right, concat, format: executor/expr_string_parts.cpp.
NodePtr MakeStringPartsFunctionNode(const std::string& name, const plan::Expr& expr, NodeList& args);

// quote_ident's and quote_literal's output for `s`, appended to `out` (format's %I and %L too).
void AppendQuotedIdent(std::string_view s, std::string* out);
void AppendQuotedLiteral(std::string_view s, std::string* out);

// Casts args[k] to `type` unless it already has that type (CHAR always becomes TEXT, so its
// padding is dropped as PostgreSQL's bpchar-to-text cast does).
void CastArg(NodeList& args, size_t k, const SqlType& type);
// ORs the null bytes of the first `count` inputs into `nulls` (n rows).
void OrNulls(const std::vector<const Vector*>& inputs, size_t count, size_t n, uint8_t* nulls);

// PostgreSQL's format_type(type_oid, typmod) for the types Strata's catalog shows; "???" for an
// unknown oid. `typmod_given` false is format_type(oid, NULL).
void AppendFormatType(int64_t oid, int32_t typmod, bool typmod_given, std::string* out);

}  // namespace strata
