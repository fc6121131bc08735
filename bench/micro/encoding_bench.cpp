// Encode / decode throughput and compression ratio of every column encoding on TPC-H-like
// columns of 1M values, cut into blocks of 128K rows (about what a 1 MB block holds for a
// BIGINT). LZO is measured as what Strata does for it, LZ4 over the RAW layout; ZSTD as ZSTD
// (level 3) over the RAW layout. Benchmarks are named Encode/<encoding>/<column> and
// Decode/<encoding>/<column>; items/s are values/s and the counter "ratio" is RAW layout bytes
// over encoded (and, for lzo/zstd, compressed) bytes.
#include <benchmark/benchmark.h>
#include <lz4.h>
#include <zstd.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "storage/encoding.h"

namespace strata {
namespace {

constexpr size_t kRows = 1'000'000;
constexpr size_t kBlockRows = 128 * 1024;
constexpr int kZstdLevel = 3;

Vector MakeOrderkey() {
  Vector v(SqlType::Int64(), kRows);
  std::mt19937_64 rng(1);
  // dbgen: orders are sparse (8 of every 32 keys used), each with 1..7 lines.
  int64_t order = 0;
  for (size_t i = 0; i < kRows;) {
    int64_t key = (order / 8) * 32 + order % 8 + 1;
    for (size_t l = 1 + rng() % 7; l > 0 && i < kRows; --l) v.data<int64_t>()[i++] = key;
    ++order;
  }
  return v;
}

Vector MakeQuantity() {
  Vector v(SqlType::Decimal(15, 2), kRows);
  std::mt19937_64 rng(2);
  for (size_t i = 0; i < kRows; ++i) v.data<int64_t>()[i] = static_cast<int64_t>(1 + rng() % 50) * 100;
  return v;
}

Vector MakeShipdate() {
  Vector v(SqlType::Date(), kRows);
  std::mt19937_64 rng(3);
  // 1992-01-02 .. 1998-12-01 as days since 2000-01-01, in order-key (not date) order.
  for (size_t i = 0; i < kRows; ++i) v.data<int32_t>()[i] = -2920 + static_cast<int32_t>(rng() % 2525);
  return v;
}

Vector MakeChoice(SqlType t, std::vector<std::string> choices, uint32_t seed) {
  Vector v(t, kRows);
  std::mt19937_64 rng(seed);
  for (size_t i = 0; i < kRows; ++i) v.SetString(i, choices[rng() % choices.size()]);
  return v;
}

Vector MakeComment() {
  static const char* kWords[] = {"furiously", "carefully", "quickly", "final", "regular", "express", "pending",
                                 "ironic", "deposits", "accounts", "packages", "requests", "theodolites", "slyly",
                                 "blithely", "bold", "even", "special", "unusual", "foxes", "pinto", "beans",
                                 "instructions", "dependencies", "platelets", "sleep", "wake", "haggle", "nag",
                                 "among", "above", "across", "according", "to", "the", "about"};
  Vector v(SqlType::Varchar(44), kRows);
  std::mt19937_64 rng(4);
  std::string s;
  for (size_t i = 0; i < kRows; ++i) {
    size_t target = 10 + rng() % 34;
    s.clear();
    while (s.size() < target) {
      if (!s.empty()) s += ' ';
      s += kWords[rng() % std::size(kWords)];
    }
    s.resize(target);
    v.SetString(i, s);
  }
  return v;
}

std::vector<std::string> Brands() {
  std::vector<std::string> b;
  for (int m = 1; m <= 5; ++m)
    for (int n = 1; n <= 5; ++n) b.push_back("Brand#" + std::to_string(m) + std::to_string(n));
  return b;
}

// The columns, built on first use (so a filtered run builds only what it needs).
const Vector& GetColumn(const std::string& name) {
  static std::map<std::string, Vector> cache;
  auto it = cache.find(name);
  if (it != cache.end()) return it->second;
  Vector v;
  if (name == "l_orderkey") v = MakeOrderkey();
  else if (name == "l_quantity") v = MakeQuantity();
  else if (name == "l_shipdate") v = MakeShipdate();
  else if (name == "l_returnflag") v = MakeChoice(SqlType::Char(1), {"A", "N", "R"}, 5);
  else if (name == "l_comment") v = MakeComment();
  else if (name == "o_orderstatus") v = MakeChoice(SqlType::Char(1), {"F", "O", "P"}, 6);
  else v = MakeChoice(SqlType::Varchar(10), Brands(), 7);
  return cache.emplace(name, std::move(v)).first->second;
}

const char* const kColumnNames[] = {"l_orderkey", "l_quantity", "l_shipdate", "l_returnflag",
                                    "l_comment",  "o_orderstatus", "p_brand"};
const SqlType kColumnTypes[] = {SqlType::Int64(),  SqlType::Decimal(15, 2), SqlType::Date(), SqlType::Char(1),
                                SqlType::Varchar(44), SqlType::Char(1),      SqlType::Varchar(10)};

// EncodeValues plus, for LZO and ZSTD, the whole-payload compression the block writer applies.
std::string EncodeBlock(Encoding e, const Vector& v, size_t begin, size_t end) {
  std::string raw = EncodeValues(e, v, begin, end);
  switch (CompressionOf(e)) {
    case PayloadCompression::kNone: return raw;
    case PayloadCompression::kLz4: {
      std::string out(LZ4_compressBound(static_cast<int>(raw.size())), '\0');
      int n = LZ4_compress_default(raw.data(), out.data(), static_cast<int>(raw.size()), static_cast<int>(out.size()));
      out.resize(n);
      return out;
    }
    case PayloadCompression::kZstd: {
      std::string out(ZSTD_compressBound(raw.size()), '\0');
      size_t n = ZSTD_compress(out.data(), out.size(), raw.data(), raw.size(), kZstdLevel);
      out.resize(n);
      return out;
    }
  }
  return raw;
}

void DecodeBlock(Encoding e, const std::string& block, size_t raw_size, size_t n, Vector* out, std::string* scratch) {
  std::string_view payload = block;
  if (CompressionOf(e) == PayloadCompression::kLz4) {
    scratch->resize(raw_size);
    LZ4_decompress_safe(block.data(), scratch->data(), static_cast<int>(block.size()), static_cast<int>(raw_size));
    payload = *scratch;
  } else if (CompressionOf(e) == PayloadCompression::kZstd) {
    scratch->resize(raw_size);
    ZSTD_decompress(scratch->data(), raw_size, block.data(), block.size());
    payload = *scratch;
  }
  DecodeValues(e, payload, n, out);
}

size_t RawBytes(const Vector& v) {
  size_t total = 0;
  for (size_t b = 0; b < v.size(); b += kBlockRows) total += EncodeValues(Encoding::kRaw, v, b, std::min(v.size(), b + kBlockRows)).size();
  return total;
}

void BM_Encode(benchmark::State& state, Encoding e, std::string column) {
  const Vector& v = GetColumn(column);
  size_t encoded = 0;
  for (auto _ : state) {
    encoded = 0;
    for (size_t b = 0; b < v.size(); b += kBlockRows) {
      std::string block = EncodeBlock(e, v, b, std::min(v.size(), b + kBlockRows));
      encoded += block.size();
      benchmark::DoNotOptimize(block.data());
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * v.size()));
  state.counters["ratio"] = static_cast<double>(RawBytes(v)) / static_cast<double>(encoded);
}

void BM_Decode(benchmark::State& state, Encoding e, std::string column) {
  const Vector& v = GetColumn(column);
  std::vector<std::string> blocks;
  std::vector<size_t> raw_sizes;
  size_t encoded = 0;
  for (size_t b = 0; b < v.size(); b += kBlockRows) {
    size_t end = std::min(v.size(), b + kBlockRows);
    blocks.push_back(EncodeBlock(e, v, b, end));
    raw_sizes.push_back(EncodeValues(e, v, b, end).size());
    encoded += blocks.back().size();
  }
  std::string scratch;
  for (auto _ : state) {
    for (size_t k = 0; k < blocks.size(); ++k) {
      size_t n = std::min(kBlockRows, v.size() - k * kBlockRows);
      Vector out(v.type());
      out.Reserve(n);
      DecodeBlock(e, blocks[k], raw_sizes[k], n, &out, &scratch);
      benchmark::DoNotOptimize(out.data<uint8_t>());
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * v.size()));
  state.counters["ratio"] = static_cast<double>(RawBytes(v)) / static_cast<double>(encoded);
}

const bool kRegistered = [] {
  for (int c = 0; c < static_cast<int>(std::size(kColumnNames)); ++c) {
    for (int i = 0; i < kEncodingCount; ++i) {
      auto e = static_cast<Encoding>(i);
      if (!EncodingAccepts(e, kColumnTypes[c])) continue;
      std::string suffix = std::string(EncodingName(e)) + "/" + kColumnNames[c];
      benchmark::RegisterBenchmark(("Encode/" + suffix).c_str(), BM_Encode, e, std::string(kColumnNames[c]))
          ->Unit(benchmark::kMillisecond);
      benchmark::RegisterBenchmark(("Decode/" + suffix).c_str(), BM_Decode, e, std::string(kColumnNames[c]))
          ->Unit(benchmark::kMillisecond);
    }
  }
  return true;
}();

}  // namespace
}  // namespace strata
