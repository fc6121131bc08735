// The leader's side of COPY and UNLOAD: listing the input (a prefix, a file, a manifest, or the
// bytes of COPY FROM STDIN), spreading it over the slices, running the load as one transaction,
// recording rejected rows in stl_load_errors and enforcing MAXERROR; formatting COPY TO STDOUT;
// checking UNLOAD's prefix, running it and writing its manifest.
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include "executor/backend_signal.h"
#include "planner/clock_functions.h"
#include "executor/object_auth.h"
#include "executor/unload_writer.h"
#include "formats/json_path.h"
#include "io/object_store.h"
#include "formats/parquet_reader.h"
#include "planner/binder.h"
#include "planner/optimizer.h"
#include "planner/expr_builder.h"
#include "planner/physical_planner.h"
#include "server/metrics.h"
#include "server/leader_session.h"
#include "sql/error.h"
#include "formats/delimited_reader.h"

namespace strata {

struct ParsedStatement;

namespace {

plan::FileScan* FindFileScan(plan::Operator* op) {
  switch (op->kind_case()) {
    case plan::Operator::kFileScan: return op->mutable_file_scan();
    case plan::Operator::kProject: return FindFileScan(op->mutable_project()->mutable_input());
    case plan::Operator::kIdentityFill: return FindFileScan(op->mutable_identity_fill()->mutable_input());
    case plan::Operator::kFilter: return FindFileScan(op->mutable_filter()->mutable_input());
    default: return nullptr;
  }
}

plan::FileScan* FindFileScan(PhysicalPlan* p) {
  for (auto& stage : *p->plan.mutable_stages()) {
    if (plan::FileScan* fs = FindFileScan(stage.mutable_root())) return fs;
  }
  STRATA_INTERNAL_ERROR("COPY plan without a file scan");
}

std::string ReadWholeObject(ObjectStore* store, const std::string& url) { return ReadAllBytes(*store->OpenRead(url)); }

// A Redshift COPY manifest: {"entries": [{"url": "...", "mandatory": true}, ...]}.
std::vector<ObjectInfo> ReadManifest(ObjectStore* store, const std::string& url, const ObjectStoreConfig& cfg) {
  std::string text = ReadWholeObject(store, url);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(text).get(doc) != simdjson::SUCCESS) {
    throw SqlError(sqlstate::kInvalidParameterValue, StrCat("the manifest \"", url, "\" is not valid JSON"));
  }
  simdjson::dom::array entries;
  if (doc["entries"].get_array().get(entries) != simdjson::SUCCESS) {
    throw SqlError(sqlstate::kInvalidParameterValue, StrCat("the manifest \"", url, "\" has no \"entries\" array"));
  }
  std::vector<ObjectInfo> out;
  for (simdjson::dom::element e : entries) {
    std::string_view u;
    if (e["url"].get_string().get(u) != simdjson::SUCCESS) {
      throw SqlError(sqlstate::kInvalidParameterValue, StrCat("an entry of the manifest \"", url, "\" has no \"url\""));
    }
    bool mandatory = false;
    if (e["mandatory"].get_bool().get(mandatory) != simdjson::SUCCESS) mandatory = false;
    std::string entry(u);
    auto entry_store = OpenObjectStore(entry, cfg);
    std::vector<ObjectInfo> found = entry_store->List(entry);
    auto exact = std::find_if(found.begin(), found.end(), [&](const ObjectInfo& o) { return o.url == entry; });
    if (exact == found.end()) {
      if (mandatory) throw SqlError(sqlstate::kUndefinedFile, StrCat("the mandatory manifest entry \"", entry, "\" does not exist"));
      continue;
    }
    out.push_back(*exact);
  }
  return out;
}

// A Parquet file's row groups in up to `parts` contiguous runs of about equal row counts, as
// (first, end) row-group ranges; reads only the footer.
std::vector<std::pair<int64_t, int64_t>> RowGroupRanges(const ObjectInfo& o, const plan::FileScan& fs, int parts) {
  auto store = OpenObjectStore(o.url, ConfigForAuth(fs.auth()));
  auto source = store->OpenRead(o.url);
  ParquetReader reader(source.get());
  int groups = reader.row_groups();
  if (groups <= 1) return {{0, -1}};
  int64_t per_part = (reader.rows() + parts - 1) / parts;
  std::vector<std::pair<int64_t, int64_t>> ranges;
  int first = 0;
  int64_t rows = 0;
  for (int g = 0; g < groups; ++g) {
    rows += reader.row_group_rows(g);
    if (rows >= per_part || g + 1 == groups) {
      ranges.emplace_back(first, g + 1);
      first = g + 1;
      rows = 0;
    }
  }
  return ranges;
}

// Spreads the objects over the slices: large uncompressed text files in byte ranges, Parquet
// files in runs of row groups, the rest whole, each piece to the slice with the fewest bytes so
// far (largest first).
void AssignSplits(std::vector<ObjectInfo> objects, plan::FileScan* fs, int slices) {
  std::sort(objects.begin(), objects.end(), [](const ObjectInfo& a, const ObjectInfo& b) {
    return a.size != b.size ? a.size > b.size : a.url < b.url;
  });
  bool splittable = (fs->format() == "text" || fs->format() == "csv") && fs->compression().empty();
  std::vector<int64_t> load(slices, 0);
  auto least = [&]() { return static_cast<int>(std::min_element(load.begin(), load.end()) - load.begin()); };
  for (const auto& o : objects) {
    std::vector<std::pair<int64_t, int64_t>> ranges = {{0, -1}};
    if (splittable) ranges = SplitRanges(o.size, slices);
    // Parquet: cut in row groups when it pays for the footer read: a large file, or fewer
    // files than slices.
    bool few_files = static_cast<int>(objects.size()) < slices;
    if (fs->format() == "parquet" && (few_files || o.size > (int64_t{16} << 20))) ranges = RowGroupRanges(o, *fs, slices);
    for (const auto& [b, e] : ranges) {
      int s = least();
      auto* split = (*fs->mutable_splits_by_slice())[s].add_splits();
      split->set_url(o.url);
      split->set_begin(b);
      split->set_end(e);
      // Text ranges weigh their bytes; a run of row groups its share of the file.
      int64_t weight = e < 0 ? o.size : fs->format() == "parquet" ? o.size / static_cast<int64_t>(ranges.size()) : e - b;
      load[s] += weight + 1;
    }
  }
}

// COPY FROM STDIN's bytes, in slice-sized pieces cut at line ends (whole when CSV quoting could
// hide a line end inside a field, or when small enough that line numbers should stay exact).
void AssignInlineSplits(const std::string& data, plan::FileScan* fs, int slices) {
  constexpr size_t kMinPiece = size_t{8} << 20;
  bool may_split = !(fs->csv() && data.find(fs->quote()[0]) != std::string::npos) && fs->ignore_header() == 0;
  size_t piece = may_split ? std::max(kMinPiece, data.size() / std::max(slices, 1) + 1) : data.size() + 1;
  size_t begin = 0;
  int s = 0;
  while (begin < data.size()) {
    size_t end = std::min(data.size(), begin + piece);
    if (end < data.size()) {
      size_t nl = data.find('\n', end);
      end = nl == std::string::npos ? data.size() : nl + 1;
    }
    auto* split = (*fs->mutable_splits_by_slice())[s++ % slices].add_splits();
    split->set_url("STDIN");
    split->set_begin(0);
    split->set_end(-1);
    split->set_inline_data(data.substr(begin, end - begin));
    split->set_has_inline_data(true);
    begin = end;
  }
}

// psql sends COPY's end-of-data marker line "\." as data: the data ends before it.
std::string StripEndMarker(std::string data) {
  size_t pos = 0;
  while (pos < data.size()) {
    size_t nl = data.find('\n', pos);
    size_t end = nl == std::string::npos ? data.size() : nl;
    std::string_view line(data.data() + pos, end - pos);
    if (line == "\\." || line == "\\.\r") {
      data.resize(pos);
      return data;
    }
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return data;
}

// Fault injection for tests: STRATA_FAULT_VANISH=URL deletes that object after the listing and
// before the nodes read it, as when another writer removes a file mid-load.
void InjectVanishingObject(ObjectStore* store, const std::vector<ObjectInfo>& objects) {
  const char* url = std::getenv("STRATA_FAULT_VANISH");
  if (url == nullptr) return;
  for (const auto& o : objects) {
    if (o.url == url) store->Delete(o.url);
  }
}

}  // namespace

// COPY FROM STDIN: collects the client's bytes, then loads them as one COPY.
class LeaderCopyInSink : public CopyInSink {
 public:
  LeaderCopyInSink(LeaderSession* session, BoundStatement b, bool implicit)
      : session_(session), bound_(std::move(b)), implicit_(implicit) {}

  void Write(std::string_view data) override {
    if (data_.size() + data.size() > (size_t{1} << 31)) {
      throw SqlError(sqlstate::kProgramLimitExceeded, "COPY FROM STDIN data exceeds 2 GB: load it from a file or S3");
    }
    data_.append(data);
  }

  StatementResult Finish() override {
    StatementResult r;
    try {
      r = session_->LoadRows(bound_, StripEndMarker(std::move(data_)));
    } catch (...) {
      EndFailed();
      throw;
    }
    if (implicit_) session_->Commit();
    return r;
  }

  void Abort(const std::string&) override { EndFailed(); }

 private:
  void EndFailed() {
    if (implicit_) session_->Rollback();
    else if (session_->txn_) session_->txn_->failed = true;
  }

  LeaderSession* session_;
  BoundStatement bound_;
  bool implicit_;
  std::string data_;
};

StatementResult LeaderSession::StartCopyIn(BoundStatement b, bool implicit) {
  StatementResult r;
  for (const auto& n : b.query->children) r.copy_columns = static_cast<int>(n->columns.size());
  r.copy_in = std::make_shared<LeaderCopyInSink>(this, std::move(b), implicit);
  return r;
}

StatementResult LeaderSession::RunCopy(BoundStatement& b) { return LoadRows(b, std::string()); }

StatementResult LeaderSession::LoadRows(BoundStatement& b, const std::string& stdin_data) {
  int64_t id = b.table.id();
  catalog::Table* t = LockForWrite(id, b.table.name());
  PhysicalPlan p = PlanInsert(*b.query, *t, ctx_.cluster->shape());
  plan::FileScan* fs = FindFileScan(&p);
  const int slices = ctx_.cluster->shape().total_slices();
  if (b.copy.from_stdin) {
    AssignInlineSplits(stdin_data, fs, slices);
    progress_bytes_total_ = static_cast<int64_t>(stdin_data.size());
  } else {
    ObjectStoreConfig cfg = ConfigForAuth(fs->auth());
    cfg.local_files_allowed = UserIsSuperuser(*ctx_.catalog->Current(), user_);  // manifest entries too
    auto store = OpenObjectStore(b.copy.source, cfg);
    std::vector<ObjectInfo> objects = b.copy.manifest ? ReadManifest(store.get(), b.copy.source, cfg)
                                                      : store->List(b.copy.source);
    if (objects.empty() && !b.copy.manifest) {
      throw SqlError(sqlstate::kUndefinedFile, StrCat("COPY from \"", b.copy.source, "\": no file or object has this name or prefix"));
    }
    if (!b.copy.json_paths_url.empty()) {
      auto paths_store = OpenObjectStore(b.copy.json_paths_url, cfg);
      std::string text = ReadWholeObject(paths_store.get(), b.copy.json_paths_url);
      std::vector<JsonPath> paths = ParseJsonPaths(text);  // checks them here, once
      if (static_cast<int>(paths.size()) != fs->column_names_size()) {
        throw SqlError(sqlstate::kInvalidParameterValue,
                       StrCat("the JSONPaths file has ", paths.size(), " paths but COPY loads ", fs->column_names_size(), " columns"));
      }
      fs->clear_json_paths();
      fs->add_json_paths(text);
    }
    InjectVanishingObject(store.get(), objects);
    progress_bytes_total_ = 0;
    for (const auto& o : objects) progress_bytes_total_ += std::max<int64_t>(0, o.size);
    AssignSplits(std::move(objects), fs, slices);
  }
  uint64_t qid = ctx_.cluster->NextQueryId();
  session_values_.last_copy_id = static_cast<int64_t>(qid);
  int64_t started = ClockMicros();
  LoadTally tally;
  QueryOutcome out;
  try {
    out = RunPlan(p, qid, &tally);
  } catch (...) {
    ctx_.load_errors->Add(static_cast<int64_t>(qid), user_, started, tally.errors);
    throw;
  }
  ctx_.load_errors->Add(static_cast<int64_t>(qid), user_, started, tally.errors);
  if (tally.rejected > fs->max_error()) {
    SqlError err(tally.errors.empty() ? sqlstate::kBadCopyFileFormat : sqlstate::kDataException,
                 StrCat("Load into table '", t->name(), "' failed. Check 'stl_load_errors' system table for details."));
    err.WithDetail(StrCat(tally.rejected, " rows were rejected; MAXERROR is ", fs->max_error()));
    throw err;
  }
  StatementResult r;
  if (b.copy.noload) {
    r.command_tag = "COPY 0";
    r.notices.push_back(StrCat("Load into table '", t->name(), "' completed (NOLOAD): the input was checked, nothing was loaded."));
    return r;
  }
  int64_t added = ApplyWrites(t, out);
  r.command_tag = StrCat("COPY ", added);
  Metrics::Get().AddCopyRows(added);
  if (tally.rejected > 0) {
    r.notices.push_back(StrCat("Load into table '", t->name(), "' completed, ", tally.rejected,
                               " record(s) could not be loaded.  Check 'stl_load_errors' system table for details."));
  }
  return r;
}

StatementResult LeaderSession::RunCopyTo(const BoundStatement& b) {
  PhysicalPlan p = PlanQuery(*b.query, ctx_.cluster->shape());
  QueryOutcome out = RunPlan(p, ctx_.cluster->NextQueryId());
  StatementResult r;
  r.copy_out = true;
  r.copy_columns = static_cast<int>(b.result.size());
  std::vector<std::string> names;
  std::vector<SqlType> types;
  for (const auto& c : b.result) {
    names.push_back(c.name);
    types.push_back(c.type);
  }
  // One CopyData message per batch: the formatted bytes since the last one.
  MemorySink sink;
  auto writer = MakeRowFileWriter(b.unload, &sink, names, types);
  size_t sent = 0;
  int64_t rows = 0;
  for (const auto& batch : out.rows) {
    writer->Write(batch);
    rows += static_cast<int64_t>(batch.rows);
    if (sink.data().size() > sent) {
      r.copy_out_data.push_back(sink.data().substr(sent));
      sent = sink.data().size();
    }
  }
  writer->Finish();
  if (sink.data().size() > sent) r.copy_out_data.push_back(sink.data().substr(sent));
  r.command_tag = StrCat("COPY ", rows);
  Metrics::Get().AddUnloadRows(rows);
  return r;
}

StatementResult LeaderSession::RunUnload(const BoundStatement& b) {
  const plan::UnloadSpec& spec = b.unload;
  ObjectStoreConfig cfg = ConfigForAuth(spec.auth());
  cfg.local_files_allowed = UserIsSuperuser(*ctx_.catalog->Current(), user_);
  auto store = OpenObjectStore(spec.prefix(), cfg);
  std::vector<ObjectInfo> existing = store->List(spec.prefix());
  if (!existing.empty()) {
    if (spec.clean_path()) {
      for (const auto& o : existing) store->Delete(o.url);
    } else if (!spec.allow_overwrite()) {
      throw SqlError(sqlstate::kDuplicateObject,
                     StrCat("the UNLOAD destination \"", spec.prefix(), "\" is not empty: use another prefix, remove the files, or add ALLOWOVERWRITE or CLEANPATH"));
    }
  }
  PhysicalPlan p = PlanUnload(*b.query, spec, ctx_.cluster->shape());
  QueryOutcome out = RunPlan(p, ctx_.cluster->NextQueryId());
  std::sort(out.unloaded.begin(), out.unloaded.end(),
            [](const plan::UnloadedFile& a, const plan::UnloadedFile& c) { return a.url() < c.url(); });
  int64_t rows = 0;
  for (const auto& f : out.unloaded) rows += f.rows();
  if (spec.manifest()) {
    std::string m = "{\n  \"entries\": [\n";
    for (size_t i = 0; i < out.unloaded.size(); ++i) {
      const auto& f = out.unloaded[i];
      m += StrCat("    {\"url\":\"", f.url(), "\",\"meta\":{\"content_length\":", f.bytes(), ",\"record_count\":", f.rows(), "}}",
                  i + 1 < out.unloaded.size() ? "," : "", "\n");
    }
    m += "  ]";
    if (spec.manifest_verbose()) {
      m += ",\n  \"schema\": {\"elements\": [";
      for (int c = 0; c < spec.column_names_size(); ++c) {
        m += StrCat(c ? "," : "", "{\"name\":\"", spec.column_names(c), "\",\"type\":{\"base\":\"",
                    FromProtoType(spec.column_types(c)).ToString(), "\"}}");
      }
      m += "]},\n  \"author\": {\"name\": \"Strata\", \"version\": \"0.1\"},\n";
      m += StrCat("  \"meta\": {\"content_length\": ", [&] { int64_t s = 0; for (const auto& f : out.unloaded) s += f.bytes(); return s; }(),
                  ", \"record_count\": ", rows, "}");
    }
    m += "\n}\n";
    std::string url = spec.prefix() + "manifest";
    auto sink = store->OpenWrite(url);
    sink->Append(m);
    sink->Finish();
  }
  StatementResult r;
  r.notices.push_back(StrCat("UNLOAD completed, ", rows, " record(s) unloaded successfully."));
  r.command_tag = "UNLOAD";
  Metrics::Get().AddUnloadRows(rows);
  return r;
}

}  // namespace strata
