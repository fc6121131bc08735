// Vector kernels of the INTERVAL / TIME / TIMETZ operators and functions the binder produces
// (planner/interval_binder.h): interval_pl, interval_mi, interval_um, interval_mul, interval_div,
// timestamp_mi, timestamp_pl_iv, timestamp_mi_iv, time_pl_iv, time_mi_iv, time_mi_time,
// date_pl_time, age, justify_days, justify_hours, justify_interval. One node class: it evaluates
// its operands, merges their null bytes and runs one loop per batch chosen by a switch; the
// scalar work is executor/interval_math.cpp.
#include <cstring>

#include "executor/calendar_math.h"
#include "executor/expr_node.h"
#include "executor/interval_math.h"
#include "sql/error.h"

namespace strata {

namespace {

enum class Kind : uint8_t {
  kIntervalAdd, kIntervalSub, kIntervalNeg, kIntervalMul, kIntervalDiv, kTimestampSub, kTimestampAdd,
  kTimestampSubInterval, kTimeAdd, kTimeSub, kTimeDiff, kDatePlusTime, kAge, kJustifyDays, kJustifyHours,
  kJustifyInterval, kTrunc,
};

struct Named {
  const char* name;
  Kind kind;
  size_t args;
};

constexpr Named kFunctions[] = {
    {"interval_pl", Kind::kIntervalAdd, 2},     {"interval_mi", Kind::kIntervalSub, 2},
    {"interval_um", Kind::kIntervalNeg, 1},     {"interval_mul", Kind::kIntervalMul, 2},
    {"interval_div", Kind::kIntervalDiv, 2},    {"timestamp_mi", Kind::kTimestampSub, 2},
    {"timestamp_pl_iv", Kind::kTimestampAdd, 2}, {"timestamp_mi_iv", Kind::kTimestampSubInterval, 2},
    {"time_pl_iv", Kind::kTimeAdd, 2},          {"time_mi_iv", Kind::kTimeSub, 2},
    {"time_mi_time", Kind::kTimeDiff, 2},       {"date_pl_time", Kind::kDatePlusTime, 2},
    {"age", Kind::kAge, 2},                     {"justify_days", Kind::kJustifyDays, 1},
    {"justify_hours", Kind::kJustifyHours, 1},  {"justify_interval", Kind::kJustifyInterval, 1},
};

class IntervalNode final : public ExprNode {
 public:
  IntervalNode(SqlType type, Kind kind, NodeList args) : ExprNode(type), kind_(kind), args_(std::move(args)) {
    for (const auto& a : args_) AddColumns(a->columns());
  }

  const Vector& Eval(const Batch& input) override {
    const size_t n = input.rows;
    const Vector* a = &args_[0]->Eval(input);
    const Vector* b = args_.size() > 1 ? &args_[1]->Eval(input) : nullptr;
    Vector& r = ResetResult(n);
    uint8_t* rn = r.nulls();
    std::memcpy(rn, a->nulls(), n);
    if (b != nullptr) {
      for (size_t i = 0; i < n; ++i) rn[i] |= b->nulls()[i];
    }
    auto iv_at = [](const Vector* v, size_t i) { return UnpackInterval(v->data<int128>()[i]); };
    auto each_interval = [&](auto&& f) {
      int128* out = r.data<int128>();
      for (size_t i = 0; i < n; ++i) out[i] = rn[i] ? 0 : PackInterval(f(i));
    };
    auto each_micros = [&](auto&& f) {
      int64_t* out = r.data<int64_t>();
      for (size_t i = 0; i < n; ++i) out[i] = rn[i] ? 0 : f(i);
    };
    switch (kind_) {
      case Kind::kIntervalAdd: each_interval([&](size_t i) { return IntervalAdd(iv_at(a, i), iv_at(b, i), 1); }); break;
      case Kind::kIntervalSub: each_interval([&](size_t i) { return IntervalAdd(iv_at(a, i), iv_at(b, i), -1); }); break;
      case Kind::kIntervalNeg: each_interval([&](size_t i) { return IntervalNegate(iv_at(a, i)); }); break;
      case Kind::kIntervalMul:
        each_interval([&](size_t i) { return IntervalMultiply(iv_at(a, i), b->data<double>()[i]); });
        break;
      case Kind::kIntervalDiv:
        each_interval([&](size_t i) { return IntervalDivide(iv_at(a, i), b->data<double>()[i]); });
        break;
      case Kind::kTimestampSub:
        each_interval([&](size_t i) { return TimestampDifference(a->data<int64_t>()[i], b->data<int64_t>()[i]); });
        break;
      case Kind::kAge:
        each_interval([&](size_t i) { return Age(a->data<int64_t>()[i], b->data<int64_t>()[i]); });
        break;
      case Kind::kTimestampAdd:
      case Kind::kTimestampSubInterval: {
        const int64_t sign = kind_ == Kind::kTimestampAdd ? 1 : -1;
        each_micros([&](size_t i) {
          IntervalValue iv = iv_at(b, i);
          return AddIntervalMicros(a->data<int64_t>()[i], sign * iv.months, sign * iv.days, sign * iv.micros);
        });
        break;
      }
      case Kind::kTimeAdd:
      case Kind::kTimeSub: {
        const int sign = kind_ == Kind::kTimeAdd ? 1 : -1;
        each_micros([&](size_t i) { return TimeAddInterval(a->data<int64_t>()[i], iv_at(b, i), sign); });
        break;
      }
      case Kind::kTimeDiff:
        each_interval([&](size_t i) { return IntervalValue{0, 0, a->data<int64_t>()[i] - b->data<int64_t>()[i]}; });
        break;
      case Kind::kDatePlusTime:
        each_micros([&](size_t i) {
          int32_t day = a->data<int32_t>()[i];
          if (day == INT32_MAX) return INT64_MAX;
          if (day == INT32_MIN) return INT64_MIN;
          return static_cast<int64_t>(day) * kMicrosPerDayI + b->data<int64_t>()[i];
        });
        break;
      case Kind::kJustifyDays: each_interval([&](size_t i) { return JustifyDays(iv_at(a, i)); }); break;
      case Kind::kJustifyHours: each_interval([&](size_t i) { return JustifyHours(iv_at(a, i)); }); break;
      case Kind::kJustifyInterval: each_interval([&](size_t i) { return JustifyInterval(iv_at(a, i)); }); break;
      case Kind::kTrunc: each_interval([&](size_t i) { return TruncateInterval(part_, iv_at(a, i)); }); break;
    }
    return r;
  }

 public:
  DatePart part_ = DatePart::kUnknown;  // the unit of kTrunc

 private:
  Kind kind_;
  NodeList args_;
};

}  // namespace

NodePtr MakeIntervalFunctionNode(const std::string& name, const plan::Expr& expr, NodeList& args) {
  if (name == "date_trunc" && args.size() == 2 && args[1]->type().id == TypeId::kInterval) {
    // The unit is a constant (planner/datetime_functions.cpp checked it); NULL gives NULLs.
    const plan::Expr* unit = &expr.call().args(0);
    while (unit->has_call() && unit->call().op() == plan::CAST && unit->call().args_size() == 1) unit = &unit->call().args(0);
    if (!unit->has_literal()) STRATA_INTERNAL_ERROR("date_trunc unit is not a constant");
    NodeList one;
    one.push_back(std::move(args[1]));
    if (unit->literal().is_null()) one[0] = MakeCastNode(SqlType::Interval(), std::move(args[0]));  // all NULL
    auto node = std::make_unique<IntervalNode>(FromProtoType(expr.type()), Kind::kTrunc, std::move(one));
    node->part_ = unit->literal().is_null() ? DatePart::kMicrosecond : ParseDatePart(unit->literal().str());
    if (!IsCalendarPart(node->part_) || node->part_ == DatePart::kWeek) {
      STRATA_INTERNAL_ERROR("date_trunc unit \"", unit->literal().str(), "\" reached the executor");
    }
    return node;
  }
  for (const Named& f : kFunctions) {
    if (name != f.name) continue;
    if (args.size() != f.args) STRATA_INTERNAL_ERROR(name, " with ", args.size(), " args");
    SqlType type = FromProtoType(expr.type());
    // date + time puts the date first; the binder may hand them in either order.
    if (f.kind == Kind::kDatePlusTime && args[0]->type().is_time()) std::swap(args[0], args[1]);
    return std::make_unique<IntervalNode>(type, f.kind, std::move(args));
  }
  return nullptr;
}

}  // namespace strata
