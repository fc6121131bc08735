// The sort operator (executor/sort_operator.h) on TPC-H Q16's final ORDER BY: 18,000 rows by
// supplier_cnt DESC (BIGINT, few values), p_brand (CHAR(10)), p_type (VARCHAR(25)), p_size
// (INTEGER). `Sort/q16_keys` sorts and drains them; items/s are rows per second.
#include <benchmark/benchmark.h>

#include <memory>
#include <random>
#include <string>

#include "executor/sort_operator.h"
#include "planner/expr_builder.h"

namespace strata {
namespace {

class OneBatch : public Operator {
 public:
  explicit OneBatch(const Batch& b) : b_(b) {}
  bool Next(Batch* out) override {
    if (done_) return false;
    done_ = true;
    *out = Batch(b_.Types());
    out->AppendAll(b_);
    return true;
  }

 private:
  const Batch& b_;
  bool done_ = false;
};

void BM_SortQ16Keys(benchmark::State& state) {
  const std::vector<SqlType> types = {SqlType::Int64(), SqlType::Char(10), SqlType::Varchar(25), SqlType::Int32()};
  const size_t n = 18000;
  std::mt19937 rng(3);
  const char* words[] = {"STANDARD", "SMALL", "MEDIUM", "LARGE", "ECONOMY", "PROMO"};
  const char* finish[] = {"ANODIZED", "BURNISHED", "PLATED", "POLISHED", "BRUSHED"};
  const char* metal[] = {"TIN", "NICKEL", "BRASS", "STEEL", "COPPER"};
  Batch b(types);
  b.SetRows(n);
  for (size_t i = 0; i < n; ++i) {
    b.columns[0].data<int64_t>()[i] = static_cast<int64_t>(4 * (1 + rng() % 4));
    b.columns[1].SetString(i, "Brand#" + std::to_string(11 + rng() % 5) + std::to_string(1 + rng() % 5) + "  ");
    b.columns[2].SetString(i, std::string(words[rng() % 6]) + " " + finish[rng() % 5] + " " + metal[rng() % 5]);
    b.columns[3].data<int32_t>()[i] = static_cast<int32_t>(1 + rng() % 50);
  }
  plan::Sort spec;
  spec.set_limit(-1);
  for (int c = 0; c < 4; ++c) {
    auto* k = spec.add_keys();
    *k->mutable_expr() = ColumnExpr(c, types[c]);
    k->set_desc(c == 0);
    k->set_nulls_first(c == 0);
  }
  for (auto _ : state) {
    auto op = MakeSort(spec, std::make_unique<OneBatch>(b), types);
    Batch out;
    size_t rows = 0;
    while (op->Next(&out)) rows += out.rows;
    benchmark::DoNotOptimize(rows);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
}
BENCHMARK(BM_SortQ16Keys)->Name("Sort/q16_keys");

}  // namespace
}  // namespace strata
