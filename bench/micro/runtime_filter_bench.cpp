// A hash join's runtime filter tested on a scan's key column (executor/runtime_filter.h), shaped
// like TPC-H Q11's: 4,000 of 100,000 supplier keys in the filter, INTEGER probe keys spread over
// all of them, batches of kBatchSize rows. `RuntimeFilter/select` is RuntimeFilter::Select over
// a whole batch with a Bloom filter (keys of any range), `RuntimeFilter/select_bitmap` the same
// with the bitmap over the keys' range the hash join now makes for them; items/s are probe rows
// per second.
#include <benchmark/benchmark.h>

#include <random>

#include "executor/runtime_filter.h"

namespace strata {
namespace {

void Select(benchmark::State& state, bool bitmap) {
  std::mt19937 rng(11);
  RuntimeFilter f = bitmap ? RuntimeFilter(4000, 1, 100000) : RuntimeFilter(4000);
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
void BM_RuntimeFilterSelect(benchmark::State& state) { Select(state, false); }
void BM_RuntimeFilterSelectBitmap(benchmark::State& state) { Select(state, true); }
BENCHMARK(BM_RuntimeFilterSelect)->Name("RuntimeFilter/select");
BENCHMARK(BM_RuntimeFilterSelectBitmap)->Name("RuntimeFilter/select_bitmap");

}  // namespace
}  // namespace strata
