// GRANT, REVOKE, and the group and role statements, in Redshift's syntax (which PostgreSQL's
// grammar lacks in part: TO ROLE r, GRANT ROLE r, ALTER GROUP ... ADD USER), parsed over the
// scanner's tokens into an ast::PrivilegeStmt (sql/ast.h lists the forms). Run by
// server/leader_privileges.cpp.
#pragma once

#include <string_view>

#include "sql/ast.h"

namespace strata {

// True when the statement is GRANT, REVOKE, CREATE | ALTER | DROP GROUP or ROLE, or ALTER
// DEFAULT PRIVILEGES.
bool IsPrivilegeStatement(std::string_view sql);

// Parses one such statement (a trailing ';' is allowed) into a kPrivilege statement.
ast::Statement ParsePrivilegeStatement(std::string_view sql);

}  // namespace strata
