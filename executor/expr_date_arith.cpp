// Vector kernels of date_trunc, timestamp_pl_interval (date/timestamp +/- a constant interval,
// per row), dateadd, datediff, add_months, last_day, months_between and trunc(timestamp).
// One node class: it evaluates its operands, merges their null bytes, and runs one typed loop
// per batch chosen by a switch (no per-row virtual call or allocation); the scalar calendar
// work is executor/calendar_math.cpp. Date parts are constants resolved when compiling.
#include <cstring>

#include "executor/calendar_math.h"
#include "executor/expr_date_functions.h"
#include "sql/error.h"

namespace strata {

namespace {

enum class Kind : uint8_t { kTrunc, kAddInterval, kDateAdd, kDateDiff, kAddMonths, kLastDay, kMonthsBetween, kToDate };

int64_t DateToMicros(int32_t d) {
  if (d == INT32_MAX) return INT64_MAX;
  if (d == INT32_MIN) return INT64_MIN;
  return int64_t(d) * kMicrosPerDayCal;
}

int32_t MicrosToDate(int64_t us) {
  if (us == INT64_MAX) return INT32_MAX;
  if (us == INT64_MIN) return INT32_MIN;
  return int32_t(FloorDivide(us, kMicrosPerDayCal));
}

class DateArithNode final : public ExprNode {
 public:
  DateArithNode(SqlType type, Kind kind, NodeList args) : ExprNode(type), kind_(kind), args_(std::move(args)) {
    for (const auto& a : args_) AddColumns(a->columns());
  }

  DatePart part_ = DatePart::kUnknown;
  bool all_null_ = false;
  int64_t months_ = 0, days_ = 0, micros_ = 0;  // the interval of kAddInterval

  const Vector& Eval(const Batch& input) override {
    const size_t n = input.rows;
    const Vector* v[3] = {nullptr, nullptr, nullptr};
    for (size_t k = 0; k < args_.size(); ++k) v[k] = &args_[k]->Eval(input);
    Vector& r = ResetResult(n);
    uint8_t* rn = r.nulls();
    if (all_null_) {
      std::memset(rn, 1, n);
      return r;
    }
    std::memcpy(rn, v[0]->nulls(), n);
    for (size_t k = 1; k < args_.size(); ++k) {
      const uint8_t* vn = v[k]->nulls();
      for (size_t i = 0; i < n; ++i) rn[i] |= vn[i];
    }
    switch (kind_) {
      case Kind::kTrunc: {
        const int64_t* a = v[0]->data<int64_t>();
        int64_t* out = r.data<int64_t>();
        for (size_t i = 0; i < n; ++i) out[i] = rn[i] ? 0 : TruncateMicros(part_, a[i]);
        break;
      }
      case Kind::kAddInterval: AddInterval(*v[0], n, rn, &r); break;
      case Kind::kDateAdd: {
        const int64_t* count = v[0]->data<int64_t>();
        const int64_t* a = v[1]->data<int64_t>();
        int64_t* out = r.data<int64_t>();
        for (size_t i = 0; i < n; ++i) out[i] = rn[i] ? 0 : DateAddMicros(part_, count[i], a[i]);
        break;
      }
      case Kind::kDateDiff: {
        const int64_t* a = v[0]->data<int64_t>();
        const int64_t* b = v[1]->data<int64_t>();
        int64_t* out = r.data<int64_t>();
        for (size_t i = 0; i < n; ++i) {
          if (!rn[i] && (IsInfiniteMicros(a[i]) || IsInfiniteMicros(b[i]))) rn[i] = 1;  // no count to give
          out[i] = rn[i] ? 0 : DateDiffMicros(part_, a[i], b[i]);
        }
        break;
      }
      case Kind::kAddMonths: {
        const int64_t* a = v[0]->data<int64_t>();
        const int64_t* count = v[1]->data<int64_t>();
        int64_t* out = r.data<int64_t>();
        for (size_t i = 0; i < n; ++i) out[i] = rn[i] ? 0 : AddMonthsMicros(a[i], count[i], true);
        break;
      }
      case Kind::kLastDay: {
        const int32_t* a = v[0]->data<int32_t>();
        int32_t* out = r.data<int32_t>();
        for (size_t i = 0; i < n; ++i) out[i] = rn[i] ? 0 : LastDayOfMonth(a[i]);
        break;
      }
      case Kind::kMonthsBetween: {
        const int32_t* a = v[0]->data<int32_t>();
        const int32_t* b = v[1]->data<int32_t>();
        double* out = r.data<double>();
        for (size_t i = 0; i < n; ++i) {
          if (!rn[i] && (IsInfiniteDays(a[i]) || IsInfiniteDays(b[i]))) rn[i] = 1;
          out[i] = rn[i] ? 0 : MonthsBetweenDays(a[i], b[i]);
        }
        break;
      }
      case Kind::kToDate: {
        const int64_t* a = v[0]->data<int64_t>();
        int32_t* out = r.data<int32_t>();
        for (size_t i = 0; i < n; ++i) out[i] = MicrosToDate(a[i]);
        break;
      }
    }
    return r;
  }

 private:
  // The base is a date or a timestamp; the result a date (whole-day intervals on dates) or a
  // timestamp.
  void AddInterval(const Vector& base, size_t n, const uint8_t* rn, Vector* r) const {
    const bool date_in = base.type().id == TypeId::kDate;
    const bool date_out = type_.id == TypeId::kDate;
    for (size_t i = 0; i < n; ++i) {
      if (rn[i]) continue;
      int64_t us = date_in ? DateToMicros(base.data<int32_t>()[i]) : base.data<int64_t>()[i];
      int64_t sum = AddIntervalMicros(us, months_, days_, micros_);
      if (date_out) r->data<int32_t>()[i] = MicrosToDate(sum);
      else r->data<int64_t>()[i] = sum;
    }
  }

  Kind kind_;
  NodeList args_;
};

// The date part named by constant argument i; sets all_null for a NULL part.
DatePart PartArg(const plan::Expr& expr, int i, bool* all_null) {
  const plan::Expr& e = WithoutCasts(expr.call().args(i));
  if (!e.has_literal()) STRATA_INTERNAL_ERROR("date part of ", expr.call().function(), " is not a constant");
  if (e.literal().is_null()) {
    *all_null = true;
    return DatePart::kDay;
  }
  DatePart p = ParseDatePart(e.literal().str());
  if (!IsCalendarPart(p)) STRATA_INTERNAL_ERROR("date part \"", e.literal().str(), "\" reached the executor");
  return p;
}

int64_t IntArg(const plan::Expr& expr, int i) {
  const plan::Expr& e = WithoutCasts(expr.call().args(i));
  if (!e.has_literal() || e.literal().is_null()) STRATA_INTERNAL_ERROR("interval field is not a constant");
  return e.literal().i64();
}

NodeList Take(NodeList& args, std::initializer_list<size_t> which) {
  NodeList out;
  for (size_t k : which) out.push_back(std::move(args[k]));
  return out;
}

}  // namespace

NodePtr MakeDateArithmeticNode(const std::string& name, const plan::Expr& expr, NodeList& args) {
  SqlType type = FromProtoType(expr.type());
  auto want = [&](size_t count) {
    if (args.size() != count) STRATA_INTERNAL_ERROR(name, " with ", args.size(), " args");
  };
  std::unique_ptr<DateArithNode> node;
  bool all_null = false;
  if (name == "date_trunc") {
    want(2);
    DatePart part = PartArg(expr, 0, &all_null);
    node = std::make_unique<DateArithNode>(type, Kind::kTrunc, Take(args, {1}));
    node->part_ = part;
  } else if (name == "timestamp_pl_interval") {
    want(4);
    node = std::make_unique<DateArithNode>(type, Kind::kAddInterval, Take(args, {0}));
    node->months_ = IntArg(expr, 1);
    node->days_ = IntArg(expr, 2);
    node->micros_ = IntArg(expr, 3);
  } else if (name == "dateadd") {
    want(3);
    DatePart part = PartArg(expr, 0, &all_null);
    node = std::make_unique<DateArithNode>(type, Kind::kDateAdd, Take(args, {1, 2}));
    node->part_ = part;
  } else if (name == "datediff") {
    want(3);
    DatePart part = PartArg(expr, 0, &all_null);
    node = std::make_unique<DateArithNode>(type, Kind::kDateDiff, Take(args, {1, 2}));
    node->part_ = part;
  } else if (name == "add_months") {
    want(2);
    node = std::make_unique<DateArithNode>(type, Kind::kAddMonths, Take(args, {0, 1}));
  } else if (name == "last_day") {
    want(1);
    node = std::make_unique<DateArithNode>(type, Kind::kLastDay, Take(args, {0}));
  } else if (name == "months_between") {
    want(2);
    node = std::make_unique<DateArithNode>(type, Kind::kMonthsBetween, Take(args, {0, 1}));
  } else if (name == "trunc") {
    want(1);
    node = std::make_unique<DateArithNode>(type, Kind::kToDate, Take(args, {0}));
  } else {
    return MakeToCharNode(name, expr, args);
  }
  node->all_null_ = all_null;
  return node;
}

}  // namespace strata
