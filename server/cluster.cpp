#include "server/cluster.h"
#include "server/server_log.h"

#include <chrono>
#include <map>
#include <algorithm>
#include <optional>
#include <set>
#include <thread>

#include "executor/batch_codec.h"
#include "executor/batch_queue.h"
#include "server/exchange_router.h"
#include "server/stage_waves.h"
#include "server/rpc_channel.h"
#include "server/rpc_pool.h"
#include "executor/basic_operators.h"
#include "executor/worker_pool.h"
#include "sql/error.h"

namespace strata {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// How long a control call (cancel, release, ping) may take to connect and to be answered.
constexpr milliseconds kControlDeadline{5000};
// How long a waiting stage stays in one poll, and how often it pings a silent node.
constexpr milliseconds kStagePoll{200};
constexpr milliseconds kPingEvery{2000};
// A node that misses this many pings in a row is taken for dead.
constexpr int kMissedPingsForDead = 2;
// After a cancel, how long a node may take to stop before the leader stops waiting for it.
constexpr milliseconds kCancelGrace{10000};

}  // namespace

bool Cluster::Ping(const rpc::NodeAddress& node) const {
  try {
    auto ch = RpcChannel::Connect(node.host(), node.port(), secret_, kControlDeadline);
    ch->SendRaw(rpc::PING, 0, "");
    ch->Expect(rpc::ACK, kControlDeadline);
    ch->Close();
    return true;
  } catch (const SqlError&) {
    return false;
  }
}

void Cluster::WaitWhileAlive(RpcChannel& ch, const rpc::NodeAddress& node, const std::atomic<bool>* cancelled) const {
  Clock::time_point last_heard = Clock::now();
  std::optional<Clock::time_point> cancel_seen;
  int missed_pings = 0;
  while (!ch.WaitReadable(kStagePoll)) {
    Clock::time_point now = Clock::now();
    if (cancelled != nullptr && cancelled->load()) {
      if (!cancel_seen) cancel_seen = now;
      if (now - *cancel_seen > kCancelGrace) {
        throw SqlError(sqlstate::kQueryCanceled, "canceling statement due to user request");
      }
    }
    if (now - last_heard >= kPingEvery) {
      missed_pings = Ping(node) ? 0 : missed_pings + 1;
      last_heard = Clock::now();
      if (missed_pings >= kMissedPingsForDead) {
        throw SqlError(sqlstate::kConnectionFailure,
                       StrCat("compute node ", node.node_id(), " stopped answering (", kMissedPingsForDead,
                              " pings missed in a row); the statement was stopped"));
      }
    }
  }
}

int Cluster::Register(const rpc::RegisterNode& reg) {
  std::lock_guard<std::mutex> lock(mu_);
  if (reg.role() == "spectrum") {
    // Workers `serve` starts have ids 0..N-1; one started by hand (strata spectrum --join)
    // without --node-id gets an id from 1000 up, so it never takes a started worker's place.
    int id = reg.node_id() >= 0 ? reg.node_id() : 1000 + spectrum_count_++;
    rpc::NodeAddress a;
    a.set_node_id(id);
    a.set_host(reg.host());
    a.set_port(reg.port());
    spectrum_[id] = a;  // a worker that restarts re-registers under a new id; its old one goes stale
    heard_[{true, id}] = Clock::now();
    return id;
  }
  int id = reg.node_id();
  const int known = std::max(shape_.compute_nodes, expected_nodes_);
  if (id < 0) {
    // A node with a new disk and no --node-id takes the first slot whose own process is gone.
    for (id = 0; id < known; ++id) {
      auto it = slots_.find(id);
      if (it == slots_.end() || !it->second.primary || Clock::now() - it->second.primary_heard > kNodeDeadAfter) break;
    }
  }
  if (id >= known) {
    throw SqlError(sqlstate::kCannotConnectNow,
                   StrCat("the cluster has ", shape_.compute_nodes, " compute nodes; node ", id,
                          " is not one of them (a resize adds nodes: strata resize --nodes N)"));
  }
  rpc::NodeAddress a;
  a.set_node_id(id);
  a.set_host(reg.host());
  a.set_port(reg.port());
  ComputeSlot& slot = slots_[id];
  if (reg.standin()) {
    // A stand-in nobody asked for (any more) is told to stop; so is one whose node serves itself.
    if (!slot.standin_wanted || slot.serving == ComputeSlot::Serving::kPrimary) throw StandinRetired();
    slot.standin = a;
    slot.standin_heard = Clock::now();
    if (slot.serving == ComputeSlot::Serving::kNone) slot.serving = ComputeSlot::Serving::kStandin;
    Route(id, slot);
    ready_cv_.notify_all();
    return id;
  }
  const bool restarted = slot.primary_incarnation != reg.incarnation();
  slot.primary = a;
  slot.primary_heard = Clock::now();
  slot.primary_incarnation = reg.incarnation();
  // A process this leader has not seen before may lack commits: a new disk, a process back
  // after a stand-in served its slices, or one whose writes went to a stand-in before this
  // leader restarted. It serves once its store holds every live object (server/failover.h).
  if (reg.fresh() || restarted) slot.primary_needs_sync = true;
  if (slot.serving != ComputeSlot::Serving::kStandin) {
    slot.serving = slot.primary_needs_sync ? ComputeSlot::Serving::kNone : ComputeSlot::Serving::kPrimary;
  }
  Route(id, slot);
  heard_[{false, id}] = Clock::now();
  ready_cv_.notify_all();
  return id;
}

void Cluster::Route(int id, const ComputeSlot& slot) {
  if (slot.serving == ComputeSlot::Serving::kPrimary && slot.primary) {
    compute_[id] = *slot.primary;
  } else if (slot.serving == ComputeSlot::Serving::kStandin && slot.standin) {
    compute_[id] = *slot.standin;
  } else {
    compute_.erase(id);
  }
  auto now = compute_.find(id);
  if (now == compute_.end()) return;
  std::string address = now->second.host() + ":" + std::to_string(now->second.port());
  auto& last = last_routed_[id];
  if (!last.empty() && last != address) ++routing_epoch_;
  last = address;
}

std::map<int, ComputeSlot> Cluster::Slots() const {
  std::lock_guard<std::mutex> lock(mu_);
  return slots_;
}

void Cluster::StopServing(int id, ComputeSlot::Serving serving) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = slots_.find(id);
  if (it == slots_.end() || it->second.serving != serving) return;
  it->second.serving = ComputeSlot::Serving::kNone;
  if (serving == ComputeSlot::Serving::kStandin) it->second.standin_wanted = false;
  Route(id, it->second);
}

void Cluster::WantStandin(int id) {
  std::lock_guard<std::mutex> lock(mu_);
  ComputeSlot& slot = slots_[id];
  slot.standin_wanted = true;
  slot.standin_asked = Clock::now();
  // Writes will go to the stand-in: the node's own process must catch up before it serves again.
  slot.primary_needs_sync = true;
}

bool Cluster::PrimarySynced(int id, uint64_t incarnation) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = slots_.find(id);
  if (it == slots_.end() || !it->second.primary || it->second.primary_incarnation != incarnation) return false;
  ComputeSlot& slot = it->second;
  slot.primary_needs_sync = false;
  slot.standin_wanted = false;
  slot.serving = ComputeSlot::Serving::kPrimary;
  Route(id, slot);
  ready_cv_.notify_all();
  return true;
}

void Cluster::ReportFailure(const rpc::NodeAddress& node) {
  if (Ping(node)) return;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = slots_.find(node.node_id());
  if (it == slots_.end()) return;
  ComputeSlot& slot = it->second;
  auto same = [&](const std::optional<rpc::NodeAddress>& a) { return a && a->host() == node.host() && a->port() == node.port(); };
  if (slot.serving == ComputeSlot::Serving::kPrimary && same(slot.primary)) {
    slot.serving = ComputeSlot::Serving::kNone;
    ClusterEvent e;
    e.node = node.node_id();
    e.event = "down";
    e.detail = "a statement failed on it and it does not answer a ping";
    events_.Add(std::move(e));
    // Taken for dead now rather than at its next missed heartbeat: the failover starts at once.
    slot.primary_heard = Clock::now() - kNodeDeadAfter - std::chrono::seconds(1);
  } else if (slot.serving == ComputeSlot::Serving::kStandin && same(slot.standin)) {
    slot.serving = ComputeSlot::Serving::kNone;
    slot.standin_wanted = false;
  }
  Route(node.node_id(), slot);
}

rpc::PushReply Cluster::PushObjects(const rpc::NodeAddress& source, const rpc::PushObjects& req, bool* source_failed) {
  *source_failed = true;
  PooledChannel ch = RpcPool::Shared().Acquire(source.host(), source.port(), secret_, kControlDeadline);
  ch->Send(rpc::PUSH_OBJECTS, 0, req);
  WaitWhileAlive(*ch, source, nullptr);
  RpcFrame f;
  if (!ch->Receive(&f)) throw SqlError(sqlstate::kConnectionException, "a compute node closed the connection");
  *source_failed = false;
  if (f.type == rpc::ERROR) {
    rpc::Error e;
    e.ParseFromString(f.payload);
    throw SqlError(e.sqlstate(), e.message());
  }
  if (f.type != rpc::PUSH_REPLY) throw SqlError(sqlstate::kProtocolViolation, "unexpected message from a compute node");
  rpc::PushReply reply;
  reply.ParseFromString(f.payload);
  ch.Keep();
  return reply;
}

void Cluster::SetMirrorBehind(int id, bool behind) {
  std::lock_guard<std::mutex> lock(mu_);
  if (behind) {
    mirror_behind_.insert(id);
  } else {
    mirror_behind_.erase(id);
  }
}

void Cluster::TakeOver(const rpc::NodeAddress& host, int id) {
  rpc::TakeOver req;
  req.set_node_id(id);
  auto ch = RpcChannel::Connect(host.host(), host.port(), secret_, kControlDeadline);
  ch->Send(rpc::TAKE_OVER, 0, req);
  ch->Expect(rpc::ACK, std::chrono::milliseconds(15000));
  ch->Close();
}

void Cluster::SetShape(ClusterShape shape) {
  std::lock_guard<std::mutex> lock(mu_);
  if (static_cast<int>(shape.SliceNodes().size()) != total_slices_) STRATA_INTERNAL_ERROR("a resize changed the slice count");
  shape_ = std::move(shape);
  ++routing_epoch_;
  ready_cv_.notify_all();
}

void Cluster::ExpectNodes(int nodes, const std::string& state) {
  std::lock_guard<std::mutex> lock(mu_);
  expected_nodes_ = nodes;
  expected_state_ = state;
  // Slots beyond both are forgotten: a node the resize removed (or never added) is not one of ours.
  for (auto it = slots_.begin(); it != slots_.end();) {
    if (it->first >= std::max(nodes, shape_.compute_nodes)) {
      compute_.erase(it->first);
      last_routed_.erase(it->first);
      it = slots_.erase(it);
    } else {
      ++it;
    }
  }
}

std::vector<std::string> Cluster::ResliceManifests(const rpc::NodeAddress& node, const rpc::ResliceManifests& req) {
  auto ch = RpcChannel::Connect(node.host(), node.port(), secret_, kControlDeadline);
  ch->Send(rpc::RESLICE_MANIFESTS, 0, req);
  WaitWhileAlive(*ch, node, nullptr);
  RpcFrame f = ch->Expect(rpc::RESLICE_REPLY, kControlDeadline);
  rpc::ResliceReply reply;
  reply.ParseFromString(f.payload);
  ch->Close();
  if (reply.manifests_size() != req.manifests_size()) throw SqlError(sqlstate::kProtocolViolation, "bad reslice reply");
  return {reply.manifests().begin(), reply.manifests().end()};
}

std::vector<NodeState> Cluster::NodeStates() const {
  std::lock_guard<std::mutex> lock(mu_);
  Clock::time_point now = Clock::now();
  std::vector<NodeState> out;
  for (int id = 0; id < std::max(shape_.compute_nodes, expected_nodes_); ++id) {
    NodeState s;
    s.role = "compute";
    s.node_id = id;
    auto it = slots_.find(id);
    if (it == slots_.end() || !it->second.primary) {
      s.state = "missing";
    } else {
      const ComputeSlot& slot = it->second;
      s.host = slot.primary->host();
      s.port = slot.primary->port();
      s.seconds_since_heard = std::chrono::duration<double>(now - slot.primary_heard).count();
      bool alive = now - slot.primary_heard <= kNodeDeadAfter;
      if (id >= shape_.compute_nodes) {
        s.state = alive ? expected_state_ : "down";
      } else if (slot.serving == ComputeSlot::Serving::kPrimary) {
        s.state = alive ? "up" : "down";
        s.served_by = id;
      } else if (slot.serving == ComputeSlot::Serving::kStandin) {
        s.state = "standin";
        s.served_by = MirrorProcessOf(id, shape_.compute_nodes);
      } else {
        s.state = alive && slot.primary_needs_sync ? "syncing" : "down";
      }
    }
    if (shape_.compute_nodes > 1 && id < shape_.compute_nodes) {
      s.mirror_node = MirrorProcessOf(id, shape_.compute_nodes);
      s.mirror_state = mirror_behind_.count(id) ? "behind" : "in sync";
    }
    out.push_back(std::move(s));
  }
  for (const auto& [id, a] : spectrum_) {
    NodeState s;
    s.role = "spectrum";
    s.node_id = id;
    s.host = a.host();
    s.port = a.port();
    auto it = heard_.find({true, id});
    s.seconds_since_heard = it == heard_.end() ? -1 : std::chrono::duration<double>(now - it->second).count();
    s.state = it == heard_.end() ? "missing" : now - it->second > kNodeDeadAfter ? "down" : "up";
    out.push_back(std::move(s));
  }
  return out;
}

void Cluster::WaitReady(int timeout_ms, const std::vector<int>& slice_node) const {
  std::unique_lock<std::mutex> lock(mu_);
  int served = 0, nodes = 0;
  auto ready = [&] {
    nodes = slice_node.empty() ? shape_.compute_nodes : NodeCount(slice_node);
    served = 0;
    for (int id = 0; id < nodes; ++id) served += compute_.count(id) > 0 ? 1 : 0;
    return served >= nodes;
  };
  bool ok = ready_cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), ready);
  if (!ok) {
    throw SqlError(sqlstate::kCannotConnectNow,
                   StrCat("the cluster is starting up: ", served, " of ", nodes, " compute nodes have joined"));
  }
}

std::vector<rpc::NodeAddress> Cluster::NodesFor(const std::vector<int>& slice_node) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<rpc::NodeAddress> v;
  for (int id = 0; id < NodeCount(slice_node); ++id) {
    auto it = compute_.find(id);
    if (it == compute_.end()) {
      throw SqlError(sqlstate::kCannotConnectNow, StrCat("compute node ", id, "'s slices are not served now"));
    }
    v.push_back(it->second);
  }
  return v;
}

std::vector<rpc::NodeAddress> Cluster::SpectrumWorkers() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<rpc::NodeAddress> v;
  for (const auto& [id, a] : spectrum_) v.push_back(a);
  return v;
}

std::vector<rpc::NodeAddress> Cluster::Nodes() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<rpc::NodeAddress> v;
  for (const auto& [id, a] : compute_) v.push_back(a);
  return v;
}

void Cluster::RunComputeStage(const plan::Stage& stage, const rpc::RunStage& pipeline, uint64_t query_id,
                              ExchangeInbox* inbox, QueryOutcome* out, const RunOptions& options,
                              const std::atomic<bool>* cancelled, const GatherFn* gather) {
  LoadTally* tally = options.tally;
  std::vector<rpc::NodeAddress> nodes = options.nodes.empty() ? Nodes() : options.nodes;
  rpc::RunStage msg = pipeline;
  *msg.mutable_stage() = stage;
  msg.clear_nodes();
  for (const auto& n : nodes) *msg.add_nodes() = n;
  msg.set_slices_per_node(total_slices_ / std::max<int>(1, nodes.size()));
  for (int n : options.slice_node) msg.add_slice_node(n);
  msg.set_query_memory(options.query_memory);
  msg.set_release_when_done(options.release_with_stage);
  msg.set_report_progress(options.on_progress != nullptr);
  msg.set_defer_sync(options.defer_sync);
  if (options.only_node >= 0) {
    // The stage has rows on one node only: the others are not asked.
    std::vector<rpc::NodeAddress> one;
    for (const auto& n : nodes) if (n.node_id() == options.only_node) one.push_back(n);
    if (one.size() == 1) nodes = std::move(one);
  }
  std::vector<std::optional<SqlError>> errors(nodes.size());
  std::vector<rpc::StageDone> dones(nodes.size());
  RunParallel(static_cast<int>(nodes.size()), [&](int i) {
      try {
        PooledChannel ch = RpcPool::Shared().Acquire(nodes[i].host(), nodes[i].port(), secret_);
        ch->Send(rpc::RUN_STAGE, query_id, msg);
        RpcFrame f;
        while (true) {
          WaitWhileAlive(*ch, nodes[i], cancelled);
          if (!ch->Receive(&f)) throw SqlError(sqlstate::kConnectionException, "a compute node closed the connection");
          if (f.type == rpc::EXCHANGE_DATA) {
            rpc::ExchangeData d;
            d.ParseFromString(f.payload);
            if (gather == nullptr) {
              inbox->Add(d.exchange_id(), -1, std::make_shared<const Batch>(DecodeBatch(d.batch())));
            } else if (!(*gather)(d.exchange_id(), DecodeBatch(d.batch()))) {
              throw SqlError(sqlstate::kQueryCanceled, "canceling statement: its rows are no longer wanted");
            }
          } else if (f.type == rpc::STAGE_DONE) {
            dones[i].ParseFromString(f.payload);
            break;
          } else if (f.type == rpc::STAGE_PROGRESS) {
            rpc::StageProgress p;
            if (p.ParseFromString(f.payload) && options.on_progress) options.on_progress(stage.id(), i, p);
          } else if (f.type == rpc::ERROR) {
            rpc::Error e;
            e.ParseFromString(f.payload);
            throw SqlError(e.sqlstate(), e.message());
          } else {
            throw SqlError(sqlstate::kProtocolViolation, "unexpected message from a compute node");
          }
        }
        ch.Keep();
      } catch (const SqlError& e) {
        errors[i] = e;
        // The other nodes may be waiting for this one's exchange data, which will never come
        // (it died, or failed): stop the query everywhere so that no wait outlives it.
        Cancel(query_id);
      }
  });
  for (const auto& d : dones) {
    for (const auto& st : d.scans()) out->scans.push_back(st);
    for (const auto& st : d.steps()) out->steps.push_back(st);
  }
  if (tally != nullptr) {
    for (const auto& d : dones) {
      for (const auto& e : d.load_errors()) tally->errors.push_back(e);
      tally->rejected += d.rejected();
    }
  }
  std::optional<SqlError> first;
  for (size_t i = 0; i < nodes.size(); ++i) {
    std::optional<SqlError> e = errors[i];
    if (!e && !dones[i].ok()) {
      SqlError se(dones[i].error().sqlstate(), dones[i].error().message());
      if (!dones[i].error().detail().empty()) se.WithDetail(dones[i].error().detail());
      if (!dones[i].error().hint().empty()) se.WithHint(dones[i].error().hint());
      e = se;
    }
    if (e && (!first || first->sqlstate() == sqlstate::kQueryCanceled)) first = e;
  }
  if (first) throw *first;
  for (const auto& d : dones) {
    out->rows_deleted += d.rows_deleted();
    out->rows_inserted += d.rows_inserted();
    out->rows_merged += d.rows_merged();
    for (const auto& f : d.unloaded()) out->unloaded.push_back(f);
    for (const auto& w : d.writes()) {
      out->written[w.slice()] = w.manifest_id();
      out->rows_written += w.rows();
      if (out->ranges.size() < static_cast<size_t>(w.ranges_size())) out->ranges.resize(w.ranges_size());
      for (int c = 0; c < w.ranges_size(); ++c) {
        const auto& r = w.ranges(c);
        auto& m = out->ranges[c];
        if (!r.has_range()) continue;
        if (!m.has_range()) { m = r; continue; }
        m.set_min(std::min(m.min(), r.min()));
        m.set_max(std::max(m.max(), r.max()));
      }
    }
  }
}

void Cluster::RunWave(const google::protobuf::RepeatedPtrField<plan::Stage>& stages, const WavePlan& waves,
                      const StageWave& wave, uint64_t query_id, ExchangeInbox* inbox, QueryOutcome* out,
                      const RunOptions& options, const std::atomic<bool>* cancelled, const GatherFn* gather) {
  const int producers = total_slices_;  // each slice sends one end marker per exchange
  auto pipeline = [&](int k) {
    rpc::RunStage m;
    for (int e : waves.drop_at_end[k]) m.add_drop_exchanges(e);
    for (int e : waves.streamed_reads[k]) (*m.mutable_streamed_exchanges())[e] = producers;
    m.set_announce_end(waves.announce_end[k]);
    m.set_memory_operators(waves.memory_operators[k]);
    return m;
  };
  if (wave.first == wave.last) {
    RunComputeStage(stages[wave.first], pipeline(wave.first), query_id, inbox, out, options, cancelled, gather);
    return;
  }
  const int count = wave.last - wave.first + 1;
  std::vector<QueryOutcome> outs(count);
  std::vector<LoadTally> tallies(count);
  std::vector<std::optional<SqlError>> errors(count);
  std::vector<std::exception_ptr> other_errors(count);
  std::mutex mu;  // `ended` and `dropped`
  std::set<int> ended, dropped;
  RunParallel(count, [&](int i) {
      const int k = wave.first + i;
      const bool last = k == wave.last;
      RunOptions o = options;
      o.tally = options.tally != nullptr ? &tallies[i] : nullptr;
      try {
        RunComputeStage(stages[k], pipeline(k), query_id, inbox, last ? out : &outs[i], o, cancelled,
                        last ? gather : nullptr);
      } catch (const SqlError& e) {
        errors[i] = e;
      } catch (...) {
        other_errors[i] = std::current_exception();
      }
      if (errors[i] || other_errors[i]) {
        // The wave's other stages may be waiting for this one's rows: stop them all.
        Cancel(query_id);
        return;
      }
      // The exchanges that every stage of the wave touching them has now finished with.
      rpc::DropExchanges drop;
      {
        std::lock_guard<std::mutex> lock(mu);
        ended.insert(k);
        for (const auto& [e, need] : waves.drop_after) {
          if (dropped.count(e)) continue;
          if (std::all_of(need.begin(), need.end(), [&](int s) { return ended.count(s) > 0; })) {
            dropped.insert(e);
            drop.add_exchanges(e);
          }
        }
      }
      if (drop.exchanges_size() > 0) {
        TellEveryNode(rpc::DROP_EXCHANGES, query_id, drop.SerializeAsString(), options.nodes.empty() ? nullptr : &options.nodes);
      }
  });
  for (int i = 0; i < count; ++i) {
    if (options.tally != nullptr) {
      for (auto& e : tallies[i].errors) options.tally->errors.push_back(std::move(e));
      options.tally->rejected += tallies[i].rejected;
    }
    if (wave.first + i == wave.last) continue;  // wrote into `out` itself
    QueryOutcome& o = outs[i];
    for (auto& s : o.scans) out->scans.push_back(std::move(s));
    for (auto& s : o.steps) out->steps.push_back(std::move(s));
    for (auto& f : o.unloaded) out->unloaded.push_back(std::move(f));
    out->rows_deleted += o.rows_deleted;
    out->rows_inserted += o.rows_inserted;
    out->rows_merged += o.rows_merged;
  }
  // The first real error, rather than the cancellations it caused.
  std::optional<SqlError> first;
  for (const auto& e : errors) {
    if (e && (!first || first->sqlstate() == sqlstate::kQueryCanceled)) first = e;
  }
  if (first && first->sqlstate() != sqlstate::kQueryCanceled) throw *first;
  for (const auto& e : other_errors) {
    if (e) std::rethrow_exception(e);
  }
  if (first) throw *first;
}

namespace {

// A failure of a compute node's process or of the connection to it, rather than of the query.
bool IsNodeFailure(const SqlError& e) { return std::string(e.sqlstate()).rfind("08", 0) == 0; }

}  // namespace

QueryOutcome Cluster::Run(const PhysicalPlan& plan, uint64_t query_id, const std::atomic<bool>* cancelled,
                          const SystemTableFiller& fill, const RunOptions& options) {
  bool unloads = false;
  for (const auto& s : plan.plan.stages()) {
    if (s.sink().kind() == plan::SINK_UNLOAD) unloads = true;
  }
  uint64_t attempt_id = query_id;
  for (int attempt = 0;; ++attempt) {
    std::atomic<bool> delivered{false};
    RunOptions o = options;
    if (o.tally != nullptr) {
      o.tally->errors.clear();
      o.tally->rejected = 0;
    }
    try {
      return RunOnce(plan, attempt_id, cancelled, fill, o, &delivered);
    } catch (const SqlError& e) {
      if (std::string(e.sqlstate()) == sqlstate::kIoError && options.routing_epoch != 0 &&
          options.routing_epoch != routing_epoch()) {
        SqlError err(sqlstate::kSerializationFailure,
                     StrCat("this transaction's uncommitted writes were on a compute node that failed: ", e.message()));
        err.WithHint("The transaction can be retried.");
        throw err;
      }
      if (!IsNodeFailure(e) || (cancelled != nullptr && cancelled->load())) throw;
      // Whichever node failed is found by pinging them all, and is no longer routed to.
      std::vector<std::thread> pings;
      for (const auto& n : Nodes()) pings.emplace_back([this, n] { ReportFailure(n); });
      for (auto& t : pings) t.join();
      const bool retry = attempt < kNodeFailureRetries && !delivered.load() && !unloads;
      if (retry) {
        try {
          // Waits for the failover in short steps, so that a cancel is honoured meanwhile.
          const Clock::time_point until = Clock::now() + kFailoverWait;
          for (;;) {
            if (cancelled != nullptr && cancelled->load()) {
              throw SqlError(sqlstate::kQueryCanceled, "canceling statement due to user request");
            }
            try {
              WaitReady(250, options.slice_node);
              break;
            } catch (const SqlError&) {
              if (Clock::now() >= until) throw;
            }
          }
          ServerLogf("query %llu is run again after a compute node failed: %s\n",
                       static_cast<unsigned long long>(query_id), e.what());
          ClusterEvent ev;
          ev.event = "statement rerun";
          ev.detail = StrCat("query ", query_id, ": ", e.message());
          events_.Add(std::move(ev));
          attempt_id = NextQueryId();
          ++retried_queries_;
          continue;
        } catch (const SqlError& w) {
          if (std::string(w.sqlstate()) == sqlstate::kQueryCanceled) throw;
          // Not served again in time: the statement fails with 40001 below.
        }
      }
      SqlError err(sqlstate::kSerializationFailure, StrCat("a compute node failed during the statement: ", e.message()));
      err.WithHint(delivered.load() ? "Part of the result was already sent; run the statement again."
                                    : "The cluster serves the node's slices from their mirror; run the statement again.");
      throw err;
    }
  }
}

QueryOutcome Cluster::RunOnce(const PhysicalPlan& plan, uint64_t query_id, const std::atomic<bool>* cancelled,
                              const SystemTableFiller& fill, const RunOptions& run_options, std::atomic<bool>* delivered) {
  const auto& stages = plan.plan.stages();
  bool needs_nodes = false;
  for (const auto& s : stages) {
    if (!s.on_leader()) needs_nodes = true;
    if (s.sink().kind() != plan::SINK_RESULT && s.sink().kind() != plan::SINK_GATHER) needs_nodes = true;
  }
  RunOptions options = run_options;
  if (options.slice_node.empty()) options.slice_node = shape().SliceNodes();
  {
    // One compute stage: its node lets the query go with it, and when it gathers rows that only
    // one slice can have (WHERE distkey = constant), only that slice's node runs it.
    int compute = 0;
    const plan::Stage* only = nullptr;
    for (const auto& s : stages) {
      if (!s.on_leader()) {
        ++compute;
        only = &s;
      }
    }
    if (compute == 1) {
      options.release_with_stage = true;
      if (only->sink().kind() == plan::SINK_GATHER || only->sink().kind() == plan::SINK_RESULT) {
        int slice = PinnedSliceOfStage(only->root(), static_cast<int>(options.slice_node.size()));
        if (slice >= 0 && slice < static_cast<int>(options.slice_node.size())) options.only_node = options.slice_node[slice];
      }
    }
  }
  if (needs_nodes) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (NodeCount(options.slice_node) > std::max(shape_.compute_nodes, expected_nodes_)) {
        // A transaction older than a resize that removed nodes (and the wait for it) reads slices
        // on nodes that are gone.
        SqlError e(sqlstate::kSerializationFailure, "the cluster was resized since this transaction began");
        e.WithHint("The transaction can be retried.");
        throw e;
      }
    }
    WaitReady(60000, options.slice_node);
    options.nodes = NodesFor(options.slice_node);
  }
  // Rows that reach the caller's sink can no longer be taken back: a failure after that is not retried.
  ResultSink marked;
  if (options.sink != nullptr) {
    marked = [delivered, inner = options.sink](Batch b) {
      delivered->store(true);
      return (*inner)(std::move(b));
    };
    options.sink = &marked;
  }
  // The streamed tail: a compute stage gathered into the leader's last stage runs beside it.
  const int n = stages.size();
  // The core count is read once (glibc reads /sys for it on every call).
  static const int cores = static_cast<int>(std::thread::hardware_concurrency());
  const bool pipelined = options.pipelining > 0 || (options.pipelining < 0 && cores > total_slices_);
  const WavePlan waves = PlanWaves(stages, pipelined);
  const bool stream_tail = n >= 2 && stages[n - 1].on_leader() && !stages[n - 2].on_leader() &&
                           (stages[n - 2].sink().kind() == plan::SINK_GATHER ||
                            stages[n - 2].sink().kind() == plan::SINK_RESULT);
  // A last stage that only hands the gathered rows to the caller (SELECT without ORDER BY,
  // LIMIT or a final aggregate): the compute stage's rows go to the caller's sink straight from
  // the thread that receives them -- no tail thread, queue or leader stage in between.
  const bool pass_through = stream_tail && options.sink != nullptr && stages[n - 1].sink().kind() == plan::SINK_RESULT &&
                            stages[n - 1].root().has_exchange() &&
                            stages[n - 1].root().exchange().exchange_id() == stages[n - 2].sink().exchange_id();
  QueryOutcome out;
  // The leader's share for this query: the session's query_memory, or a quarter of its budget.
  std::optional<QueryMemory> memory;
  if (leader_memory_ != nullptr) {
    memory.emplace(leader_memory_, options.query_memory > 0 ? options.query_memory : leader_memory_->limit() / 4, query_id);
  }
  // Rows gathered to the leader for its stages queue in memory up to a part of its share and on
  // disk past it.
  ExchangeInbox inbox(memory ? &*memory : nullptr);
  for (const auto& [exchange, name] : plan.system_inputs) fill(exchange, name, &inbox);
  std::unique_ptr<BatchQueue> tail_queue;
  PooledThread tail;
  QueryOutcome tail_out;
  auto stop_tail = [&] {
    if (!tail.joinable()) return;
    tail_queue->Abandon();
    tail.join();
  };
  try {
    for (const StageWave& wave : waves.waves) {
      const int k = wave.first;
      const plan::Stage& stage = stages[k];
      if (cancelled && cancelled->load()) throw SqlError(sqlstate::kQueryCanceled, "canceling statement due to user request");
      if (pass_through && k == n - 1) continue;  // its rows went to the sink already
      if (!wave.on_leader && pass_through && wave.last == n - 2) {
        // Each node's rows arrive on a thread of their own: the sink takes one batch at a time.
        std::mutex sink_mu;
        bool reader_gone = false;
        GatherFn gather = [&](int, Batch b) {
          std::lock_guard<std::mutex> lock(sink_mu);
          if (reader_gone) return false;
          if (!(*options.sink)(std::move(b))) reader_gone = true;
          return !reader_gone;
        };
        try {
          RunWave(stages, waves, wave, query_id, &inbox, &out, options, cancelled, &gather);
        } catch (const SqlError&) {
          if (!reader_gone) throw;
          // Nobody wants more rows: the query ends here, without error.
        }
        continue;
      }
      if (!wave.on_leader && stream_tail && wave.last == n - 2) {
        tail_queue = std::make_unique<BatchQueue>(kTailQueueBytes, 1);
        tail = PooledThread([&, &wave = wave] {
          BatchQueue* q = tail_queue.get();
          GatherFn gather = [q, cancelled](int, Batch b) { return q->Push(std::move(b), cancelled); };
          try {
            RunWave(stages, waves, wave, query_id, &inbox, &tail_out, options, cancelled, &gather);
            q->Finish();
          } catch (...) {
            q->Fail(std::current_exception());
          }
        });
        continue;
      }
      if (!wave.on_leader) {
        RunWave(stages, waves, wave, query_id, &inbox, &out, options, cancelled, nullptr);
        continue;
      }
      ExecContext ctx;
      ctx.slice = -1;
      ctx.slices_per_node = MostSlicesOnANode(options.slice_node);
      ctx.total_slices = total_slices_;
      ctx.slice_node = &options.slice_node;
      ctx.inbox = &inbox;
      ctx.cancelled = cancelled;
      ctx.memory = memory ? &*memory : nullptr;
      StreamedExchanges streams;
      if (tail_queue != nullptr && k == n - 1) {
        streams[stages[n - 2].sink().exchange_id()] = tail_queue.get();
        ctx.streams = &streams;
      }
      bool reader_gone = false;
      ExchangeRouter router(query_id, -1, &inbox, options.nodes, &secret_, [&](int, Batch b) {
        if (reader_gone) return;
        if (options.sink == nullptr) {
          out.rows.push_back(std::move(b));
        } else if (!(*options.sink)(std::move(b))) {
          reader_gone = true;
          throw SqlError(sqlstate::kQueryCanceled, "canceling statement: its rows are no longer wanted");
        }
      });
      router.set_query_memory(options.query_memory);
      try {
        SliceResult r = RunStageOnSlice(stage, ctx, &router, nullptr, nullptr);
        for (auto& f : r.unloaded) out.unloaded.push_back(std::move(f));
        for (auto& s : r.steps) out.steps.push_back(std::move(s));
        for (int e : waves.drop_at_end[k]) inbox.Drop(e);
      } catch (const SqlError&) {
        if (!reader_gone) throw;
        // Nobody wants more rows: the query ends here, without error.
      }
    }
    if (tail.joinable()) {
      // The last stage may end before the tail does (LIMIT): the tail is told to stop.
      stop_tail();
      for (auto& s : tail_out.scans) out.scans.push_back(std::move(s));
      for (auto& s : tail_out.steps) out.steps.push_back(std::move(s));
    }
  } catch (...) {
    if (tail.joinable()) {
      if (needs_nodes) Cancel(query_id);
      stop_tail();
    }
    if (needs_nodes) TellEveryNode(rpc::RELEASE_QUERY, query_id, "", &options.nodes);
    throw;
  }
  if (needs_nodes && !options.release_with_stage) TellEveryNode(rpc::RELEASE_QUERY, query_id, "", &options.nodes);
  return out;
}

void Cluster::TellEveryNode(rpc::MessageType type, uint64_t query_id, const std::string& payload,
                            const std::vector<rpc::NodeAddress>* only) const {
  // In parallel, each under the control deadline: one frozen node delays the others by nothing.
  std::vector<rpc::NodeAddress> nodes = only != nullptr ? *only : Nodes();
  RunParallel(static_cast<int>(nodes.size()), [&](int i) {
      const rpc::NodeAddress& n = nodes[i];
      try {
        PooledChannel ch = RpcPool::Shared().Acquire(n.host(), n.port(), secret_, kControlDeadline);
        ch->SendRaw(type, query_id, payload);
        ch->Expect(rpc::ACK, kControlDeadline);
        ch.Keep();
      } catch (const SqlError&) {
        // A node that is gone has nothing to stop or release.
      }
  });
}

void Cluster::Release(uint64_t query_id) { TellEveryNode(rpc::RELEASE_QUERY, query_id); }

void Cluster::Cancel(uint64_t query_id) { TellEveryNode(rpc::CANCEL_QUERY, query_id); }

template <typename Reply>
std::vector<Reply> Cluster::AskEveryNode(rpc::MessageType type, const google::protobuf::Message& request,
                                         rpc::MessageType reply_type) {
  WaitReady(60000);
  std::vector<Reply> replies;
  for (const auto& n : Nodes()) {
    PooledChannel ch = RpcPool::Shared().Acquire(n.host(), n.port(), secret_);
    ch->Send(type, 0, request);
    WaitWhileAlive(*ch, n, nullptr);  // a big garbage collection may take long; a dead node may not
    RpcFrame f = ch->Expect(reply_type);
    replies.emplace_back().ParseFromString(f.payload);
    ch.Keep();
  }
  return replies;
}

std::vector<rpc::BlockRow> Cluster::TableBlocks(const catalog::Table& t, std::vector<rpc::SliceInfo>* slices) {
  if (t.manifest_by_slice().empty()) return {};
  rpc::BlockListRequest req;
  auto* bt = req.add_tables();
  bt->set_table_id(t.id());
  *bt->mutable_manifest_by_slice() = t.manifest_by_slice();
  return BlockList(req, slices);
}

std::vector<rpc::BlockRow> Cluster::AllTableBlocks(const CatalogVersion& cat, std::vector<rpc::SliceInfo>* slices) {
  rpc::BlockListRequest req;
  for (const auto& t : cat.tables()) {
    if (t.is_view() || t.manifest_by_slice().empty()) continue;
    auto* bt = req.add_tables();
    bt->set_table_id(t.id());
    *bt->mutable_manifest_by_slice() = t.manifest_by_slice();
  }
  if (req.tables_size() == 0) return {};
  return BlockList(req, slices);
}

rpc::GarbageReply Cluster::CollectGarbage(const rpc::GarbageRequest& req) {
  rpc::GarbageReply total;
  for (const auto& reply : AskEveryNode<rpc::GarbageReply>(rpc::COLLECT_GARBAGE, req, rpc::GARBAGE_REPLY)) {
    total.set_blocks_removed(total.blocks_removed() + reply.blocks_removed());
    total.set_manifests_removed(total.manifests_removed() + reply.manifests_removed());
    total.set_bytes_removed(total.bytes_removed() + reply.bytes_removed());
    total.set_blocks_kept(total.blocks_kept() + reply.blocks_kept());
  }
  return total;
}

rpc::GarbageReply Cluster::CollectGarbage(const std::map<int, rpc::GarbageRequest>& per_node) {
  std::map<int, std::string> payloads;
  for (const auto& [node, req] : per_node) payloads[node] = req.SerializeAsString();
  rpc::GarbageReply total;
  for (const auto& [node, payload] : RunNodeTask(rpc::COLLECT_GARBAGE, payloads, rpc::GARBAGE_REPLY, nullptr, nullptr)) {
    rpc::GarbageReply reply;
    reply.ParseFromString(payload);
    total.set_blocks_removed(total.blocks_removed() + reply.blocks_removed());
    total.set_manifests_removed(total.manifests_removed() + reply.manifests_removed());
    total.set_bytes_removed(total.bytes_removed() + reply.bytes_removed());
    total.set_blocks_kept(total.blocks_kept() + reply.blocks_kept());
  }
  return total;
}

std::map<int, std::string> Cluster::AppendBlocks(const rpc::AppendBlocksRequest& request) {
  rpc::AppendBlocksRequest req = request;
  if (req.slice_node_size() == 0) {
    for (int n : shape().SliceNodes()) req.add_slice_node(n);
  }
  std::map<int, std::string> out;
  for (const auto& reply : AskEveryNode<rpc::AppendBlocksReply>(rpc::APPEND_BLOCKS, req, rpc::APPEND_BLOCKS_REPLY)) {
    for (const auto& [slice, id] : reply.manifest_by_slice()) out[slice] = id;
  }
  return out;
}

std::vector<rpc::BlockRow> Cluster::BlockList(const rpc::BlockListRequest& request, std::vector<rpc::SliceInfo>* slices) {
  rpc::BlockListRequest req = request;
  if (req.slice_node_size() == 0) {
    for (int n : shape().SliceNodes()) req.add_slice_node(n);
  }
  std::vector<rpc::BlockRow> rows;
  for (const auto& reply : AskEveryNode<rpc::BlockListReply>(rpc::BLOCK_LIST, req, rpc::BLOCK_LIST_REPLY)) {
    for (const auto& r : reply.rows()) rows.push_back(r);
    if (slices) for (const auto& s : reply.slices()) slices->push_back(s);
  }
  return rows;
}

std::map<int, std::string> Cluster::RunNodeTask(rpc::MessageType type, const std::map<int, std::string>& per_node,
                                                rpc::MessageType reply_type, const std::function<void(int64_t)>& progress,
                                                const std::atomic<bool>* cancelled) {
  WaitReady(60000);
  std::vector<rpc::NodeAddress> nodes = Nodes();
  std::vector<std::string> replies(nodes.size());
  std::vector<std::optional<SqlError>> errors(nodes.size());
  std::vector<std::thread> threads;
  const uint64_t qid = NextQueryId();
  for (size_t i = 0; i < nodes.size(); ++i) {
    auto it = per_node.find(nodes[i].node_id());
    if (it == per_node.end()) continue;
    threads.emplace_back([&, i, payload = it->second] {
      try {
        auto ch = RpcChannel::Connect(nodes[i].host(), nodes[i].port(), secret_);
        ch->SendRaw(type, qid, payload);
        for (;;) {
          WaitWhileAlive(*ch, nodes[i], cancelled);
          RpcFrame f;
          if (!ch->Receive(&f)) throw SqlError(sqlstate::kConnectionException, "a compute node closed the connection");
          if (f.type == rpc::SNAPSHOT_PROGRESS) {
            rpc::SnapshotProgress p;
            p.ParseFromString(f.payload);
            if (progress) progress(p.bytes_done());
            if (cancelled != nullptr && cancelled->load()) {
              throw SqlError(sqlstate::kQueryCanceled, "canceling statement due to user request");
            }
            continue;
          }
          if (f.type == rpc::ERROR) {
            rpc::Error e;
            e.ParseFromString(f.payload);
            SqlError err(e.sqlstate(), e.message());
            if (!e.detail().empty()) err.WithDetail(e.detail());
            throw err;
          }
          if (f.type != reply_type) throw SqlError(sqlstate::kProtocolViolation, "unexpected message from a compute node");
          replies[i] = std::move(f.payload);
          break;
        }
        ch->Close();
      } catch (const SqlError& e) {
        errors[i] = e;
      } catch (const std::exception& e) {
        errors[i] = SqlError(sqlstate::kConnectionException, e.what());
      }
    });
  }
  for (auto& t : threads) t.join();
  for (auto& e : errors) if (e) throw *e;
  std::map<int, std::string> out;
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (per_node.count(nodes[i].node_id()) > 0) out[nodes[i].node_id()] = std::move(replies[i]);
  }
  return out;
}

std::vector<rpc::SnapshotUploadReply> Cluster::UploadSnapshot(const std::map<int, rpc::SnapshotUpload>& per_node,
                                                              const std::function<void(int64_t)>& progress,
                                                              const std::atomic<bool>* cancelled) {
  std::map<int, std::string> requests;
  for (const auto& [node, req] : per_node) requests[node] = req.SerializeAsString();
  std::vector<rpc::SnapshotUploadReply> out;
  for (const auto& [node, payload] : RunNodeTask(rpc::SNAPSHOT_UPLOAD, requests, rpc::SNAPSHOT_UPLOAD_REPLY, progress, cancelled)) {
    out.emplace_back().ParseFromString(payload);
  }
  return out;
}

void Cluster::FetchSnapshot(const std::map<int, rpc::SnapshotUpload>& per_node, const std::function<void()>& sources_set,
                            const std::function<void(int64_t)>& progress) {
  std::map<int, std::string> sources, fetches;
  for (const auto& [node, req] : per_node) {
    rpc::SnapshotUpload source = req;
    source.clear_manifests();
    sources[node] = source.SerializeAsString();
    fetches[node] = req.SerializeAsString();
  }
  RunNodeTask(rpc::RESTORE_SOURCE, sources, rpc::ACK, nullptr, nullptr);
  if (sources_set) sources_set();
  RunNodeTask(rpc::RESTORE_FETCH, fetches, rpc::ACK, progress, nullptr);
}

std::vector<int64_t> Cluster::StorageBytesWritten() {
  std::vector<int64_t> out;
  for (const auto& n : Nodes()) {
    auto ch = RpcChannel::Connect(n.host(), n.port(), secret_);
    ch->SendRaw(rpc::STORAGE_STATS, 0, "");
    RpcFrame f = ch->Expect(rpc::STORAGE_STATS_REPLY, std::chrono::milliseconds(10000));
    rpc::StorageStatsReply r;
    r.ParseFromString(f.payload);
    out.push_back(r.bytes_written());
    ch->Close();
  }
  return out;
}

void Cluster::NoteUsage(const std::string& role, int node_id, const rpc::NodeUsage& usage) {
  std::lock_guard<std::mutex> lock(usage_mu_);
  usage_[{role, node_id}] = usage;
}

std::map<std::pair<std::string, int>, rpc::NodeUsage> Cluster::Usage() const {
  std::lock_guard<std::mutex> lock(usage_mu_);
  return usage_;
}

}  // namespace strata
