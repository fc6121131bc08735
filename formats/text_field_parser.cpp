// Per-column parsing of loaded text fields: NULL rules, the typed fast paths, and the fallback
// to ParseValueText. See the header for the rules each fast path follows.
#include "formats/text_field_parser.h"

#include <array>
#include <charconv>
#include <cstring>
#include <type_traits>

#include "sql/value_text.h"

namespace strata {

namespace {

// 10^0 .. 10^18.
constexpr auto kPow10 = [] {
  std::array<uint64_t, 19> p{};
  p[0] = 1;
  for (size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * 10;
  return p;
}();

constexpr int64_t kMicrosPerSecond = 1000000;
constexpr int64_t kMicrosPerDay = 86400 * kMicrosPerSecond;

// The same set of blanks as sql/value_text trims: space and \t \n \v \f \r.
inline bool IsBlank(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

bool AllBlank(std::string_view s) {
  for (char c : s) {
    if (!IsBlank(c)) return false;
  }
  return true;
}

inline unsigned Digit(char c) { return static_cast<unsigned char>(c) - '0'; }

// Two decimal digits at p, or a value > 99 when either is not a digit.
inline unsigned TwoDigits(const char* p) {
  unsigned a = Digit(p[0]), b = Digit(p[1]);
  return (a > 9 || b > 9) ? 1000 : a * 10 + b;
}

bool IsLeap(unsigned y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

// "YYYY-MM-DD" at p (10 bytes available) as days since 2000-01-01; false when not that shape
// or not a real date (ParseDate then raises the right error).
bool ScanIsoDate(const char* p, int32_t* days) {
  static constexpr unsigned kMonthDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (p[4] != '-' || p[7] != '-') return false;
  unsigned hi = TwoDigits(p), lo = TwoDigits(p + 2);
  unsigned month = TwoDigits(p + 5), day = TwoDigits(p + 8);
  if (hi > 99 || lo > 99 || month > 12 || month == 0 || day == 0) return false;
  unsigned year = hi * 100 + lo;
  if (year == 0) return false;
  unsigned limit = month == 2 && IsLeap(year) ? 29 : kMonthDays[month - 1];
  if (day > limit) return false;
  *days = DaysFromCivil(static_cast<int>(year), static_cast<int>(month), static_cast<int>(day));
  return true;
}

inline bool MatchesNullAs(const FieldRef& f, const std::string& null_as) {
  return (f.flags & kFieldQuoted) == 0 && f.size == null_as.size() &&
         std::memcmp(f.data, null_as.data(), f.size) == 0;
}

}  // namespace

bool FastParseDecimal(std::string_view text, int precision, int scale, int128* out) {
  if (precision <= 0 || precision > kMaxDecimalPrecision) precision = kMaxDecimalPrecision;
  if (scale < 0 || scale > 18) return false;
  const char* p = text.data();
  const char* end = p + text.size();
  if (p == end) return false;
  bool negative = false;
  if (*p == '-' || *p == '+') negative = *p++ == '-';
  uint64_t integer = 0;
  int integer_digits = 0;  // significant: leading zeros do not count
  const char* digits_begin = p;
  for (; p < end; ++p) {
    unsigned d = Digit(*p);
    if (d > 9) break;
    integer = integer * 10 + d;
    integer_digits += integer != 0;
    if (integer_digits > 18) return false;
  }
  bool any_digit = p != digits_begin;
  uint64_t fraction = 0;
  int fraction_kept = 0;
  unsigned first_dropped = 0;
  if (p < end && *p == '.') {
    const char* fraction_begin = ++p;
    for (; p < end; ++p) {
      unsigned d = Digit(*p);
      if (d > 9) break;
      if (fraction_kept < scale) {
        fraction = fraction * 10 + d;
        ++fraction_kept;
      } else if (p - fraction_begin == scale) {
        first_dropped = d;  // later digits cannot change a half-away-from-zero rounding
      }
    }
    any_digit |= p != fraction_begin;
  }
  if (!any_digit || p != end || integer_digits + scale > 18) return false;
  uint64_t unscaled = integer * kPow10[scale] + fraction * kPow10[scale - fraction_kept];
  unscaled += first_dropped >= 5;
  // Out of the column's range: ParseDecimal raises 22003 with its detail.
  if (precision <= 18 && unscaled >= kPow10[precision]) return false;
  *out = negative ? -static_cast<int128>(unscaled) : static_cast<int128>(unscaled);
  return true;
}

bool FastParseDate(std::string_view text, int32_t* days) {
  return text.size() == 10 && ScanIsoDate(text.data(), days);
}

bool FastParseTimestamp(std::string_view text, int64_t* micros) {
  if (text.size() != 19) return false;
  const char* p = text.data();
  int32_t days;
  if ((p[10] != ' ' && p[10] != 'T') || p[13] != ':' || p[16] != ':' || !ScanIsoDate(p, &days)) {
    return false;
  }
  unsigned hour = TwoDigits(p + 11), minute = TwoDigits(p + 14), second = TwoDigits(p + 17);
  if (hour > 23 || minute > 59 || second > 59) return false;
  *micros = days * kMicrosPerDay + ((hour * 60 + minute) * 60 + second) * kMicrosPerSecond;
  return true;
}

ColumnTextParser::ColumnTextParser(const SqlType& type, TextNullRules rules)
    : type_(type), rules_(std::move(rules)) {
  switch (type.id) {
    case TypeId::kBool: kind_ = Kind::kBool; break;
    case TypeId::kInt16: kind_ = Kind::kInt16; break;
    case TypeId::kInt32: kind_ = Kind::kInt32; break;
    case TypeId::kInt64: kind_ = Kind::kInt64; break;
    case TypeId::kDecimal:
      kind_ = type.physical() == PhysicalType::kInt64 ? Kind::kDecimal64 : Kind::kDecimal128;
      precision_ = type.precision > 0 ? type.precision : kDefaultDecimalPrecision;
      break;
    case TypeId::kFloat32: kind_ = Kind::kFloat32; break;
    case TypeId::kFloat64: kind_ = Kind::kFloat64; break;
    case TypeId::kChar: kind_ = Kind::kChar; break;
    case TypeId::kVarchar: kind_ = Kind::kVarchar; break;
    case TypeId::kText: kind_ = Kind::kText; break;
    case TypeId::kDate: kind_ = Kind::kDate; break;
    // A TIMESTAMPTZ field without a zone is UTC, so the zone-less fast path serves both; a field
    // with a zone takes the slow path, which applies it.
    case TypeId::kTimestamp: case TypeId::kTimestampTz: kind_ = Kind::kTimestamp; break;
    case TypeId::kInterval: case TypeId::kTime: case TypeId::kTimeTz: case TypeId::kSuper: kind_ = Kind::kOther; break;
    case TypeId::kNull: STRATA_INTERNAL_ERROR("a loaded column cannot have the NULL type");
  }
}

bool ColumnTextParser::ParseSlow(std::string_view text, Vector* out, size_t row,
                                 std::vector<FieldFailure>* failures) const {
  if (!type_.is_string() && AllBlank(text)) {
    out->SetNull(row, true);
    return true;
  }
  try {
    ParseValueText(text, out, row);
    return true;
  } catch (SqlError& e) {
    out->SetNull(row, true);
    failures->push_back({static_cast<uint32_t>(row), std::move(e)});
    return false;
  }
}

template <ColumnTextParser::Kind K>
void ColumnTextParser::ParseTyped(const FieldRef* fields, size_t stride, size_t rows, Vector* out,
                                  bool stop_at_first, std::vector<FieldFailure>* failures) const {
  uint8_t* nulls = out->nulls();
  constexpr bool kIsString = K == Kind::kChar || K == Kind::kVarchar || K == Kind::kText;
  const int64_t length = type_.length;
  for (size_t r = 0; r < rows; ++r) {
    const FieldRef& f = fields[r * stride];
    if ((f.flags & kFieldMissing) || MatchesNullAs(f, rules_.null_as)) {
      nulls[r] = 1;
      continue;
    }
    std::string_view text(f.data, f.size);
    bool ok = true;
    if constexpr (kIsString) {
      // EMPTYASNULL / BLANKSASNULL: an empty field is two delimiters in a row; a quoted ""
      // in CSV is an empty string, not an empty field.
      bool unquoted = (f.flags & kFieldQuoted) == 0;
      if (unquoted && ((rules_.empty_as_null && text.empty()) || (rules_.blanks_as_null && AllBlank(text)))) {
        nulls[r] = 1;
        continue;
      }
      if constexpr (K != Kind::kChar) {
        if (rules_.trim_blanks) {
          while (!text.empty() && IsBlank(text.back())) text.remove_suffix(1);
        }
      }
      // A byte count within the limit means a character count within it too.
      if (K == Kind::kText || length < 0) {
        out->SetString(r, text);
      } else if (text.size() <= static_cast<size_t>(length)) {
        if constexpr (K == Kind::kChar) {
          while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
        }
        out->SetString(r, text);
      } else if (rules_.truncate) {
        // TRUNCATECOLUMNS: keep the first `length` characters (UTF-8 aware).
        size_t chars = 0, cut = 0;
        while (cut < text.size() && chars < static_cast<size_t>(length)) {
          ++cut;
          while (cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) ++cut;
          ++chars;
        }
        text = text.substr(0, cut);
        if constexpr (K == Kind::kChar) {
          while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
        }
        out->SetString(r, text);
      } else {
        ok = ParseSlow(text, out, r, failures);
        if (!ok && stop_at_first) return;
        continue;
      }
      nulls[r] = 0;
      continue;
    } else {
      if (text.empty()) {
        nulls[r] = 1;
        continue;
      }
      const char* b = f.data;
      const char* e = f.data + f.size;
      bool fast = false;
      if constexpr (K == Kind::kInt16 || K == Kind::kInt32 || K == Kind::kInt64) {
        using T = std::conditional_t<K == Kind::kInt16, int16_t,
                                     std::conditional_t<K == Kind::kInt32, int32_t, int64_t>>;
        T v;
        auto [ptr, ec] = std::from_chars(b, e, v);
        if (ec == std::errc() && ptr == e) {
          out->data<T>()[r] = v;
          fast = true;
        }
      } else if constexpr (K == Kind::kDecimal64 || K == Kind::kDecimal128) {
        int128 v;
        if (FastParseDecimal(text, precision_, type_.scale, &v)) {
          if constexpr (K == Kind::kDecimal64) out->data<int64_t>()[r] = static_cast<int64_t>(v);
          else out->data<int128>()[r] = v;
          fast = true;
        }
      } else if constexpr (K == Kind::kFloat32 || K == Kind::kFloat64) {
        using F = std::conditional_t<K == Kind::kFloat32, float, double>;
        // Words (NaN, Infinity) and a leading '+' are ParseValueText's to read.
        const char* digits = *b == '-' ? b + 1 : b;
        if (digits < e && (Digit(*digits) <= 9 || *digits == '.')) {
          F v;
          auto [ptr, ec] = std::from_chars(b, e, v, std::chars_format::general);
          if (ec == std::errc() && ptr == e) {
            out->data<F>()[r] = v;
            fast = true;
          }
        }
      } else if constexpr (K == Kind::kDate) {
        fast = FastParseDate(text, &out->data<int32_t>()[r]);
      } else if constexpr (K == Kind::kTimestamp) {
        fast = FastParseTimestamp(text, &out->data<int64_t>()[r]);
      }
      if (fast) {
        nulls[r] = 0;
      } else {
        ok = ParseSlow(text, out, r, failures);
        if (!ok && stop_at_first) return;
      }
    }
  }
}

void ColumnTextParser::Parse(const FieldRef* fields, size_t stride, size_t rows, Vector* out,
                             bool stop_at_first, std::vector<FieldFailure>* failures) const {
  STRATA_CHECK(out->size() >= rows);
  switch (kind_) {
#define STRATA_PARSE_KIND(k) \
  case Kind::k: return ParseTyped<Kind::k>(fields, stride, rows, out, stop_at_first, failures);
    STRATA_PARSE_KIND(kBool)
    STRATA_PARSE_KIND(kInt16)
    STRATA_PARSE_KIND(kInt32)
    STRATA_PARSE_KIND(kInt64)
    STRATA_PARSE_KIND(kDecimal64)
    STRATA_PARSE_KIND(kDecimal128)
    STRATA_PARSE_KIND(kFloat32)
    STRATA_PARSE_KIND(kFloat64)
    STRATA_PARSE_KIND(kChar)
    STRATA_PARSE_KIND(kVarchar)
    STRATA_PARSE_KIND(kText)
    STRATA_PARSE_KIND(kDate)
    STRATA_PARSE_KIND(kTimestamp)
    STRATA_PARSE_KIND(kOther)
#undef STRATA_PARSE_KIND
  }
}

}  // namespace strata
