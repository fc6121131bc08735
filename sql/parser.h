// The SQL parser's entry points: text in, Strata's AST (sql/ast.h) out. PostgreSQL 15's grammar
// via libpg_query, plus Redshift's CREATE TABLE attributes via the dialect layer
// (sql/redshift_dialect.h). Nothing here exposes libpg_query's types.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sql/ast.h"
#include "sql/types.h"

namespace strata {

// Parses one or more ';'-separated statements (PostgreSQL 15 grammar plus Redshift clauses).
// Each ast::Statement gets its own `text` (trimmed of surrounding whitespace, without the ';');
// AST locations are 0-based byte offsets into that text. Input with no statement at all (empty,
// blanks, comments) gives one statement of kind kEmpty.
// Throws SqlError: 42601 syntax error at the 1-based character position in `sql` (message like
// PostgreSQL's: `syntax error at or near "frm"`), 0A000 for valid PostgreSQL syntax Strata does
// not support, naming it ("UPDATE is not supported yet", "window functions are not supported
// yet"), with a position in `sql` when the construct has one.
std::vector<ast::Statement> ParseSql(std::string_view sql);

// Splits statements (for the simple query protocol) without decoding them, using
// pg_query_split_with_parser after the dialect layer; returns each statement's original text,
// trimmed, skipping empty ones. Throws 42601 on bad syntax.
std::vector<std::string> SplitSql(std::string_view sql);

// Resolves a parsed type name to an SqlType, with PostgreSQL's and Redshift's spellings and
// Redshift's defaults: bare DECIMAL = numeric(18,0), bare CHAR = char(1), bare VARCHAR and TEXT
// = varchar(256), BPCHAR = char(256); VARCHAR(MAX) = varchar(65535), CHAR(MAX) = char(4096).
// Throws 42704 `type "foo" does not exist` for unknown names, 0A000 for PostgreSQL types Strata
// does not support (interval, timestamptz, ...), 22023 for out-of-range lengths/precisions and
// 42601 for modifiers on types that take none. Positions are t.location + 1 when known.
SqlType ResolveTypeName(const ast::TypeName& t);

}  // namespace strata
