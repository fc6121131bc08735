// Vectorized evaluation of bound scalar expressions (plan::Expr) over batches.
//
// An ExpressionEvaluator compiles a plan::Expr once into a tree of typed evaluation nodes
// (executor/expr_node.h): all proto walking, function-name lookup and type dispatch happen at
// construction, so Evaluate() runs only typed loops over whole vectors. NULLs travel in each
// vector's per-row null byte. Semantics follow PostgreSQL 15 (overflow and division errors,
// three-valued logic, lazily evaluated CASE/COALESCE/AND/OR branches).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "planner/expr_builder.h"  // FromProtoType / ToProtoType
#include "planner/plan.pb.h"
#include "sql/types.h"
#include "sql/vector.h"

namespace strata {

class ExprNode;

// Compiled once per operator instance; Evaluate may be called on many batches. Not thread-safe
// (one per slice thread): nodes keep their scratch vectors between calls.
class ExpressionEvaluator {
 public:
  explicit ExpressionEvaluator(const plan::Expr& expr);
  ~ExpressionEvaluator();
  ExpressionEvaluator(ExpressionEvaluator&&) noexcept;
  ExpressionEvaluator& operator=(ExpressionEvaluator&&) noexcept;

  // Evaluates over all rows of `input`; `out` becomes input.rows rows of type().
  void Evaluate(const Batch& input, Vector* out);
  // The same result without a copy, for a caller that only reads it: input's own column when
  // the expression is one, else the evaluator's scratch vector (valid until the next evaluation
  // or until `input` changes); a copy in *scratch only when the column's type is not type() (a
  // column of the NULL type read as another).
  const Vector& EvaluateShared(const Batch& input, Vector* scratch);
  const SqlType& type() const;

 private:
  std::unique_ptr<ExprNode> root_;
};

// Fills `sel` with the indices of rows where the boolean predicate is TRUE (not NULL, not
// false) and returns their count.
size_t EvaluatePredicate(ExpressionEvaluator& pred, const Batch& input, std::vector<uint32_t>* sel);


// Evaluates an expression that reads no columns into a 1-row vector.
Vector EvaluateConstant(const plan::Expr& expr);

}  // namespace strata
