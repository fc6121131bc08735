// Three-valued logic (AND, OR, NOT, IS [NOT] NULL/TRUE/FALSE) and the conditional expressions
// CASE and COALESCE. Everything whose later operands PostgreSQL may skip is evaluated lazily:
// AND evaluates an operand only on rows not yet FALSE, OR only on rows not yet TRUE, a CASE
// branch only on the rows that reach it, a COALESCE argument only on rows still NULL. So
// `x <> 0 AND 10 / x > 1` and `CASE WHEN x = 0 THEN 0 ELSE 1 / x END` never divide by zero.
// An AND / OR tests first, on every row, the operands that cannot fail and cost least
// (comparisons of integers and dates before those of strings, IN lists and LIKE), so the dearer
// ones see only the rows left undecided (TPC-H Q12: its ship-mode IN list after the date
// comparisons); an operand that may fail (a cast, arithmetic, a function) keeps its place
// after every operand written before it.
#include <algorithm>
#include <cstring>
#include <numeric>

#include "executor/expr_node.h"
#include "sql/error.h"

namespace strata {

namespace {

class AndOrNode final : public ExprNode {
 public:
  AndOrNode(bool is_and, NodeList args) : ExprNode(SqlType::Bool()), is_and_(is_and), args_(std::move(args)) {
    subsets_.resize(args_.size());
  }

  const Vector& Eval(const Batch& input) override {
    size_t n = input.rows;
    Vector& r = ResetResult(n);
    uint8_t* rv = r.data<uint8_t>();
    uint8_t* rn = r.nulls();
    const Vector& first = args_[0]->Eval(input);
    std::memcpy(rn, first.nulls(), n);
    const uint8_t* first_values = first.data<uint8_t>();
    for (size_t i = 0; i < n; ++i) rv[i] = first_values[i] != 0;
    // The decided value: FALSE for AND, TRUE for OR.
    const uint8_t decided = is_and_ ? 0 : 1;
    // The rows still undecided (NULL, or not yet the deciding value), without a branch per row;
    // each later argument is evaluated on those alone, and keeps the ones it does not decide,
    // so a selective first conjunct makes the rest cost what it kept, not the batch.
    rows_.resize(n);
    uint32_t* undecided = rows_.data();
    size_t left = 0;
    for (size_t i = 0; i < n; ++i) {
      undecided[left] = uint32_t(i);
      left += static_cast<size_t>((rn[i] != 0) | (rv[i] != decided));
    }
    rows_.resize(left);
    for (size_t k = 1; k < args_.size() && !rows_.empty(); ++k) {
      const Vector& v = EvalOnRows(*args_[k], subsets_[k], input, rows_);
      const uint8_t* vv = v.data<uint8_t>();
      const uint8_t* vn = v.nulls();
      // Local pointers: stores through the byte arrays could otherwise alias rows_'s own.
      uint32_t* __restrict rows = rows_.data();
      uint8_t* __restrict values = rv;
      uint8_t* __restrict nulls = rn;
      const size_t m = rows_.size();
      size_t kept = 0;
      for (size_t j = 0; j < m; ++j) {
        const uint32_t i = rows[j];
        const bool decides = !vn[j] && (vv[j] != 0) == decided;
        nulls[i] = decides ? 0 : static_cast<uint8_t>(nulls[i] | vn[j]);
        values[i] = decides ? decided : values[i];
        rows[kept] = i;
        kept += !decides;
      }
      rows_.resize(kept);
    }
    return r;
  }

 private:
  bool is_and_;
  NodeList args_;
  std::vector<SubsetEvaluator> subsets_;
  std::vector<uint32_t> rows_;
};

class UnaryLogicNode final : public ExprNode {
 public:
  UnaryLogicNode(plan::Op op, NodePtr arg) : ExprNode(SqlType::Bool()), op_(op), arg_(std::move(arg)) {}

  const Vector& Eval(const Batch& input) override {
    size_t n = input.rows;
    const Vector& a = arg_->Eval(input);
    Vector& r = ResetResult(n);
    uint8_t* rv = r.data<uint8_t>();
    const uint8_t* an = a.nulls();
    if (op_ == plan::IS_NULL || op_ == plan::IS_NOT_NULL) {
      uint8_t want = op_ == plan::IS_NULL;
      for (size_t i = 0; i < n; ++i) rv[i] = (an[i] != 0) == want;
      return r;
    }
    const uint8_t* av = a.data<uint8_t>();
    switch (op_) {
      case plan::NOT:
        std::memcpy(r.nulls(), an, n);
        for (size_t i = 0; i < n; ++i) rv[i] = av[i] == 0;
        break;
      case plan::IS_TRUE: for (size_t i = 0; i < n; ++i) rv[i] = !an[i] && av[i]; break;
      case plan::IS_NOT_TRUE: for (size_t i = 0; i < n; ++i) rv[i] = an[i] || !av[i]; break;
      case plan::IS_FALSE: for (size_t i = 0; i < n; ++i) rv[i] = !an[i] && !av[i]; break;
      case plan::IS_NOT_FALSE: for (size_t i = 0; i < n; ++i) rv[i] = an[i] || av[i]; break;
      default: STRATA_INTERNAL_ERROR("bad logic op");
    }
    return r;
  }

 private:
  plan::Op op_;
  NodePtr arg_;
};

class CaseNode final : public ExprNode {
 public:
  CaseNode(SqlType type, NodeList args) : ExprNode(type) {
    for (auto& a : args) {
      subsets_.emplace_back();
      args_.push_back(std::move(a));
    }
    has_else_ = args_.size() % 2 == 1;
  }

  const Vector& Eval(const Batch& input) override {
    size_t n = input.rows;
    Vector& r = ResetResult(n);
    std::memset(r.nulls(), 1, n);
    remaining_.resize(n);
    std::iota(remaining_.begin(), remaining_.end(), 0u);
    size_t whens = args_.size() / 2;
    for (size_t w = 0; w < whens && !remaining_.empty(); ++w) {
      const Vector& cond = EvalOnRows(*args_[2 * w], subsets_[2 * w], input, remaining_);
      taken_.clear();
      rest_.clear();
      const uint8_t* cv = cond.data<uint8_t>();
      const uint8_t* cn = cond.nulls();
      for (size_t j = 0; j < remaining_.size(); ++j) {
        (cv[j] && !cn[j] ? taken_ : rest_).push_back(remaining_[j]);
      }
      if (!taken_.empty()) {
        const Vector& v = EvalOnRows(*args_[2 * w + 1], subsets_[2 * w + 1], input, taken_);
        ScatterRows(v, nullptr, taken_.data(), taken_.size(), &r);
      }
      remaining_.swap(rest_);
    }
    if (has_else_ && !remaining_.empty()) {
      const Vector& v = EvalOnRows(*args_.back(), subsets_.back(), input, remaining_);
      ScatterRows(v, nullptr, remaining_.data(), remaining_.size(), &r);
    }
    return r;
  }

 private:
  NodeList args_;
  std::vector<SubsetEvaluator> subsets_;
  bool has_else_ = false;
  std::vector<uint32_t> remaining_, taken_, rest_;
};

class CoalesceNode final : public ExprNode {
 public:
  CoalesceNode(SqlType type, NodeList args) : ExprNode(type), args_(std::move(args)) { subsets_.resize(args_.size()); }

  const Vector& Eval(const Batch& input) override {
    size_t n = input.rows;
    Vector& r = ResetResult(n);
    std::memset(r.nulls(), 1, n);
    remaining_.resize(n);
    std::iota(remaining_.begin(), remaining_.end(), 0u);
    for (size_t k = 0; k < args_.size() && !remaining_.empty(); ++k) {
      const Vector& v = EvalOnRows(*args_[k], subsets_[k], input, remaining_);
      src_.clear();
      dst_.clear();
      rest_.clear();
      const uint8_t* vn = v.nulls();
      for (size_t j = 0; j < remaining_.size(); ++j) {
        if (vn[j]) {
          rest_.push_back(remaining_[j]);
        } else {
          src_.push_back(uint32_t(j));
          dst_.push_back(remaining_[j]);
        }
      }
      ScatterRows(v, src_.data(), dst_.data(), src_.size(), &r);
      remaining_.swap(rest_);
    }
    return r;
  }

 private:
  NodeList args_;
  std::vector<SubsetEvaluator> subsets_;
  std::vector<uint32_t> remaining_, rest_, src_, dst_;
};

void CastAllTo(const SqlType& type, NodeList* args) {
  for (auto& a : *args) {
    if (a->type() != type) a = MakeCastNode(type, std::move(a));
  }
}

}  // namespace

namespace {

// What testing `e` costs per row, roughly (a fixed-width comparison 1, a string comparison 4,
// LIKE 8), or -1 when it may raise an error (or is not known not to): only expressions made of
// columns, literals, comparisons of operands of one kind, IS [NOT] NULL, AND / OR / NOT, IN
// lists of literals and LIKE with a literal pattern are moved.
int TestCost(const plan::Expr& e) {
  if (e.has_column() || e.has_literal()) return 0;
  if (!e.has_call()) return -1;
  const plan::Call& c = e.call();
  int sum = 0;
  for (const auto& a : c.args()) {
    const int k = TestCost(a);
    if (k < 0) return -1;
    sum += k;
  }
  auto kind = [](const plan::Expr& a) {
    const SqlType t = FromProtoType(a.type());
    if (t.is_string()) return 1;
    if (t.is_integer()) return 2;
    if (t.id == TypeId::kDate) return 3;
    if (t.id == TypeId::kBool) return 4;
    return -1;  // decimals (scales), floats, timestamps: left where they are
  };
  switch (c.op()) {
    case plan::EQ: case plan::NE: case plan::LT: case plan::LE: case plan::GT: case plan::GE: {
      if (c.args_size() != 2) return -1;
      const int ka = kind(c.args(0)), kb = kind(c.args(1));
      if (ka < 0 || ka != kb) return -1;
      return sum + (ka == 1 ? 4 : 1);
    }
    case plan::IN_LIST: {
      if (c.args_size() < 2) return -1;
      const int kv = kind(c.args(0));
      if (kv < 0) return -1;
      for (int i = 1; i < c.args_size(); ++i) {
        if (!c.args(i).has_literal() || kind(c.args(i)) != kv) return -1;
      }
      return sum + (kv == 1 ? 4 : 1) + c.args_size() / 4;
    }
    case plan::LIKE: case plan::NOT_LIKE: case plan::ILIKE: case plan::NOT_ILIKE:
      if (c.args_size() != 2 || !c.args(1).has_literal() || kind(c.args(0)) != 1) return -1;
      return sum + 8;
    case plan::IS_NULL: case plan::IS_NOT_NULL: return sum + 1;
    case plan::AND: case plan::OR: case plan::NOT: return sum + 1;
    default: return -1;
  }
}

}  // namespace

NodePtr MakeLogicNode(const plan::Expr& expr, NodeList args) {
  plan::Op op = expr.call().op();
  if (op == plan::AND || op == plan::OR) {
    if (args.empty()) STRATA_INTERNAL_ERROR("AND/OR without operands");
    if (static_cast<int>(args.size()) == expr.call().args_size() && args.size() > 1) {
      // Operands that cannot fail, cheapest first; the others after them in written order.
      std::vector<int> cost, order(args.size());
      for (const auto& a : expr.call().args()) {
        const int k = TestCost(a);
        cost.push_back(k < 0 ? INT32_MAX : k);
      }
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return cost[a] < cost[b]; });
      NodeList sorted;
      for (int i : order) sorted.push_back(std::move(args[i]));
      args = std::move(sorted);
    }
    CastAllTo(SqlType::Bool(), &args);
    return std::make_unique<AndOrNode>(op == plan::AND, std::move(args));
  }
  if (args.size() != 1) STRATA_INTERNAL_ERROR("logic op ", int(op), " with ", args.size(), " args");
  if (op != plan::IS_NULL && op != plan::IS_NOT_NULL) CastAllTo(SqlType::Bool(), &args);
  return std::make_unique<UnaryLogicNode>(op, std::move(args[0]));
}

NodePtr MakeCaseNode(const plan::Expr& expr, NodeList args) {
  SqlType type = FromProtoType(expr.type());
  if (args.size() < 2) STRATA_INTERNAL_ERROR("CASE without WHEN");
  for (size_t i = 0; i < args.size(); ++i) {
    bool is_condition = i % 2 == 0 && i + 1 < args.size();
    const SqlType& want = is_condition ? SqlType::Bool() : type;
    if (args[i]->type() != want) args[i] = MakeCastNode(want, std::move(args[i]));
  }
  return std::make_unique<CaseNode>(type, std::move(args));
}

NodePtr MakeCoalesceNode(const plan::Expr& expr, NodeList args) {
  SqlType type = FromProtoType(expr.type());
  if (args.empty()) STRATA_INTERNAL_ERROR("COALESCE without arguments");
  CastAllTo(type, &args);
  return std::make_unique<CoalesceNode>(type, std::move(args));
}

}  // namespace strata
