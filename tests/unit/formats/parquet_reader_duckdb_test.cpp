// Parquet files written by DuckDB, read by Strata, and the reverse. tests/tools/
// parquet_fixtures.mjs writes the files (several codecs, dictionary and plain pages, data page
// v2 with DELTA encodings, several row groups, NULLs, decimals, dates, timestamps) and prints
// DuckDB's own counts, sums and sample values; the same summary is computed here from what
// ParquetReader reads and the two are compared key by key.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <unistd.h>
#include <sstream>

#include "formats/parquet_codec.h"
#include "formats/parquet_reader.h"
#include "formats/parquet_writer.h"
#include "sql/error.h"

namespace strata {
namespace {

namespace fs = std::filesystem;
using Summary = std::map<std::string, std::string>;

const fs::path kToolsDir = fs::path(__FILE__).parent_path().parent_path().parent_path() / "tools";

std::string RunCommand(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int rc = pclose(p);
  if (rc != 0) ADD_FAILURE() << "command failed (" << rc << "): " << cmd << "\n" << out;
  return out;
}

// The script prints one flat JSON object of string values.
Summary ParseFlatJson(const std::string& json) {
  Summary m;
  static const std::regex kPair("\"([^\"]*)\":\"([^\"]*)\"");
  for (std::sregex_iterator it(json.begin(), json.end(), kPair), end; it != end; ++it) m[(*it)[1]] = (*it)[2];
  return m;
}

std::string Int128Text(int128 v, int scale) {
  bool neg = v < 0;
  unsigned __int128 u = neg ? -static_cast<unsigned __int128>(v) : static_cast<unsigned __int128>(v);
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
  } while (u != 0);
  if (scale > 0) {
    while (static_cast<int>(digits.size()) <= scale) digits.insert(digits.begin(), '0');
    digits.insert(digits.end() - scale, '.');
  }
  return (neg ? "-" : "") + digits;
}

SqlType TargetFor(const ParquetColumn& c) {
  using parquet::LogicalKind;
  using parquet::PhysType;
  if (c.logical.kind == LogicalKind::kDecimal) return SqlType::Decimal(c.logical.precision, c.logical.scale);
  if (c.logical.kind == LogicalKind::kDate) return SqlType::Date();
  if (c.logical.kind == LogicalKind::kTimestamp || c.physical == PhysType::kInt96) return SqlType::Timestamp();
  switch (c.physical) {
    case PhysType::kBoolean: return SqlType::Bool();
    case PhysType::kInt32: return c.logical.kind == LogicalKind::kInteger && c.logical.bit_width == 16 ? SqlType::Int16() : SqlType::Int32();
    case PhysType::kInt64: return SqlType::Int64();
    case PhysType::kFloat: return SqlType::Float32();
    case PhysType::kDouble: return SqlType::Float64();
    default: return SqlType::Text();
  }
}

// The same metrics the script computes, from what ParquetReader returns.
Summary Summarize(ParquetReader& reader, const std::string& key) {
  Summary out;
  const auto& cols = reader.columns();
  std::vector<int> idx;
  std::vector<SqlType> types;
  for (const auto& c : cols) {
    idx.push_back(c.index);
    types.push_back(TargetFor(c));
  }
  size_t n = cols.size();
  std::vector<int64_t> count(n, 0), trues(n, 0), len(n, 0);
  std::vector<int128> isum(n, 0);
  std::vector<double> fsum(n, 0);
  int64_t rows = reader.rows();
  std::set<int64_t> picks = {1, 2, rows - 1};
  int64_t row = 0;
  for (int rg = 0; rg < reader.row_groups(); ++rg) {
    reader.ReadRowGroup(rg, idx, types, [&](Batch& b) {
      for (size_t j = 0; j < n; ++j) {
        const Vector& v = b.columns[j];
        const SqlType& t = types[j];
        for (size_t k = 0; k < b.rows; ++k) {
          int64_t r = row + static_cast<int64_t>(k);
          std::string text = "null";
          if (!v.IsNull(k)) {
            ++count[j];
            switch (t.id) {
              case TypeId::kBool: trues[j] += v.data<uint8_t>()[k]; text = v.data<uint8_t>()[k] ? "true" : "false"; break;
              case TypeId::kInt16: isum[j] += v.data<int16_t>()[k]; text = std::to_string(v.data<int16_t>()[k]); break;
              case TypeId::kInt32: isum[j] += v.data<int32_t>()[k]; text = std::to_string(v.data<int32_t>()[k]); break;
              case TypeId::kInt64: isum[j] += v.data<int64_t>()[k]; text = std::to_string(v.data<int64_t>()[k]); break;
              case TypeId::kDecimal: {
                int128 x = t.precision <= 18 ? v.data<int64_t>()[k] : v.data<int128>()[k];
                isum[j] += x;
                text = Int128Text(x, t.scale);
                break;
              }
              case TypeId::kFloat32: fsum[j] += v.data<float>()[k]; text = "skip"; break;
              case TypeId::kFloat64: fsum[j] += v.data<double>()[k]; text = "skip"; break;
              case TypeId::kDate: isum[j] += v.data<int32_t>()[k] + 10957; text = "skip"; break;
              case TypeId::kTimestamp: isum[j] += v.data<int64_t>()[k] + 946684800000000LL; text = "skip"; break;
              default: len[j] += v.data<std::string_view>()[k].size(); text = std::string(v.data<std::string_view>()[k]); break;
            }
          }
          if (picks.count(r) && text != "skip") out[key + "|" + cols[j].name + "|v" + std::to_string(r)] = text;
        }
      }
      row += static_cast<int64_t>(b.rows);
    });
  }
  out[key + "|rows"] = std::to_string(row);
  for (size_t j = 0; j < n; ++j) {
    std::string p = key + "|" + cols[j].name + "|";
    out[p + "count"] = std::to_string(count[j]);
    switch (types[j].id) {
      case TypeId::kBool: out[p + "true"] = std::to_string(trues[j]); break;
      case TypeId::kFloat32: case TypeId::kFloat64: {
        std::ostringstream s;
        s.precision(17);
        s << fsum[j];
        out[p + "sum"] = s.str();
        break;
      }
      case TypeId::kText: out[p + "len"] = std::to_string(len[j]); break;
      default: out[p + "sum"] = Int128Text(isum[j], types[j].id == TypeId::kDecimal ? types[j].scale : 0); break;
    }
  }
  return out;
}

// Every key DuckDB reported for `key` must match; returns the number compared.
int Compare(const Summary& duck, const Summary& mine, const std::string& key) {
  int compared = 0;
  for (const auto& [k, v] : duck) {
    if (k.rfind(key + "|", 0) != 0) continue;
    auto it = mine.find(k);
    if (it == mine.end()) {
      // Sample values of floats, dates and timestamps are not rendered here.
      bool sample = k.find("|v") != std::string::npos;
      if (!sample) ADD_FAILURE() << "missing " << k;
      continue;
    }
    ++compared;
    if (k.size() > 4 && k.substr(k.size() - 4) == "|sum" && (v.find('e') != std::string::npos || v.find('.') != std::string::npos) &&
        it->second.find('.') == std::string::npos && v.find(".0") == std::string::npos) {
      EXPECT_EQ(v, it->second) << k;
      continue;
    }
    char* end = nullptr;
    double dv = std::strtod(v.c_str(), &end);
    bool numeric = end != v.c_str() && *end == '\0';
    if (numeric && v != it->second && (v.find('.') != std::string::npos || v.find('e') != std::string::npos) &&
        k.find("|v") == std::string::npos) {
      double mv = std::strtod(it->second.c_str(), nullptr);
      bool exact_decimal = it->second.find('.') != std::string::npos && it->second.find('e') == std::string::npos;
      if (exact_decimal && v.find('e') == std::string::npos) {
        EXPECT_EQ(v, it->second) << k;  // decimals compare as exact text
      } else {
        EXPECT_NEAR(dv, mv, std::abs(dv) * 1e-9 + 1e-9) << k;
      }
    } else {
      EXPECT_EQ(v, it->second) << k;
    }
  }
  return compared;
}

class DuckDbParquet : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("strata_parquet_" + std::to_string(getpid()));
    fs::create_directories(dir_);
    if (!fs::exists(kToolsDir / "node_modules" / "@duckdb" / "node-api")) {
      setup_error_ = "tests/tools/node_modules/@duckdb/node-api is missing: run npm install in " + kToolsDir.string();
      return;
    }
    std::string json = RunCommand("cd '" + kToolsDir.string() + "' && /usr/bin/node parquet_fixtures.mjs '" +
                                  dir_.string() + "' 2>&1");
    duck_ = ParseFlatJson(json);
    if (duck_.empty()) setup_error_ = "parquet_fixtures.mjs printed no summary: " + json;
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }
  void SetUp() override {
    if (!setup_error_.empty()) FAIL() << setup_error_;
  }

  static std::string ReadFileBytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  static inline fs::path dir_;
  static inline Summary duck_;
  static inline std::string setup_error_;
};

TEST_F(DuckDbParquet, ReadsEveryFixtureLikeDuckDb) {
  for (const char* name : {"snappy.parquet", "gzip.parquet", "zstd.parquet", "lz4raw.parquet", "uncompressed.parquet",
                           "v2.parquet", "rowgroups.parquet"}) {
    SCOPED_TRACE(name);
    MemorySource src(name, ReadFileBytes(dir_ / name));
    ParquetReader reader(&src);
    EXPECT_EQ(15u, reader.columns().size());
    Summary mine = Summarize(reader, name);
    EXPECT_GT(Compare(duck_, mine, name), 50);
    if (std::string(name) == "rowgroups.parquet") EXPECT_GE(reader.row_groups(), 4);
  }
}

TEST_F(DuckDbParquet, V2FileUsesDeltaEncodingsAndStatsWork) {
  MemorySource src("v2.parquet", ReadFileBytes(dir_ / "v2.parquet"));
  ParquetReader reader(&src);
  std::set<parquet::Encoding> seen;
  for (const auto& c : reader.metadata().row_groups[0].columns) seen.insert(c.meta_data.encodings.begin(), c.meta_data.encodings.end());
  EXPECT_TRUE(seen.count(parquet::Encoding::kDeltaBinaryPacked));
  // i64 = i * 1000003 - 5e9 over i in [0, 10000): statistics give the exact range.
  int col = -1;
  for (const auto& c : reader.columns()) if (c.name == "i64") col = c.index;
  ASSERT_GE(col, 0);
  ParquetStats st;
  ASSERT_TRUE(reader.ColumnStats(0, col, SqlType::Int64(), &st));
  ASSERT_TRUE(st.has_min_max);
  EXPECT_TRUE(st.min_int == -5000000000LL);
  EXPECT_TRUE(st.max_int == 9999LL * 1000003 - 5000000000LL);
}

TEST_F(DuckDbParquet, NestedColumnIs0A000FlatNeighbourReads) {
  MemorySource src("nested.parquet", ReadFileBytes(dir_ / "nested.parquet"));
  ParquetReader reader(&src);
  int l = -1, x = -1;
  for (const auto& c : reader.columns()) {
    if (c.name.rfind("l", 0) == 0) l = c.index;
    if (c.name == "x") x = c.index;
  }
  ASSERT_GE(l, 0);
  ASSERT_GE(x, 0);
  EXPECT_TRUE(reader.columns()[l].nested);
  int64_t sum = 0;
  reader.ReadRowGroup(0, {x}, {SqlType::Int64()}, [&](Batch& b) {
    for (size_t i = 0; i < b.rows; ++i) sum += b.columns[0].data<int64_t>()[i];
  });
  EXPECT_EQ(45, sum);
  try {
    reader.ReadRowGroup(0, {l}, {SqlType::Int64()}, [](Batch&) {});
    FAIL() << "expected 0A000";
  } catch (const SqlError& e) {
    EXPECT_EQ("0A000", e.sqlstate());
  }
}

TEST_F(DuckDbParquet, DuckDbReadsWhatStrataWrites) {
  std::vector<std::pair<std::string, SqlType>> cols = {
      {"b", SqlType::Bool()}, {"s16", SqlType::Int16()}, {"i", SqlType::Int32()}, {"l", SqlType::Int64()},
      {"d12", SqlType::Decimal(12, 3)}, {"d30", SqlType::Decimal(30, 5)}, {"r", SqlType::Float32()},
      {"dd", SqlType::Float64()}, {"v", SqlType::Varchar(20)}, {"c", SqlType::Char(3)}, {"dt", SqlType::Date()},
      {"ts", SqlType::Timestamp()}};
  for (parquet::Codec codec : {parquet::Codec::kSnappy, parquet::Codec::kZstd, parquet::Codec::kGzip}) {
    MemorySink sink;
    ParquetWriteOptions opts;
    opts.codec = codec;
    opts.row_group_rows = 2500;
    opts.page_rows = 1000;
    ParquetWriter w(&sink, cols, opts);
    std::vector<SqlType> types;
    for (auto& c : cols) types.push_back(c.second);
    for (int64_t start = 0; start < 6000; start += 1500) {
      Batch b(types);
      b.SetRows(1500);
      for (size_t k = 0; k < 1500; ++k) {
        int64_t r = start + static_cast<int64_t>(k);
        for (size_t j = 0; j < cols.size(); ++j) b.columns[j].SetNull(k, (r + j) % 9 == 0);
        b.columns[0].data<uint8_t>()[k] = r % 4 == 1;
        b.columns[1].data<int16_t>()[k] = static_cast<int16_t>(r % 1000 - 300);
        b.columns[2].data<int32_t>()[k] = static_cast<int32_t>(r * 997 - 1000000);
        b.columns[3].data<int64_t>()[k] = r * 123456789012LL - 7;
        b.columns[4].data<int64_t>()[k] = r * 1234 - 99999;
        b.columns[5].data<int128>()[k] = static_cast<int128>(r - 3000) * 1000000000000000000LL * 1000 + 12345;
        b.columns[6].data<float>()[k] = static_cast<float>(r) / 16;
        b.columns[7].data<double>()[k] = static_cast<double>(r) * 0.5 - 17;
        b.columns[8].SetString(k, "val" + std::to_string(r % 250));
        b.columns[9].SetString(k, std::string(r % 4, 'z'));
        b.columns[10].data<int32_t>()[k] = static_cast<int32_t>(r - 4000);
        b.columns[11].data<int64_t>()[k] = r * 86400000001LL - 123456789;
      }
      w.Write(b);
    }
    w.Finish();
    fs::path path = dir_ / ("strata_" + std::string(parquet::CodecName(codec)) + ".parquet");
    std::ofstream(path, std::ios::binary) << sink.data();
    Summary duck = ParseFlatJson(RunCommand("cd '" + kToolsDir.string() + "' && /usr/bin/node parquet_fixtures.mjs --check '" +
                                            path.string() + "' 2>&1"));
    ASSERT_FALSE(duck.empty());
    EXPECT_EQ("6000", duck["file|rows"]);
    MemorySource src("mine", sink.data());
    ParquetReader reader(&src);
    EXPECT_EQ(3, reader.row_groups());
    Summary mine = Summarize(reader, "file");
    EXPECT_GT(Compare(duck, mine, "file"), 40) << parquet::CodecName(codec);
  }
}

}  // namespace
}  // namespace strata
