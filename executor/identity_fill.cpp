// IdentityFill: numbers identity columns (see the header).
#include "executor/identity_fill.h"

#include "sql/error.h"

namespace strata {
namespace {

class IdentityFillOperator : public Operator {
 public:
  IdentityFillOperator(const plan::IdentityFill& spec, OperatorPtr input, const ExecContext& ctx)
      : input_(std::move(input)), filled_(spec.columns_size(), 0) {
    spec_.mutable_columns()->CopyFrom(spec.columns());
    spec_.mutable_next_value()->CopyFrom(spec.next_value());
    spec_.mutable_increment()->CopyFrom(spec.increment());
    spec_.mutable_min()->CopyFrom(spec.min());
    spec_.mutable_max()->CopyFrom(spec.max());
    spec_.mutable_names()->CopyFrom(spec.names());
    append_ordinal_ = spec.append_ordinal();
    if (ctx.slice >= 0) {
      stride_ = std::max(1, ctx.total_slices);
      offset_ = ctx.slice;
    }
  }

  bool Next(Batch* out) override {
    if (!input_->Next(out)) return false;
    for (int i = 0; i < spec_.columns_size(); ++i) Fill(i, &out->columns.at(spec_.columns(i)));
    if (append_ordinal_) {
      Vector ordinal(SqlType::Int64(), out->rows);
      int64_t* o = ordinal.data<int64_t>();
      for (size_t r = 0; r < out->rows; ++r) {
        o[r] = rows_ * stride_ + offset_;
        ordinal.SetNull(r, false);
        ++rows_;
      }
      out->columns.push_back(std::move(ordinal));
    }
    return true;
  }

 private:
  void Fill(int i, Vector* v) {
    switch (v->physical()) {
      case PhysicalType::kInt16: FillTyped<int16_t>(i, v); break;
      case PhysicalType::kInt32: FillTyped<int32_t>(i, v); break;
      case PhysicalType::kInt64: FillTyped<int64_t>(i, v); break;
      default: STRATA_INTERNAL_ERROR("identity column of a non-integer type");
    }
  }

  template <typename T>
  void FillTyped(int i, Vector* v) {
    T* data = v->data<T>();
    for (size_t r = 0; r < v->size(); ++r) {
      if (!v->IsNull(r)) continue;
      data[r] = static_cast<T>(Value(i));
      v->SetNull(r, false);
    }
  }

  // The value for the next NULL of column i: next + increment * (k * stride + offset).
  int64_t Value(int i) {
    int64_t k = filled_[i]++;
    int64_t position = 0, delta = 0, value = 0;
    bool overflow = __builtin_mul_overflow(k, static_cast<int64_t>(stride_), &position) ||
                    __builtin_add_overflow(position, static_cast<int64_t>(offset_), &position) ||
                    __builtin_mul_overflow(position, spec_.increment(i), &delta) ||
                    __builtin_add_overflow(spec_.next_value(i), delta, &value);
    if (overflow || value > spec_.max(i) || value < spec_.min(i)) {
      bool up = spec_.increment(i) > 0;
      throw SqlError(sqlstate::kSequenceGeneratorLimitExceeded,
                     StrCat("nextval: reached ", up ? "maximum" : "minimum", " value of sequence \"", spec_.names(i), "\" (",
                            up ? spec_.max(i) : spec_.min(i), ")"));
    }
    return value;
  }

  plan::IdentityFill spec_;  // without its input
  OperatorPtr input_;
  std::vector<int64_t> filled_;  // per column: NULLs numbered so far
  int stride_ = 1;
  int offset_ = 0;
  bool append_ordinal_ = false;
  int64_t rows_ = 0;  // rows numbered so far (append_ordinal)
};

}  // namespace

OperatorPtr MakeIdentityFill(const plan::IdentityFill& spec, OperatorPtr input, const ExecContext& ctx) {
  return std::make_unique<IdentityFillOperator>(spec, std::move(input), ctx);
}

}  // namespace strata
