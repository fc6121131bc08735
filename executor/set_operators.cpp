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
// times in a row. A row with more copies than fit in one batch continues in the next. With an
// ordinal, each copy also carries its number (1, 2, ... count(i)) in an appended column.
class RepeatOperator : public Operator {
 public:
  RepeatOperator(const plan::Repeat& spec, OperatorPtr input)
      : count_(spec.count()), input_(std::move(input)), ordinal_(spec.ordinal()) {}

  bool Next(Batch* out) override {
    while (true) {
      if (row_ >= in_.rows) {
        if (!input_->Next(&in_)) return false;
        row_ = 0;
        left_ = -1;
        count_.Evaluate(in_, &counts_);
      }
      sel_.clear();
      copies_.clear();
      const int64_t* n = counts_.data<int64_t>();
      while (row_ < in_.rows && sel_.size() < kBatchSize) {
        if (left_ < 0) {
          left_ = counts_.IsNull(row_) ? 0 : n[row_];
          next_copy_ = 1;
        }
        int64_t take = std::max<int64_t>(0, std::min<int64_t>(left_, static_cast<int64_t>(kBatchSize - sel_.size())));
        sel_.insert(sel_.end(), static_cast<size_t>(take), static_cast<uint32_t>(row_));
        if (ordinal_) {
          for (int64_t k = 0; k < take; ++k) copies_.push_back(next_copy_++);
        }
        left_ -= take;
        if (left_ <= 0) {
          ++row_;
          left_ = -1;
        }
      }
      if (sel_.empty()) continue;
      *out = Batch(in_.Types());
      out->AppendSelected(in_, sel_.data(), sel_.size());
      if (ordinal_) {
        Vector ordinal(SqlType::Int64(), copies_.size());
        std::copy(copies_.begin(), copies_.end(), ordinal.data<int64_t>());
        out->columns.push_back(std::move(ordinal));
      }
      return true;
    }
  }

 private:
  ExpressionEvaluator count_;
  OperatorPtr input_;
  Batch in_;
  Vector counts_;
  std::vector<uint32_t> sel_;
  std::vector<int64_t> copies_;  // with an ordinal: the copy number of each selected row
  size_t row_ = 0;
  int64_t left_ = -1;  // copies of in_ row `row_` still to emit; -1: not started
  int64_t next_copy_ = 1;
  bool ordinal_;
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
