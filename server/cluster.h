// The leader's view of the cluster: which compute nodes have registered and where they listen,
// and the execution of a distributed plan over them, wave by wave (server/stage_waves.h): the
// compute stages of a wave run at once, pipelined through the nodes' inboxes; a compute stage
// runs on every node at once, its gathered rows stream back on the same connection, its
// exchanged rows go compute to compute.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "catalog/catalog_version.h"
#include "executor/exchange_inbox.h"
#include "executor/memory_budget.h"
#include "planner/physical_planner.h"
#include "server/cluster_events.h"
#include "server/cluster_secret.h"
#include "server/stage_waves.h"

#include "server/rpc.pb.h"

namespace strata {

class RpcChannel;

struct QueryOutcome {
  std::vector<Batch> rows;                   // SINK_RESULT
  std::map<int, std::string> written;        // SINK_WRITE: slice -> new manifest id
  int64_t rows_written = 0;
  std::vector<rpc::ColumnRange> ranges;      // SINK_WRITE: per column, merged over the written slices
  std::vector<plan::UnloadedFile> unloaded;  // SINK_UNLOAD: every file written
  std::vector<plan::ScanStat> scans;         // every table scan on every slice
  std::vector<plan::StepStat> steps;         // every step of every stage on every slice
  int64_t rows_deleted = 0;                  // SINK_MODIFY
  int64_t rows_inserted = 0;                 // SINK_MODIFY
  int64_t rows_merged = 0;                   // SINK_MODIFY of MERGE: rows updated, deleted or inserted
};

// COPY's rejected rows, gathered from every node even when the load fails.
struct LoadTally {
  std::vector<plan::LoadError> errors;
  int64_t rejected = 0;
};

// One process of the cluster as the leader sees it (stv_nodes).
struct NodeState {
  std::string role;           // "compute" or "spectrum"
  int node_id = 0;
  std::string host;
  int port = 0;
  // "up", "down" (no heartbeat for kNodeDeadAfter), "missing" (never joined); a compute node
  // also "standin" (its slices served from their mirror by node `served_by`), "syncing" (its
  // own process is back and catching up before it serves again), "joining" / "leaving" (a
  // resize is adding or removing it, server/resize.h).
  std::string state;
  double seconds_since_heard = -1;  // -1: never
  int served_by = -1;               // the process serving its slices (compute), -1 none
  int mirror_node = -1;             // the process keeping its mirror (compute, two nodes or more)
  std::string mirror_state;         // "in sync", "behind" (lacks commits; being resynced), "" none
};

// One compute node's slices as the leader routes them (server/failover.h): its own process,
// or a stand-in serving them from their mirror in another node's process.
struct ComputeSlot {
  enum class Serving { kNone, kPrimary, kStandin };
  std::optional<rpc::NodeAddress> primary;   // the node's own process, as it last registered
  std::chrono::steady_clock::time_point primary_heard;
  uint64_t primary_incarnation = 0;
  bool primary_needs_sync = false;           // it may lack commits: not served until resynced
  std::optional<rpc::NodeAddress> standin;
  std::chrono::steady_clock::time_point standin_heard;
  bool standin_wanted = false;               // TAKE_OVER sent and not withdrawn
  std::chrono::steady_clock::time_point standin_asked;
  Serving serving = Serving::kNone;
};

// Whether the slot's own process has sent a heartbeat within Cluster::kNodeDeadAfter (defined below).
inline bool PrimaryAlive(const ComputeSlot& s, std::chrono::steady_clock::time_point now);

// A stand-in's registration when the leader no longer wants it: the reply tells it to retire.
struct StandinRetired : std::exception {
  const char* what() const noexcept override { return "stand-in retired"; }
};

// The process that keeps node `node`'s mirror (and serves its slices when it fails): the next
// node's, around the ring.
inline int MirrorProcessOf(int node, int compute_nodes) { return (node + 1) % compute_nodes; }

class Cluster {
 public:
  // Nodes send a heartbeat (a REGISTER) every second; one silent this long is down.
  static constexpr std::chrono::milliseconds kNodeDeadAfter{3000};

  // `secret` authenticates every connection the leader opens to a compute node.
  Cluster(int compute_nodes, int slices_per_node, ClusterSecret secret, std::vector<int> slice_node = {})
      : shape_{compute_nodes, slices_per_node, std::move(slice_node)}, total_slices_(shape_.total_slices()),
        secret_(std::move(secret)) {}

  // The committed shape: node count, slices per node at creation and the slice map.
  ClusterShape shape() const {
    std::lock_guard<std::mutex> lock(mu_);
    return shape_;
  }
  // An elastic resize (server/resize.h) committed a new shape; queries that started before it
  // keep the slice map of their catalog version.
  void SetShape(ClusterShape shape);
  // During a resize: nodes with ids below `nodes` may join besides those of the shape ("joining"
  // when growing, "leaving" when shrinking, in stv_nodes); 0 when no resize runs.
  void ExpectNodes(int nodes, const std::string& state);
  // Records a node's address (REGISTER); returns its node id.
  int Register(const rpc::RegisterNode& reg);
  // Waits (bounded) until every compute node of the slice map (empty: the committed shape's) is
  // served; throws 57P03 if not.
  void WaitReady(int timeout_ms, const std::vector<int>& slice_node = {}) const;
  // Every process serving some node's slices now (joining and leaving nodes during a resize too).
  std::vector<rpc::NodeAddress> Nodes() const;
  // The addresses of nodes 0 … N-1 of the slice map, by id; throws 57P03 when one is not served.
  std::vector<rpc::NodeAddress> NodesFor(const std::vector<int>& slice_node) const;
  // The spectrum workers that have registered (they read external tables' splits).
  std::vector<rpc::NodeAddress> SpectrumWorkers() const;
  // Every compute node of the shape and every spectrum worker, with its liveness.
  std::vector<NodeState> NodeStates() const;
  // What each node reported using with its last heartbeat, by (role, node id).
  void NoteUsage(const std::string& role, int node_id, const rpc::NodeUsage& usage);
  std::map<std::pair<std::string, int>, rpc::NodeUsage> Usage() const;

  using SystemTableFiller = std::function<void(int exchange, const std::string& name, ExchangeInbox* inbox)>;
  // Takes the query's result rows as the leader's last stage produces them; returns false when
  // nobody wants more (the client went, a LIMIT upstream of it was met): the query then stops.
  using ResultSink = std::function<bool(Batch)>;
  // How Run runs a plan beyond its shape.
  struct RunOptions {
    LoadTally* tally = nullptr;         // COPY: rejected rows
    const ResultSink* sink = nullptr;   // null: result rows are collected in QueryOutcome::rows
    int64_t query_memory = 0;           // the session's query_memory (RunStage.query_memory)
    // stage_pipelining: 1 runs each wave's compute stages at once, 0 one stage at a time, -1
    // (auto) at once when this machine has more cores than a stage has slices: where one stage
    // already keeps every core busy, running several only makes them contend (SF 1 here: 10-14%
    // slower on 2 cores with 4 slices).
    int pipelining = -1;
    // Filled in by Run: the compute nodes' addresses when the query started; every stage of one
    // run goes to the same processes, so a failover or a node's return between two stages
    // cannot split a query's exchanges over two processes.
    std::vector<rpc::NodeAddress> nodes;
    // routing_epoch() when the statement's transaction began (0: not known). A read of a missing
    // object (58030) after the routing changed is a transaction whose uncommitted writes were on
    // a node that failed: 40001, which the client may retry.
    uint64_t routing_epoch = 0;
    // slice -> node of the catalog version the statement reads (catalog/slice_map.h); empty:
    // the committed shape's. Every stage of the run goes to the nodes this map names.
    std::vector<int> slice_node;
    // Set by RunOnce for a plan with one compute stage: RunStage.release_when_done, and (when
    // that stage can only produce rows on one slice: WHERE distkey = constant) the one node
    // it runs on; -1: every node.
    bool release_with_stage = false;
    int only_node = -1;
    // Set: the compute stages report progress each second (RunStage.report_progress); called
    // with the stage's id, the node's index and its totals so far, from the stage's threads.
    std::function<void(int stage, int node, const rpc::StageProgress&)> on_progress;
    // The stages' writes reach the catalog only through a commit whose push to the mirrors syncs
    // the nodes' logs (FailoverManager::BeforeCommit): they are appended without a sync of their
    // own (RunStage.defer_sync).
    bool defer_sync = false;
  };
  // A query that fails because a compute node failed is run again (with a new query id) once
  // its slices are served again (by a stand-in or the node's restarted process), at most this
  // many times, when no row of it has reached its reader and it unloads no files; otherwise it
  // fails with 40001, which a client may retry.
  static constexpr int kNodeFailureRetries = 2;
  // How long a retry waits for every node's slices to be served again.
  static constexpr std::chrono::milliseconds kFailoverWait{30000};
  // Runs a plan; `cancelled` is polled throughout and forwarded to the nodes by Cancel(). When
  // the plan ends with a compute stage gathered into the leader's last stage, its wave runs
  // beside that stage and rows stream through a bounded queue (Cluster::kTailQueueBytes)
  // instead of being held whole; earlier waves and leader stages run in order.
  QueryOutcome Run(const PhysicalPlan& plan, uint64_t query_id, const std::atomic<bool>* cancelled,
                   const SystemTableFiller& fill, const RunOptions& options);
  QueryOutcome Run(const PhysicalPlan& plan, uint64_t query_id, const std::atomic<bool>* cancelled,
                   const SystemTableFiller& fill, LoadTally* tally = nullptr) {
    RunOptions o;
    o.tally = tally;
    return Run(plan, query_id, cancelled, fill, o);
  }
  // Bytes of gathered rows the leader buffers between the last compute stage and its own.
  static constexpr size_t kTailQueueBytes = size_t{16} << 20;
  // Asks every node to stop the stages of `query_id`.
  void Cancel(uint64_t query_id);
  // stv_blocklist rows for these tables (slice -> manifest maps), from every node.
  std::vector<rpc::BlockRow> BlockList(const rpc::BlockListRequest& req, std::vector<rpc::SliceInfo>* slices = nullptr);
  // The blocks (and, with `slices`, the per-slice facts) of one table version; none when the
  // table holds no data.
  std::vector<rpc::BlockRow> TableBlocks(const catalog::Table& t, std::vector<rpc::SliceInfo>* slices = nullptr);
  // The blocks of every table (not view) of `cat` that holds data, in one request to each node;
  // no request when no table does.
  std::vector<rpc::BlockRow> AllTableBlocks(const CatalogVersion& cat, std::vector<rpc::SliceInfo>* slices = nullptr);
  // Garbage collection on every node; the replies summed.
  rpc::GarbageReply CollectGarbage(const rpc::GarbageRequest& req);
  // The same with each node's own request (node id -> request; GarbageRequest.per_store).
  rpc::GarbageReply CollectGarbage(const std::map<int, rpc::GarbageRequest>& per_node);
  // ALTER TABLE APPEND: every node's new target versions (slice -> manifest id), not committed.
  std::map<int, std::string> AppendBlocks(const rpc::AppendBlocksRequest& req);
  // A snapshot's uploads (server/compute_snapshot.cpp), on every compute node at once: node id ->
  // its request. `progress` gets the bytes each node reports as it goes (from several threads).
  // Throws the first node's error; a dead node is 08006 as for a stage.
  std::vector<rpc::SnapshotUploadReply> UploadSnapshot(const std::map<int, rpc::SnapshotUpload>& per_node,
                                                       const std::function<void(int64_t)>& progress,
                                                       const std::atomic<bool>* cancelled);
  // A same-shape restore (server/restore.h): every node in `per_node` first fetches missing
  // blocks from the request's store on demand (then `sources_set` runs, may be empty), then
  // brings its manifests' objects over; `progress` as for UploadSnapshot.
  void FetchSnapshot(const std::map<int, rpc::SnapshotUpload>& per_node, const std::function<void()>& sources_set,
                     const std::function<void(int64_t)>& progress);
  // Bytes of blocks each compute node has written since it started (automated snapshots).
  std::vector<int64_t> StorageBytesWritten();

  // Changes whenever some node's slices move to another process (a failover, a node's return).
  uint64_t routing_epoch() const { return routing_epoch_.load(); }
  // What happened to the nodes and their mirrors lately (stl_failover).
  ClusterEvents& events() { return events_; }
  // Queries run again after a node failure since the leader started.
  int64_t retried_queries() const { return retried_queries_.load(); }
  // Failover (server/failover.h). A copy of every compute node's slot.
  std::map<int, ComputeSlot> Slots() const;
  // Routing changes, each under the cluster's lock. Stops routing to node `id`'s process when it
  // is `incarnation` (a newer one has registered meanwhile otherwise).
  void StopServing(int id, ComputeSlot::Serving serving);
  // TAKE_OVER was sent to the process of node `host_node`: its stand-in for `id` will register.
  void WantStandin(int id);
  // Node `id`'s own process (when still `incarnation`) holds everything: it serves again, and a
  // stand-in is retired at its next heartbeat.
  bool PrimarySynced(int id, uint64_t incarnation);
  // Tells the leader a query failed on `node`: it is pinged at once, and stops being routed to
  // when the ping fails (so a retry waits for a failover instead of failing again).
  void ReportFailure(const rpc::NodeAddress& node);
  // PUSH_OBJECTS to `source` (server/compute_mirror.cpp). Throws its error; `source_failed` is
  // set when the source itself could not be reached or dropped the connection (not when it
  // answered with an error).
  rpc::PushReply PushObjects(const rpc::NodeAddress& source, const rpc::PushObjects& req, bool* source_failed);
  // TAKE_OVER of `id` to the process at `host`.
  void TakeOver(const rpc::NodeAddress& host, int id);
  // RESLICE_MANIFESTS to the process at `node`: the ids of the copies, in the request's order.
  std::vector<std::string> ResliceManifests(const rpc::NodeAddress& node, const rpc::ResliceManifests& req);
  // Whether node `id`'s mirror lacks commits (stv_nodes.mirror_state).
  void SetMirrorBehind(int id, bool behind);
  uint64_t NextQueryId() { return next_query_id_++; }
  // Query ids continue after `last` (the query history's newest, so ids stay unique across
  // restarts of the leader).
  void StartQueryIdsAfter(uint64_t last) {
    uint64_t want = last + 1, now = next_query_id_.load();
    while (now < want && !next_query_id_.compare_exchange_weak(now, want)) {}
  }
  // The leader's memory budget: its stages (a final sort or aggregate) count against it and spill
  // beyond a query's share. Null: unlimited.
  void SetLeaderMemory(NodeMemory* memory) { leader_memory_ = memory; }

 private:
  // Runs one stage on every compute node. Each node's answer is awaited in short polls: while
  // a node is silent it is pinged (a node that misses two pings in a row is taken for dead and
  // the stage fails with 08006), and once `cancelled` is set a node gets a grace period to stop
  // before the wait is abandoned with 57014. So no wait depends on a node answering.
  // Gathered rows (EXCHANGE_DATA from a node) go to `gather`; false stops the stage (the rows'
  // reader has gone). Null: into `inbox`.
  using GatherFn = std::function<bool(int exchange, Batch b)>;
  // `pipeline` carries RunStage's fields about the stage's wave (drop_exchanges,
  // streamed_exchanges, announce_end, memory_operators); the rest is filled in here.
  void RunComputeStage(const plan::Stage& stage, const rpc::RunStage& pipeline, uint64_t query_id, ExchangeInbox* inbox,
                       QueryOutcome* out, const RunOptions& options, const std::atomic<bool>* cancelled,
                       const GatherFn* gather = nullptr);
  // Runs a wave of compute stages (server/stage_waves.h) at once, each as RunComputeStage does;
  // `gather` (may be null) takes the last stage's gathered rows. When one stage fails the others
  // are cancelled and the first real error is thrown.
  void RunWave(const google::protobuf::RepeatedPtrField<plan::Stage>& stages, const WavePlan& waves,
               const StageWave& wave, uint64_t query_id, ExchangeInbox* inbox, QueryOutcome* out,
               const RunOptions& options, const std::atomic<bool>* cancelled, const GatherFn* gather);
  // Sets compute_[id] from the slot's serving (under mu_).
  void Route(int id, const ComputeSlot& slot);
  // True when the node answers a PING on a new connection within the control deadline.
  bool Ping(const rpc::NodeAddress& node) const;
  // Returns once `ch` has something to read; meanwhile pings `node` when it is silent and
  // honours `cancelled` (may be null) as RunComputeStage describes. Throws 08006 or 57014.
  void WaitWhileAlive(RpcChannel& ch, const rpc::NodeAddress& node, const std::atomic<bool>* cancelled) const;
  void Release(uint64_t query_id);
  // Sends `type` (CANCEL_QUERY, RELEASE_QUERY, DROP_EXCHANGES) for `query_id` to every node and
  // awaits the ACKs.
  void TellEveryNode(rpc::MessageType type, uint64_t query_id, const std::string& payload = "",
                     const std::vector<rpc::NodeAddress>* nodes = nullptr) const;
  // One run of a plan (Run retries it after a node failure); `delivered` is set once a result
  // row has gone to the caller.
  QueryOutcome RunOnce(const PhysicalPlan& plan, uint64_t query_id, const std::atomic<bool>* cancelled,
                       const SystemTableFiller& fill, const RunOptions& options, std::atomic<bool>* delivered);
  // Sends `type` with each node's payload to the nodes in `per_node`, all at once, and waits
  // for each one's `reply_type` (SNAPSHOT_PROGRESS frames meanwhile go to `progress`); a dead
  // node is 08006 as for a stage. Returns node id -> reply payload; throws the first error.
  std::map<int, std::string> RunNodeTask(rpc::MessageType type, const std::map<int, std::string>& per_node,
                                         rpc::MessageType reply_type, const std::function<void(int64_t)>& progress,
                                         const std::atomic<bool>* cancelled);
  // Sends `request` to every compute node in turn and returns their replies.
  template <typename Reply>
  std::vector<Reply> AskEveryNode(rpc::MessageType type, const google::protobuf::Message& request,
                                  rpc::MessageType reply_type);

  ClusterShape shape_;       // GUARDED_BY(mu_)
  const int total_slices_;   // fixed at creation: a resize moves slices, never adds any
  ClusterSecret secret_;
  mutable std::mutex mu_;
  int expected_nodes_ = 0;              // GUARDED_BY(mu_): ExpectNodes
  std::string expected_state_;          // GUARDED_BY(mu_)
  mutable std::condition_variable ready_cv_;
  std::map<int, rpc::NodeAddress> compute_;  // the address serving each node's slices now
  std::map<int, ComputeSlot> slots_;
  std::set<int> mirror_behind_;
  std::map<int, std::string> last_routed_;  // the last address each node's slices went to
  int spectrum_count_ = 0;
  std::map<int, rpc::NodeAddress> spectrum_;
  // When each node's last REGISTER (its heartbeat) came: key (role == spectrum, id).
  std::map<std::pair<bool, int>, std::chrono::steady_clock::time_point> heard_;
  std::atomic<uint64_t> next_query_id_{1};
  std::atomic<int64_t> retried_queries_{0};
  ClusterEvents events_;
  std::atomic<uint64_t> routing_epoch_{1};
  NodeMemory* leader_memory_ = nullptr;
  mutable std::mutex usage_mu_;
  std::map<std::pair<std::string, int>, rpc::NodeUsage> usage_;  // GUARDED_BY(usage_mu_)
};

inline bool PrimaryAlive(const ComputeSlot& s, std::chrono::steady_clock::time_point now) {
  return s.primary && now - s.primary_heard <= Cluster::kNodeDeadAfter;
}

}  // namespace strata
