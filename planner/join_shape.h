// What a join of each type emits per row, in one place for the planner, the column pruner and
// the executor to agree on: both sides' columns (the probe's, then the build's) for INNER, LEFT,
// RIGHT and FULL; the probe's alone for SEMI, ANTI and NULL_AWARE_ANTI; the probe's and a BOOLEAN
// match flag for MARK and NULL_AWARE_MARK; the build's alone for RIGHT_SEMI and RIGHT_ANTI (which
// only physical plans hold).
#pragma once

#include "planner/plan.pb.h"

namespace strata {

enum class JoinShape { kBothSides, kProbeOnly, kProbeAndFlag, kBuildOnly };

inline JoinShape ShapeOf(plan::JoinType type) {
  switch (type) {
    case plan::SEMI:
    case plan::ANTI:
    case plan::NULL_AWARE_ANTI: return JoinShape::kProbeOnly;
    case plan::MARK:
    case plan::NULL_AWARE_MARK: return JoinShape::kProbeAndFlag;
    case plan::RIGHT_SEMI:
    case plan::RIGHT_ANTI: return JoinShape::kBuildOnly;
    default: return JoinShape::kBothSides;
  }
}

}  // namespace strata
