// The set-operation operators (see set_operators.h): Append, which streams its inputs one after
// another as one relation, and Repeat, which emits each input row count(row) times by selection.
#include "executor/set_operators.h"

#include <algorithm>

#include "executor/expression.h"
#include "planner/expr_builder.h"
#include "sql/error.h"

namespace strata {

namespace {

class AppendOperator : public Operator {
 public:
  AppendOperator(const plan::Append& spec, std::vector<OperatorPtr> inputs) : inputs_(std::move(inputs)) {
    for (const auto& t : spec.types()) types_.push_back(FromProtoType(t));
  }

  bool Next(Batch* out) override {
    while (current_ < inputs_.size()) {
      if (!inputs_[current_]->Next(out)) {
        inputs_[current_].reset();  // frees the finished input's state (hash tables, buffers)
        ++current_;
        continue;
      }
      if (out->rows == 0) continue;
      if (out->columns.size() != types_.size()) STRATA_INTERNAL_ERROR("append input of the wrong width");
      for (size_t c = 0; c < types_.size(); ++c) {
        if (out->columns[c].physical() != types_[c].physical()) STRATA_INTERNAL_ERROR("append input of the wrong type");
        out->columns[c].SetType(types_[c]);
      }
      return true;
    }
    return false;
  }

 private:
  std::vector<OperatorPtr> inputs_;
  std::vector<SqlType> types_;
  size_t current_ = 0;
};

// Builds each output batch from selection vectors over the input batch: row i appears count(i)
// times in a row. A row with more copies than fit in one batch continues in the next.
class RepeatOperator : public Operator {
 public:
  RepeatOperator(const plan::Repeat& spec, OperatorPtr input)
      : count_(spec.count()), ordinal_(spec.ordinal()), input_(std::move(input)) {}

  bool Next(Batch* out) override {
    while (true) {
      if (row_ >= in_.rows) {
        if (!input_->Next(&in_)) return false;
        row_ = 0;
        left_ = -1;
        count_.Evaluate(in_, &counts_);
      }
      sel_.clear();
      copy_numbers_.clear();
      const int64_t* n = counts_.data<int64_t>();
      while (row_ < in_.rows && sel_.size() < kBatchSize) {
        if (left_ < 0) left_ = counts_.IsNull(row_) ? 0 : n[row_];
        int64_t take = std::min<int64_t>(left_, static_cast<int64_t>(kBatchSize - sel_.size()));
        if (ordinal_) {
          int64_t total = counts_.IsNull(row_) ? 0 : n[row_];
          for (int64_t k = 0; k < take; ++k) copy_numbers_.push_back(total - left_ + k);
        }
        sel_.insert(sel_.end(), static_cast<size_t>(std::max<int64_t>(take, 0)), static_cast<uint32_t>(row_));
        left_ -= std::max<int64_t>(take, 0);
        if (left_ <= 0) {
          ++row_;
          left_ = -1;
        }
      }
      if (sel_.empty()) continue;
      *out = Batch(in_.Types());
      out->AppendSelected(in_, sel_.data(), sel_.size());
      if (ordinal_) {
        Vector numbers(SqlType::Int64(), copy_numbers_.size());
        std::copy(copy_numbers_.begin(), copy_numbers_.end(), numbers.data<int64_t>());
        out->columns.push_back(std::move(numbers));
        copy_numbers_.clear();
      }
      return true;
    }
  }

 private:
  ExpressionEvaluator count_;
  bool ordinal_;
  std::vector<int64_t> copy_numbers_;  // ordinal_: the copy number of each row of sel_
  OperatorPtr input_;
  Batch in_;
  Vector counts_;
  std::vector<uint32_t> sel_;
  size_t row_ = 0;
  int64_t left_ = -1;  // copies of in_ row `row_` still to emit; -1: not started
};

}  // namespace

OperatorPtr MakeAppend(const plan::Append& spec, std::vector<OperatorPtr> inputs) {
  return std::make_unique<AppendOperator>(spec, std::move(inputs));
}

OperatorPtr MakeRepeat(const plan::Repeat& spec, OperatorPtr input) {
  if (FromProtoType(spec.count().type()).physical() != PhysicalType::kInt64) {
    STRATA_INTERNAL_ERROR("repeat count must be a BIGINT");
  }
  return std::make_unique<RepeatOperator>(spec, std::move(input));
}

}  // namespace strata
