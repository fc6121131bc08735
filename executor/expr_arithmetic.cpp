// + - * / % and unary minus over integers, floats, decimals and dates, with PostgreSQL's errors:
// integer overflow is 22003 "<type> out of range", decimal overflow past the result precision
// 22003 "numeric field overflow", float overflow 22003 "value out of range: overflow", and
// any division or modulo by zero 22012. Each loop runs over the whole batch; error flags are
// accumulated with the rows' null bytes masked in, and raised once after the loop.
#include <cmath>
#include <limits>

#include "executor/expr_decimal.h"
#include "executor/expr_node.h"
#include "sql/error.h"

namespace strata {

namespace {

void MergeNulls(const Vector& a, const Vector& b, size_t n, Vector* r) {
  const uint8_t* an = a.nulls();
  const uint8_t* bn = b.nulls();
  uint8_t* rn = r->nulls();
  for (size_t i = 0; i < n; ++i) rn[i] = an[i] | bn[i];
}

class BinaryNode : public ExprNode {
 public:
  BinaryNode(SqlType type, plan::Op op, NodeList args) : ExprNode(type), op_(op) {
    a_ = std::move(args[0]);
    if (args.size() > 1) b_ = std::move(args[1]);
  }

  const Vector& Eval(const Batch& input) override {
    size_t n = input.rows;
    const Vector& a = a_->Eval(input);
    const Vector& b = b_ ? b_->Eval(input) : a;
    Vector& r = ResetResult(n);
    MergeNulls(a, b, n, &r);
    Compute(a, b, n, &r);
    return r;
  }

 protected:
  virtual void Compute(const Vector& a, const Vector& b, size_t n, Vector* r) = 0;

  plan::Op op_;
  NodePtr a_;
  NodePtr b_;
};

template <typename T>
class IntArithmeticNode final : public BinaryNode {
 public:
  using BinaryNode::BinaryNode;

 protected:
  void Compute(const Vector& va, const Vector& vb, size_t n, Vector* vr) override {
    const T* a = va.data<T>();
    const T* b = vb.data<T>();
    T* r = vr->data<T>();
    const uint8_t* nulls = vr->nulls();
    bool overflow = false;
    bool div_zero = false;
    switch (op_) {
      case plan::ADD:
        for (size_t i = 0; i < n; ++i) overflow |= __builtin_add_overflow(a[i], b[i], &r[i]) & !nulls[i];
        break;
      case plan::SUB:
        for (size_t i = 0; i < n; ++i) overflow |= __builtin_sub_overflow(a[i], b[i], &r[i]) & !nulls[i];
        break;
      case plan::MUL:
        for (size_t i = 0; i < n; ++i) overflow |= __builtin_mul_overflow(a[i], b[i], &r[i]) & !nulls[i];
        break;
      case plan::NEG:
        for (size_t i = 0; i < n; ++i) overflow |= __builtin_sub_overflow(T(0), a[i], &r[i]) & !nulls[i];
        break;
      case plan::DIV:
      case plan::MOD:
        for (size_t i = 0; i < n; ++i) {
          if (nulls[i]) { r[i] = 0; continue; }
          if (b[i] == 0) { div_zero = true; continue; }
          if (b[i] == -1) {  // avoids the trap on MIN / -1; MIN % -1 is 0 as in PostgreSQL
            if (op_ == plan::DIV) overflow |= __builtin_sub_overflow(T(0), a[i], &r[i]);
            else r[i] = 0;
            continue;
          }
          r[i] = op_ == plan::DIV ? T(a[i] / b[i]) : T(a[i] % b[i]);
        }
        break;
      default: STRATA_INTERNAL_ERROR("bad integer arithmetic op");
    }
    if (div_zero) ThrowDivisionByZero();
    if (overflow) ThrowIntegerOutOfRange(type_.id);
  }
};

template <typename T>
class FloatArithmeticNode final : public BinaryNode {
 public:
  using BinaryNode::BinaryNode;

 protected:
  void Compute(const Vector& va, const Vector& vb, size_t n, Vector* vr) override {
    const T* a = va.data<T>();
    const T* b = vb.data<T>();
    T* r = vr->data<T>();
    const uint8_t* nulls = vr->nulls();
    bool div_zero = false;
    switch (op_) {
      case plan::ADD: for (size_t i = 0; i < n; ++i) r[i] = a[i] + b[i]; break;
      case plan::SUB: for (size_t i = 0; i < n; ++i) r[i] = a[i] - b[i]; break;
      case plan::MUL: for (size_t i = 0; i < n; ++i) r[i] = a[i] * b[i]; break;
      case plan::NEG: for (size_t i = 0; i < n; ++i) r[i] = -a[i]; break;
      case plan::DIV:
        for (size_t i = 0; i < n; ++i) {
          div_zero |= (b[i] == 0) & !nulls[i];
          r[i] = a[i] / b[i];
        }
        break;
      case plan::MOD:
        for (size_t i = 0; i < n; ++i) {
          div_zero |= (b[i] == 0) & !nulls[i];
          r[i] = std::fmod(a[i], b[i]);
        }
        break;
      default: STRATA_INTERNAL_ERROR("bad float arithmetic op");
    }
    if (div_zero) ThrowDivisionByZero();
    bool overflow = false;
    bool underflow = false;
    for (size_t i = 0; i < n; ++i) {
      if (nulls[i]) continue;
      overflow |= std::isinf(r[i]) && !std::isinf(a[i]) && !std::isinf(b[i]);
      underflow |= (op_ == plan::MUL || op_ == plan::DIV) && r[i] == 0 && a[i] != 0 && !std::isinf(b[i]) &&
                   (op_ == plan::DIV || b[i] != 0);
    }
    if (overflow) STRATA_USER_ERROR(sqlstate::kNumericValueOutOfRange, "value out of range: overflow");
    if (underflow) STRATA_USER_ERROR(sqlstate::kNumericValueOutOfRange, "value out of range: underflow");
  }
};

// Decimal arithmetic; each operand and the result are int64 or int128 independently.
template <typename TA, typename TB, typename TR>
class DecimalArithmeticNode final : public BinaryNode {
 public:
  DecimalArithmeticNode(SqlType type, plan::Op op, NodeList args) : BinaryNode(type, op, std::move(args)) {
    s1_ = a_->type().scale;
    s2_ = b_ ? b_->type().scale : s1_;
  }

 protected:
  // The common cases without per-value rescaling or int128 work: + and - of scaled int64
  // values, and products whose scale is the sum of the operands' (PostgreSQL's rule). Returns
  // false to take the general path.
  bool FastPath(const TA* a, const TB* b, TR* r, const uint8_t* nulls, size_t n, int rs, int p) {
    if (p > 38) return false;
    const int128 limit = Pow10(p);
    bool overflow = false;
    if constexpr (std::is_same_v<TA, int64_t> && std::is_same_v<TB, int64_t> && std::is_same_v<TR, int64_t>) {
      if ((op_ == plan::ADD || op_ == plan::SUB) && rs >= s1_ && rs >= s2_ && rs - s1_ <= 18 && rs - s2_ <= 18) {
        const int64_t fa = static_cast<int64_t>(Pow10(rs - s1_)), fb = static_cast<int64_t>(Pow10(rs - s2_));
        const int64_t lim = static_cast<int64_t>(limit > INT64_MAX ? INT64_MAX : limit);
        bool add = op_ == plan::ADD;
        for (size_t i = 0; i < n; ++i) {
          int64_t x, y, z;
          bool o = __builtin_mul_overflow(a[i], fa, &x) | __builtin_mul_overflow(b[i], fb, &y) |
                   (add ? __builtin_add_overflow(x, y, &z) : __builtin_sub_overflow(x, y, &z));
          o |= (z >= lim || z <= -lim) & !nulls[i];
          overflow |= o & !nulls[i];
          r[i] = nulls[i] ? 0 : z;
        }
        if (overflow) Overflow();
        return true;
      }
    }
    if constexpr (!std::is_same_v<TR, int64_t>) {
      if (op_ == plan::MUL && s1_ + s2_ == rs) {
        for (size_t i = 0; i < n; ++i) {
          int128 z;
          bool o = __builtin_mul_overflow(static_cast<int128>(a[i]), static_cast<int128>(b[i]), &z);
          o |= (z >= limit || z <= -limit);
          overflow |= o & !nulls[i];
          r[i] = nulls[i] ? 0 : z;
        }
        if (overflow) Overflow();
        return true;
      }
    } else {
      if (op_ == plan::MUL && s1_ + s2_ == rs && std::is_same_v<TA, int64_t> && std::is_same_v<TB, int64_t>) {
        for (size_t i = 0; i < n; ++i) {
          int64_t z;
          bool o = __builtin_mul_overflow(static_cast<int64_t>(a[i]), static_cast<int64_t>(b[i]), &z);
          o |= (z >= limit || z <= -limit);
          overflow |= o & !nulls[i];
          r[i] = nulls[i] ? 0 : z;
        }
        if (overflow) Overflow();
        return true;
      }
    }
    return false;
  }

  [[noreturn]] static void Overflow() {
    throw SqlError(sqlstate::kNumericValueOutOfRange, "numeric field overflow");
  }

  void Compute(const Vector& va, const Vector& vb, size_t n, Vector* vr) override {
    const TA* a = va.data<TA>();
    const TB* b = vb.data<TB>();
    TR* r = vr->data<TR>();
    const uint8_t* nulls = vr->nulls();
    const int rs = type_.scale;
    const int p = type_.precision;
    if (FastPath(a, b, r, nulls, n, rs, p)) return;
    bool overflow = false;
    bool div_zero = false;
    for (size_t i = 0; i < n; ++i) {
      if (nulls[i]) { r[i] = 0; continue; }
      int128 x = a[i], y = b[i], z = 0;
      bool ok = true;
      switch (op_) {
        case plan::ADD:
        case plan::SUB:
          ok = RescaleDecimal(x, rs - s1_, &x) && RescaleDecimal(y, rs - s2_, &y) &&
               !(op_ == plan::ADD ? __builtin_add_overflow(x, y, &z) : __builtin_sub_overflow(x, y, &z));
          break;
        case plan::MUL: ok = MulRescale(x, y, s1_ + s2_ - rs, &z); break;
        case plan::DIV:
          if (y == 0) { div_zero = true; continue; }
          ok = DivScaled(x, y, rs - s1_ + s2_, &z);
          break;
        case plan::MOD: {
          if (y == 0) { div_zero = true; continue; }
          int common = s1_ > s2_ ? s1_ : s2_;
          ok = RescaleDecimal(x, common - s1_, &x) && RescaleDecimal(y, common - s2_, &y) &&
               RescaleDecimal(x % y, rs - common, &z);
          break;
        }
        case plan::NEG: ok = RescaleDecimal(-x, rs - s1_, &z); break;
        default: STRATA_INTERNAL_ERROR("bad decimal arithmetic op");
      }
      overflow |= !ok || !FitsPrecision(z, p);
      r[i] = TR(z);
    }
    if (div_zero) ThrowDivisionByZero();
    if (overflow) ThrowNumericOverflow();
  }

 private:
  int s1_ = 0;
  int s2_ = 0;
};

// date + integer, integer + date, date - integer -> date; date - date -> integer (days).
class DateArithmeticNode final : public BinaryNode {
 public:
  using BinaryNode::BinaryNode;

 protected:
  void Compute(const Vector& va, const Vector& vb, size_t n, Vector* vr) override {
    const int32_t* a = va.data<int32_t>();
    const int32_t* b = vb.data<int32_t>();
    int32_t* r = vr->data<int32_t>();
    const uint8_t* nulls = vr->nulls();
    bool overflow = false;
    if (op_ == plan::ADD) {
      for (size_t i = 0; i < n; ++i) overflow |= __builtin_add_overflow(a[i], b[i], &r[i]) & !nulls[i];
    } else {
      for (size_t i = 0; i < n; ++i) overflow |= __builtin_sub_overflow(a[i], b[i], &r[i]) & !nulls[i];
    }
    if (overflow) {
      if (type_.id == TypeId::kDate) STRATA_USER_ERROR(sqlstate::kDatetimeFieldOverflow, "date out of range");
      ThrowIntegerOutOfRange(type_.id);
    }
  }
};

SqlType DecimalForInteger(const SqlType& t) {
  int digits = t.id == TypeId::kInt16 ? 5 : t.id == TypeId::kInt32 ? 10 : 19;
  return SqlType::Decimal(digits, 0);
}

template <typename TA, typename TB>
NodePtr MakeDecimal3(const SqlType& type, plan::Op op, NodeList args) {
  if (type.physical() == PhysicalType::kInt64) {
    return std::make_unique<DecimalArithmeticNode<TA, TB, int64_t>>(type, op, std::move(args));
  }
  return std::make_unique<DecimalArithmeticNode<TA, TB, int128>>(type, op, std::move(args));
}

template <typename TA>
NodePtr MakeDecimal2(const SqlType& type, plan::Op op, NodeList args) {
  PhysicalType pb = args.size() > 1 ? args[1]->type().physical() : args[0]->type().physical();
  if (pb == PhysicalType::kInt64) return MakeDecimal3<TA, int64_t>(type, op, std::move(args));
  return MakeDecimal3<TA, int128>(type, op, std::move(args));
}

}  // namespace

NodePtr MakeArithmeticNode(const plan::Expr& expr, NodeList args) {
  SqlType type = FromProtoType(expr.type());
  plan::Op op = expr.call().op();
  size_t want = op == plan::NEG ? 1 : 2;
  if (args.size() != want) STRATA_INTERNAL_ERROR("arithmetic op ", int(op), " with ", args.size(), " args");

  bool has_date = false;
  for (auto& a : args) has_date |= a->type().id == TypeId::kDate;
  if (has_date && want == 2) {
    if (type.id != TypeId::kDate && type.id != TypeId::kInt32) {
      STRATA_INTERNAL_ERROR("date arithmetic producing ", type.ToString());
    }
    for (auto& a : args) {
      if (a->type().id != TypeId::kDate && a->type().id != TypeId::kInt32) a = MakeCastNode(SqlType::Int32(), std::move(a));
    }
    return std::make_unique<DateArithmeticNode>(type, op, std::move(args));
  }

  if (type.id == TypeId::kDecimal) {
    for (auto& a : args) {
      if (a->type().is_integer()) a = MakeCastNode(DecimalForInteger(a->type()), std::move(a));
      else if (a->type().id != TypeId::kDecimal) a = MakeCastNode(type, std::move(a));
    }
    if (args[0]->type().physical() == PhysicalType::kInt64) return MakeDecimal2<int64_t>(type, op, std::move(args));
    return MakeDecimal2<int128>(type, op, std::move(args));
  }
  // Integers and floats: operands of the result's own type (the binder widens; be defensive).
  for (auto& a : args) {
    if (a->type() != type) a = MakeCastNode(type, std::move(a));
  }
  switch (type.id) {
    case TypeId::kInt16: return std::make_unique<IntArithmeticNode<int16_t>>(type, op, std::move(args));
    case TypeId::kInt32: return std::make_unique<IntArithmeticNode<int32_t>>(type, op, std::move(args));
    case TypeId::kInt64: return std::make_unique<IntArithmeticNode<int64_t>>(type, op, std::move(args));
    case TypeId::kFloat32: return std::make_unique<FloatArithmeticNode<float>>(type, op, std::move(args));
    case TypeId::kFloat64: return std::make_unique<FloatArithmeticNode<double>>(type, op, std::move(args));
    default: STRATA_INTERNAL_ERROR("arithmetic on ", type.ToString());
  }
}

}  // namespace strata
