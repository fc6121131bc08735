// Which compute node holds each slice. A cluster's slice count is fixed when it is created
// (compute nodes × slices per node); an elastic resize (server/resize.h) moves whole slices
// between nodes, so after one a node may hold more slices than another and node n's slices are
// no longer n·spn … n·spn+spn-1. The map is kept in the catalog (catalog::Catalog.slice_node;
// empty means the layout at creation) so that every query runs with the map of the catalog
// version it reads. A node's copy of a DISTSTYLE ALL table lives on its first slice.
#pragma once

#include <algorithm>
#include <vector>

#include "catalog/catalog.pb.h"

namespace strata {

// slice -> node for `nodes` nodes of `slices_per_node` slices each: the layout at creation.
inline std::vector<int> DefaultSliceNodes(int nodes, int slices_per_node) {
  std::vector<int> map;
  for (int n = 0; n < nodes; ++n) {
    for (int l = 0; l < slices_per_node; ++l) map.push_back(n);
  }
  return map;
}

// The map the catalog `meta` records (its layout at creation when it records none).
inline std::vector<int> SliceNodesOf(const catalog::Catalog& meta) {
  if (meta.slice_node_size() > 0) return {meta.slice_node().begin(), meta.slice_node().end()};
  return DefaultSliceNodes(std::max(1, meta.compute_nodes()), std::max(1, meta.slices_per_node()));
}

// How many nodes hold slices (nodes are numbered 0 … N-1 and each holds at least one).
inline int NodeCount(const std::vector<int>& map) {
  int n = 0;
  for (int node : map) n = std::max(n, node + 1);
  return n;
}

inline int SlicesOn(const std::vector<int>& map, int node) {
  return static_cast<int>(std::count(map.begin(), map.end(), node));
}

// The most slices any node holds (what a node's memory is divided by).
inline int MostSlicesOnANode(const std::vector<int>& map) {
  int most = 1;
  for (int n = 0; n < NodeCount(map); ++n) most = std::max(most, SlicesOn(map, n));
  return most;
}

// Node `node`'s first slice, where its copy of a DISTSTYLE ALL table lives; -1 when it has none.
inline int FirstSliceOf(const std::vector<int>& map, int node) {
  for (size_t s = 0; s < map.size(); ++s) {
    if (map[s] == node) return static_cast<int>(s);
  }
  return -1;
}

// The map for `nodes` nodes that moves the fewest slices from `current`: every node ends with
// ⌊S/nodes⌋ or ⌈S/nodes⌉ slices (the first S mod nodes nodes one more), a node keeps its
// lowest slices up to its share, and the rest go, lowest first, to the nodes below theirs.
// Node 0 keeps slice 0. `nodes` must be 1 … S.
inline std::vector<int> BalancedSliceNodes(const std::vector<int>& current, int nodes) {
  const int total = static_cast<int>(current.size());
  std::vector<int> share(nodes, total / nodes);
  for (int n = 0; n < total % nodes; ++n) ++share[n];
  std::vector<int> next(total, -1), held(nodes, 0);
  for (int s = 0; s < total; ++s) {
    int n = current[s];
    if (n >= 0 && n < nodes && held[n] < share[n]) {
      next[s] = n;
      ++held[n];
    }
  }
  int n = 0;
  for (int s = 0; s < total; ++s) {
    if (next[s] >= 0) continue;
    while (held[n] >= share[n]) ++n;
    next[s] = n;
    ++held[n];
  }
  return next;
}

}  // namespace strata
