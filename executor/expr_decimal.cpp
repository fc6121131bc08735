// Wide (256-bit) helpers behind DECIMAL multiplication, division and rescaling; see
// executor/expr_decimal.h. The 256-by-128 division is schoolbook binary long division: slow
// (256 steps) but only reached when an intermediate leaves int128.
#include "executor/expr_decimal.h"

#include <cstdint>

namespace strata {

namespace {

constexpr uint128 kInt128Max = (uint128(1) << 127) - 1;

// Converts a magnitude back to a signed value; false when it does not fit.
bool ToSigned(const U256& m, bool negative, int128* out) {
  if (m.hi != 0 || m.lo > kInt128Max) return false;
  *out = negative ? -int128(m.lo) : int128(m.lo);
  return true;
}

// x *= m, false on overflow of 256 bits.
bool MulU256(U256* x, uint128 m) {
  U256 low = MulWide(x->lo, m);
  U256 high = MulWide(x->hi, m);
  if (high.hi != 0) return false;
  uint128 top = low.hi + high.lo;
  if (top < low.hi) return false;
  x->hi = top;
  x->lo = low.lo;
  return true;
}

// x = round(x / 10^drop), half away from zero, drop >= 1.
void DivPow10RoundWide(U256* x, int drop) {
  int floor_digits = drop - 1;
  while (floor_digits > 0) {
    int step = floor_digits > 38 ? 38 : floor_digits;
    DivWide(x, uint128(Pow10(step)));
    floor_digits -= step;
  }
  uint128 last_digit = DivWide(x, 10);
  if (last_digit >= 5) {
    x->lo += 1;
    if (x->lo == 0) x->hi += 1;
  }
}

}  // namespace

U256 MulWide(uint128 a, uint128 b) {
  uint64_t a0 = uint64_t(a), a1 = uint64_t(a >> 64);
  uint64_t b0 = uint64_t(b), b1 = uint64_t(b >> 64);
  uint128 p00 = uint128(a0) * b0, p01 = uint128(a0) * b1;
  uint128 p10 = uint128(a1) * b0, p11 = uint128(a1) * b1;
  uint128 middle = (p00 >> 64) + uint64_t(p01) + uint64_t(p10);
  U256 r;
  r.lo = (middle << 64) | uint64_t(p00);
  r.hi = p11 + (p01 >> 64) + (p10 >> 64) + (middle >> 64);
  return r;
}

uint128 DivWide(U256* x, uint128 d) {
  if (x->hi == 0) {
    uint128 rem = x->lo % d;
    x->lo /= d;
    return rem;
  }
  uint128 rem = 0;
  U256 q;
  for (int i = 255; i >= 0; --i) {
    uint128 bit = i >= 128 ? (x->hi >> (i - 128)) & 1 : (x->lo >> i) & 1;
    rem = (rem << 1) | bit;
    if (rem >= d) {
      rem -= d;
      if (i >= 128) q.hi |= uint128(1) << (i - 128);
      else q.lo |= uint128(1) << i;
    }
  }
  *x = q;
  return rem;
}

bool RescaleDecimal(int128 v, int shift, int128* out) {
  if (shift == 0) {
    *out = v;
    return true;
  }
  if (shift > 0) {
    if (v == 0) {
      *out = 0;
      return true;
    }
    if (shift > 38) return false;
    return !__builtin_mul_overflow(v, Pow10(shift), out);
  }
  int drop = -shift;
  if (drop > 39) {
    *out = 0;
    return true;
  }
  uint128 m = Magnitude(v);
  uint128 q = drop > 1 ? m / uint128(Pow10(drop - 1)) : m;
  uint128 digit = q % 10;
  q = q / 10 + (digit >= 5 ? 1 : 0);
  *out = v < 0 ? -int128(q) : int128(q);
  return true;
}

bool MulRescale(int128 a, int128 b, int drop, int128* out) {
  int128 product;
  if (!__builtin_mul_overflow(a, b, &product)) return RescaleDecimal(product, -drop, out);
  U256 m = MulWide(Magnitude(a), Magnitude(b));
  if (drop > 0) DivPow10RoundWide(&m, drop);
  return ToSigned(m, (a < 0) != (b < 0), out);
}

bool DivScaled(int128 a, int128 b, int shift, int128* out) {
  bool negative = (a < 0) != (b < 0);
  uint128 den = Magnitude(b);
  U256 num{0, Magnitude(a)};
  if (shift >= 0) {
    while (shift > 0) {
      int step = shift > 38 ? 38 : shift;
      if (!MulU256(&num, uint128(Pow10(step)))) return false;
      shift -= step;
    }
  } else {
    // Divide by b * 10^-shift: fold the power into the dividend's rounding instead when the
    // denominator would leave 127 bits.
    U256 wide_den = MulWide(den, uint128(Pow10(-shift > 38 ? 38 : -shift)));
    if (-shift > 38 || wide_den.hi != 0 || wide_den.lo > kInt128Max) {
      *out = 0;  // |a| < 2^127 <= den: the quotient rounds to 0 or 1
      U256 twice = MulWide(Magnitude(a), 2);
      bool round_up = -shift <= 38 && (twice.hi > wide_den.hi ||
                                      (twice.hi == wide_den.hi && twice.lo >= wide_den.lo));
      if (round_up) *out = negative ? -1 : 1;
      return true;
    }
    den = wide_den.lo;
  }
  uint128 rem = DivWide(&num, den);
  if (rem >= den - rem) {  // 2*rem >= den without overflow
    num.lo += 1;
    if (num.lo == 0) num.hi += 1;
  }
  return ToSigned(num, negative, out);
}

}  // namespace strata
