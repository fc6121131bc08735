// The records of one sqllogictest file (the format is documented in sqltest_main.cpp) and the
// parser that reads them. Parsing is separate from running so that a malformed file fails with
// its own file:line before any SQL is sent.
#pragma once

#include <string>
#include <vector>

namespace strata::sqltest {

enum class RecordKind {
  kStatementOk,  // the SQL must succeed
  kError,        // `statement error` / `query error`: the SQL must fail
  kQuery,        // the SQL must return exactly the expected rows
  kRestart,      // kill -9 the cluster, start it again on the same data, reconnect
  kHalt,         // stop reading this file
};

// kPrefix: the rows must begin with the expected ones; what follows is not compared
// (EXPLAIN ANALYZE, whose last lines hold times).
enum class SortMode { kNoSort, kRowSort, kPrefix };

struct Record {
  RecordKind kind = RecordKind::kStatementOk;
  int line = 0;                // 1-based line of the record's header
  std::string sql;             // lines joined with '\n'
  std::string sqlstate;        // kError: the expected SQLSTATE, empty = any
  std::string message_regex;   // kError: searched for in the error message, empty = any
  std::string column_types;    // kQuery: one letter per column (I, T, R)
  SortMode sort = SortMode::kNoSort;
  std::vector<std::string> expected_rows;  // kQuery: columns joined by '\t'
};

struct TestFile {
  std::string path;
  std::vector<Record> records;
};

// Parses `text` (the contents of `path`). Throws std::runtime_error("path:line: why") on a
// malformed record.
TestFile ParseTestFile(const std::string& path, const std::string& text);

// Reads and parses the file at `path`; throws std::runtime_error when it cannot be read.
TestFile LoadTestFile(const std::string& path);

}  // namespace strata::sqltest
