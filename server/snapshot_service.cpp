// The leader's snapshots: taking, deleting, expiring, the automated schedule (snapshot_service.h).
#include "server/snapshot_service.h"
#include "server/server_log.h"
#include "catalog/slice_map.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <unordered_set>

#include "planner/clock_functions.h"
#include "replication/progress.h"
#include "sql/error.h"

namespace strata {
namespace {

constexpr int64_t kMicrosPerSecond = 1000000;
// Pinned catalog versions of snapshots take session ids from here up (sessions count from 1).
constexpr uint64_t kPinBase = uint64_t{1} << 62;

std::string AutomatedName(int64_t micros) {
  std::time_t t = static_cast<std::time_t>(micros / kMicrosPerSecond + 946684800);  // from 2000 to 1970
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "auto-%Y-%m-%d-%H-%M-%S", &tm);
  return buf;
}

SnapshotRow RowOf(const replication::SnapshotRecord& r) {
  SnapshotRow row;
  row.name = r.name();
  row.type = r.type();
  row.status = "complete";
  row.start_time = r.start_time();
  row.end_time = r.end_time();
  row.commit_id = r.commit_id();
  row.table_count = r.table_count();
  row.total_bytes = r.total_bytes();
  row.uploaded_bytes = r.uploaded_bytes();
  row.retention_days = r.retention_days();
  row.expires_at = r.expires_at();
  return row;
}

}  // namespace

void SetStoreOf(rpc::SnapshotUpload* req, const std::string& location, const ObjectStoreConfig& config) {
  req->set_location(location);
  req->set_endpoint(config.endpoint);
  req->set_region(config.region);
  req->set_access_key_id(config.access_key_id);
  req->set_secret_access_key(config.secret_access_key);
  req->set_session_token(config.session_token);
}

int64_t ParseDurationSeconds(const std::string& text) {
  size_t i = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  if (i == 0 || i > 12) return -1;
  int64_t n = std::stoll(text.substr(0, i));
  std::string unit = text.substr(i);
  while (!unit.empty() && unit.front() == ' ') unit.erase(0, 1);
  for (auto& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (unit.empty() || unit == "s" || unit == "sec" || unit == "seconds") return n;
  if (unit == "min" || unit == "m" || unit == "minutes") return n * 60;
  if (unit == "h" || unit == "hours") return n * 3600;
  if (unit == "d" || unit == "days") return n * 86400;
  return -1;
}

SnapshotService::SnapshotService(SnapshotSettings settings, CatalogStore* catalog, Cluster* cluster,
                                 SnapshotRegistry* registry, std::string data_dir)
    : settings_(std::move(settings)), config_(ObjectStoreConfig::FromEnvironment()), catalog_(catalog),
      cluster_(cluster), registry_(registry), data_dir_(std::move(data_dir)) {
  if (!settings_.location.empty()) store_ = std::make_unique<SnapshotStore>(settings_.location, config_);
}

SnapshotService::~SnapshotService() { Stop(); }

SnapshotStore& SnapshotService::store() {
  if (!store_) {
    throw SqlError(sqlstate::kObjectNotInPrerequisiteState, "this cluster has no snapshot location")
        .WithHint("Start it with --snapshot-location s3://bucket/prefix/ or file:///folder/.");
  }
  return *store_;
}

void SnapshotService::Start() {
  if (!store_) return;
  int64_t now = ClockMicros();
  try {
    // Markers of ours that no snapshot is completing any more: interrupted before a restart.
    for (const SnapshotListing& l : store_->List()) {
      if (l.complete) {
        if (l.record.type() == "automated" && l.record.start_time() > last_automated_micros_) {
          last_automated_micros_ = l.record.start_time();
          last_automated_commit_ = l.record.commit_id();
        }
      } else if (l.started.source_cluster() == data_dir_) {
        dead_markers_.insert(l.name);
      }
    }
  } catch (const SqlError& e) {
    ServerLogf("snapshot location %s: %s\n", store_->location().c_str(), e.what());
  }
  if (last_automated_micros_ == 0) last_automated_micros_ = now;
  scheduler_ = std::thread([this] { ScheduleLoop(); });  // expiry runs even without automated snapshots
}

void SnapshotService::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  stop_uploads_ = true;
  stop_cv_.notify_all();
  if (scheduler_.joinable()) scheduler_.join();
}

replication::SnapshotRecord SnapshotService::Create(const std::string& name, const std::string& type, int retention_days,
                                                    int64_t retention_seconds, const std::atomic<bool>* cancelled) {
  CheckSnapshotName(name);
  SnapshotStore& st = store();
  std::lock_guard<std::mutex> op(op_mu_);
  if (st.Exists(name)) {
    throw SqlError(sqlstate::kDuplicateObject, StrCat("snapshot \"", name, "\" already exists in ", st.location()));
  }
  CatalogPtr cat = catalog_->Current();
  const uint64_t pin = kPinBase + next_pin_++;
  registry_->Register(pin, cat);  // garbage collection keeps this version's blocks meanwhile
  SnapshotRow row;
  row.name = name;
  row.type = type;
  row.status = "in progress";
  row.start_time = ClockMicros();
  row.commit_id = cat->meta().commit_seq();
  row.retention_days = retention_days;
  {
    std::lock_guard<std::mutex> lock(mu_);
    in_flight_[name] = row;
    failed_.erase(name);
  }
  try {
    replication::SnapshotStarted started;
    started.set_name(name);
    started.set_type(type);
    started.set_start_time(row.start_time);
    started.set_commit_id(row.commit_id);
    started.set_retention_days(retention_days);
    started.set_source_cluster(data_dir_);
    st.WriteStarted(started);

    replication::SnapshotRecord record;
    record.set_name(name);
    record.set_type(type);
    record.set_start_time(row.start_time);
    record.set_commit_id(row.commit_id);
    record.set_retention_days(retention_days);
    record.set_source_cluster(data_dir_);
    catalog::Catalog* c = record.mutable_catalog();
    *c = cat->meta();
    c->clear_tables();
    const std::vector<int> slice_node = SliceNodesOf(cat->meta());
    std::map<int, rpc::SnapshotUpload> per_node;
    int64_t estimate = 0;
    for (const auto& t : cat->tables()) {
      if (t.temporary()) continue;  // a session's own, gone with it
      *c->add_tables() = t;
      if (t.is_view() || t.has_external()) continue;
      record.set_table_count(record.table_count() + 1);
      for (const auto& [slice, id] : t.manifest_by_slice()) {
        if (id.empty()) continue;
        per_node[slice_node.at(slice)].add_manifests(id);
      }
    }
    for (auto& [node, req] : per_node) SetStoreOf(&req, st.location(), config_);
    if (!per_node.empty()) {
      for (const auto& b : cluster_->AllTableBlocks(*cat)) estimate += b.size_bytes();
    }
    ProgressMeter meter("snapshot", name, st.location(), estimate);
    std::vector<rpc::SnapshotUploadReply> replies;
    if (!per_node.empty()) {
      replies = cluster_->UploadSnapshot(per_node, [&](int64_t b) { meter.Add(b); }, cancelled);
    }
    std::unordered_set<std::string> seen;
    std::unordered_set<std::string> uploaded;
    for (const auto& r : replies) {
      for (const auto& o : r.objects()) {
        // Nodes may hold the same block (DISTSTYLE ALL): it is stored, and counted, once.
        if (o.uploaded() && uploaded.insert(o.id()).second) record.set_uploaded_bytes(record.uploaded_bytes() + o.size());
        if (!seen.insert(o.id()).second) continue;
        auto* x = record.add_objects();
        x->set_id(o.id());
        x->set_size(o.size());
        x->set_manifest(o.manifest());
        record.set_total_bytes(record.total_bytes() + o.size());
      }
    }
    record.set_end_time(ClockMicros());
    if (retention_seconds > 0) {
      record.set_retention_seconds(retention_seconds);
      record.set_expires_at(record.start_time() + retention_seconds * kMicrosPerSecond);
    } else if (retention_days >= 0) {
      record.set_expires_at(record.start_time() + int64_t{retention_days} * 86400 * kMicrosPerSecond);
    }
    st.WriteRecord(record);  // the commit point
    registry_->Unregister(pin);
    std::lock_guard<std::mutex> lock(mu_);
    in_flight_.erase(name);
    return record;
  } catch (const SqlError& e) {
    registry_->Unregister(pin);
    std::lock_guard<std::mutex> lock(mu_);
    in_flight_.erase(name);
    row.status = "failed";
    row.end_time = ClockMicros();
    failed_[name] = row;
    dead_markers_.insert(name);
    throw;
  }
}

int64_t SnapshotService::Drop(const std::string& name) {
  SnapshotStore& st = store();
  std::lock_guard<std::mutex> op(op_mu_);
  st.RemoveRecords(name);
  {
    std::lock_guard<std::mutex> lock(mu_);
    failed_.erase(name);
    dead_markers_.erase(name);
  }
  return SweepLocked().bytes_removed;
}

SweepResult SnapshotService::SweepLocked() {
  std::unordered_set<std::string> ignore;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ignore = dead_markers_;
  }
  SweepResult r = store_->Sweep(ignore);
  if (!r.blocked_by.empty()) {
    ServerLogf("snapshot store sweep skipped: snapshot \"%s\" is in progress elsewhere\n",
                 r.blocked_by.c_str());
  }
  return r;
}

void SnapshotService::ExpireLocked() {
  int64_t now = ClockMicros();
  // Listing the store reads every record: at most every few seconds.
  if (now - last_expiry_micros_ < 3 * kMicrosPerSecond) return;
  last_expiry_micros_ = now;
  bool removed = false;
  for (const SnapshotListing& l : store_->List()) {
    if (!l.complete || l.record.expires_at() == 0 || l.record.expires_at() > now) continue;
    try {
      store_->RemoveRecords(l.name);
      removed = true;
    } catch (const SqlError&) {
      // Removed by someone else meanwhile.
    }
  }
  if (removed) SweepLocked();
}

std::vector<SnapshotRow> SnapshotService::Rows() {
  std::vector<SnapshotRow> rows;
  if (!store_) return rows;
  std::map<std::string, SnapshotRow> in_flight, failed;
  std::unordered_set<std::string> dead;
  {
    std::lock_guard<std::mutex> lock(mu_);
    in_flight = in_flight_;
    failed = failed_;
    dead = dead_markers_;
  }
  for (const SnapshotListing& l : store_->List()) {
    if (l.complete) {
      rows.push_back(RowOf(l.record));
      continue;
    }
    if (in_flight.count(l.name) > 0 || failed.count(l.name) > 0) continue;  // added below
    SnapshotRow row;
    row.name = l.name;
    row.type = l.started.type();
    // Another cluster's snapshot, or ours from before a restart (never to complete).
    row.status = dead.count(l.name) > 0 ? "failed" : "in progress";
    row.start_time = l.started.start_time();
    row.commit_id = l.started.commit_id();
    row.retention_days = l.started.retention_days();
    rows.push_back(row);
  }
  for (auto& [name, row] : in_flight) rows.push_back(row);
  for (auto& [name, row] : failed) rows.push_back(row);
  return rows;
}

void SnapshotService::ScheduleLoop() {
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (stop_cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; })) return;
    }
    try {
      RunScheduledWork();
    } catch (const std::exception& e) {
      ServerLogf("automated snapshot: %s\n", e.what());
    }
  }
}

void SnapshotService::RunScheduledWork() {
  if (settings_.retention_seconds <= 0) {  // automated snapshots are off: only expiry
    std::lock_guard<std::mutex> op(op_mu_);
    ExpireLocked();
    return;
  }
  int64_t now = ClockMicros();
  bool due = now - last_automated_micros_ >= settings_.interval_seconds * kMicrosPerSecond;
  std::vector<int64_t> written = cluster_->StorageBytesWritten();
  if (bytes_at_last_.size() != written.size()) bytes_at_last_.assign(written.size(), 0);
  for (size_t i = 0; i < written.size(); ++i) {
    // A restarted node counts from 0 again: take that as its new base.
    if (written[i] < bytes_at_last_[i]) bytes_at_last_[i] = 0;
    if (written[i] - bytes_at_last_[i] >= settings_.change_bytes) due = true;
  }
  if (due) {
    CatalogPtr cat = catalog_->Current();
    // Nothing committed since the last automated snapshot: there is nothing new to keep.
    if (cat->meta().commit_seq() != last_automated_commit_) {
      std::string name = AutomatedName(now);
      for (int k = 2; store_->Exists(name); ++k) name = StrCat(AutomatedName(now), "-", k);
      replication::SnapshotRecord r = Create(name, "automated", static_cast<int>(settings_.retention_seconds / 86400),
                                              settings_.retention_seconds, &stop_uploads_);
      last_automated_commit_ = r.commit_id();
      if (!settings_.copy_location.empty()) {
        SnapshotStore to(settings_.copy_location, config_);
        ProgressMeter meter("copy", name, to.location(), r.total_bytes());
        CopySnapshot(*store_, to, name, [&](int64_t b) { meter.Add(b); });
      }
    }
    last_automated_micros_ = now;
    bytes_at_last_ = written;
  }
  std::lock_guard<std::mutex> op(op_mu_);
  ExpireLocked();
}

}  // namespace strata
