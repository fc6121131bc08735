// Turning a plan's external table scans into work when the query runs (Spectrum's planning on
// the leader): for each scan, the table's partitions are pruned by the scan's partition filter
// (evaluated over the partitions' values, so IN, ranges and any expression on partition
// columns prune), the qualifying locations are listed, the files are cut into splits (Parquet by
// row groups, uncompressed text by byte ranges; others whole) and spread over the slices, and
// each split is given a spectrum worker to read it when the cluster has any.
#pragma once

#include <vector>

#include "catalog/catalog_version.h"
#include "planner/physical_planner.h"
#include "server/rpc.pb.h"

namespace strata {

// True when the plan reads an external table.
bool HasExternalScans(const plan::QueryPlan& plan);

// Fills the splits of every external scan of `plan`, reading the partitions from `cat`. Returns
// one summary per scan (slice -1: partitions, files, splits) for stl_scan's companions
// svl_s3partition and svl_s3query_summary.
std::vector<plan::ScanStat> PrepareExternalScans(plan::QueryPlan* plan, const CatalogVersion& cat, int slices,
                                                 const std::vector<rpc::NodeAddress>& spectrum_workers);

// For EXPLAIN: each partitioned external scan of the plan, its table and how many of its
// partitions qualify out of how many (pruned without listing any file).
struct PartitionCount {
  std::string table;
  int qualified = 0, total = 0;
};
std::vector<PartitionCount> ExternalPartitionCounts(const plan::QueryPlan& plan, const CatalogVersion& cat);

// EXPLAIN's lines with a "Partitions: k of n" line under each partitioned S3 Seq Scan.
std::vector<std::string> WithPartitionCounts(const std::vector<std::string>& explain, const std::vector<PartitionCount>& counts);

}  // namespace strata
