// A table's distribution and sort styles and its constraints' kinds as enums. The catalog stores
// them as Redshift and PostgreSQL spell them ("EVEN", "KEY", "ALL", "AUTO"; "COMPOUND",
// "INTERLEAVED" or none; pg_constraint.contype "p", "u", "f"), which keeps catalogs written by
// earlier versions readable; code asks these functions instead of comparing strings.
#pragma once

#include <string>

#include "catalog/catalog.pb.h"

namespace strata {

enum class DistStyle { kEven, kKey, kAll, kAuto };
enum class SortStyle { kNone, kCompound, kInterleaved };

inline DistStyle DistStyleOf(const catalog::Table& t) {
  const std::string& s = t.diststyle();
  if (s == "KEY") return DistStyle::kKey;
  if (s == "ALL") return DistStyle::kAll;
  if (s == "AUTO") return DistStyle::kAuto;
  return DistStyle::kEven;
}

inline SortStyle SortStyleOf(const catalog::Table& t) {
  const std::string& s = t.sortstyle();
  if (s == "INTERLEAVED") return SortStyle::kInterleaved;
  if (s == "COMPOUND" || (s.empty() && t.sortkey_size() > 0)) return SortStyle::kCompound;
  return SortStyle::kNone;
}

enum class ConstraintKind { kPrimaryKey, kUnique, kForeignKey };

inline ConstraintKind ConstraintKindOf(const catalog::Constraint& c) {
  if (c.type() == "p") return ConstraintKind::kPrimaryKey;
  if (c.type() == "u") return ConstraintKind::kUnique;
  return ConstraintKind::kForeignKey;
}
inline bool IsForeignKey(const catalog::Constraint& c) { return ConstraintKindOf(c) == ConstraintKind::kForeignKey; }
// pg_constraint.contype, as the catalog stores it.
inline const char* ContypeOf(ConstraintKind k) {
  return k == ConstraintKind::kPrimaryKey ? "p" : k == ConstraintKind::kUnique ? "u" : "f";
}

}  // namespace strata
