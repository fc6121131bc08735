#include "planner/interval_literal.h"

#include <cstdio>

#include <cctype>
#include <cstdlib>
#include <string>

#include "sql/error.h"
#include "sql/value_text.h"

namespace strata {

namespace {

constexpr int64_t kMicrosPerDay = 86400LL * 1000000;

[[noreturn]] void Bad(std::string_view text) {
  throw SqlError(sqlstate::kInvalidDatetimeFormat, StrCat("invalid input syntax for type interval: \"", text, "\""));
}

void AddUnit(IntervalValue* iv, double n, std::string unit, std::string_view text) {
  for (auto& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!unit.empty() && unit.back() == 's') unit.pop_back();
  if (unit == "year" || unit == "yr" || unit == "y") iv->months += static_cast<int32_t>(n * 12);
  else if (unit == "month" || unit == "mon") iv->months += static_cast<int32_t>(n);
  else if (unit == "week" || unit == "w") iv->days += static_cast<int32_t>(n * 7);
  else if (unit == "day" || unit == "d") iv->days += static_cast<int32_t>(n);
  else if (unit == "hour" || unit == "hr" || unit == "h") iv->micros += static_cast<int64_t>(n * 3600e6);
  else if (unit == "minute" || unit == "min" || unit == "m") iv->micros += static_cast<int64_t>(n * 60e6);
  else if (unit == "second" || unit == "sec") iv->micros += static_cast<int64_t>(n * 1e6);
  else Bad(text);
}

}  // namespace

IntervalValue ParseInterval(std::string_view text, const std::vector<int>& mods) {
  IntervalValue iv;
  std::string s(text);
  size_t i = 0;
  auto skip = [&] { while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i; };
  skip();
  if (i == s.size()) Bad(text);
  // A bare number takes its unit from the field modifier (interval '90' day).
  char* end = nullptr;
  double first = std::strtod(s.c_str() + i, &end);
  size_t after = end - s.c_str();
  std::string rest = s.substr(after);
  bool only_number = end != s.c_str() + i && rest.find_first_not_of(" \t") == std::string::npos;
  if (only_number) {
    int mask = mods.empty() ? (1 << 12) : mods[0];
    if (mask & (1 << 2)) AddUnit(&iv, first, "year", text);
    else if (mask & (1 << 1)) AddUnit(&iv, first, "month", text);
    else if (mask & (1 << 3)) AddUnit(&iv, first, "day", text);
    else if (mask & (1 << 10)) AddUnit(&iv, first, "hour", text);
    else if (mask & (1 << 11)) AddUnit(&iv, first, "minute", text);
    else AddUnit(&iv, first, "second", text);
    return iv;
  }
  while (i < s.size()) {
    skip();
    if (i >= s.size()) break;
    if (s.find(':', i) != std::string::npos && s.find_first_of(" \t", i) > s.find(':', i)) {
      int h = 0, m = 0;
      double sec = 0;
      if (std::sscanf(s.c_str() + i, "%d:%d:%lf", &h, &m, &sec) < 2) Bad(text);
      iv.micros += static_cast<int64_t>(h) * 3600000000LL + static_cast<int64_t>(m) * 60000000LL +
                   static_cast<int64_t>(sec * 1e6);
      while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
      continue;
    }
    double n = std::strtod(s.c_str() + i, &end);
    if (end == s.c_str() + i) Bad(text);
    i = end - s.c_str();
    skip();
    size_t u = i;
    while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
    if (u == i) Bad(text);
    AddUnit(&iv, n, s.substr(u, i - u), text);
  }
  return iv;
}

int64_t AddIntervalToTimestamp(int64_t micros, const IntervalValue& iv, int sign) {
  int64_t day = micros >= 0 ? micros / kMicrosPerDay : -((-micros + kMicrosPerDay - 1) / kMicrosPerDay);
  int64_t time = micros - day * kMicrosPerDay;
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
  return day * kMicrosPerDay + time + sign * iv.micros;
}

std::string IntervalText(const IntervalValue& iv) {
  std::string out;
  bool negative_before = false;  // after a negative part, positive ones carry a '+'
  auto part = [&](int64_t value, const char* unit) {
    if (value == 0) return;
    if (!out.empty()) out += ' ';
    if (negative_before && value > 0) out += '+';
    out += std::to_string(value) + ' ' + unit + (value != 1 ? "s" : "");
    if (value < 0) negative_before = true;
  };
  part(iv.months / 12, "year");
  part(iv.months % 12, "mon");
  part(iv.days, "day");
  if (iv.micros != 0 || out.empty()) {
    if (!out.empty()) out += ' ';
    uint64_t us = iv.micros < 0 ? static_cast<uint64_t>(-(iv.micros + 1)) + 1 : static_cast<uint64_t>(iv.micros);
    if (iv.micros < 0) out += '-';
    else if (negative_before) out += '+';
    char buf[64];
    std::snprintf(buf, sizeof buf, "%02llu:%02llu:%02llu", static_cast<unsigned long long>(us / 3600000000ULL),
                  static_cast<unsigned long long>(us / 60000000ULL % 60), static_cast<unsigned long long>(us / 1000000ULL % 60));
    out += buf;
    if (us % 1000000ULL != 0) {
      std::snprintf(buf, sizeof buf, ".%06llu", static_cast<unsigned long long>(us % 1000000ULL));
      std::string frac = buf;
      while (frac.back() == '0') frac.pop_back();
      out += frac;
    }
  }
  return out;
}

}  // namespace strata
