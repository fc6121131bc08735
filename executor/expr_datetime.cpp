// date_part(field, source) and extract(field FROM source) over dates and timestamps.
// Each field is computed exactly as a count of millionths (scale 6), then converted to the
// result type the catalog chose: double for date_part (PostgreSQL 15), numeric for extract.
// Fields: year month day hour minute second millisecond(s) microsecond(s) epoch dow isodow doy
// week isoyear quarter decade century millennium julian, with PostgreSQL's plural and short
// spellings. Time fields of a DATE are 0A000 for extract, as in PostgreSQL 15.
#include <algorithm>
#include <cctype>
#include <cstring>

#include "executor/expr_date_functions.h"
#include "executor/expr_decimal.h"
#include "executor/expr_node.h"
#include "planner/datepart_words.h"
#include "sql/error.h"
#include "sql/interval_time.h"
#include "sql/value_text.h"

namespace strata {

namespace {

enum class Field : uint8_t {
  kUnknown, kYear, kMonth, kDay, kHour, kMinute, kSecond, kMillisecond, kMicrosecond, kEpoch,
  kDow, kIsoDow, kDoy, kWeek, kIsoYear, kQuarter, kDecade, kCentury, kMillennium, kJulian,
  kZone,  // timezone, timezone_hour, timezone_minute of a timetz: 0, as Strata keeps it in UTC
};

Field ParseField(std::string_view text) {
  std::string f;
  for (char c : text) f.push_back(char(std::tolower(uint8_t(c))));
  struct Name { const char* name; Field field; };
  static const Name kNames[] = {
      {"year", Field::kYear}, {"years", Field::kYear}, {"y", Field::kYear}, {"yr", Field::kYear}, {"yrs", Field::kYear},
      {"month", Field::kMonth}, {"months", Field::kMonth}, {"mon", Field::kMonth}, {"mons", Field::kMonth},
      {"day", Field::kDay}, {"days", Field::kDay}, {"d", Field::kDay},
      {"hour", Field::kHour}, {"hours", Field::kHour}, {"h", Field::kHour}, {"hr", Field::kHour}, {"hrs", Field::kHour},
      {"minute", Field::kMinute}, {"minutes", Field::kMinute}, {"m", Field::kMinute}, {"min", Field::kMinute}, {"mins", Field::kMinute},
      {"second", Field::kSecond}, {"seconds", Field::kSecond}, {"s", Field::kSecond}, {"sec", Field::kSecond}, {"secs", Field::kSecond},
      {"millisecond", Field::kMillisecond}, {"milliseconds", Field::kMillisecond}, {"ms", Field::kMillisecond}, {"msec", Field::kMillisecond},
      {"microsecond", Field::kMicrosecond}, {"microseconds", Field::kMicrosecond}, {"us", Field::kMicrosecond}, {"usec", Field::kMicrosecond},
      {"epoch", Field::kEpoch}, {"dow", Field::kDow}, {"isodow", Field::kIsoDow}, {"doy", Field::kDoy},
      {"week", Field::kWeek}, {"weeks", Field::kWeek}, {"w", Field::kWeek}, {"isoyear", Field::kIsoYear},
      {"quarter", Field::kQuarter}, {"qtr", Field::kQuarter}, {"decade", Field::kDecade}, {"decades", Field::kDecade},
      {"century", Field::kCentury}, {"centuries", Field::kCentury}, {"millennium", Field::kMillennium},
      {"millennia", Field::kMillennium}, {"julian", Field::kJulian},
  };
  for (const auto& n : kNames) {
    if (f == n.name) return n.field;
  }
  // Redshift's spellings (dayofweek, dw, yearday, msecs, ...): their canonical name.
  DatePart part = ParseDatePart(f);
  if (part != DatePart::kUnknown && part < DatePart::kTimezone) return ParseField(DatePartName(part));
  return Field::kUnknown;
}

bool IsTimeField(Field f) {
  return f == Field::kHour || f == Field::kMinute || f == Field::kSecond || f == Field::kMillisecond ||
         f == Field::kMicrosecond;
}

constexpr int64_t kMicrosPerDay = 86400000000LL;
constexpr int64_t kMillion = 1000000;
constexpr int64_t kUnixEpochDays = -10957;  // 1970-01-01 relative to 2000-01-01

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// PostgreSQL numbers years without a year 0: astronomical 0 is 1 BC, printed as -1.
int PgYear(int astronomical) { return astronomical > 0 ? astronomical : astronomical - 1; }

// The field of (days, micros of the day) in millionths.
int128 FieldValue(Field f, int32_t days, int64_t tod) {
  int y, mo, d;
  CivilFromDays(days, &y, &mo, &d);
  int64_t dow = int64_t(days) + 6 - FloorDiv(int64_t(days) + 6, 7) * 7;  // 2000-01-01 was a Saturday
  auto whole = [](int64_t v) { return int128(v) * kMillion; };
  switch (f) {
    case Field::kYear: return whole(PgYear(y));
    case Field::kMonth: return whole(mo);
    case Field::kDay: return whole(d);
    case Field::kHour: return whole(tod / 3600000000LL);
    case Field::kMinute: return whole(tod / 60000000LL % 60);
    case Field::kSecond: return tod % 60000000LL;
    case Field::kMillisecond: return int128(tod % 60000000LL) * 1000;
    case Field::kMicrosecond: return whole(tod % 60000000LL);
    case Field::kEpoch: return int128(int64_t(days) - kUnixEpochDays) * kMicrosPerDay + tod;
    case Field::kDow: return whole(dow);
    case Field::kIsoDow: return whole(dow == 0 ? 7 : dow);
    case Field::kDoy: return whole(days - DaysFromCivil(y, 1, 1) + 1);
    case Field::kQuarter: return whole((mo - 1) / 3 + 1);
    case Field::kWeek:
    case Field::kIsoYear: {
      int32_t thursday = days - int32_t(dow == 0 ? 6 : dow - 1) + 3;
      int ty, tm, td;
      CivilFromDays(thursday, &ty, &tm, &td);
      if (f == Field::kIsoYear) return whole(PgYear(ty));
      return whole((thursday - DaysFromCivil(ty, 1, 1)) / 7 + 1);
    }
    case Field::kDecade: return whole(FloorDiv(y, 10));
    case Field::kCentury: return whole(y > 0 ? (y + 99) / 100 : -((99 - (y - 1)) / 100));
    case Field::kMillennium: return whole(y > 0 ? (y + 999) / 1000 : -((999 - (y - 1)) / 1000));
    case Field::kJulian: return whole(int64_t(days) + 2451545) + int128(tod) * kMillion / kMicrosPerDay;
    case Field::kZone: case Field::kUnknown: break;
  }
  return 0;
}

// The field of an interval in millionths, as PostgreSQL 15's interval_part: the time part splits
// into hours (unbounded), minutes and seconds with the interval's signs; epoch counts a year as
// 365.25 days and a month as 30. Fields with no meaning for an interval are kUnknown's caller's
// 0A000.
bool IntervalFieldValue(Field f, const IntervalValue& iv, int128* out) {
  auto whole = [](int64_t v) { return int128(v) * kMillion; };
  int64_t years = iv.months / 12, months = iv.months % 12;
  int64_t hours = iv.micros / 3600000000LL, minutes = iv.micros / 60000000LL % 60;
  int64_t second_micros = iv.micros % 60000000LL;
  switch (f) {
    case Field::kMicrosecond: *out = whole(second_micros); return true;
    case Field::kMillisecond: *out = int128(second_micros) * 1000; return true;
    case Field::kSecond: *out = second_micros; return true;
    case Field::kMinute: *out = whole(minutes); return true;
    case Field::kHour: *out = whole(hours); return true;
    case Field::kDay: *out = whole(iv.days); return true;
    case Field::kMonth: *out = whole(months); return true;
    case Field::kQuarter: *out = whole(months / 3 + 1); return true;
    case Field::kYear: *out = whole(years); return true;
    case Field::kDecade: *out = whole(years / 10); return true;
    case Field::kCentury: *out = whole(years / 100); return true;
    case Field::kMillennium: *out = whole(years / 1000); return true;
    case Field::kEpoch: {
      int128 seconds = int128(int64_t(365.25 * 86400)) * years + int128(30 * 86400) * months + int128(86400) * iv.days;
      *out = seconds * kMillion + iv.micros;
      return true;
    }
    default: return false;
  }
}

// The field of a time of day in millionths (PostgreSQL's time_part): only time fields and epoch.
bool TimeFieldValue(Field f, int64_t tod, int128* out) {
  switch (f) {
    case Field::kMicrosecond: case Field::kMillisecond: case Field::kSecond: case Field::kMinute: case Field::kHour:
      *out = FieldValue(f, 0, tod);
      return true;
    case Field::kEpoch: *out = tod; return true;
    case Field::kZone: *out = 0; return true;
    default: return false;
  }
}

class DatePartNode final : public ExprNode {
 public:
  DatePartNode(SqlType type, bool is_extract, NodePtr field, NodePtr source)
      : ExprNode(type), is_extract_(is_extract), field_node_(std::move(field)), source_(std::move(source)) {
    is_date_ = source_->type().id == TypeId::kDate;
    is_interval_ = source_->type().id == TypeId::kInterval;
    is_time_ = source_->type().is_time();
    constant_field_ = field_node_->columns().empty();
  }

  const Vector& Eval(const Batch& input) override {
    size_t n = input.rows;
    const Vector& src = source_->Eval(input);
    Vector& r = ResetResult(n);
    uint8_t* rn = r.nulls();
    std::memcpy(rn, src.nulls(), n);
    const Vector* fields = nullptr;
    if (!constant_field_) {
      fields = &field_node_->Eval(input);
      for (size_t i = 0; i < n; ++i) rn[i] |= fields->nulls()[i];
    } else if (!resolved_) {
      Batch one;
      one.rows = 1;
      const Vector& fv = field_node_->Eval(one);
      field_is_null_ = fv.IsNull(0);
      if (!field_is_null_) field_ = Resolve(fv.data<std::string_view>()[0]);
      resolved_ = true;
    }
    if (constant_field_ && field_is_null_) {
      std::memset(rn, 1, n);
      return r;
    }
    for (size_t i = 0; i < n; ++i) {
      if (rn[i]) continue;
      Field f = fields != nullptr ? Resolve(fields->data<std::string_view>()[i]) : field_;
      int32_t days;
      int64_t tod = 0;
      int128 millionths = 0;
      if (is_interval_ || is_time_) {
        bool ok = is_interval_ ? IntervalFieldValue(f, UnpackInterval(src.data<int128>()[i]), &millionths)
                               : TimeFieldValue(f, src.data<int64_t>()[i], &millionths);
        if (!ok) Unsupported(f);
        Store(millionths, &r, i);
        continue;
      }
      if (is_date_) {
        days = src.data<int32_t>()[i];
      } else {
        int64_t ts = src.data<int64_t>()[i];
        days = int32_t(FloorDiv(ts, kMicrosPerDay));
        tod = ts - int64_t(days) * kMicrosPerDay;
      }
      millionths = FieldValue(f, days, tod);
      Store(millionths, &r, i);
    }
    return r;
  }

 private:
  void Store(int128 millionths, Vector* r, size_t i) const {
    if (type_.id == TypeId::kFloat64) {
      r->data<double>()[i] = double(millionths) / 1e6;
    } else {
      int128 v = 0;
      if (!RescaleDecimal(millionths, type_.scale - 6, &v) || !FitsPrecision(v, type_.precision)) ThrowNumericOverflow();
      if (r->physical() == PhysicalType::kInt64) r->data<int64_t>()[i] = int64_t(v);
      else r->data<int128>()[i] = v;
    }
  }

  [[noreturn]] void Unsupported(Field f) const {
    (void)f;
    STRATA_USER_ERROR(sqlstate::kFeatureNotSupported, "unit \"", field_text_, "\" not supported for type ",
                      source_->type().ToString());
  }

  Field Resolve(std::string_view text) {
    Field f = ParseField(text);
    field_text_ = std::string(text);
    if (f == Field::kUnknown && source_->type().id == TypeId::kTimeTz) {
      std::string lower;
      for (char c : text) lower.push_back(char(std::tolower(uint8_t(c))));
      DatePart p = ParseDatePart(lower);
      if (p == DatePart::kTimezone || p == DatePart::kTimezoneHour || p == DatePart::kTimezoneMinute) f = Field::kZone;
    }
    std::string type_name = source_->type().ToString();
    if (f == Field::kUnknown) {
      STRATA_USER_ERROR(sqlstate::kInvalidParameterValue, "unit \"", text, "\" not recognized for type ", type_name);
    }
    if (is_date_ && is_extract_ && IsTimeField(f)) {
      STRATA_USER_ERROR(sqlstate::kFeatureNotSupported, "unit \"", text, "\" not supported for type ", type_name);
    }
    return f;
  }

  bool is_extract_;
  bool is_date_ = false;
  bool is_interval_ = false;
  bool is_time_ = false;
  std::string field_text_;
  bool constant_field_ = false;
  bool resolved_ = false;
  bool field_is_null_ = false;
  Field field_ = Field::kUnknown;
  NodePtr field_node_;
  NodePtr source_;
};

}  // namespace

NodePtr MakeDateFunctionNode(const std::string& name, const plan::Expr& expr, NodeList& args) {
  if (name != "date_part" && name != "extract") return MakeDateArithmeticNode(name, expr, args);
  if (args.size() != 2) STRATA_INTERNAL_ERROR(name, " with ", args.size(), " args");
  SqlType type = FromProtoType(expr.type());
  if (!args[0]->type().is_string()) args[0] = MakeCastNode(SqlType::Text(), std::move(args[0]));
  const SqlType& source = args[1]->type();
  if (!source.is_temporal() && !source.is_time() && source.id != TypeId::kInterval) {
    args[1] = MakeCastNode(SqlType::Timestamp(), std::move(args[1]));
  }
  if (type.id != TypeId::kFloat64 && type.id != TypeId::kDecimal) {
    STRATA_INTERNAL_ERROR(name, " returning ", type.ToString());
  }
  return std::make_unique<DatePartNode>(type, name == "extract", std::move(args[0]), std::move(args[1]));
}

}  // namespace strata
