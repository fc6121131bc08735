// A table's distribution and sort styles and its constraints' kinds: their names as Redshift and
// PostgreSQL spell them (for DDL, pg_table_def, svv_table_info, pg_constraint.contype), and the
// conversion of catalogs written when the catalog stored those spellings instead of the enums.
#pragma once

#include <string>

#include "catalog/catalog.pb.h"

namespace strata {

inline const char* DistStyleName(catalog::DistStyle s) {
  switch (s) {
    case catalog::DIST_KEY: return "KEY";
    case catalog::DIST_ALL: return "ALL";
    case catalog::DIST_AUTO: return "AUTO";
    default: return "EVEN";
  }
}

// "EVEN", "KEY", "ALL" or "AUTO" (upper case; anything else is EVEN).
inline catalog::DistStyle DistStyleNamed(const std::string& s) {
  if (s == "KEY") return catalog::DIST_KEY;
  if (s == "ALL") return catalog::DIST_ALL;
  if (s == "AUTO") return catalog::DIST_AUTO;
  return catalog::DIST_EVEN;
}

// pg_constraint.contype.
inline const char* ContypeOf(catalog::ConstraintKind k) {
  return k == catalog::PRIMARY_KEY ? "p" : k == catalog::UNIQUE ? "u" : "f";
}
inline bool IsForeignKey(const catalog::Constraint& c) { return c.kind() == catalog::FOREIGN_KEY; }

// A table of a catalog written before the styles and kinds were enums: takes them from the
// strings it holds (an empty sort style with a sort key was compound), and clears the strings.
inline void ConvertLegacyStyles(catalog::Table* t) {
  if (!t->legacy_diststyle().empty()) t->set_dist_style(DistStyleNamed(t->legacy_diststyle()));
  const std::string& sort = t->legacy_sortstyle();
  if (sort == "INTERLEAVED") t->set_sort_style(catalog::SORT_INTERLEAVED);
  else if (sort == "COMPOUND" || (sort.empty() && t->sortkey_size() > 0 && t->sort_style() == catalog::SORT_NONE)) t->set_sort_style(catalog::SORT_COMPOUND);
  t->clear_legacy_diststyle();
  t->clear_legacy_sortstyle();
  for (auto& c : *t->mutable_constraints()) {
    if (c.legacy_type().empty()) continue;
    c.set_kind(c.legacy_type() == "p" ? catalog::PRIMARY_KEY : c.legacy_type() == "u" ? catalog::UNIQUE : catalog::FOREIGN_KEY);
    c.clear_legacy_type();
  }
}

}  // namespace strata
