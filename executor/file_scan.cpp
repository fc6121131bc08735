// COPY's per-slice reading (see file_scan.h): one split after another, each through the object
// store, a decompressor and the format's reader.
#include "executor/file_scan.h"

#include <deque>

#include "executor/load_log.h"
#include "executor/object_auth.h"
#include "formats/json_reader.h"
#include "io/compressed_source.h"
#include "io/object_store.h"
#include "parquet/parquet_reader.h"
#include "planner/expr_builder.h"
#include "formats/delimited_reader.h"

namespace strata {
namespace {

class FileScanOperator : public Operator {
 public:
  FileScanOperator(const plan::FileScan& spec, const plan::SliceLoad& load, const ExecContext& ctx)
      : spec_(spec), load_(load), ctx_(ctx) {
    for (const auto& t : spec.types()) types_.push_back(FromProtoType(t));
  }

  bool Next(Batch* out) override {
    for (;;) {
      ctx_.CheckCancelled();
      if (!pending_.empty()) {
        *out = std::move(pending_.front());
        pending_.pop_front();
        if (out->rows > 0) return true;
        continue;
      }
      if (text_ && text_->Next(out)) {
        if (out->rows > 0) return true;
        continue;
      }
      if (json_ && json_->Next(out)) {
        if (out->rows > 0) return true;
        continue;
      }
      if (parquet_ && next_row_group_ < parquet_->row_groups()) {
        ReadRowGroup();
        continue;
      }
      if (next_split_ >= load_.splits_size()) return false;
      OpenSplit(load_.splits(next_split_++));
    }
  }

 private:
  void OpenSplit(const plan::LoadSplit& split) {
    text_.reset();
    json_.reset();
    parquet_.reset();
    source_.reset();
    current_name_ = split.url();
    std::unique_ptr<ByteSource> raw;
    if (split.has_inline_data()) {
      raw = std::make_unique<MemorySource>(split.url(), split.inline_data());
    } else {
      auto store = OpenObjectStore(split.url(), ConfigForAuth(spec_.auth()));
      raw = store->OpenRead(split.url());
    }
    Compression c = spec_.compression().empty() ? Compression::kNone : CompressionFromName(spec_.compression());
    if (c != Compression::kNone) raw = OpenDecompressed(std::move(raw), c);
    const std::string& f = spec_.format();
    if (f == "parquet") {
      source_ = std::move(raw);
      parquet_ = std::make_unique<ParquetReader>(source_.get());
      const auto& cols = parquet_->columns();
      if (cols.size() != types_.size()) {
        throw SqlError(sqlstate::kBadCopyFileFormat,
                       StrCat("the Parquet file \"", split.url(), "\" has ", cols.size(), " columns but COPY loads ",
                              types_.size(), ": Parquet columns are loaded by position"));
      }
      next_row_group_ = split.begin();
      row_group_end_ = split.end() < 0 ? parquet_->row_groups() : std::min<int>(split.end(), parquet_->row_groups());
      return;
    }
    RejectHook hook = [this](const RejectedRow& r) { return OnReject(r); };
    if (f == "json") {
      source_ = std::move(raw);
      JsonOptions o;
      o.mode = spec_.json_mode() == "auto ignorecase" ? JsonMode::kAutoIgnoreCase : JsonMode::kAuto;
      if (spec_.json_mode() == "paths") {
        o.mode = JsonMode::kPaths;
        // The leader put the JSONPaths file's text here (it checked it before the load).
        if (spec_.json_paths_size() > 0) o.paths = ParseJsonPaths(spec_.json_paths(0));
      }
      o.empty_as_null = spec_.empty_as_null();
      o.blanks_as_null = spec_.blanks_as_null();
      o.trim_blanks = spec_.trim_blanks();
      std::vector<std::string> names(spec_.column_names().begin(), spec_.column_names().end());
      json_ = std::make_unique<JsonReader>(source_.get(), names, types_, o, hook);
      return;
    }
    DelimitedOptions o;
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
    int64_t end = split.end() <= 0 && split.begin() == 0 ? -1 : split.end();
    text_ = std::make_unique<DelimitedReader>(std::move(raw), split.begin(), end, types_, o, hook);
  }

  void ReadRowGroup() {
    int rg = next_row_group_++;
    if (rg >= row_group_end_) {
      next_row_group_ = parquet_->row_groups();
      return;
    }
    std::vector<int> cols;
    for (size_t i = 0; i < types_.size(); ++i) cols.push_back(static_cast<int>(i));
    parquet_->ReadRowGroup(rg, cols, types_, [&](Batch& b) { pending_.push_back(std::move(b)); });
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
  std::unique_ptr<ByteSource> source_;
  std::unique_ptr<DelimitedReader> text_;
  std::unique_ptr<JsonReader> json_;
  std::unique_ptr<ParquetReader> parquet_;
  int next_row_group_ = 0;
  int row_group_end_ = 0;
  std::deque<Batch> pending_;
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
  auto it = spec.splits_by_slice().find(ctx.slice);
  if (it == spec.splits_by_slice().end() || it->second.splits_size() == 0) return std::make_unique<EmptyOperator>();
  return std::make_unique<FileScanOperator>(spec, it->second, ctx);
}

}  // namespace strata
