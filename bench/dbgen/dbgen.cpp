// GenerateTpch: for each requested table (or parent/child pair), cut the key range into
// fixed-size chunks, generate them with RunOrderedChunks and append them to the files in order.
// Chunk sizes are constants, never derived from the thread count, though determinism does not
// depend on them either: every value is a function of its row index.
#include "bench/dbgen/dbgen.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include "bench/dbgen/chunk_pipeline.h"
#include "bench/dbgen/progress_bar.h"
#include "bench/dbgen/table_rows.h"

namespace strata::dbgen {
namespace {

// One output file, written under a temporary name and renamed when complete.
class TableFile {
 public:
  TableFile(const std::filesystem::path& dir, TpchTable table)
      : final_path_(dir / (std::string(TableName(table)) + ".tbl")),
        partial_path_(dir / (std::string(TableName(table)) + ".tbl.partial")) {
    file_ = std::fopen(partial_path_.c_str(), "wb");
    if (file_ == nullptr) Fail("cannot create");
  }
  TableFile(const TableFile&) = delete;
  TableFile& operator=(const TableFile&) = delete;
  ~TableFile() {
    if (file_ != nullptr) {
      std::fclose(file_);
      std::error_code ignored;
      std::filesystem::remove(partial_path_, ignored);
    }
  }

  void Write(const std::string& text) {
    if (!text.empty() && std::fwrite(text.data(), 1, text.size(), file_) != text.size()) {
      Fail("cannot write");
    }
  }
  void Commit() {
    std::FILE* f = file_;
    file_ = nullptr;
    if (std::fclose(f) != 0) Fail("cannot close");
    std::error_code ec;
    std::filesystem::rename(partial_path_, final_path_, ec);
    if (ec) throw std::runtime_error("cannot rename " + partial_path_.string() + ": " + ec.message());
  }

 private:
  [[noreturn]] void Fail(const char* what) {
    throw std::runtime_error(std::string(what) + " " + partial_path_.string() + ": " +
                             std::strerror(errno));
  }

  std::filesystem::path final_path_;
  std::filesystem::path partial_path_;
  std::FILE* file_ = nullptr;
};

// Generates `rows` driving rows in chunks of `chunk_rows` into up to two files.
// make(begin, end, first, second) fills the buffers of the requested outputs (null = skipped).
template <typename MakeRows>
void GenerateChunked(const DbgenOptions& options, int threads, ProgressBar& progress,
                     std::string_view label, int64_t rows, int64_t chunk_rows,
                     std::array<std::optional<TpchTable>, 2> outputs,
                     std::array<size_t, 2> bytes_per_row, MakeRows make) {
  std::array<std::unique_ptr<TableFile>, 2> files;
  for (int i = 0; i < 2; ++i) {
    if (outputs[i]) files[i] = std::make_unique<TableFile>(options.out_dir, *outputs[i]);
  }
  const int64_t chunks = (rows + chunk_rows - 1) / chunk_rows;
  progress.Start(label, rows);
  RunOrderedChunks(
      chunks, threads,
      [&](int64_t chunk) {
        const int64_t begin = chunk * chunk_rows;
        const int64_t end = std::min(rows, begin + chunk_rows);
        std::array<std::optional<RowBuffer>, 2> buffers;
        for (int i = 0; i < 2; ++i) {
          if (files[i]) buffers[i].emplace(static_cast<size_t>(end - begin) * bytes_per_row[i]);
        }
        make(begin, end, buffers[0] ? &*buffers[0] : nullptr, buffers[1] ? &*buffers[1] : nullptr);
        ChunkTexts texts(2);
        for (int i = 0; i < 2; ++i) {
          if (buffers[i]) texts[i] = buffers[i]->Take();
        }
        return texts;
      },
      [&](int64_t chunk, ChunkTexts& texts) {
        for (int i = 0; i < 2; ++i) {
          if (files[i]) files[i]->Write(texts[i]);
        }
        const int64_t begin = chunk * chunk_rows;
        progress.Advance(std::min(rows, begin + chunk_rows) - begin);
      });
  for (auto& file : files) {
    if (file) file->Commit();
  }
  progress.Finish();
}

}  // namespace

void GenerateTpch(const DbgenOptions& options) {
  if (!(options.scale_factor > 0) || !std::isfinite(options.scale_factor)) {
    throw std::runtime_error("scale factor must be a positive number");
  }
  if (options.out_dir.empty()) throw std::runtime_error("no output directory");
  std::error_code ec;
  std::filesystem::create_directories(options.out_dir, ec);
  if (ec) throw std::runtime_error("cannot create " + options.out_dir.string() + ": " + ec.message());

  std::array<bool, kTpchTableCount> wanted{};
  if (options.tables.empty()) wanted.fill(true);
  for (TpchTable t : options.tables) wanted[static_cast<int>(t)] = true;
  auto want = [&](TpchTable t) -> std::optional<TpchTable> {
    return wanted[static_cast<int>(t)] ? std::optional<TpchTable>(t) : std::nullopt;
  };

  int threads = options.parallel;
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

  GenContext ctx;
  ctx.counts = CountsForScale(options.scale_factor);
  ctx.pool = &TextPool::Instance();
  ProgressBar progress(options.progress);

  if (want(TpchTable::kRegion)) {
    GenerateChunked(options, 1, progress, "region", 1, 1, {want(TpchTable::kRegion), std::nullopt},
                    {128, 0}, [&](int64_t, int64_t, RowBuffer* out, RowBuffer*) {
                      RegionRows(ctx, *out);
                    });
  }
  if (want(TpchTable::kNation)) {
    GenerateChunked(options, 1, progress, "nation", 1, 1, {want(TpchTable::kNation), std::nullopt},
                    {128 * 25, 0}, [&](int64_t, int64_t, RowBuffer* out, RowBuffer*) {
                      NationRows(ctx, *out);
                    });
  }
  if (want(TpchTable::kSupplier)) {
    GenerateChunked(options, threads, progress, "supplier", ctx.counts.suppliers, 4096,
                    {want(TpchTable::kSupplier), std::nullopt}, {160, 0},
                    [&](int64_t begin, int64_t end, RowBuffer* out, RowBuffer*) {
                      SupplierRows(ctx, begin, end, *out);
                    });
  }
  if (want(TpchTable::kCustomer)) {
    GenerateChunked(options, threads, progress, "customer", ctx.counts.customers, 8192,
                    {want(TpchTable::kCustomer), std::nullopt}, {170, 0},
                    [&](int64_t begin, int64_t end, RowBuffer* out, RowBuffer*) {
                      CustomerRows(ctx, begin, end, *out);
                    });
  }
  if (want(TpchTable::kPart) || want(TpchTable::kPartsupp)) {
    GenerateChunked(options, threads, progress, "part", ctx.counts.parts, 4096,
                    {want(TpchTable::kPart), want(TpchTable::kPartsupp)}, {130, 4 * 150},
                    [&](int64_t begin, int64_t end, RowBuffer* part, RowBuffer* partsupp) {
                      PartRows(ctx, begin, end, part, partsupp);
                    });
  }
  if (want(TpchTable::kOrders) || want(TpchTable::kLineitem)) {
    GenerateChunked(options, threads, progress, "orders", ctx.counts.orders, 4096,
                    {want(TpchTable::kOrders), want(TpchTable::kLineitem)}, {115, 4 * 135},
                    [&](int64_t begin, int64_t end, RowBuffer* orders, RowBuffer* lineitem) {
                      OrderRows(ctx, begin, end, orders, lineitem);
                    });
  }
}

}  // namespace strata::dbgen
