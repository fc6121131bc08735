// IdentityFill: numbers the identity columns of rows on their way to a table (plan::IdentityFill,
// planner/identity_columns.h). Each NULL in such a column becomes the next value of this
// instance's share of the sequence: on the leader every value in turn, on slice s of S the
// values s, s + S, s + 2S, ... steps past the statement's starting point.
#pragma once

#include "executor/operator.h"
#include "planner/plan.pb.h"

namespace strata {

OperatorPtr MakeIdentityFill(const plan::IdentityFill& spec, OperatorPtr input, const ExecContext& ctx);

}  // namespace strata
