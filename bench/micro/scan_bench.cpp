// Scan throughput of one sorted BIGINT column through SliceWriter / SliceReader: a full scan
// and a zone-map-pruned scan selecting 0.1% of the rows. The column (100M values, or 5M when
// STRATA_BENCH_SMALL is set) is written once per process into a temporary folder (under
// STRATA_BENCH_DIR, else /dev/shm or /tmp) and removed at exit. Counters: blocks_read and
// blocks_skipped per scan, rows_returned per scan; items/s are table rows covered per second.
//
// Evaluate-on-encoded: a second table (a tenth of the rows) of (code SMALLINT, value BIGINT),
// code cycling through 100 values in runs of 10,000 rows, so every code block holds every code
// and its zone map cannot prune; `where code = 7` reads it with code RUNLENGTH or BYTEDICT
// (tested per run or dictionary entry: only the 1% of matching rows come back, and value
// blocks that hold none of them are never decoded) and with code RAW (every row returned).
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "storage/encoding.h"
#include "storage/manifest_store.h"
#include "storage/slice_reader.h"
#include "storage/slice_writer.h"

namespace strata {
namespace {

class ScanFixture {
 public:
  ScanFixture() {
    rows_ = getenv("STRATA_BENCH_SMALL") ? 5'000'000 : 100'000'000;
    const char* dir = getenv("STRATA_BENCH_DIR");
    std::string base = dir ? dir : (std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "/tmp");
    std::string tmpl = base + "/strata_scan_bench_XXXXXX";
    if (!mkdtemp(tmpl.data())) {
      perror("mkdtemp");
      std::abort();
    }
    root_ = tmpl;
    blocks_ = std::make_unique<BlockStore>(root_);
    Write();
  }
  ~ScanFixture() { std::filesystem::remove_all(root_); }

  const BlockStore& blocks() const { return *blocks_; }
  std::shared_ptr<const storage::SliceManifest> manifest() const { return manifest_; }
  int64_t rows() const { return rows_; }

 private:
  void Write() {
    std::fprintf(stderr, "scan_bench: writing %lld sorted BIGINT values to %s\n", static_cast<long long>(rows_),
                 root_.c_str());
    SliceWriter w(blocks_.get(), {SqlType::Int64()}, 1, 0, nullptr);
    constexpr size_t kChunk = 64 * 1024;
    Batch b({SqlType::Int64()});
    for (int64_t at = 0; at < rows_; at += kChunk) {
      size_t n = static_cast<size_t>(std::min<int64_t>(kChunk, rows_ - at));
      b.SetRows(n);
      int64_t* d = b.columns[0].data<int64_t>();
      for (size_t i = 0; i < n; ++i) d[i] = at + static_cast<int64_t>(i);
      w.Append(b);
      if ((at / kChunk) % 160 == 0) std::fprintf(stderr, "  %lld rows\n", static_cast<long long>(at));
    }
    storage::SliceManifest m = w.Finish();
    ManifestStore manifests(root_);
    manifest_ = manifests.Get(manifests.Put(m));
    std::fprintf(stderr, "scan_bench: done, %d blocks\n", m.columns(0).blocks_size());
  }

  int64_t rows_ = 0;
  std::string root_;
  std::unique_ptr<BlockStore> blocks_;
  std::shared_ptr<const storage::SliceManifest> manifest_;
};

const ScanFixture& Fixture() {
  static ScanFixture f;
  return f;
}

// The (code, value) table of the evaluate-on-encoded benchmark, code in `code_encoding`.
class CodeTable {
 public:
  explicit CodeTable(Encoding code_encoding) {
    rows_ = (getenv("STRATA_BENCH_SMALL") ? 5'000'000 : 100'000'000) / 10;
    std::string base = std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "/tmp";
    std::string tmpl = base + "/strata_code_bench_XXXXXX";
    if (!mkdtemp(tmpl.data())) std::abort();
    root_ = tmpl;
    blocks_ = std::make_unique<BlockStore>(root_);
    std::vector<SqlType> types = {SqlType::Int16(), SqlType::Int64()};
    SliceWriter w(blocks_.get(), types, 1, 0, nullptr);
    w.set_encodings({static_cast<int>(code_encoding), static_cast<int>(Encoding::kRaw)});
    constexpr size_t kChunk = 64 * 1024;
    Batch b(types);
    for (int64_t at = 0; at < rows_; at += kChunk) {
      size_t n = static_cast<size_t>(std::min<int64_t>(kChunk, rows_ - at));
      b.SetRows(n);
      for (size_t i = 0; i < n; ++i) {
        int64_t r = at + static_cast<int64_t>(i);
        b.columns[0].data<int16_t>()[i] = static_cast<int16_t>((r / 10000) % 100);
        b.columns[1].data<int64_t>()[i] = r;
      }
      w.Append(b);
    }
    manifest_ = std::make_shared<const storage::SliceManifest>(w.Finish());
  }
  ~CodeTable() { std::filesystem::remove_all(root_); }

  int64_t rows_ = 0;
  std::string root_;
  std::unique_ptr<BlockStore> blocks_;
  std::shared_ptr<const storage::SliceManifest> manifest_;
};

void RunCodeScan(benchmark::State& state, const CodeTable& t) {
  ZonePredicate eq;
  eq.cmp = ZonePredicate::Cmp::kEq;
  eq.i64 = 7;
  int64_t returned = 0, matched = 0;
  for (auto _ : state) {
    SliceReader reader(t.blocks_.get(), t.manifest_, {0, 1}, {SqlType::Int16(), SqlType::Int64()}, {eq});
    Batch batch;
    int64_t sum = 0;
    returned = matched = 0;
    while (reader.Next(&batch)) {  // the executor's filter, then a sum over the survivors
      const int16_t* code = batch.columns[0].data<int16_t>();
      const int64_t* value = batch.columns[1].data<int64_t>();
      for (size_t i = 0; i < batch.rows; ++i) {
        bool hit = code[i] == 7;
        sum += hit ? value[i] : 0;
        matched += hit;
      }
      returned += static_cast<int64_t>(batch.rows);
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * t.rows_);
  state.counters["rows_returned"] = static_cast<double>(returned);
  state.counters["rows_matching"] = static_cast<double>(matched);
}

void BM_EncodedPredicate_Runlength(benchmark::State& state) {
  static CodeTable t(Encoding::kRunlength);
  RunCodeScan(state, t);
}

void BM_EncodedPredicate_Bytedict(benchmark::State& state) {
  static CodeTable t(Encoding::kBytedict);
  RunCodeScan(state, t);
}

void BM_EncodedPredicate_RawBaseline(benchmark::State& state) {
  static CodeTable t(Encoding::kRaw);
  RunCodeScan(state, t);
}

void RunScan(benchmark::State& state, std::vector<ZonePredicate> preds) {
  const ScanFixture& f = Fixture();
  int64_t returned = 0, read = 0, skipped = 0;
  for (auto _ : state) {
    SliceReader reader(&f.blocks(), f.manifest(), {0}, {SqlType::Int64()}, preds);
    Batch batch;
    int64_t sum = 0;
    returned = 0;
    while (reader.Next(&batch)) {
      const int64_t* d = batch.columns[0].data<int64_t>();
      for (size_t i = 0; i < batch.rows; ++i) sum += d[i];
      returned += static_cast<int64_t>(batch.rows);
    }
    benchmark::DoNotOptimize(sum);
    read = reader.blocks_read();
    skipped = reader.blocks_skipped();
  }
  state.SetItemsProcessed(state.iterations() * f.rows());
  state.counters["rows_returned"] = static_cast<double>(returned);
  state.counters["blocks_read"] = static_cast<double>(read);
  state.counters["blocks_skipped"] = static_cast<double>(skipped);
}

void BM_ScanAll(benchmark::State& state) { RunScan(state, {}); }

void BM_ScanZoneMap(benchmark::State& state) {
  int64_t n = Fixture().rows();
  int64_t lo = n / 2, hi = n / 2 + n / 1000;  // 0.1% of the rows
  ZonePredicate ge, lt;
  ge.cmp = ZonePredicate::Cmp::kGe;
  ge.i64 = lo;
  lt.cmp = ZonePredicate::Cmp::kLt;
  lt.i64 = hi;
  RunScan(state, {ge, lt});
}

BENCHMARK(BM_ScanAll)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ScanZoneMap)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_EncodedPredicate_Runlength)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_EncodedPredicate_Bytedict)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_EncodedPredicate_RawBaseline)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace strata
