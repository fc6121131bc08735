// Restoring a cluster from a snapshot: preparing the data folder, filling the tables, and the
// gate that holds statements back from tables not filled yet (restore.h).
#include "server/restore.h"
#include "server/server_log.h"
#include "catalog/slice_map.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>

#include <unistd.h>

#include "io/file_io.h"
#include "planner/clock_functions.h"
#include "replication/progress.h"
#include "replication/snapshot_store.h"
#include "server/rpc.pb.h"
#include "server/snapshot_service.h"
#include "sql/error.h"

namespace strata {
namespace {

std::string StatePath(const std::string& data_dir) { return data_dir + "/leader/restore.pb"; }

bool HasCatalog(const std::string& data_dir) {
  return PathExists(data_dir + "/leader/catalog/root.pb") || PathExists(data_dir + "/leader/catalog.pb");
}

void WriteState(const std::string& data_dir, const replication::RestoreState& st) {
  WriteFileDurably(StatePath(data_dir), st.SerializeAsString());
}

// Writes the snapshot's catalog, without rows, for the new shape; returns the restore's state.
replication::RestoreState WriteRestoredCatalog(const std::string& data_dir, const std::string& location,
                                               const std::string& snapshot, int* compute_nodes, int* slices_per_node) {
  SnapshotStore store(location, ObjectStoreConfig::FromEnvironment());
  replication::SnapshotRecord rec = store.Read(snapshot);
  catalog::Catalog c = rec.catalog();
  if (*compute_nodes <= 0) *compute_nodes = c.compute_nodes() > 0 ? c.compute_nodes() : 2;
  if (*slices_per_node <= 0) *slices_per_node = c.slices_per_node() > 0 ? c.slices_per_node() : 2;
  replication::RestoreState st;
  st.set_direct(*compute_nodes == c.compute_nodes() && *slices_per_node == c.slices_per_node());
  c.set_compute_nodes(*compute_nodes);
  c.set_slices_per_node(*slices_per_node);
  // A resized cluster's slice map holds for the same node count only (its slices move with it).
  if (!st.direct()) c.clear_slice_node();
  st.set_location(store.location());
  st.set_snapshot(snapshot);
  st.set_total_bytes(rec.total_bytes());
  for (auto& t : *c.mutable_tables()) {
    if (t.is_view() || t.has_external()) continue;
    bool has_rows = false;
    for (const auto& [slice, id] : t.manifest_by_slice()) has_rows |= !id.empty();
    if (has_rows) st.add_pending_tables(t.id());
    if (st.direct()) continue;  // the same slices: the snapshot's manifests stay
    t.clear_manifest_by_slice();
    t.set_rows(0);
  }
  MakeDirectories(data_dir + "/leader");
  WriteState(data_dir, st);  // first: a catalog without it would pass for a finished restore
  WriteFileDurably(data_dir + "/leader/catalog.pb", c.SerializeAsString());
  ServerLogf("restoring snapshot \"%s\" (commit %lld, %lld tables, %s) from %s onto %d compute nodes x %d slices%s\n",
               snapshot.c_str(), static_cast<long long>(rec.commit_id()), static_cast<long long>(rec.table_count()),
               HumanBytes(rec.total_bytes()).c_str(), store.location().c_str(), *compute_nodes, *slices_per_node,
               st.direct() ? " (the same shape: blocks are fetched on demand while the rest streams in)" : "");
  return st;
}

}  // namespace

bool PrepareRestore(const std::string& data_dir, const std::string& location, const std::string& snapshot,
                    int* compute_nodes, int* slices_per_node) {
  if (PathExists(StatePath(data_dir))) {
    replication::RestoreState st;
    if (!st.ParseFromString(ReadFileBytes(StatePath(data_dir)))) {
      throw SqlError(sqlstate::kDataCorrupted, StrCat(StatePath(data_dir), " does not parse"));
    }
    if (!location.empty() && (NormalizeSnapshotLocation(location) != st.location() || snapshot != st.snapshot())) {
      throw SqlError(sqlstate::kObjectNotInPrerequisiteState,
                     StrCat(data_dir, " holds an unfinished restore of snapshot \"", st.snapshot(), "\" from ",
                            st.location(), "; restore into a new, empty folder instead"));
    }
    if (!HasCatalog(data_dir)) {  // stopped between the state and the catalog: start again
      WriteRestoredCatalog(data_dir, st.location(), st.snapshot(), compute_nodes, slices_per_node);
      return true;
    }
    ServerLogf("resuming the restore of snapshot \"%s\" from %s: %d tables to go\n",
                 st.snapshot().c_str(), st.location().c_str(), st.pending_tables_size());
    return true;
  }
  if (location.empty() && snapshot.empty()) return false;
  if (location.empty() || snapshot.empty()) {
    throw SqlError(sqlstate::kInvalidParameterValue, "--restore-from and --snapshot go together");
  }
  CheckSnapshotName(snapshot);
  if (HasCatalog(data_dir)) {
    throw SqlError(sqlstate::kObjectNotInPrerequisiteState,
                   StrCat(data_dir, " already holds a cluster; restore into a new, empty folder"));
  }
  WriteRestoredCatalog(data_dir, location, snapshot, compute_nodes, slices_per_node);
  return true;
}

void RestoreGate::SetPending(std::set<int64_t> ids, std::string snapshot) {
  std::lock_guard<std::mutex> lock(mu_);
  pending_ = std::move(ids);
  snapshot_ = std::move(snapshot);
}

void RestoreGate::Done(int64_t id) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    pending_.erase(id);
  }
  cv_.notify_all();
}

void RestoreGate::Fail(const std::string& error) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    error_ = error;
  }
  cv_.notify_all();
}

bool RestoreGate::active() const {
  std::lock_guard<std::mutex> lock(mu_);
  return !pending_.empty();
}

std::string RestoreGate::snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return snapshot_;
}

int64_t RestoreGate::FirstPending(const std::set<int64_t>& ids) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (int64_t id : ids) if (pending_.count(id) > 0) return id;
  return -1;
}

bool RestoreGate::Wait(const std::set<int64_t>& ids, const std::atomic<bool>* cancelled, int64_t deadline_micros,
                       std::string* why) {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    bool any = false;
    for (int64_t id : ids) any |= pending_.count(id) > 0;
    if (!any) return true;
    if (!error_.empty()) {
      *why = "the restore failed: " + error_;
      return false;
    }
    if (cancelled != nullptr && cancelled->load()) {
      *why = "cancelled";
      return false;
    }
    if (deadline_micros > 0 && ClockMicros() >= deadline_micros) {
      *why = "timeout";
      return false;
    }
    cv_.wait_for(lock, std::chrono::milliseconds(100));
  }
}

RestoreRunner::RestoreRunner(LeaderContext ctx, std::string data_dir, RestoreGate* gate)
    : ctx_(std::move(ctx)), data_dir_(std::move(data_dir)), gate_(gate) {}

RestoreRunner::~RestoreRunner() {
  if (thread_.joinable()) thread_.detach();  // the process is ending; the restore resumes next time
}

void RestoreRunner::Start() {
  if (!PathExists(StatePath(data_dir_))) return;
  replication::RestoreState st;
  st.ParseFromString(ReadFileBytes(StatePath(data_dir_)));
  gate_->SetPending(std::set<int64_t>(st.pending_tables().begin(), st.pending_tables().end()), st.snapshot());
  thread_ = std::thread([this] { Run(); });
}

void RestoreRunner::Run() {
  replication::RestoreState st;
  st.ParseFromString(ReadFileBytes(StatePath(data_dir_)));
  const int64_t began = ClockMicros();
  try {
    SnapshotStore store(st.location(), ObjectStoreConfig::FromEnvironment());
    replication::SnapshotRecord rec = store.Read(st.snapshot());
    std::map<int64_t, const catalog::Table*> sources;
    int64_t all_rows = 0;
    for (const auto& t : rec.catalog().tables()) {
      sources[t.id()] = &t;
      if (!t.is_view() && !t.has_external()) all_rows += t.rows();
    }
    std::vector<int64_t> order(st.pending_tables().begin(), st.pending_tables().end());
    for (int64_t id : order) {
      if (sources.count(id) == 0) STRATA_INTERNAL_ERROR("restore: table ", id, " is not in the snapshot");
    }
    // Small tables first: they answer queries soonest.
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return sources[a]->rows() < sources[b]->rows(); });
    ProgressMeter meter("restore", st.snapshot(), st.location(), rec.total_bytes());
    // Bytes by rows: a table's share of the snapshot (its manifests are not fetched twice).
    auto share = [&](const catalog::Table& t) {
      return all_rows > 0 ? static_cast<int64_t>(static_cast<double>(rec.total_bytes()) * t.rows() / all_rows) : 0;
    };
    if (!st.direct()) {
      for (const auto& [id, t] : sources) {
        if (std::find(order.begin(), order.end(), id) == order.end() && !t->is_view() && !t->has_external()) meter.Add(share(*t));
      }
    }
    for (int attempt = 0;; ++attempt) {  // the compute nodes join as the leader starts them
      try {
        ctx_.cluster->WaitReady(60000);
        break;
      } catch (const SqlError&) {
        if (attempt >= 10) throw;
      }
    }
    if (st.direct()) {
      RunDirect(st, rec, &meter);
      meter.Draw(true);
      ::unlink(StatePath(data_dir_).c_str());
      FsyncDirectory(data_dir_ + "/leader");
      ServerLogf("restore of snapshot \"%s\" complete: every block fetched in %.1f s\n",
                   st.snapshot().c_str(), (ClockMicros() - began) / 1e6);
      return;
    }
    LeaderSession session(ctx_, kBootstrapUser, "dev", {});
    for (int64_t id : order) {
      const catalog::Table& source = *sources[id];
      int64_t rows = session.RestoreTableRows(id, source, rec.catalog().slices_per_node(), st.location());
      if (rows != source.rows()) {
        throw SqlError(sqlstate::kDataCorrupted,
                       StrCat("restored ", rows, " rows of ", source.schema(), ".", source.name(), "; the snapshot holds ",
                              source.rows()));
      }
      auto* pending = st.mutable_pending_tables();
      for (int i = 0; i < pending->size(); ++i) {
        if (pending->Get(i) == id) {
          pending->erase(pending->begin() + i);
          break;
        }
      }
      WriteState(data_dir_, st);
      gate_->Done(id);
      meter.Add(share(source));
      meter.Draw();
    }
    meter.Draw(true);
    ::unlink(StatePath(data_dir_).c_str());
    FsyncDirectory(data_dir_ + "/leader");
    ServerLogf("restore of snapshot \"%s\" complete: %zu tables in %.1f s\n", st.snapshot().c_str(),
                 order.size(), (ClockMicros() - began) / 1e6);
  } catch (const SqlError& e) {
    std::string msg = e.what();
    if (!e.detail().empty()) msg += StrCat(" (", e.detail(), ")");
    ServerLogf("the restore of snapshot \"%s\" failed: %s\n", st.snapshot().c_str(), msg.c_str());
    gate_->Fail(msg);
    failed_ = true;
  } catch (const std::exception& e) {
    ServerLogf("the restore of snapshot \"%s\" failed: %s\n", st.snapshot().c_str(), e.what());
    gate_->Fail(e.what());
    failed_ = true;
  }
}

void RestoreRunner::RunDirect(const replication::RestoreState& st, const replication::SnapshotRecord& rec,
                              ProgressMeter* meter) {
  ObjectStoreConfig config = ObjectStoreConfig::FromEnvironment();
  const std::vector<int> slice_node = SliceNodesOf(rec.catalog());
  std::map<int, rpc::SnapshotUpload> per_node;
  for (int n = 0; n < rec.catalog().compute_nodes(); ++n) SetStoreOf(&per_node[n], st.location(), config);
  for (const auto& t : rec.catalog().tables()) {
    if (t.is_view() || t.has_external()) continue;
    for (const auto& [slice, id] : t.manifest_by_slice()) {
      if (!id.empty()) per_node[slice_node.at(slice)].add_manifests(id);
    }
  }
  auto sources_set = [&] {
    // Every node fetches what it lacks on demand now: every table answers.
    for (int64_t id : st.pending_tables()) gate_->Done(id);
  };
  // A node that dies meanwhile comes back without the store (and the fetch to it fails): send
  // both again, a few times; what it already holds is not fetched twice.
  for (int attempt = 0;; ++attempt) {
    try {
      ctx_.cluster->FetchSnapshot(per_node, sources_set, [meter](int64_t b) {
        meter->Add(b);
        meter->Draw();
      });
      return;
    } catch (const SqlError& e) {
      bool lost_node = e.sqlstate().rfind("08", 0) == 0 || e.sqlstate() == sqlstate::kCannotConnectNow;
      if (!lost_node || attempt >= 5) throw;
      ServerLogf("restore of snapshot \"%s\": %s; fetching again\n", st.snapshot().c_str(), e.what());
      std::this_thread::sleep_for(std::chrono::seconds(1));
      meter->Restart();  // the nodes report every object again, present ones too
    }
  }
}

}  // namespace strata
