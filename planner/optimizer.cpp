// See optimizer.h: the list of passes and the loop that runs them.
#include "planner/optimizer.h"

#include "planner/column_pruning.h"
#include "planner/decorrelation.h"
#include "planner/join_order.h"
#include "planner/predicate_pushdown.h"
#include "planner/semijoin_reduction.h"

namespace strata {
namespace {

LogicalPtr PruneAllColumns(LogicalPtr plan) {
  PruneColumns(plan.get());
  return plan;
}

}  // namespace

const std::vector<OptimizerPass>& OptimizerPasses() {
  static const std::vector<OptimizerPass> passes = {
      {"decorrelation", &Decorrelate},
      {"join_order", &OrderJoins},
      {"predicate_pushdown", &PushDownPredicates},
      {"semijoin_reduction", &ReduceBySemiJoins},
      {"column_pruning", &PruneAllColumns},
  };
  return passes;
}

LogicalPtr Optimize(LogicalPtr plan) {
  if (plan == nullptr) return plan;
  for (const OptimizerPass& pass : OptimizerPasses()) plan = pass.run(std::move(plan));
  return plan;
}

void Optimize(BoundStatement* b) {
  b->query = Optimize(std::move(b->query));
  b->create_as = Optimize(std::move(b->create_as));
  for (auto& r : b->recursive_ctes) {
    r.base = Optimize(std::move(r.base));
    r.step = Optimize(std::move(r.step));
  }
}

}  // namespace strata
