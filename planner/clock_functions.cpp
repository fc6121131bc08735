// Folding of the clock functions (see clock_functions.h). Which start each one reads follows
// PostgreSQL and Redshift: now(), CURRENT_TIMESTAMP, transaction_timestamp() and SYSDATE give the
// transaction's start; statement_timestamp() and GETDATE() the statement's.
#include "planner/clock_functions.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string_view>

#include "planner/expr_builder.h"
#include "planner/session_values.h"
#include "sql/error.h"
#include "sql/sqlstate.h"
#include "sql/types.h"

namespace strata {
namespace {

constexpr int64_t kMicrosPerDay = 86400LL * 1000000;
constexpr int64_t kUnixToPostgresMicros = 10957LL * kMicrosPerDay;

enum class Start { kTransaction, kStatement };

struct ClockFunction {
  std::string_view name;
  TypeId result;  // kDate, kTimestamp, kTimestampTz, kTime or kTimeTz
  Start start;
  bool takes_precision;
};

constexpr ClockFunction kClockFunctions[] = {
    {"current_date", TypeId::kDate, Start::kTransaction, false},
    {"current_timestamp", TypeId::kTimestampTz, Start::kTransaction, true},
    {"now", TypeId::kTimestampTz, Start::kTransaction, false},
    {"transaction_timestamp", TypeId::kTimestampTz, Start::kTransaction, false},
    {"statement_timestamp", TypeId::kTimestampTz, Start::kStatement, false},
    {"localtimestamp", TypeId::kTimestamp, Start::kTransaction, true},
    {"sysdate", TypeId::kTimestamp, Start::kTransaction, false},
    {"getdate", TypeId::kTimestamp, Start::kStatement, false},
    {"current_time", TypeId::kTimeTz, Start::kTransaction, true},
    {"localtime", TypeId::kTime, Start::kTransaction, true},
};

int64_t StartMicros(const SessionValues* sv, Start start) {
  int64_t v = 0;
  if (sv != nullptr) v = start == Start::kTransaction ? sv->transaction_start_micros : sv->statement_start_micros;
  return v != 0 ? v : ClockMicros();
}

// Rounds micros to `precision` fractional digits (0..6), half away from zero, as PostgreSQL does.
int64_t RoundToPrecision(int64_t micros, int64_t precision) {
  if (precision >= 6) return micros;
  int64_t unit = 1;
  for (int64_t i = precision; i < 6; ++i) unit *= 10;
  int64_t q = micros / unit, r = micros % unit;
  if (r < 0) { r += unit; --q; }
  return (q + (2 * r >= unit ? 1 : 0)) * unit;
}

}  // namespace

int64_t ClockMicros() {
  auto since_unix = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::microseconds>(since_unix).count() - kUnixToPostgresMicros;
}

std::optional<plan::Expr> BindClockFunction(const SessionValues* sv, const std::string& name, const std::vector<plan::Expr>& args,
                                            int location) {
  // clock_timestamp() and timeofday() read the clock itself, once per statement bound (PostgreSQL
  // reads it per call); timeofday() is its text, as PostgreSQL prints it in UTC.
  if ((name == "clock_timestamp" || name == "timeofday") && args.empty()) {
    int64_t micros = ClockMicros();
    if (name == "clock_timestamp") return Int64Literal(micros, SqlType::TimestampTz());
    std::time_t unix_seconds = static_cast<std::time_t>(micros / 1'000'000 + kUnixToPostgresMicros / 1'000'000);
    std::tm tm{};
    gmtime_r(&unix_seconds, &tm);
    char head[32], year[16];
    std::strftime(head, sizeof head, "%a %b %d %H:%M:%S", &tm);
    std::strftime(year, sizeof year, "%Y", &tm);
    char text[80];
    std::snprintf(text, sizeof text, "%s.%06lld %s UTC", head, static_cast<long long>(micros % 1'000'000), year);
    return StringLiteral(text, SqlType::Text());
  }
  for (const ClockFunction& f : kClockFunctions) {
    if (f.name != name) continue;
    int64_t precision = 6;
    if (!args.empty()) {
      const bool constant_precision = args.size() == 1 && f.takes_precision && args[0].has_literal() &&
                                      !args[0].literal().is_null();
      if (!constant_precision) {
        throw SqlError(sqlstate::kUndefinedFunction, StrCat("function ", name, " with these arguments does not exist"),
                       location >= 0 ? location + 1 : 0);
      }
      precision = std::clamp<int64_t>(args[0].literal().i64(), 0, 6);
    }
    int64_t micros = StartMicros(sv, f.start);
    if (f.result == TypeId::kDate) {
      int64_t days = micros / kMicrosPerDay - (micros % kMicrosPerDay < 0 ? 1 : 0);
      return Int64Literal(days, SqlType::Date());
    }
    int64_t rounded = RoundToPrecision(micros, precision);
    if (f.result == TypeId::kTime || f.result == TypeId::kTimeTz) {  // the time of day (UTC)
      rounded %= kMicrosPerDay;
      if (rounded < 0) rounded += kMicrosPerDay;
    }
    return Int64Literal(rounded, SqlType{f.result});
  }
  return std::nullopt;
}

}  // namespace strata
