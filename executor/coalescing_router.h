// A RowRouter in front of another that gathers the rows a stage sends to each destination
// (exchange, node, slice) into batches of about kBatchSize rows before passing them on. A
// selective scan or a hash split leaves batches of a few rows; sent as they are, each costs a
// round trip to the receiving node and a wake-up of its reader. Rows keep their order per
// destination; Flush() sends what is left and must be called when the stage's rows end.
#pragma once

#include <map>
#include <tuple>

#include "executor/stage_runner.h"

namespace strata {

class CoalescingRouter : public RowRouter {
 public:
  explicit CoalescingRouter(RowRouter* next) : next_(next) {}
  void Send(int exchange, int node, int slice, Batch batch) override;
  void Deliver(int exchange, Batch batch) override { next_->Deliver(exchange, std::move(batch)); }
  void EndExchange(int exchange) override { next_->EndExchange(exchange); }
  // Sends every partly filled batch on, and flushes the router behind.
  void Flush() override;

 private:
  RowRouter* next_;
  std::map<std::tuple<int, int, int>, Batch> pending_;
};

}  // namespace strata
