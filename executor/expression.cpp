// ExpressionEvaluator and the pieces every node family shares: compiling a plan::Expr into a
// node tree, column and literal nodes, subset evaluation for lazy branches, and the error
// helpers with PostgreSQL's messages.
#include "executor/expression.h"

#include <algorithm>
#include <cstring>

#include "executor/expr_node.h"
#include "sql/error.h"

namespace strata {

void ExprNode::AddColumns(const std::vector<int>& cols) {
  std::vector<int> merged;
  std::set_union(columns_.begin(), columns_.end(), cols.begin(), cols.end(), std::back_inserter(merged));
  columns_ = std::move(merged);
}

Vector& ExprNode::ResetResult(size_t n) {
  if (result_.physical() == PhysicalType::kString) result_ = Vector(type_);
  result_.Resize(n);
  if (n > 0) std::memset(result_.nulls(), 0, n);
  return result_;
}

[[noreturn]] void ThrowIntegerOutOfRange(TypeId id) {
  const char* name = id == TypeId::kInt16 ? "smallint" : id == TypeId::kInt64 ? "bigint" : "integer";
  STRATA_USER_ERROR(sqlstate::kNumericValueOutOfRange, name, " out of range");
}

[[noreturn]] void ThrowNumericOverflow() {
  STRATA_USER_ERROR(sqlstate::kNumericValueOutOfRange, "numeric field overflow");
}

[[noreturn]] void ThrowDivisionByZero() {
  STRATA_USER_ERROR(sqlstate::kDivisionByZero, "division by zero");
}

const Vector& SubsetEvaluator::Eval(ExprNode& node, const Batch& input, const uint32_t* sel, size_t n) {
  const auto& cols = node.columns();
  size_t width = cols.empty() ? 0 : size_t(cols.back()) + 1;
  if (sub_.columns.size() < width) sub_.columns.resize(width);
  for (int c : cols) {
    Vector& dst = sub_.columns[c];
    // A fresh vector for strings drops the previous batch's heap references.
    if (dst.type() != input.columns[c].type() || dst.physical() == PhysicalType::kString) {
      dst = Vector(input.columns[c].type());
    }
    dst.Clear();
    dst.AppendSelected(input.columns[c], sel, n);
  }
  sub_.rows = n;
  return node.Eval(sub_);
}

void ScatterRows(const Vector& src, const uint32_t* src_rows, const uint32_t* dst_rows, size_t n, Vector* dst) {
  const uint8_t* sn = src.nulls();
  uint8_t* dn = dst->nulls();
  DispatchPhysical(dst->physical(), [&]<typename T>() {
    const T* s = src.data<T>();
    T* d = dst->data<T>();
    if (src_rows == nullptr) {
      for (size_t i = 0; i < n; ++i) { d[dst_rows[i]] = s[i]; dn[dst_rows[i]] = sn[i]; }
    } else {
      for (size_t i = 0; i < n; ++i) { d[dst_rows[i]] = s[src_rows[i]]; dn[dst_rows[i]] = sn[src_rows[i]]; }
    }
  });
  if (dst->physical() == PhysicalType::kString) dst->ShareHeaps(src);
}

const Vector& EvalOnRows(ExprNode& node, SubsetEvaluator& subset, const Batch& input,
                         const std::vector<uint32_t>& rows) {
  if (rows.size() == input.rows) return node.Eval(input);
  return subset.Eval(node, input, rows.data(), rows.size());
}

void TrueRows(const Vector& v, size_t n, std::vector<uint32_t>* rows) {
  rows->resize(n);
  const uint8_t* vals = v.data<uint8_t>();
  const uint8_t* nulls = v.nulls();
  uint32_t* out = rows->data();
  size_t k = 0;
  for (size_t i = 0; i < n; ++i) {
    out[k] = uint32_t(i);
    k += (vals[i] != 0) & (nulls[i] == 0);
  }
  rows->resize(k);
}

namespace {

class ColumnNode final : public ExprNode {
 public:
  ColumnNode(SqlType type, int column) : ExprNode(type), column_(column) { columns_ = {column}; }
  const Vector& Eval(const Batch& input) override {
    if (column_ < 0 || size_t(column_) >= input.columns.size()) {
      STRATA_INTERNAL_ERROR("column ", column_, " out of range of a ", input.columns.size(), "-column batch");
    }
    // A plan that reads a column as another physical type would read its memory wrongly (a
    // string view over integers crashes the process): a planner bug, refused per batch.
    const Vector& v = input.columns[column_];
    if (v.physical() != type().physical() && type().id != TypeId::kNull && v.type().id != TypeId::kNull) {
      STRATA_INTERNAL_ERROR("column ", column_, " is ", v.type().ToString(), " in the batch but ", type().ToString(),
                            " in the plan");
    }
    return v;
  }

 private:
  int column_;
};

// A constant: the value is stored once and replicated to as many rows as a batch has; the
// replicated vector is kept, so a steady stream of full batches copies nothing.
class LiteralNode final : public ExprNode {
 public:
  LiteralNode(SqlType type, const plan::Literal& lit) : ExprNode(type), value_(type, 1) {
    value_.SetNull(0, lit.is_null() || type.id == TypeId::kNull);
    if (value_.IsNull(0)) return;
    switch (value_.physical()) {
      case PhysicalType::kBool: value_.data<uint8_t>()[0] = lit.i64() != 0; break;
      case PhysicalType::kInt16: value_.data<int16_t>()[0] = int16_t(lit.i64()); break;
      case PhysicalType::kInt32: value_.data<int32_t>()[0] = int32_t(lit.i64()); break;
      case PhysicalType::kInt64: value_.data<int64_t>()[0] = lit.i64(); break;
      case PhysicalType::kInt128: {
        int128 v = lit.i64();
        if (lit.i128().size() == 16) std::memcpy(&v, lit.i128().data(), 16);
        value_.data<int128>()[0] = v;
        break;
      }
      case PhysicalType::kFloat32: value_.data<float>()[0] = float(lit.f64()); break;
      case PhysicalType::kFloat64: value_.data<double>()[0] = lit.f64(); break;
      case PhysicalType::kString: value_.SetString(0, lit.str()); break;
    }
  }

  const Vector& Eval(const Batch& input) override {
    size_t n = input.rows;
    if (filled_ != n) {
      result_.Resize(n);
      std::memset(result_.nulls(), value_.nulls()[0], n);
      DispatchPhysical(result_.physical(), [&]<typename T>() {
        T v = value_.data<T>()[0];
        std::fill_n(result_.data<T>(), n, v);
      });
      if (result_.physical() == PhysicalType::kString) result_.ShareHeaps(value_);
      filled_ = n;
    }
    return result_;
  }

 private:
  Vector value_;
  size_t filled_ = size_t(-1);
};

}  // namespace

NodePtr MakeColumnNode(const plan::Expr& expr) {
  return std::make_unique<ColumnNode>(FromProtoType(expr.type()), expr.column());
}

NodePtr MakeLiteralNode(const plan::Expr& expr) {
  return std::make_unique<LiteralNode>(FromProtoType(expr.type()), expr.literal());
}

NodePtr CompileNode(const plan::Expr& expr) {
  switch (expr.kind_case()) {
    case plan::Expr::kColumn: return MakeColumnNode(expr);
    case plan::Expr::kLiteral: return MakeLiteralNode(expr);
    case plan::Expr::kParam:
      STRATA_INTERNAL_ERROR("parameter $", expr.param(), " was not substituted before execution");
    case plan::Expr::kCall: break;
    case plan::Expr::kOuterRef: STRATA_INTERNAL_ERROR("an outer reference was not decorrelated before execution");
    case plan::Expr::KIND_NOT_SET: STRATA_INTERNAL_ERROR("expression without a kind");
  }
  const plan::Call& call = expr.call();
  NodeList args;
  std::vector<int> cols;
  for (const auto& a : call.args()) {
    args.push_back(CompileNode(a));
    std::vector<int> merged;
    std::set_union(cols.begin(), cols.end(), args.back()->columns().begin(), args.back()->columns().end(),
                   std::back_inserter(merged));
    cols = std::move(merged);
  }
  NodePtr node;
  switch (call.op()) {
    case plan::ADD: case plan::SUB: case plan::MUL: case plan::DIV: case plan::MOD: case plan::NEG:
      node = MakeArithmeticNode(expr, std::move(args));
      break;
    case plan::EQ: case plan::NE: case plan::LT: case plan::LE: case plan::GT: case plan::GE:
      node = MakeComparisonNode(expr, std::move(args));
      break;
    case plan::AND: case plan::OR: case plan::NOT: case plan::IS_NULL: case plan::IS_NOT_NULL:
    case plan::IS_TRUE: case plan::IS_NOT_TRUE: case plan::IS_FALSE: case plan::IS_NOT_FALSE:
      node = MakeLogicNode(expr, std::move(args));
      break;
    case plan::CAST:
    case plan::ASSIGN_CAST:
      if (args.size() != 1) STRATA_INTERNAL_ERROR("CAST takes one argument");
      node = MakeCastNode(FromProtoType(expr.type()), std::move(args[0]), expr.call().op() == plan::ASSIGN_CAST);
      break;
    case plan::CONCAT: node = MakeConcatNode(expr, std::move(args)); break;
    case plan::LIKE: case plan::NOT_LIKE: case plan::ILIKE: case plan::NOT_ILIKE:
      node = MakeLikeNode(expr, std::move(args));
      break;
    case plan::CASE: node = MakeCaseNode(expr, std::move(args)); break;
    case plan::COALESCE: node = MakeCoalesceNode(expr, std::move(args)); break;
    case plan::IN_LIST: node = MakeInListNode(expr, std::move(args)); break;
    case plan::FUNCTION: {
      const std::string& name = call.function();
      node = MakeStringEditFunctionNode(name, expr, args);
      if (!node) node = MakeStringFunctionNode(name, expr, args);
      if (!node) node = MakeMathFunctionNode(name, expr, args);
      if (!node) node = MakeFloatMathFunctionNode(name, expr, args);
      if (!node) node = MakeBitwiseFunctionNode(name, expr, args);
      if (!node) node = MakeTextCodeFunctionNode(name, expr, args);
      if (!node) node = MakeIntervalFunctionNode(name, expr, args);
      if (!node) node = MakeDateFunctionNode(name, expr, args);
      if (!node) node = MakeTimeZoneFunctionNode(name, expr, args);
      if (!node) node = MakeFnvHashNode(name, args);
      if (!node) node = MakeCatalogFunctionNode(name, expr, args);
      if (!node) node = MakeSuperFunctionNode(name, expr, args);
      if (!node) node = MakeSeriesFunctionNode(name, expr, args);
      if (!node) {
        STRATA_USER_ERROR(sqlstate::kUndefinedFunction, "function ", name, " is not supported by the executor");
      }
      break;
    }
    default: STRATA_INTERNAL_ERROR("unsupported expression op ", int(call.op()));
  }
  node->AddColumns(cols);
  return node;
}

ExpressionEvaluator::ExpressionEvaluator(const plan::Expr& expr) : root_(CompileNode(expr)) {}
ExpressionEvaluator::~ExpressionEvaluator() = default;
ExpressionEvaluator::ExpressionEvaluator(ExpressionEvaluator&&) noexcept = default;
ExpressionEvaluator& ExpressionEvaluator::operator=(ExpressionEvaluator&&) noexcept = default;

const Vector& ExpressionEvaluator::EvaluateShared(const Batch& input, Vector* scratch) {
  const Vector& r = root_->Eval(input);
  if (r.type() == root_->type()) return r;
  *scratch = r;
  scratch->SetType(root_->type());
  return *scratch;
}

void ExpressionEvaluator::Evaluate(const Batch& input, Vector* out) {
  const Vector& r = root_->Eval(input);
  if (&r != out) *out = r;
  out->SetType(root_->type());
}

const SqlType& ExpressionEvaluator::type() const { return root_->type(); }

size_t EvaluatePredicate(ExpressionEvaluator& pred, const Batch& input, std::vector<uint32_t>* sel) {
  Vector scratch;
  const Vector& v = pred.EvaluateShared(input, &scratch);
  if (v.physical() != PhysicalType::kBool) STRATA_INTERNAL_ERROR("predicate is not boolean");
  TrueRows(v, input.rows, sel);
  return sel->size();
}

Vector EvaluateConstant(const plan::Expr& expr) {
  ExpressionEvaluator eval(expr);
  Batch one;
  one.rows = 1;
  Vector out;
  eval.Evaluate(one, &out);
  return out;
}

}  // namespace strata
