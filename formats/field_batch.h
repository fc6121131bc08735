// What every text reader (delimited / CSV, JSON) does once it has split a batch of records into
// field references: parse the fields into typed columns, then settle what could not load the
// same way for every format — without a reject hook the first problem is thrown (with "line L,
// column C" in its detail); with one, the problems are offered to it in report order and the
// rows it skips are dropped from the batch (formats/rejected_rows.h).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "formats/rejected_rows.h"
#include "formats/text_field_parser.h"
#include "sql/error.h"
#include "sql/vector.h"

namespace strata {

// `error` with "line L, column C" put before any detail it had.
SqlError Located(SqlError error, int64_t line, int column);

// Parses every column of a batch's field table (field (r, c) at fields[r * parsers.size() + c])
// into out, appending each bad field to `issues` in column order. With stop_at_first, later
// columns parse only the rows before the first failure found so far.
void ParseFieldColumns(const std::vector<ColumnTextParser>& parsers, const FieldRef* fields, size_t rows,
                       bool stop_at_first, Batch* out, std::vector<FieldFailure>* scratch,
                       std::vector<LoadIssue>* issues);

// Where a record of the batch came from, for its report: its line and its text.
struct RecordOrigin {
  int64_t line;
  std::string raw_line;
};

// A reader's batch state, as ParseFieldBatch reads and settles it.
struct FieldBatch {
  const std::vector<SqlType>& types;
  const std::vector<ColumnTextParser>& parsers;
  const std::vector<FieldRef>& fields;      // row-major, parsers.size() fields per row
  const RejectHook& on_reject;              // empty: the first problem is thrown
  std::vector<FieldFailure>& failures;      // scratch
  std::vector<LoadIssue>& issues;           // the whole-row problems the splitter found, then the fields'
  std::unique_ptr<LoadIssue>& deferred;     // a whole-row problem held back when there is no hook
  std::vector<uint8_t>& skip;               // scratch: the rows the hook skips
};

// Replaces *out with the typed columns of the batch's first `rows` records and settles their
// problems (see the top of this file); returns the rows kept. `origin(row)` describes a record
// whose problem is reported.
size_t ParseFieldBatch(const FieldBatch& batch, size_t rows, const std::function<RecordOrigin(size_t row)>& origin,
                       Batch* out);

}  // namespace strata
