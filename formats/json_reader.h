// The JSON reader behind COPY ... FORMAT JSON: turns a stream of JSON records (one object per
// line, or objects spanning or sharing lines) into typed column batches.
//
// How it works. The source is read in large chunks into one buffer (with simdjson's padding
// after it). json_record_splitter finds each record's bytes; simdjson's On Demand parser then
// walks the record once. In 'auto' mode every member is visited: a key naming a target column
// (exactly, or ignoring ASCII case with 'auto ignorecase') yields that column's field, any
// other member is only validated. With jsonpaths each column's path is looked up from the root
// (a missing member or element is NULL) after the record has been validated as a whole.
// A field is the text of the value: a string unescaped, a number's own token (so DECIMAL and
// BIGINT values load exactly, never through a double), true/false, and an object or array as
// its minified JSON text (only into CHAR/VARCHAR/TEXT). JSON null and absent keys are NULL.
// Each batch of fields is then parsed per column by ColumnTextParser, with the text rules COPY
// uses for delimited files (EMPTYASNULL, BLANKSASNULL, TRIMBLANKS, TRUNCATECOLUMNS; NULL AS does not apply).
//
// Errors. A record that is not valid JSON (or not an object in 'auto' mode) raises 22P02
// "invalid JSON ..." for the record; a bad value raises ParseValueText's error. The detail
// names "line L, column C": L is the line the record starts on (the record number for
// NDJSON), C the 1-based column, or 0 for the whole record. With a RejectHook each error is
// offered to the hook in record order instead (RejectedRow.raw_line is the record's text, cut
// at 1024 bytes): true skips the record, false keeps it with the bad fields NULL (a malformed
// record then loads as all NULL).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "formats/json_path.h"
#include "io/byte_source.h"
#include "sql/types.h"
#include "sql/vector.h"
#include "formats/delimited_reader.h"

namespace strata {

enum class JsonMode {
  kAuto,            // keys match the (lowercase) column names exactly
  kAutoIgnoreCase,  // keys match the column names ignoring ASCII case
  kPaths,           // JsonOptions::paths, one per column
};

struct JsonOptions {
  JsonMode mode = JsonMode::kAuto;
  std::vector<JsonPath> paths;  // kPaths only
  bool empty_as_null = false;   // EMPTYASNULL, for CHAR/VARCHAR/TEXT
  bool blanks_as_null = false;  // BLANKSASNULL, for CHAR/VARCHAR/TEXT
  bool trim_blanks = false;     // TRIMBLANKS, for VARCHAR/TEXT
  bool truncate_columns = false;  // TRUNCATECOLUMNS: cut CHAR/VARCHAR values to their length
};

class JsonReader {
 public:
  // Reads all of `source` as columns `column_names` of `types`. Throws 22023 when kPaths is
  // given a different number of paths than columns. The source must outlive the reader.
  JsonReader(ByteSource* source, std::vector<std::string> column_names, std::vector<SqlType> types,
             JsonOptions options, RejectHook on_reject = nullptr);
  ~JsonReader();
  JsonReader(const JsonReader&) = delete;
  JsonReader& operator=(const JsonReader&) = delete;

  // Replaces *out with the next batch of up to kBatchSize rows; false at the end of the source.
  bool Next(Batch* out);

  // Rows delivered so far, and bytes of the source consumed.
  int64_t rows_read() const { return rows_read_; }
  int64_t bytes_read() const { return consumed_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int64_t rows_read_ = 0;
  int64_t consumed_ = 0;
};

}  // namespace strata
