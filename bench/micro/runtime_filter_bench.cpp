// A hash join's runtime filter tested on a scan's key column (executor/runtime_filter.h), shaped
// like TPC-H Q11's: 4,000 of 100,000 supplier keys in the filter, INTEGER probe keys spread over
// all of them, batches of kBatchSize rows. `RuntimeFilter/select` is RuntimeFilter::Select over
// a whole batch; items/s are probe rows per second.
#include <benchmark/benchmark.h>

#include <random>

#include "executor/runtime_filter.h"

namespace strata {
namespace {

void BM_RuntimeFilterSelect(benchmark::State& state) {
  std::mt19937 rng(11);
  RuntimeFilter f(4000);
  for (int k = 0; k < 4000; ++k) f.Add(static_cast<int64_t>(1 + rng() % 100000));
  Vector keys(SqlType::Int32(), kBatchSize);
  for (size_t i = 0; i < kBatchSize; ++i) keys.data<int32_t>()[i] = static_cast<int32_t>(1 + rng() % 100000);
  std::vector<uint32_t> out(kBatchSize);
  size_t kept = 0;
  for (auto _ : state) {
    kept += f.Select(keys, nullptr, kBatchSize, out.data());
    benchmark::DoNotOptimize(out.data());
  }
  benchmark::DoNotOptimize(kept);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kBatchSize));
}
BENCHMARK(BM_RuntimeFilterSelect)->Name("RuntimeFilter/select");

}  // namespace
}  // namespace strata
