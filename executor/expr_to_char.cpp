// to_char(timestamp | timestamptz, format) -> text, PostgreSQL 15's template patterns (a date is
// cast to timestamp first). The format is compiled once into a list of pieces (pattern or
// literal text; recompiled only when a non-constant format changes); each row's calendar fields
// are computed once and the pieces append to one reused buffer, so rows allocate nothing.
// Patterns: YYYY YYY YY Y Y,YYY IYYY IYY IY I MM MONTH Month month MON Mon mon DD DDD D ID IDDD
// DAY Day day DY Dy dy HH HH12 HH24 MI SS SSSS SSSSS MS US AM PM A.M. P.M. (and lower case)
// BC AD B.C. A.D. Q WW IW W J CC TZ OF; prefix FM (no padding), FX (ignored); suffix TH / th
// (ordinal); "quoted text" and \" literal; any other character is copied. Infinite timestamps
// give NULL, as in PostgreSQL. to_char(number, format) renders with executor/to_char_number.h.
//
// to_date(text, format) and to_timestamp(text, format) read a string with the same compiled
// format: numeric fields take their digits (YYYY and the like up to the next non-digit), month
// and day names match case-insensitively, AM / PM adjust the hour, a literal in the format skips
// as many characters of the input, and blanks are skipped before a field. A field out of range
// is 22008, text that does not fit the format 22007.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "executor/calendar_math.h"
#include "executor/expr_date_functions.h"
#include "executor/to_char_number.h"
#include "sql/error.h"
#include "sql/value_text.h"

namespace strata {

namespace {

enum class Tok : uint8_t {
  kLiteral, kYear4, kYear3, kYear2, kYear1, kYearComma, kIsoYear4, kIsoYear3, kIsoYear2, kIsoYear1,
  kMonthNum, kMonthName, kMonthAbbr, kDay, kDayOfYear, kDow, kIsoDow, kIsoDayOfYear, kDayName, kDayAbbr,
  kHour12, kHour24, kMinute, kSecond, kSecondsOfDay, kMillis, kMicros, kMeridiem, kMeridiemDots, kEra,
  kEraDots, kQuarter, kWeekOfYear, kIsoWeek, kWeekOfMonth, kJulian, kCentury, kTz, kOffset,
};

enum class Case : uint8_t { kUpper, kCapital, kLower };

struct Keyword {
  const char* text;
  Tok tok;
  Case text_case;
};

// Longest first among keywords sharing a prefix, as PostgreSQL's table.
constexpr Keyword kKeywords[] = {
    {"A.D.", Tok::kEraDots, Case::kUpper}, {"A.M.", Tok::kMeridiemDots, Case::kUpper}, {"AD", Tok::kEra, Case::kUpper},
    {"AM", Tok::kMeridiem, Case::kUpper}, {"B.C.", Tok::kEraDots, Case::kUpper}, {"BC", Tok::kEra, Case::kUpper},
    {"CC", Tok::kCentury, Case::kUpper}, {"DAY", Tok::kDayName, Case::kUpper}, {"DDD", Tok::kDayOfYear, Case::kUpper},
    {"DD", Tok::kDay, Case::kUpper}, {"DY", Tok::kDayAbbr, Case::kUpper}, {"Day", Tok::kDayName, Case::kCapital},
    {"Dy", Tok::kDayAbbr, Case::kCapital}, {"D", Tok::kDow, Case::kUpper},
    {"HH24", Tok::kHour24, Case::kUpper}, {"HH12", Tok::kHour12, Case::kUpper}, {"HH", Tok::kHour12, Case::kUpper},
    {"IDDD", Tok::kIsoDayOfYear, Case::kUpper}, {"ID", Tok::kIsoDow, Case::kUpper}, {"IW", Tok::kIsoWeek, Case::kUpper},
    {"IYYY", Tok::kIsoYear4, Case::kUpper}, {"IYY", Tok::kIsoYear3, Case::kUpper}, {"IY", Tok::kIsoYear2, Case::kUpper},
    {"I", Tok::kIsoYear1, Case::kUpper}, {"J", Tok::kJulian, Case::kUpper}, {"MI", Tok::kMinute, Case::kUpper},
    {"MM", Tok::kMonthNum, Case::kUpper}, {"MONTH", Tok::kMonthName, Case::kUpper},
    {"MON", Tok::kMonthAbbr, Case::kUpper}, {"MS", Tok::kMillis, Case::kUpper},
    {"Month", Tok::kMonthName, Case::kCapital}, {"Mon", Tok::kMonthAbbr, Case::kCapital},
    {"OF", Tok::kOffset, Case::kUpper}, {"P.M.", Tok::kMeridiemDots, Case::kUpper}, {"PM", Tok::kMeridiem, Case::kUpper},
    {"Q", Tok::kQuarter, Case::kUpper}, {"SSSSS", Tok::kSecondsOfDay, Case::kUpper},
    {"SSSS", Tok::kSecondsOfDay, Case::kUpper}, {"SS", Tok::kSecond, Case::kUpper}, {"TZ", Tok::kTz, Case::kUpper},
    {"US", Tok::kMicros, Case::kUpper}, {"WW", Tok::kWeekOfYear, Case::kUpper}, {"W", Tok::kWeekOfMonth, Case::kUpper},
    {"Y,YYY", Tok::kYearComma, Case::kUpper}, {"YYYY", Tok::kYear4, Case::kUpper}, {"YYY", Tok::kYear3, Case::kUpper},
    {"YY", Tok::kYear2, Case::kUpper}, {"Y", Tok::kYear1, Case::kUpper},
    {"a.d.", Tok::kEraDots, Case::kLower}, {"a.m.", Tok::kMeridiemDots, Case::kLower}, {"ad", Tok::kEra, Case::kLower},
    {"am", Tok::kMeridiem, Case::kLower}, {"b.c.", Tok::kEraDots, Case::kLower}, {"bc", Tok::kEra, Case::kLower},
    {"cc", Tok::kCentury, Case::kLower}, {"day", Tok::kDayName, Case::kLower}, {"ddd", Tok::kDayOfYear, Case::kLower},
    {"dd", Tok::kDay, Case::kLower}, {"dy", Tok::kDayAbbr, Case::kLower}, {"d", Tok::kDow, Case::kLower},
    {"hh24", Tok::kHour24, Case::kLower}, {"hh12", Tok::kHour12, Case::kLower}, {"hh", Tok::kHour12, Case::kLower},
    {"iddd", Tok::kIsoDayOfYear, Case::kLower}, {"id", Tok::kIsoDow, Case::kLower}, {"iw", Tok::kIsoWeek, Case::kLower},
    {"iyyy", Tok::kIsoYear4, Case::kLower}, {"iyy", Tok::kIsoYear3, Case::kLower}, {"iy", Tok::kIsoYear2, Case::kLower},
    {"i", Tok::kIsoYear1, Case::kLower}, {"j", Tok::kJulian, Case::kLower}, {"mi", Tok::kMinute, Case::kLower},
    {"mm", Tok::kMonthNum, Case::kLower}, {"month", Tok::kMonthName, Case::kLower},
    {"mon", Tok::kMonthAbbr, Case::kLower}, {"ms", Tok::kMillis, Case::kLower}, {"of", Tok::kOffset, Case::kLower},
    {"p.m.", Tok::kMeridiemDots, Case::kLower}, {"pm", Tok::kMeridiem, Case::kLower}, {"q", Tok::kQuarter, Case::kLower},
    {"sssss", Tok::kSecondsOfDay, Case::kLower}, {"ssss", Tok::kSecondsOfDay, Case::kLower},
    {"ss", Tok::kSecond, Case::kLower}, {"tz", Tok::kTz, Case::kLower}, {"us", Tok::kMicros, Case::kLower},
    {"ww", Tok::kWeekOfYear, Case::kLower}, {"w", Tok::kWeekOfMonth, Case::kLower},
    {"y,yyy", Tok::kYearComma, Case::kLower}, {"yyyy", Tok::kYear4, Case::kLower}, {"yyy", Tok::kYear3, Case::kLower},
    {"yy", Tok::kYear2, Case::kLower}, {"y", Tok::kYear1, Case::kLower},
};

constexpr const char* kMonthNames[] = {"January", "February", "March", "April", "May", "June", "July",
                                       "August", "September", "October", "November", "December"};
constexpr const char* kDayNames[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

struct Piece {
  Tok tok = Tok::kLiteral;
  Case text_case = Case::kUpper;
  bool fill = false;      // FM: no padding
  uint8_t ordinal = 0;    // 1: TH, 2: th
  uint32_t offset = 0;    // literal text in Format::text
  uint32_t length = 0;
};

struct Format {
  std::string source;
  std::string text;
  std::vector<Piece> pieces;
};

void AddLiteral(Format* f, std::string_view s) {
  if (s.empty()) return;
  if (!f->pieces.empty() && f->pieces.back().tok == Tok::kLiteral &&
      f->pieces.back().offset + f->pieces.back().length == f->text.size()) {
    f->pieces.back().length += uint32_t(s.size());
  } else {
    Piece p;
    p.offset = uint32_t(f->text.size());
    p.length = uint32_t(s.size());
    f->pieces.push_back(p);
  }
  f->text.append(s);
}

void Compile(std::string_view fmt, Format* f) {
  f->source.assign(fmt);
  f->text.clear();
  f->pieces.clear();
  bool fill = false;
  size_t i = 0;
  while (i < fmt.size()) {
    std::string_view rest = fmt.substr(i);
    if (rest.size() >= 2 && (rest.substr(0, 2) == "FM" || rest.substr(0, 2) == "fm")) {
      fill = true;
      i += 2;
      continue;
    }
    if (rest.size() >= 2 && (rest.substr(0, 2) == "FX" || rest.substr(0, 2) == "fx")) {
      i += 2;
      continue;
    }
    const Keyword* hit = nullptr;
    for (const Keyword& k : kKeywords) {
      size_t len = std::strlen(k.text);
      if (rest.size() >= len && rest.compare(0, len, k.text) == 0) {
        hit = &k;
        break;
      }
    }
    if (hit != nullptr) {
      Piece p;
      p.tok = hit->tok;
      p.text_case = hit->text_case;
      p.fill = fill;
      i += std::strlen(hit->text);
      if (fmt.compare(i, 2, "TH") == 0) { p.ordinal = 1; i += 2; }
      else if (fmt.compare(i, 2, "th") == 0) { p.ordinal = 2; i += 2; }
      f->pieces.push_back(p);
      fill = false;
      continue;
    }
    if (fmt[i] == '"') {
      ++i;
      std::string lit;
      while (i < fmt.size() && fmt[i] != '"') {
        if (fmt[i] == '\\' && i + 1 < fmt.size()) ++i;
        lit.push_back(fmt[i++]);
      }
      if (i < fmt.size()) ++i;
      AddLiteral(f, lit);
      continue;
    }
    if (fmt[i] == '\\' && i + 1 < fmt.size() && fmt[i + 1] == '"') {
      AddLiteral(f, "\"");
      i += 2;
      continue;
    }
    AddLiteral(f, fmt.substr(i, 1));
    ++i;
  }
}

void AppendNumber(int64_t v, int width, bool fill, std::string* out) {
  char buf[32];
  int n = fill ? std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v))
               : std::snprintf(buf, sizeof buf, "%0*lld", v < 0 ? width + 1 : width, static_cast<long long>(v));
  out->append(buf, size_t(n));
}

void AppendOrdinal(int64_t v, bool upper, std::string* out) {
  int64_t a = v < 0 ? -v : v;
  const char* s = "th";
  if (a % 100 < 11 || a % 100 > 13) {
    if (a % 10 == 1) s = "st";
    else if (a % 10 == 2) s = "nd";
    else if (a % 10 == 3) s = "rd";
  }
  out->push_back(upper ? char(s[0] - 32) : s[0]);
  out->push_back(upper ? char(s[1] - 32) : s[1]);
}

void AppendName(const char* name, size_t max_len, Case c, bool pad9, std::string* out) {
  size_t len = std::min(std::strlen(name), max_len);
  for (size_t k = 0; k < len; ++k) {
    char ch = name[k];
    if (c == Case::kUpper) ch = char(std::toupper(uint8_t(ch)));
    else if (c == Case::kLower || k > 0) ch = char(std::tolower(uint8_t(ch)));
    out->push_back(ch);
  }
  if (pad9) for (size_t k = len; k < 9; ++k) out->push_back(' ');
}

// The calendar fields of one timestamp.
struct Fields {
  int year, month, day;  // astronomical year
  int64_t days, tod;
  int dow;              // 0 = Sunday
  int doy;
  int iso_year, iso_week, iso_doy;
};

void ComputeFields(int64_t micros, Fields* f) {
  f->days = FloorDivide(micros, kMicrosPerDayCal);
  f->tod = micros - f->days * kMicrosPerDayCal;
  CivilFromDays(int32_t(f->days), &f->year, &f->month, &f->day);
  f->dow = int(((f->days + 6) % 7 + 7) % 7);
  f->doy = int(f->days - DaysFromCivil(f->year, 1, 1)) + 1;
  int64_t monday = f->days - (f->dow == 0 ? 6 : f->dow - 1);
  int ty, tm, td;
  CivilFromDays(int32_t(monday + 3), &ty, &tm, &td);
  f->iso_year = ty;
  int64_t week1 = DaysFromCivil(ty, 1, 4);
  week1 -= (((week1 + 6) % 7 + 7) % 7 + 6) % 7;  // the Monday of ISO week 1
  f->iso_week = int((monday - week1) / 7) + 1;
  f->iso_doy = int(f->days - week1) + 1;
}

int64_t DisplayYear(int y) { return y > 0 ? y : 1 - y; }

void Render(const Format& fmt, const Fields& f, bool with_zone, std::string* out) {
  for (const Piece& p : fmt.pieces) {
    if (p.tok == Tok::kLiteral) {
      out->append(fmt.text, p.offset, p.length);
      continue;
    }
    int64_t num = 0;
    int width = 0;
    bool numeric = true;
    const int hour = int(f.tod / 3600000000LL);
    const bool upper = p.text_case != Case::kLower;
    switch (p.tok) {
      case Tok::kYear4: num = DisplayYear(f.year); width = 4; break;
      case Tok::kYear3: num = DisplayYear(f.year) % 1000; width = 3; break;
      case Tok::kYear2: num = DisplayYear(f.year) % 100; width = 2; break;
      case Tok::kYear1: num = DisplayYear(f.year) % 10; width = 1; break;
      case Tok::kYearComma: {
        int64_t y = DisplayYear(f.year);
        AppendNumber(y / 1000, 1, true, out);
        out->push_back(',');
        num = y % 1000;
        width = 3;
        AppendNumber(num, width, false, out);
        numeric = false;
        break;
      }
      case Tok::kIsoYear4: num = DisplayYear(f.iso_year); width = 4; break;
      case Tok::kIsoYear3: num = DisplayYear(f.iso_year) % 1000; width = 3; break;
      case Tok::kIsoYear2: num = DisplayYear(f.iso_year) % 100; width = 2; break;
      case Tok::kIsoYear1: num = DisplayYear(f.iso_year) % 10; width = 1; break;
      case Tok::kMonthNum: num = f.month; width = 2; break;
      case Tok::kDay: num = f.day; width = 2; break;
      case Tok::kDayOfYear: num = f.doy; width = 3; break;
      case Tok::kDow: num = f.dow + 1; width = 1; break;
      case Tok::kIsoDow: num = f.dow == 0 ? 7 : f.dow; width = 1; break;
      case Tok::kIsoDayOfYear: num = f.iso_doy; width = 3; break;
      case Tok::kHour12: num = hour % 12 == 0 ? 12 : hour % 12; width = 2; break;
      case Tok::kHour24: num = hour; width = 2; break;
      case Tok::kMinute: num = f.tod / 60000000LL % 60; width = 2; break;
      case Tok::kSecond: num = f.tod / 1000000 % 60; width = 2; break;
      case Tok::kSecondsOfDay: num = f.tod / 1000000; width = 1; break;
      case Tok::kMillis: num = f.tod / 1000 % 1000; width = 3; break;
      case Tok::kMicros: num = f.tod % 1000000; width = 6; break;
      case Tok::kQuarter: num = (f.month - 1) / 3 + 1; width = 1; break;
      case Tok::kWeekOfYear: num = (f.doy - 1) / 7 + 1; width = 2; break;
      case Tok::kIsoWeek: num = f.iso_week; width = 2; break;
      case Tok::kWeekOfMonth: num = (f.day - 1) / 7 + 1; width = 1; break;
      case Tok::kJulian: num = f.days + 2451545; width = 1; break;
      case Tok::kCentury: num = f.year > 0 ? (f.year + 99) / 100 : -((99 - (f.year - 1)) / 100); width = 2; break;
      default: numeric = false; break;
    }
    if (numeric) {
      AppendNumber(num, width, p.fill, out);
    }
    if (p.ordinal != 0 && (numeric || p.tok == Tok::kYearComma)) AppendOrdinal(num, p.ordinal == 1, out);
    if (numeric || p.tok == Tok::kYearComma) continue;
    switch (p.tok) {
      case Tok::kMonthName: AppendName(kMonthNames[f.month - 1], 9, p.text_case, !p.fill, out); break;
      case Tok::kMonthAbbr: AppendName(kMonthNames[f.month - 1], 3, p.text_case, false, out); break;
      case Tok::kDayName: AppendName(kDayNames[f.dow], 9, p.text_case, !p.fill, out); break;
      case Tok::kDayAbbr: AppendName(kDayNames[f.dow], 3, p.text_case, false, out); break;
      case Tok::kMeridiem: out->append(hour >= 12 ? (upper ? "PM" : "pm") : (upper ? "AM" : "am")); break;
      case Tok::kMeridiemDots: out->append(hour >= 12 ? (upper ? "P.M." : "p.m.") : (upper ? "A.M." : "a.m.")); break;
      case Tok::kEra: out->append(f.year > 0 ? (upper ? "AD" : "ad") : (upper ? "BC" : "bc")); break;
      case Tok::kEraDots: out->append(f.year > 0 ? (upper ? "A.D." : "a.d.") : (upper ? "B.C." : "b.c.")); break;
      case Tok::kTz: if (with_zone) out->append(upper ? "UTC" : "utc"); break;
      case Tok::kOffset: out->append("+00"); break;
      default: break;
    }
  }
}

// A function of a value and a format text (to_char, to_date, to_timestamp): both arguments
// evaluated per batch by the subclass.
class FormatFunctionNode : public ExprNode {
 public:
  FormatFunctionNode(SqlType type, NodePtr source, NodePtr format)
      : ExprNode(type), source_(std::move(source)), format_(std::move(format)) {
    AddColumns(source_->columns());
    AddColumns(format_->columns());
  }

 protected:
  NodePtr source_;
  NodePtr format_;
};

class ToCharNode final : public FormatFunctionNode {
 public:
  ToCharNode(SqlType type, NodePtr source, NodePtr format) : FormatFunctionNode(type, std::move(source), std::move(format)) {
    with_zone_ = source_->type().id == TypeId::kTimestampTz;
  }

  const Vector& Eval(const Batch& input) override {
    const size_t n = input.rows;
    const Vector& src = source_->Eval(input);
    const Vector& fmt = format_->Eval(input);
    Vector& r = ResetResult(n);
    const int64_t* ts = src.data<int64_t>();
    const std::string_view* formats = fmt.data<std::string_view>();
    Fields fields;
    for (size_t i = 0; i < n; ++i) {
      if (src.IsNull(i) || fmt.IsNull(i) || IsInfiniteMicros(ts[i])) {
        r.SetNull(i, true);
        continue;
      }
      if (!compiled_ || formats[i] != compiled_format_.source) {
        Compile(formats[i], &compiled_format_);
        compiled_ = true;
      }
      ComputeFields(ts[i], &fields);
      buffer_.clear();
      Render(compiled_format_, fields, with_zone_, &buffer_);
      r.SetString(i, buffer_);
    }
    return r;
  }

 private:
  bool with_zone_ = false;
  bool compiled_ = false;
  Format compiled_format_;
  std::string buffer_;
};

// Parses `in` with `f` into microseconds since 2000-01-01 (to_timestamp) or days (to_date).
class DateParser {
 public:
  DateParser(std::string_view in, const Format& f) : in_(in), f_(f) {}

  int64_t ParseMicros() {
    int year = 2000, month = 1, day = 1, hour = 0, minute = 0, second = 0, doy = 0;
    int64_t micros = 0;
    bool pm = false, have_meridiem = false;
    for (size_t k = 0; k < f_.pieces.size(); ++k) {
      const Piece& p = f_.pieces[k];
      // A field directly followed by another field (YYYYMMDD) takes exactly its width.
      const bool packed = k + 1 < f_.pieces.size() && f_.pieces[k + 1].tok != Tok::kLiteral;
      if (p.tok == Tok::kLiteral) {
        // Each character of a literal skips one of the input (blanks in the format skip any).
        std::string_view lit(f_.text.data() + p.offset, p.length);
        for (char c : lit) {
          if (c == ' ') { while (pos_ < in_.size() && in_[pos_] == ' ') ++pos_; continue; }
          if (pos_ < in_.size()) ++pos_;
        }
        continue;
      }
      SkipBlanks();
      switch (p.tok) {
        case Tok::kYear4: case Tok::kIsoYear4: year = int(Number(packed ? 4 : 9)); break;
        case Tok::kYearComma: {
          int64_t thousands = Number(3);
          if (pos_ < in_.size() && in_[pos_] == ',') ++pos_;
          year = int(thousands * 1000 + Number(3));
          break;
        }
        case Tok::kYear3: case Tok::kIsoYear3: year = int(2000 + Number(3)); break;
        case Tok::kYear2: case Tok::kIsoYear2: {
          int64_t y = Number(2);
          year = int(y < 70 ? 2000 + y : 1900 + y);  // PostgreSQL's two-digit year rule
          break;
        }
        case Tok::kYear1: case Tok::kIsoYear1: year = int(2000 + Number(1)); break;
        case Tok::kMonthNum: month = int(Number(2)); break;
        case Tok::kMonthName: case Tok::kMonthAbbr: month = Name(kMonthNames, 12, p.tok == Tok::kMonthAbbr) + 1; break;
        case Tok::kDayName: case Tok::kDayAbbr: Name(kDayNames, 7, p.tok == Tok::kDayAbbr); break;
        case Tok::kDay: day = int(Number(2)); break;
        case Tok::kDayOfYear: doy = int(Number(3)); break;
        case Tok::kHour24: hour = int(Number(2)); break;
        case Tok::kHour12: hour = int(Number(2)); if (hour < 1 || hour > 12) OutOfRange("hour"); break;
        case Tok::kMinute: minute = int(Number(2)); break;
        case Tok::kSecond: second = int(Number(2)); break;
        case Tok::kMillis: micros = Number(3) * 1000; break;
        case Tok::kMicros: micros = Number(6); break;
        case Tok::kMeridiem: case Tok::kMeridiemDots: {
          have_meridiem = true;
          std::string word;
          while (pos_ < in_.size() && (std::isalpha(uint8_t(in_[pos_])) || in_[pos_] == '.')) word += char(std::toupper(uint8_t(in_[pos_++])));
          if (word == "PM" || word == "P.M.") pm = true;
          else if (word != "AM" && word != "A.M.") Invalid();
          break;
        }
        default:
          STRATA_USER_ERROR(sqlstate::kFeatureNotSupported, "this format pattern is not supported by to_date / to_timestamp");
      }
    }
    if (have_meridiem) hour = hour % 12 + (pm ? 12 : 0);
    if (month < 1 || month > 12) OutOfRange("month");
    if (doy > 0) {
      if (doy > (DaysInMonth(year, 2) == 29 ? 366 : 365)) OutOfRange("day of year");
      int32_t jan1 = DaysFromCivil(year, 1, 1);
      return (int64_t(jan1) + doy - 1) * kMicrosPerDayCal + TimeMicros(hour, minute, second, micros);
    }
    if (day < 1 || day > DaysInMonth(year, month)) OutOfRange("day");
    return int64_t(DaysFromCivil(year, month, day)) * kMicrosPerDayCal + TimeMicros(hour, minute, second, micros);
  }

 private:
  int64_t TimeMicros(int hour, int minute, int second, int64_t micros) {
    if (hour > 24 || minute > 59 || second > 60) OutOfRange("time");
    return ((int64_t(hour) * 60 + minute) * 60 + second) * 1000000 + micros;
  }
  void SkipBlanks() {
    while (pos_ < in_.size() && in_[pos_] == ' ') ++pos_;
  }
  // Up to `max_digits` digits (a sign first is allowed); 22007 when there is none.
  int64_t Number(int max_digits) {
    bool negative = false;
    if (pos_ < in_.size() && (in_[pos_] == '-' || in_[pos_] == '+')) negative = in_[pos_++] == '-';
    int64_t v = 0;
    int digits = 0;
    while (pos_ < in_.size() && digits < max_digits && std::isdigit(uint8_t(in_[pos_]))) {
      v = v * 10 + (in_[pos_++] - '0');
      ++digits;
    }
    if (digits == 0) Invalid();
    return negative ? -v : v;
  }
  // The index of the (abbreviated) name the input starts with, case-insensitively.
  int Name(const char* const* names, int count, bool abbreviated) {
    for (int k = 0; k < count; ++k) {
      size_t len = abbreviated ? 3 : std::strlen(names[k]);
      if (pos_ + len > in_.size()) continue;
      bool same = true;
      for (size_t c = 0; c < len && same; ++c) same = std::tolower(uint8_t(in_[pos_ + c])) == std::tolower(uint8_t(names[k][c]));
      if (same) {
        pos_ += len;
        return k;
      }
    }
    Invalid();
  }
  [[noreturn]] void Invalid() {
    STRATA_USER_ERROR(sqlstate::kInvalidDatetimeFormat, "invalid value \"", std::string(in_.substr(pos_, 8)),
                      "\" for the format \"", f_.source, "\"");
  }
  [[noreturn]] void OutOfRange(const char* what) {
    (void)what;
    STRATA_USER_ERROR(sqlstate::kDatetimeFieldOverflow, "date/time field value out of range: \"", std::string(in_), "\"");
  }

  std::string_view in_;
  const Format& f_;
  size_t pos_ = 0;
};

// to_date / to_timestamp(text, format).
class ToDateNode final : public FormatFunctionNode {
 public:
  ToDateNode(SqlType type, NodePtr source, NodePtr format) : FormatFunctionNode(type, std::move(source), std::move(format)) {}

  const Vector& Eval(const Batch& input) override {
    const size_t n = input.rows;
    const Vector& src = source_->Eval(input);
    const Vector& fmt = format_->Eval(input);
    Vector& r = ResetResult(n);
    const std::string_view* texts = src.data<std::string_view>();
    const std::string_view* formats = fmt.data<std::string_view>();
    const bool date = type().id == TypeId::kDate;
    for (size_t i = 0; i < n; ++i) {
      if (src.IsNull(i) || fmt.IsNull(i)) {
        r.SetNull(i, true);
        continue;
      }
      if (!compiled_ || formats[i] != compiled_format_.source) {
        Compile(formats[i], &compiled_format_);
        compiled_ = true;
      }
      int64_t micros = DateParser(texts[i], compiled_format_).ParseMicros();
      r.SetNull(i, false);
      if (date) r.data<int32_t>()[i] = int32_t(FloorDivide(micros, kMicrosPerDayCal));
      else r.data<int64_t>()[i] = micros;
    }
    return r;
  }

 private:
  bool compiled_ = false;
  Format compiled_format_;
};

// to_char(number, format) (executor/to_char_number.h): the value is rounded to the template's
// fraction places (half away from zero for DECIMAL, as printf rounds for DOUBLE) and rendered.
class ToCharNumberNode final : public FormatFunctionNode {
 public:
  ToCharNumberNode(SqlType type, NodePtr source, NodePtr format)
      : FormatFunctionNode(type, std::move(source), std::move(format)) {}

  const Vector& Eval(const Batch& input) override {
    const size_t n = input.rows;
    const Vector& src = source_->Eval(input);
    const Vector& fmt = format_->Eval(input);
    Vector& r = ResetResult(n);
    const std::string_view* formats = fmt.data<std::string_view>();
    const int scale = src.type().scale;
    for (size_t i = 0; i < n; ++i) {
      if (src.IsNull(i) || fmt.IsNull(i)) {
        r.SetNull(i, true);
        continue;
      }
      if (!format_ptr_ || formats[i] != format_ptr_->source()) format_ptr_ = std::make_unique<NumberFormat>(formats[i]);
      const int frac = format_ptr_->fraction_digits();
      std::string digits;  // |value| rounded to `frac` places, as digits without the point
      bool negative = false;
      if (src.physical() == PhysicalType::kFloat64) {
        double v = src.data<double>()[i];
        if (std::isnan(v) || std::isinf(v)) {
          r.SetString(i, std::isnan(v) ? " NaN" : v > 0 ? " Infinity" : "-Infinity");
          continue;
        }
        char buf[400];
        std::snprintf(buf, sizeof buf, "%.*f", std::min(frac, 300), std::fabs(v));
        for (const char* p = buf; *p; ++p) if (*p != '.') digits.push_back(*p);
        negative = v < 0;
      } else {
        int128 u = src.physical() == PhysicalType::kInt128 ? src.data<int128>()[i] : static_cast<int128>(src.data<int64_t>()[i]);
        negative = u < 0;
        if (negative) u = -u;
        int f = std::min(frac, kMaxDecimalPrecision);
        if (f < scale) {
          int128 div = Pow10(scale - f);
          int128 q = u / div, rem = u % div;
          if (rem * 2 >= div) ++q;
          u = q;
        }
        std::string text = FormatDecimal(u, 0);
        digits = text;
        if (f > scale) digits.append(static_cast<size_t>(f - scale), '0');
        if (frac > f) digits.append(static_cast<size_t>(frac - f), '0');
      }
      // Split into the integer digits (no leading zeros) and exactly `frac` fraction digits.
      while (digits.size() < static_cast<size_t>(frac)) digits.insert(digits.begin(), '0');
      std::string integer = digits.substr(0, digits.size() - frac);
      std::string fraction = digits.substr(digits.size() - frac);
      size_t nz = integer.find_first_not_of('0');
      integer = nz == std::string::npos ? "" : integer.substr(nz);
      if (integer.empty() && fraction.find_first_not_of('0') == std::string::npos) negative = false;  // -0 shows as 0
      format_ptr_->Render(negative, integer, fraction, &buffer_);
      r.SetString(i, buffer_);
    }
    return r;
  }

 private:
  std::unique_ptr<NumberFormat> format_ptr_;
  std::string buffer_;
};

// to_number(text, format) (NumberFormat::Parse): a DECIMAL with the template's fraction places.
class ToNumberNode final : public FormatFunctionNode {
 public:
  ToNumberNode(SqlType type, NodePtr source, NodePtr format) : FormatFunctionNode(type, std::move(source), std::move(format)) {}

  const Vector& Eval(const Batch& input) override {
    const size_t n = input.rows;
    const Vector& src = source_->Eval(input);
    const Vector& fmt = format_->Eval(input);
    Vector& r = ResetResult(n);
    const std::string_view* texts = src.data<std::string_view>();
    const std::string_view* formats = fmt.data<std::string_view>();
    const int scale = type().scale;
    for (size_t i = 0; i < n; ++i) {
      if (src.IsNull(i) || fmt.IsNull(i)) {
        r.SetNull(i, true);
        continue;
      }
      if (!format_ptr_ || formats[i] != format_ptr_->source()) format_ptr_ = std::make_unique<NumberFormat>(formats[i], true);
      bool negative = false;
      std::string integer, fraction;
      if (!format_ptr_->Parse(texts[i], &negative, &integer, &fraction)) {
        throw SqlError(sqlstate::kInvalidTextRepresentation,
                       StrCat("invalid input syntax for type numeric: \"", std::string(texts[i]), "\""));
      }
      if (static_cast<int>(fraction.size()) > scale) fraction.resize(static_cast<size_t>(scale));
      fraction.append(static_cast<size_t>(scale) - fraction.size(), '0');
      size_t nz = integer.find_first_not_of('0');
      integer = nz == std::string::npos ? "" : integer.substr(nz);
      if (static_cast<int>(integer.size()) + scale > kMaxDecimalPrecision) {
        throw SqlError(sqlstate::kNumericValueOutOfRange, "numeric field overflow");
      }
      int128 v = 0;
      for (char c : integer + fraction) v = v * 10 + (c - '0');
      r.SetNull(i, false);
      r.data<int128>()[i] = negative ? -v : v;
    }
    return r;
  }

 private:
  std::unique_ptr<NumberFormat> format_ptr_;
};

}  // namespace

NodePtr MakeToCharNode(const std::string& name, const plan::Expr& expr, NodeList& args) {
  if (name == "to_date" || name == "to_timestamp") {
    if (args.size() != 2) STRATA_INTERNAL_ERROR(name, " with ", args.size(), " args");
    return std::make_unique<ToDateNode>(FromProtoType(expr.type()), std::move(args[0]), std::move(args[1]));
  }
  if (name == "to_number") {
    if (args.size() != 2) STRATA_INTERNAL_ERROR("to_number with ", args.size(), " args");
    return std::make_unique<ToNumberNode>(FromProtoType(expr.type()), std::move(args[0]), std::move(args[1]));
  }
  if (name != "to_char") return nullptr;
  if (args.size() != 2) STRATA_INTERNAL_ERROR("to_char with ", args.size(), " args");
  if (args[0]->type().is_numeric()) return std::make_unique<ToCharNumberNode>(FromProtoType(expr.type()), std::move(args[0]), std::move(args[1]));
  if (!args[0]->type().is_timestamp()) STRATA_INTERNAL_ERROR("to_char of ", args[0]->type().ToString());
  return std::make_unique<ToCharNode>(FromProtoType(expr.type()), std::move(args[0]), std::move(args[1]));
}

}  // namespace strata
