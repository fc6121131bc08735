// The delimited-text reader behind COPY: turns one byte range of a text or CSV file into typed
// column batches, so that every slice of every compute node loads its own part of a file.
//
// How it works. The file is read with large pread()s (4 MB) into one buffer that the records
// are split in place from: memchr finds the newline and then each delimiter, and a batch of up
// to kBatchSize records becomes a table of field references (pointer, length) into the buffer.
// Each column is then parsed for the whole batch by a ColumnTextParser (type switch hoisted
// out of the row loop, fast paths, no per-row allocation; strings are copied into the
// vector's heap). A batch never straddles a buffer refill, so the references stay valid; a
// record that crosses the end of the buffer ends the batch early, and the next call moves the
// partial record to the front and reads on.
//
// Ranges. A reader reads the records that START in [begin, end): a range that starts mid-line
// skips to the next line start, and its last line may run past `end`. Ranges that tile a file
// therefore read every line exactly once. (In CSV a quoted field may contain newlines; a range
// boundary inside such a field cannot be detected, so files with embedded newlines must be read
// as one range.)
//
// Errors. Line numbers count from 1 at the start of the file; a range not starting at 0 counts
// the newlines before it only when it first needs a line number (an error, or IGNOREHEADER).
// A bad field raises ParseValueText's error (22P02, 22001, 22003, 22007, 22008) with the detail
// "line L, column C"; a wrong field count raises 22P04 bad_copy_file_format; a missing file
// 58030. With a RejectHook, every such error is offered to the hook in line order instead: it
// may record it and return true (the row is skipped), return false (the row is kept, the bad
// fields as NULL, missing fields NULL, extra fields dropped) or throw (e.g. past MAXERROR).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "io/byte_source.h"
#include "sql/error.h"
#include "sql/types.h"
#include "sql/vector.h"
#include "formats/rejected_rows.h"
#include "formats/text_field_parser.h"

namespace strata {

struct DelimitedOptions {
  char delimiter = '|';
  std::string null_as = "\\N";      // an unquoted field equal to this is NULL (Redshift's default)
  bool csv = false;                 // RFC 4180 quoting: quote '"', doubled quotes inside quotes
  char quote = '"';
  int64_t ignore_header = 0;        // lines to skip at the start of the file (IGNOREHEADER)
  bool empty_as_null = false;       // EMPTYASNULL, for CHAR/VARCHAR/TEXT
  bool blanks_as_null = false;      // BLANKSASNULL, for CHAR/VARCHAR/TEXT
  bool trim_blanks = false;         // TRIMBLANKS, for VARCHAR/TEXT
  bool allow_trailing_delimiter = true;  // "a|b|" with 2 columns (dbgen's .tbl files)
  bool escape = false;              // backslash escapes (Redshift ESCAPE; PostgreSQL text format)
  bool truncate_columns = false;    // TRUNCATECOLUMNS
  bool fill_record = false;         // FILLRECORD: missing trailing columns load as NULL
  bool ignore_blank_lines = false;  // IGNOREBLANKLINES: empty lines are skipped
  bool pg_escapes = false;          // with escape: \t \n \r \b \f \v mean control characters
};

class DelimitedReader {
 public:
  // Reads the records of `source` starting in [begin, end) (end = -1: to the end) as columns of
  // `types`. A source of unknown size (decompressing) must be read whole (begin 0, end -1).
  DelimitedReader(std::unique_ptr<ByteSource> source, int64_t begin, int64_t end, std::vector<SqlType> types,
                  DelimitedOptions options, RejectHook on_reject = nullptr);
  // The same over a local file (58P01 / 58030 if it cannot be read).
  DelimitedReader(std::string path, int64_t begin, int64_t end, std::vector<SqlType> types,
                  DelimitedOptions options, RejectHook on_reject = nullptr);
  ~DelimitedReader();
  DelimitedReader(const DelimitedReader&) = delete;
  DelimitedReader& operator=(const DelimitedReader&) = delete;

  // Replaces *out with the next batch of up to kBatchSize rows; false at the end of the range.
  // Batches may be shorter than kBatchSize before the end (at buffer refills, rejected rows).
  bool Next(Batch* out);

  // Rows delivered so far, and bytes of the file consumed (from the first record of the range).
  int64_t rows_read() const { return rows_read_; }
  int64_t bytes_read() const { return consumed_offset_ - first_record_offset_; }

 private:
  // kError: a whole-row error without a hook; the batch ends before that row.
  enum class Split { kRow, kSkip, kNeedMore, kEnd, kError };
  // One record of the batch being built: where its raw text is and its line (range-relative).
  struct RowInfo {
    const char* raw;
    uint32_t raw_size;
    int64_t line;
  };
  using Issue = LoadIssue;

  void Refill();
  void SeekFirstRecord();
  Split SplitRecord(size_t row);
  Split SplitQuotedRecord(size_t row, const char* start);
  Split SplitEscapedRecord(size_t row, const char* start);
  // Records where record `row` lies (start, up to record_end) and moves past it: reading goes on
  // at `next`, its field bytes end at `scratch_end`, and it spanned 1 + embedded_newlines lines.
  void EndRecord(size_t row, const char* start, const char* record_end, const char* next, char* scratch_end,
                 int64_t embedded_newlines);
  // Checks the field count of the record just split; records an Issue when it is wrong.
  bool CheckFieldCount(size_t row, int count, bool last_field_empty);
  void AddRowIssue(size_t row, int column, SqlError error);
  size_t ParseBatch(size_t rows, Batch* out);
  int64_t BaseLine();
  int64_t CountNewlinesBefore(int64_t offset, int64_t stop_after);

  std::unique_ptr<ByteSource> source_;
  int64_t begin_;
  int64_t end_;
  std::vector<SqlType> types_;
  DelimitedOptions options_;
  RejectHook on_reject_;
  std::vector<ColumnTextParser> parsers_;
  int ncols_;

  // The read buffer: bytes [0, filled_) are file bytes from buffer_offset_; pos_ is the next
  // unsplit byte. scratch_ holds unquoted CSV fields of the current batch (never larger than
  // the buffer, so it never moves during a batch).
  std::unique_ptr<char[]> buffer_;
  std::unique_ptr<char[]> scratch_;
  size_t capacity_ = 0;
  size_t filled_ = 0;
  size_t pos_ = 0;
  size_t scratch_used_ = 0;
  int64_t buffer_offset_ = 0;
  bool eof_ = false;
  bool started_ = false;
  bool done_ = false;

  std::vector<FieldRef> fields_;  // kBatchSize * ncols_
  std::vector<RowInfo> rows_;
  std::vector<Issue> issues_;
  std::vector<FieldFailure> failures_;
  std::vector<uint8_t> skip_row_;
  std::unique_ptr<Issue> deferred_;  // a whole-row error without a hook, thrown after the batch

  int64_t first_record_offset_ = 0;
  int64_t consumed_offset_ = 0;
  int64_t next_line_ = 0;       // range-relative line index of the next record
  int64_t header_left_ = 0;     // header lines still to skip
  int64_t base_line_ = -1;      // line number of the first line of the range, once known
  int64_t rows_read_ = 0;
};


// Splits a file of `size` bytes into about `parts` contiguous ranges that tile [0, size), each
// at least ~8 MB unless the file is smaller (then fewer ranges; always at least one).
std::vector<std::pair<int64_t, int64_t>> SplitRanges(int64_t size, int parts);

}  // namespace strata
