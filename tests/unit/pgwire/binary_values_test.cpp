// Binary wire formats: numeric encoding against worked examples and a round trip through the
// decoder, and binary parameters turned into text for every supported type.
#include "server/pgwire/binary_values.h"

#include <gtest/gtest.h>

#include "sql/error.h"
#include "sql/interval_time.h"
#include "tests/unit/pgwire/wire_test_support.h"

namespace strata::pgwire::testing {
namespace {

std::string Numeric(int128 unscaled, int scale) {
  std::string out;
  AppendNumericBinary(unscaled, scale, &out);
  return out;
}

std::string Header(int ndigits, int weight, int sign, int dscale) {
  return I16(ndigits) + I16(weight) + I16(sign) + I16(dscale);
}

TEST(NumericBinary, WorkedExamples) {
  EXPECT_EQ(Numeric(0, 2), Header(0, 0, 0, 2));
  EXPECT_EQ(Numeric(12345678, 3), Header(3, 1, 0, 3) + I16(1) + I16(2345) + I16(6780));
  EXPECT_EQ(Numeric(-1, 0), Header(1, 0, 0x4000, 0) + I16(1));
  EXPECT_EQ(Numeric(10000, 0), Header(1, 1, 0, 0) + I16(1));  // trailing zero group dropped
  EXPECT_EQ(Numeric(5, 6), Header(1, -2, 0, 6) + I16(500));   // 0.000005
  EXPECT_EQ(Numeric(123, 2), Header(2, 0, 0, 2) + I16(1) + I16(2300));
}

TEST(NumericBinary, RoundTripsThroughText) {
  struct Case {
    int128 unscaled;
    int scale;
    const char* text;
  };
  const int128 big = Pow10(37) * 9 + 1;
  for (const Case& c :
       {Case{0, 0, "0"}, Case{0, 3, "0.000"}, Case{-12345678, 3, "-12345.678"},
        Case{1, 8, "0.00000001"}, Case{99999999, 4, "9999.9999"}, Case{100000000, 0, "100000000"},
        Case{7, 1, "0.7"}, Case{big, 0, "90000000000000000000000000000000000001"},
        Case{-big, 38, "-0.90000000000000000000000000000000000001"}}) {
    EXPECT_EQ(NumericBinaryToText(Numeric(c.unscaled, c.scale)), c.text);
  }
}

TEST(NumericBinary, SpecialAndInvalid) {
  EXPECT_EQ(NumericBinaryToText(Header(0, 0, 0xC000, 0)), "NaN");
  try {
    NumericBinaryToText(Header(2, 0, 0, 0) + I16(1));  // one digit short
    FAIL();
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), "22P03");
  }
  EXPECT_THROW(NumericBinaryToText(Header(1, 0, 0, 0) + I16(10000)), SqlError);
  EXPECT_THROW(NumericBinaryToText(std::string("\0\1", 2)), SqlError);
}

TEST(BinaryParams, EveryType) {
  EXPECT_EQ(BinaryParamToText(pg_oid::kBool, std::string("\x01", 1)), "t");
  EXPECT_EQ(BinaryParamToText(pg_oid::kBool, std::string("\0", 1)), "f");
  EXPECT_EQ(BinaryParamToText(pg_oid::kInt2, std::string("\xff\xfe", 2)), "-2");
  EXPECT_EQ(BinaryParamToText(pg_oid::kInt4, std::string("\x80\0\0\0", 4)), "-2147483648");
  EXPECT_EQ(BinaryParamToText(pg_oid::kInt8, std::string("\0\0\0\x01\0\0\0\0", 8)), "4294967296");
  EXPECT_EQ(BinaryParamToText(pg_oid::kFloat4, std::string("\x3f\xc0\0\0", 4)), "1.5");
  EXPECT_EQ(BinaryParamToText(pg_oid::kFloat8, std::string("\xbf\xd0\0\0\0\0\0\0", 8)), "-0.25");
  EXPECT_EQ(BinaryParamToText(pg_oid::kFloat8, std::string("\x7f\xf0\0\0\0\0\0\0", 8)), "Infinity");
  EXPECT_EQ(BinaryParamToText(pg_oid::kText, "abc"), "abc");
  EXPECT_EQ(BinaryParamToText(pg_oid::kVarchar, ""), "");
  EXPECT_EQ(BinaryParamToText(pg_oid::kDate, std::string("\0\0\0\x02", 4)), "2000-01-03");
  EXPECT_EQ(BinaryParamToText(pg_oid::kTimestamp, std::string("\0\0\0\0\0\x0f\x42\x40", 8)),
            "2000-01-01 00:00:01");
  EXPECT_EQ(BinaryParamToText(pg_oid::kNumeric, Header(1, 0, 0x4000, 1) + I16(3)), "-3.0");
}

std::string I64(int64_t v) { return I32(static_cast<uint32_t>(static_cast<uint64_t>(v) >> 32)) + I32(static_cast<uint32_t>(v)); }

// PostgreSQL's binary forms: interval = int64 micros, int32 days, int32 months; time = int64
// micros; timetz = int64 micros + int32 zone in seconds west of UTC.
TEST(BinaryParams, IntervalAndTime) {
  EXPECT_EQ(BinaryParamToText(pg_oid::kInterval, I64(7200000000) + I32(1) + I32(14)), "1 year 2 mons 1 day 02:00:00");
  EXPECT_EQ(BinaryParamToText(pg_oid::kInterval, I64(-1000000) + I32(0) + I32(0)), "-00:00:01");
  EXPECT_EQ(BinaryParamToText(pg_oid::kTime, I64(36672500000)), "10:11:12.5");
  // 10:00 at UTC-2 (7200 s west) is 12:00 UTC.
  EXPECT_EQ(BinaryParamToText(pg_oid::kTimeTz, I64(36000000000) + I32(7200)), "12:00:00+00");
  EXPECT_THROW(BinaryParamToText(pg_oid::kInterval, I64(1)), SqlError);
}

TEST(BinaryValues, IntervalAndTimeResults) {
  Vector iv(SqlType::Interval(), 1);
  iv.data<int128>()[0] = PackInterval(IntervalValue{14, 1, 7200000000});
  std::string out;
  AppendValueBinary(iv, 0, &out);
  EXPECT_EQ(out, I64(7200000000) + I32(1) + I32(14));
  Vector tz(SqlType::TimeTz(), 1);
  tz.data<int64_t>()[0] = 36000000000;
  out.clear();
  AppendValueBinary(tz, 0, &out);
  EXPECT_EQ(out, I64(36000000000) + I32(0));
  Vector t(SqlType::Time(), 1);
  t.data<int64_t>()[0] = 1;
  out.clear();
  AppendValueBinary(t, 0, &out);
  EXPECT_EQ(out, I64(1));
}

// Arrays carried as text are sent as array_send writes them: ndim, has-null, element type,
// length and lower bound (0 for an int2vector), then each element with its length (-1: NULL).
TEST(BinaryValues, ArraysCarriedAsText) {
  auto binary = [](const SqlType& type, const std::string& text) {
    Vector v(type, 1);
    v.SetString(0, text);
    std::string out;
    AppendValueBinary(v, 0, &out);
    return out;
  };
  EXPECT_EQ(binary(SqlType::Array(1005), "{3,-1}"), I32(1) + I32(0) + I32(21) + I32(2) + I32(1) + I32(2) + I16(3) + I32(2) + I16(-1));
  EXPECT_EQ(binary(SqlType::Array(22), "2 1"), I32(1) + I32(0) + I32(21) + I32(2) + I32(0) + I32(2) + I16(2) + I32(2) + I16(1));
  EXPECT_EQ(binary(SqlType::Array(1009), "{a,NULL}"), I32(1) + I32(1) + I32(25) + I32(2) + I32(1) + I32(1) + "a" + I32(-1));
  EXPECT_EQ(binary(SqlType::Array(1028), "{}"), I32(0) + I32(0) + I32(26));
  EXPECT_EQ(binary(SqlType::Text(), "{1}"), "{1}");  // plain text stays its bytes
  EXPECT_THROW(binary(SqlType::Array(1005), "{x}"), SqlError);
}

TEST(BinaryParams, WrongSizesAndUnknownTypes) {
  try {
    BinaryParamToText(pg_oid::kInt4, std::string("\0\0", 2));
    FAIL();
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), "22P03");
  }
  EXPECT_THROW(BinaryParamToText(pg_oid::kInt8, std::string(9, '\0')), SqlError);
  try {
    BinaryParamToText(3802 /* jsonb */, "x");
    FAIL();
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), "0A000");
  }
}

TEST(BinaryValues, FloatText) {
  EXPECT_EQ(FloatText(0.1, false), "0.1");
  EXPECT_EQ(FloatText(0.1f, true), "0.1");
  EXPECT_EQ(FloatText(-1.0 / 0.0, false), "-Infinity");
  EXPECT_EQ(FloatText(0.0 / 0.0, false), "NaN");
}

}  // namespace
}  // namespace strata::pgwire::testing
