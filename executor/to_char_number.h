// to_char(number, format): PostgreSQL's numeric formatting templates. Digit positions 9 (blank
// when a leading zero) and 0 (always a digit), the decimal point (. or D), group separators
// (, or G, shown once a digit precedes them), FM (no padding, no trailing fraction zeros at 9
// positions), and the signs S (beside the number), MI, PL, SG (at their place) and PR (<n>).
// Without an explicit sign a position is kept for one just before the number, as PostgreSQL
// does. A value with more integer digits than the template has shows # in every digit place.
// Anything else is copied, "quoted text" without its quotes. V, EEEE, RN, TH and L fail with
// 0A000 (L is read by to_number, see Parse).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace strata {

class NumberFormat {
 public:
  // `parsing`: for to_number, where L (a currency symbol, read as '$' or skipped) is allowed.
  explicit NumberFormat(std::string_view format, bool parsing = false);
  const std::string& source() const { return source_; }
  int fraction_digits() const { return frac_positions_; }
  // Renders a value given as its sign and its digits, already rounded to fraction_digits():
  // `integer` without leading zeros ("" for 0), `fraction` exactly fraction_digits() long.
  void Render(bool negative, const std::string& integer, const std::string& fraction, std::string* out) const;
  // to_number(text, format): reads `in` as the template says, leniently as PostgreSQL does —
  // each digit position takes a digit when one is there, the decimal point position starts the
  // fraction (with or without a '.' in the input), group separators, currency signs and literal
  // characters skip their character when present, and a sign is read at S / MI / PL / SG, in
  // <angle brackets> for PR, or before the first digit. False when no digit was read.
  bool Parse(std::string_view in, bool* negative, std::string* integer, std::string* fraction) const;

 private:
  enum class Kind { kDigit9, kDigit0, kPoint, kGroup, kS, kMI, kPL, kSG, kPR, kCurrency, kLiteral };
  struct Token {
    Kind kind;
    std::string text;  // kLiteral
  };
  std::string source_;
  std::vector<Token> tokens_;
  bool fill_mode_ = false;  // FM
  int int_positions_ = 0, frac_positions_ = 0;
  int first_zero_ = -1;            // the first 0 among the integer positions (-1: none)
  bool anchored_sign_ = true;      // the sign goes just before the number (no MI / SG / trailing S)
  bool explicit_sign_ = false;     // S, MI, SG or PR: no default sign position
  bool sign_before_number_ = false;  // S before the digits
};

}  // namespace strata
