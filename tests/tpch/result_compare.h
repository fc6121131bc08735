// Comparing one query's answer from PostgreSQL (the oracle) with Strata's: the rules of the
// TPC-H differential test. Values arrive as text (libpq's text format), so a value is a number
// when its whole text parses as one; numbers match within 0.01 absolute or 1e-9 relative
// (PostgreSQL's numeric averages carry 16 digits, other engines round differently), text matches
// after trailing blanks are trimmed (CHAR(n) padding), NULL matches only NULL. Rows are
// compared in order when the query has ORDER BY, otherwise as sorted multisets.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace strata::tpch {

using ResultRow = std::vector<std::optional<std::string>>;

// True when `a` and `b` are the same value under the rules above.
bool ValuesMatch(const std::optional<std::string>& a, const std::optional<std::string>& b);

// Returns a description of the first difference between `expected` (PostgreSQL) and `actual`
// (Strata), or nullopt when they match. `ordered` selects positional comparison; otherwise both
// sides are sorted with a number-aware order first.
std::optional<std::string> FirstDifference(std::vector<ResultRow> expected,
                                           std::vector<ResultRow> actual, bool ordered);

// One row as `(a, b, NULL)` for messages, each value cut to a readable length.
std::string FormatRow(const ResultRow& row);

}  // namespace strata::tpch
