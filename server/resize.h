// ResizeManager: elastic resize, adding or removing compute nodes while the cluster runs
// (RESIZE CLUSTER TO n, or `strata resize --nodes n`).
//
// A cluster's slice count is fixed when it is created; a resize moves whole slices between nodes
// (catalog/slice_map.h: the fewest moves that leave every node ⌊S/n⌋ or ⌈S/n⌉ slices) and their
// blocks with them, as Redshift's elastic resize does. In order:
//   1. growing: the new nodes join (`serve` starts them; started by hand, they join with
//      --node-id k and wait to be let in), empty;
//   2. every moved slice's live manifests, and every block and delete vector they name, are
//      pushed from the node that has them to the node that will (PUSH_OBJECTS, content ids: only
//      what the target lacks travels); each new node gets the DISTSTYLE ALL copies the same way;
//      reads and writes go on meanwhile;
//   3. with commits held (FailoverManager::WithCommitsHeld), what was committed during step 2 is
//      pushed too, and one catalog commit switches the slice map, the node count and every
//      DISTSTYLE ALL table's copies to their new first slices. Writes pause only for this step.
//   4. Statements started before the switch finish with the map of the catalog version they
//      read (the old nodes still hold everything); a transaction that wrote before the switch and
//      commits after it gets 40001. Nodes being removed stay until no transaction that began
//      before the switch is left (at most kDrain), then `serve` stops them.
//   5. The mirror ring changes with the node count: every mirror is rebuilt (the failover
//      manager's repairs send what each new mirror lacks).
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <shared_mutex>

#include "catalog/catalog_store.h"
#include "server/cluster.h"
#include "server/failover.h"
#include "server/snapshot_registry.h"

namespace strata {

struct ResizeReport {
  int from_nodes = 0;
  int to_nodes = 0;
  int slices_moved = 0;
  int64_t objects_sent = 0;
  int64_t bytes_sent = 0;
  double held_ms = 0;   // how long commits were held for the switch
  double total_ms = 0;
};

class ResizeManager {
 public:
  ResizeManager(Cluster* cluster, CatalogStore* catalog, FailoverManager* failover, SnapshotRegistry* snapshots);

  // Resizes to `nodes` compute nodes; returns when the new map serves (and removed nodes have
  // drained). One at a time (55000 otherwise); 22023 for a count outside 1 … slices; 57P03 when a
  // new node does not join within kJoinWait; 57014 when `cancelled` is set before the switch
  // (nothing changes then). Throws before the switch leave the cluster as it was.
  ResizeReport Resize(int nodes, const std::atomic<bool>* cancelled);

  // Garbage collection per store (VACUUM) holds this while it runs; empty (not owning) while a
  // resize runs, which puts objects on nodes before any slice map names them there.
  std::shared_lock<std::shared_mutex> HoldOffResize() { return std::shared_lock<std::shared_mutex>(gc_gate_, std::try_to_lock); }

  // How many compute node processes `strata serve` should run now.
  int wanted_nodes() const { return wanted_.load(); }

  static constexpr std::chrono::seconds kJoinWait{120};
  static constexpr std::chrono::seconds kDrain{120};

 private:
  Cluster* cluster_;
  CatalogStore* catalog_;
  FailoverManager* failover_;
  SnapshotRegistry* snapshots_;
  std::mutex running_;
  std::shared_mutex gc_gate_;  // exclusive for a whole resize
  std::atomic<int> wanted_;
};

}  // namespace strata
