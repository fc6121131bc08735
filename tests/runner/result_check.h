// Comparing what the server answered with what a record expects, and describing a mismatch.
// Values are rendered the sqllogictest way: NULL as `NULL`, the empty string as `(empty)`,
// R columns with three digits after the point, I and T exactly as the server sent them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "connection.h"
#include "test_file.h"

namespace strata::sqltest {

// Renders one value for a column of type letter `type` ('I', 'T' or 'R').
std::string FormatValue(const std::optional<std::string>& value, char type);

// Renders the outcome's rows, one string per row with the columns joined by '\t'.
std::vector<std::string> FormatRows(const SqlOutcome& outcome, const std::string& column_types);

// Returns nullopt when `outcome` satisfies `record`, otherwise a multi-line explanation
// (without the file:line and SQL, which the caller prints).
std::optional<std::string> CheckOutcome(const Record& record, const SqlOutcome& outcome);

}  // namespace strata::sqltest
