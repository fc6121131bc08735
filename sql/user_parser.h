// Redshift's user statements, parsed over libpg_query's scanner tokens (like VACUUM, see
// maintenance_parser.h): PostgreSQL's grammar has no PASSWORD DISABLE, and Redshift's options
// differ from CREATE ROLE's.
//
//   CREATE USER name [WITH] [option ...]
//   ALTER USER name [WITH] option [...]      | ALTER USER name RENAME TO new_name
//   DROP USER [IF EXISTS] name [, ...]
//
//   option: PASSWORD { 'text' | DISABLE | NULL } | CREATEDB | NOCREATEDB
//           | CREATEUSER | NOCREATEUSER | SUPERUSER | NOSUPERUSER
//
// Redshift's other options (SYSLOG ACCESS, IN GROUP, VALID UNTIL, CONNECTION LIMIT, SESSION
// TIMEOUT, EXTERNALID) are refused with 0A000; anything else is a 42601 syntax error.
#pragma once

#include <string_view>

#include "sql/ast.h"

namespace strata {

// True when the statement starts with CREATE USER, ALTER USER or DROP USER.
bool IsUserStatement(std::string_view sql);

// Parses one such statement (a trailing ';' is allowed) into a kUser statement.
ast::Statement ParseUserStatement(std::string_view sql);

}  // namespace strata
