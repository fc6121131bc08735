// ClusterEvents: the leader's recent log of what happened to the compute nodes and their mirrors
// (server/failover.h records it, stl_failover shows it): a node taken for dead, a stand-in
// started, a store resynced, a node serving its slices again, a mirror left behind or repaired,
// a commit refused, a statement run again. In memory, the last kKeep events.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace strata {

struct ClusterEvent {
  int64_t micros = 0;      // when (microseconds since 2000-01-01 UTC, as timestamps)
  int node = -1;           // the node it is about
  std::string event;       // "down", "standin", "resynced", "serving", "mirror behind", "mirror repaired",
                           // "commit refused", "statement rerun"
  int other_node = -1;     // the other process involved (the stand-in's host, the mirror's), -1 none
  int64_t objects = 0;     // objects sent (a resync, a repair)
  int64_t bytes = 0;
  double duration_ms = -1; // how long it took, -1 not timed
  std::string detail;
};

class ClusterEvents {
 public:
  static constexpr size_t kKeep = 1000;
  // Stamps the event with the current time.
  void Add(ClusterEvent e);
  std::vector<ClusterEvent> Rows() const;

 private:
  mutable std::mutex mu_;
  std::deque<ClusterEvent> events_;  // GUARDED_BY(mu_)
};

}  // namespace strata
