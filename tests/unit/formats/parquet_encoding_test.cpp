// Unit tests of the Thrift compact protocol and the Parquet encodings, on byte strings worked
// out from the Thrift spec and parquet-format's Encodings.md.
#include <gtest/gtest.h>

#include <random>

#include "formats/parquet_encoding.h"
#include "formats/parquet_metadata.h"
#include "formats/thrift_compact.h"
#include "sql/error.h"

namespace strata::parquet {
namespace {

const uint8_t* U(const std::string& s) { return reinterpret_cast<const uint8_t*>(s.data()); }

TEST(ThriftCompact, VarintsAndZigzag) {
  ThriftWriter w;
  w.WriteVarint(1);
  w.WriteVarint(300);
  w.WriteZigzag(-1);
  w.WriteZigzag(1);
  w.WriteZigzag(-64);
  w.WriteZigzag(INT64_MIN);
  const std::string& b = w.out();
  // 300 = 0xAC 0x02; zigzag(-1) = 1, zigzag(1) = 2, zigzag(-64) = 127.
  EXPECT_EQ(std::string("\x01\xAC\x02\x01\x02\x7F", 6), b.substr(0, 6));
  ThriftReader r(U(b), b.size());
  EXPECT_EQ(1u, r.ReadVarint());
  EXPECT_EQ(300u, r.ReadVarint());
  EXPECT_EQ(-1, r.ReadZigzag());
  EXPECT_EQ(1, r.ReadZigzag());
  EXPECT_EQ(-64, r.ReadZigzag());
  EXPECT_EQ(INT64_MIN, r.ReadZigzag());
  EXPECT_EQ(b.size(), r.position());
}

TEST(ThriftCompact, FieldDeltasLongIdsBoolsAndSkip) {
  ThriftWriter w;
  w.BeginStruct();
  w.I32Field(1, 7);           // delta 1, type i32: 0x15
  w.BoolField(2, true);       // delta 1, type true: 0x11
  w.BinaryField(20, "ab");    // delta 18 > 15: long form 0x08 then zigzag(20)=40
  w.StructField(21);
  w.I64Field(1, -2);
  w.EndStruct();
  w.I32Field(22, 5);
  w.EndStruct();
  const std::string& b = w.out();
  EXPECT_EQ(std::string("\x15\x0E\x11\x08\x28\x02" "ab", 8), b.substr(0, 8));
  ThriftReader r(U(b), b.size());
  r.BeginStruct();
  int16_t id;
  ThriftType t;
  ASSERT_TRUE(r.NextField(&id, &t));
  EXPECT_EQ(1, id);
  EXPECT_EQ(7, r.ReadI32());
  ASSERT_TRUE(r.NextField(&id, &t));
  EXPECT_EQ(2, id);
  EXPECT_TRUE(ThriftReader::FieldBool(t));
  ASSERT_TRUE(r.NextField(&id, &t));
  EXPECT_EQ(20, id);
  EXPECT_EQ("ab", r.ReadBinary());
  ASSERT_TRUE(r.NextField(&id, &t));
  EXPECT_EQ(21, id);
  r.Skip(t);  // nested struct skipped whole
  ASSERT_TRUE(r.NextField(&id, &t));
  EXPECT_EQ(22, id);  // the id delta resumes from the outer struct
  EXPECT_EQ(5, r.ReadI32());
  EXPECT_FALSE(r.NextField(&id, &t));
  r.EndStruct();
}

TEST(ThriftCompact, TruncatedInputThrows22P04) {
  std::string b("\x18\x05" "ab", 4);  // binary field claiming 5 bytes, 2 present
  ThriftReader r(U(b), b.size());
  r.BeginStruct();
  int16_t id;
  ThriftType t;
  ASSERT_TRUE(r.NextField(&id, &t));
  try {
    r.ReadBinary();
    FAIL() << "expected an error";
  } catch (const SqlError& e) {
    EXPECT_EQ("22P04", e.sqlstate());
  }
}

TEST(ThriftCompact, PageHeaderRoundTrip) {
  PageHeader h;
  h.type = PageType::kDataPage;
  h.uncompressed_page_size = 1000;
  h.compressed_page_size = 400;
  h.has_data_page = true;
  h.data_page.num_values = 77;
  h.data_page.encoding = Encoding::kRleDictionary;
  ThriftWriter w;
  EncodePageHeader(h, w);
  ThriftReader r(U(w.out()), w.out().size());
  PageHeader d = DecodePageHeader(r);
  EXPECT_EQ(PageType::kDataPage, d.type);
  EXPECT_EQ(1000, d.uncompressed_page_size);
  EXPECT_EQ(400, d.compressed_page_size);
  ASSERT_TRUE(d.has_data_page);
  EXPECT_EQ(77, d.data_page.num_values);
  EXPECT_EQ(Encoding::kRleDictionary, d.data_page.encoding);
  EXPECT_EQ(w.out().size(), r.position());
}

TEST(RleBitPacked, SpecBitPackedExample) {
  // Encodings.md: 0..7 at bit width 3 bit-packed is 10001000 11000110 11111010.
  std::string b("\x03\x88\xC6\xFA", 4);
  RleBitPackedDecoder d(U(b), b.size(), 3);
  uint32_t out[8];
  d.Decode(out, 8);
  for (uint32_t i = 0; i < 8; ++i) EXPECT_EQ(i, out[i]);
  uint32_t vals[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  std::string enc;
  EncodeRleBitPacked(vals, 8, 3, &enc);
  EXPECT_EQ(b, enc);
}

TEST(RleBitPacked, RleRunAndMixed) {
  // An RLE run of 10 copies of 5 at width 3: header 10 << 1 = 0x14, value byte 0x05.
  std::string b("\x14\x05", 2);
  RleBitPackedDecoder d(U(b), b.size(), 3);
  uint32_t out[10];
  d.Decode(out, 10);
  for (uint32_t v : out) EXPECT_EQ(5u, v);
  EXPECT_THROW(d.Decode(out, 1), SqlError);  // runs exhausted

  std::vector<uint32_t> vals;
  for (int i = 0; i < 13; ++i) vals.push_back(i % 4);
  for (int i = 0; i < 100; ++i) vals.push_back(3);
  for (int i = 0; i < 5; ++i) vals.push_back(1);
  std::string enc;
  EncodeRleBitPacked(vals.data(), vals.size(), 2, &enc);
  EXPECT_LT(enc.size(), 20u);  // the long run is RLE, not 25 bytes of bit-packing
  std::vector<uint32_t> back(vals.size());
  RleBitPackedDecoder(U(enc), enc.size(), 2).Decode(back.data(), back.size());
  EXPECT_EQ(vals, back);
}

TEST(RleBitPacked, RandomRoundTrip) {
  std::mt19937 rng(42);
  for (int width : {1, 3, 8, 13, 20, 32}) {
    std::vector<uint32_t> vals(5000);
    uint64_t mask = width == 32 ? 0xffffffffu : (1u << width) - 1;
    for (size_t i = 0; i < vals.size(); ++i) vals[i] = (rng() % 3 == 0) ? 1 : static_cast<uint32_t>(rng() & mask);
    for (size_t i = 1000; i < 1300; ++i) vals[i] = 0;
    std::string enc;
    EncodeRleBitPacked(vals.data(), vals.size(), width, &enc);
    std::vector<uint32_t> back(vals.size());
    RleBitPackedDecoder(U(enc), enc.size(), width).Decode(back.data(), back.size());
    EXPECT_EQ(vals, back) << width;
  }
}

TEST(DeltaBinaryPacked, SpecExampleOneToFive) {
  // Example 1: 1,2,3,4,5: block 128, 4 miniblocks, 5 values, first 1; min delta 1, widths 0.
  std::string b("\x80\x01\x04\x05\x02\x02\x00\x00\x00\x00", 10);
  std::vector<int64_t> out;
  EXPECT_EQ(b.size(), DecodeDeltaBinaryPacked(U(b), b.size(), 100, &out));
  EXPECT_EQ((std::vector<int64_t>{1, 2, 3, 4, 5}), out);
  std::string enc;
  int64_t vals[] = {1, 2, 3, 4, 5};
  EncodeDeltaBinaryPacked(vals, 5, &enc);
  EXPECT_EQ(b, enc);
}

TEST(DeltaBinaryPacked, SpecExampleTwo) {
  // Example 2: 7,5,3,1,2,3,4,5: deltas -2,-2,-2,1,1,1,1; min delta -2 (zigzag 3); relative
  // 0,0,0,3,3,3,3 need 2 bits; one miniblock of 32 values = 8 bytes.
  std::string b("\x80\x01\x04\x08\x0E\x03\x02\x00\x00\x00", 10);
  uint32_t rel[32] = {0, 0, 0, 3, 3, 3, 3};
  std::string packed;
  for (int i = 0; i < 8; ++i) {
    uint32_t byte = 0;
    for (int bit = 0; bit < 8; ++bit) {
      int pos = i * 8 + bit;
      byte |= ((rel[pos / 2] >> (pos % 2)) & 1) << bit;
    }
    packed.push_back(static_cast<char>(byte));
  }
  b += packed;
  std::vector<int64_t> out;
  EXPECT_EQ(b.size(), DecodeDeltaBinaryPacked(U(b), b.size(), 100, &out));
  EXPECT_EQ((std::vector<int64_t>{7, 5, 3, 1, 2, 3, 4, 5}), out);
  EXPECT_THROW(DecodeDeltaBinaryPacked(U(b), b.size(), 7, &out), SqlError);  // more than the page
  EXPECT_THROW(DecodeDeltaBinaryPacked(U(b), 11, 100, &out), SqlError);      // truncated
}

TEST(DeltaBinaryPacked, RandomRoundTripIncludingExtremes) {
  std::mt19937_64 rng(7);
  std::vector<int64_t> vals(1000);
  for (auto& v : vals) v = static_cast<int64_t>(rng()) >> (rng() % 64);
  vals[10] = INT64_MIN;
  vals[11] = INT64_MAX;
  std::string enc;
  EncodeDeltaBinaryPacked(vals.data(), vals.size(), &enc);
  std::vector<int64_t> out;
  EXPECT_EQ(enc.size(), DecodeDeltaBinaryPacked(U(enc), enc.size(), vals.size(), &out));
  EXPECT_EQ(vals, out);
}

TEST(DeltaByteArrays, SpecExamples) {
  // DELTA_LENGTH_BYTE_ARRAY: lengths 5,5,6,6 then "HelloWorldFoobarABCDEF".
  std::vector<std::string_view> in = {"Hello", "World", "Foobar", "ABCDEF"};
  std::string enc;
  EncodeDeltaLengthByteArray(in.data(), in.size(), &enc);
  EXPECT_EQ("HelloWorldFoobarABCDEF", enc.substr(enc.size() - 22));
  std::vector<std::string_view> out;
  EXPECT_EQ(enc.size(), DecodeDeltaLengthByteArray(U(enc), enc.size(), 10, &out));
  EXPECT_EQ(in, out);

  // DELTA_BYTE_ARRAY: axis, axle, babble, babyhood -> prefixes 0,2,0,3 and suffixes
  // axis, le, babble, yhood.
  std::vector<std::string_view> words = {"axis", "axle", "babble", "babyhood"};
  std::string enc2;
  EncodeDeltaByteArray(words.data(), words.size(), &enc2);
  std::vector<int64_t> prefixes;
  size_t used = DecodeDeltaBinaryPacked(U(enc2), enc2.size(), 10, &prefixes);
  EXPECT_EQ((std::vector<int64_t>{0, 2, 0, 3}), prefixes);
  std::vector<std::string_view> suffixes;
  DecodeDeltaLengthByteArray(U(enc2) + used, enc2.size() - used, 10, &suffixes);
  EXPECT_EQ((std::vector<std::string_view>{"axis", "le", "babble", "yhood"}), suffixes);
  std::string arena;
  DecodeDeltaByteArray(U(enc2), enc2.size(), 10, &out, &arena);
  EXPECT_EQ(words, out);
}

TEST(ByteStreamSplit, Floats) {
  float vals[3] = {1.5f, -2.25f, 1e10f};
  std::string enc(12, '\0');
  auto bytes = reinterpret_cast<const uint8_t*>(vals);
  for (int k = 0; k < 4; ++k)
    for (int i = 0; i < 3; ++i) enc[k * 3 + i] = static_cast<char>(bytes[i * 4 + k]);
  float back[3];
  DecodeByteStreamSplit(U(enc), enc.size(), 3, 4, reinterpret_cast<uint8_t*>(back));
  EXPECT_EQ(1.5f, back[0]);
  EXPECT_EQ(-2.25f, back[1]);
  EXPECT_EQ(1e10f, back[2]);
  EXPECT_THROW(DecodeByteStreamSplit(U(enc), 11, 3, 4, reinterpret_cast<uint8_t*>(back)), SqlError);
}

}  // namespace
}  // namespace strata::parquet
