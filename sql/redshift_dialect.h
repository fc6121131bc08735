// The Redshift dialect layer: PostgreSQL's grammar rejects Redshift's table attributes, so before
// parsing we scan the text with libpg_query's scanner and, inside CREATE TABLE statements, lift
// out DISTSTYLE, DISTKEY(col), [COMPOUND|INTERLEAVED] SORTKEY(cols), SORTKEY AUTO, BACKUP YES|NO,
// table-level ENCODE AUTO and column-level ENCODE name / DISTKEY / SORTKEY. `VARCHAR(MAX)` is
// rewritten to a marker the decoder recognises. The lifted tokens are replaced by spaces of the
// same byte length, so every other byte offset in the text stays valid for AST locations and
// error cursors; the options come back typed, keyed by the position of their CREATE keyword.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sql/ast.h"

namespace strata {

// One token of libpg_query's scanner (pg_query_scan), reduced to what the dialect layer needs.
enum class SqlTokenClass {
  kWord,         // an unquoted identifier or keyword
  kQuotedIdent,  // "Quoted Identifier"
  kString,       // 'string', E'..', $$..$$, B'..', X'..'
  kNumber,
  kPunct,        // one of ( ) , ; . [ ] and the other single-character tokens
  kComment,
  kOther,        // operators, parameters, ::
};

struct SqlToken {
  int start = 0;  // byte offsets into the scanned text, [start, end)
  int end = 0;
  SqlTokenClass cls = SqlTokenClass::kOther;
};

// `s` with ASCII letters lowercased: how the scanner-based parsers (this file, COPY, VACUUM)
// compare unquoted words.
std::string AsciiLower(std::string_view s);

// Scans `sql` with pg_query_scan. Returns false (and no tokens) when the scanner rejects the text
// (an unterminated string, say): the parser will then report that error itself.
// Implemented in pg_decoder.cpp, the one file that sees libpg_query's protobuf classes.
bool ScanSqlTokens(const std::string& sql, std::vector<SqlToken>* tokens);

// Column-level Redshift attributes.
struct RedshiftColumnOptions {
  std::string encode;  // lowercased; empty when not given
  bool distkey = false;
  bool sortkey = false;
};

// The Redshift attributes of one CREATE TABLE (or ALTER TABLE ... ADD COLUMN) statement.
struct RedshiftTableOptions {
  int create_offset = 0;       // byte offset of the statement's CREATE (or ALTER) keyword
  std::string diststyle;       // "", "EVEN", "KEY", "ALL", "AUTO" (KEY when only DISTKEY given)
  std::string distkey;         // table-level DISTKEY(col), normalised like an identifier
  std::vector<std::string> sortkey;
  std::string sortstyle;       // "", "COMPOUND", "INTERLEAVED" (COMPOUND when unqualified)
  std::map<std::string, RedshiftColumnOptions> columns;  // by normalised column name
};

struct DialectResult {
  std::string pg_text;  // the PostgreSQL text: same byte length as the input
  std::vector<RedshiftTableOptions> tables;
  // Byte offsets of `MAX` in VARCHAR(MAX)/CHAR(MAX): rewritten to "999" (the grammar wants an
  // unsigned integer there); the decoder recognises a type modifier located at one of these
  // offsets and turns it into the type's maximum length.
  std::vector<int> max_length_offsets;
  // Byte offsets of Redshift's `SELECT TOP n`: "TOP n " is rewritten in place to "_t(n)," (a
  // first select-list item of the same length); the decoder recognises a call located at one of
  // these offsets and makes it the SELECT's LIMIT.
  std::vector<int> top_offsets;
  // Redshift's PIVOT / UNPIVOT clauses after a table reference: the reference's alias and the
  // clause are rewritten in place to the alias `_pvtN_` (blanks to the same length), N indexing
  // this list; the decoder wraps the reference in a TableRef of kind kPivot.
  std::vector<ast::PivotSpec> pivots;
};

// Lifts the Redshift clauses out of `sql` (one or more ';'-separated statements).
// Throws SqlError 42601 (bad DISTSTYLE, malformed DISTKEY/SORTKEY, unknown ENCODE) or 42P16
// (contradictory distribution settings), with the 1-based character position in `sql`.
DialectResult LiftRedshiftClauses(std::string_view sql);

// The Redshift column compression encodings Strata accepts (lowercase).
bool IsKnownEncoding(std::string_view lowercase_name);

// Normalises an identifier token as PostgreSQL does: unquoted -> ASCII-lowercased, quoted ->
// quotes removed and doubled quotes collapsed.
std::string NormalizeIdentifier(std::string_view token_text);
// `name` as a double-quoted identifier (inner quotes doubled): for SQL the server writes itself.
std::string QuoteIdentifier(std::string_view name);

// The 1-based character (not byte) position of `byte_offset` in UTF-8 `text`, as PostgreSQL
// reports error cursors. Offsets past the end count as one past the last character.
int CharPositionAt(std::string_view text, int byte_offset);

}  // namespace strata
