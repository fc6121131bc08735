// Exact DECIMAL arithmetic on unscaled integers (value = unscaled / 10^scale), up to 38 digits.
// The common case runs in int128 with __builtin_*_overflow; when an intermediate (a product of
// two 38-digit values, or a dividend shifted left by many digits) leaves int128, a 256-bit
// path (MulWide / DivWide) finishes the job exactly. Rounding is always half away from zero,
// PostgreSQL's rule for numeric.
#pragma once

#include "sql/types.h"

namespace strata {

using uint128 = unsigned __int128;

struct U256 {
  uint128 hi = 0;
  uint128 lo = 0;
};

inline uint128 Magnitude(int128 v) { return v < 0 ? uint128(0) - uint128(v) : uint128(v); }

// |v| < 10^precision.
inline bool FitsPrecision(int128 v, int precision) { return Magnitude(v) < uint128(Pow10(precision)); }

// Full 256-bit product of two 128-bit magnitudes.
U256 MulWide(uint128 a, uint128 b);
// x = floor(x / d), returns the remainder. d must be non-zero and below 2^127.
uint128 DivWide(U256* x, uint128 d);

// round(v * 10^shift) for shift >= 0 (exact, false on int128 overflow) or shift < 0 (division
// by 10^-shift rounding half away from zero; never fails).
bool RescaleDecimal(int128 v, int shift, int128* out);

// round(a * b / 10^drop) for drop >= 0: the product of two decimals brought to a smaller scale.
// False when the result does not fit int128.
bool MulRescale(int128 a, int128 b, int drop, int128* out);

// round(a * 10^shift / b), b != 0, shift may be negative. False when the result does not fit.
bool DivScaled(int128 a, int128 b, int shift, int128* out);

// Rounds v (at some scale) to `drop` fewer digits, half away from zero: round(v / 10^drop).
inline int128 DivPow10Round(int128 v, int drop) {
  int128 r = 0;
  RescaleDecimal(v, -drop, &r);
  return r;
}

}  // namespace strata
