// Time zones by name (see the header).
#include "sql/time_zones.h"

#include <absl/time/civil_time.h>
#include <absl/time/time.h>

#include <cctype>
#include <map>
#include <mutex>

#include "sql/error.h"
#include "sql/redshift_dialect.h"  // AsciiLower

namespace strata {

struct TimeZone::Rules {
  bool fixed = false;
  int64_t offset_seconds = 0;  // fixed: local = UTC + offset
  absl::TimeZone zone;
};

namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;
// Seconds from 1970-01-01 (Unix) to 2000-01-01 (Strata's epoch).
constexpr int64_t kUnixToStrataSeconds = 946'684'800;

// PostgreSQL's default abbreviations most often written (hours east of UTC).
const std::map<std::string, int>& Abbreviations() {
  static const std::map<std::string, int> kMinutes = {
      {"utc", 0}, {"gmt", 0}, {"ut", 0}, {"z", 0}, {"zulu", 0}, {"wet", 0}, {"west", 60},
      {"bst", 60}, {"cet", 60}, {"cest", 120}, {"met", 60}, {"mest", 120}, {"eet", 120}, {"eest", 180},
      {"msk", 180}, {"ist", 120}, {"jst", 540}, {"kst", 540}, {"hkt", 480}, {"sgt", 480}, {"awst", 480},
      {"acst", 570}, {"acdt", 630}, {"aest", 600}, {"aedt", 660}, {"nzst", 720}, {"nzdt", 780},
      {"ast", -240}, {"adt", -180}, {"est", -300}, {"edt", -240}, {"cst", -360}, {"cdt", -300},
      {"mst", -420}, {"mdt", -360}, {"pst", -480}, {"pdt", -420}, {"akst", -540}, {"akdt", -480},
      {"hst", -600}, {"nst", -210}, {"ndt", -150}};
  return kMinutes;
}

// 'UTC+3', 'GMT-05:30', '+5', '-08:00': POSIX style, positive = west of Greenwich.
std::optional<int64_t> PosixOffsetSeconds(const std::string& lower) {
  std::string s = lower;
  for (const char* prefix : {"utc", "gmt"}) {
    if (s.rfind(prefix, 0) == 0 && s.size() > 3 && (s[3] == '+' || s[3] == '-')) s = s.substr(3);
  }
  if (s.empty() || (s[0] != '+' && s[0] != '-')) return std::nullopt;
  int sign = s[0] == '-' ? -1 : 1;
  size_t i = 1;
  auto number = [&](int max_digits) -> std::optional<int> {
    size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) && i - start < static_cast<size_t>(max_digits)) ++i;
    if (i == start) return std::nullopt;
    return std::stoi(s.substr(start, i - start));
  };
  std::optional<int> h = number(2);
  if (!h) return std::nullopt;
  int m = 0, sec = 0;
  if (i < s.size() && s[i] == ':') {
    ++i;
    std::optional<int> mm = number(2);
    if (!mm) return std::nullopt;
    m = *mm;
    if (i < s.size() && s[i] == ':') {
      ++i;
      std::optional<int> ss = number(2);
      if (!ss) return std::nullopt;
      sec = *ss;
    }
  }
  if (i != s.size() || *h > 15 || m > 59 || sec > 59) return std::nullopt;
  return -sign * (int64_t{*h} * 3600 + m * 60 + sec);  // POSIX: +3 is three hours behind UTC
}

// "america/new_york" -> "America/New_York": the database's spelling of most names.
std::string TitleCased(const std::string& lower) {
  std::string out = lower;
  bool start = true;
  for (char& c : out) {
    if (start) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    start = c == '/' || c == '_' || c == '-';
  }
  return out;
}

}  // namespace

std::optional<TimeZone> TimeZone::Find(const std::string& name) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const Rules>> cache;  // by lowercased name
  std::string lower = AsciiLower(name);
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = cache.find(lower);
    if (it != cache.end()) {
      if (!it->second) return std::nullopt;
      TimeZone z;
      z.rules_ = it->second;
      return z;
    }
  }
  auto rules = std::make_shared<Rules>();
  bool found = false;
  if (auto a = Abbreviations().find(lower); a != Abbreviations().end()) {
    rules->fixed = true;
    rules->offset_seconds = int64_t{a->second} * 60;
    found = true;
  } else if (std::optional<int64_t> off = PosixOffsetSeconds(lower)) {
    rules->fixed = true;
    rules->offset_seconds = *off;
    found = true;
  } else if (!name.empty() && name.find("..") == std::string::npos && name[0] != '/') {
    // A database name: as written, in its usual capitalisation, or in capitals ("est5edt").
    std::string upper = name;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (const std::string& candidate : {name, TitleCased(lower), upper}) {
      if (absl::LoadTimeZone(candidate, &rules->zone)) {
        found = true;
        break;
      }
    }
  }
  std::lock_guard<std::mutex> lock(mu);
  if (cache.size() < 4096) cache[lower] = found ? std::shared_ptr<const Rules>(rules) : nullptr;
  if (!found) return std::nullopt;
  TimeZone z;
  z.rules_ = std::move(rules);
  return z;
}

TimeZone TimeZone::Named(const std::string& name) {
  std::optional<TimeZone> z = Find(name);
  if (!z) throw SqlError(sqlstate::kInvalidParameterValue, StrCat("time zone \"", name, "\" not recognized"));
  return *z;
}

int64_t TimeZone::LocalToUtc(int64_t local_micros) const {
  if (rules_->fixed) return local_micros - rules_->offset_seconds * kMicrosPerSecond;
  int64_t seconds = local_micros / kMicrosPerSecond, micros = local_micros % kMicrosPerSecond;
  if (micros < 0) {
    micros += kMicrosPerSecond;
    --seconds;
  }
  absl::CivilSecond civil = absl::CivilSecond(1970, 1, 1) + (seconds + kUnixToStrataSeconds);
  absl::TimeZone::TimeInfo info = rules_->zone.At(civil);
  absl::Time t = info.kind == absl::TimeZone::TimeInfo::UNIQUE ? info.pre : std::max(info.pre, info.post);
  return (absl::ToUnixSeconds(t) - kUnixToStrataSeconds) * kMicrosPerSecond + micros;
}

int64_t TimeZone::UtcToLocal(int64_t utc_micros) const {
  if (rules_->fixed) return utc_micros + rules_->offset_seconds * kMicrosPerSecond;
  int64_t seconds = utc_micros / kMicrosPerSecond;
  if (utc_micros % kMicrosPerSecond < 0) --seconds;
  absl::TimeZone::CivilInfo info = rules_->zone.At(absl::FromUnixSeconds(seconds + kUnixToStrataSeconds));
  return utc_micros + int64_t{info.offset} * kMicrosPerSecond;
}

}  // namespace strata
