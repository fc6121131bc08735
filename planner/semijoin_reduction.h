// Semi-join reduction, an optimizer pass (planner/optimizer.h): a join of a small input S to the
// result of a GROUP BY over a big input B, on keys that are group keys, only ever uses the
// groups whose keys S holds. Grouping all of B first and dropping most groups at the join is
// the waste (TPC-H Q17 and Q20, once decorrelated, aggregate all of lineitem to join a few
// hundred parts). The pass rewrites
//
//     S ⋈[s_k = g_k] Agg_{g}(B)   into   S ⋈[s_k = g_k] Agg_{g}(B ⋉[g_k = s_k] π_{s_k}(S))
//
// so B is filtered by S's keys (a hash semi join whose build side is S's keys) before it is
// grouped or shipped. Each group holds only rows of one key value, so a group is either kept
// whole or could never have matched: the answer is the same. It applies when the aggregate is
// a side the join does not preserve (either side of INNER and SEMI, the right side of LEFT and
// ANTI), directly or under projections and filters that pass the group keys on unchanged, and
// when S is estimated at under a quarter of B's rows and under half of the groups (fewer keys
// than that drop too little); S (which must hold no volatile function) is then computed twice.
//
// Before that, the pass moves each semi and anti join (IN / EXISTS, keys only) down through
// inner joins and projections to the input whose columns its keys test: TPC-H Q18's orders IN
// (the few big orders) then filters orders before lineitem is joined to them, not the 6 M joined
// rows after.
#pragma once

#include "planner/logical_plan.h"

namespace strata {

LogicalPtr ReduceBySemiJoins(LogicalPtr plan);

}  // namespace strata
