// See rejected_rows.h.
#include "formats/rejected_rows.h"

#include <algorithm>

namespace strata {

void OfferRejectedRows(std::vector<LoadIssue>* issues, size_t rows,
                       const std::function<RejectedRow(LoadIssue&)>& describe, const RejectHook& hook,
                       std::vector<uint8_t>* skip) {
  skip->assign(rows, 0);
  std::stable_sort(issues->begin(), issues->end(), [](const LoadIssue& a, const LoadIssue& b) {
    if (a.row != b.row) return a.row < b.row;
    if (a.whole_row != b.whole_row) return a.whole_row;
    return a.column < b.column;
  });
  int64_t whole_row_reported = -1;
  for (LoadIssue& issue : *issues) {
    if ((*skip)[issue.row] || whole_row_reported == issue.row) continue;
    if (issue.whole_row) whole_row_reported = issue.row;
    if (hook(describe(issue))) (*skip)[issue.row] = 1;
  }
  issues->clear();
}

size_t DropSkippedRows(Batch* batch, const std::vector<uint8_t>& skip, size_t rows) {
  size_t kept = 0;
  for (size_t r = 0; r < rows; ++r) kept += skip[r] == 0;
  if (kept == rows) return rows;
  for (Vector& v : batch->columns) {
    uint8_t* nulls = v.nulls();
    DispatchPhysical(v.physical(), [&]<typename T>() {
      T* data = v.data<T>();
      size_t w = 0;
      for (size_t r = 0; r < rows; ++r) {
        if (skip[r]) continue;
        data[w] = data[r];
        nulls[w] = nulls[r];
        ++w;
      }
    });
  }
  batch->SetRows(kept);
  return kept;
}

}  // namespace strata
