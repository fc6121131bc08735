// Writing result batches as text files: the formats UNLOAD writes and COPY ... TO STDOUT sends.
//
//   kText    Redshift's delimited text ('|' by default). NULL is written as `null_as` (empty by
//            default, as UNLOAD does). With `escape` (UNLOAD's ESCAPE), a backslash goes before
//            each linefeed, carriage return, delimiter and backslash of CHAR/VARCHAR/TEXT values
//            (and before '"' and '\'' when `add_quotes` is on too); the escaped byte itself
//            follows, so "a|b" becomes a\|b. With `add_quotes` (ADDQUOTES), every non-NULL
//            field is enclosed in double quotes.
//   kPgText  PostgreSQL's COPY TO text format: tab-delimited, NULL as \N, and backslash
//            sequences \b \f \n \r \t \v \\ for control bytes and backslashes, backslash +
//            delimiter for the delimiter: "a<TAB>b" becomes a\tb.
//   kCsv     RFC 4180: a field is quoted when it contains the delimiter, the quote, CR or LF
//            (or equals `null_as`, so that an empty string stays distinct from NULL), with
//            quotes inside doubled: say "hi" becomes "say ""hi""". NULL is unquoted `null_as`.
//   kJson    JSON lines, one object per row: {"id":1,"name":"x","price":2.50}. Numbers and
//            booleans are unquoted (NaN and infinities are strings), everything else is a JSON
//            string. A NULL column is left out of its object, as UNLOAD does.
//
// Values take their PostgreSQL text form (sql/value_text.h). A batch is formatted a column at
// a time (one type switch per column, typed loops) into per-column text, and then row by row
// into the output line, escaping only when a value holds a byte that needs it. Output goes to
// the sink in pieces of about 1 MB.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/byte_source.h"
#include "sql/vector.h"

namespace strata {

struct TextWriterOptions {
  enum class Format { kText, kPgText, kCsv, kJson };
  Format format = Format::kText;
  char delimiter = '|';
  bool header = false;       // a first line with the column names (not for kJson)
  std::string null_as;       // kText / kCsv; kPgText uses it too ("\\N" from PgText())
  bool add_quotes = false;   // kText: ADDQUOTES
  bool escape = false;       // kText: ESCAPE
  char quote = '"';          // kCsv

  // The usual settings of each format.
  static TextWriterOptions Text(char delimiter = '|');
  static TextWriterOptions PgText();
  static TextWriterOptions Csv(char delimiter = ',');
  static TextWriterOptions Json();
};

class TextWriter {
 public:
  // `names` are the column names, for the header line and the JSON keys. The sink must
  // outlive the writer.
  TextWriter(ByteSink* sink, std::vector<std::string> names, TextWriterOptions options);

  // Appends the batch's rows (its columns in `names` order).
  void Write(const Batch& batch);
  // Hands everything buffered to the sink (without finishing it).
  void Flush();
  // Flush() and then sink->Finish(); writes the header if no batch came.
  void Finish();

  int64_t rows_written() const { return rows_written_; }

 private:
  using Format = TextWriterOptions::Format;
  // What a byte of a value needs in the output, per format.
  enum class ByteAction : uint8_t { kCopy, kEscape, kQuote };

  void WriteHeader();
  // Formats rows [0, rows) of one column into texts_[c] / ends_[c].
  void FormatColumn(const Vector& v, size_t rows, size_t c);
  // Appends one non-NULL value as this format writes it.
  void AppendField(std::string_view text, bool escape_it, bool json_quoted);
  void AppendJsonString(std::string_view text);

  ByteSink* sink_;
  std::vector<std::string> names_;
  TextWriterOptions options_;
  ByteAction actions_[256];
  std::vector<std::string> json_keys_;  // "\"name\":" per column
  bool header_done_ = false;
  int64_t rows_written_ = 0;

  std::vector<std::string> texts_;          // per column: the batch's values, back to back
  std::vector<std::vector<uint32_t>> ends_;  // per column: end offset of each row's text
  std::string out_;
};

}  // namespace strata
