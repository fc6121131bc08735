// Result rendering and comparison for statement, error and query records.
#include "result_check.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <regex>

namespace strata::sqltest {
namespace {

constexpr size_t kMaxRowsShown = 40;

std::string DescribeUnexpected(const SqlOutcome& outcome) {
  switch (outcome.status) {
    case OutcomeStatus::kError:
      return "ERROR " + outcome.sqlstate + ": " + outcome.message;
    case OutcomeStatus::kTimeout:
      return "TIMEOUT: " + outcome.message;
    case OutcomeStatus::kConnectionLost:
      return "CONNECTION LOST: " + outcome.message;
    case OutcomeStatus::kOk:
      return "success";
  }
  return "?";
}

std::string ShowRows(const std::vector<std::string>& rows) {
  std::string out;
  for (size_t i = 0; i < rows.size() && i < kMaxRowsShown; ++i) out += "      " + rows[i] + "\n";
  if (rows.size() > kMaxRowsShown) {
    out += "      ... (" + std::to_string(rows.size() - kMaxRowsShown) + " more rows)\n";
  }
  if (rows.empty()) out += "      (no rows)\n";
  return out;
}

std::optional<std::string> CheckError(const Record& record, const SqlOutcome& outcome) {
  if (outcome.status != OutcomeStatus::kError) {
    return "expected: ERROR " + (record.sqlstate.empty() ? std::string("(any)") : record.sqlstate) +
           "\n  actual:   " + DescribeUnexpected(outcome);
  }
  if (!record.sqlstate.empty() && record.sqlstate != outcome.sqlstate) {
    return "expected: ERROR " + record.sqlstate + "\n  actual:   " + DescribeUnexpected(outcome);
  }
  if (!record.message_regex.empty()) {
    bool matched = false;
    try {
      matched = std::regex_search(outcome.message, std::regex(record.message_regex));
    } catch (const std::regex_error&) {
      return "invalid message regex: " + record.message_regex;
    }
    if (!matched) {
      return "expected: ERROR message matching /" + record.message_regex +
             "/\n  actual:   " + DescribeUnexpected(outcome);
    }
  }
  return std::nullopt;
}

std::optional<std::string> CheckQuery(const Record& record, const SqlOutcome& outcome) {
  if (outcome.status != OutcomeStatus::kOk) {
    return "expected: rows\n  actual:   " + DescribeUnexpected(outcome);
  }
  if (outcome.column_count != static_cast<int>(record.column_types.size())) {
    return "expected " + std::to_string(record.column_types.size()) + " columns (" +
           record.column_types + "), got " + std::to_string(outcome.column_count);
  }
  std::vector<std::string> actual = FormatRows(outcome, record.column_types);
  std::vector<std::string> expected = record.expected_rows;
  if (record.sort == SortMode::kRowSort) {
    std::sort(actual.begin(), actual.end());
    std::sort(expected.begin(), expected.end());
  }
  if (record.sort == SortMode::kPrefix && actual.size() > expected.size()) actual.resize(expected.size());
  if (actual == expected) return std::nullopt;
  std::string out = "rows differ";
  for (size_t i = 0; i < std::min(actual.size(), expected.size()); ++i) {
    if (actual[i] != expected[i]) {
      out += " (first difference at row " + std::to_string(i + 1) + ")";
      break;
    }
  }
  if (actual.size() != expected.size()) {
    out += " (" + std::to_string(expected.size()) + " expected, " + std::to_string(actual.size()) +
           " actual)";
  }
  return out + "\n  expected:\n" + ShowRows(expected) + "  actual:\n" + ShowRows(actual);
}

}  // namespace

std::string FormatValue(const std::optional<std::string>& value, char type) {
  if (!value.has_value()) return "NULL";
  if (value->empty()) return "(empty)";
  if (type != 'R') return *value;
  char* end = nullptr;
  double number = std::strtod(value->c_str(), &end);
  if (end == value->c_str() || *end != '\0' || !std::isfinite(number)) return *value;
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.3f", number);
  std::string text = buffer;
  if (text == "-0.000") text = "0.000";
  return text;
}

std::vector<std::string> FormatRows(const SqlOutcome& outcome, const std::string& column_types) {
  std::vector<std::string> rows;
  rows.reserve(outcome.rows.size());
  for (const auto& row : outcome.rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      if (c > 0) line += '\t';
      char type = c < column_types.size() ? column_types[c] : 'T';
      line += FormatValue(row[c], type);
    }
    rows.push_back(std::move(line));
  }
  return rows;
}

std::optional<std::string> CheckOutcome(const Record& record, const SqlOutcome& outcome) {
  switch (record.kind) {
    case RecordKind::kStatementOk:
      if (outcome.status == OutcomeStatus::kOk) return std::nullopt;
      return "expected: success\n  actual:   " + DescribeUnexpected(outcome);
    case RecordKind::kError:
      return CheckError(record, outcome);
    case RecordKind::kQuery:
      return CheckQuery(record, outcome);
    case RecordKind::kRestart:
    case RecordKind::kHalt:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace strata::sqltest
