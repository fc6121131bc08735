// Redshift's maintenance statements whose syntax PostgreSQL's grammar rejects, parsed over
// libpg_query's scanner tokens (like COPY, see copy_parser.h):
//
//   VACUUM [FULL | SORT ONLY | DELETE ONLY | REINDEX] [table] [TO n PERCENT] [BOOST]
//   ANALYZE COMPRESSION [table [(col, ...)]] [COMPROWS n]
//   ALTER TABLE target APPEND FROM source [IGNOREEXTRA | FILLTARGET]
#pragma once

#include <string_view>

#include "sql/ast.h"

namespace strata {

// True when the statement starts with VACUUM, ANALYZE COMPRESSION, or ALTER TABLE t APPEND.
bool IsMaintenanceStatement(std::string_view sql);

// Parses one such statement (a trailing ';' is allowed); 42601 with a position on bad syntax.
ast::Statement ParseMaintenanceStatement(std::string_view sql);

}  // namespace strata
