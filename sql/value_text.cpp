// Text forms of SQL values, PostgreSQL 15's exactly: printing every type for the wire text
// format and parsing every type from literals, parameters and loaded fields.
//
// Numbers parse with std::from_chars and print with std::to_chars (no locale, no iostreams).
// Floats print as the shortest round-trip digits, in PostgreSQL's layout: plain decimal when the
// decimal exponent is in [-4, 15) for double ([-4, 6) for real), else "1.5e-07" style.
// Decimals are exact: the digits of "12.345e1" are scaled to the column's scale with rounding
// half away from zero and checked against its precision. Dates and timestamps use the
// proleptic Gregorian calendar counted from 2000-01-01 (PostgreSQL's epoch); years <= 0 print
// with a " BC" suffix (year 0 is 1 BC). PostgreSQL's special values 'infinity' and '-infinity'
// map to the extreme integers, as in PostgreSQL's own storage.
#include "sql/value_text.h"

#include "sql/interval_time.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

#include "sql/error.h"
#include "sql/super_value.h"

namespace strata {

// ---- Integers, booleans, floats and strings -------------------------------------------------

namespace {

bool IsSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }

bool EqualsIgnoreCase(std::string_view s, std::string_view lower_word) {
  if (s.size() != lower_word.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (AsciiLower(s[i]) != lower_word[i]) return false;
  }
  return true;
}

[[noreturn]] void ThrowSyntax(const char* type_name, std::string_view text) {
  STRATA_USER_ERROR(sqlstate::kInvalidTextRepresentation, "invalid input syntax for type ", type_name,
                    ": \"", text, "\"");
}

template <typename T> constexpr const char* IntegerTypeName() {
  if constexpr (sizeof(T) == 2) return "smallint";
  else if constexpr (sizeof(T) == 4) return "integer";
  else return "bigint";
}

// PostgreSQL's pg_strtoint16/32/64: optional whitespace, sign, decimal digits, whitespace.
template <typename T>
T ParseInteger(std::string_view text) {
  std::string_view s = TrimSpace(text);
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  if (i == s.size()) ThrowSyntax(IntegerTypeName<T>(), text);
  uint64_t magnitude = 0;
  bool overflow = false;
  for (; i < s.size(); ++i) {
    unsigned digit = static_cast<unsigned char>(s[i]) - '0';
    if (digit > 9) ThrowSyntax(IntegerTypeName<T>(), text);
    if (magnitude > (std::numeric_limits<uint64_t>::max() - digit) / 10) overflow = true;
    else magnitude = magnitude * 10 + digit;
  }
  const uint64_t limit = negative ? uint64_t(std::numeric_limits<T>::max()) + 1
                                  : uint64_t(std::numeric_limits<T>::max());
  if (overflow || magnitude > limit) {
    STRATA_USER_ERROR(sqlstate::kNumericValueOutOfRange, "value \"", text,
                      "\" is out of range for type ", IntegerTypeName<T>());
  }
  // Two's complement negation of the magnitude, exact for the most negative value too.
  return negative ? static_cast<T>(0 - magnitude) : static_cast<T>(magnitude);
}

// PostgreSQL's parse_bool_with_len: unique prefixes of true/false/yes/no, "on"/"off" with at
// least two letters, and exactly "1" or "0"; case-insensitive.
uint8_t ParseBool(std::string_view text) {
  std::string_view s = TrimSpace(text);
  auto prefix_of = [&](std::string_view word, size_t min_len) {
    if (s.size() < min_len || s.size() > word.size()) return false;
    for (size_t i = 0; i < s.size(); ++i) {
      if (AsciiLower(s[i]) != word[i]) return false;
    }
    return true;
  };
  if (!s.empty()) {
    switch (AsciiLower(s[0])) {
      case 't': if (prefix_of("true", 1)) return 1; break;
      case 'y': if (prefix_of("yes", 1)) return 1; break;
      case 'f': if (prefix_of("false", 1)) return 0; break;
      case 'n': if (prefix_of("no", 1)) return 0; break;
      case 'o':
        if (prefix_of("on", 2)) return 1;
        if (prefix_of("off", 2)) return 0;
        break;
      case '1': if (s.size() == 1) return 1; break;
      case '0': if (s.size() == 1) return 0; break;
      default: break;
    }
  }
  ThrowSyntax("boolean", text);
}

// PostgreSQL's float4in/float8in: strtod syntax (including hexadecimal), NaN and Infinity in
// any case with an optional sign; overflow and underflow to zero are 22003.
template <typename F>
F ParseFloat(std::string_view text) {
  constexpr const char* kName = sizeof(F) == 4 ? "real" : "double precision";
  std::string_view s = TrimSpace(text);
  bool negative = false;
  std::string_view body = s;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (EqualsIgnoreCase(body, "nan")) return std::numeric_limits<F>::quiet_NaN();
  if (EqualsIgnoreCase(body, "infinity") || EqualsIgnoreCase(body, "inf")) {
    return negative ? -std::numeric_limits<F>::infinity() : std::numeric_limits<F>::infinity();
  }
  // from_chars takes no sign of its own except '-', and hexadecimal only without "0x".
  std::chars_format format = std::chars_format::general;
  if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X')) {
    body.remove_prefix(2);
    format = std::chars_format::hex;
  }
  if (body.empty() || body[0] == '+' || body[0] == '-' || AsciiLower(body[0]) == 'i' ||
      AsciiLower(body[0]) == 'n') {
    ThrowSyntax(kName, text);
  }
  F value = 0;
  auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), value, format);
  if (ec == std::errc::invalid_argument || ptr != body.data() + body.size()) ThrowSyntax(kName, text);
  if (ec == std::errc::result_out_of_range) {
    STRATA_USER_ERROR(sqlstate::kNumericValueOutOfRange, "\"", text, "\" is out of range for type ",
                      kName);
  }
  return negative ? -value : value;
}

// Whether the decimal digits * 10^k equal odd * 2^t exactly (odd is odd). Compares 2-adic
// valuations and odd parts, so no big integers are needed.
bool DecimalEqualsDyadic(uint64_t digits, int k, uint64_t odd, int t) {
  if (digits == 0) return false;
  int twos = __builtin_ctzll(digits);
  digits >>= twos;  // the value is now digits * 5^k * 2^(k + twos) with digits odd
  if (k + twos != t) return false;
  if (k >= 0) {
    unsigned __int128 x = digits;
    for (int i = 0; i < k && x <= odd; ++i) x *= 5;
    return x == odd;
  }
  for (int i = 0; i < -k; ++i) {
    if (digits % 5 != 0) return false;
    digits /= 5;
  }
  return digits == odd;
}

// A float's shortest decimal: significant digits and the decimal exponent of the first one.
struct ShortestDecimal {
  char digits[24];
  int count = 0;
  int exponent = 0;
};

void ReadScientific(const char* begin, const char* end, ShortestDecimal* d) {
  d->count = 0;
  const char* p = begin;
  for (; *p != 'e'; ++p) {
    if (*p >= '0' && *p <= '9') d->digits[d->count++] = *p;
  }
  std::from_chars(p + 1 + (p[1] == '+'), end, d->exponent);
  while (d->count > 1 && d->digits[d->count - 1] == '0') --d->count;
}

// PostgreSQL's Ryu never accepts a decimal lying exactly halfway between v and a neighbour
// (even when round-half-even would read it back as v); std::to_chars does. This tells the two
// apart for a positive finite v.
template <typename F>
bool IsHalfwayToNeighbour(F v, const ShortestDecimal& d) {
  using Bits = std::conditional_t<sizeof(F) == 4, uint32_t, uint64_t>;
  constexpr int kMantissaBits = sizeof(F) == 4 ? 23 : 52;
  constexpr int kBias = sizeof(F) == 4 ? 127 : 1023;
  Bits bits;
  std::memcpy(&bits, &v, sizeof(v));
  const uint64_t fraction = bits & ((Bits{1} << kMantissaBits) - 1);
  const int biased = static_cast<int>((bits >> kMantissaBits) & ((1u << (sizeof(F) == 4 ? 8 : 11)) - 1));
  uint64_t m = biased == 0 ? fraction : fraction | (uint64_t{1} << kMantissaBits);
  int e = (biased == 0 ? 1 : biased) - kBias - kMantissaBits;  // v = m * 2^e
  uint64_t value = 0;
  for (int i = 0; i < d.count; ++i) value = value * 10 + (d.digits[i] - '0');
  const int k = d.exponent - (d.count - 1);
  if (DecimalEqualsDyadic(value, k, 2 * m + 1, e - 1)) return true;
  if (fraction == 0 && biased > 1) return DecimalEqualsDyadic(value, k, 4 * m - 1, e - 2);
  return DecimalEqualsDyadic(value, k, 2 * m - 1, e - 1);
}

// Shortest round-trip digits, laid out as PostgreSQL's float8out/float4out do.
template <typename F>
void AppendFloat(F v, std::string* out) {
  if (std::isnan(v)) { out->append("NaN"); return; }
  if (std::isinf(v)) { out->append(v < 0 ? "-Infinity" : "Infinity"); return; }
  if (std::signbit(v)) out->push_back('-');
  v = std::fabs(v);
  char buf[64];
  ShortestDecimal d;
  ReadScientific(buf, std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific).ptr, &d);
  if (v != 0 && IsHalfwayToNeighbour(v, d)) {
    // Take the correctly rounded form with more digits that reads back as v and is no tie.
    constexpr int kMaxDigits = std::numeric_limits<F>::max_digits10;
    for (int n = d.count + 1; n <= kMaxDigits; ++n) {
      char* end = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific, n - 1).ptr;
      F back = 0;
      std::from_chars(buf, end, back);
      ReadScientific(buf, end, &d);
      if (back == v && !IsHalfwayToNeighbour(v, d)) break;
    }
  }
  const int exponent = d.exponent;
  const size_t n = d.count;
  constexpr int kMaxPlainExponent = sizeof(F) == 4 ? 6 : 15;  // FLT_DIG / DBL_DIG
  if (exponent < -4 || exponent >= kMaxPlainExponent) {
    out->push_back(d.digits[0]);
    if (n > 1) {
      out->push_back('.');
      out->append(d.digits + 1, n - 1);
    }
    out->push_back('e');
    out->push_back(exponent < 0 ? '-' : '+');
    {
      int magnitude = exponent < 0 ? -exponent : exponent;
      if (magnitude < 10) out->push_back('0');
      char e[8];
      out->append(e, std::to_chars(e, e + sizeof(e), magnitude).ptr);
    }
  } else if (exponent < 0) {
    out->append("0.");
    out->append(static_cast<size_t>(-exponent - 1), '0');
    out->append(d.digits, n);
  } else if (n <= static_cast<size_t>(exponent) + 1) {
    out->append(d.digits, n);
    out->append(exponent + 1 - n, '0');
  } else {
    out->append(d.digits, exponent + 1);
    out->push_back('.');
    out->append(d.digits + exponent + 1, n - exponent - 1);
  }
}

template <typename T>
void AppendInteger(T v, std::string* out) {
  char buf[24];
  out->append(buf, std::to_chars(buf, buf + sizeof(buf), v).ptr);
}

// Byte offset of the `n`th UTF-8 character of s (s.size() when s has at most n characters),
// and the number of characters in s.
size_t Utf8Offset(std::string_view s, size_t n) {
  size_t chars = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && chars++ == n) return i;
  }
  return s.size();
}

size_t Utf8Length(std::string_view s) {
  size_t chars = 0;
  for (char c : s) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return chars;
}

// CHAR(n)/VARCHAR(n) assignment: excess characters are an error unless they are all spaces.
std::string_view FitLength(std::string_view text, const SqlType& type) {
  if (type.length < 0) return text;
  size_t cut = Utf8Offset(text, static_cast<size_t>(type.length));
  if (cut == text.size()) return text;
  for (size_t i = cut; i < text.size(); ++i) {
    if (text[i] != ' ') {
      STRATA_USER_ERROR(sqlstate::kStringDataRightTruncation, "value too long for type ",
                        type.ToString());
    }
  }
  return text.substr(0, cut);
}

}  // namespace

// ---- DECIMAL ------------------------------------------------------------------------------

// PostgreSQL's numeric_in followed by apply_typmod: [sign] digits [. digits] [e [sign] digits],
// rounded half away from zero to `scale` digits, at most `precision` digits in all.
int128 ParseDecimal(std::string_view text, int precision, int scale) {
  constexpr int kHugeExponent = 1000000000;
  constexpr int kMaxDisplayScale = 16383;     // NUMERIC_DSCALE_MAX
  constexpr int kMaxWeightDigits = 131072;    // (NUMERIC_WEIGHT_MAX + 1) * DEC_DIGITS
  if (precision <= 0 || precision > kMaxDecimalPrecision) precision = kMaxDecimalPrecision;
  std::string_view s = TrimSpace(text);
  auto overflow = [&]() {
    int max_digits = precision - scale;
    throw SqlError(sqlstate::kNumericValueOutOfRange, "numeric field overflow")
        .WithDetail(StrCat("A field with precision ", precision, ", scale ", scale,
                           " must round to an absolute value less than ",
                           max_digits > 0 ? "10^" : "", max_digits > 0 ? max_digits : 1, "."));
  };
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  const size_t mantissa_begin = i;
  int total_digits = 0;
  int fraction_digits = 0;
  bool seen_point = false;
  for (; i < s.size(); ++i) {
    if (s[i] >= '0' && s[i] <= '9') {
      ++total_digits;
      fraction_digits += seen_point;
    } else if (s[i] == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (total_digits == 0) {
    std::string_view word = s.substr(mantissa_begin);
    if (EqualsIgnoreCase(word, "infinity") || EqualsIgnoreCase(word, "inf")) {
      throw SqlError(sqlstate::kNumericValueOutOfRange, "numeric field overflow")
          .WithDetail(StrCat("A field with precision ", precision, ", scale ", scale,
                             " cannot hold an infinite value."));
    }
    if (EqualsIgnoreCase(s, "nan")) {
      STRATA_USER_ERROR(sqlstate::kFeatureNotSupported, "NaN is not supported for type numeric");
    }
    ThrowSyntax("numeric", text);
  }
  const size_t mantissa_end = i;
  int64_t exponent = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool negative_exponent = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative_exponent = s[i++] == '-';
    size_t exponent_begin = i;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      if (exponent < kHugeExponent) exponent = exponent * 10 + (s[i] - '0');
    }
    if (i == exponent_begin) ThrowSyntax("numeric", text);
    if (negative_exponent) exponent = -exponent;
  }
  if (i != s.size()) ThrowSyntax("numeric", text);
  // PostgreSQL's own numeric format limits, checked before the column's precision.
  int leading_zeros = 0;
  for (size_t k = mantissa_begin; k < mantissa_end && (s[k] == '0' || s[k] == '.'); ++k) {
    leading_zeros += s[k] == '0';
  }
  const int integer_digits = total_digits - fraction_digits;
  if (exponent >= kHugeExponent || exponent <= -kHugeExponent ||
      fraction_digits - exponent > kMaxDisplayScale ||
      (leading_zeros < total_digits && integer_digits - leading_zeros + exponent > kMaxWeightDigits)) {
    STRATA_USER_ERROR(sqlstate::kNumericValueOutOfRange, "value overflows numeric format");
  }

  // The value is D * 10^(exponent - fraction_digits) with D the mantissa's digits, so the
  // unscaled result is D * 10^shift: keep D's leading digits, round at the first dropped one.
  const int shift = static_cast<int>(exponent) - fraction_digits + scale;
  const int keep = total_digits + (shift < 0 ? shift : 0);
  int128 unscaled = 0;
  int significant = 0;
  int index = 0;
  for (size_t k = mantissa_begin; k < mantissa_end && index <= keep; ++k) {
    if (s[k] == '.') continue;
    int digit = s[k] - '0';
    if (index == keep) {
      if (digit >= 5) unscaled += 1;
    } else if (unscaled != 0 || digit != 0) {
      if (++significant > precision) overflow();
      unscaled = unscaled * 10 + digit;
    }
    ++index;
  }
  if (shift > 0 && unscaled != 0) {
    if (significant + shift > precision) overflow();
    unscaled *= Pow10(shift);
  }
  if (unscaled >= Pow10(precision)) overflow();
  return negative ? -unscaled : unscaled;
}

void AppendDecimal(int128 unscaled, int scale, std::string* out) {
  char buf[48];
  char* end = buf + sizeof(buf);
  char* p = end;
  unsigned __int128 magnitude = unscaled < 0 ? 0 - static_cast<unsigned __int128>(unscaled)
                                             : static_cast<unsigned __int128>(unscaled);
  int written = 0;
  while (magnitude != 0 || written <= scale) {
    if (written == scale && scale > 0) *--p = '.';
    *--p = static_cast<char>('0' + static_cast<int>(magnitude % 10));
    magnitude /= 10;
    ++written;
  }
  if (unscaled < 0) *--p = '-';
  out->append(p, end);
}

std::string FormatDecimal(int128 unscaled, int scale) {
  std::string out;
  AppendDecimal(unscaled, scale, &out);
  return out;
}

// ---- DATE and TIMESTAMP -------------------------------------------------------------------

namespace {

constexpr int64_t kMicrosPerSecond = 1000000;
constexpr int64_t kMicrosPerDay = 86400 * kMicrosPerSecond;
constexpr int64_t kUnixToPostgresDays = 10957;  // 1970-01-01 .. 2000-01-01

// Days from 2000-01-01 to y-m-d (astronomical year: 0 is 1 BC). Counts in 400-year eras of
// 146097 days, with years starting on March 1 so that the leap day ends the year.
constexpr int64_t CivilToDays(int64_t year, int64_t month, int64_t day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t year_of_era = year - era * 400;
  const int64_t day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468 - kUnixToPostgresDays;
}

// PostgreSQL's limits: 4714-11-24 BC (Julian day 0) to 5874897-12-31 for dates and to
// 294276-12-31 23:59:59.999999 for timestamps.
constexpr int64_t kMinDays = CivilToDays(-4713, 11, 24);
constexpr int64_t kEndDays = CivilToDays(5874898, 1, 1);
constexpr int64_t kMinTimestamp = kMinDays * kMicrosPerDay;
constexpr int64_t kEndTimestamp = CivilToDays(294277, 1, 1) * kMicrosPerDay;

bool IsLeapYear(int64_t y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

int DaysInMonth(int64_t year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

enum class DateTimeStatus { kOk, kBadSyntax, kFieldOutOfRange };

struct DateTimeFields {
  int64_t year = 0;  // astronomical after scanning
  int64_t month = 0, day = 0;
  int64_t hour = 0, minute = 0, second = 0;
  int64_t micros = 0;  // fraction of a second, rounded to microseconds
  int64_t zone_seconds = 0;  // the written zone's offset east of UTC (0 when none was written)
};

// Reads up to 9 decimal digits at s[*i]; returns how many were read.
int ReadNumber(std::string_view s, size_t* i, int64_t* value) {
  int n = 0;
  *value = 0;
  while (*i < s.size() && s[*i] >= '0' && s[*i] <= '9' && n < 9) {
    *value = *value * 10 + (s[(*i)++] - '0');
    ++n;
  }
  return n;
}

void SkipSpaces(std::string_view s, size_t* i) {
  while (*i < s.size() && IsSpace(s[*i])) ++(*i);
}

// An era marker "BC" / "AD" (after optional spaces); sets *bc on BC.
bool ScanEra(std::string_view s, size_t* i, bool* bc) {
  size_t j = *i;
  SkipSpaces(s, &j);
  if (j + 2 > s.size()) return false;
  std::string_view word = s.substr(j, 2);
  if (j + 2 < s.size() && !IsSpace(s[j + 2])) return false;
  if (EqualsIgnoreCase(word, "bc")) *bc = true;
  else if (!EqualsIgnoreCase(word, "ad")) return false;
  *i = j + 2;
  return true;
}

// A time zone suffix: "Z", "UTC", "GMT", or +HH[:MM[:SS]] / +HHMM / +HHMMSS, whose offset east
// of UTC goes to f->zone_seconds (TIMESTAMPTZ applies it; TIMESTAMP ignores it, as PostgreSQL
// does). Named zones such as "America/New_York" are not read.
void ScanZone(std::string_view s, size_t* i, DateTimeFields* f) {
  size_t j = *i;
  SkipSpaces(s, &j);
  if (j < s.size() && (s[j] == 'Z' || s[j] == 'z') && (j + 1 == s.size() || IsSpace(s[j + 1]))) {
    *i = j + 1;
  } else if (j + 3 <= s.size() &&
             (EqualsIgnoreCase(s.substr(j, 3), "utc") || EqualsIgnoreCase(s.substr(j, 3), "gmt"))) {
    *i = j + 3;
  } else if (j < s.size() && (s[j] == '+' || s[j] == '-')) {
    const int64_t sign = s[j++] == '-' ? -1 : 1;
    int64_t first;
    int digits = ReadNumber(s, &j, &first);
    if (digits == 0) return;
    int64_t hours = first, minutes = 0, seconds = 0;
    if (digits == 3 || digits == 4) {
      hours = first / 100, minutes = first % 100;
    } else if (digits == 5 || digits == 6) {
      hours = first / 10000, minutes = first / 100 % 100, seconds = first % 100;
    }
    for (int64_t* part : {&minutes, &seconds}) {
      if (digits > 2 || !(j + 1 < s.size() && s[j] == ':' && s[j + 1] >= '0' && s[j + 1] <= '9')) break;
      ++j;
      ReadNumber(s, &j, part);
    }
    f->zone_seconds = sign * ((hours * 60 + minutes) * 60 + seconds);
    *i = j;
  }
}

// A time of day: "H:M[:S[.fff]]", or the run-together "HHMM" / "HHMMSS[.fff]".
bool ScanTime(std::string_view s, size_t* i, DateTimeFields* f) {
  int64_t first = 0;
  int n = ReadNumber(s, i, &first);
  if (n == 0) return false;
  if (*i < s.size() && s[*i] == ':') {
    f->hour = first;
    ++(*i);
    if (ReadNumber(s, i, &f->minute) == 0) return false;
    if (*i < s.size() && s[*i] == ':') {
      ++(*i);
      if (ReadNumber(s, i, &f->second) == 0) return false;
    }
  } else if (n == 4 || n == 6) {
    if (n == 4) first *= 100;
    f->hour = first / 10000, f->minute = first / 100 % 100, f->second = first % 100;
  } else {
    return false;
  }
  if (*i < s.size() && s[*i] == '.') {
    // PostgreSQL: rint(strtod(".ddd") * 1e6), so digits past the sixth round.
    size_t point = (*i)++;
    while (*i < s.size() && s[*i] >= '0' && s[*i] <= '9') ++(*i);
    double fraction = 0;
    if (*i > point + 1) std::from_chars(s.data() + point, s.data() + *i, fraction);
    f->micros = static_cast<int64_t>(std::rint(fraction * 1e6));
  }
  return true;
}

// Scans "Y-M-D", "M/D/Y", "YYYYMMDD" or "YYMMDD", then an optional time, zone and era, into
// fields; `s` is already trimmed. Validates every field; range checks are the caller's.
DateTimeStatus ScanDateTime(std::string_view s, DateTimeFields* f) {
  size_t i = 0;
  int64_t a = 0, b = 0, c = 0;
  int na = ReadNumber(s, &i, &a);
  if (na == 0) return DateTimeStatus::kBadSyntax;
  auto two_digit_year = [](int64_t y) { return y + (y < 70 ? 2000 : 1900); };
  if (i < s.size() && (s[i] == '-' || s[i] == '/' || s[i] == '.')) {
    char separator = s[i++];
    if (ReadNumber(s, &i, &b) == 0 || i >= s.size() || s[i++] != separator) {
      return DateTimeStatus::kBadSyntax;
    }
    int nc = ReadNumber(s, &i, &c);
    if (nc == 0) return DateTimeStatus::kBadSyntax;
    if (na >= 3) {
      f->year = a, f->month = b, f->day = c;
    } else {  // DateStyle MDY, PostgreSQL's default order for non-ISO input
      f->month = a, f->day = b, f->year = nc <= 2 ? two_digit_year(c) : c;
    }
  } else if (na == 8) {
    f->year = a / 10000, f->month = a / 100 % 100, f->day = a % 100;
  } else if (na == 6) {
    f->year = two_digit_year(a / 10000), f->month = a / 100 % 100, f->day = a % 100;
  } else {
    return DateTimeStatus::kBadSyntax;
  }
  bool bc = false;
  ScanEra(s, &i, &bc);
  if (i < s.size()) {
    if (s[i] == 'T' || s[i] == 't') ++i;
    else if (IsSpace(s[i])) SkipSpaces(s, &i);
    else return DateTimeStatus::kBadSyntax;
    // A zone right after the date ("2024-01-02 +00", as pgjdbc sends dates) means midnight.
    bool zone_only = i < s.size() && (s[i] == '+' || s[i] == '-');
    if (!zone_only && !ScanTime(s, &i, f)) return DateTimeStatus::kBadSyntax;
    ScanZone(s, &i, f);
    ScanEra(s, &i, &bc);
    if (i != s.size()) return DateTimeStatus::kBadSyntax;
  }
  if (f->year < 1 || f->month < 1 || f->month > 12) return DateTimeStatus::kFieldOutOfRange;
  if (bc) f->year = 1 - f->year;
  if (f->day < 1 || f->day > DaysInMonth(f->year, static_cast<int>(f->month))) {
    return DateTimeStatus::kFieldOutOfRange;
  }
  if (f->minute > 59 || f->second > 60 || f->hour > 24 ||
      (f->hour == 24 && (f->minute > 0 || f->second > 0 || f->micros > 0))) {
    return DateTimeStatus::kFieldOutOfRange;
  }
  return DateTimeStatus::kOk;
}

// Special inputs shared by date and timestamp: +1 infinity, -1 -infinity, 2 epoch, 0 none.
int SpecialDateTime(std::string_view s) {
  if (EqualsIgnoreCase(s, "infinity") || EqualsIgnoreCase(s, "+infinity")) return 1;
  if (EqualsIgnoreCase(s, "-infinity")) return -1;
  if (EqualsIgnoreCase(s, "epoch")) return 2;
  return 0;
}

DateTimeFields ScanOrThrow(std::string_view text, std::string_view trimmed, const char* type_name) {
  DateTimeFields f;
  switch (ScanDateTime(trimmed, &f)) {
    case DateTimeStatus::kOk: break;
    case DateTimeStatus::kBadSyntax:
      STRATA_USER_ERROR(sqlstate::kInvalidDatetimeFormat, "invalid input syntax for type ",
                        type_name, ": \"", text, "\"");
    case DateTimeStatus::kFieldOutOfRange:
      STRATA_USER_ERROR(sqlstate::kDatetimeFieldOverflow,
                        "date/time field value out of range: \"", text, "\"");
  }
  return f;
}

void AppendPadded(int64_t v, int width, std::string* out) {
  char buf[24];
  char* end = std::to_chars(buf, buf + sizeof(buf), v).ptr;
  if (end - buf < width) out->append(width - (end - buf), '0');
  out->append(buf, end);
}

// "YYYY-MM-DD" of an astronomical civil date, without the era; returns true when BC.
bool AppendCivil(int32_t days, std::string* out) {
  int year, month, day;
  CivilFromDays(days, &year, &month, &day);
  bool bc = year <= 0;
  AppendPadded(bc ? 1 - year : year, 4, out);
  out->push_back('-');
  AppendPadded(month, 2, out);
  out->push_back('-');
  AppendPadded(day, 2, out);
  return bc;
}

}  // namespace

int32_t DaysFromCivil(int year, int month, int day) {
  return static_cast<int32_t>(CivilToDays(year, month, day));
}

void CivilFromDays(int32_t days, int* year, int* month, int* day) {
  // The inverse of CivilToDays: split into 400-year eras, then years starting March 1.
  const int64_t z = int64_t{days} + kUnixToPostgresDays + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t day_of_era = z - era * 146097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t shifted_month = (5 * day_of_year + 2) / 153;  // 0 = March
  *day = static_cast<int>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  *month = static_cast<int>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
  *year = static_cast<int>(year_of_era + era * 400 + (*month <= 2));
}

int32_t ParseDate(std::string_view text) {
  std::string_view s = TrimSpace(text);
  switch (SpecialDateTime(s)) {
    case 1: return kDatePosInfinity;
    case -1: return kDateNegInfinity;
    case 2: return static_cast<int32_t>(-kUnixToPostgresDays);
    default: break;
  }
  DateTimeFields f = ScanOrThrow(text, s, "date");
  int64_t days = CivilToDays(f.year, f.month, f.day);
  if (days < kMinDays || days >= kEndDays) {
    STRATA_USER_ERROR(sqlstate::kDatetimeFieldOverflow, "date out of range: \"", text, "\"");
  }
  return static_cast<int32_t>(days);
}

namespace {

int64_t ParseTimestampWithZone(std::string_view text, bool apply_zone) {
  std::string_view s = TrimSpace(text);
  switch (SpecialDateTime(s)) {
    case 1: return kTimestampPosInfinity;
    case -1: return kTimestampNegInfinity;
    case 2: return -kUnixToPostgresDays * kMicrosPerDay;
    default: break;
  }
  const char* type_name = apply_zone ? "timestamp with time zone" : "timestamp";
  DateTimeFields f = ScanOrThrow(text, s, type_name);
  if (apply_zone && f.zone_seconds != 0) {
    if (f.zone_seconds <= -15 * 3600 || f.zone_seconds >= 16 * 3600) {  // PostgreSQL's limits
      STRATA_USER_ERROR(sqlstate::kInvalidTimeZoneDisplacement, "time zone displacement out of range: \"", text, "\"");
    }
    f.second -= f.zone_seconds;  // to UTC; the sum below carries across minutes, hours and days
  }
  // Years have at most 9 digits, so the day count cannot overflow; check it before the micros.
  const int64_t days = CivilToDays(f.year, f.month, f.day);
  const bool days_ok = days >= kMinDays && days < kEndDays;
  const int64_t micros =
      days_ok ? days * kMicrosPerDay +
                    ((f.hour * 60 + f.minute) * 60 + f.second) * kMicrosPerSecond + f.micros
              : 0;
  if (!days_ok || micros < kMinTimestamp || micros >= kEndTimestamp) {
    STRATA_USER_ERROR(sqlstate::kDatetimeFieldOverflow, "timestamp out of range: \"", text, "\"");
  }
  return micros;
}

}  // namespace

int64_t ParseTimestamp(std::string_view text) { return ParseTimestampWithZone(text, false); }
int64_t ParseTimestampTz(std::string_view text) { return ParseTimestampWithZone(text, true); }

void AppendDate(int32_t days, std::string* out) {
  if (days == kDatePosInfinity) { out->append("infinity"); return; }
  if (days == kDateNegInfinity) { out->append("-infinity"); return; }
  if (AppendCivil(days, out)) out->append(" BC");
}

namespace {

// "YYYY-MM-DD HH:MM:SS[.ffffff]", then `zone` (e.g. "+00"), then " BC" when BC.
void AppendTimestampWithZone(int64_t micros, std::string_view zone, std::string* out) {
  if (micros == kTimestampPosInfinity) { out->append("infinity"); return; }
  if (micros == kTimestampNegInfinity) { out->append("-infinity"); return; }
  int64_t days = micros / kMicrosPerDay;
  int64_t time = micros % kMicrosPerDay;
  if (time < 0) {
    time += kMicrosPerDay;
    --days;
  }
  bool bc = AppendCivil(static_cast<int32_t>(days), out);
  int64_t seconds = time / kMicrosPerSecond;
  int64_t fraction = time % kMicrosPerSecond;
  out->push_back(' ');
  AppendPadded(seconds / 3600, 2, out);
  out->push_back(':');
  AppendPadded(seconds / 60 % 60, 2, out);
  out->push_back(':');
  AppendPadded(seconds % 60, 2, out);
  if (fraction != 0) {
    char digits[6];
    for (int k = 5; k >= 0; --k, fraction /= 10) digits[k] = static_cast<char>('0' + fraction % 10);
    int n = 6;
    while (digits[n - 1] == '0') --n;
    out->push_back('.');
    out->append(digits, n);
  }
  out->append(zone);
  if (bc) out->append(" BC");
}

}  // namespace

void AppendTimestamp(int64_t micros, std::string* out) { AppendTimestampWithZone(micros, "", out); }
void AppendTimestampTz(int64_t micros, std::string* out) { AppendTimestampWithZone(micros, "+00", out); }

std::string FormatDate(int32_t days) {
  std::string out;
  AppendDate(days, &out);
  return out;
}

std::string FormatTimestamp(int64_t micros) {
  std::string out;
  AppendTimestamp(micros, &out);
  return out;
}

std::string FormatTimestampTz(int64_t micros) {
  std::string out;
  AppendTimestampTz(micros, &out);
  return out;
}

// ---- Values of any type -------------------------------------------------------------------

void AppendValueText(const Vector& v, size_t row, std::string* out) {
  const SqlType& type = v.type();
  switch (type.id) {
    case TypeId::kNull: return;
    case TypeId::kBool: out->push_back(v.data<uint8_t>()[row] ? 't' : 'f'); return;
    case TypeId::kInt16: AppendInteger(v.data<int16_t>()[row], out); return;
    case TypeId::kInt32: AppendInteger(v.data<int32_t>()[row], out); return;
    case TypeId::kInt64: AppendInteger(v.data<int64_t>()[row], out); return;
    case TypeId::kDecimal:
      if (v.physical() == PhysicalType::kInt64) {
        AppendDecimal(v.data<int64_t>()[row], type.scale, out);
      } else {
        AppendDecimal(v.data<int128>()[row], type.scale, out);
      }
      return;
    case TypeId::kFloat32: AppendFloat(v.data<float>()[row], out); return;
    case TypeId::kFloat64: AppendFloat(v.data<double>()[row], out); return;
    case TypeId::kChar: {
      std::string_view s = v.data<std::string_view>()[row];
      out->append(s);
      if (type.length > 0) {
        size_t chars = Utf8Length(s);
        if (chars < static_cast<size_t>(type.length)) out->append(type.length - chars, ' ');
      }
      return;
    }
    case TypeId::kVarchar:
    case TypeId::kText:
    case TypeId::kSuper: out->append(v.data<std::string_view>()[row]); return;
    case TypeId::kDate: AppendDate(v.data<int32_t>()[row], out); return;
    case TypeId::kTimestamp: AppendTimestamp(v.data<int64_t>()[row], out); return;
    case TypeId::kTimestampTz: AppendTimestampTz(v.data<int64_t>()[row], out); return;
    case TypeId::kInterval: AppendInterval(UnpackInterval(v.data<int128>()[row]), out); return;
    case TypeId::kTime: AppendTime(v.data<int64_t>()[row], out); return;
    case TypeId::kTimeTz: AppendTimeTz(v.data<int64_t>()[row], out); return;
  }
}

std::string ValueText(const Vector& v, size_t row) {
  std::string out;
  AppendValueText(v, row, &out);
  return out;
}

void ParseValueText(std::string_view text, Vector* out, size_t row) {
  const SqlType& type = out->type();
  switch (type.id) {
    case TypeId::kNull: STRATA_INTERNAL_ERROR("cannot parse text into an untyped NULL");
    case TypeId::kBool: out->data<uint8_t>()[row] = ParseBool(text); break;
    case TypeId::kInt16: out->data<int16_t>()[row] = ParseInteger<int16_t>(text); break;
    case TypeId::kInt32: out->data<int32_t>()[row] = ParseInteger<int32_t>(text); break;
    case TypeId::kInt64: out->data<int64_t>()[row] = ParseInteger<int64_t>(text); break;
    case TypeId::kDecimal: {
      // A DECIMAL without a declared precision is stored as int64, like DECIMAL(18, s).
      int precision = type.precision > 0 ? type.precision : kDefaultDecimalPrecision;
      int128 value = ParseDecimal(text, precision, type.scale);
      if (out->physical() == PhysicalType::kInt64) {
        out->data<int64_t>()[row] = static_cast<int64_t>(value);
      } else {
        out->data<int128>()[row] = value;
      }
      break;
    }
    case TypeId::kFloat32: out->data<float>()[row] = ParseFloat<float>(text); break;
    case TypeId::kFloat64: out->data<double>()[row] = ParseFloat<double>(text); break;
    case TypeId::kChar: {
      std::string_view s = FitLength(text, type);
      if (type.length >= 0) {
        while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
      }
      out->SetString(row, s);
      break;
    }
    case TypeId::kVarchar: out->SetString(row, FitLength(text, type)); break;
    case TypeId::kText: out->SetString(row, text); break;
    case TypeId::kDate: out->data<int32_t>()[row] = ParseDate(text); break;
    case TypeId::kTimestamp: out->data<int64_t>()[row] = ParseTimestamp(text); break;
    case TypeId::kTimestampTz: out->data<int64_t>()[row] = ParseTimestampTz(text); break;
    case TypeId::kInterval: out->data<int128>()[row] = PackInterval(ParseInterval(text)); break;
    case TypeId::kTime: out->data<int64_t>()[row] = ParseTime(text); break;
    case TypeId::kTimeTz: out->data<int64_t>()[row] = ParseTimeTz(text); break;
    case TypeId::kSuper: {  // loaded and bound text is JSON (a string literal cast to SUPER is not)
      std::string canonical, error;
      if (!ParseJsonToSuper(text, &canonical, &error)) {
        STRATA_USER_ERROR(sqlstate::kInvalidTextRepresentation, "invalid input syntax for type super: ", error);
      }
      out->SetString(row, canonical);
      break;
    }
  }
  out->SetNull(row, false);
}

std::string PrettySize(int64_t bytes) {
  const char* units[] = {"bytes", "kB", "MB", "GB", "TB"};
  int64_t v = bytes;
  int u = 0;
  while (u < 4 && (v < 0 ? -v : v) >= 10 * 1024) {
    v = (v + (v < 0 ? -512 : 512)) / 1024;
    ++u;
  }
  return std::to_string(v) + " " + units[u];
}

}  // namespace strata
