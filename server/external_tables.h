// External tables' catalog entries (catalog.proto's ExternalTable), the leader's helpers shared
// by the DDL (server/leader_external.cpp), the crawler and query planning
// (server/external_splits.cpp): partition keys and partitions, table properties, and listing a
// location's files and Hive-style partition folders.
#pragma once

#include <string>
#include <vector>

#include "catalog/catalog.pb.h"
#include "io/object_store.h"

namespace strata {

// The names of the table's partition columns, in order.
std::vector<std::string> PartitionKeyNames(const catalog::Table& t);

// Appends a partition (values as text; Hive's default-partition name is NULL).
void AddPartition(catalog::ExternalTable* x, const std::vector<std::string>& values, const std::string& location, int64_t now);

// Applies TABLE PROPERTIES that change how the table is planned ('numRows').
void ApplyTableProperties(catalog::Table* t);

// The data files under a location (a folder, with its subfolders; a location naming one file
// is that file), without hidden ones (names starting with '.' or '_', as Hive and Spectrum skip
// them) and folder markers.
std::vector<ObjectInfo> ListDataFiles(const std::string& location, const ObjectStoreConfig& cfg);

// MSCK REPAIR TABLE: adds a partition for each k=v/... folder under the table's location that
// holds files and is not yet registered; returns how many were added.
int RepairPartitions(catalog::Table* t, const ObjectStoreConfig& cfg);

}  // namespace strata
