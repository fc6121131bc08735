// Date part words; see planner/datepart_words.h.
#include "planner/datepart_words.h"

#include <cctype>

namespace strata {

namespace {

struct Word {
  const char* text;
  DatePart part;
};

constexpr Word kWords[] = {
    {"millennium", DatePart::kMillennium}, {"millennia", DatePart::kMillennium}, {"millenniums", DatePart::kMillennium},
    {"mil", DatePart::kMillennium}, {"mils", DatePart::kMillennium},
    {"century", DatePart::kCentury}, {"centuries", DatePart::kCentury}, {"c", DatePart::kCentury},
    {"cent", DatePart::kCentury}, {"cents", DatePart::kCentury},
    {"decade", DatePart::kDecade}, {"decades", DatePart::kDecade}, {"dec", DatePart::kDecade}, {"decs", DatePart::kDecade},
    {"year", DatePart::kYear}, {"years", DatePart::kYear}, {"y", DatePart::kYear}, {"yr", DatePart::kYear},
    {"yrs", DatePart::kYear},
    {"quarter", DatePart::kQuarter}, {"quarters", DatePart::kQuarter}, {"qtr", DatePart::kQuarter},
    {"qtrs", DatePart::kQuarter},
    {"month", DatePart::kMonth}, {"months", DatePart::kMonth}, {"mon", DatePart::kMonth}, {"mons", DatePart::kMonth},
    {"week", DatePart::kWeek}, {"weeks", DatePart::kWeek}, {"w", DatePart::kWeek},
    {"day", DatePart::kDay}, {"days", DatePart::kDay}, {"d", DatePart::kDay},
    {"hour", DatePart::kHour}, {"hours", DatePart::kHour}, {"h", DatePart::kHour}, {"hr", DatePart::kHour},
    {"hrs", DatePart::kHour},
    {"minute", DatePart::kMinute}, {"minutes", DatePart::kMinute}, {"m", DatePart::kMinute}, {"min", DatePart::kMinute},
    {"mins", DatePart::kMinute},
    {"second", DatePart::kSecond}, {"seconds", DatePart::kSecond}, {"s", DatePart::kSecond}, {"sec", DatePart::kSecond},
    {"secs", DatePart::kSecond},
    {"millisecond", DatePart::kMillisecond}, {"milliseconds", DatePart::kMillisecond}, {"ms", DatePart::kMillisecond},
    {"msec", DatePart::kMillisecond}, {"msecs", DatePart::kMillisecond}, {"msecond", DatePart::kMillisecond},
    {"mseconds", DatePart::kMillisecond}, {"millisec", DatePart::kMillisecond}, {"millisecs", DatePart::kMillisecond},
    {"millisecon", DatePart::kMillisecond},
    {"microsecond", DatePart::kMicrosecond}, {"microseconds", DatePart::kMicrosecond},
    {"microsec", DatePart::kMicrosecond}, {"microsecs", DatePart::kMicrosecond}, {"microsecon", DatePart::kMicrosecond},
    {"usecond", DatePart::kMicrosecond}, {"useconds", DatePart::kMicrosecond}, {"us", DatePart::kMicrosecond},
    {"usec", DatePart::kMicrosecond}, {"usecs", DatePart::kMicrosecond},
    {"epoch", DatePart::kEpoch},
    {"dow", DatePart::kDow}, {"dayofweek", DatePart::kDow}, {"dw", DatePart::kDow}, {"weekday", DatePart::kDow},
    {"isodow", DatePart::kIsoDow},
    {"doy", DatePart::kDoy}, {"dayofyear", DatePart::kDoy}, {"dy", DatePart::kDoy}, {"yearday", DatePart::kDoy},
    {"isoyear", DatePart::kIsoYear}, {"julian", DatePart::kJulian},
    {"timezone", DatePart::kTimezone}, {"timezone_hour", DatePart::kTimezoneHour},
    {"timezone_minute", DatePart::kTimezoneMinute},
};

bool EqualsLower(std::string_view word, const char* lower) {
  size_t i = 0;
  for (; i < word.size(); ++i) {
    if (lower[i] == 0 || char(std::tolower(uint8_t(word[i]))) != lower[i]) return false;
  }
  return lower[i] == 0;
}

}  // namespace

DatePart ParseDatePart(std::string_view word) {
  for (const Word& w : kWords) {
    if (EqualsLower(word, w.text)) return w.part;
  }
  return DatePart::kUnknown;
}

const char* DatePartName(DatePart part) {
  switch (part) {
    case DatePart::kMillennium: return "millennium";
    case DatePart::kCentury: return "century";
    case DatePart::kDecade: return "decade";
    case DatePart::kYear: return "year";
    case DatePart::kQuarter: return "quarter";
    case DatePart::kMonth: return "month";
    case DatePart::kWeek: return "week";
    case DatePart::kDay: return "day";
    case DatePart::kHour: return "hour";
    case DatePart::kMinute: return "minute";
    case DatePart::kSecond: return "second";
    case DatePart::kMillisecond: return "millisecond";
    case DatePart::kMicrosecond: return "microsecond";
    case DatePart::kEpoch: return "epoch";
    case DatePart::kDow: return "dow";
    case DatePart::kIsoDow: return "isodow";
    case DatePart::kDoy: return "doy";
    case DatePart::kIsoYear: return "isoyear";
    case DatePart::kJulian: return "julian";
    case DatePart::kTimezone: return "timezone";
    case DatePart::kTimezoneHour: return "timezone_hour";
    case DatePart::kTimezoneMinute: return "timezone_minute";
    case DatePart::kUnknown: break;
  }
  return "";
}

}  // namespace strata
