// A table's distribution and sort styles as enums. The catalog stores them as Redshift spells
// them ("EVEN", "KEY", "ALL", "AUTO"; "COMPOUND", "INTERLEAVED" or none), which keeps catalogs
// written by earlier versions readable; code asks these functions instead of comparing strings.
#pragma once

#include <string>

#include "storage/catalog.pb.h"

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

}  // namespace strata
