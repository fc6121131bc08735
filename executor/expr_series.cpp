// generate_series over timestamps and numerics (planner/set_returning_binder.cpp): how many rows
// a series has, series_count(start, stop, step), and its k-th value (k from 0),
// series_value(start, step, k).
//
// Timestamps (TIMESTAMP or TIMESTAMPTZ, both microseconds) step by an INTERVAL. As PostgreSQL's
// generate_series, each value is the previous one plus the step, so a month step that clamped
// once stays clamped (Jan 31, Feb 29, Mar 29, ...): with months in the step the k-th value is
// found by k additions; without, it is start + k * step exactly. Numerics are DECIMAL(38, s):
// exact unscaled arithmetic. A step of zero is 22023; a series past kMaxSeriesRows is 54000.
#include "executor/calendar_math.h"
#include "executor/expr_node.h"
#include "sql/error.h"
#include "sql/interval_time.h"
#include "sql/sqlstate.h"

namespace strata {

namespace {

constexpr int64_t kMaxSeriesRows = 10'000'000;

[[noreturn]] void ZeroStep() { STRATA_USER_ERROR(sqlstate::kInvalidParameterValue, "step size cannot equal zero"); }

void CheckRows(int128 n) {
  if (n > kMaxSeriesRows) {
    STRATA_USER_ERROR(sqlstate::kProgramLimitExceeded, "generate_series is limited to ", kMaxSeriesRows, " rows");
  }
}

int64_t TimestampCount(int64_t start, int64_t stop, int128 packed_step) {
  IntervalValue step = UnpackInterval(packed_step);
  int64_t span = IntervalSpan(packed_step);
  if (span == 0) ZeroStep();
  const bool up = span > 0;
  if (up ? stop < start : stop > start) return 0;
  if (step.months == 0) {
    int128 step_us = static_cast<int128>(step.days) * kMicrosPerDayI + step.micros;
    int128 n = (static_cast<int128>(stop) - start) / step_us + 1;
    CheckRows(n);
    return static_cast<int64_t>(n);
  }
  int64_t n = 0;
  for (int64_t cur = start; up ? cur <= stop : cur >= stop;) {
    CheckRows(++n);
    cur = AddIntervalMicros(cur, step.months, step.days, step.micros);
  }
  return n;
}

int64_t TimestampValue(int64_t start, int128 packed_step, int64_t k) {
  IntervalValue step = UnpackInterval(packed_step);
  if (step.months == 0) {
    int128 v = static_cast<int128>(start) + static_cast<int128>(k) * (static_cast<int128>(step.days) * kMicrosPerDayI + step.micros);
    if (v > INT64_MAX || v < INT64_MIN) STRATA_USER_ERROR(sqlstate::kDatetimeFieldOverflow, "timestamp out of range");
    return static_cast<int64_t>(v);
  }
  int64_t cur = start;
  for (int64_t i = 0; i < k; ++i) cur = AddIntervalMicros(cur, step.months, step.days, step.micros);
  return cur;
}

int64_t DecimalCount(int128 start, int128 stop, int128 step) {
  if (step == 0) ZeroStep();
  if (step > 0 ? stop < start : stop > start) return 0;
  int128 n = (stop - start) / step + 1;
  CheckRows(n);
  return static_cast<int64_t>(n);
}

class SeriesNode final : public ExprNode {
 public:
  SeriesNode(SqlType type, bool value, NodeList args) : ExprNode(type), value_(value), args_(std::move(args)) {}

  const Vector& Eval(const Batch& input) override {
    const size_t n = input.rows;
    Vector& r = ResetResult(n);
    uint8_t* rn = r.nulls();
    const Vector* in[3];
    for (size_t k = 0; k < 3; ++k) {
      in[k] = &args_[k]->Eval(input);
      for (size_t i = 0; i < n; ++i) rn[i] |= in[k]->nulls()[i];
    }
    const bool decimal = in[0]->type().id == TypeId::kDecimal;
    for (size_t i = 0; i < n; ++i) {
      if (rn[i]) continue;
      if (!value_) {  // series_count(start, stop, step)
        r.data<int64_t>()[i] = decimal ? DecimalCount(Wide(*in[0], i), Wide(*in[1], i), Wide(*in[2], i))
                                       : TimestampCount(in[0]->data<int64_t>()[i], in[1]->data<int64_t>()[i],
                                                        in[2]->data<int128>()[i]);
        continue;
      }
      const int64_t k = in[2]->data<int64_t>()[i];  // series_value(start, step, k)
      if (decimal) {
        int128 v;
        if (__builtin_mul_overflow(Wide(*in[1], i), static_cast<int128>(k), &v) ||
            __builtin_add_overflow(v, Wide(*in[0], i), &v)) {
          STRATA_USER_ERROR(sqlstate::kNumericValueOutOfRange, "value overflows numeric format");
        }
        r.data<int128>()[i] = v;
      } else {
        r.data<int64_t>()[i] = TimestampValue(in[0]->data<int64_t>()[i], in[1]->data<int128>()[i], k);
      }
    }
    return r;
  }

 private:
  static int128 Wide(const Vector& v, size_t i) {
    return v.physical() == PhysicalType::kInt128 ? v.data<int128>()[i] : static_cast<int128>(v.data<int64_t>()[i]);
  }

  bool value_;
  NodeList args_;
};

}  // namespace

NodePtr MakeSeriesFunctionNode(const std::string& name, const plan::Expr& expr, NodeList& args) {
  if (name != "series_count" && name != "series_value") return nullptr;
  if (args.size() != 3) STRATA_INTERNAL_ERROR(name, " with ", args.size(), " args");
  return std::make_unique<SeriesNode>(FromProtoType(expr.type()), name == "series_value", std::move(args));
}

}  // namespace strata
