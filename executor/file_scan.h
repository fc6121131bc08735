// The file scan behind COPY: each slice reads the splits the leader gave it (whole objects, or
// byte ranges of large uncompressed text files, or STDIN bytes), through the object store and a
// decompressor, with the reader of the COPY's format (delimited text / CSV, JSON, Parquet), into
// typed batches, so every core of every node loads at once. Rejected rows go to the node's
// LoadLog (stl_load_errors); past MAXERROR the load fails.
#pragma once

#include "executor/operator.h"
#include "planner/plan.pb.h"

namespace strata {

OperatorPtr MakeFileScan(const plan::FileScan& spec, const ExecContext& ctx);

// Redshift's stl_load_errors err_code for an error of this SQLSTATE (1207 invalid digit, 1205
// date, 1204 too long, 1214 wrong number of fields, ...).
int LoadErrorCode(const std::string& sqlstate, const std::string& message);

}  // namespace strata
