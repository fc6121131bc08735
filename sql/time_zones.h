// Time zones by name, for AT TIME ZONE, timezone(zone, ts) and Redshift's CONVERT_TIMEZONE:
// IANA names from the system's zone database (/usr/share/zoneinfo, through Abseil's time
// library; matched without regard to case, as PostgreSQL does), PostgreSQL's common
// abbreviations (EST, PDT, CET, ... : fixed offsets), and POSIX-style offsets ('UTC+3', '+05:30',
// where a positive number is west of Greenwich, as in PostgreSQL and Redshift).
//
// Local times that a daylight-saving change skips or repeats are read as PostgreSQL reads them:
// as the later of the two instants they could be (standard time on both sides of a change).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace strata {

class TimeZone {
 public:
  // The zone named `name`, or nullopt when there is none of that name.
  static std::optional<TimeZone> Find(const std::string& name);
  // As Find, else SqlError 22023 `time zone "name" not recognized`.
  static TimeZone Named(const std::string& name);

  // Both in microseconds since 2000-01-01 00:00:00 (Strata's TIMESTAMP / TIMESTAMPTZ).
  int64_t LocalToUtc(int64_t local_micros) const;
  int64_t UtcToLocal(int64_t utc_micros) const;

 private:
  struct Rules;
  std::shared_ptr<const Rules> rules_;
};

}  // namespace strata
