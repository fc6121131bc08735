// See external_scan.h.
#include "executor/external_scan.h"

#include <algorithm>
#include <deque>

#include "executor/object_auth.h"
#include "executor/operator_factory.h"
#include "executor/row_group_filter.h"
#include "executor/scan_stats.h"
#include "formats/delimited_reader.h"
#include "formats/json_reader.h"
#include "formats/avro_reader.h"
#include "formats/orc_reader.h"
#include "formats/parquet_reader.h"
#include "io/compressed_source.h"
#include "io/object_store.h"
#include "planner/expr_builder.h"
#include "sql/value_text.h"

namespace strata {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// `rows` copies of row 0 of `one`.
Vector Repeat(const Vector& one, size_t rows) {
  Vector v(one.type(), rows);
  bool null = one.IsNull(0);
  std::fill(v.nulls(), v.nulls() + rows, null ? 1 : 0);
  if (!null) {
    DispatchPhysical(one.physical(), [&]<typename T>() {
      T value = one.data<T>()[0];
      if constexpr (std::is_same_v<T, std::string_view>) {
        v.ShareHeaps(one);
      }
      std::fill(v.data<T>(), v.data<T>() + rows, value);
    });
  }
  return v;
}

// A ByteSource that counts the bytes read through it (svl_s3query_summary's s3_scanned_bytes).
class CountingSource : public ByteSource {
 public:
  CountingSource(std::unique_ptr<ByteSource> inner, int64_t* counter) : inner_(std::move(inner)), counter_(counter) {}
  size_t ReadAt(int64_t offset, char* buf, size_t n) override {
    size_t got = inner_->ReadAt(offset, buf, n);
    *counter_ += static_cast<int64_t>(got);
    return got;
  }
  int64_t Size() override { return inner_->Size(); }
  const std::string& Name() const override { return inner_->Name(); }

 private:
  std::unique_ptr<ByteSource> inner_;
  int64_t* counter_;
};

class LocalSplitReader : public ExternalSplitReader {
 public:
  LocalSplitReader(const plan::FileScan& spec, const plan::LoadSplit& split, const ExecContext& ctx, plan::ScanStat* stat)
      : spec_(spec), x_(spec.external()), split_(split), ctx_(ctx), stat_(stat) {
    // The data columns this scan needs, in first-use order; outputs point at their position.
    std::vector<int> pos_of_data(x_.data_names_size(), -1);
    for (const auto& o : x_.outputs()) {
      if (o.kind() == plan::ExternalColumn::DATA && pos_of_data[o.index()] < 0) {
        pos_of_data[o.index()] = static_cast<int>(needed_.size());
        needed_.push_back(o.index());
      }
    }
    for (const auto& o : x_.outputs()) output_pos_.push_back(o.kind() == plan::ExternalColumn::DATA ? pos_of_data[o.index()] : -1);
    for (int i = 0; i < x_.outputs_size(); ++i) {
      const auto& o = x_.outputs(i);
      SqlType type = FromProtoType(spec_.types(i));
      Vector one(type, 1);
      switch (o.kind()) {
        case plan::ExternalColumn::DATA: break;
        case plan::ExternalColumn::PARTITION: {
          bool null = o.index() >= split.partition_values_size() ||
                      (o.index() < split.partition_nulls_size() && split.partition_nulls(o.index()));
          if (null) one.SetNull(0, true);
          else ParsePartitionValue(split.partition_values(o.index()), o.index(), &one);
          break;
        }
        case plan::ExternalColumn::PATH: one.SetString(0, split.url().substr(0, 1024)); break;
        case plan::ExternalColumn::SIZE: one.data<int64_t>()[0] = split.size(); break;
        default: break;
      }
      constants_.push_back(std::move(one));
    }
    Open();
  }
  ~LocalSplitReader() override { Finish(); }  // a LIMIT may stop it early: its bytes still count

  bool Next(Batch* out) override {
    Batch data;
    for (;;) {
      ctx_.CheckCancelled();
      if (!NextData(&data)) return false;
      if (data.rows > 0) break;
    }
    out->columns.clear();
    out->rows = data.rows;
    for (size_t i = 0; i < output_pos_.size(); ++i) {
      if (output_pos_[i] >= 0) {
        // A column used twice is copied for the second use.
        Vector& v = data.columns[output_pos_[i]];
        bool used_later = std::find(output_pos_.begin() + static_cast<long>(i) + 1, output_pos_.end(), output_pos_[i]) != output_pos_.end();
        if (used_later) {
          Vector copy(v.type());
          copy.AppendAll(v);
          out->columns.push_back(std::move(copy));
        } else {
          out->columns.push_back(std::move(v));
        }
      } else {
        out->columns.push_back(Repeat(constants_[i], data.rows));
      }
    }
    if (stat_ != nullptr) stat_->set_rows_pre_filter(stat_->rows_pre_filter() + static_cast<int64_t>(data.rows));
    return true;
  }

 private:
  void ParsePartitionValue(const std::string& text, int k, Vector* one) {
    try {
      ParseValueText(text, one, 0);
    } catch (SqlError& e) {
      e.WithDetail(StrCat("partition column \"", k < x_.partition_names_size() ? x_.partition_names(k) : "", "\" of ",
                          x_.table_name(), " has the value \"", text, "\""));
      throw;
    }
  }

  std::unique_ptr<ByteSource> OpenSource() {
    auto store = OpenObjectStore(split_.url(), ConfigForAuth(spec_.auth()));
    std::unique_ptr<ByteSource> raw = std::make_unique<CountingSource>(store->OpenRead(split_.url()), &bytes_);
    std::string compression = spec_.compression();
    const std::string& url = split_.url();
    auto ends = [&](const char* suffix) {
      std::string s(suffix);
      return url.size() >= s.size() && Lower(url.substr(url.size() - s.size())) == s;
    };
    if (compression.empty() && spec_.format() != "parquet") {
      if (ends(".gz")) compression = "gzip";
      else if (ends(".bz2")) compression = "bzip2";
      else if (ends(".zst")) compression = "zstd";
    }
    if (!compression.empty() && spec_.format() != "parquet") raw = OpenDecompressed(std::move(raw), CompressionFromName(compression));
    return raw;
  }

  void Open() {
    std::vector<SqlType> needed_types;
    std::vector<std::string> needed_names;
    for (int d : needed_) {
      needed_types.push_back(FromProtoType(x_.data_types(d)));
      needed_names.push_back(x_.data_names(d));
    }
    const std::string& f = spec_.format();
    RejectHook fail = [this](const RejectedRow& r) -> bool {
      SqlError e(r.error.sqlstate(), StrCat("error reading the external table ", x_.table_name(), ": ", r.error.what()));
      e.WithDetail(StrCat("file \"", split_.url(), "\", line ", r.line_number,
                          r.column > 0 && r.column <= x_.data_names_size() ? StrCat(", column \"", x_.data_names(r.column - 1), "\"") : "",
                          r.raw_field.empty() ? "" : StrCat(", value \"", r.raw_field.substr(0, 100), "\"")));
      throw e;
    };
    if (f == "parquet") {
      source_ = OpenSource();
      parquet_ = std::make_unique<ParquetReader>(source_.get());
      // Leaves by position; a nested leaf never matches (its name has a dot path).
      std::vector<std::string> names;
      for (const auto& c : parquet_->columns()) names.push_back(c.nested ? std::string() : c.name);
      MatchByName(names, needed_names, needed_types);
      BuildRowGroupFilter();
      next_group_ = static_cast<int>(split_.begin());
      end_group_ = split_.end() < 0 ? parquet_->row_groups() : std::min<int>(static_cast<int>(split_.end()), parquet_->row_groups());
    } else if (f == "orc") {
      source_ = OpenSource();
      orc_ = std::make_unique<OrcReader>(source_.get());
      std::vector<std::string> names;
      for (const auto& c : orc_->columns()) names.push_back(c.name);
      MatchByName(names, needed_names, needed_types);
      BuildRowGroupFilter();
      next_group_ = static_cast<int>(split_.begin());
      end_group_ = split_.end() < 0 ? orc_->stripes() : std::min<int>(static_cast<int>(split_.end()), orc_->stripes());
    } else if (f == "avro") {
      // An Avro file is one split, read whole (libavro reads a container from the start).
      avro_ = std::make_unique<AvroReader>(ReadAllBytes(*OpenSource()), split_.url());
      std::vector<std::string> names;
      for (const auto& c : avro_->columns()) names.push_back(c.name);
      MatchByName(names, needed_names, needed_types);
      next_group_ = 0;
      end_group_ = 1;  // the whole file: one "group"
    } else if (f == "json") {
      source_ = OpenSource();
      JsonOptions o;
      o.mode = JsonMode::kAutoIgnoreCase;
      json_ = std::make_unique<JsonReader>(source_.get(), needed_names, needed_types, o, fail);
    } else if (f == "text" || f == "csv") {
      DelimitedOptions o;
      o.delimiter = spec_.delimiter().empty() ? '\x01' : spec_.delimiter()[0];
      o.null_as = x_.null_format().empty() ? "\\N" : x_.null_format();
      o.csv = spec_.csv();
      if (!spec_.quote().empty()) o.quote = spec_.quote()[0];
      o.ignore_header = split_.begin() == 0 ? spec_.ignore_header() : 0;
      o.fill_record = true;  // Hive: a short line's missing fields are NULL
      o.truncate_columns = false;
      std::vector<SqlType> all;
      for (const auto& t : x_.data_types()) all.push_back(FromProtoType(t));
      int64_t end = split_.end();
      if (end <= 0 && split_.begin() == 0) end = -1;
      text_ = std::make_unique<DelimitedReader>(OpenSource(), split_.begin(), end, all, o, fail);
      text_projection_ = needed_;
    } else {
      throw SqlError(sqlstate::kFeatureNotSupported,
                     StrCat("reading ", f, " files is not supported yet (external table ", x_.table_name(), ")"));
    }
  }

  // The columnar formats: which of the file's columns (`file_names`, by position) each needed
  // column is, matched ignoring case (-1: the file lacks it and it reads as NULL).
  void MatchByName(const std::vector<std::string>& file_names, const std::vector<std::string>& needed_names,
                   const std::vector<SqlType>& needed_types) {
    for (size_t i = 0; i < needed_names.size(); ++i) {
      int index = -1;
      std::string want = Lower(needed_names[i]);
      for (size_t c = 0; c < file_names.size(); ++c) {
        if (!file_names[c].empty() && Lower(file_names[c]) == want) index = static_cast<int>(c);
      }
      leaf_of_needed_.push_back(index);
      if (index >= 0) {
        leaves_.push_back(index);
        leaf_types_.push_back(needed_types[i]);
      }
    }
    needed_types_ = needed_types;
  }

  // The pushed-down filter over the file's leaves, for skipping row groups and stripes.
  void BuildRowGroupFilter() {
    if (!x_.has_filter()) return;
    std::vector<int> leaf_of_output;
    for (int pos : output_pos_) leaf_of_output.push_back(pos >= 0 ? leaf_of_needed_[pos] : -1);
    row_groups_ = RowGroupFilter(x_.filter(), leaf_of_output);
  }

  bool NextData(Batch* out) {
    if (parquet_ || orc_ || avro_) {
      while (pending_.empty()) {
        if (next_group_ >= end_group_) return Finish();
        int g = next_group_++;
        bool skip = false;
        if (!row_groups_.empty() && parquet_) skip = row_groups_.Skips(*parquet_, g);
        if (!row_groups_.empty() && orc_) {
          skip = row_groups_.Skips([&](int leaf, const SqlType& t, ParquetStats* st) { return orc_->ColumnStats(g, leaf, t, st); },
                                   orc_->stripe_rows(g));
        }
        if (skip) {
          if (stat_ != nullptr) stat_->set_row_groups_skipped(stat_->row_groups_skipped() + 1);
          continue;
        }
        auto keep = [&](Batch& b) { pending_.push_back(std::move(b)); };
        if (parquet_) parquet_->ReadRowGroup(g, leaves_, leaf_types_, keep);
        else if (orc_) ReadStripeBatches(g, keep);
        else avro_->Read(leaves_, leaf_types_, keep);
      }
      Batch b = std::move(pending_.front());
      pending_.pop_front();
      // The file's columns in `needed_` order, NULL for the ones it lacks.
      out->columns.clear();
      out->rows = b.rows;
      size_t k = 0;
      for (size_t i = 0; i < needed_.size(); ++i) {
        if (leaf_of_needed_[i] >= 0) {
          out->columns.push_back(std::move(b.columns[k++]));
        } else {
          Vector v(needed_types_[i], b.rows);
          std::fill(v.nulls(), v.nulls() + b.rows, 1);
          out->columns.push_back(std::move(v));
        }
      }
      return true;
    }
    if (json_) return json_->Next(out) || Finish();
    Batch all;
    if (!text_->Next(&all)) return Finish();
    out->columns.clear();
    out->rows = all.rows;
    for (int d : text_projection_) out->columns.push_back(std::move(all.columns[d]));
    return true;
  }

  // An ORC stripe is decoded a batch at a time but handed over as the reader emits them.
  void ReadStripeBatches(int stripe, const std::function<void(Batch&)>& keep) {
    orc_->ReadStripe(stripe, leaves_, leaf_types_, keep);
  }

  bool Finish() {
    if (stat_ != nullptr && !finished_) {
      stat_->set_bytes_scanned(stat_->bytes_scanned() + bytes_);
      finished_ = true;
    }
    return false;
  }

  const plan::FileScan& spec_;
  const plan::ExternalScan& x_;
  const plan::LoadSplit& split_;
  const ExecContext& ctx_;
  plan::ScanStat* stat_;
  std::vector<int> needed_;        // data column indexes read
  std::vector<int> output_pos_;    // per output: position in the data batch, -1 for a constant
  std::vector<Vector> constants_;  // per output: its one-row value when constant
  int64_t bytes_ = 0;
  bool finished_ = false;
  std::unique_ptr<ByteSource> source_;
  // Parquet
  std::unique_ptr<ParquetReader> parquet_;
  std::unique_ptr<OrcReader> orc_;
  std::unique_ptr<AvroReader> avro_;
  std::vector<int> leaf_of_needed_, leaves_;
  std::vector<SqlType> leaf_types_, needed_types_;
  std::deque<Batch> pending_;
  RowGroupFilter row_groups_;
  int next_group_ = 0, end_group_ = 0;
  // JSON, text
  std::unique_ptr<JsonReader> json_;
  std::unique_ptr<DelimitedReader> text_;
  std::vector<int> text_projection_;
};

class ExternalScanOperator : public Operator {
 public:
  ExternalScanOperator(const plan::FileScan& spec, const plan::SliceLoad& load, const ExecContext& ctx)
      : spec_(spec), load_(load), ctx_(ctx) {
    if (ctx.scan_stats != nullptr) {
      stat_ = ctx.scan_stats->Add();
      stat_->set_slice(ctx.slice);
      stat_->set_table_id(spec.external().table_id());
      stat_->set_table_name(spec.external().table_name());
      stat_->set_stage(ctx.stage);
      stat_->set_external(true);
    }
  }

  bool Next(Batch* out) override {
    for (;;) {
      ctx_.CheckCancelled();
      if (reader_ && reader_->Next(out)) {
        if (stat_ != nullptr) {
          stat_->set_rows(stat_->rows() + static_cast<int64_t>(out->rows));
          stat_->set_returned_bytes(stat_->returned_bytes() + static_cast<int64_t>(out->EstimatedBytes()));
        }
        return true;
      }
      reader_.reset();
      if (next_ >= load_.splits_size()) return false;
      const plan::LoadSplit& split = load_.splits(next_++);
      if (stat_ != nullptr) stat_->set_splits(stat_->splits() + 1);
      bool remote = spec_.external().workers_size() > 0 && ctx_.open_remote_split;
      reader_ = remote ? ctx_.open_remote_split(spec_, split, stat_) : OpenExternalSplit(spec_, split, ctx_, stat_);
    }
  }

 private:
  const plan::FileScan& spec_;
  const plan::SliceLoad& load_;
  const ExecContext& ctx_;
  plan::ScanStat* stat_ = nullptr;
  int next_ = 0;
  std::unique_ptr<ExternalSplitReader> reader_;
};

}  // namespace

std::unique_ptr<ExternalSplitReader> OpenExternalSplit(const plan::FileScan& spec, const plan::LoadSplit& split,
                                                       const ExecContext& ctx, plan::ScanStat* stat) {
  return std::make_unique<LocalSplitReader>(spec, split, ctx, stat);
}

OperatorPtr MakeExternalScan(const plan::FileScan& spec, const ExecContext& ctx) {
  auto it = spec.splits_by_slice().find(ctx.slice);
  if (it == spec.splits_by_slice().end() || it->second.splits_size() == 0) {
    // No split here: the operators pushed to the workers still run, over nothing, so that a
    // scalar aggregate gives its empty state as it would have without the push.
    if (spec.external().has_pushed()) return BuildOperator(spec.external().pushed(), ctx);
    return std::make_unique<EmptyOperator>();
  }
  return std::make_unique<ExternalScanOperator>(spec, it->second, ctx);
}

}  // namespace strata
