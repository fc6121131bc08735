// The rows of the system tables the leader answers (see planner/system_tables.h): built at
// query time from the catalog version the statement reads and, for block-level tables, from
// the compute nodes' manifests.
#pragma once

#include <string>

#include "executor/exchange_inbox.h"
#include "server/cluster.h"
#include "server/load_error_store.h"
#include "storage/catalog.pb.h"

namespace strata {

void FillSystemTable(const std::string& name, const catalog::Catalog& cat, Cluster* cluster, int exchange,
                     ExchangeInbox* inbox, const LoadErrorStore* load_errors);

}  // namespace strata
