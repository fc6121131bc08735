// Binding COPY and UNLOAD: gives the options parsed by sql/copy_parser their meaning (Redshift's
// for files and S3, PostgreSQL's for STDIN / STDOUT) and builds the plan: COPY FROM is a file
// scan projected into the table's column order (then planned like INSERT ... SELECT); COPY TO
// STDOUT and UNLOAD are queries whose rows are formatted by a plan::UnloadSpec.
#pragma once

#include "catalog/catalog_version.h"
#include "planner/binder.h"

namespace strata {

void BindCopyFrom(const ast::CopyStmt& c, const CatalogVersion& cat, const SessionValues* session, BoundStatement* out);
// The query of COPY (query) TO / UNLOAD is bound with the session's values, as the statement is.
void BindCopyTo(const ast::CopyStmt& c, const CatalogVersion& cat, const SessionValues* session, BoundStatement* out);
void BindUnload(const ast::UnloadStmt& u, const CatalogVersion& cat, const SessionValues* session, BoundStatement* out);

// Parses Redshift's CREDENTIALS 'aws_access_key_id=...;aws_secret_access_key=...[;token=...]'
// (or 'aws_iam_role=...') into `auth`; 22023 on anything else.
void ParseCredentials(const std::string& text, plan::ObjectAuth* auth);

}  // namespace strata
