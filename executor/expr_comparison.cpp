// = <> < <= > >= and IN lists for every type, PostgreSQL's way: strings compare bytewise (C
// collation), CHAR(n) ignores trailing spaces (bpchar), floats order NaN above everything and
// equal to itself, decimals of different scales compare exactly after rescaling, and a NULL on
// either side gives NULL. IN is the OR of equalities: TRUE on a match, else NULL if anything
// was NULL, else FALSE.
#include <cstring>
#include <cmath>
#include <string_view>

#include "executor/expr_decimal.h"
#include "executor/expr_node.h"
#include "sql/error.h"
#include "sql/interval_time.h"
#include "sql/value_text.h"

namespace strata {

namespace {

template <typename T>
inline int Cmp3(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    bool an = std::isnan(a), bn = std::isnan(b);
    if (an | bn) return an == bn ? 0 : (an ? 1 : -1);
  }
  return (a > b) - (a < b);
}

// Exact comparison of x / 10^sx with y / 10^sy.
inline int CompareDecimal(int128 x, int sx, int128 y, int sy) {
  if (sx == sy) return (x > y) - (x < y);
  if (sx < sy) return -CompareDecimal(y, sy, x, sx);
  // Bring y up to x's scale; if that overflows, |y| dominates.
  int128 y2;
  if (!RescaleDecimal(y, sx - sy, &y2)) return y < 0 ? 1 : -1;
  return (x > y2) - (x < y2);
}

template <typename F>
void WriteByOp(plan::Op op, size_t n, uint8_t* r, F&& cmp) {
  switch (op) {
    case plan::EQ: for (size_t i = 0; i < n; ++i) r[i] = cmp(i) == 0; break;
    case plan::NE: for (size_t i = 0; i < n; ++i) r[i] = cmp(i) != 0; break;
    case plan::LT: for (size_t i = 0; i < n; ++i) r[i] = cmp(i) < 0; break;
    case plan::LE: for (size_t i = 0; i < n; ++i) r[i] = cmp(i) <= 0; break;
    case plan::GT: for (size_t i = 0; i < n; ++i) r[i] = cmp(i) > 0; break;
    case plan::GE: for (size_t i = 0; i < n; ++i) r[i] = cmp(i) >= 0; break;
    default: STRATA_INTERNAL_ERROR("bad comparison op ", int(op));
  }
}

template <typename TA, typename TB>
void CompareDecimals(plan::Op op, const Vector& a, const Vector& b, size_t n, uint8_t* r) {
  const TA* x = a.data<TA>();
  const TB* y = b.data<TB>();
  int sx = a.type().scale, sy = b.type().scale;
  WriteByOp(op, n, r, [&](size_t i) { return CompareDecimal(x[i], sx, y[i], sy); });
}

class ComparisonNode final : public ExprNode {
 public:
  ComparisonNode(plan::Op op, NodePtr a, NodePtr b)
      : ExprNode(SqlType::Bool()), op_(op), a_(std::move(a)), b_(std::move(b)) {}

  const Vector& Eval(const Batch& input) override {
    const Vector& a = a_->Eval(input);
    const Vector& b = b_->Eval(input);
    CompareVectors(op_, a, b, input.rows, &result_);
    return result_;
  }

 private:
  plan::Op op_;
  NodePtr a_;
  NodePtr b_;
};

class InListNode final : public ExprNode {
 public:
  InListNode(NodePtr value, NodeList items) : ExprNode(SqlType::Bool()), value_(std::move(value)), items_(std::move(items)) {}

  const Vector& Eval(const Batch& input) override {
    size_t n = input.rows;
    const Vector& x = value_->Eval(input);
    Vector& r = ResetResult(n);
    uint8_t* found = r.data<uint8_t>();
    uint8_t* unknown = r.nulls();
    std::fill_n(found, n, 0);
    if (!prepared_) PrepareConstantStrings();
    if (constant_strings_ && x.physical() == PhysicalType::kString) {
      MatchConstantStrings(x, n, found, unknown);
      return r;
    }
    for (auto& item : items_) {
      CompareVectors(plan::EQ, x, item->Eval(input), n, &eq_);
      const uint8_t* ev = eq_.data<uint8_t>();
      const uint8_t* en = eq_.nulls();
      for (size_t i = 0; i < n; ++i) {
        found[i] |= ev[i] & !en[i];
        unknown[i] |= en[i];
      }
    }
    for (size_t i = 0; i < n; ++i) unknown[i] &= !found[i];
    return r;
  }

 private:
  // A string tested against constant strings (TPC-H Q22's substring(c_phone, 1, 2) IN ('13',
  // '31', ...)) is looked up in the list once per row, not compared with each item in a pass
  // over the batch of its own (a three-way compare and a memcmp call per row and item).
  void PrepareConstantStrings() {
    prepared_ = true;
    if (!value_->type().is_string()) return;
    const bool value_char = value_->type().id == TypeId::kChar;
    Batch one;
    one.rows = 1;
    for (auto& item : items_) {
      // An item that reads a column, or is CHAR beside a non-CHAR value (its own comparison
      // rule), keeps the general path.
      if (!item->columns().empty() || !item->type().is_string()) return;
      if (!value_char && item->type().id == TypeId::kChar) return;
    }
    for (auto& item : items_) {
      const Vector& v = item->Eval(one);
      if (v.physical() != PhysicalType::kString) return;
      if (v.IsNull(0)) {
        has_null_item_ = true;
        continue;
      }
      std::string_view c = v.data<std::string_view>()[0];
      constants_.emplace_back(value_char ? TrimTrailingBlanks(c) : c);
    }
    trim_ = value_char;
    constant_strings_ = true;
  }
  void MatchConstantStrings(const Vector& x, size_t n, uint8_t* found, uint8_t* unknown) const {
    const std::string_view* xv = x.data<std::string_view>();
    const uint8_t* xn = x.nulls();
    for (size_t i = 0; i < n; ++i) {
      if (xn[i]) {
        unknown[i] = 1;
        continue;
      }
      // A CHAR value equals a (trimmed) constant when it starts with it and only blanks
      // follow: the first byte turns most rows away before any trimming or memcmp.
      const std::string_view s = xv[i];
      uint8_t hit = 0;
      for (const std::string& c : constants_) {
        if (trim_ ? s.size() < c.size() : s.size() != c.size()) continue;
        if (c.empty()) {
          if (trim_ ? s.find_first_not_of(' ') == std::string_view::npos : true) { hit = 1; break; }
          continue;
        }
        if (s[0] != c[0] || std::memcmp(c.data(), s.data(), c.size()) != 0) continue;
        if (trim_ && s.find_first_not_of(' ', c.size()) != std::string_view::npos) continue;
        hit = 1;
        break;
      }
      found[i] = hit;
      unknown[i] = !hit && has_null_item_;
    }
  }

  NodePtr value_;
  NodeList items_;
  Vector eq_{SqlType::Bool()};
  bool prepared_ = false;
  bool constant_strings_ = false;
  bool has_null_item_ = false;
  bool trim_ = false;
  std::vector<std::string> constants_;
};

// Brings two operands to a comparable pair of types (the binder normally has done so).
void AlignOperands(NodePtr* a, NodePtr* b) {
  const SqlType& ta = (*a)->type();
  const SqlType& tb = (*b)->type();
  if (ta == tb || (ta.is_string() && tb.is_string())) return;
  if (ta.id == TypeId::kDecimal && tb.id == TypeId::kDecimal) return;
  if (ta.id == TypeId::kNull) { *a = MakeCastNode(tb, std::move(*a)); return; }
  if (tb.id == TypeId::kNull) { *b = MakeCastNode(ta, std::move(*b)); return; }
  auto rank = [](const SqlType& t) {
    switch (t.id) {
      case TypeId::kBool: return 0;
      case TypeId::kInt16: return 1;
      case TypeId::kInt32: return 2;
      case TypeId::kInt64: return 3;
      case TypeId::kDecimal: return 4;
      case TypeId::kFloat32: return 5;
      case TypeId::kFloat64: return 6;
      case TypeId::kDate: return 7;
      case TypeId::kTimestamp: return 8;
      case TypeId::kTimestampTz: return 9;
      default: return 10;
    }
  };
  SqlType target = rank(ta) >= rank(tb) ? ta : tb;
  if (target.id == TypeId::kDecimal) target = SqlType::Decimal(kMaxDecimalPrecision, target.scale);
  if (ta != target) *a = MakeCastNode(target, std::move(*a));
  if (tb != target) *b = MakeCastNode(target, std::move(*b));
}

}  // namespace

void CompareVectors(plan::Op op, const Vector& a, const Vector& b, size_t n, Vector* out) {
  out->Resize(n);
  uint8_t* rn = out->nulls();
  const uint8_t* an = a.nulls();
  const uint8_t* bn = b.nulls();
  for (size_t i = 0; i < n; ++i) rn[i] = an[i] | bn[i];
  uint8_t* r = out->data<uint8_t>();
  const SqlType& ta = a.type();
  const SqlType& tb = b.type();
  if (ta.id == TypeId::kDecimal && tb.id == TypeId::kDecimal &&
      (ta.scale != tb.scale || a.physical() != b.physical())) {
    bool wa = a.physical() == PhysicalType::kInt128, wb = b.physical() == PhysicalType::kInt128;
    if (wa && wb) CompareDecimals<int128, int128>(op, a, b, n, r);
    else if (wa) CompareDecimals<int128, int64_t>(op, a, b, n, r);
    else if (wb) CompareDecimals<int64_t, int128>(op, a, b, n, r);
    else CompareDecimals<int64_t, int64_t>(op, a, b, n, r);
    return;
  }
  if (a.physical() != b.physical()) {
    STRATA_INTERNAL_ERROR("comparing ", ta.ToString(), " with ", tb.ToString());
  }
  if (ta.id == TypeId::kInterval && tb.id == TypeId::kInterval) {
    // PostgreSQL compares intervals by span: '1 mon' = '30 days' (sql/interval_time.h).
    const int128* x = a.data<int128>();
    const int128* y = b.data<int128>();
    WriteByOp(op, n, r, [&](size_t i) { return Cmp3<int64_t>(IntervalSpan(x[i]), IntervalSpan(y[i])); });
    return;
  }
  if (a.physical() == PhysicalType::kString) {
    const std::string_view* x = a.data<std::string_view>();
    const std::string_view* y = b.data<std::string_view>();
    if (ta.id == TypeId::kChar || tb.id == TypeId::kChar) {
      WriteByOp(op, n, r, [&](size_t i) { return TrimTrailingBlanks(x[i]).compare(TrimTrailingBlanks(y[i])); });
    } else {
      WriteByOp(op, n, r, [&](size_t i) { return x[i].compare(y[i]); });
    }
    return;
  }
  DispatchPhysical(a.physical(), [&]<typename T>() {
    if constexpr (!std::is_same_v<T, std::string_view>) {
      const T* x = a.data<T>();
      const T* y = b.data<T>();
      WriteByOp(op, n, r, [&](size_t i) { return Cmp3<T>(x[i], y[i]); });
    }
  });
}

NodePtr MakeComparisonNode(const plan::Expr& expr, NodeList args) {
  if (args.size() != 2) STRATA_INTERNAL_ERROR("comparison with ", args.size(), " args");
  AlignOperands(&args[0], &args[1]);
  return std::make_unique<ComparisonNode>(expr.call().op(), std::move(args[0]), std::move(args[1]));
}

NodePtr MakeInListNode(const plan::Expr& expr, NodeList args) {
  if (args.size() < 2) STRATA_INTERNAL_ERROR("IN list without items");
  NodePtr value = std::move(args[0]);
  NodeList items;
  for (size_t i = 1; i < args.size(); ++i) {
    NodePtr item = std::move(args[i]);
    if (item->type() != value->type() && !(item->type().is_string() && value->type().is_string()) &&
        !(item->type().id == TypeId::kDecimal && value->type().id == TypeId::kDecimal)) {
      item = MakeCastNode(value->type(), std::move(item));
    }
    items.push_back(std::move(item));
  }
  return std::make_unique<InListNode>(std::move(value), std::move(items));
}

}  // namespace strata
