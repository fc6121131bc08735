// The one interface every file format implements, so COPY, UNLOAD and (next) the spectrum
// workers read and write files without knowing their format: a RecordReader turns one split of
// one file (bytes from io/) into typed batches, a RecordWriter turns batches into one file's
// bytes. The formats: delimited text and CSV (delimited_reader, text_writer), JSON (json_reader,
// text_writer), Parquet (parquet_reader, parquet_writer). Rows a reader cannot load go to its
// RejectHook (formats/rejected_rows.h), the same for every format.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "formats/delimited_reader.h"
#include "formats/json_reader.h"
#include "formats/parquet_writer.h"
#include "formats/rejected_rows.h"
#include "formats/text_writer.h"
#include "io/byte_source.h"
#include "sql/types.h"
#include "sql/vector.h"

namespace strata {

enum class FileFormat { kDelimited, kJson, kParquet };

// Reads one split of one file as batches of the requested column types.
class RecordReader {
 public:
  virtual ~RecordReader() = default;
  // Replaces *out with the next rows (possibly none); false when the split is done.
  virtual bool Next(Batch* out) = 0;
};

// Writes batches as one file; Finish() writes what is buffered (a Parquet footer, the last
// text) and finishes the sink.
class RecordWriter {
 public:
  virtual ~RecordWriter() = default;
  virtual void Write(const Batch& batch) = 0;
  virtual void Finish() = 0;
};

struct RecordReaderOptions {
  FileFormat format = FileFormat::kDelimited;
  DelimitedOptions delimited;             // kDelimited
  JsonOptions json;                       // kJson
  std::vector<std::string> column_names;  // kJson: the names fields are matched by
  std::string file_name;                  // for error messages
};

// A split is [begin, end) in the format's unit: bytes for delimited text (records that start
// in it; end -1 = to the end of the file), row groups for Parquet (end -1 = all), and the whole
// file for JSON. Parquet columns are read by position; a file with another column count is
// 22P04.
std::unique_ptr<RecordReader> OpenRecordReader(std::unique_ptr<ByteSource> source, int64_t begin, int64_t end,
                                               const std::vector<SqlType>& types, const RecordReaderOptions& options,
                                               RejectHook on_reject);

struct RecordWriterOptions {
  FileFormat format = FileFormat::kDelimited;
  TextWriterOptions text;        // kDelimited and kJson (text.format says which text form)
  ParquetWriteOptions parquet;   // kParquet
};

std::unique_ptr<RecordWriter> OpenRecordWriter(ByteSink* sink, const std::vector<std::string>& names,
                                               const std::vector<SqlType>& types, const RecordWriterOptions& options);

}  // namespace strata
