#include "server/exchange_router.h"

#include "executor/batch_codec.h"
#include "sql/error.h"

namespace strata {

ExchangeRouter::~ExchangeRouter() {
  for (auto& [n, ch] : channels_) ch->Close();
}

void ExchangeRouter::Send(int exchange, int node, int slice, Batch batch) {
  if (node == self_node_) {
    inbox_->Add(exchange, slice, std::make_shared<const Batch>(std::move(batch)));
    return;
  }
  auto it = channels_.find(node);
  if (it == channels_.end()) {
    const rpc::NodeAddress* addr = nullptr;
    for (const auto& a : nodes_) if (a.node_id() == node) addr = &a;
    if (addr == nullptr) STRATA_INTERNAL_ERROR("no address for compute node ", node);
    it = channels_.emplace(node, RpcChannel::Connect(addr->host(), addr->port(), *secret_)).first;
  }
  rpc::ExchangeData msg;
  msg.set_exchange_id(exchange);
  msg.set_slice(slice);
  msg.set_batch(EncodeBatch(batch));
  it->second->Send(rpc::EXCHANGE_DATA, query_id_, msg);
  it->second->Expect(rpc::ACK);
}

}  // namespace strata
