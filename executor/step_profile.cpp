// See step_profile.h.
#include "executor/step_profile.h"

#include <chrono>

#include "sql/error.h"

namespace strata {

namespace {

thread_local plan::StepStat* current_step = nullptr;

class ProfiledOperator : public Operator {
 public:
  ProfiledOperator(OperatorPtr inner, plan::StepStat* step) : inner_(std::move(inner)), step_(step) {}
  bool Next(Batch* out) override {
    plan::StepStat* outer = current_step;
    current_step = step_;
    auto start = std::chrono::steady_clock::now();
    bool more;
    try {
      more = inner_->Next(out);
    } catch (...) {
      current_step = outer;
      throw;
    }
    auto took = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
    current_step = outer;
    step_->set_micros(step_->micros() + took.count());
    if (more) {
      step_->set_rows(step_->rows() + static_cast<int64_t>(out->rows));
      step_->set_bytes(step_->bytes() + static_cast<int64_t>(out->EstimatedBytes()));
    }
    return more;
  }
  bool PushRuntimeFilter(int column, const std::shared_ptr<const RuntimeFilter>& f) override {
    return inner_->PushRuntimeFilter(column, f);
  }

 private:
  OperatorPtr inner_;
  plan::StepStat* step_;
};

}  // namespace

plan::StepStat* StageProfile::Open(const std::string& label) {
  plan::StepStat& s = steps_.emplace_back();
  s.set_stage(stage_);
  s.set_slice(slice_);
  s.set_step(static_cast<int32_t>(steps_.size()) - 1);
  s.set_label(label);
  return &s;
}

plan::StepStat* CurrentStep() { return current_step; }

OperatorPtr MakeProfiled(OperatorPtr inner, plan::StepStat* step) {
  return std::make_unique<ProfiledOperator>(std::move(inner), step);
}

std::string StepLabel(const plan::Operator& op) {
  switch (op.kind_case()) {
    case plan::Operator::kScan: return StrCat("scan   tbl=", op.scan().table_id(), " name=", op.scan().table_name());
    case plan::Operator::kExchange: return StrCat("scan   exchange=", op.exchange().exchange_id());
    case plan::Operator::kValues: return "values";
    case plan::Operator::kFileScan: return "scan   file";
    case plan::Operator::kFilter:
      // A filter over a scan runs as one step: the scan with its predicate pushed down.
      return op.filter().input().has_scan() ? StepLabel(op.filter().input()) : "filter";
    case plan::Operator::kProject: return "project";
    case plan::Operator::kAggregate: return "aggr";
    case plan::Operator::kHashJoin: return "hjoin";
    case plan::Operator::kNestedLoopJoin: return "nloop";
    case plan::Operator::kSort: return op.sort().limit() > 0 ? "top" : "sort";
    case plan::Operator::kLimit: return "limit";
    case plan::Operator::kWindow: return "window";
    case plan::Operator::kAppend: return "append";
    case plan::Operator::kRepeat: return "repeat";
    case plan::Operator::kIdentityFill: return "identity";
    default: return "step";
  }
}

}  // namespace strata
