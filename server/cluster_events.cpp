// The leader's log of node and mirror events (cluster_events.h).
#include "server/cluster_events.h"

#include "planner/clock_functions.h"

namespace strata {

void ClusterEvents::Add(ClusterEvent e) {
  e.micros = ClockMicros();
  if (e.detail.size() > 256) e.detail.resize(256);
  std::lock_guard<std::mutex> lock(mu_);
  events_.push_back(std::move(e));
  while (events_.size() > kKeep) events_.pop_front();
}

std::vector<ClusterEvent> ClusterEvents::Rows() const {
  std::lock_guard<std::mutex> lock(mu_);
  return std::vector<ClusterEvent>(events_.begin(), events_.end());
}

}  // namespace strata
