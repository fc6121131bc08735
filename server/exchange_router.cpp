#include "server/exchange_router.h"

#include "executor/batch_codec.h"
#include "sql/error.h"

namespace strata {

ExchangeRouter::~ExchangeRouter() {
  for (auto& [n, p] : peers_) {
    if (p.unacked == 0 && !p.broken) p.channel.Keep();
  }
}

ExchangeRouter::Peer& ExchangeRouter::PeerFor(int node) {
  auto it = peers_.find(node);
  if (it == peers_.end()) {
    const rpc::NodeAddress* addr = nullptr;
    for (const auto& a : nodes_) if (a.node_id() == node) addr = &a;
    if (addr == nullptr) STRATA_INTERNAL_ERROR("no address for compute node ", node);
    it = peers_.emplace(node, Peer{RpcPool::Shared().Acquire(addr->host(), addr->port(), *secret_)}).first;
  }
  return it->second;
}

void ExchangeRouter::SendTo(Peer& peer, const rpc::ExchangeData& msg) {
  peer.broken = true;  // until the send and the reads it owes are done
  peer.channel->Send(rpc::EXCHANGE_DATA, query_id_, msg);
  ++peer.unacked;
  while (peer.unacked > kWindow) {
    peer.channel->Expect(rpc::ACK);
    --peer.unacked;
  }
  peer.broken = false;
}

void ExchangeRouter::Send(int exchange, int node, int slice, Batch batch) {
  if (node == self_node_) {
    inbox_->Add(exchange, slice, std::make_shared<const Batch>(std::move(batch)));
    return;
  }
  rpc::ExchangeData msg;
  msg.set_exchange_id(exchange);
  msg.set_slice(slice);
  msg.set_query_memory(query_memory_);
  msg.set_batch(EncodeBatch(batch));
  SendTo(PeerFor(node), msg);
}

void ExchangeRouter::EndExchange(int exchange) {
  rpc::ExchangeData end;
  end.set_exchange_id(exchange);
  end.set_slice(-1);
  end.set_end(true);
  end.set_query_memory(query_memory_);
  for (const auto& a : nodes_) {
    if (a.node_id() == self_node_) {
      inbox_->End(exchange);
    } else {
      SendTo(PeerFor(a.node_id()), end);  // after this connection's rows: the receiver takes them in order
    }
  }
  Flush();
}

void ExchangeRouter::Flush() {
  for (auto& [n, p] : peers_) {
    p.broken = true;
    for (; p.unacked > 0; --p.unacked) p.channel->Expect(rpc::ACK);
    p.broken = false;
  }
}

}  // namespace strata
