// Block files: round trips of every physical type (NULLs, empty and long strings), zone maps
// written into the header, and corruption of any byte detected as XX001.
#include "storage/block_format.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "sql/error.h"
#include "storage/zone_map.h"

namespace strata {
namespace {

// Fills `n` rows of `type` with seeded random values; every row with (i % null_every == 1) is NULL.
Vector RandomVector(const SqlType& type, size_t n, uint32_t seed, size_t null_every) {
  std::mt19937_64 rng(seed);
  Vector v(type, n);
  for (size_t i = 0; i < n; ++i) {
    bool is_null = null_every && i % null_every == 1;
    v.SetNull(i, is_null);
    if (is_null) continue;
    uint64_t r = rng();
    DispatchPhysical(v.physical(), [&]<typename T>() {
      if constexpr (std::is_same_v<T, std::string_view>) {
        size_t len = r % 5 == 0 ? 0 : r % 40;  // some empty strings
        std::string s(len, 'a');
        for (size_t k = 0; k < len; ++k) s[k] = static_cast<char>('a' + (rng() % 26));
        v.SetString(i, s);
      } else if constexpr (std::is_same_v<T, uint8_t>) {
        v.data<T>()[i] = r & 1;
      } else if constexpr (std::is_same_v<T, int128>) {
        v.data<T>()[i] = (static_cast<int128>(static_cast<int64_t>(r)) << 40) + static_cast<int64_t>(rng());
      } else if constexpr (std::is_floating_point_v<T>) {
        v.data<T>()[i] = static_cast<T>(static_cast<int64_t>(r % 2000001) - 1000000) / 7;
      } else {
        v.data<T>()[i] = static_cast<T>(r);
      }
    });
  }
  return v;
}

void ExpectSameRows(const Vector& a, size_t a_begin, const Vector& b, size_t b_begin, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    ASSERT_EQ(a.IsNull(a_begin + i), b.IsNull(b_begin + i)) << "row " << i;
    if (a.IsNull(a_begin + i)) continue;
    DispatchPhysical(a.physical(), [&]<typename T>() {
      ASSERT_TRUE(a.data<T>()[a_begin + i] == b.data<T>()[b_begin + i]) << "row " << i;
    });
  }
}

class BlockRoundTrip : public ::testing::TestWithParam<SqlType> {};

TEST_P(BlockRoundTrip, EncodesAndDecodesEveryRow) {
  SqlType type = GetParam();
  Vector v = RandomVector(type, 5000, 42, 7);
  storage::ZoneMap zone;
  std::string block = EncodeBlock(v, 100, 4100, &zone);
  int64_t expected_nulls = 0;
  for (size_t i = 100; i < 4100; ++i) expected_nulls += i % 7 == 1;
  EXPECT_EQ(zone.null_count(), expected_nulls);

  Vector out(type);
  out.Resize(3);  // DecodeBlock appends
  DecodeBlock(block, &out);
  ASSERT_EQ(out.size(), 4003u);
  ExpectSameRows(v, 100, out, 3, 4000);
  storage::BlockHeader header = DecodeBlockHeader(block);
  EXPECT_EQ(header.row_count(), 4000u);
  EXPECT_EQ(header.encoding(), storage::ENCODING_RAW);
  EXPECT_EQ(header.zone().SerializeAsString(), zone.SerializeAsString());
}

TEST_P(BlockRoundTrip, AllNullAndNoNullBlocks) {
  SqlType type = GetParam();
  Vector nulls(type, 10);
  for (size_t i = 0; i < 10; ++i) nulls.SetNull(i, true);
  storage::ZoneMap zone;
  Vector out(type);
  DecodeBlock(EncodeBlock(nulls, 0, 10, &zone), &out);
  EXPECT_EQ(zone.kind(), storage::ZONE_NONE);
  EXPECT_EQ(zone.null_count(), 10);
  ASSERT_EQ(out.size(), 10u);
  for (size_t i = 0; i < 10; ++i) EXPECT_TRUE(out.IsNull(i));

  Vector dense = RandomVector(type, 300, 7, 0);
  Vector out2(type);
  DecodeBlock(EncodeBlock(dense, 0, 300, &zone), &out2);
  EXPECT_EQ(zone.null_count(), 0);
  EXPECT_NE(zone.kind(), storage::ZONE_NONE);
  ExpectSameRows(dense, 0, out2, 0, 300);

  Vector empty(type);
  Vector out3(type);
  DecodeBlock(EncodeBlock(empty, 0, 0, &zone), &out3);
  EXPECT_EQ(out3.size(), 0u);
}

INSTANTIATE_TEST_SUITE_P(AllPhysicalTypes, BlockRoundTrip,
                         ::testing::Values(SqlType::Bool(), SqlType::Int16(), SqlType::Int32(), SqlType::Int64(),
                                           SqlType::Decimal(38, 4), SqlType::Float32(), SqlType::Float64(),
                                           SqlType::Varchar(100), SqlType::Date(), SqlType::Timestamp(),
                                           SqlType::Decimal(12, 2)),
                         [](const auto& info) {
                           std::string name = info.param.ToString();
                           for (char& c : name) if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

TEST(BlockFormat, LongAndBinaryStrings) {
  Vector v(SqlType::Text(), 4);
  std::string long_string(300000, 'q');
  long_string[12345] = '\0';
  v.SetString(0, long_string);
  v.SetString(1, "");
  v.SetString(2, std::string("\0\xff\x01", 3));
  v.SetNull(3, true);
  storage::ZoneMap zone;
  Vector out(SqlType::Text());
  DecodeBlock(EncodeBlock(v, 0, 4, &zone), &out);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out.data<std::string_view>()[0], long_string);
  EXPECT_EQ(out.data<std::string_view>()[1], "");
  EXPECT_FALSE(out.IsNull(1));
  EXPECT_EQ(out.data<std::string_view>()[2], std::string_view("\0\xff\x01", 3));
  EXPECT_TRUE(out.IsNull(3));
  EXPECT_EQ(zone.min_str(), "");
  EXPECT_EQ(zone.max_str(), long_string.substr(0, 32));
  EXPECT_TRUE(zone.max_inexact());
}

TEST(BlockFormat, SameValuesMakeSameBytesWhateverIsUnderNulls) {
  Vector a(SqlType::Int64(), 3), b(SqlType::Int64(), 3);
  a.data<int64_t>()[0] = b.data<int64_t>()[0] = 5;
  a.data<int64_t>()[1] = 111;  // garbage under a NULL
  b.data<int64_t>()[1] = 222;
  a.SetNull(1, true);
  b.SetNull(1, true);
  a.data<int64_t>()[2] = b.data<int64_t>()[2] = -5;
  EXPECT_EQ(EncodeBlock(a, 0, 3, nullptr), EncodeBlock(b, 0, 3, nullptr));
}

TEST(BlockFormat, CompressesRepetitiveData) {
  Vector v(SqlType::Int64(), 100000);
  for (size_t i = 0; i < v.size(); ++i) v.data<int64_t>()[i] = i % 10;
  std::string block = EncodeBlock(v, 0, v.size(), nullptr, Encoding::kLzo);
  EXPECT_LT(block.size(), 100000u);  // 800000 bytes raw
  EXPECT_EQ(DecodeBlockHeader(block).compression(), storage::COMPRESSION_LZ4);
  EXPECT_EQ(DecodeBlockHeader(EncodeBlock(v, 0, v.size(), nullptr, Encoding::kZstd)).compression(),
            storage::COMPRESSION_ZSTD);
  // RAW is stored as it is.
  EXPECT_EQ(DecodeBlockHeader(EncodeBlock(v, 0, v.size(), nullptr)).compression(), storage::COMPRESSION_NONE);
}

// Every encoding round-trips through the block file, NULLs included (the bitmap), and a
// sequential BIGINT in AZ64 takes a small fraction of its RAW block.
TEST(BlockFormat, EveryEncodingRoundTripsThroughABlock) {
  Vector v(SqlType::Int64(), 5000);
  for (size_t i = 0; i < v.size(); ++i) {
    v.data<int64_t>()[i] = static_cast<int64_t>(i) + 1000;
    v.SetNull(i, i % 7 == 3);
  }
  size_t raw_size = EncodeBlock(v, 0, v.size(), nullptr).size();
  for (int e = 0; e < kEncodingCount; ++e) {
    auto enc = static_cast<Encoding>(e);
    if (!EncodingAccepts(enc, v.type())) continue;
    std::string block = EncodeBlock(v, 10, v.size(), nullptr, enc);
    EXPECT_EQ(DecodeBlockHeader(block).encoding(), e);
    Vector out(SqlType::Int64());
    DecodeBlock(block, &out);
    ASSERT_EQ(out.size(), v.size() - 10) << EncodingName(enc);
    for (size_t i = 0; i < out.size(); ++i) {
      ASSERT_EQ(out.IsNull(i), v.IsNull(i + 10)) << EncodingName(enc) << " row " << i;
      if (!out.IsNull(i)) {
        ASSERT_EQ(out.data<int64_t>()[i], v.data<int64_t>()[i + 10]) << EncodingName(enc);
      }
    }
  }
  EXPECT_LT(EncodeBlock(v, 0, v.size(), nullptr, Encoding::kAz64).size() * 4, raw_size);
}

TEST(BlockFormat, EveryCorruptedByteIsDetected) {
  Vector v = RandomVector(SqlType::Varchar(20), 40, 3, 5);
  std::string block = EncodeBlock(v, 0, 40, nullptr);
  for (size_t pos = 0; pos < block.size(); ++pos) {
    std::string bad = block;
    bad[pos] = static_cast<char>(bad[pos] ^ 0x10);
    Vector out(SqlType::Varchar(20));
    try {
      DecodeBlock(bad, &out);
      FAIL() << "corruption at byte " << pos << " of " << block.size() << " not detected";
    } catch (const SqlError& e) {
      EXPECT_EQ(e.sqlstate(), "XX001") << "byte " << pos;
      EXPECT_NE(e.message().find("is corrupted"), std::string::npos);
    }
  }
  for (size_t len : {0, 3, 15, 30}) {  // truncated files
    Vector out(SqlType::Varchar(20));
    EXPECT_THROW(DecodeBlock(std::string_view(block).substr(0, len), &out), SqlError);
  }
  Vector wrong_type(SqlType::Int32());
  EXPECT_THROW(DecodeBlock(block, &wrong_type), SqlError);
}

}  // namespace
}  // namespace strata
