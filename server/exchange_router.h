// Sends a stage's output rows where the sink says: to a slice of this node (straight into the
// local inbox), to another compute node (EXCHANGE_DATA over a connection this router opens per
// destination node and keeps for the stage, borrowed from the process's RpcPool), or back to whoever asked for them (Deliver).
// Sends to a node are acknowledged batch by batch, but up to kWindow batches may be on their way
// at once, so that a busy receiver delays the sender by less than a round trip per batch; a
// full window is the back-pressure.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "executor/exchange_inbox.h"
#include "executor/stage_runner.h"
#include "server/rpc_pool.h"

namespace strata {

class ExchangeRouter : public RowRouter {
 public:
  using DeliverFn = std::function<void(int exchange, Batch batch)>;
  // `secret` (which must outlive the router) authenticates its connections to other nodes.
  ExchangeRouter(uint64_t query_id, int self_node, ExchangeInbox* local_inbox,
                 std::vector<rpc::NodeAddress> nodes, const ClusterSecret* secret, DeliverFn deliver)
      : query_id_(query_id), self_node_(self_node), inbox_(local_inbox), nodes_(std::move(nodes)),
        secret_(secret), deliver_(std::move(deliver)) {}
  ~ExchangeRouter() override;

  // The query's share on each node (RunStage.query_memory), sent along with the rows.
  void set_query_memory(int64_t bytes) { query_memory_ = bytes; }
  void Send(int exchange, int node, int slice, Batch batch) override;
  void Deliver(int exchange, Batch batch) override { deliver_(exchange, std::move(batch)); }
  // An end marker to every node: through this router's own connections (so it follows the rows
  // sent on them), opening one to a node it has sent nothing to.
  void EndExchange(int exchange) override;
  // Waits for every outstanding acknowledgement (an ERROR in their place is thrown).
  void Flush() override;
  static constexpr int kWindow = 8;

 private:
  uint64_t query_id_;
  int self_node_;
  ExchangeInbox* inbox_;
  std::vector<rpc::NodeAddress> nodes_;
  const ClusterSecret* secret_;
  DeliverFn deliver_;
  int64_t query_memory_ = 0;
  struct Peer {
    PooledChannel channel;  // back to the pool when the router ends with every ACK read
    int unacked = 0;        // batches sent whose ACK has not been read
    bool broken = false;    // a send or a read failed: never reused
  };
  Peer& PeerFor(int node);  // its connection is opened at first use and kept for the stage
  void SendTo(Peer& peer, const rpc::ExchangeData& msg);
  std::map<int, Peer> peers_;
};

}  // namespace strata
