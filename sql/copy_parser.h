// Redshift's COPY and UNLOAD statements, which PostgreSQL's grammar cannot parse (options are a
// free list of keywords: `COPY t FROM 's3://b/p' IAM_ROLE '...' CSV IGNOREHEADER 1 GZIP`), so they
// get a small parser of their own over libpg_query's tokens. It also takes PostgreSQL's forms,
// which psql's \copy and JDBC's CopyManager send: `COPY t (a, b) FROM STDIN WITH (FORMAT csv,
// HEADER true)`, `COPY t TO STDOUT CSV HEADER`, `COPY (select ...) TO STDOUT`.
//
// The parser only records options as written (lowercased names; FORMAT [AS] x becomes
// ("format", x); bare CSV / JSON / PARQUET / AVRO / ORC become ("format", name), with JSON's
// argument as ("json", 'auto')); the binder checks them.
#pragma once

#include <string_view>

#include "sql/ast.h"

namespace strata {

// True when the statement text's first word is COPY or UNLOAD.
bool IsCopyOrUnload(std::string_view sql);

// Parses one COPY or UNLOAD statement (a trailing ';' is allowed). Throws SqlError 42601 with a
// 1-based character position on a syntax error.
ast::Statement ParseCopyOrUnload(std::string_view sql);

}  // namespace strata
