// The file scan behind COPY: each slice parses its own byte range of a delimited text file
// (storage/delimited_reader.h) into typed batches, so every core of every node loads at once.
#pragma once

#include "executor/operator.h"
#include "planner/plan.pb.h"

namespace strata {

OperatorPtr MakeFileScan(const plan::FileScan& spec, const ExecContext& ctx);

}  // namespace strata
