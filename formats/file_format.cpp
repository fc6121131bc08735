// See file_format.h: each format's reader and writer behind RecordReader / RecordWriter.
#include "formats/file_format.h"

#include <deque>

#include "formats/parquet_reader.h"
#include "sql/error.h"
#include "sql/sqlstate.h"

namespace strata {
namespace {

class DelimitedRecordReader : public RecordReader {
 public:
  DelimitedRecordReader(std::unique_ptr<ByteSource> source, int64_t begin, int64_t end, const std::vector<SqlType>& types,
                        const DelimitedOptions& options, RejectHook on_reject)
      : reader_(std::move(source), begin, end, types, options, std::move(on_reject)) {}
  bool Next(Batch* out) override { return reader_.Next(out); }

 private:
  DelimitedReader reader_;
};

class JsonRecordReader : public RecordReader {
 public:
  JsonRecordReader(std::unique_ptr<ByteSource> source, const std::vector<std::string>& names,
                   const std::vector<SqlType>& types, const JsonOptions& options, RejectHook on_reject)
      : source_(std::move(source)), reader_(source_.get(), names, types, options, std::move(on_reject)) {}
  bool Next(Batch* out) override { return reader_.Next(out); }

 private:
  std::unique_ptr<ByteSource> source_;  // before reader_: it must outlive it
  JsonReader reader_;
};

// Row groups [begin, end) of one file, every column by position; a row group is decoded whole
// and handed out a batch at a time.
class ParquetRecordReader : public RecordReader {
 public:
  ParquetRecordReader(std::unique_ptr<ByteSource> source, int64_t begin, int64_t end, const std::vector<SqlType>& types,
                      const std::string& file_name)
      : source_(std::move(source)), reader_(source_.get()), types_(types) {
    if (reader_.columns().size() != types_.size()) {
      throw SqlError(sqlstate::kBadCopyFileFormat,
                     StrCat("the Parquet file \"", file_name, "\" has ", reader_.columns().size(), " columns but COPY loads ",
                            types_.size(), ": Parquet columns are loaded by position"));
    }
    for (size_t i = 0; i < types_.size(); ++i) columns_.push_back(static_cast<int>(i));
    next_ = static_cast<int>(begin);
    end_ = end < 0 ? reader_.row_groups() : std::min<int64_t>(end, reader_.row_groups());
  }

  bool Next(Batch* out) override {
    while (pending_.empty()) {
      if (next_ >= end_) return false;
      reader_.ReadRowGroup(next_++, columns_, types_, [&](Batch& b) { pending_.push_back(std::move(b)); });
    }
    *out = std::move(pending_.front());
    pending_.pop_front();
    return true;
  }

 private:
  std::unique_ptr<ByteSource> source_;  // before reader_: it must outlive it
  ParquetReader reader_;
  std::vector<SqlType> types_;
  std::vector<int> columns_;
  std::deque<Batch> pending_;
  int next_ = 0;
  int64_t end_ = 0;
};

class TextRecordWriter : public RecordWriter {
 public:
  TextRecordWriter(ByteSink* sink, const std::vector<std::string>& names, const TextWriterOptions& options)
      : writer_(sink, names, options) {}
  void Write(const Batch& b) override { writer_.Write(b); }
  void Finish() override { writer_.Finish(); }

 private:
  TextWriter writer_;
};

class ParquetRecordWriter : public RecordWriter {
 public:
  ParquetRecordWriter(ByteSink* sink, const std::vector<std::string>& names, const std::vector<SqlType>& types,
                      const ParquetWriteOptions& options)
      : writer_(sink, Columns(names, types), options) {}
  void Write(const Batch& b) override { writer_.Write(b); }
  void Finish() override { writer_.Finish(); }

 private:
  static std::vector<std::pair<std::string, SqlType>> Columns(const std::vector<std::string>& names,
                                                              const std::vector<SqlType>& types) {
    std::vector<std::pair<std::string, SqlType>> cols;
    for (size_t i = 0; i < names.size() && i < types.size(); ++i) cols.emplace_back(names[i], types[i]);
    return cols;
  }
  ParquetWriter writer_;
};

}  // namespace

std::unique_ptr<RecordReader> OpenRecordReader(std::unique_ptr<ByteSource> source, int64_t begin, int64_t end,
                                               const std::vector<SqlType>& types, const RecordReaderOptions& options,
                                               RejectHook on_reject) {
  switch (options.format) {
    case FileFormat::kParquet:
      return std::make_unique<ParquetRecordReader>(std::move(source), begin, end, types, options.file_name);
    case FileFormat::kJson:
      return std::make_unique<JsonRecordReader>(std::move(source), options.column_names, types, options.json,
                                                std::move(on_reject));
    case FileFormat::kDelimited:
      break;
  }
  return std::make_unique<DelimitedRecordReader>(std::move(source), begin, end, types, options.delimited,
                                                 std::move(on_reject));
}

std::unique_ptr<RecordWriter> OpenRecordWriter(ByteSink* sink, const std::vector<std::string>& names,
                                               const std::vector<SqlType>& types, const RecordWriterOptions& options) {
  if (options.format == FileFormat::kParquet) {
    return std::make_unique<ParquetRecordWriter>(sink, names, types, options.parquet);
  }
  return std::make_unique<TextRecordWriter>(sink, names, options.text);
}

}  // namespace strata
