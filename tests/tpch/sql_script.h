// SQL files of the TPC-H suite (schemas and queries) cut into single statements, so that each
// is sent, timed and reported on its own (Q15's view form is three statements run in order).
#pragma once

#include <string>
#include <vector>

namespace strata::tpch {

// Reads a whole file; throws std::runtime_error when it cannot be read.
std::string ReadTextFile(const std::string& path);

// Splits `text` at semicolons outside quotes and comments; `--` comments are dropped, empty
// statements skipped, surrounding whitespace trimmed.
std::vector<std::string> SplitStatements(const std::string& text);

// True when the statement's outermost level has an ORDER BY (parentheses are skipped), i.e.
// when its row order is part of the answer.
bool HasTopLevelOrderBy(const std::string& statement);

// True for statements that return rows (SELECT / WITH / VALUES).
bool ReturnsRows(const std::string& statement);

}  // namespace strata::tpch
