// UNLOAD's per-slice file writer (see unload_writer.h).
#include "executor/unload_writer.h"

#include <cstdio>

#include "executor/object_auth.h"
#include "io/compressed_source.h"
#include "io/object_store.h"
#include "planner/expr_builder.h"
#include "sql/error.h"
#include "sql/value_text.h"

namespace strata {
namespace {

std::string Extension(const plan::UnloadSpec& spec) {
  std::string ext;
  if (spec.format() == "parquet") ext = ".parquet";
  if (spec.compression() == "gzip") ext += ".gz";
  if (spec.compression() == "bzip2") ext += ".bz2";
  if (spec.compression() == "zstd") ext += ".zst";
  return ext;
}

// Hive-style escaping of a partition value in a path.
std::string EscapePartitionValue(const std::string& v) {
  std::string out;
  for (unsigned char c : v) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == ' ' || c == ':') {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

}  // namespace

std::unique_ptr<RecordWriter> MakeRowFileWriter(const plan::UnloadSpec& spec, ByteSink* sink,
                                                const std::vector<std::string>& names,
                                                const std::vector<SqlType>& types) {
  RecordWriterOptions o;
  const std::string& f = spec.format();
  if (f == "parquet") {
    o.format = FileFormat::kParquet;
  } else {
    using Format = TextWriterOptions::Format;
    o.format = f == "json" ? FileFormat::kJson : FileFormat::kDelimited;
    o.text.format = f == "csv" ? Format::kCsv : f == "json" ? Format::kJson : f == "pgtext" ? Format::kPgText : Format::kText;
    if (!spec.delimiter().empty()) o.text.delimiter = spec.delimiter()[0];
    o.text.header = spec.header();
    o.text.null_as = spec.null_as();
    o.text.add_quotes = spec.add_quotes();
    o.text.escape = spec.escape();
  }
  return OpenRecordWriter(sink, names, types, o);
}

struct UnloadWriter::OpenFile {
  std::string url;
  std::unique_ptr<ObjectStore> store;
  std::unique_ptr<ByteSink> object;      // the raw object being written
  std::unique_ptr<ByteSink> compressed;  // over `object` when compressing
  std::unique_ptr<RecordWriter> writer;
  int64_t rows = 0;
  ByteSink* sink() { return compressed ? compressed.get() : object.get(); }
};

UnloadWriter::UnloadWriter(const plan::UnloadSpec& spec, int slice) : spec_(spec), slice_(std::max(slice, 0)) {
  std::vector<bool> is_partition(spec.column_names_size(), false);
  for (int c : spec.partition_columns()) is_partition[c] = true;
  for (int c = 0; c < spec.column_names_size(); ++c) {
    if (is_partition[c] && !spec.partition_include()) continue;
    data_columns_.push_back(c);
    names_.push_back(spec.column_names(c));
    types_.push_back(FromProtoType(spec.column_types(c)));
  }
}

UnloadWriter::~UnloadWriter() = default;

UnloadWriter::OpenFile& UnloadWriter::FileFor(const std::string& folder) {
  auto& slot = open_[folder];
  if (slot) return *slot;
  int part = next_part_[folder]++;
  char name[32];
  if (spec_.parallel()) std::snprintf(name, sizeof name, "%04d_part_%02d", slice_, part);
  else std::snprintf(name, sizeof name, "%03d", part);
  std::string base = spec_.prefix();
  if (!folder.empty()) {
    if (!base.empty() && base.back() != '/') base += '/';
    base += folder;
  }
  auto f = std::make_unique<OpenFile>();
  f->url = base + spec_.file_prefix() + name + Extension(spec_);
  f->store = OpenObjectStore(f->url, ConfigForAuth(spec_.auth()));
  f->object = f->store->OpenWrite(f->url);
  if (!spec_.compression().empty()) {
    f->compressed = OpenCompressed(std::move(f->object), CompressionFromName(spec_.compression()), 6);
  }
  f->writer = MakeRowFileWriter(spec_, f->sink(), names_, types_);
  slot = std::move(f);
  return *slot;
}

void UnloadWriter::Close(OpenFile& f) {
  f.writer->Finish();  // finishes the sink too: the object appears now
  plan::UnloadedFile out;
  out.set_url(f.url);
  out.set_rows(f.rows);
  out.set_bytes(f.sink()->BytesWritten());
  written_.push_back(std::move(out));
}

void UnloadWriter::WriteRows(const std::string& folder, const Batch& batch) {
  Batch cols;
  cols.rows = batch.rows;
  for (int c : data_columns_) {
    cols.columns.push_back(Vector(batch.columns[c].type()));
    cols.columns.back().AppendAll(batch.columns[c]);
  }
  OpenFile& f = FileFor(folder);
  f.writer->Write(cols);
  f.rows += static_cast<int64_t>(batch.rows);
  if (f.sink()->BytesWritten() >= spec_.max_file_size()) {
    Close(f);
    open_.erase(folder);
  }
}

void UnloadWriter::Write(const Batch& batch) {
  if (batch.rows == 0) return;
  if (spec_.partition_columns_size() == 0) {
    WriteRows("", batch);
    return;
  }
  // Group the batch's rows by their partition folder.
  std::map<std::string, std::vector<uint32_t>> groups;
  std::string folder, text;
  for (size_t r = 0; r < batch.rows; ++r) {
    folder.clear();
    for (int c : spec_.partition_columns()) {
      const Vector& v = batch.columns[c];
      text.clear();
      if (v.IsNull(r)) text = "__HIVE_DEFAULT_PARTITION__";
      else if (v.type().id == TypeId::kBool) text = v.data<uint8_t>()[r] ? "true" : "false";
      else AppendValueText(v, r, &text);
      folder += spec_.column_names(c) + "=" + EscapePartitionValue(text) + "/";
    }
    groups[folder].push_back(static_cast<uint32_t>(r));
  }
  for (const auto& [f, rows] : groups) {
    Batch part(batch.Types());
    part.AppendSelected(batch, rows.data(), rows.size());
    WriteRows(f, part);
  }
}

std::vector<plan::UnloadedFile> UnloadWriter::Finish() {
  for (auto& [folder, f] : open_) Close(*f);
  open_.clear();
  return std::move(written_);
}

}  // namespace strata
