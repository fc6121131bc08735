// Zone maps: the min, max and NULL count of a block, and the test that lets a scan skip a block
// whose zone map proves that no row in it can satisfy a comparison with a constant.
//
// Values are kept by physical type (see storage.proto's ZoneKind): integers, booleans, dates,
// timestamps and decimals p <= 18 as int64; decimals p > 18 as int128; floats as double in
// PostgreSQL's order (NaN above everything); strings as bytes cut to 32 bytes. A cut minimum is
// a prefix of the true minimum and so still a lower bound; a cut maximum is not an upper bound
// and is marked inexact: it only proves "every value is below c" when c is above the prefix and
// does not start with it.
//
// String comparison: Redshift ignores trailing blanks when comparing CHAR and VARCHAR, plain
// byte order does not. ZoneMayMatch answers "may match" when either rule could match, so a block
// is skipped only when it is safe under both (the trailing-blank rule uses a lower bound derived
// from the raw minimum; see zone_map.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sql/types.h"
#include "sql/vector.h"
#include "storage/storage.pb.h"

namespace strata {

inline constexpr size_t kZoneMaxStringBytes = 32;

// `column <cmp> constant`, with the constant in the column's physical representation: i64 for
// integer-like columns (bool as 0/1, DATE days, TIMESTAMP micros, DECIMAL p<=18 unscaled), i128
// for DECIMAL p>18 (unscaled), f64 for floats, str for strings.
// kIsNull: `column IS NULL` (the constant is unused); kAnyOf: `column IN (...)`, true when any
// of `any_of` (each kEq) may match.
struct ZonePredicate {
  enum class Cmp { kEq, kLt, kLe, kGt, kGe, kIsNull, kAnyOf };
  int column = 0;
  Cmp cmp = Cmp::kEq;
  int64_t i64 = 0;
  int128 i128 = 0;
  double f64 = 0;
  std::string str;
  std::vector<ZonePredicate> any_of;
};

// Computes the zone map of rows [begin, end) of `v` (replacing *zone's contents).
void ComputeZoneMap(const Vector& v, size_t begin, size_t end, storage::ZoneMap* zone);

// False only when no row of a block with zone map `z` can satisfy `p`. NULLs never satisfy a
// comparison, so a block without non-NULL values never matches.
bool ZoneMayMatch(const storage::ZoneMap& z, const SqlType& type, const ZonePredicate& p);

// The min (max = false) or max as stv_blocklist shows it: integers as they are, decimals
// unscaled (int128 clamped to int64), floats truncated (and clamped; NaN as INT64_MAX), strings
// as their first 8 bytes read as a big-endian integer (zero-padded). 0 when there is no min/max.
int64_t ZoneMapAsBigint(const storage::ZoneMap& z, bool max);

// int128 <-> the 16 little-endian bytes of ZoneMap.min_i128/max_i128.
std::string Int128ToBytes(int128 v);
int128 Int128FromBytes(const std::string& b);

}  // namespace strata
