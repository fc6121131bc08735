// PostgreSQL's numeric to_char templates (see to_char_number.h).
#include "executor/to_char_number.h"

#include <cctype>

#include "sql/error.h"

namespace strata {

namespace {

bool StartsWithWord(std::string_view s, size_t i, std::string_view word) {
  if (i + word.size() > s.size()) return false;
  for (size_t k = 0; k < word.size(); ++k) {
    if (std::toupper(static_cast<unsigned char>(s[i + k])) != word[k]) return false;
  }
  return true;
}

}  // namespace

NumberFormat::NumberFormat(std::string_view format, bool parsing) : source_(format) {
  bool seen_point = false, seen_digit = false;
  for (size_t i = 0; i < format.size();) {
    char c = format[i];
    auto add = [&](Kind k, size_t len) {
      tokens_.push_back({k, ""});
      i += len;
    };
    if (c == '9' || c == '0') {
      if (seen_point) {
        ++frac_positions_;
      } else {
        if (c == '0' && first_zero_ < 0) first_zero_ = int_positions_;
        ++int_positions_;
      }
      seen_digit = true;
      add(c == '9' ? Kind::kDigit9 : Kind::kDigit0, 1);
    } else if ((c == '.' || c == 'D' || c == 'd') && !seen_point) {
      seen_point = true;
      add(Kind::kPoint, 1);
    } else if (c == ',' || c == 'G' || c == 'g') {
      add(Kind::kGroup, 1);
    } else if (StartsWithWord(format, i, "FM")) {
      fill_mode_ = true;
      i += 2;
    } else if (StartsWithWord(format, i, "MI")) {
      explicit_sign_ = true;
      add(Kind::kMI, 2);
    } else if (StartsWithWord(format, i, "PL")) {
      add(Kind::kPL, 2);
    } else if (StartsWithWord(format, i, "SG")) {
      explicit_sign_ = true;
      add(Kind::kSG, 2);
    } else if (StartsWithWord(format, i, "PR")) {
      explicit_sign_ = true;
      add(Kind::kPR, 2);
    } else if (c == 'S' || c == 's') {
      explicit_sign_ = true;
      sign_before_number_ = !seen_digit;
      add(Kind::kS, 1);
    } else if (parsing && (c == 'L' || c == 'l' || c == '$')) {
      add(Kind::kCurrency, 1);
    } else if (c == 'V' || c == 'v' || c == 'L' || c == 'l' || StartsWithWord(format, i, "EEEE") || StartsWithWord(format, i, "RN") ||
               StartsWithWord(format, i, "TH")) {
      throw SqlError(sqlstate::kFeatureNotSupported,
                     StrCat("to_char number template pattern \"", std::string(1, c), "\" (V, L, EEEE, RN, TH) is not supported yet"));
    } else if (c == '"') {
      size_t end = format.find('"', i + 1);
      if (end == std::string_view::npos) end = format.size();
      tokens_.push_back({Kind::kLiteral, std::string(format.substr(i + 1, end - i - 1))});
      i = end + 1;
    } else if (c == '\\' && i + 1 < format.size()) {
      tokens_.push_back({Kind::kLiteral, std::string(1, format[i + 1])});
      i += 2;
    } else {
      tokens_.push_back({Kind::kLiteral, std::string(1, c)});
      ++i;
    }
  }
  anchored_sign_ = !explicit_sign_ || sign_before_number_;
  for (const Token& t : tokens_) {
    if (t.kind == Kind::kPR) anchored_sign_ = true;
  }
}

void NumberFormat::Render(bool negative, const std::string& integer, const std::string& fraction, std::string* out) const {
  out->clear();
  const int len = static_cast<int>(integer.size());
  const bool overflow = len > int_positions_;
  // A zero integer part shows its units 0 when nothing else would show: no fraction places, or
  // in FM mode a zero fraction.
  const bool units_zero =
      len == 0 && (frac_positions_ == 0 || (fill_mode_ && fraction.find_first_not_of('0') == std::string::npos));
  // FM drops trailing zeros at 9 fraction places: those after the last place to keep.
  int keep_frac = frac_positions_;
  if (fill_mode_ && !overflow) {
    int j = 0, last = -1;
    for (const Token& t : tokens_) {
      if (t.kind != Kind::kDigit9 && t.kind != Kind::kDigit0) continue;
      if (j >= int_positions_) {
        int f = j - int_positions_;
        if (t.kind == Kind::kDigit0 || fraction[f] != '0') last = f;
      }
      ++j;
    }
    keep_frac = last + 1;
  }
  size_t number_at = std::string::npos;  // where the number's first shown character is
  size_t number_end = 0;
  bool started = false;
  int k = 0;  // digit positions so far
  auto mark = [&] {
    if (number_at == std::string::npos) number_at = out->size();
  };
  for (const Token& t : tokens_) {
    switch (t.kind) {
      case Kind::kDigit9: case Kind::kDigit0: {
        if (k < int_positions_) {
          int d = int_positions_ - 1 - k;  // place from the right
          bool shown = overflow || d < len || (first_zero_ >= 0 && k >= first_zero_) || (d == 0 && units_zero);
          if (shown) {
            mark();
            out->push_back(overflow ? '#' : d < len ? integer[len - 1 - d] : '0');
            started = true;
            number_end = out->size();
          } else if (!fill_mode_) {
            out->push_back(' ');
          }
        } else {
          int f = k - int_positions_;
          if (f < keep_frac) {
            mark();
            out->push_back(overflow ? '#' : fraction[f]);
            number_end = out->size();
          }
        }
        ++k;
        break;
      }
      case Kind::kPoint:
        if (frac_positions_ > 0) {
          mark();
          out->push_back('.');
          number_end = out->size();
        }
        break;
      case Kind::kGroup:
        if (started) {
          out->push_back(',');
          number_end = out->size();
        } else if (!fill_mode_) {
          out->push_back(' ');
        }
        break;
      case Kind::kS:
        if (!sign_before_number_) out->push_back(negative ? '-' : '+');
        break;
      case Kind::kMI:
        if (negative) out->push_back('-');
        else if (!fill_mode_) out->push_back(' ');
        break;
      case Kind::kSG: out->push_back(negative ? '-' : '+'); break;
      case Kind::kPL:
        if (!negative) out->push_back('+');
        else if (!fill_mode_) out->push_back(' ');
        break;
      case Kind::kPR: break;  // placed around the number below
      case Kind::kLiteral: out->append(t.text); break;
    }
  }
  bool pr = false;
  for (const Token& t : tokens_) pr = pr || t.kind == Kind::kPR;
  if (!anchored_sign_) return;
  if (number_at == std::string::npos) number_at = number_end = out->size();
  std::string before;
  if (pr) {
    before = negative ? "<" : fill_mode_ ? "" : " ";
    std::string after = negative ? ">" : fill_mode_ ? "" : " ";
    out->insert(number_end, after);
  } else if (sign_before_number_) {
    before = negative ? "-" : "+";
  } else {
    before = negative ? "-" : fill_mode_ ? "" : " ";
  }
  out->insert(number_at, before);
}

}  // namespace strata

namespace strata {

bool NumberFormat::Parse(std::string_view in, bool* negative, std::string* integer, std::string* fraction) const {
  size_t i = 0;
  const size_t n = in.size();
  bool neg = false, point = false, any = false;
  auto digit = [&](size_t k) { return k < n && in[k] >= '0' && in[k] <= '9'; };
  while (i < n && in[i] == ' ') ++i;
  bool pr = false, sign_first = false, digits_seen = false;
  for (const Token& t : tokens_) {
    if (t.kind == Kind::kPR) pr = true;
    if (t.kind == Kind::kDigit9 || t.kind == Kind::kDigit0) digits_seen = true;
    if (!digits_seen && (t.kind == Kind::kS || t.kind == Kind::kMI || t.kind == Kind::kPL || t.kind == Kind::kSG)) sign_first = true;
  }
  if (pr && i < n && in[i] == '<') {
    neg = true;
    ++i;
  }
  if (!sign_first && i < n && (in[i] == '-' || in[i] == '+')) {
    neg = in[i] == '-';
    ++i;
  }
  for (const Token& t : tokens_) {
    switch (t.kind) {
      case Kind::kDigit9:
      case Kind::kDigit0:
        if (!any) while (i < n && in[i] == ' ') ++i;
        if (digit(i)) {
          (point ? fraction : integer)->push_back(in[i++]);
          any = true;
        }
        break;
      case Kind::kPoint:
        point = true;
        if (i < n && in[i] == '.') ++i;
        break;
      case Kind::kGroup:
        if (i < n && in[i] == ',') ++i;
        break;
      case Kind::kS: case Kind::kMI: case Kind::kPL: case Kind::kSG:
        while (i < n && in[i] == ' ') ++i;
        if (i < n && (in[i] == '-' || in[i] == '+')) neg = in[i++] == '-' || neg;
        break;
      case Kind::kPR:
        if (i < n && in[i] == '>') ++i;
        break;
      case Kind::kCurrency:
        while (i < n && in[i] == ' ') ++i;
        if (i < n && in[i] == '$') ++i;
        break;
      case Kind::kLiteral:
        for (size_t k = 0; k < t.text.size() && i < n && !digit(i); ++k) ++i;
        break;
    }
  }
  *negative = neg;
  return any;
}

}  // namespace strata
