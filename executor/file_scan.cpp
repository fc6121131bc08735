// COPY's per-slice reading (see file_scan.h): one split after another, each through the object
// store, a decompressor and the format's reader.
#include "executor/file_scan.h"

#include "executor/external_scan.h"
#include "executor/load_log.h"
#include "executor/snapshot_slice_reader.h"
#include "executor/object_auth.h"
#include "formats/file_format.h"
#include "io/compressed_source.h"
#include "io/object_store.h"
#include "planner/expr_builder.h"

namespace strata {
namespace {

// Counts the bytes read from a COPY file into the node's LoadLog (the load's progress).
class CountingSource : public ByteSource {
 public:
  CountingSource(std::unique_ptr<ByteSource> inner, LoadLog* log) : inner_(std::move(inner)), log_(log) {}
  int64_t Size() override { return inner_->Size(); }
  size_t ReadAt(int64_t offset, char* buf, size_t n) override {
    const size_t got = inner_->ReadAt(offset, buf, n);
    log_->AddBytes(static_cast<int64_t>(got));
    return got;
  }
  const std::string& Name() const override { return inner_->Name(); }

 private:
  std::unique_ptr<ByteSource> inner_;
  LoadLog* log_;
};

class FileScanOperator : public Operator {
 public:
  FileScanOperator(const plan::FileScan& spec, const plan::SliceLoad& load, const ExecContext& ctx)
      : spec_(spec), load_(load), ctx_(ctx) {
    for (const auto& t : spec.types()) types_.push_back(FromProtoType(t));
  }

  bool Next(Batch* out) override {
    for (;;) {
      ctx_.CheckCancelled();
      if (reader_ && reader_->Next(out)) {
        if (out->rows > 0) return true;
        continue;
      }
      if (next_split_ >= load_.splits_size()) return false;
      OpenSplit(load_.splits(next_split_++));
    }
  }

 private:
  // The split's bytes (inline for COPY FROM STDIN, else from the object store), decompressed,
  // through the format's reader (formats/file_format.h).
  void OpenSplit(const plan::LoadSplit& split) {
    reader_.reset();
    current_name_ = split.url();
    if (spec_.format() == "strata_snapshot") {  // a restore: a slice manifest in a snapshot store
      reader_ = OpenSnapshotSliceReader(split.url(), types_, ConfigForAuth(spec_.auth()), spec_.table_name(),
                                        {spec_.column_names().begin(), spec_.column_names().end()});
      return;
    }
    std::unique_ptr<ByteSource> raw;
    if (split.has_inline_data()) {
      raw = std::make_unique<MemorySource>(split.url(), split.inline_data());
    } else {
      auto store = OpenObjectStore(split.url(), ConfigForAuth(spec_.auth()));
      raw = store->OpenRead(split.url());
    }
    if (ctx_.load_log != nullptr) raw = std::make_unique<CountingSource>(std::move(raw), ctx_.load_log);
    Compression c = spec_.compression().empty() ? Compression::kNone : CompressionFromName(spec_.compression());
    if (c != Compression::kNone) raw = OpenDecompressed(std::move(raw), c);
    RecordReaderOptions o = ReaderOptions();
    o.file_name = split.url();
    int64_t begin = split.begin(), end = split.end();
    if (o.format == FileFormat::kDelimited && end <= 0 && begin == 0) end = -1;  // the whole file
    RejectHook hook = [this](const RejectedRow& r) { return OnReject(r); };
    reader_ = OpenRecordReader(std::move(raw), begin, end, types_, o, hook);
  }

  // The COPY options of the spec as the format's reader options.
  RecordReaderOptions ReaderOptions() const {
    RecordReaderOptions r;
    const std::string& f = spec_.format();
    if (f == "parquet") {
      r.format = FileFormat::kParquet;
    } else if (f == "json") {
      r.format = FileFormat::kJson;
      JsonOptions& o = r.json;
      o.mode = spec_.json_mode() == "auto ignorecase" ? JsonMode::kAutoIgnoreCase : JsonMode::kAuto;
      if (spec_.json_mode() == "paths") {
        o.mode = JsonMode::kPaths;
        // The leader put the JSONPaths file's text here (it checked it before the load).
        if (spec_.json_paths_size() > 0) o.paths = ParseJsonPaths(spec_.json_paths(0));
      }
      o.empty_as_null = spec_.empty_as_null();
      o.blanks_as_null = spec_.blanks_as_null();
      o.trim_blanks = spec_.trim_blanks();
      r.column_names.assign(spec_.column_names().begin(), spec_.column_names().end());
    } else {
      r.format = FileFormat::kDelimited;
      DelimitedOptions& o = r.delimited;
      if (!spec_.delimiter().empty()) o.delimiter = spec_.delimiter()[0];
      o.null_as = spec_.null_as();
      o.csv = spec_.csv() || spec_.remove_quotes();
      if (!spec_.quote().empty()) o.quote = spec_.quote()[0];
      o.ignore_header = spec_.ignore_header();
      o.empty_as_null = spec_.empty_as_null();
      o.blanks_as_null = spec_.blanks_as_null();
      o.trim_blanks = spec_.trim_blanks();
      o.truncate_columns = spec_.truncate_columns();
      o.fill_record = spec_.fill_record();
      o.ignore_blank_lines = spec_.ignore_blank_lines();
      o.escape = spec_.escape();
      o.pg_escapes = spec_.pg_escapes();
    }
    return r;
  }

  // A rejected row: recorded for stl_load_errors, skipped; past MAXERROR the load fails.
  bool OnReject(const RejectedRow& r) {
    plan::LoadError e;
    e.set_slice(ctx_.slice);
    e.set_filename(current_name_);
    e.set_line_number(r.line_number);
    int col = r.column - 1;
    if (col >= 0 && col < spec_.column_names_size()) {
      e.set_colname(spec_.column_names(col));
      e.set_type(types_[col].ToString());
    }
    e.set_raw_line(r.raw_line.substr(0, 1024));
    e.set_raw_field_value(r.raw_field.substr(0, 1024));
    e.set_err_code(LoadErrorCode(r.error.sqlstate(), r.error.what()));
    std::string reason = r.error.what();
    if (!r.error.detail().empty()) reason += StrCat(" (", r.error.detail(), ")");
    e.set_err_reason(reason.substr(0, 512));
    int64_t rejected = ctx_.load_log != nullptr ? ctx_.load_log->Reject(e) : 1;
    if (rejected > spec_.max_error()) {
      SqlError err(r.error.sqlstate(),
                   StrCat("Load into table '", spec_.table_name(), "' failed. Check 'stl_load_errors' system table for details."));
      err.WithDetail(StrCat(current_name_, ", line ", r.line_number, ": ", reason));
      throw err;
    }
    return true;
  }

  const plan::FileScan& spec_;
  const plan::SliceLoad& load_;
  const ExecContext& ctx_;
  std::vector<SqlType> types_;
  int next_split_ = 0;
  std::string current_name_;
  std::unique_ptr<RecordReader> reader_;  // the current split's
};

}  // namespace

int LoadErrorCode(const std::string& state, const std::string& message) {
  if (state == sqlstate::kBadCopyFileFormat) {
    if (message.find("extra data") != std::string::npos) return 1202;
    if (message.find("missing data") != std::string::npos) return 1214;
    return 1213;
  }
  if (state == sqlstate::kInvalidTextRepresentation) return 1207;  // invalid digit / invalid input syntax
  if (state == sqlstate::kInvalidDatetimeFormat || state == sqlstate::kDatetimeFieldOverflow) return message.find("timestamp") != std::string::npos ? 1206 : 1205;
  if (state == sqlstate::kStringDataRightTruncation) return 1204;  // string length exceeds DDL length
  if (state == sqlstate::kNumericValueOutOfRange) return 1216;  // numeric value out of range
  if (state == sqlstate::kNotNullViolation) return 1203;  // missing data for not-null field
  if (state == sqlstate::kCharacterNotInRepertoire) return 1220;  // invalid UTF-8
  return 1200;
}

OperatorPtr MakeFileScan(const plan::FileScan& spec, const ExecContext& ctx) {
  if (spec.has_external()) return MakeExternalScan(spec, ctx);
  auto it = spec.splits_by_slice().find(ctx.slice);
  if (it == spec.splits_by_slice().end() || it->second.splits_size() == 0) return std::make_unique<EmptyOperator>();
  return std::make_unique<FileScanOperator>(spec, it->second, ctx);
}

}  // namespace strata
