// The compiled form of a bound expression: a tree of ExprNodes, each evaluating one operator
// over a whole batch with typed loops. Internal to executor/expr_*.cpp; operators use
// ExpressionEvaluator (executor/expression.h).
//
// Contract: Eval(input) evaluates over rows [0, input.rows) and returns a vector of exactly
// that many rows, valid until the next Eval call on the same node. It may be one of input's
// columns (a column reference returns it without copying). Rows marked NULL may hold any
// value; kernels mask their error checks with the null bytes so garbage never raises.
//
// Lazy evaluation (CASE branches, COALESCE arguments, the right side of AND/OR) runs a node on
// a subset of rows: SubsetEvaluator gathers just the columns the subtree reads into a small
// batch, evaluates, and the caller scatters the results back (ScatterRows).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "executor/expression.h"
#include "planner/plan.pb.h"
#include "sql/types.h"
#include "sql/vector.h"

namespace strata {

class ExprNode {
 public:
  explicit ExprNode(SqlType type) : type_(type), result_(type) {}
  virtual ~ExprNode() = default;
  ExprNode(const ExprNode&) = delete;
  ExprNode& operator=(const ExprNode&) = delete;

  virtual const Vector& Eval(const Batch& input) = 0;

  const SqlType& type() const { return type_; }
  // Input columns this subtree reads (sorted, unique).
  const std::vector<int>& columns() const { return columns_; }
  void AddColumns(const std::vector<int>& cols);

 protected:
  // Prepares result_ for n rows with all null bytes cleared. A string result gets a fresh
  // vector (and heap) each batch, so heaps do not grow across batches; consumers that kept
  // views of earlier batches hold those heaps alive.
  Vector& ResetResult(size_t n);

  SqlType type_;
  Vector result_;
  std::vector<int> columns_;
};

using NodePtr = std::unique_ptr<ExprNode>;

// Row i of an integer vector (smallint, integer or bigint), widened.
inline int64_t IntegerAt(const Vector& v, size_t i) {
  switch (v.type().physical()) {
    case PhysicalType::kInt16: return v.data<int16_t>()[i];
    case PhysicalType::kInt32: return v.data<int32_t>()[i];
    default: return v.data<int64_t>()[i];
  }
}
using NodeList = std::vector<NodePtr>;

// Gathers rows sel[0..n) of the columns `node` reads and evaluates `node` on them.
class SubsetEvaluator {
 public:
  const Vector& Eval(ExprNode& node, const Batch& input, const uint32_t* sel, size_t n);

 private:
  Batch sub_;
};

// dst[dst_rows[i]] = src[src_rows[i]] (value and null byte) for i < n, src_rows == nullptr
// meaning src[i]; string heaps are shared.
void ScatterRows(const Vector& src, const uint32_t* src_rows, const uint32_t* dst_rows, size_t n, Vector* dst);
// The indices of the rows of a boolean vector that are TRUE (non-null and set).
void TrueRows(const Vector& v, size_t n, std::vector<uint32_t>* rows);
// Evaluates `node` on rows[] of input: directly when rows covers the whole batch, else through
// `subset`. The result has rows.size() rows.
const Vector& EvalOnRows(ExprNode& node, SubsetEvaluator& subset, const Batch& input,
                         const std::vector<uint32_t>& rows);

// Factories, one per family of operators (defined in expr_<family>.cpp). `expr` is the call
// being compiled; `args` its compiled arguments.
NodePtr CompileNode(const plan::Expr& expr);
NodePtr MakeColumnNode(const plan::Expr& expr);
NodePtr MakeLiteralNode(const plan::Expr& expr);
NodePtr MakeArithmeticNode(const plan::Expr& expr, NodeList args);
NodePtr MakeComparisonNode(const plan::Expr& expr, NodeList args);
NodePtr MakeInListNode(const plan::Expr& expr, NodeList args);
NodePtr MakeLogicNode(const plan::Expr& expr, NodeList args);
NodePtr MakeCaseNode(const plan::Expr& expr, NodeList args);
NodePtr MakeCoalesceNode(const plan::Expr& expr, NodeList args);
// `assignment`: INSERT rules (an overlong string raises 22001 instead of being truncated).
NodePtr MakeCastNode(const SqlType& target, NodePtr arg, bool assignment = false);
NodePtr MakeConcatNode(const plan::Expr& expr, NodeList args);
NodePtr MakeLikeNode(const plan::Expr& expr, NodeList args);
// FUNCTION by name; returns nullptr when the name is not one of the family's.
NodePtr MakeStringFunctionNode(const std::string& name, const plan::Expr& expr, NodeList& args);
// lpad, rpad, reverse, repeat, ascii, chr, initcap, translate, concat_ws, md5 and the trims of
// a character set: executor/expr_string_edit.cpp.
NodePtr MakeStringEditFunctionNode(const std::string& name, const plan::Expr& expr, NodeList& args);
NodePtr MakeMathFunctionNode(const std::string& name, const plan::Expr& expr, NodeList& args);
// sqrt, cbrt, exp, ln, log, power, sign, trigonometry, pi in double precision:
// executor/expr_float_math.cpp.
NodePtr MakeFloatMathFunctionNode(const std::string& name, const plan::Expr& expr, NodeList& args);
// The integer bitwise operators & | # ~ << >>: executor/expr_bitwise.cpp.
NodePtr MakeBitwiseFunctionNode(const std::string& name, const plan::Expr& expr, NodeList& args);
// sha1, sha2, crc32, to_hex, strtol, soundex, difference: executor/expr_text_codes.cpp.
NodePtr MakeTextCodeFunctionNode(const std::string& name, const plan::Expr& expr, NodeList& args);
NodePtr MakeDateFunctionNode(const std::string& name, const plan::Expr& expr, NodeList& args);
// Redshift's fnv_hash(value [, seed]): executor/expr_fnv_hash.cpp.
NodePtr MakeFnvHashNode(const std::string& name, NodeList& args);
// timezone (AT TIME ZONE) and convert_timezone: executor/expr_time_zone.cpp.
NodePtr MakeTimeZoneFunctionNode(const std::string& name, const plan::Expr& expr, NodeList& args);
// The INTERVAL / TIME / TIMETZ operators and functions: executor/expr_interval.cpp.
NodePtr MakeIntervalFunctionNode(const std::string& name, const plan::Expr& expr, NodeList& args);
// The catalog functions (regex match, array literals, format_type, quote_ident, ...):
// executor/expr_catalog.cpp.
NodePtr MakeCatalogFunctionNode(const std::string& name, const plan::Expr& expr, NodeList& args);
// SUPER (executor/expr_super.cpp): its functions, and CAST to or from SUPER.
NodePtr MakeSuperFunctionNode(const std::string& name, const plan::Expr& expr, NodeList& args);
NodePtr MakeSuperCastNode(const SqlType& target, NodePtr arg, bool assignment);
// generate_series over timestamps and numerics (executor/expr_series.cpp).
NodePtr MakeSeriesFunctionNode(const std::string& name, const plan::Expr& expr, NodeList& args);

// Comparison kernel shared by comparisons, IN lists, NULLIF and GREATEST/LEAST: writes
// out[i] = (a[i] op b[i]) for non-null pairs and sets out's null byte where either is NULL.
// a and b have the same type up to decimal precision/scale (rescaled here) and CHAR padding.
void CompareVectors(plan::Op op, const Vector& a, const Vector& b, size_t n, Vector* out);

// "smallint out of range" etc. for integer overflow errors.
[[noreturn]] void ThrowIntegerOutOfRange(TypeId id);
[[noreturn]] void ThrowNumericOverflow();
[[noreturn]] void ThrowDivisionByZero();

}  // namespace strata
