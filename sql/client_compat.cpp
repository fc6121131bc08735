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
constexpr Rule kRules[] = {
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
