// A compute node process: owns the blocks and manifests of its slices (in its own data folder),
// registers with the leader, and serves RPCs: runs a stage on all its slices in parallel
// (one thread per slice), receives exchange rows from peers, reports its block list. Memory:
// the process has one NodeMemory (--memory-limit) and each query one QueryMemory, its share,
// which the query's slices and its exchange inbox reserve from; spill files go to DATA/tmp.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <set>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "executor/exchange_inbox.h"
#include "executor/memory_budget.h"
#include "server/rpc_channel.h"
#include "storage/block_store.h"
#include "storage/manifest_store.h"

namespace strata {

struct ComputeOptions {
  std::string data_dir;
  std::string leader_host = "127.0.0.1";
  int leader_port = 0;
  // Where its RPC port listens (--listen ADDR[:PORT]; port 0: any free one) and the address the
  // leader and the other nodes reach it at (--advertise; default: the listen address, or, when
  // that is 0.0.0.0 / ::, this host's address on its connection to the leader).
  std::string listen_address = "127.0.0.1";
  int listen_port = 0;
  std::string advertise_address;
  int node_id = -1;
  std::string role = "compute";  // "spectrum": a worker that reads external tables' splits (SCAN_SPLIT)
  ClusterSecret secret;           // proves membership on every RPC connection, both ways
  std::vector<std::string> allow_paths;  // --allow-path: folders COPY / UNLOAD may use here
  int64_t memory_limit = 0;              // --memory-limit in bytes; 0: DefaultNodeMemoryLimit()
  // A stand-in (server/compute_mirror.cpp): serves node_id's slices from a mirror store in
  // another node's process; it registers as that node and stops when the leader retires it.
  bool standin = false;
  // A stand-in draws on its host process's budget: one process, one --memory-limit.
  std::shared_ptr<NodeMemory> shared_memory;
};

class ComputeNode {
 public:
  explicit ComputeNode(ComputeOptions options);
  // Registers with the leader and serves until the process is killed.
  void Run();
  // Starts serving and registers (bounded retries; a stand-in throws when it cannot, a node
  // exits), then sends heartbeats from a thread of its own.
  void Start();
  int port() const { return server_ ? server_->port() : 0; }
  bool retired() const { return retired_.load(); }

 private:
  struct QueryState {
    QueryState(NodeMemory* node, int64_t limit, uint64_t id) : memory(node, limit, id), inbox(&memory) {}
    QueryMemory memory;   // declared before the inbox, which gives its memory back to it
    ExchangeInbox inbox;
    std::atomic<bool> cancelled{false};
  };
  // The query's state, made at its first message. `query_memory` (RunStage.query_memory) is
  // its share in bytes; 0, or a message that carries none, means DefaultQueryShare().
  std::shared_ptr<QueryState> Query(uint64_t id, int64_t query_memory = 0);
  int64_t DefaultQueryShare() const;
  void Handle(RpcChannel& ch);
  void RunStage(RpcChannel& ch, const RpcFrame& frame);
  // What this node uses, for its heartbeat (only the heartbeat thread calls it).
  void FillUsage(rpc::NodeUsage* usage);
  int64_t data_bytes_ = 0;
  std::chrono::steady_clock::time_point data_bytes_at_;
  void BlockList(RpcChannel& ch, const RpcFrame& frame);
  void AppendBlocks(RpcChannel& ch, const RpcFrame& frame);
  void ScanSplit(RpcChannel& ch, const RpcFrame& frame);
  // A snapshot's part on this node (server/compute_snapshot.cpp).
  void SnapshotUpload(RpcChannel& ch, const RpcFrame& frame);
  void RestoreSource(RpcChannel& ch, const RpcFrame& frame);
  void RestoreFetch(RpcChannel& ch, const RpcFrame& frame);  // a spectrum worker reads one external split  // ALTER TABLE APPEND
  // Mirrors and failover (server/compute_mirror.cpp).
  struct Stores {
    BlockStore* blocks;
    ManifestStore* manifests;
  };
  Stores StoresOf(const rpc::StoreRef& ref);
  std::string MirrorDir(int node) const;
  std::vector<int> MirrorsOnDisk() const;
  void PushObjects(RpcChannel& ch, const RpcFrame& frame);
  // Syncs the object log of every store here (own and mirrors): what write stages appended
  // without a sync (RunStage.defer_sync) becomes durable.
  void SyncAllLogs();
  // A commit's push of what its manifests add to their bases, sent without asking first; false
  // when it does not apply (no bases, too much, the target lacks a base): then the full push.
  bool PushDelta(const rpc::PushObjects& req, const Stores& from, uint64_t query_id, rpc::PushReply* reply);
  void ObjectsMissing(RpcChannel& ch, const RpcFrame& frame);
  void PutObjects(RpcChannel& ch, const RpcFrame& frame);
  void TakeOver(RpcChannel& ch, const RpcFrame& frame);
  void ResliceManifests(RpcChannel& ch, const RpcFrame& frame);
  void Heartbeats(rpc::RegisterNode reg);

  ComputeOptions options_;
  std::unique_ptr<BlockStore> blocks_;
  std::unique_ptr<ManifestStore> manifests_;
  std::unique_ptr<RpcServer> server_;
  std::shared_ptr<NodeMemory> memory_;
  int node_id_ = -1;
  int slices_per_node_ = 1;
  std::atomic<int> compute_nodes_{1};  // the cluster's, as the leader last said (a resize changes it)
  // Whether this node holds `slice` under the slice map `slice_node` (catalog/slice_map.h; empty:
  // the layout at creation).
  bool Holds(const google::protobuf::RepeatedField<int32_t>& slice_node, int slice) const {
    if (slice_node.empty()) return slice / slices_per_node_ == node_id_;
    return slice >= 0 && slice < slice_node.size() && slice_node[slice] == node_id_;
  }
  uint64_t leader_incarnation_ = 0;  // the heartbeat thread's
  std::mutex mu_;
  std::map<uint64_t, std::shared_ptr<QueryState>> queries_;
  // Queries let go with their only stage (RunStage.release_when_done), the latest kReleasedKept:
  // a cancel that comes after must not bring their state back (nothing would release it again).
  static constexpr size_t kReleasedKept = 4096;
  std::set<uint64_t> released_;
  std::deque<uint64_t> released_order_;
  std::shared_ptr<class SnapshotStore> restore_source_;  // GUARDED_BY(mu_): a restore's store, once set
  struct MirrorStores {
    std::unique_ptr<BlockStore> blocks;
    std::unique_ptr<ManifestStore> manifests;
  };
  std::map<int, MirrorStores> mirrors_;  // GUARDED_BY(mu_): node -> its mirror here, opened on use
  bool fresh_ = false;                   // the data folder was new at this start
  uint64_t incarnation_ = 0;             // random per start (RegisterNode.incarnation)
  std::string advertised_host_;          // what this process registered as its host
  std::atomic<bool> retired_{false};
  std::mutex standin_mu_;
  std::map<int, std::unique_ptr<ComputeNode>> standins_;  // GUARDED_BY(standin_mu_)
  std::vector<std::unique_ptr<ComputeNode>> retired_standins_;
};

}  // namespace strata
