// The double-precision math functions: sqrt, cbrt, exp, ln, log (base 10), power / pow, sign,
// degrees, radians, sin, cos, tan, cot, asin, acos, atan, atan2, pi() and random() (a new value
// in [0, 1) for every row, from a generator seeded per query by the system). Their arguments are
// coerced to DOUBLE PRECISION and so is the result, as in Redshift (PostgreSQL keeps NUMERIC for
// a NUMERIC argument of sqrt, exp, ln, log and power). Domain errors are PostgreSQL's: the
// square root of a negative number and 0 or a negative base to a power it cannot take are 2201F,
// the logarithm of zero or a negative number 2201E, an overflow 22003.
#include <cmath>
#include <random>

#include "executor/expr_node.h"
#include "sql/error.h"
#include "sql/sqlstate.h"

namespace strata {

namespace {

enum class FloatFn : uint8_t { kSqrt, kCbrt, kExp, kLn, kLog10, kPower, kSign, kDegrees, kRadians, kSin, kCos, kTan,
                               kCot, kAsin, kAcos, kAtan, kAtan2, kPi, kRandom };

double Apply(FloatFn fn, double x, double y) {
  switch (fn) {
    case FloatFn::kSqrt:
      if (x < 0) STRATA_USER_ERROR(sqlstate::kInvalidArgumentForPowerFunction, "cannot take square root of a negative number");
      return std::sqrt(x);
    case FloatFn::kCbrt: return std::cbrt(x);
    case FloatFn::kExp: {
      double r = std::exp(x);
      if (std::isinf(r) && !std::isinf(x)) STRATA_USER_ERROR(sqlstate::kNumericValueOutOfRange, "value out of range: overflow");
      return r;
    }
    case FloatFn::kLn:
    case FloatFn::kLog10:
      if (x == 0) STRATA_USER_ERROR(sqlstate::kInvalidArgumentForLogarithm, "cannot take logarithm of zero");
      if (x < 0) STRATA_USER_ERROR(sqlstate::kInvalidArgumentForLogarithm, "cannot take logarithm of a negative number");
      return fn == FloatFn::kLn ? std::log(x) : std::log10(x);
    case FloatFn::kPower: {
      if (x == 0 && y < 0) {
        STRATA_USER_ERROR(sqlstate::kInvalidArgumentForPowerFunction, "zero raised to a negative power is undefined");
      }
      if (x < 0 && std::floor(y) != y) {
        STRATA_USER_ERROR(sqlstate::kInvalidArgumentForPowerFunction,
                          "a negative number raised to a non-integer power yields a complex result");
      }
      double r = std::pow(x, y);
      if (std::isinf(r) && !std::isinf(x) && !std::isinf(y)) {
        STRATA_USER_ERROR(sqlstate::kNumericValueOutOfRange, "value out of range: overflow");
      }
      return r;
    }
    case FloatFn::kSign: return x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0;
    case FloatFn::kDegrees: return x * (180.0 / M_PI);
    case FloatFn::kRadians: return x * (M_PI / 180.0);
    case FloatFn::kSin: return std::sin(x);
    case FloatFn::kCos: return std::cos(x);
    case FloatFn::kTan: return std::tan(x);
    case FloatFn::kCot: return 1.0 / std::tan(x);
    case FloatFn::kAsin:
    case FloatFn::kAcos:
      if (x < -1 || x > 1) STRATA_USER_ERROR(sqlstate::kNumericValueOutOfRange, "input is out of range");
      return fn == FloatFn::kAsin ? std::asin(x) : std::acos(x);
    case FloatFn::kAtan: return std::atan(x);
    case FloatFn::kAtan2: return std::atan2(x, y);
    case FloatFn::kPi: return M_PI;
    case FloatFn::kRandom: return 0;  // FloatMathNode draws it
  }
  return 0;
}

class FloatMathNode final : public ExprNode {
 public:
  FloatMathNode(FloatFn fn, NodeList args) : ExprNode(SqlType::Float64()), fn_(fn), args_(std::move(args)) {}

  const Vector& Eval(const Batch& input) override {
    const size_t n = input.rows;
    Vector& r = ResetResult(n);
    uint8_t* rn = r.nulls();
    double* out = r.data<double>();
    if (fn_ == FloatFn::kRandom) {
      if (!rng_) rng_ = std::make_unique<std::mt19937_64>(std::random_device{}());
      std::uniform_real_distribution<double> unit(0.0, 1.0);
      for (size_t i = 0; i < n; ++i) out[i] = unit(*rng_);
      return r;
    }
    if (args_.empty()) {  // pi()
      for (size_t i = 0; i < n; ++i) out[i] = Apply(fn_, 0, 0);
      return r;
    }
    const Vector& a = args_[0]->Eval(input);
    const Vector* b = args_.size() > 1 ? &args_[1]->Eval(input) : nullptr;
    const double* x = a.data<double>();
    const double* y = b != nullptr ? b->data<double>() : nullptr;
    for (size_t i = 0; i < n; ++i) rn[i] = a.nulls()[i] | (b != nullptr ? b->nulls()[i] : 0);
    for (size_t i = 0; i < n; ++i) out[i] = rn[i] ? 0 : Apply(fn_, x[i], y != nullptr ? y[i] : 0);
    return r;
  }

 private:
  FloatFn fn_;
  NodeList args_;
  std::unique_ptr<std::mt19937_64> rng_;  // random() only
};

}  // namespace

NodePtr MakeFloatMathFunctionNode(const std::string& name, const plan::Expr& expr, NodeList& args) {
  static const std::pair<const char*, FloatFn> kNames[] = {
      {"sqrt", FloatFn::kSqrt},       {"dsqrt", FloatFn::kSqrt},   {"cbrt", FloatFn::kCbrt},   {"exp", FloatFn::kExp},
      {"dexp", FloatFn::kExp},        {"ln", FloatFn::kLn},        {"dlog1", FloatFn::kLn},    {"log", FloatFn::kLog10},
      {"dlog10", FloatFn::kLog10},    {"power", FloatFn::kPower},  {"pow", FloatFn::kPower},   {"dpow", FloatFn::kPower},
      {"sign", FloatFn::kSign},       {"degrees", FloatFn::kDegrees}, {"radians", FloatFn::kRadians},
      {"sin", FloatFn::kSin},         {"cos", FloatFn::kCos},      {"tan", FloatFn::kTan},     {"cot", FloatFn::kCot},
      {"asin", FloatFn::kAsin},       {"acos", FloatFn::kAcos},    {"atan", FloatFn::kAtan},   {"atan2", FloatFn::kAtan2},
      {"pi", FloatFn::kPi},           {"random", FloatFn::kRandom}};
  for (const auto& [n, fn] : kNames) {
    if (name != n) continue;
    for (auto& a : args) {
      if (a->type() != SqlType::Float64()) a = MakeCastNode(SqlType::Float64(), std::move(a));
    }
    (void)expr;
    return std::make_unique<FloatMathNode>(fn, std::move(args));
  }
  return nullptr;
}

}  // namespace strata
