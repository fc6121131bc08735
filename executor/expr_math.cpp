// Numeric and comparison functions by name: abs, round(x [, n]), floor, ceil / ceiling, mod,
// nullif, greatest, least. Argument and result types come from planner/function_catalog.h
// (round(decimal, n) has the scale chosen there; round on floats rounds half to even like
// PostgreSQL's rint-based dround). greatest/least ignore NULLs (NULL only when all are).
#include <cmath>
#include <cstring>

#include "executor/expr_decimal.h"
#include "executor/expr_node.h"
#include "sql/error.h"

namespace strata {

namespace {

enum class MathFn : uint8_t { kAbs, kRound, kTrunc, kFloor, kCeil };

template <typename TA, typename TR>
class MathNode final : public ExprNode {
 public:
  MathNode(SqlType type, MathFn fn, NodeList args) : ExprNode(type), fn_(fn), args_(std::move(args)) {
    in_scale_ = args_[0]->type().scale;
  }

  const Vector& Eval(const Batch& input) override {
    size_t n = input.rows;
    const Vector& a = args_[0]->Eval(input);
    const Vector* digits = args_.size() > 1 ? &args_[1]->Eval(input) : nullptr;
    Vector& r = ResetResult(n);
    uint8_t* rn = r.nulls();
    std::memcpy(rn, a.nulls(), n);
    if (digits != nullptr) {
      for (size_t i = 0; i < n; ++i) rn[i] |= digits->nulls()[i];
    }
    const TA* x = a.data<TA>();
    TR* d = r.data<TR>();
    const int32_t* nd = digits != nullptr ? digits->data<int32_t>() : nullptr;
    bool overflow = false;
    if constexpr (std::is_floating_point_v<TA>) {
      for (size_t i = 0; i < n; ++i) {
        TA v = x[i];
        switch (fn_) {
          case MathFn::kAbs: d[i] = std::fabs(v); break;
          case MathFn::kFloor: d[i] = std::floor(v); break;
          case MathFn::kCeil: d[i] = std::ceil(v); break;
          case MathFn::kRound:
          case MathFn::kTrunc: {
            int k = nd != nullptr && !rn[i] ? nd[i] : 0;
            const bool round = fn_ == MathFn::kRound;
            if (k == 0) {
              d[i] = round ? std::rint(v) : std::trunc(v);
            } else {
              double f = std::pow(10.0, k);
              d[i] = TR((round ? std::rint(double(v) * f) : std::trunc(double(v) * f)) / f);
            }
            break;
          }
        }
      }
    } else if (type_.id != TypeId::kDecimal) {  // integers: only abs
      for (size_t i = 0; i < n; ++i) {
        TA negated;
        bool wraps = __builtin_sub_overflow(TA(0), x[i], &negated);
        overflow |= wraps & !rn[i];
        d[i] = TR(x[i] < 0 ? negated : x[i]);
      }
    } else {
      const int s = in_scale_, rs = type_.scale;
      for (size_t i = 0; i < n; ++i) {
        if (rn[i]) { d[i] = 0; continue; }
        int128 v = x[i], out = 0;
        bool ok = true;
        switch (fn_) {
          case MathFn::kAbs: ok = RescaleDecimal(v < 0 ? -v : v, rs - s, &out); break;
          case MathFn::kRound:
          case MathFn::kTrunc: {
            int k = nd != nullptr ? std::clamp(nd[i], -40, 40) : 0;
            if (k < s) {
              // Truncation drops the digits past k (toward zero); rounding rounds half away.
              int128 kept = fn_ == MathFn::kRound ? DivPow10Round(v, s - k) : (s - k > 38 ? 0 : v / Pow10(s - k));
              ok = RescaleDecimal(kept, rs - k, &out);
            } else {
              ok = RescaleDecimal(v, rs - s, &out);
            }
            break;
          }
          case MathFn::kFloor:
          case MathFn::kCeil: {
            int128 unit = Pow10(s);
            int128 q = v / unit, rem = v % unit;
            if (fn_ == MathFn::kFloor && rem < 0) --q;
            if (fn_ == MathFn::kCeil && rem > 0) ++q;
            ok = RescaleDecimal(q, rs, &out);
            break;
          }
        }
        overflow |= !ok || !FitsPrecision(out, type_.precision);
        d[i] = TR(out);
      }
    }
    if (overflow) {
      if (type_.id == TypeId::kDecimal) ThrowNumericOverflow();
      ThrowIntegerOutOfRange(type_.id);
    }
    return r;
  }

 private:
  MathFn fn_;
  NodeList args_;
  int in_scale_ = 0;
};

// nullif(a, b): a, or NULL where a = b.
class NullIfNode final : public ExprNode {
 public:
  NullIfNode(SqlType type, NodeList args) : ExprNode(type), args_(std::move(args)) {}

  const Vector& Eval(const Batch& input) override {
    size_t n = input.rows;
    const Vector& a = args_[0]->Eval(input);
    const Vector& b = args_[1]->Eval(input);
    CompareVectors(plan::EQ, a, b, n, &eq_);
    result_ = a;
    result_.SetType(type_);
    uint8_t* rn = result_.nulls();
    const uint8_t* ev = eq_.data<uint8_t>();
    const uint8_t* en = eq_.nulls();
    for (size_t i = 0; i < n; ++i) rn[i] |= ev[i] & !en[i];
    return result_;
  }

 private:
  NodeList args_;
  Vector eq_{SqlType::Bool()};
};

// greatest / least: the extreme non-NULL argument.
class ExtremeNode final : public ExprNode {
 public:
  ExtremeNode(SqlType type, bool greatest, NodeList args)
      : ExprNode(type), op_(greatest ? plan::GT : plan::LT), args_(std::move(args)) {}

  const Vector& Eval(const Batch& input) override {
    size_t n = input.rows;
    result_ = args_[0]->Eval(input);
    result_.SetType(type_);
    for (size_t k = 1; k < args_.size(); ++k) {
      const Vector& v = args_[k]->Eval(input);
      CompareVectors(op_, v, result_, n, &cmp_);
      rows_.clear();
      const uint8_t* vn = v.nulls();
      const uint8_t* rn = result_.nulls();
      const uint8_t* cv = cmp_.data<uint8_t>();
      for (size_t i = 0; i < n; ++i) {
        if (!vn[i] && (rn[i] || cv[i])) rows_.push_back(uint32_t(i));
      }
      ScatterRows(v, rows_.data(), rows_.data(), rows_.size(), &result_);
    }
    return result_;
  }

 private:
  plan::Op op_;
  NodeList args_;
  Vector cmp_{SqlType::Bool()};
  std::vector<uint32_t> rows_;
};

template <typename TA>
NodePtr MakeMathForArg(const SqlType& type, MathFn fn, NodeList args) {
  switch (type.physical()) {
    case PhysicalType::kInt16: return std::make_unique<MathNode<TA, int16_t>>(type, fn, std::move(args));
    case PhysicalType::kInt32: return std::make_unique<MathNode<TA, int32_t>>(type, fn, std::move(args));
    case PhysicalType::kInt64: return std::make_unique<MathNode<TA, int64_t>>(type, fn, std::move(args));
    case PhysicalType::kInt128: return std::make_unique<MathNode<TA, int128>>(type, fn, std::move(args));
    case PhysicalType::kFloat32: return std::make_unique<MathNode<TA, float>>(type, fn, std::move(args));
    case PhysicalType::kFloat64: return std::make_unique<MathNode<TA, double>>(type, fn, std::move(args));
    default: STRATA_INTERNAL_ERROR("math function on ", type.ToString());
  }
}

NodePtr MakeMath(const SqlType& type, MathFn fn, NodeList args) {
  const SqlType& at = args[0]->type();
  // Integers only reach abs; floats and decimals keep their family in the result.
  if (at.is_integer() && (fn != MathFn::kAbs || at != type)) {
    args[0] = MakeCastNode(type.id == TypeId::kDecimal ? SqlType::Decimal(kMaxDecimalPrecision, 0) : type, std::move(args[0]));
  } else if (at.is_float() && at != type) {
    args[0] = MakeCastNode(type, std::move(args[0]));
  }
  if (args.size() > 1 && args[1]->type().id != TypeId::kInt32) args[1] = MakeCastNode(SqlType::Int32(), std::move(args[1]));
  switch (args[0]->type().physical()) {
    case PhysicalType::kInt16: return MakeMathForArg<int16_t>(type, fn, std::move(args));
    case PhysicalType::kInt32: return MakeMathForArg<int32_t>(type, fn, std::move(args));
    case PhysicalType::kInt64: return MakeMathForArg<int64_t>(type, fn, std::move(args));
    case PhysicalType::kInt128: return MakeMathForArg<int128>(type, fn, std::move(args));
    case PhysicalType::kFloat32: return MakeMathForArg<float>(type, fn, std::move(args));
    case PhysicalType::kFloat64: return MakeMathForArg<double>(type, fn, std::move(args));
    default: STRATA_INTERNAL_ERROR("math function on ", args[0]->type().ToString());
  }
}

}  // namespace

NodePtr MakeMathFunctionNode(const std::string& name, const plan::Expr& expr, NodeList& args) {
  SqlType type = FromProtoType(expr.type());
  auto want = [&](size_t lo, size_t hi) {
    if (args.size() < lo || args.size() > hi) STRATA_INTERNAL_ERROR(name, " with ", args.size(), " args");
  };
  if (name == "abs") { want(1, 1); return MakeMath(type, MathFn::kAbs, std::move(args)); }
  if (name == "round") { want(1, 2); return MakeMath(type, MathFn::kRound, std::move(args)); }
  // trunc(number [, digits]); Redshift's trunc(timestamp) is a date function (expr_date_arith).
  if (name == "trunc" && !args.empty() && args[0]->type().is_numeric()) {
    want(1, 2);
    return MakeMath(type, MathFn::kTrunc, std::move(args));
  }
  if (name == "floor") { want(1, 1); return MakeMath(type, MathFn::kFloor, std::move(args)); }
  if (name == "ceil" || name == "ceiling") { want(1, 1); return MakeMath(type, MathFn::kCeil, std::move(args)); }
  if (name == "mod") {
    want(2, 2);
    plan::Expr mod;
    *mod.mutable_type() = expr.type();
    mod.mutable_call()->set_op(plan::MOD);
    return MakeArithmeticNode(mod, std::move(args));
  }
  if (name == "nullif") {
    want(2, 2);
    for (auto& a : args) {
      if (a->type() != type && !(a->type().id == TypeId::kDecimal && type.id == TypeId::kDecimal)) a = MakeCastNode(type, std::move(a));
    }
    if (args[0]->type() != type) args[0] = MakeCastNode(type, std::move(args[0]));
    return std::make_unique<NullIfNode>(type, std::move(args));
  }
  if (name == "greatest" || name == "least") {
    if (args.empty()) STRATA_INTERNAL_ERROR(name, " without arguments");
    for (auto& a : args) {
      if (a->type() != type) a = MakeCastNode(type, std::move(a));
    }
    return std::make_unique<ExtremeNode>(type, name == "greatest", std::move(args));
  }
  return nullptr;
}

}  // namespace strata
