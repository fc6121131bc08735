// See field_batch.h.
#include "formats/field_batch.h"

namespace strata {

SqlError Located(SqlError error, int64_t line, int column) {
  std::string detail = StrCat("line ", line, ", column ", column);
  if (!error.detail().empty()) detail += StrCat(": ", error.detail());
  error.WithDetail(std::move(detail));
  return error;
}

void ParseFieldColumns(const std::vector<ColumnTextParser>& parsers, const FieldRef* fields, size_t rows,
                       bool stop_at_first, Batch* out, std::vector<FieldFailure>* scratch,
                       std::vector<LoadIssue>* issues) {
  const size_t ncols = parsers.size();
  size_t limit = rows;  // stopping at the first bad row: later columns parse only the rows before it
  for (size_t c = 0; c < ncols; ++c) {
    scratch->clear();
    parsers[c].Parse(&fields[c], ncols, limit, &out->columns[c], stop_at_first, scratch);
    for (FieldFailure& f : *scratch) {
      if (stop_at_first) limit = f.row;
      issues->push_back({f.row, false, static_cast<int>(c) + 1, std::move(f.error)});
    }
  }
}

size_t ParseFieldBatch(const FieldBatch& b, size_t rows, const std::function<RecordOrigin(size_t row)>& origin,
                       Batch* out) {
  *out = Batch(b.types);
  out->SetRows(rows);
  const bool hook = b.on_reject != nullptr;
  ParseFieldColumns(b.parsers, b.fields.data(), rows, !hook, out, &b.failures, &b.issues);
  if (!hook) {
    // Later columns only looked at rows before an earlier failure, so the last one is first.
    LoadIssue* first = !b.issues.empty() ? &b.issues.back() : b.deferred.get();
    if (first != nullptr) throw Located(std::move(first->error), origin(first->row).line, first->column);
    return rows;
  }
  if (b.issues.empty()) return rows;
  const size_t ncols = b.parsers.size();
  OfferRejectedRows(&b.issues, rows, [&](LoadIssue& issue) {
    RecordOrigin from = origin(issue.row);
    std::string raw_field;
    if (!issue.whole_row) {
      const FieldRef& f = b.fields[issue.row * ncols + issue.column - 1];
      if (f.data != nullptr) raw_field.assign(f.data, f.size);
    }
    return RejectedRow{from.line, std::move(from.raw_line), issue.column, std::move(raw_field),
                       Located(std::move(issue.error), from.line, issue.column)};
  }, b.on_reject, &b.skip);
  return DropSkippedRows(out, b.skip, rows);
}

}  // namespace strata
