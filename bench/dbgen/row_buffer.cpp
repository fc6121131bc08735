// Digit formatting and the day-number date table of RowBuffer.
#include "bench/dbgen/row_buffer.h"

#include <array>

namespace strata::dbgen {
namespace {

// All dates the generator can print, 10 characters each, built once.
struct DateTable {
  std::array<char, kDateTableDays * 10> text{};
  DateTable() {
    constexpr int kMonthDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int year = 1992, month = 1, day = 1;
    for (int i = 0; i < kDateTableDays; ++i) {
      char* p = &text[i * 10];
      p[0] = static_cast<char>('0' + year / 1000);
      p[1] = static_cast<char>('0' + year / 100 % 10);
      p[2] = static_cast<char>('0' + year / 10 % 10);
      p[3] = static_cast<char>('0' + year % 10);
      p[4] = '-';
      p[5] = static_cast<char>('0' + month / 10);
      p[6] = static_cast<char>('0' + month % 10);
      p[7] = '-';
      p[8] = static_cast<char>('0' + day / 10);
      p[9] = static_cast<char>('0' + day % 10);
      const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
      const int days_in_month = kMonthDays[month - 1] + (month == 2 && leap ? 1 : 0);
      if (++day > days_in_month) {
        day = 1;
        if (++month > 12) {
          month = 1;
          ++year;
        }
      }
    }
  }
};

const DateTable& Dates() {
  static const DateTable table;
  return table;
}

// Writes the decimal digits of v (v >= 0) ending just before `end`; returns the first digit.
char* DigitsBackward(char* end, uint64_t v) {
  do {
    *--end = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  return end;
}

}  // namespace

void RowBuffer::Int(int64_t v) {
  char tmp[24];
  char* end = tmp + sizeof(tmp);
  const bool negative = v < 0;
  char* begin = DigitsBackward(end, negative ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v));
  if (negative) *--begin = '-';
  const size_t n = static_cast<size_t>(end - begin);
  std::memcpy(&buf_[used_], begin, n);
  used_ += n;
  buf_[used_++] = '|';
}

void RowBuffer::Padded9(std::string_view prefix, int64_t v) {
  std::memcpy(&buf_[used_], prefix.data(), prefix.size());
  used_ += prefix.size();
  char* p = &buf_[used_];
  for (int i = 8; i >= 0; --i) {
    p[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  used_ += 9;
  buf_[used_++] = '|';
}

void RowBuffer::Cents(int64_t cents) {
  char tmp[24];
  char* end = tmp + sizeof(tmp);
  const bool negative = cents < 0;
  uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(cents) : static_cast<uint64_t>(cents);
  *--end = static_cast<char>('0' + magnitude % 10);
  *--end = static_cast<char>('0' + magnitude / 10 % 10);
  *--end = '.';
  char* begin = DigitsBackward(end, magnitude / 100);
  if (negative) *--begin = '-';
  const size_t n = static_cast<size_t>(tmp + sizeof(tmp) - begin);
  std::memcpy(&buf_[used_], begin, n);
  used_ += n;
  buf_[used_++] = '|';
}

void RowBuffer::Date(int day) {
  std::memcpy(&buf_[used_], &Dates().text[static_cast<size_t>(day) * 10], 10);
  used_ += 10;
  buf_[used_++] = '|';
}

std::string DateText(int day) { return std::string(&Dates().text[static_cast<size_t>(day) * 10], 10); }

}  // namespace strata::dbgen
