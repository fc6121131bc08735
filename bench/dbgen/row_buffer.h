// RowBuffer: appends pipe-delimited fields to a growing text chunk, in dbgen's .tbl format:
// every field is followed by '|' (so every line ends in "|\n"), decimals are printed with two
// decimals from integer cents, dates as YYYY-MM-DD from a day-number table.
//
// The buffer grows only between rows (EnsureRoom before a row reserves the row's worst case),
// so writing a field is a bounds-check-free memcpy or digit loop.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace strata::dbgen {

class RowBuffer {
 public:
  // No row of any TPC-H table is longer than this.
  static constexpr size_t kMaxRowBytes = 1024;

  explicit RowBuffer(size_t expected_bytes = 0) { buf_.resize(expected_bytes + kMaxRowBytes); }

  void BeginRow() {
    if (buf_.size() - used_ < kMaxRowBytes) buf_.resize(buf_.size() * 2 + kMaxRowBytes);
  }
  void EndRow() { buf_[used_++] = '\n'; }

  void Text(std::string_view s) {
    std::memcpy(&buf_[used_], s.data(), s.size());
    used_ += s.size();
    buf_[used_++] = '|';
  }
  void Char(char c) {
    buf_[used_++] = c;
    buf_[used_++] = '|';
  }
  void Int(int64_t v);
  // `prefix` followed by v zero-padded to 9 digits: "Customer#000000001".
  void Padded9(std::string_view prefix, int64_t v);
  // A decimal(…,2) from its value in hundredths: -12345 -> "-123.45".
  void Cents(int64_t cents);
  // Day number since 1992-01-01 -> "YYYY-MM-DD" (days 0 .. kDateTableDays-1).
  void Date(int day);

  // The raw cursor, for fields assembled piecewise (phone numbers, part names).
  char* Cursor() { return &buf_[used_]; }
  void Advance(size_t n) { used_ += n; }

  size_t size() const { return used_; }
  // Hands the text over; the buffer is empty afterwards.
  std::string Take() {
    buf_.resize(used_);
    used_ = 0;
    return std::move(buf_);
  }

 private:
  std::string buf_;
  size_t used_ = 0;
};

// Number of days covered by the date table (1992-01-01 .. 1999-12-31 and a margin).
inline constexpr int kDateTableDays = 3000;

// "YYYY-MM-DD" of a day number, for tests and small tables.
std::string DateText(int day);

}  // namespace strata::dbgen
