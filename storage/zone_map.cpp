#include "storage/zone_map.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "sql/error.h"
#include "sql/value_text.h"

namespace strata {
namespace {

using Cmp = ZonePredicate::Cmp;

// PostgreSQL's float order: NaN equals NaN and sorts above every other value.
bool FloatLess(double a, double b) {
  if (std::isnan(a)) return false;
  if (std::isnan(b)) return true;
  return a < b;
}

bool BytesLess(std::string_view a, std::string_view b) { return a < b; }  // unsigned memcmp order

// May a block whose values lie in [lo, hi] (under `less`) hold a value v with `v cmp c`?
// `hi_is_prefix`: hi is only a prefix of the true maximum (strings cut to 32 bytes).
template <typename T, typename Less>
bool RangeMayMatch(const T& lo, const T& hi, bool hi_is_prefix, Cmp cmp, const T& c, Less less) {
  // Does the zone prove every value is below c (or at most c)?
  auto all_below = [&](bool or_equal) {
    if constexpr (std::is_same_v<T, std::string_view>) {
      if (hi_is_prefix) {
        // The true max starts with hi and is longer, so it is below c exactly when c does not
        // start with hi and hi < c; then it can't equal c either.
        return c.substr(0, hi.size()) != hi && less(hi, c);
      }
    }
    return or_equal ? !less(c, hi) : less(hi, c);
  };
  switch (cmp) {
    case Cmp::kEq: return !less(c, lo) && !all_below(false);
    case Cmp::kLt: return less(lo, c);
    case Cmp::kLe: return !less(c, lo);
    case Cmp::kGt: return !all_below(true);
    case Cmp::kGe: return !all_below(false);
  }
  return true;
}

// A lower bound of strip(v) for every v >= raw_min: raw_min cut before its first byte below
// 0x20, then stripped of trailing blanks. (If v starts with that bound B, stripping cannot eat
// into B since B ends in a non-blank; otherwise v exceeds B at a byte > 0x20, which stripping
// keeps.) Without the cut a value "a  " would be above a minimum "a \x01" yet strip to "a".
std::string_view PaddedLowerBound(std::string_view raw_min) {
  size_t n = 0;
  while (n < raw_min.size() && static_cast<unsigned char>(raw_min[n]) >= 0x20) ++n;
  return TrimTrailingBlanks(raw_min.substr(0, n));
}

template <typename T>
void ZoneOfFixed(const Vector& v, size_t begin, size_t end, storage::ZoneMap* zone) {
  const T* data = v.data<T>();
  const uint8_t* nulls = v.nulls();
  int64_t null_count = 0;
  bool any = false;
  T lo{}, hi{};
  for (size_t i = begin; i < end; ++i) {
    if (nulls[i]) {
      ++null_count;
      continue;
    }
    T x = data[i];
    if (!any) {
      lo = hi = x;
      any = true;
    } else if constexpr (std::is_floating_point_v<T>) {
      if (FloatLess(x, lo)) lo = x;
      if (FloatLess(hi, x)) hi = x;
    } else {
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
  }
  zone->set_null_count(null_count);
  if (!any) return;
  if constexpr (std::is_floating_point_v<T>) {
    zone->set_kind(storage::ZONE_DOUBLE);
    zone->set_min_f64(lo);
    zone->set_max_f64(hi);
  } else if constexpr (std::is_same_v<T, int128>) {
    zone->set_kind(storage::ZONE_INT128);
    zone->set_min_i128(Int128ToBytes(lo));
    zone->set_max_i128(Int128ToBytes(hi));
  } else {
    zone->set_kind(storage::ZONE_INT64);
    zone->set_min_i64(static_cast<int64_t>(lo));
    zone->set_max_i64(static_cast<int64_t>(hi));
  }
}

void ZoneOfStrings(const Vector& v, size_t begin, size_t end, storage::ZoneMap* zone) {
  const std::string_view* data = v.data<std::string_view>();
  const uint8_t* nulls = v.nulls();
  int64_t null_count = 0;
  bool any = false;
  std::string_view lo, hi;
  for (size_t i = begin; i < end; ++i) {
    if (nulls[i]) {
      ++null_count;
      continue;
    }
    std::string_view x = data[i];
    if (!any) {
      lo = hi = x;
      any = true;
    } else {
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
  }
  zone->set_null_count(null_count);
  if (!any) return;
  zone->set_kind(storage::ZONE_BYTES);
  zone->set_min_str(std::string(lo.substr(0, kZoneMaxStringBytes)));
  zone->set_max_str(std::string(hi.substr(0, kZoneMaxStringBytes)));
  zone->set_max_inexact(hi.size() > kZoneMaxStringBytes);
}

int64_t ClampToInt64(int128 v) {
  if (v > std::numeric_limits<int64_t>::max()) return std::numeric_limits<int64_t>::max();
  if (v < std::numeric_limits<int64_t>::min()) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(v);
}

}  // namespace

std::string Int128ToBytes(int128 v) {
  unsigned __int128 u = static_cast<unsigned __int128>(v);
  std::string b(16, '\0');
  for (int i = 0; i < 16; ++i) b[i] = static_cast<char>(static_cast<uint8_t>(u >> (8 * i)));
  return b;
}

int128 Int128FromBytes(const std::string& b) {
  if (b.size() != 16) STRATA_INTERNAL_ERROR("int128 zone value of ", b.size(), " bytes");
  unsigned __int128 u = 0;
  for (int i = 0; i < 16; ++i) u |= static_cast<unsigned __int128>(static_cast<uint8_t>(b[i])) << (8 * i);
  return static_cast<int128>(u);
}

void ComputeZoneMap(const Vector& v, size_t begin, size_t end, storage::ZoneMap* zone) {
  zone->Clear();
  DispatchPhysical(v.physical(), [&]<typename T>() {
    if constexpr (std::is_same_v<T, std::string_view>) {
      ZoneOfStrings(v, begin, end, zone);
    } else {
      ZoneOfFixed<T>(v, begin, end, zone);
    }
  });
}

bool ZoneMayMatch(const storage::ZoneMap& z, const SqlType& type, const ZonePredicate& p) {
  if (p.cmp == ZonePredicate::Cmp::kIsNull) return z.null_count() > 0;
  if (p.cmp == ZonePredicate::Cmp::kAnyOf) {
    for (const auto& one : p.any_of) {
      if (ZoneMayMatch(z, type, one)) return true;
    }
    return false;
  }
  switch (z.kind()) {
    case storage::ZONE_NONE:
      return false;  // only NULLs (or no rows): a comparison is never true
    case storage::ZONE_INT64:
      return RangeMayMatch<int64_t>(z.min_i64(), z.max_i64(), false, p.cmp, p.i64, std::less<int64_t>());
    case storage::ZONE_INT128:
      return RangeMayMatch<int128>(Int128FromBytes(z.min_i128()), Int128FromBytes(z.max_i128()), false,
                                   p.cmp, p.i128, std::less<int128>());
    case storage::ZONE_DOUBLE:
      return RangeMayMatch<double>(z.min_f64(), z.max_f64(), false, p.cmp, p.f64, FloatLess);
    case storage::ZONE_BYTES: {
      std::string_view lo = z.min_str(), hi = z.max_str(), c = p.str;
      if (RangeMayMatch<std::string_view>(lo, hi, z.max_inexact(), p.cmp, c, BytesLess)) return true;
      // Trailing blanks ignored: strip(v) lies in [PaddedLowerBound(lo), hi] since strip(v) <= v.
      return RangeMayMatch<std::string_view>(PaddedLowerBound(lo), hi, z.max_inexact(), p.cmp,
                                             TrimTrailingBlanks(c), BytesLess);
    }
    default:
      return true;  // a kind this build does not know: never prune on it
  }
}

int64_t ZoneMapAsBigint(const storage::ZoneMap& z, bool max) {
  switch (z.kind()) {
    case storage::ZONE_INT64: return max ? z.max_i64() : z.min_i64();
    case storage::ZONE_INT128: return ClampToInt64(Int128FromBytes(max ? z.max_i128() : z.min_i128()));
    case storage::ZONE_DOUBLE: {
      double d = max ? z.max_f64() : z.min_f64();
      if (std::isnan(d) || d >= 9223372036854775807.0) return std::numeric_limits<int64_t>::max();
      if (d <= -9223372036854775808.0) return std::numeric_limits<int64_t>::min();
      return static_cast<int64_t>(d);  // truncates toward zero
    }
    case storage::ZONE_BYTES: {
      const std::string& s = max ? z.max_str() : z.min_str();
      uint64_t u = 0;
      for (size_t i = 0; i < 8; ++i) u = (u << 8) | (i < s.size() ? static_cast<uint8_t>(s[i]) : 0);
      return static_cast<int64_t>(u);
    }
    default: return 0;
  }
}

}  // namespace strata
