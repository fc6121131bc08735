// ParquetWriter -> ParquetReader round trips of every type with NULLs under every codec, type
// conversions and their errors (22003, 22001, 42804), statistics, and corrupt files (22P04).
#include <gtest/gtest.h>

#include <random>

#include "formats/parquet_reader.h"
#include "formats/parquet_writer.h"
#include "sql/error.h"

namespace strata {
namespace {

using parquet::Codec;

std::vector<std::pair<std::string, SqlType>> AllTypes() {
  return {{"b", SqlType::Bool()},           {"s16", SqlType::Int16()},
          {"i", SqlType::Int32()},          {"l", SqlType::Int64()},
          {"d12", SqlType::Decimal(12, 3)}, {"d30", SqlType::Decimal(30, 5)},
          {"r", SqlType::Float32()},        {"dd", SqlType::Float64()},
          {"c", SqlType::Char(5)},          {"v", SqlType::Varchar(20)},
          {"t", SqlType::Text()},           {"dt", SqlType::Date()},
          {"ts", SqlType::Timestamp()}};
}

// Deterministic contents: column j of row r is NULL when (r + j) % 7 == 0.
Batch MakeBatch(const std::vector<std::pair<std::string, SqlType>>& cols, int64_t start, size_t n) {
  std::vector<SqlType> types;
  for (auto& c : cols) types.push_back(c.second);
  Batch b(types);
  b.SetRows(n);
  for (size_t j = 0; j < cols.size(); ++j) {
    Vector& v = b.columns[j];
    for (size_t k = 0; k < n; ++k) {
      int64_t r = start + static_cast<int64_t>(k);
      bool null = (r + static_cast<int64_t>(j)) % 7 == 0;
      v.SetNull(k, null);
      if (null) continue;
      switch (cols[j].second.id) {
        case TypeId::kBool: v.data<uint8_t>()[k] = r % 3 == 0; break;
        case TypeId::kInt16: v.data<int16_t>()[k] = static_cast<int16_t>(r % 60000 - 30000); break;
        case TypeId::kInt32: v.data<int32_t>()[k] = static_cast<int32_t>(r * 40503 - 100000000); break;
        case TypeId::kInt64: v.data<int64_t>()[k] = r * 1234567890123LL - (1LL << 60); break;
        case TypeId::kDecimal:
          if (cols[j].second.precision <= 18) v.data<int64_t>()[k] = r * 1001 - 2500000;
          else v.data<int128>()[k] = (static_cast<int128>(r) * 1000000000000000000LL) * (r % 2 ? -7 : 3) + r;
          break;
        case TypeId::kFloat32: v.data<float>()[k] = static_cast<float>(r) / 4 - 100; break;
        case TypeId::kFloat64: v.data<double>()[k] = static_cast<double>(r) * 1.1 - 1e6; break;
        case TypeId::kChar: v.SetString(k, r % 5 == 0 ? "" : std::string(1, 'a' + r % 4)); break;
        case TypeId::kVarchar: v.SetString(k, "v" + std::to_string(r * 7919 % 100003)); break;
        case TypeId::kText: v.SetString(k, std::string(r % 40, 'x') + std::to_string(r % 3)); break;
        case TypeId::kDate: v.data<int32_t>()[k] = static_cast<int32_t>(r * 3 - 20000); break;
        case TypeId::kTimestamp: v.data<int64_t>()[k] = r * 3600000123LL - 900000000000000LL; break;
        default: break;
      }
    }
  }
  return b;
}

void ExpectSameRow(const Vector& a, size_t ra, const Vector& b, size_t rb, const std::string& what) {
  ASSERT_EQ(a.IsNull(ra), b.IsNull(rb)) << what;
  if (a.IsNull(ra)) return;
  DispatchPhysical(a.physical(), [&]<typename T>() {
    if constexpr (std::is_same_v<T, int128>) {
      EXPECT_TRUE(a.data<T>()[ra] == b.data<T>()[rb]) << what;
    } else {
      EXPECT_EQ(a.data<T>()[ra], b.data<T>()[rb]) << what;
    }
  });
}

std::string WriteFile(const std::vector<std::pair<std::string, SqlType>>& cols, int64_t rows,
                      ParquetWriteOptions opts) {
  MemorySink sink;
  ParquetWriter w(&sink, cols, opts);
  for (int64_t r = 0; r < rows; r += 1000) w.Write(MakeBatch(cols, r, std::min<int64_t>(1000, rows - r)));
  w.Finish();
  EXPECT_EQ(rows, w.rows_written());
  return sink.data();
}

std::vector<int> AllIndexes(size_t n) {
  std::vector<int> v;
  for (size_t i = 0; i < n; ++i) v.push_back(static_cast<int>(i));
  return v;
}

class ParquetRoundTrip : public ::testing::TestWithParam<Codec> {};

TEST_P(ParquetRoundTrip, EveryTypeWithNulls) {
  auto cols = AllTypes();
  ParquetWriteOptions opts;
  opts.codec = GetParam();
  opts.row_group_rows = 3000;
  opts.page_rows = 700;
  const int64_t kRows = 7500;
  MemorySource src("roundtrip.parquet", WriteFile(cols, kRows, opts));
  ParquetReader reader(&src);
  ASSERT_EQ(cols.size(), reader.columns().size());
  EXPECT_EQ(kRows, reader.rows());
  ASSERT_EQ(3, reader.row_groups());
  EXPECT_EQ(1500, reader.row_group_rows(2));
  std::vector<SqlType> types;
  for (auto& c : cols) types.push_back(c.second);
  int64_t row = 0;
  for (int rg = 0; rg < reader.row_groups(); ++rg) {
    reader.ReadRowGroup(rg, AllIndexes(cols.size()), types, [&](Batch& batch) {
      EXPECT_LE(batch.rows, kBatchSize);
      Batch expected = MakeBatch(cols, row, batch.rows);
      for (size_t j = 0; j < cols.size(); ++j) {
        EXPECT_EQ(types[j], batch.columns[j].type());
        for (size_t k = 0; k < batch.rows; ++k) {
          ExpectSameRow(expected.columns[j], k, batch.columns[j], k, cols[j].first + " row " + std::to_string(row + k));
        }
      }
      row += static_cast<int64_t>(batch.rows);
    });
  }
  EXPECT_EQ(kRows, row);
}

INSTANTIATE_TEST_SUITE_P(Codecs, ParquetRoundTrip,
                         ::testing::Values(Codec::kUncompressed, Codec::kSnappy, Codec::kGzip, Codec::kZstd,
                                           Codec::kLz4Raw));

TEST(ParquetWriter, DictionaryOnlyWhenFewDistinctAndStatistics) {
  std::vector<std::pair<std::string, SqlType>> cols = {{"c", SqlType::Char(5)}, {"l", SqlType::Int64()}};
  MemorySource src("f", WriteFile(cols, 4000, {}));
  ParquetReader reader(&src);
  const auto& chunks = reader.metadata().row_groups[0].columns;
  EXPECT_TRUE(chunks[0].meta_data.has_dictionary_page_offset);   // 5 distinct values
  EXPECT_FALSE(chunks[1].meta_data.has_dictionary_page_offset);  // all distinct
  ParquetStats st;
  ASSERT_TRUE(reader.ColumnStats(0, 1, SqlType::Int64(), &st));
  EXPECT_TRUE(st.has_min_max);
  // l is NULL when (r + 1) % 7 == 0; r = 0 is the smallest value present, r = 3999 the largest.
  EXPECT_TRUE(st.min_int == -(int128{1} << 60));
  EXPECT_TRUE(st.max_int == 3999 * 1234567890123LL - (1LL << 60));
  EXPECT_EQ(571, st.null_count);
  ASSERT_TRUE(reader.ColumnStats(0, 0, SqlType::Varchar(10), &st));
  EXPECT_EQ("", st.min_string);
  EXPECT_EQ("d", st.max_string);
  // Statistics converted to a wider decimal scale.
  ASSERT_TRUE(reader.ColumnStats(0, 1, SqlType::Decimal(38, 2), &st));
  EXPECT_TRUE(st.min_int == -(int128{1} << 60) * 100);
}

int64_t ReadSingleInt64(ParquetReader& reader, int column, const SqlType& type) {
  int64_t out = 0;
  reader.ReadRowGroup(0, {column}, {type}, [&](Batch& b) { out = b.columns[0].data<int64_t>()[1]; });
  return out;
}

std::string ErrorState(const std::function<void()>& f) {
  try {
    f();
  } catch (const SqlError& e) {
    return e.sqlstate();
  }
  return "none";
}

TEST(ParquetReader, ConversionsAndTheirErrors) {
  std::vector<std::pair<std::string, SqlType>> cols = {
      {"l", SqlType::Int64()}, {"d", SqlType::Decimal(12, 3)}, {"v", SqlType::Varchar(20)},
      {"dt", SqlType::Date()}, {"i", SqlType::Int32()}};
  MemorySource src("conv.parquet", WriteFile(cols, 50, {}));
  ParquetReader reader(&src);
  // Row 1: d = 1001 - 2500000 = -2498999 at scale 3 = -2498.999.
  EXPECT_EQ(-249899900, ReadSingleInt64(reader, 1, SqlType::Decimal(15, 5)));  // scale up
  EXPECT_EQ(-249900, ReadSingleInt64(reader, 1, SqlType::Decimal(10, 2)));     // rounds half away
  double as_double = 0;
  reader.ReadRowGroup(0, {1}, {SqlType::Float64()}, [&](Batch& b) { as_double = b.columns[0].data<double>()[1]; });
  EXPECT_DOUBLE_EQ(-2498.999, as_double);
  // Row 1 of dt = 3 - 20000 days; as a timestamp it is midnight of that day.
  EXPECT_EQ((3 - 20000) * 86400000000LL, ReadSingleInt64(reader, 3, SqlType::Timestamp()));
  // INT32 into BIGINT widens.
  EXPECT_EQ(40503 - 100000000, ReadSingleInt64(reader, 4, SqlType::Int64()));

  EXPECT_EQ("22003", ErrorState([&] { reader.ReadRowGroup(0, {0}, {SqlType::Int16()}, [](Batch&) {}); }));
  EXPECT_EQ("22003", ErrorState([&] { reader.ReadRowGroup(0, {1}, {SqlType::Decimal(5, 3)}, [](Batch&) {}); }));
  EXPECT_EQ("22001", ErrorState([&] { reader.ReadRowGroup(0, {2}, {SqlType::Varchar(3)}, [](Batch&) {}); }));
  EXPECT_EQ("42804", ErrorState([&] { reader.ReadRowGroup(0, {2}, {SqlType::Int32()}, [](Batch&) {}); }));
  EXPECT_EQ("42804", ErrorState([&] { reader.ReadRowGroup(0, {3}, {SqlType::Varchar(10)}, [](Batch&) {}); }));
  EXPECT_EQ("42804", ErrorState([&] { reader.ReadRowGroup(0, {0}, {SqlType::Date()}, [](Batch&) {}); }));
  try {
    reader.ReadRowGroup(0, {2}, {SqlType::Int32()}, [](Batch&) {});
  } catch (const SqlError& e) {
    EXPECT_NE(std::string::npos, e.message().find("\"v\"")) << e.message();
    EXPECT_NE(std::string::npos, e.message().find("BYTE_ARRAY STRING")) << e.message();
    EXPECT_NE(std::string::npos, e.message().find("integer")) << e.message();
  }
}

std::string GoodFile() {
  std::vector<std::pair<std::string, SqlType>> cols = {{"l", SqlType::Int64()}, {"v", SqlType::Varchar(20)}};
  ParquetWriteOptions opts;
  opts.dictionary = false;
  return WriteFile(cols, 3000, opts);
}

// Opens and fully reads `bytes`; returns the SQLSTATE of the failure ("none" when it reads).
std::string OpenAndRead(const std::string& bytes) {
  return ErrorState([&] {
    MemorySource src("bad.parquet", bytes);
    ParquetReader reader(&src);
    std::vector<SqlType> types;
    for (const auto& c : reader.columns()) types.push_back(c.physical == parquet::PhysType::kInt64 ? SqlType::Int64() : SqlType::Text());
    for (int rg = 0; rg < reader.row_groups(); ++rg) {
      reader.ReadRowGroup(rg, AllIndexes(types.size()), types, [](Batch&) {});
    }
  });
}

TEST(ParquetReader, CorruptFooters) {
  std::string good = GoodFile();
  EXPECT_EQ("none", OpenAndRead(good));
  EXPECT_EQ("22P04", OpenAndRead("PAR1"));
  std::string bad_magic = good;
  bad_magic[bad_magic.size() - 1] = 'X';
  EXPECT_EQ("22P04", OpenAndRead(bad_magic));
  std::string long_footer = good;
  uint32_t huge = static_cast<uint32_t>(good.size());
  std::memcpy(&long_footer[good.size() - 8], &huge, 4);
  EXPECT_EQ("22P04", OpenAndRead(long_footer));
  try {
    MemorySource src("s3://bucket/x.parquet", long_footer);
    ParquetReader r(&src);
    FAIL();
  } catch (const SqlError& e) {
    EXPECT_NE(std::string::npos, e.message().find("s3://bucket/x.parquet")) << e.message();
  }
  // Truncated files: every cut keeps the magic out of place or the chunks beyond the end.
  for (size_t cut : {good.size() / 2, good.size() - 9, size_t{20}}) {
    EXPECT_EQ("22P04", OpenAndRead(good.substr(0, cut))) << cut;
  }
  // Chopped tail kept valid-looking: move the footer forward so chunks point past the end.
  uint32_t footer_len;
  std::memcpy(&footer_len, &good[good.size() - 8], 4);
  std::string footer = good.substr(good.size() - 8 - footer_len);
  EXPECT_EQ("22P04", OpenAndRead("PAR1" + std::string(100, '\0') + footer));
}

TEST(ParquetReader, RandomByteFlipsNeverCrash) {
  std::string good = GoodFile();
  std::mt19937 rng(1234);
  int errors = 0;
  for (int trial = 0; trial < 300; ++trial) {
    std::string bad = good;
    int flips = 1 + rng() % 4;
    for (int f = 0; f < flips; ++f) {
      // Half the flips hit the footer, where they are most dangerous.
      size_t pos = trial % 2 ? rng() % bad.size() : bad.size() - 9 - rng() % 200;
      bad[pos] = static_cast<char>(rng());
    }
    std::string state = OpenAndRead(bad);
    EXPECT_TRUE(state == "none" || state == "22P04" || state == "0A000" || state == "42804" || state == "22003")
        << state;
    errors += state != "none";
  }
  EXPECT_GT(errors, 50);
}

TEST(ParquetReader, TruncatedPageIs22P04) {
  std::string good = GoodFile();
  MemorySource src("f", good);
  ParquetReader reader(&src);
  // Shrink column 0's compressed size in the footer by re-encoding the metadata.
  parquet::FileMetaData m = reader.metadata();
  m.row_groups[0].columns[0].meta_data.total_compressed_size -= 10;
  parquet::ThriftWriter w;
  parquet::EncodeFileMetaData(m, w);
  uint32_t old_len;
  std::memcpy(&old_len, &good[good.size() - 8], 4);
  std::string bad = good.substr(0, good.size() - 8 - old_len) + w.out();
  uint32_t len = static_cast<uint32_t>(w.out().size());
  bad.append(reinterpret_cast<const char*>(&len), 4);
  bad += "PAR1";
  EXPECT_EQ("22P04", OpenAndRead(bad));
}

}  // namespace
}  // namespace strata
