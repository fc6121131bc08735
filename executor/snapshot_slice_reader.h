// A restore's split: one slice manifest in a snapshot store (replication/snapshot_store.h),
// read as rows. The manifest and each block come from the store, are checked against their
// content ids (a missing or corrupt one fails the restore, naming it) and are decoded by the
// same SliceReader a table scan uses, deleted rows left out. COPY's file scan opens it for the
// format "strata_snapshot", so a restore is a load: rows go to their slices by the new cluster's
// distribution and are written sorted, with the table's encodings.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "formats/file_format.h"
#include "io/object_store.h"

namespace strata {

// `manifest_url` is <location>manifests/<id>; `table` and `columns` name what errors report.
std::unique_ptr<RecordReader> OpenSnapshotSliceReader(const std::string& manifest_url, const std::vector<SqlType>& types,
                                                      const ObjectStoreConfig& config, const std::string& table,
                                                      const std::vector<std::string>& columns);

}  // namespace strata
