#include "sql/interval_time.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "sql/error.h"
#include "sql/value_text.h"

namespace strata {

namespace {

[[noreturn]] void OutOfRange() { throw SqlError(sqlstate::kDatetimeFieldOverflow, "interval out of range"); }

[[noreturn]] void BadInterval(std::string_view text) {
  throw SqlError(sqlstate::kInvalidDatetimeFormat, StrCat("invalid input syntax for type interval: \"", text, "\""));
}

[[noreturn]] void FieldOverflow(std::string_view text) {
  throw SqlError(sqlstate::kIntervalFieldOverflow, StrCat("interval field value out of range: \"", text, "\""));
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Fields as parsed, wide enough to detect overflow at the end; a fraction carries down as
// PostgreSQL's AdjustFractDays / AdjustMicroseconds do, rounded to whole microseconds per field.
struct WideInterval {
  int128 months = 0;
  int128 days = 0;
  int128 micros = 0;
};

enum class Unit { kNone, kMillennium, kCentury, kDecade, kYear, kMonth, kWeek, kDay, kHour, kMinute, kSecond, kMilli, kMicro };

Unit UnitOf(std::string u) {
  struct Name { const char* name; Unit unit; };
  static const Name kNames[] = {
      {"millennium", Unit::kMillennium}, {"millennia", Unit::kMillennium}, {"mil", Unit::kMillennium}, {"mils", Unit::kMillennium},
      {"century", Unit::kCentury}, {"centuries", Unit::kCentury}, {"c", Unit::kCentury}, {"cent", Unit::kCentury},
      {"decade", Unit::kDecade}, {"decades", Unit::kDecade}, {"dec", Unit::kDecade}, {"decs", Unit::kDecade},
      {"year", Unit::kYear}, {"years", Unit::kYear}, {"y", Unit::kYear}, {"yr", Unit::kYear}, {"yrs", Unit::kYear},
      {"month", Unit::kMonth}, {"months", Unit::kMonth}, {"mon", Unit::kMonth}, {"mons", Unit::kMonth},
      {"week", Unit::kWeek}, {"weeks", Unit::kWeek}, {"w", Unit::kWeek},
      {"day", Unit::kDay}, {"days", Unit::kDay}, {"d", Unit::kDay},
      {"hour", Unit::kHour}, {"hours", Unit::kHour}, {"h", Unit::kHour}, {"hr", Unit::kHour}, {"hrs", Unit::kHour},
      {"minute", Unit::kMinute}, {"minutes", Unit::kMinute}, {"m", Unit::kMinute}, {"min", Unit::kMinute}, {"mins", Unit::kMinute},
      {"second", Unit::kSecond}, {"seconds", Unit::kSecond}, {"s", Unit::kSecond}, {"sec", Unit::kSecond}, {"secs", Unit::kSecond},
      {"millisecond", Unit::kMilli}, {"milliseconds", Unit::kMilli}, {"ms", Unit::kMilli}, {"msec", Unit::kMilli}, {"msecs", Unit::kMilli},
      {"microsecond", Unit::kMicro}, {"microseconds", Unit::kMicro}, {"us", Unit::kMicro}, {"usec", Unit::kMicro}, {"usecs", Unit::kMicro},
  };
  for (const auto& n : kNames) {
    if (u == n.name) return n.unit;
  }
  return Unit::kNone;
}

// Adds value (integer part `whole`, fraction `frac` with the same sign) of `unit`.
void AddField(WideInterval* w, Unit unit, int128 whole, double frac) {
  auto fract_micros = [&](double f, int64_t scale) { w->micros += static_cast<int128>(std::rint(f * static_cast<double>(scale))); };
  auto fract_days = [&](double f, double days_per) {
    double days = f * days_per;
    int128 d = static_cast<int128>(days);
    w->days += d;
    fract_micros(days - static_cast<double>(d), kMicrosPerDayI);
  };
  auto exact = [&](int64_t scale) {
    w->micros += whole * scale;
    fract_micros(frac, scale);
  };
  switch (unit) {
    case Unit::kMillennium: w->months += whole * 12000 + static_cast<int128>(std::rint(frac * 12000)); break;
    case Unit::kCentury: w->months += whole * 1200 + static_cast<int128>(std::rint(frac * 1200)); break;
    case Unit::kDecade: w->months += whole * 120 + static_cast<int128>(std::rint(frac * 120)); break;
    case Unit::kYear: w->months += whole * 12 + static_cast<int128>(std::rint(frac * 12)); break;
    case Unit::kMonth: w->months += whole; fract_days(frac, 30); break;
    case Unit::kWeek: w->days += whole * 7; fract_days(frac, 7); break;
    case Unit::kDay: w->days += whole; fract_micros(frac, kMicrosPerDayI); break;
    case Unit::kHour: exact(kMicrosPerHour); break;
    case Unit::kMinute: exact(60 * kMicrosPerSecond); break;
    case Unit::kSecond: exact(kMicrosPerSecond); break;
    case Unit::kMilli: exact(1000); break;
    case Unit::kMicro: w->micros += whole; break;  // a fraction of a microsecond is dropped
    case Unit::kNone: break;
  }
}

// A signed decimal number at s[i]: integer part and fraction; false when there is none.
bool ReadNumber(const std::string& s, size_t* i, int128* whole, double* frac, std::string_view text) {
  size_t p = *i;
  bool neg = false;
  if (p < s.size() && (s[p] == '+' || s[p] == '-')) neg = s[p++] == '-';
  size_t digits = p;
  int128 v = 0;
  while (p < s.size() && std::isdigit(static_cast<unsigned char>(s[p]))) {
    v = v * 10 + (s[p++] - '0');
    if (v > (static_cast<int128>(1) << 80)) FieldOverflow(text);
  }
  bool any = p > digits;
  double f = 0;
  if (p < s.size() && s[p] == '.') {
    size_t q = p++;
    while (p < s.size() && std::isdigit(static_cast<unsigned char>(s[p]))) ++p;
    any = any || p > q + 1;
    if (p > q + 1) {
      std::string digits(1, '0');  // "0.ddd": strtod rounds the fraction correctly
      digits.append(s, q, p - q);
      f = std::strtod(digits.c_str(), nullptr);
    }
  }
  if (!any) return false;
  *whole = neg ? -v : v;
  *frac = neg ? -f : f;
  *i = p;
  return true;
}

// [+-]h:m[:s[.f]] at s[i..end): microseconds. *out_of_range is set for minutes or seconds
// past 59 (PostgreSQL's 22015).
bool ReadClock(std::string_view tok, int128* micros, bool* out_of_range) {
  bool neg = false;
  if (!tok.empty() && (tok[0] == '+' || tok[0] == '-')) {
    neg = tok[0] == '-';
    tok.remove_prefix(1);
  }
  long long h = 0, m = 0;
  double sec = 0;
  int used = 0;
  std::string t(tok);
  int got = std::sscanf(t.c_str(), "%lld:%lld%n", &h, &m, &used);
  if (got < 2 || h < 0 || m < 0) return false;
  if (m > 59) *out_of_range = true;
  std::string rest = t.substr(used);
  if (!rest.empty()) {
    if (rest[0] != ':') return false;
    char* end = nullptr;
    sec = std::strtod(rest.c_str() + 1, &end);
    if (end == rest.c_str() + 1 || *end != '\0' || sec < 0 || rest[1] == '-' || rest[1] == '+') return false;
    if (sec >= 60) *out_of_range = true;
  }
  int128 v = (static_cast<int128>(h) * 3600 + static_cast<int128>(m) * 60) * kMicrosPerSecond +
             static_cast<int128>(std::rint(sec * 1e6));
  *micros = neg ? -v : v;
  return true;
}

// ISO 8601 'P1Y2M3DT4H5M6S' (the format with designators).
bool ParseIso(const std::string& s, WideInterval* w, std::string_view text) {
  size_t i = 1;
  bool time = false;
  while (i < s.size()) {
    if (s[i] == 'T') {
      time = true;
      ++i;
      continue;
    }
    int128 whole;
    double frac;
    if (!ReadNumber(s, &i, &whole, &frac, text) || i >= s.size()) return false;
    char d = s[i++];
    Unit u = Unit::kNone;
    if (!time) u = d == 'Y' ? Unit::kYear : d == 'M' ? Unit::kMonth : d == 'W' ? Unit::kWeek : d == 'D' ? Unit::kDay : Unit::kNone;
    else u = d == 'H' ? Unit::kHour : d == 'M' ? Unit::kMinute : d == 'S' ? Unit::kSecond : Unit::kNone;
    if (u == Unit::kNone) return false;
    AddField(w, u, whole, frac);
  }
  return true;
}

// The field modifier's smallest field truncates the value, as PostgreSQL's AdjustIntervalForTypmod.
void ApplyRange(IntervalValue* iv, int mask) {
  constexpr int kMonth = 1 << 1, kYear = 1 << 2, kDay = 1 << 3, kHour = 1 << 10, kMinute = 1 << 11, kSecond = 1 << 12;
  if (mask == 0x7FFF || (mask & kSecond)) return;
  if (mask & kMinute) { iv->micros -= iv->micros % (60 * kMicrosPerSecond); return; }
  if (mask & kHour) { iv->micros -= iv->micros % kMicrosPerHour; return; }
  iv->micros = 0;
  if (mask & kDay) return;
  iv->days = 0;
  if (mask & kMonth) return;
  if (mask & kYear) iv->months -= iv->months % 12;
}

}  // namespace

int128 PackInterval(const IntervalValue& iv) {
  int128 span = static_cast<int128>(iv.months) * kMicrosPerMonthI + static_cast<int128>(iv.days) * kMicrosPerDayI + iv.micros;
  if (span > INT64_MAX || span < INT64_MIN) OutOfRange();
  return span * (static_cast<int128>(1) << 64) + static_cast<int128>(iv.months) * (static_cast<int128>(1) << 32) + iv.days;
}

IntervalValue UnpackInterval(int128 packed) {
  // Defensive: a span past int64 cannot come from PackInterval or from an overflow-checked sum
  // (it would overflow the int128 first), but a corrupt value must not wrap.
  const int128 wide_span = (packed + (static_cast<int128>(1) << 63)) >> 64;
  if (wide_span > INT64_MAX || wide_span < INT64_MIN) OutOfRange();
  int64_t span = static_cast<int64_t>(wide_span);
  int128 low = packed - static_cast<int128>(span) * (static_cast<int128>(1) << 64);  // months * 2^32 + days
  int32_t days = static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(low)));
  int128 months = (low - days) / (static_cast<int128>(1) << 32);
  int128 micros = static_cast<int128>(span) - months * kMicrosPerMonthI - static_cast<int128>(days) * kMicrosPerDayI;
  if (months > INT32_MAX || months < INT32_MIN || micros > INT64_MAX || micros < INT64_MIN) OutOfRange();
  return {static_cast<int32_t>(months), days, static_cast<int64_t>(micros)};
}

IntervalValue IntervalFromWide(int128 months, int128 days, int128 micros) {
  if (months > INT32_MAX || months < INT32_MIN || days > INT32_MAX || days < INT32_MIN || micros > INT64_MAX ||
      micros < INT64_MIN) {
    OutOfRange();
  }
  return {static_cast<int32_t>(months), static_cast<int32_t>(days), static_cast<int64_t>(micros)};
}

IntervalValue ParseInterval(std::string_view text, const std::vector<int>& mods) {
  std::string s = Lower(text);
  // Tokens split at blanks; a number directly followed by letters ('1day') is two tokens.
  std::vector<std::string> toks;
  for (size_t i = 0; i < s.size();) {
    if (std::isspace(static_cast<unsigned char>(s[i]))) { ++i; continue; }
    size_t j = i;
    if (std::isalpha(static_cast<unsigned char>(s[i]))) {
      while (j < s.size() && std::isalpha(static_cast<unsigned char>(s[j]))) ++j;
    } else {
      while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j])) &&
             !std::isalpha(static_cast<unsigned char>(s[j]))) ++j;
      if (j == i) ++j;
    }
    toks.push_back(s.substr(i, j - i));
    i = j;
  }
  if (toks.empty()) BadInterval(text);
  WideInterval w;
  size_t k = 0;
  if (toks[0] == "@") ++k;
  std::string upper(text);
  while (!upper.empty() && std::isspace(static_cast<unsigned char>(upper.front()))) upper.erase(0, 1);
  while (!upper.empty() && std::isspace(static_cast<unsigned char>(upper.back()))) upper.pop_back();
  if (!upper.empty() && (upper[0] == 'P' || upper[0] == 'p') && upper.find(' ') == std::string::npos) {
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (!ParseIso(upper, &w, text)) BadInterval(text);
    k = toks.size();
  }
  bool ago = false;
  bool bare_number_seen = false;  // PostgreSQL takes one number without a unit ('1 day 10'), not two
  int mask = mods.empty() ? 0x7FFF : mods[0];
  for (; k < toks.size(); ++k) {
    const std::string& t = toks[k];
    if (t == "ago") {
      if (k + 1 != toks.size()) BadInterval(text);
      ago = true;
      continue;
    }
    if (t.find(':') != std::string::npos) {
      int128 us;
      bool out_of_range = false;
      if (!ReadClock(t, &us, &out_of_range)) BadInterval(text);
      if (out_of_range) FieldOverflow(text);
      w.micros += us;
      continue;
    }
    size_t i = 0;
    int128 whole;
    double frac;
    if (!ReadNumber(t, &i, &whole, &frac, text) || i != t.size()) BadInterval(text);
    Unit unit = Unit::kNone;
    if (k + 1 < toks.size() && std::isalpha(static_cast<unsigned char>(toks[k + 1][0])) && toks[k + 1] != "ago") {
      unit = UnitOf(toks[k + 1]);
      if (unit == Unit::kNone) BadInterval(text);
      ++k;
    } else if (k + 1 < toks.size() && toks[k + 1].find(':') != std::string::npos) {
      unit = Unit::kDay;  // '1 02:00:00' is a day and a time
    } else {
      // A bare number: the unit of the field modifier, seconds by default.
      if (bare_number_seen) BadInterval(text);
      bare_number_seen = true;
      unit = (mask & (1 << 12)) || mask == 0x7FFF ? Unit::kSecond
             : (mask & (1 << 11))                 ? Unit::kMinute
             : (mask & (1 << 10))                 ? Unit::kHour
             : (mask & (1 << 3))                  ? Unit::kDay
             : (mask & (1 << 1))                  ? Unit::kMonth
                                                  : Unit::kYear;
    }
    int128 before_m = w.months, before_d = w.days;
    AddField(&w, unit, whole, frac);
    if (w.months - before_m > INT32_MAX || w.months - before_m < INT32_MIN || w.days - before_d > INT32_MAX ||
        w.days - before_d < INT32_MIN) {
      FieldOverflow(text);
    }
  }
  if (w.micros > INT64_MAX || w.micros < INT64_MIN) FieldOverflow(text);
  int64_t us = static_cast<int64_t>(w.micros);
  if (w.months > INT32_MAX || w.months < INT32_MIN || w.days > INT32_MAX || w.days < INT32_MIN) FieldOverflow(text);
  IntervalValue iv{static_cast<int32_t>(w.months), static_cast<int32_t>(w.days), us};
  if (ago) iv = IntervalFromWide(-static_cast<int128>(iv.months), -static_cast<int128>(iv.days), -static_cast<int128>(iv.micros));
  ApplyRange(&iv, mask);
  PackInterval(iv);  // 22008 now rather than when stored
  return iv;
}

void AppendInterval(const IntervalValue& iv, std::string* out) {
  size_t start = out->size();
  bool is_before = false;  // the last printed field was negative: a positive one gets a '+'
  auto part = [&](int64_t value, const char* unit) {
    if (value == 0) return;
    if (out->size() > start) out->push_back(' ');
    if (is_before && value > 0) out->push_back('+');
    *out += std::to_string(value);
    out->push_back(' ');
    *out += unit;
    if (value != 1) out->push_back('s');
    is_before = value < 0;
  };
  part(iv.months / 12, "year");
  part(iv.months % 12, "mon");
  part(iv.days, "day");
  if (iv.micros != 0 || out->size() == start) {
    if (out->size() > start) out->push_back(' ');
    uint64_t us = iv.micros < 0 ? static_cast<uint64_t>(-(iv.micros + 1)) + 1 : static_cast<uint64_t>(iv.micros);
    if (iv.micros < 0) out->push_back('-');
    else if (is_before) out->push_back('+');
    char buf[64];
    std::snprintf(buf, sizeof buf, "%02llu:%02llu:%02llu", static_cast<unsigned long long>(us / 3600000000ULL),
                  static_cast<unsigned long long>(us / 60000000ULL % 60), static_cast<unsigned long long>(us / 1000000ULL % 60));
    *out += buf;
    if (us % 1000000ULL != 0) {
      std::snprintf(buf, sizeof buf, ".%06llu", static_cast<unsigned long long>(us % 1000000ULL));
      std::string frac = buf;
      while (frac.back() == '0') frac.pop_back();
      *out += frac;
    }
  }
}

std::string IntervalText(const IntervalValue& iv) {
  std::string out;
  AppendInterval(iv, &out);
  return out;
}

int64_t AddIntervalToTimestamp(int64_t micros, const IntervalValue& iv, int sign) {
  int64_t day = micros >= 0 ? micros / kMicrosPerDayI : -((-micros + kMicrosPerDayI - 1) / kMicrosPerDayI);
  int64_t time = micros - day * kMicrosPerDayI;
  if (iv.months != 0) {
    int y, m, d;
    CivilFromDays(static_cast<int32_t>(day), &y, &m, &d);
    int total = y * 12 + (m - 1) + sign * iv.months;
    y = total >= 0 ? total / 12 : -((-total + 11) / 12);
    m = total - y * 12 + 1;
    static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int last = kDays[m - 1] + (m == 2 && leap ? 1 : 0);
    if (d > last) d = last;
    day = DaysFromCivil(y, m, d);
  }
  day += static_cast<int64_t>(sign) * iv.days;
  return day * kMicrosPerDayI + time + sign * iv.micros;
}

namespace {

[[noreturn]] void BadTime(std::string_view text, const char* type) {
  throw SqlError(sqlstate::kInvalidDatetimeFormat, StrCat("invalid input syntax for type ", type, ": \"", text, "\""));
}

// Parses a time of day and an optional zone; `zone_seconds` gets the zone's offset east of UTC
// (0 without one).
int64_t ParseClockAndZone(std::string_view text, const char* type, int* zone_seconds) {
  std::string s = Lower(text);
  size_t i = 0;
  auto skip = [&] { while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i; };
  skip();
  // A leading date ('2024-01-02 10:00') is read past, as PostgreSQL does for TIME.
  size_t sp = s.find_first_of(" t", i);
  if (sp != std::string::npos && s.find(':', i) > sp && (s.find('-', i) < sp || s.find('/', i) < sp)) {
    i = sp + 1;
    skip();
  }
  long long h = 0, m = 0;
  double sec = 0;
  size_t p = i;
  auto digits = [&](long long* v) {
    size_t q = p;
    *v = 0;
    while (p < s.size() && std::isdigit(static_cast<unsigned char>(s[p])) && p - q < 10) *v = *v * 10 + (s[p++] - '0');
    return p > q;
  };
  if (!digits(&h) || p >= s.size() || s[p] != ':') BadTime(text, type);
  ++p;
  if (!digits(&m)) BadTime(text, type);
  if (p < s.size() && s[p] == ':') {
    ++p;
    size_t q = p;
    while (p < s.size() && (std::isdigit(static_cast<unsigned char>(s[p])) || s[p] == '.')) ++p;
    if (p == q) BadTime(text, type);
    char* end = nullptr;
    std::string num = s.substr(q, p - q);
    sec = std::strtod(num.c_str(), &end);
    if (*end != '\0') BadTime(text, type);
  }
  i = p;
  skip();
  if (s.compare(i, 2, "am") == 0 || s.compare(i, 2, "pm") == 0) {
    if (h < 1 || h > 12) throw SqlError(sqlstate::kDatetimeFieldOverflow, StrCat("date/time field value out of range: \"", text, "\""));
    if (s[i] == 'p' && h != 12) h += 12;
    if (s[i] == 'a' && h == 12) h = 0;
    i += 2;
    skip();
  }
  *zone_seconds = 0;
  if (i < s.size()) {
    if (s.compare(i, std::string::npos, "z") == 0 || s.compare(i, std::string::npos, "utc") == 0 ||
        s.compare(i, std::string::npos, "gmt") == 0) {
      i = s.size();
    } else if (s[i] == '+' || s[i] == '-') {
      int sign = s[i] == '-' ? -1 : 1;
      ++i;
      long long zh = 0, zm = 0;
      p = i;
      if (!digits(&zh)) BadTime(text, type);
      if (p - i == 4) { zm = zh % 100; zh /= 100; }
      else if (p < s.size() && s[p] == ':') { ++p; if (!digits(&zm)) BadTime(text, type); }
      i = p;
      skip();
      if (i != s.size() || zm > 59) BadTime(text, type);
      if (zh > 15) {
        throw SqlError(sqlstate::kInvalidTimeZoneDisplacement, StrCat("time zone displacement out of range: \"", text, "\""));
      }
      *zone_seconds = sign * static_cast<int>(zh * 3600 + zm * 60);
    } else {
      BadTime(text, type);
    }
  }
  int64_t us = static_cast<int64_t>(std::rint(sec * 1e6));
  int64_t total = (h * 60 + m) * 60 * kMicrosPerSecond + us;
  if (h > 24 || m > 59 || sec >= 60.0 || total > kMicrosPerDayI) {
    throw SqlError(sqlstate::kDatetimeFieldOverflow, StrCat("date/time field value out of range: \"", text, "\""));
  }
  return total;
}

void AppendClock(int64_t micros, std::string* out) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", static_cast<long long>(micros / kMicrosPerHour),
                static_cast<long long>(micros / 60000000 % 60), static_cast<long long>(micros / kMicrosPerSecond % 60));
  *out += buf;
  if (micros % kMicrosPerSecond != 0) {
    std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(micros % kMicrosPerSecond));
    std::string frac = buf;
    while (frac.back() == '0') frac.pop_back();
    *out += frac;
  }
}

}  // namespace

int64_t ParseTime(std::string_view text) {
  int zone = 0;
  return ParseClockAndZone(text, "time", &zone);
}

int64_t ParseTimeTz(std::string_view text) {
  int zone = 0;
  int64_t local = ParseClockAndZone(text, "time with time zone", &zone);
  if (zone == 0) return local;
  int64_t utc = (local - static_cast<int64_t>(zone) * kMicrosPerSecond) % kMicrosPerDayI;
  return utc < 0 ? utc + kMicrosPerDayI : utc;
}

void AppendTime(int64_t micros, std::string* out) { AppendClock(micros, out); }

void AppendTimeTz(int64_t micros, std::string* out) {
  AppendClock(micros, out);
  *out += "+00";
}

std::string FormatTime(int64_t micros) {
  std::string out;
  AppendClock(micros, &out);
  return out;
}

}  // namespace strata
