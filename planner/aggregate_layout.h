// The columns a partial aggregate emits per aggregate (its "state"), shared by the planner
// (to type the exchange between partial and final) and the executor (to produce and merge them):
//   COUNT(*), COUNT(x)  -> count BIGINT
//   SUM(x)              -> sum in the result type
//   AVG(x)              -> sum (DECIMAL(38, scale of x) or DOUBLE) and count BIGINT
//   MIN(x), MAX(x)      -> value in x's type
//   SINGLE_VALUE(x)     -> value in x's type and count BIGINT
//   LISTAGG(x, d)       -> the values joined so far, in the result type (NULL for none)
//   APPROX_COUNT_DISTINCT(x) -> the serialized DistinctSketch (TEXT holding bytes)
//   VAR_* / STDDEV_*(x) -> count BIGINT, mean DOUBLE, sum of squared deviations DOUBLE
//   PERCENTILE_*(x)     -> the values so far, packed DOUBLEs in a TEXT
//   LISTAGG_ORDERED     -> the (sort key, value) pairs so far, packed in a TEXT (NULL for none)
//   BIT_AND / BIT_OR(x) -> the value so far in the result type (NULL for none)
#pragma once

#include <vector>

#include "planner/expr_builder.h"
#include "planner/plan.pb.h"

namespace strata {

inline std::vector<SqlType> PartialStateTypes(const plan::AggSpec& a) {
  switch (a.func()) {
    case plan::COUNT_STAR: case plan::COUNT: return {SqlType::Int64()};
    case plan::SUM: return {FromProtoType(a.result_type())};
    case plan::AVG: {
      SqlType arg = FromProtoType(a.arg().type());
      if (arg.is_float()) return {SqlType::Float64(), SqlType::Int64()};
      return {SqlType::Decimal(kMaxDecimalPrecision, arg.scale), SqlType::Int64()};
    }
    case plan::SINGLE_VALUE: return {FromProtoType(a.arg().type()), SqlType::Int64()};
    case plan::LISTAGG: return {FromProtoType(a.result_type())};
    case plan::APPROX_COUNT_DISTINCT: return {SqlType::Text()};
    case plan::VAR_SAMP: case plan::VAR_POP: case plan::STDDEV_SAMP: case plan::STDDEV_POP:
      return {SqlType::Int64(), SqlType::Float64(), SqlType::Float64()};
    case plan::PERCENTILE_CONT: case plan::PERCENTILE_DISC: return {SqlType::Text()};
    case plan::LISTAGG_ORDERED: return {SqlType::Text()};
    case plan::BIT_AND: case plan::BIT_OR: return {FromProtoType(a.result_type())};
    default: return {FromProtoType(a.arg().type())};
  }
}

}  // namespace strata
