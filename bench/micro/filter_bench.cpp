// A scan filter's AND of several conjuncts (executor/expr_logic.cpp), shaped like TPC-H Q6's:
// a date range that keeps about a seventh of the rows, then a discount range and a quantity
// bound, over batches of kBatchSize rows. `Filter/and5` evaluates the whole predicate and the
// selection of its TRUE rows (EvaluatePredicate); items/s are input rows per second.
#include <benchmark/benchmark.h>

#include <random>

#include "executor/expression.h"
#include "planner/expr_builder.h"

namespace strata {
namespace {

plan::Expr Col(int i, const SqlType& t) { return ColumnExpr(i, t); }
plan::Expr Lit(int64_t v, const SqlType& t) { return Int64Literal(v, t); }
plan::Expr Cmp(plan::Op op, plan::Expr a, plan::Expr b) { return CallExpr(op, SqlType::Bool(), {std::move(a), std::move(b)}); }

void BM_FilterAnd5(benchmark::State& state) {
  const SqlType date = SqlType::Date(), dec = SqlType::Decimal(15, 2);
  Batch b({date, dec, dec});
  b.SetRows(kBatchSize);
  std::mt19937 rng(1);
  for (size_t i = 0; i < kBatchSize; ++i) {
    b.columns[0].data<int32_t>()[i] = static_cast<int32_t>(8036 + rng() % 2557);  // 1992-1998
    b.columns[1].data<int64_t>()[i] = static_cast<int64_t>(rng() % 11);           // 0.00-0.10
    b.columns[2].data<int64_t>()[i] = static_cast<int64_t>(100 + rng() % 5000);   // 1-50
  }
  plan::Expr pred = CallExpr(plan::AND, SqlType::Bool(),
                             {Cmp(plan::GE, Col(0, date), Lit(8766, date)), Cmp(plan::LT, Col(0, date), Lit(9131, date)),
                              Cmp(plan::GE, Col(1, dec), Lit(5, dec)), Cmp(plan::LE, Col(1, dec), Lit(7, dec)),
                              Cmp(plan::LT, Col(2, dec), Lit(2400, dec))});
  ExpressionEvaluator eval(pred);
  std::vector<uint32_t> sel;
  size_t kept = 0;
  for (auto _ : state) {
    kept += EvaluatePredicate(eval, b, &sel);
    benchmark::DoNotOptimize(sel.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kBatchSize));
  state.counters["kept"] = static_cast<double>(kept) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_FilterAnd5)->Name("Filter/and5");

}  // namespace
}  // namespace strata
