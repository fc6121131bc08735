// Small constructors for bound expressions (plan::Expr), used by the binder and planner.
#pragma once

#include <string>

#include "planner/plan.pb.h"
#include "sql/types.h"
#include "sql/vector.h"

namespace strata {

plan::Type ToProtoType(const SqlType& t);
SqlType FromProtoType(const plan::Type& t);
inline SqlType ExprType(const plan::Expr& e) { return FromProtoType(e.type()); }

plan::Expr ColumnExpr(int index, const SqlType& type);
plan::Expr NullLiteral(const SqlType& type);
plan::Expr Int64Literal(int64_t v, const SqlType& type);
plan::Expr StringLiteral(const std::string& s, const SqlType& type);
// The value in row `row` of `v` (of type t) as a literal.
plan::Expr LiteralFromVector(const Vector& v, size_t row, const SqlType& t);
plan::Expr CallExpr(plan::Op op, const SqlType& result, std::vector<plan::Expr> args);
plan::Expr FunctionExpr(const std::string& name, const SqlType& result, std::vector<plan::Expr> args);
// CAST(e AS t), or e itself when it already has type t.
plan::Expr CastExpr(plan::Expr e, const SqlType& t);
// Whether `e` calls a function whose value may differ between two calls on the same row
// (random()): such an expression is neither moved nor copied by the optimizer.
bool IsVolatile(const plan::Expr& e);
// `e` under any CASTs around it (a constant argument is often a literal in a cast).
const plan::Expr& WithoutCasts(const plan::Expr& e);

// True when the expression reads no input column (and no parameter).
bool IsConstantExpr(const plan::Expr& e);
// Adds `delta` to every column index (used when an expression moves above a join's left side).
void ShiftColumns(plan::Expr* e, int delta);
// Rewrites column indexes through `mapping` (old index -> new index).
void RemapColumns(plan::Expr* e, const std::vector<int>& mapping);
// Collects the column indexes an expression reads.
void CollectColumns(const plan::Expr& e, std::vector<int>* out);
// The comparison with its operands swapped (a < b is b > a); other operators as they are.
plan::Op MirrorComparison(plan::Op op);
// The operands of a predicate's top-level ANDs (nested ANDs flattened), in order.
void ConjunctsOf(const plan::Expr& e, std::vector<const plan::Expr*>* out);

}  // namespace strata
