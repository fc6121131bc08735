// Mirroring at commit, failover to stand-ins and resync of returning nodes (failover.h).
#include "server/failover.h"
#include "server/server_log.h"
#include "catalog/slice_map.h"

#include <cstdio>
#include <sstream>

#include "io/file_io.h"

#include "sql/error.h"

namespace strata {
namespace {

using Clock = std::chrono::steady_clock;
using Serving = ComputeSlot::Serving;

bool Alive(const ComputeSlot& s, Clock::time_point now) { return PrimaryAlive(s, now); }

double MsSince(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

}  // namespace

FailoverManager::FailoverManager(Cluster* cluster, CatalogStore* catalog, SnapshotRegistry* snapshots, std::string state_file)
    : cluster_(cluster), catalog_(catalog), snapshots_(snapshots), state_file_(std::move(state_file)) {
  // The mirrors the last leader knew to lack commits; with no record (a cluster from before
  // mirroring), every one, until resynced once its processes are up.
  const int nodes = cluster_->shape().compute_nodes;
  bool known = false;
  if (!state_file_.empty() && PathExists(state_file_)) {
    std::istringstream in(ReadFileBytes(state_file_));
    std::string word;
    known = in >> word && word == "behind:";
    int id;
    while (known && in >> id) {
      if (id >= 0 && id < nodes) dirty_.insert(id);
    }
  }
  if (!known) {
    for (int id = 0; id < nodes; ++id) dirty_.insert(id);
  }
  for (int id = 0; id < nodes; ++id) cluster_->SetMirrorBehind(id, dirty_.count(id) > 0);
}

void FailoverManager::SaveDirty() {
  std::string text = "behind:";
  for (int id : dirty_) {
    text += ' ';
    text += std::to_string(id);
  }
  text += "\n";
  if (!state_file_.empty() && !WriteFileDurably(state_file_, text)) {
    ServerLogf("cannot write %s\n", state_file_.c_str());
  }
}

FailoverManager::~FailoverManager() { Stop(); }

void FailoverManager::Start() {
  catalog_->SetCommitHook([this](const CatalogVersion& w, const CatalogChanges& c) { return BeforeCommit(w, c); });
  thread_ = std::thread([this] { Loop(); });
  sync_thread_ = std::thread([this] { SyncLoop(); });
}

void FailoverManager::Stop() {
  {
    std::lock_guard<std::mutex> lock(stop_mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (sync_thread_.joinable()) sync_thread_.join();
}

void FailoverManager::Enqueue(SyncJob job) {
  std::lock_guard<std::mutex> lock(stop_mu_);
  if (pending_.insert(job).second) stop_cv_.notify_all();
}

void FailoverManager::SyncLoop() {
  std::unique_lock<std::mutex> lock(stop_mu_);
  for (;;) {
    stop_cv_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
    if (stopping_) return;
    SyncJob job = *pending_.begin();
    lock.unlock();
    try {
      std::map<int, ComputeSlot> slots = cluster_->Slots();
      auto it = slots.find(job.second);
      if (job.first == kResyncNode) {
        if (it != slots.end() && it->second.primary_needs_sync && Alive(it->second, Clock::now())) Resync(job.second, slots);
      } else {
        bool dirty;
        {
          std::lock_guard<std::mutex> hold(mu_);
          dirty = dirty_.count(job.second) > 0;
        }
        if (dirty) RepairMirror(job.second, slots);
      }
    } catch (const std::exception& e) {
      ServerLogf("resync: %s\n", e.what());
    }
    lock.lock();
    // Taken off only now: Tick does not queue the same job again while it runs.
    pending_.erase(job);
  }
}

void FailoverManager::MarkDirty(int id) {
  std::lock_guard<std::mutex> lock(mu_);
  ++dirty_generation_[id];
  if (!dirty_.insert(id).second) return;
  cluster_->SetMirrorBehind(id, true);
  SaveDirty();  // before the degraded commit is acknowledged
  ClusterEvent e;
  e.node = id;
  e.event = "mirror behind";
  e.other_node = MirrorProcessOf(id, cluster_->shape().compute_nodes);
  cluster_->events().Add(std::move(e));
}

void FailoverManager::WithCommitsHeld(const std::function<void()>& fn) {
  std::unique_lock<std::shared_mutex> hold(gate_);
  fn();
}

void FailoverManager::Reshaped(int nodes) {
  std::lock_guard<std::mutex> lock(mu_);
  dirty_.clear();
  for (int id = 0; id < nodes && nodes > 1; ++id) {
    ++dirty_generation_[id];
    dirty_.insert(id);
    cluster_->SetMirrorBehind(id, true);
  }
  SaveDirty();
  ClusterEvent e;
  e.event = "resized";
  e.detail = "the mirror ring changes with the node count: every mirror is rebuilt";
  cluster_->events().Add(std::move(e));
}

std::vector<std::string> FailoverManager::LiveOf(int id) const {
  auto by_node = snapshots_->LiveManifestsByNode(*catalog_->Current());
  auto it = by_node.find(id);
  return it == by_node.end() ? std::vector<std::string>{} : it->second;
}

std::shared_ptr<void> FailoverManager::BeforeCommit(const CatalogVersion& working, const CatalogChanges& changes) {
  // A resize's own commit runs with commits held (WithCommitsHeld) and mirrors nothing: every
  // mirror is marked behind after it.
  if (changes.reshape) return nullptr;
  auto guard = std::make_shared<std::shared_lock<std::shared_mutex>>(gate_);
  CatalogPtr now = catalog_->Current();
  const std::vector<int> slice_node = SliceNodesOf(now->meta());
  const int nodes = NodeCount(slice_node);
  const bool resized = SliceNodesOf(working.meta()) != slice_node;
  // The manifests this commit makes current that the committed version does not name yet.
  // Each with the version it replaces on its slice ("" for none): the committed one, which its
  // own commit mirrored, so the push can send only what is new (compute_mirror.cpp).
  std::map<int, std::vector<std::pair<std::string, std::string>>> per_node;
  auto consider = [&](int64_t id) {
    const catalog::Table* t = working.TableById(id);
    if (t == nullptr) return;
    const catalog::Table* before = now->TableById(id);
    for (const auto& [slice, mid] : t->manifest_by_slice()) {
      if (mid.empty()) continue;
      std::string base;
      if (before != nullptr) {
        auto it = before->manifest_by_slice().find(slice);
        if (it != before->manifest_by_slice().end() && it->second == mid) continue;
        if (it != before->manifest_by_slice().end()) base = it->second;
      }
      per_node[slice < static_cast<int>(slice_node.size()) ? slice_node[slice] : -1].emplace_back(mid, base);
    }
  };
  for (int64_t id : changes.created) {
    if (!changes.dropped.count(id)) consider(id);
  }
  for (const auto& [id, version] : changes.written) {
    if (!changes.dropped.count(id) && !changes.created.count(id)) consider(id);
  }
  if (per_node.empty()) return guard;
  if (resized || per_node.count(-1)) {
    // Its rows went to the slices where they were before the resize; some have moved since.
    SqlError e(sqlstate::kSerializationFailure, "could not commit: the cluster was resized while this transaction wrote");
    e.WithHint("The transaction can be retried.");
    throw e;
  }
  std::map<int, ComputeSlot> slots = cluster_->Slots();
  for (int id = 0; id < nodes; ++id) slots[id];  // every node has an entry: the threads below only read
  std::mutex err_mu;
  std::optional<SqlError> refused;
  auto push = [&](int node, const std::vector<std::pair<std::string, std::string>>& ids) {
    const ComputeSlot& slot = slots.at(node);
    std::optional<rpc::NodeAddress> source = slot.serving == Serving::kPrimary   ? slot.primary
                                             : slot.serving == Serving::kStandin ? slot.standin
                                                                                 : std::nullopt;
    auto refuse = [&](const std::string& why) {
      std::lock_guard<std::mutex> lock(err_mu);
      SqlError e(sqlstate::kSerializationFailure,
                 StrCat("could not commit: compute node ", node, " failed after this transaction wrote to it (", why, ")"));
      e.WithHint("The transaction can be retried.");
      if (!refused) refused = e;
    };
    if (!source) return refuse("its slices are not served now");
    rpc::PushObjects req;
    for (const auto& [id, base] : ids) {
      req.add_manifests(id);
      req.add_base_manifests(base);
    }
    req.mutable_from()->set_mirror_of(-1);
    req.mutable_to()->set_mirror_of(node);
    bool mirrored = false;
    if (nodes > 1 && slot.serving == Serving::kPrimary) {
      const ComputeSlot& m = slots.at(MirrorProcessOf(node, nodes));
      if (Alive(m, Clock::now())) {
        req.set_host(m.primary->host());
        req.set_port(m.primary->port());
        mirrored = true;
      }
    }
    // A stand-in's store is the mirror itself: there is no second copy until the node returns.
    bool lagging = nodes > 1 && slot.serving == Serving::kPrimary && !mirrored;
    bool source_failed = false;
    try {
      cluster_->PushObjects(*source, req, &source_failed);
    } catch (const SqlError& e) {
      if (source_failed || std::string(e.sqlstate()) != sqlstate::kConnectionFailure || !mirrored) {
        return refuse(e.message());
      }
      lagging = true;  // the mirror's process failed: the commit goes on without it
    }
    if (lagging) MarkDirty(node);
  };
  if (per_node.size() == 1) {
    push(per_node.begin()->first, per_node.begin()->second);  // one node: no thread to start
  } else {
    std::vector<std::thread> threads;
    for (const auto& [node, ids] : per_node) threads.emplace_back([&, node = node] { push(node, per_node.at(node)); });
    for (auto& t : threads) t.join();
  }
  if (refused) {
    ClusterEvent e;
    e.event = "commit refused";
    e.detail = refused->message();
    cluster_->events().Add(std::move(e));
    throw *refused;
  }
  return guard;
}

void FailoverManager::Loop() {
  std::unique_lock<std::mutex> lock(stop_mu_);
  while (!stopping_) {
    lock.unlock();
    try {
      Tick();
    } catch (const std::exception& e) {
      ServerLogf("failover check: %s\n", e.what());
    }
    lock.lock();
    stop_cv_.wait_for(lock, kTick, [this] { return stopping_; });
  }
}

void FailoverManager::Tick() {
  const int nodes = cluster_->shape().compute_nodes;
  std::map<int, ComputeSlot> slots = cluster_->Slots();
  Clock::time_point now = Clock::now();
  for (int id = 0; id < nodes; ++id) {
    ComputeSlot& s = slots[id];
    // A node that never joined this leader is failed over once the others had time to join.
    if (!s.primary && now - started_ < kJoinGrace) continue;
    // A restarted process may have missed commits to the mirror it keeps.
    if (s.primary && seen_incarnation_[id] != s.primary_incarnation) {
      if (seen_incarnation_[id] != 0 && nodes > 1) MarkDirty((id - 1 + nodes) % nodes);
      seen_incarnation_[id] = s.primary_incarnation;
    }
    const bool alive = Alive(s, now);
    if (s.serving == Serving::kPrimary && !alive) {
      ServerLogf("compute node %d is down (no heartbeat for %.0f ms)\n", id, MsSince(s.primary_heard));
      ClusterEvent e;
      e.node = id;
      e.event = "down";
      e.detail = "no heartbeat, or no answer to a ping after a statement failed on it";
      cluster_->events().Add(std::move(e));
      cluster_->StopServing(id, Serving::kPrimary);
      s.serving = Serving::kNone;
    }
    if (s.serving == Serving::kStandin && now - s.standin_heard > Cluster::kNodeDeadAfter) {
      ServerLogf("the stand-in for compute node %d is down\n", id);
      cluster_->StopServing(id, Serving::kStandin);
      s.serving = Serving::kNone;
      s.standin_wanted = false;
    }
    if (s.serving == Serving::kNone && !alive) {
      const bool asked = s.standin_wanted && now - s.standin_asked < kStandinPatience;
      bool clean;
      {
        std::lock_guard<std::mutex> lock(mu_);
        clean = !dirty_.count(id);
      }
      const ComputeSlot& m = slots[MirrorProcessOf(id, nodes)];
      if (nodes > 1 && !asked && clean && Alive(m, now)) {
        ServerLogf("compute node %d failed; node %d serves its slices from their mirror\n", id,
                     MirrorProcessOf(id, nodes));
        cluster_->WantStandin(id);
        try {
          Clock::time_point asked_at = Clock::now();
          cluster_->TakeOver(*m.primary, id);
          ClusterEvent e;
          e.node = id;
          e.event = "standin";
          e.other_node = MirrorProcessOf(id, nodes);
          e.duration_ms = MsSince(asked_at);
          e.detail = "its slices are served from their mirror";
          cluster_->events().Add(std::move(e));
        } catch (const SqlError& e) {
          ServerLogf("node %d could not stand in for node %d: %s\n", MirrorProcessOf(id, nodes), id,
                       e.what());
        }
      }
    }
    if (alive && s.primary_needs_sync) Enqueue({kResyncNode, id});
  }
  // Mirrors known to lack commits, once both processes serve.
  for (int id = 0; id < nodes && nodes > 1; ++id) {
    bool dirty;
    {
      std::lock_guard<std::mutex> lock(mu_);
      dirty = dirty_.count(id) > 0;
    }
    if (dirty) Enqueue({kRepairMirror, id});
  }
}

void FailoverManager::Resync(int id, const std::map<int, ComputeSlot>& slots) {
  const int nodes = cluster_->shape().compute_nodes;
  const ComputeSlot& s = slots.at(id);
  Clock::time_point start = Clock::now();
  // The source: the stand-in serving the slices, else the mirror the next process keeps.
  std::optional<rpc::NodeAddress> source;
  int from_store = -1;
  if (s.serving == Serving::kStandin && s.standin) {
    source = s.standin;
  } else if (nodes > 1) {
    auto it = slots.find(MirrorProcessOf(id, nodes));
    // Its process must be alive; whether it serves its own slices yet does not matter (after a
    // leader restart every node resyncs at once, each from the other's mirror).
    if (it != slots.end() && Alive(it->second, Clock::now())) {
      source = it->second.primary;
      from_store = id;
    }
  }
  auto push = [&](const std::vector<std::string>& live) {
    rpc::PushObjects req;
    for (const auto& m : live) req.add_manifests(m);
    req.mutable_from()->set_mirror_of(from_store);
    req.set_host(s.primary->host());
    req.set_port(s.primary->port());
    req.mutable_to()->set_mirror_of(-1);
    req.set_tolerate_missing(true);  // either copy may be the one behind
    bool source_failed = false;
    return cluster_->PushObjects(*source, req, &source_failed);
  };
  std::vector<std::string> live = LiveOf(id);
  rpc::PushReply bulk;
  if (!live.empty() && !source) {
    // Nothing holds a copy now (one node, or the mirror's process is down too). With two nodes
    // or more it waits a while for the mirror's process; then it serves what it has: a read of
    // something it lacks fails (58030) rather than answering from old data.
    auto [it, first] = waiting_for_source_.emplace(id, Clock::now());
    if (nodes > 1 && Clock::now() - it->second < kSourcePatience) return;
    ServerLogf("compute node %d serves without a resync: no copy of its slices is reachable\n", id);
  } else if (!live.empty()) {
    try {
      bulk = push(live);
    } catch (const SqlError& e) {
      ServerLogf("resync of compute node %d: %s (retrying)\n", id, e.what());
      return;
    }
  }
  waiting_for_source_.erase(id);
  {
    std::unique_lock<std::shared_mutex> hold(gate_);
    if (source && !live.empty()) {
      try {
        rpc::PushReply delta = push(LiveOf(id));  // what was committed meanwhile
        bulk.set_unavailable(delta.unavailable());
      } catch (const SqlError& e) {
        ServerLogf("resync of compute node %d: %s (retrying)\n", id, e.what());
        return;
      }
    }
    if (!cluster_->PrimarySynced(id, s.primary_incarnation)) return;
  }
  ClusterEvent ev;
  ev.node = id;
  ev.event = "serving";
  ev.objects = bulk.sent_objects();
  ev.bytes = bulk.sent_bytes();
  ev.duration_ms = MsSince(start);
  ev.detail = s.serving == Serving::kStandin ? "its own process serves again; the stand-in retires"
                                             : "its own process serves its slices";
  if (bulk.unavailable() > 0) ev.detail += StrCat("; ", bulk.unavailable(), " objects are in no reachable copy");
  cluster_->events().Add(std::move(ev));
  if (bulk.sent_objects() > 0 || s.serving == Serving::kStandin) {
    ServerLogf("compute node %d serves its slices again (resynced %lld objects, %lld bytes, in %.0f ms)\n",
                 id, static_cast<long long>(bulk.sent_objects()), static_cast<long long>(bulk.sent_bytes()), MsSince(start));
  }
  if (bulk.unavailable() > 0) {
    // Neither copy holds these: reads that need them fail with 58030 (never wrong answers).
    ServerLogf("compute node %d lacks %lld objects that no reachable copy holds\n", id,
                 static_cast<long long>(bulk.unavailable()));
  }
}

void FailoverManager::RepairMirror(int id, const std::map<int, ComputeSlot>& slots) {
  const int nodes = cluster_->shape().compute_nodes;
  Clock::time_point now = Clock::now();
  auto it = slots.find(id);
  auto mt = slots.find(MirrorProcessOf(id, nodes));
  if (it == slots.end() || mt == slots.end()) return;
  const ComputeSlot& s = it->second;
  const ComputeSlot& m = mt->second;
  if (s.serving != Serving::kPrimary || !Alive(s, now) || !Alive(m, now)) return;
  // What to send, taken with no commit between its mirroring and its end (the gate): a commit
  // that failed to mirror before is in `live`, one that fails after bumps the generation, and
  // then this repair does not mark the mirror in sync.
  uint64_t generation;
  std::vector<std::string> live;
  {
    std::unique_lock<std::shared_mutex> hold(gate_);
    {
      std::lock_guard<std::mutex> lock(mu_);
      generation = dirty_generation_[id];
    }
    live = LiveOf(id);
  }
  bool ok = false;
  rpc::PushObjects req;
  for (const auto& mid : live) req.add_manifests(mid);
  req.mutable_from()->set_mirror_of(-1);
  req.set_host(m.primary->host());
  req.set_port(m.primary->port());
  req.mutable_to()->set_mirror_of(id);
  req.set_tolerate_missing(true);
  bool source_failed = false;
  try {
    Clock::time_point start = Clock::now();
    rpc::PushReply r = cluster_->PushObjects(*s.primary, req, &source_failed);
    std::lock_guard<std::mutex> lock(mu_);
    // Not in sync when the node lacks some of its own objects (a restore still bringing them
    // over) or a commit failed to mirror meanwhile: later.
    ok = dirty_generation_[id] == generation && r.unavailable() == 0;
    if (ok) {
      dirty_.erase(id);
      SaveDirty();
    }
    if (ok) {
      ClusterEvent e;
      e.node = id;
      e.event = "mirror repaired";
      e.other_node = MirrorProcessOf(id, nodes);
      e.objects = r.sent_objects();
      e.bytes = r.sent_bytes();
      e.duration_ms = MsSince(start);
      cluster_->events().Add(std::move(e));
    }
    if (r.sent_objects() > 0) {
      ServerLogf("the mirror of compute node %d on node %d is up to date (%lld objects, %lld bytes, %.0f ms)\n",
                   id, MirrorProcessOf(id, nodes), static_cast<long long>(r.sent_objects()),
                   static_cast<long long>(r.sent_bytes()), MsSince(start));
    }
  } catch (const SqlError& e) {
    MarkDirty(id);
    // Said once per distinct reason: a restore still bringing blocks over fails here each tick.
    std::lock_guard<std::mutex> lock(mu_);
    if (last_repair_error_[id] != e.message()) {
      last_repair_error_[id] = e.message();
      ServerLogf("repairing the mirror of compute node %d: %s (retrying)\n", id, e.what());
    }
  }
  if (ok) {
    cluster_->SetMirrorBehind(id, false);
    std::lock_guard<std::mutex> lock(mu_);
    last_repair_error_.erase(id);
  }
}

}  // namespace strata
