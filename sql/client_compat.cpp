// See client_compat.h.
#include "sql/client_compat.h"

#include <string_view>

namespace strata {
namespace {

struct Rule {
  std::string_view fragment;
  std::string_view replacement;
};

// psql 15's \d+ (describe.c) reads a relation's options together with its TOAST table's:
//   array_to_string(c.reloptions || array(select 'toast.' || x from unnest(tc.reloptions) x), ', ')
// Strata has no TOAST tables (tc never matches, so unnest(tc.reloptions) has no rows and the
// array part is empty), which leaves array_to_string(c.reloptions, ', '); an empty array gives ''.
//
// pg_dump 15 reads each column's foreign-data-wrapper options as
//   array_to_string(ARRAY(SELECT ... FROM pg_options_to_table(attfdwoptions) ORDER BY option_name), ...)
// Strata has no foreign tables, so attfdwoptions is NULL on every column, pg_options_to_table of
// it has no rows and the ARRAY is empty: '{}', whose array_to_string is ''.
//
// pgjdbc's getPrimaryKeys (and the tools that copied it) pair each key column with its place in
// pg_index.indkey through the set-returning information_schema._pg_expandarray(indkey), whose
// rows (x = attnum, n = place) are matched with `A_ATTNUM = (KEYS).x`. Strata has no
// set-returning functions in select lists; array_position(indkey, attnum) + 1 is that place
// (int2vectors count from 0), and a column is in the key exactly when it is not NULL.
constexpr Rule kRules[] = {
    {"(information_schema._pg_expandarray(i.indkey)).n AS KEY_SEQ", "pg_catalog.array_position(i.indkey, a.attnum) + 1 AS KEY_SEQ"},
    {"information_schema._pg_expandarray(i.indkey) AS KEYS", "NULL AS KEYS"},
    {"result.A_ATTNUM = (result.KEYS).x", "result.KEY_SEQ IS NOT NULL"},
    {"ARRAY(SELECT pg_catalog.quote_ident(option_name) || ' ' || pg_catalog.quote_literal(option_value) FROM "
     "pg_catalog.pg_options_to_table(attfdwoptions) ORDER BY option_name)",
     "'{}'"},
    {"pg_catalog.array_to_string(c.reloptions || array(select 'toast.' || x from pg_catalog.unnest(tc.reloptions) x), ', ')",
     "coalesce(pg_catalog.array_to_string(c.reloptions, ', '), '')"},
};

}  // namespace

std::string RewriteKnownClientQuery(const std::string& sql) {
  std::string out = sql;
  for (const Rule& r : kRules) {
    for (size_t at = out.find(r.fragment); at != std::string::npos; at = out.find(r.fragment, at + r.replacement.size())) {
      out.replace(at, r.fragment.size(), r.replacement);
    }
  }
  return out;
}

}  // namespace strata
