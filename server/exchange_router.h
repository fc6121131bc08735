// Sends a stage's output rows where the sink says: to a slice of this node (straight into the
// local inbox), to another compute node (EXCHANGE_DATA over a connection this router opens per
// destination node and keeps for the stage), or back to whoever asked for them (Deliver).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "executor/exchange_inbox.h"
#include "executor/stage_runner.h"
#include "server/rpc_channel.h"

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

  void Send(int exchange, int node, int slice, Batch batch) override;
  void Deliver(int exchange, Batch batch) override { deliver_(exchange, std::move(batch)); }

 private:
  uint64_t query_id_;
  int self_node_;
  ExchangeInbox* inbox_;
  std::vector<rpc::NodeAddress> nodes_;
  const ClusterSecret* secret_;
  DeliverFn deliver_;
  std::map<int, std::unique_ptr<RpcChannel>> channels_;
};

}  // namespace strata
