// What each step of a stage did on one slice — rows out, time, peak memory held, bytes spilled —
// for svl_query_summary and EXPLAIN ANALYZE. BuildOperator wraps every operator of a profiled
// stage (ExecContext::profile set) in a ProfiledOperator: its Next() counts the rows and time
// (per batch, never per row) and, while it runs, makes its step the thread's current one, so
// that the MemoryReservations of the operator report their peak and spilled bytes to it
// (executor/memory_budget.cpp). Steps are numbered in pre-order over the operator tree; the
// stage's sink is the last step.
#pragma once

#include <cstdint>
#include <deque>
#include <string>

#include "executor/operator.h"
#include "planner/plan.pb.h"

namespace strata {

class StageProfile {
 public:
  explicit StageProfile(int stage, int slice) : stage_(stage), slice_(slice) {}
  // A new step, numbered in the order opened.
  plan::StepStat* Open(const std::string& label);
  const std::deque<plan::StepStat>& steps() const { return steps_; }

 private:
  int stage_, slice_;
  std::deque<plan::StepStat> steps_;  // a deque: pointers stay valid as steps are added
};

// The step whose operator is running on this thread (null outside a profiled Next()).
plan::StepStat* CurrentStep();

// Wraps `inner` so that it counts into `step`.
OperatorPtr MakeProfiled(OperatorPtr inner, plan::StepStat* step);

// The step's name as Redshift's svl_query_summary labels them ("scan   tbl=… name=…", "hjoin",
// "aggr", "sort", …).
std::string StepLabel(const plan::Operator& op);

}  // namespace strata
