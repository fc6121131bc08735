// The comparison rules of the TPC-H differential test (see result_compare.h).
#include "tests/tpch/result_compare.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string_view>

namespace strata::tpch {
namespace {

std::string_view TrimTrailingBlanks(std::string_view s) {
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// Parses the whole of `text` as a finite number; dates ("1995-03-15") and phone numbers stop
// early and are therefore text.
std::optional<double> ParseNumber(const std::string& text) {
  std::string_view trimmed = TrimTrailingBlanks(text);
  if (trimmed.empty()) return std::nullopt;
  char first = trimmed.front();
  if (!(first == '-' || first == '+' || first == '.' || (first >= '0' && first <= '9'))) {
    return std::nullopt;
  }
  std::string copy(trimmed);
  char* end = nullptr;
  double value = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

bool NumbersMatch(double a, double b) {
  double diff = std::fabs(a - b);
  return diff <= 0.01 || diff <= 1e-9 * std::max(std::fabs(a), std::fabs(b));
}

// A total order used only to bring both sides of an unordered result into the same order:
// NULL first, numbers by value, text by bytes (after trimming).
int CompareValues(const std::optional<std::string>& a, const std::optional<std::string>& b) {
  if (!a.has_value() || !b.has_value()) return a.has_value() - b.has_value();
  std::optional<double> x = ParseNumber(*a);
  std::optional<double> y = ParseNumber(*b);
  if (x.has_value() && y.has_value()) return *x < *y ? -1 : (*x > *y ? 1 : 0);
  if (x.has_value() != y.has_value()) return x.has_value() ? -1 : 1;
  return TrimTrailingBlanks(*a).compare(TrimTrailingBlanks(*b));
}

bool RowLess(const ResultRow& a, const ResultRow& b) {
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    int c = CompareValues(a[i], b[i]);
    if (c != 0) return c < 0;
  }
  return a.size() < b.size();
}

std::string Quote(const std::optional<std::string>& v) {
  if (!v.has_value()) return "NULL";
  std::string_view s = TrimTrailingBlanks(*v);
  if (s.size() > 60) return "'" + std::string(s.substr(0, 57)) + "...'";
  return "'" + std::string(s) + "'";
}

}  // namespace

bool ValuesMatch(const std::optional<std::string>& a, const std::optional<std::string>& b) {
  if (!a.has_value() || !b.has_value()) return a.has_value() == b.has_value();
  if (TrimTrailingBlanks(*a) == TrimTrailingBlanks(*b)) return true;
  std::optional<double> x = ParseNumber(*a);
  std::optional<double> y = ParseNumber(*b);
  return x.has_value() && y.has_value() && NumbersMatch(*x, *y);
}

std::string FormatRow(const ResultRow& row) {
  std::string out = "(";
  for (size_t i = 0; i < row.size(); ++i) {
    if (i > 0) out += ", ";
    out += Quote(row[i]);
  }
  return out + ")";
}

std::optional<std::string> FirstDifference(std::vector<ResultRow> expected,
                                           std::vector<ResultRow> actual, bool ordered) {
  if (!ordered) {
    std::sort(expected.begin(), expected.end(), RowLess);
    std::sort(actual.begin(), actual.end(), RowLess);
  }
  size_t common = std::min(expected.size(), actual.size());
  for (size_t r = 0; r < common; ++r) {
    const ResultRow& e = expected[r];
    const ResultRow& a = actual[r];
    if (e.size() != a.size()) {
      return "column count differs: postgres " + std::to_string(e.size()) + ", strata " +
             std::to_string(a.size());
    }
    for (size_t c = 0; c < e.size(); ++c) {
      if (!ValuesMatch(e[c], a[c])) {
        return std::string(ordered ? "row " : "sorted row ") + std::to_string(r + 1) +
               " column " + std::to_string(c + 1) + ": postgres " + Quote(e[c]) + ", strata " +
               Quote(a[c]) + "\n      postgres " + FormatRow(e) + "\n      strata   " +
               FormatRow(a);
      }
    }
  }
  if (expected.size() != actual.size()) {
    std::string message = "row count differs: postgres " + std::to_string(expected.size()) +
                          ", strata " + std::to_string(actual.size());
    if (expected.size() > common) message += "\n      first missing " + FormatRow(expected[common]);
    if (actual.size() > common) message += "\n      first extra   " + FormatRow(actual[common]);
    return message;
  }
  return std::nullopt;
}

}  // namespace strata::tpch
