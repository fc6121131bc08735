// Row-level security and masking policy statements in Redshift's syntax (CREATE / ALTER / DROP /
// ATTACH / DETACH RLS | MASKING POLICY, ALTER TABLE ... ROW LEVEL SECURITY ON | OFF), which
// PostgreSQL's grammar lacks, parsed over the scanner's tokens into an ast::PolicyStmt (sql/ast.h
// lists the forms). A policy's USING expression is kept as text and bound where it applies.
#pragma once

#include <string_view>

#include "sql/ast.h"

namespace strata {

bool IsPolicyStatement(std::string_view sql);
ast::Statement ParsePolicyStatement(std::string_view sql);

}  // namespace strata
