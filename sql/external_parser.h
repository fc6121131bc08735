// The external catalog's statements (Spectrum): CREATE EXTERNAL SCHEMA / TABLE, DROP SCHEMA ...
// DROP EXTERNAL DATABASE, ALTER TABLE ... ADD / DROP PARTITION, SET LOCATION, SET TABLE
// PROPERTIES, Athena's MSCK REPAIR TABLE and Strata's CRAWL, in the syntax ast::ExternalStmt lists. PostgreSQL's
// grammar has none of them, so they are parsed over libpg_query's scanner tokens (like COPY);
// column types go through the PostgreSQL parser, after Hive's names (string, double, tinyint)
// are given their SQL spellings.
#pragma once

#include <string_view>

#include "sql/ast.h"

namespace strata {

// True when the statement is one of those (decided from its first few words).
bool IsExternalStatement(std::string_view sql);

// Parses one; 42601 with a position on bad syntax, 0A000 for what Strata does not support
// (nested column types, a Hive metastore).
ast::Statement ParseExternalStatement(std::string_view sql);

}  // namespace strata
