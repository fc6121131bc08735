// A compute node process: owns the blocks and manifests of its slices (in its own data folder),
// registers with the leader, and serves RPCs: runs a stage on all its slices in parallel
// (one thread per slice), receives exchange rows from peers, reports its block list. Memory:
// the process has one NodeMemory (--memory-limit) and each query one QueryMemory, its share,
// which the query's slices and its exchange inbox reserve from; spill files go to DATA/tmp.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>

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
};

class ComputeNode {
 public:
  explicit ComputeNode(ComputeOptions options);
  // Registers with the leader and serves until the process is killed.
  void Run();

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
  void BlockList(RpcChannel& ch, const RpcFrame& frame);
  void AppendBlocks(RpcChannel& ch, const RpcFrame& frame);
  void ScanSplit(RpcChannel& ch, const RpcFrame& frame);
  // A snapshot's part on this node (server/compute_snapshot.cpp).
  void SnapshotUpload(RpcChannel& ch, const RpcFrame& frame);
  void RestoreSource(RpcChannel& ch, const RpcFrame& frame);
  void RestoreFetch(RpcChannel& ch, const RpcFrame& frame);  // a spectrum worker reads one external split  // ALTER TABLE APPEND

  ComputeOptions options_;
  std::unique_ptr<BlockStore> blocks_;
  std::unique_ptr<ManifestStore> manifests_;
  std::unique_ptr<RpcServer> server_;
  std::unique_ptr<NodeMemory> memory_;
  int node_id_ = -1;
  int slices_per_node_ = 1;
  int compute_nodes_ = 1;
  uint64_t leader_incarnation_ = 0;  // the heartbeat thread's
  std::mutex mu_;
  std::map<uint64_t, std::shared_ptr<QueryState>> queries_;
  std::shared_ptr<class SnapshotStore> restore_source_;  // GUARDED_BY(mu_): a restore's store, once set
};

}  // namespace strata
