// The streaming operators: VALUES, filter, projection, exchange source (rows received from
// other stages), and the table scan over a slice's blocks.
#pragma once

#include <vector>

#include "executor/operator.h"
#include "planner/plan.pb.h"

namespace strata {

OperatorPtr MakeValues(const plan::Values& spec);
OperatorPtr MakeFilter(const plan::Expr& predicate, OperatorPtr input);
OperatorPtr MakeProject(const plan::Project& spec, OperatorPtr input);
OperatorPtr MakeExchangeSource(const plan::ExchangeSource& spec, const ExecContext& ctx);
// `pushed` are conjuncts of a filter directly above the scan, used for zone-map pruning only.
OperatorPtr MakeScan(const plan::Scan& spec, const std::vector<const plan::Expr*>& pushed, const ExecContext& ctx);

}  // namespace strata
