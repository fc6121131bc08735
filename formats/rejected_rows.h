// Rejected rows, shared by every reader of COPY (delimited / CSV, JSON): what a reader found
// wrong in a batch (LoadIssue), how it is reported (RejectedRow, to the RejectHook that counts
// MAXERROR and fills stl_load_errors), and the bookkeeping between the two in one place, so
// that every format reports the same way.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sql/error.h"
#include "sql/vector.h"

namespace strata {

// A rejected record. `column` is 1-based: the bad field, the first missing one, or
// columns + 1 for extra data. `error` already carries the "line L, column C" detail.
struct RejectedRow {
  int64_t line_number;
  std::string raw_line;
  int column;
  std::string raw_field;
  SqlError error;
};
// Returns true to skip the row, false to keep it with the bad fields NULL; or throws.
using RejectHook = std::function<bool(const RejectedRow&)>;

// A problem a reader found in a batch, reported to the hook (or thrown) in (row, column) order.
struct LoadIssue {
  uint32_t row;
  bool whole_row;  // field count, quoting, malformed record: the row's other fields are not reported
  int column;      // 1-based
  SqlError error;
};

// Offers a batch's issues to `hook` in (row, column) order, a row's whole-row issue first and
// then none of its field issues, nor any issue of a row the hook has chosen to skip. `describe`
// turns an issue into the report (the reader knows the row's line and text). `skip` is sized to
// `rows` and marks the rows to drop; `issues` is left empty.
void OfferRejectedRows(std::vector<LoadIssue>* issues, size_t rows,
                       const std::function<RejectedRow(LoadIssue&)>& describe, const RejectHook& hook,
                       std::vector<uint8_t>* skip);

// Removes the rows marked in `skip` from the first `rows` of `batch`; returns how many remain.
size_t DropSkippedRows(Batch* batch, const std::vector<uint8_t>& skip, size_t rows);

}  // namespace strata
