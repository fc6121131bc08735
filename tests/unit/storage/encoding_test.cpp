// Column encodings: every encoding x every type it accepts x edge data sets must round-trip
// exactly (non-NULL values and the row count), ignore what NULL rows hold, and reject truncated
// or garbled payloads with XX001 instead of crashing. Plus Redshift's compatibility table,
// defaults and names, and the size promises (AZ64 on sequences, MOSTLY8 outliers, BYTEDICT).
#include "storage/encoding.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "sql/error.h"

namespace strata {
namespace {

enum class Data {
  kEmpty, kOne, kAllNull, kSomeNull, kMinMax, kDistinct, kLongRuns, kSequential, kRandom,
  kManyDistinct, kOutliers, kJumps, kEmptyStrings, kLongStrings, kUtf8,
};
constexpr Data kAllData[] = {Data::kEmpty, Data::kOne, Data::kAllNull, Data::kSomeNull, Data::kMinMax,
                             Data::kDistinct, Data::kLongRuns, Data::kSequential, Data::kRandom,
                             Data::kManyDistinct, Data::kOutliers, Data::kJumps, Data::kEmptyStrings,
                             Data::kLongStrings, Data::kUtf8};
const char* DataName(Data d) {
  static const char* kNames[] = {"Empty", "One", "AllNull", "SomeNull", "MinMax", "Distinct", "LongRuns", "Sequential",
                                 "Random", "ManyDistinct", "Outliers", "Jumps", "EmptyStrings", "LongStrings", "Utf8"};
  return kNames[static_cast<int>(d)];
}

const std::vector<SqlType>& AllTypes() {
  static const std::vector<SqlType> types = {
      SqlType::Bool(),     SqlType::Int16(),         SqlType::Int32(),     SqlType::Int64(),
      SqlType::Decimal(15, 2), SqlType::Decimal(38, 4), SqlType::Float32(), SqlType::Float64(),
      SqlType::Char(12),   SqlType::Varchar(256),    SqlType::Text(),      SqlType::Date(),
      SqlType::Timestamp()};
  return types;
}

std::string TypeLabel(const SqlType& t) {
  std::string s = t.ToString();
  std::string out;
  for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

// Row i's integer "shape" for data set d; the type maps it to a value.
size_t RowsOf(Data d) {
  switch (d) {
    case Data::kEmpty: return 0;
    case Data::kOne: return 1;
    case Data::kLongStrings: return 40;
    default: return 1000;
  }
}

// Largest value of a signed integer type (numeric_limits is not specialised for int128 in
// strict C++ modes).
template <typename T>
constexpr T MaxOf() {
  using U = std::make_unsigned_t<std::conditional_t<sizeof(T) == 16, long long, T>>;
  if constexpr (sizeof(T) == 16) {
    return static_cast<T>(~static_cast<unsigned __int128>(0) >> 1);
  } else {
    return static_cast<T>(~U{0} >> 1);
  }
}
template <typename T>
constexpr T MinOf() { return -MaxOf<T>() - 1; }

template <typename T>
T IntValue(Data d, size_t i, std::mt19937_64& rng) {
  switch (d) {
    case Data::kMinMax: {
      T vals[] = {MinOf<T>(), MaxOf<T>(), T(0), T(-1), MinOf<T>(), static_cast<T>(MinOf<T>() + 1),
                  static_cast<T>(MaxOf<T>() - 1), MaxOf<T>()};
      return vals[i % 8];
    }
    case Data::kDistinct:
    case Data::kManyDistinct: return static_cast<T>((i * 7919) % 1000) - 500;
    case Data::kLongRuns: return static_cast<T>(i / 300) * 3 - 2;
    case Data::kSequential: return static_cast<T>(i + 1);
    case Data::kOutliers:
      return i == 500 ? static_cast<T>(MaxOf<T>() - 3) : (i == 700 ? MinOf<T>() : static_cast<T>(i % 50));
    case Data::kJumps: return i % 100 == 0 ? static_cast<T>(i * 1000) : static_cast<T>(i);  // 127 < jump
    case Data::kRandom: {
      T v;
      uint64_t r[2] = {rng(), rng()};
      std::memcpy(&v, r, sizeof(T));
      return v;
    }
    default: return static_cast<T>(rng() % 5);
  }
}

template <typename T>
T FloatValue(Data d, size_t i, std::mt19937_64& rng) {
  using L = std::numeric_limits<T>;
  switch (d) {
    case Data::kMinMax: {
      T vals[] = {-L::infinity(), L::infinity(), L::quiet_NaN(), L::lowest(), L::max(), L::denorm_min(), T(-0.0), T(0)};
      return vals[i % 8];
    }
    case Data::kRandom: return static_cast<T>(std::ldexp(static_cast<double>(rng() % 100000), static_cast<int>(rng() % 40) - 20));
    case Data::kSequential: return static_cast<T>(i) / 4;
    case Data::kLongRuns: return static_cast<T>(i / 300) + T(0.5);
    default: return IntValue<int16_t>(d, i, rng) / T(8);
  }
}

std::string StringValue(Data d, size_t i, std::mt19937_64& rng) {
  switch (d) {
    case Data::kEmptyStrings: return i % 3 == 0 ? "x" : "";
    case Data::kLongStrings: return std::string(33000 + (i % 5) * 1000, static_cast<char>('a' + i % 7));
    case Data::kUtf8: {
      const char* parts[] = {"日本語", "ü", "€", "😀", "a"};
      std::string s;
      for (size_t k = 0; k < 1 + i % 6; ++k) s += parts[(i + k) % 5];
      return s;
    }
    case Data::kMinMax: return i % 2 ? std::string(255, '\xff') : std::string(1, '\0');
    case Data::kSequential: return "key" + std::to_string(i);
    case Data::kLongRuns: return "run" + std::to_string(i / 300);
    case Data::kDistinct:
    case Data::kManyDistinct: return "v" + std::to_string((i * 7919) % 1000);
    case Data::kRandom: return std::string(rng() % 30, static_cast<char>('a' + rng() % 26));
    default: return "s" + std::to_string(rng() % 5);
  }
}

// Fills a vector of type t for data set d. NULL rows get random garbage in their slots.
Vector MakeData(const SqlType& t, Data d, uint32_t seed) {
  std::mt19937_64 rng(seed);
  size_t n = RowsOf(d);
  Vector v(t, n);
  for (size_t i = 0; i < n; ++i) {
    bool is_null = d == Data::kAllNull || (d == Data::kSomeNull && i % 3 != 1);
    v.SetNull(i, is_null);
    if (v.physical() == PhysicalType::kString) {
      std::string s = StringValue(d, i, rng);
      if (t.id == TypeId::kChar && s.size() > 12 && d != Data::kLongStrings) s.resize(12);
      v.SetString(i, s);
      continue;
    }
    DispatchPhysical(v.physical(), [&]<typename T>() {
      if constexpr (std::is_same_v<T, std::string_view>) {
      } else if constexpr (std::is_same_v<T, uint8_t>) {
        v.data<T>()[i] = d == Data::kLongRuns ? (i / 300) % 2 : rng() % 2;
      } else if constexpr (std::is_floating_point_v<T>) {
        v.data<T>()[i] = FloatValue<T>(d, i, rng);
      } else {
        v.data<T>()[i] = IntValue<T>(d, i, rng);
      }
    });
    if (is_null) {  // garbage: the encoder must not care
      uint64_t g[2] = {rng(), rng()};
      std::memcpy(v.data<uint8_t>() + i * PhysicalWidth(v.physical()), g, PhysicalWidth(v.physical()));
    }
  }
  return v;
}

bool SameValue(const Vector& a, size_t i, const Vector& b, size_t j) {
  if (a.physical() == PhysicalType::kString) return a.data<std::string_view>()[i] == b.data<std::string_view>()[j];
  size_t w = PhysicalWidth(a.physical());
  return std::memcmp(a.data<uint8_t>() + i * w, b.data<uint8_t>() + j * w, w) == 0;
}

struct Case {
  Encoding encoding;
  SqlType type;
  Data data;
};

std::vector<Case> AllCases() {
  std::vector<Case> cases;
  for (int e = 0; e < kEncodingCount; ++e) {
    for (const auto& t : AllTypes()) {
      if (!EncodingAccepts(static_cast<Encoding>(e), t)) continue;
      for (Data d : kAllData) {
        bool string_only = d == Data::kEmptyStrings || d == Data::kLongStrings || d == Data::kUtf8;
        if (string_only && !t.is_string()) continue;
        cases.push_back({static_cast<Encoding>(e), t, d});
      }
    }
  }
  return cases;
}

class EncodingRoundTrip : public ::testing::TestWithParam<Case> {};

TEST_P(EncodingRoundTrip, ExactAndRobust) {
  const Case& c = GetParam();
  Vector v = MakeData(c.type, c.data, 42);
  std::string payload = EncodeValues(c.encoding, v, 0, v.size());

  // Decoding appends after rows already in the vector.
  Vector out(c.type, 3);
  DecodeValues(c.encoding, payload, v.size(), &out);
  ASSERT_EQ(out.size(), v.size() + 3);
  for (size_t i = 0; i < v.size(); ++i) {
    if (v.IsNull(i)) continue;
    ASSERT_TRUE(SameValue(v, i, out, i + 3)) << "row " << i;
  }

  // Other garbage in the NULL rows gives the same payload.
  Vector v2 = MakeData(c.type, c.data, 42);
  std::mt19937_64 rng(7);
  size_t w = PhysicalWidth(v2.physical());
  for (size_t i = 0; i < v2.size(); ++i) {
    if (!v2.IsNull(i)) continue;
    if (v2.physical() == PhysicalType::kString) {
      v2.SetString(i, "garbage" + std::to_string(rng()));
    } else {
      for (size_t b = 0; b < w; ++b) v2.data<uint8_t>()[i * w + b] = static_cast<uint8_t>(rng());
    }
  }
  EXPECT_EQ(EncodeValues(c.encoding, v2, 0, v2.size()), payload);

  // A sub-range encodes just those rows.
  if (v.size() > 10) {
    std::string part = EncodeValues(c.encoding, v, 5, v.size() - 2);
    Vector out_part(c.type);
    DecodeValues(c.encoding, part, v.size() - 7, &out_part);
    for (size_t i = 5; i < v.size() - 2; ++i) {
      if (v.IsNull(i)) continue;
      ASSERT_TRUE(SameValue(v, i, out_part, i - 5)) << "row " << i;
    }
  }

  // Truncations and a wrong row count are XX001; the target vector keeps its size.
  size_t step = std::max<size_t>(1, payload.size() / 40);
  for (size_t len = 0; len < payload.size(); len += step) {
    Vector t(c.type, 2);
    try {
      DecodeValues(c.encoding, std::string_view(payload).substr(0, len), v.size(), &t);
      FAIL() << "truncated to " << len << " of " << payload.size() << " bytes did not throw";
    } catch (const SqlError& e) {
      EXPECT_EQ(e.sqlstate(), "XX001");
      EXPECT_EQ(t.size(), 2u);
    }
  }
  Vector extra(c.type);
  EXPECT_THROW(DecodeValues(c.encoding, payload, v.size() + 1, &extra), SqlError);

  // Flipped bytes must either decode to something or throw XX001, never crash.
  for (int k = 0; k < 20 && !payload.empty(); ++k) {
    std::string bad = payload;
    bad[rng() % bad.size()] ^= static_cast<char>(1 + rng() % 255);
    Vector t(c.type);
    try {
      DecodeValues(c.encoding, bad, v.size(), &t);
    } catch (const SqlError& e) {
      EXPECT_EQ(e.sqlstate(), "XX001");
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllEncodings, EncodingRoundTrip, ::testing::ValuesIn(AllCases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return std::string(EncodingName(info.param.encoding)) + "_" + TypeLabel(info.param.type) +
                                  "_" + DataName(info.param.data);
                         });

Vector Int64Column(size_t n, int64_t (*f)(size_t)) {
  Vector v(SqlType::Int64(), n);
  for (size_t i = 0; i < n; ++i) v.data<int64_t>()[i] = f(i);
  return v;
}

TEST(EncodingSize, Az64SequentialBigintIsUnderPointTwoBytesPerValue) {
  Vector v = Int64Column(100000, [](size_t i) { return static_cast<int64_t>(i) + 1; });
  std::string p = EncodeValues(Encoding::kAz64, v, 0, v.size());
  EXPECT_LT(static_cast<double>(p.size()) / v.size(), 0.2);
  // Sorted with random steps of 0..3: 2 bits a value plus the group headers.
  std::mt19937_64 rng(1);
  int64_t acc = 1000000;
  for (size_t i = 0; i < v.size(); ++i) v.data<int64_t>()[i] = acc += rng() % 4;
  EXPECT_LT(EncodeValues(Encoding::kAz64, v, 0, v.size()).size(), v.size() * 2 / 5);
}

TEST(EncodingSize, Mostly8AndBytedictAndRunlength) {
  Vector v = Int64Column(1000, [](size_t i) { return i == 10 ? int64_t{1} << 50 : static_cast<int64_t>(i % 100); });
  EXPECT_EQ(EncodeValues(Encoding::kMostly8, v, 0, v.size()).size(), 1000u + 8u);
  EXPECT_EQ(EncodeValues(Encoding::kBytedict, v, 0, v.size()).size(), 1u + 101 * 8 + 1000u);
  Vector runs = Int64Column(1000, [](size_t i) { return static_cast<int64_t>(i / 500); });
  EXPECT_EQ(EncodeValues(Encoding::kRunlength, runs, 0, runs.size()).size(), 2 * (2u + 8u));
}

// Dictionary matches come 64 rows at a time as bit masks: whatever the pattern (runs across the
// 64-row edges, whole chunks, scattered rows, a last chunk cut short), the ranges are exactly
// the matching rows, from first_row.
TEST(EncodingMatch, DictionaryRangesAreExactlyTheMatchingRows) {
  std::mt19937 rng(17);
  for (int trial = 0; trial < 40; ++trial) {
    const size_t n = 1 + rng() % 3000;
    const int domain = 2 + static_cast<int>(rng() % 9);
    const int run = 1 + static_cast<int>(rng() % 100);  // values repeat in runs of up to this
    Vector v = Int64Column(n, [](size_t) { return int64_t{0}; });
    int64_t value = 0;
    for (size_t i = 0; i < n; ++i) {
      if (rng() % run == 0) value = static_cast<int64_t>(rng() % domain);
      v.data<int64_t>()[i] = value;
    }
    const int64_t wanted = static_cast<int64_t>(rng() % domain);
    ValueTest eq;
    eq.integer = [&](int64_t x) { return x == wanted || x == wanted + 1; };
    RowRangeList r;
    const std::string p = EncodeValues(Encoding::kBytedict, v, 0, n);
    ASSERT_TRUE(MatchEncodedValues(Encoding::kBytedict, p, n, v.type(), eq, 1000, &r));
    std::vector<uint8_t> got(n, 0);
    int64_t last_end = -1;
    for (const auto& [b, e] : r) {
      ASSERT_LT(last_end, b);  // sorted, disjoint, not touching
      ASSERT_LT(b, e);
      for (int64_t row = b; row < e; ++row) got[static_cast<size_t>(row - 1000)] = 1;
      last_end = e;
    }
    for (size_t i = 0; i < n; ++i) {
      ASSERT_EQ(got[i], eq.integer(v.data<int64_t>()[i]) ? 1 : 0) << "trial " << trial << " row " << i;
    }
  }
}

// Evaluate-on-encoded: the ranges MatchEncodedValues finds equal the rows a decode-then-test
// finds, except escaped dictionary values, which are always kept.
TEST(EncodingMatch, RunsAndDictionaryEntriesAgreeWithDecodedRows) {
  Vector runs = Int64Column(1000, [](size_t i) { return static_cast<int64_t>(i / 100); });
  ValueTest ge7;
  ge7.integer = [](int64_t v) { return v >= 7; };
  RowRangeList r;
  std::string p = EncodeValues(Encoding::kRunlength, runs, 0, runs.size());
  ASSERT_TRUE(MatchEncodedValues(Encoding::kRunlength, p, runs.size(), runs.type(), ge7, 5000, &r));
  EXPECT_EQ(r, (RowRangeList{{5700, 6000}}));

  // BYTEDICT over 300 distinct values: entries 0..254 are tested, escaped rows are kept.
  Vector many = Int64Column(600, [](size_t i) { return static_cast<int64_t>(i % 300); });
  ValueTest eq3;
  eq3.integer = [](int64_t v) { return v == 3; };
  r.clear();
  p = EncodeValues(Encoding::kBytedict, many, 0, many.size());
  ASSERT_TRUE(MatchEncodedValues(Encoding::kBytedict, p, many.size(), many.type(), eq3, 0, &r));
  EXPECT_EQ(r, (RowRangeList{{3, 4}, {255, 300}, {303, 304}, {555, 600}}));

  // Strings: RUNLENGTH runs, TEXT32K entries.
  Vector s(SqlType::Varchar(8), 6);
  for (size_t i = 0; i < 6; ++i) s.SetString(i, i < 2 ? "a" : i < 5 ? "bb" : "a");
  ValueTest is_bb;
  is_bb.string = [](std::string_view v) { return v == "bb"; };
  for (Encoding e : {Encoding::kRunlength, Encoding::kText32k, Encoding::kText255, Encoding::kBytedict}) {
    r.clear();
    p = EncodeValues(e, s, 0, s.size());
    ASSERT_TRUE(MatchEncodedValues(e, p, s.size(), s.type(), is_bb, 0, &r)) << EncodingName(e);
    EXPECT_EQ(r, (RowRangeList{{2, 5}})) << EncodingName(e);
  }

  // No shortcut: RAW and AZ64, doubles, or a test for the other kind of value.
  r.clear();
  EXPECT_FALSE(MatchEncodedValues(Encoding::kRaw, EncodeValues(Encoding::kRaw, runs, 0, 1000), 1000, runs.type(), ge7, 0, &r));
  EXPECT_FALSE(MatchEncodedValues(Encoding::kAz64, EncodeValues(Encoding::kAz64, runs, 0, 1000), 1000, runs.type(), ge7, 0, &r));
  EXPECT_FALSE(MatchEncodedValues(Encoding::kRunlength, p, s.size(), s.type(), ge7, 0, &r));
  Vector d(SqlType::Float64(), 3);
  EXPECT_FALSE(MatchEncodedValues(Encoding::kRunlength, EncodeValues(Encoding::kRunlength, d, 0, 3), 3, d.type(), ge7, 0, &r));
  EXPECT_TRUE(r.empty());
  // A truncated payload is XX001, as decoding it would be.
  std::string cut = EncodeValues(Encoding::kRunlength, runs, 0, runs.size()).substr(0, 7);
  EXPECT_THROW(MatchEncodedValues(Encoding::kRunlength, cut, runs.size(), runs.type(), ge7, 0, &r), SqlError);
}

TEST(EncodingLayout, WorkedExamples) {
  Vector v(SqlType::Int32(), 4);
  int32_t vals[] = {7, 8, 9, 1000};
  std::memcpy(v.data<int32_t>(), vals, sizeof(vals));
  EXPECT_EQ(EncodeValues(Encoding::kDelta, v, 0, 4), std::string("\x07\0\0\0\x01\x01\x80\xe8\x03\0\0", 11));
  EXPECT_EQ(EncodeValues(Encoding::kDelta32k, v, 0, 4), std::string("\x07\0\0\0\x01\0\x01\0\xdf\x03", 10));
  EXPECT_EQ(EncodeValues(Encoding::kAz64, v, 0, 4), std::string("\x04\x00\x0a\x07\0\0\0\x00\x04\x20\x40\xf8", 12));
  EXPECT_EQ(EncodeValues(Encoding::kRaw, v, 0, 4), std::string("\x07\0\0\0\x08\0\0\0\x09\0\0\0\xe8\x03\0\0", 16));
  vals[1] = -8;
  vals[2] = 1000;
  vals[3] = 9;
  std::memcpy(v.data<int32_t>(), vals, sizeof(vals));
  EXPECT_EQ(EncodeValues(Encoding::kMostly8, v, 0, 4), std::string("\x07\xf8\x80\x09\xe8\x03\0\0", 8));
}

TEST(EncodingCatalog, AcceptsMatchesRedshift) {
  EXPECT_TRUE(EncodingAccepts(Encoding::kAz64, SqlType::Decimal(38, 2)));
  EXPECT_TRUE(EncodingAccepts(Encoding::kAz64, SqlType::Timestamp()));
  EXPECT_FALSE(EncodingAccepts(Encoding::kAz64, SqlType::Varchar(10)));
  EXPECT_FALSE(EncodingAccepts(Encoding::kAz64, SqlType::Float64()));
  EXPECT_FALSE(EncodingAccepts(Encoding::kAz64, SqlType::Bool()));
  EXPECT_FALSE(EncodingAccepts(Encoding::kBytedict, SqlType::Bool()));
  EXPECT_TRUE(EncodingAccepts(Encoding::kBytedict, SqlType::Float32()));
  EXPECT_TRUE(EncodingAccepts(Encoding::kBytedict, SqlType::Char(3)));
  EXPECT_TRUE(EncodingAccepts(Encoding::kDelta, SqlType::Int16()));
  EXPECT_FALSE(EncodingAccepts(Encoding::kDelta32k, SqlType::Int16()));
  EXPECT_TRUE(EncodingAccepts(Encoding::kDelta32k, SqlType::Date()));
  EXPECT_FALSE(EncodingAccepts(Encoding::kDelta, SqlType::Varchar(5)));
  EXPECT_TRUE(EncodingAccepts(Encoding::kMostly8, SqlType::Int16()));
  EXPECT_FALSE(EncodingAccepts(Encoding::kMostly16, SqlType::Int16()));
  EXPECT_FALSE(EncodingAccepts(Encoding::kMostly32, SqlType::Int32()));
  EXPECT_TRUE(EncodingAccepts(Encoding::kMostly32, SqlType::Decimal(12, 2)));
  EXPECT_FALSE(EncodingAccepts(Encoding::kMostly8, SqlType::Date()));
  EXPECT_TRUE(EncodingAccepts(Encoding::kText255, SqlType::Varchar(10)));
  EXPECT_FALSE(EncodingAccepts(Encoding::kText255, SqlType::Char(10)));
  EXPECT_FALSE(EncodingAccepts(Encoding::kText32k, SqlType::Int32()));
  EXPECT_TRUE(EncodingAccepts(Encoding::kRunlength, SqlType::Bool()));
  EXPECT_FALSE(EncodingAccepts(Encoding::kLzo, SqlType::Bool()));
  EXPECT_FALSE(EncodingAccepts(Encoding::kLzo, SqlType::Float32()));
  EXPECT_TRUE(EncodingAccepts(Encoding::kZstd, SqlType::Float64()));
  for (int e = 0; e < kEncodingCount; ++e) {
    bool text_only = e == static_cast<int>(Encoding::kText255) || e == static_cast<int>(Encoding::kText32k);
    EXPECT_EQ(EncodingAccepts(static_cast<Encoding>(e), SqlType::Int64()), !text_only) << e;
  }
}

TEST(EncodingCatalog, Defaults) {
  EXPECT_EQ(DefaultEncoding(SqlType::Int64(), false), Encoding::kAz64);
  EXPECT_EQ(DefaultEncoding(SqlType::Decimal(38, 0), false), Encoding::kAz64);
  EXPECT_EQ(DefaultEncoding(SqlType::Date(), false), Encoding::kAz64);
  EXPECT_EQ(DefaultEncoding(SqlType::Varchar(10), false), Encoding::kLzo);
  EXPECT_EQ(DefaultEncoding(SqlType::Char(1), false), Encoding::kLzo);
  EXPECT_EQ(DefaultEncoding(SqlType::Float64(), false), Encoding::kRaw);
  EXPECT_EQ(DefaultEncoding(SqlType::Bool(), false), Encoding::kRaw);
  EXPECT_EQ(DefaultEncoding(SqlType::Int64(), true), Encoding::kRaw);
  EXPECT_EQ(DefaultEncoding(SqlType::Varchar(10), true), Encoding::kRaw);
  EXPECT_EQ(CompressionOf(Encoding::kLzo), PayloadCompression::kLz4);
  EXPECT_EQ(CompressionOf(Encoding::kZstd), PayloadCompression::kZstd);
  EXPECT_EQ(CompressionOf(Encoding::kAz64), PayloadCompression::kNone);
}

TEST(EncodingCatalog, Names) {
  for (int e = 0; e < kEncodingCount; ++e) {
    auto enc = static_cast<Encoding>(e);
    EXPECT_EQ(EncodingFromName(EncodingName(enc)), enc);
  }
  EXPECT_EQ(EncodingFromName("delta32k"), Encoding::kDelta32k);
  EXPECT_EQ(EncodingFromName("text255"), Encoding::kText255);
  EXPECT_EQ(EncodingFromName("AZ64"), std::nullopt);  // callers lowercase first
  EXPECT_EQ(EncodingFromName("lz4"), std::nullopt);
  EXPECT_EQ(EncodingFromName(""), std::nullopt);
}

// A range decoder (AZ64, RAW) gives, for any increasing ranges of rows, exactly the values the
// whole-block decoder gives: ranges that start and end inside groups, that skip groups, that
// read on from a group an earlier range cut, and single rows.
TEST(EncodingRange, AnyIncreasingRangesMatchTheWholeDecode) {
  std::mt19937_64 rng(7);
  int decoders = 0;
  for (const Case& c : AllCases()) {
    Vector v = MakeData(c.type, c.data, 42);
    std::string payload = EncodeValues(c.encoding, v, 0, v.size());
    if (CompressionOf(c.encoding) != PayloadCompression::kNone) continue;  // the block decompresses first
    for (int trial = 0; trial < 20; ++trial) {
      std::unique_ptr<RangeDecoder> d = OpenRangeDecoder(c.encoding, payload, v.size(), v.physical());
      if (d == nullptr) break;
      ++decoders;
      Vector whole(c.type);
      DecodeValues(c.encoding, payload, v.size(), &whole);
      size_t row = 0;
      while (row < v.size()) {
        size_t begin = row + (rng() % 3 == 0 ? rng() % 300 : 0);
        if (begin >= v.size()) break;
        size_t end = std::min(v.size(), begin + (rng() % 4 == 0 ? 1 : 1 + rng() % 400));
        Vector out(c.type, 2);
        out.Resize(2 + (end - begin));
        d->Read(begin, end, &out, 2);
        for (size_t r = begin; r < end; ++r) {
          ASSERT_TRUE(SameValue(whole, r, out, 2 + r - begin))
              << EncodingName(c.encoding) << " " << c.type.ToString() << " " << DataName(c.data) << " row " << r;
        }
        row = end;
      }
    }
  }
  EXPECT_GT(decoders, 100);  // AZ64 and RAW over every fixed-width type
  EXPECT_EQ(OpenRangeDecoder(Encoding::kRaw, "", 0, PhysicalType::kString), nullptr);
  EXPECT_EQ(OpenRangeDecoder(Encoding::kBytedict, std::string(16, '\0'), 1, PhysicalType::kInt64), nullptr);
}

// Reading back (a row before one already read that no buffer holds), past the end, or a
// garbled payload: XX001, never a crash.
TEST(EncodingRange, MisuseAndBadPayloadsAreXX001) {
  Vector v(SqlType::Int64(), 1000);
  for (size_t i = 0; i < 1000; ++i) { v.data<int64_t>()[i] = static_cast<int64_t>(i * 37 % 1001); v.SetNull(i, false); }
  std::string payload = EncodeValues(Encoding::kAz64, v, 0, 1000);
  Vector out(SqlType::Int64(), 1000);
  auto d = OpenRangeDecoder(Encoding::kAz64, payload, 1000, PhysicalType::kInt64);
  d->Read(300, 700, &out, 0);
  EXPECT_THROW(d->Read(10, 20, &out, 0), SqlError);
  EXPECT_THROW(d->Read(900, 1001, &out, 0), SqlError);
  EXPECT_THROW(OpenRangeDecoder(Encoding::kAz64, payload, 999, PhysicalType::kInt64), SqlError);
  EXPECT_THROW(OpenRangeDecoder(Encoding::kRaw, std::string(15, '\0'), 2, PhysicalType::kInt64), SqlError);
  std::mt19937_64 rng(5);
  for (int k = 0; k < 2000; ++k) {
    std::string bytes = payload.substr(0, rng() % payload.size());
    if (!bytes.empty() && rng() % 2) bytes[rng() % bytes.size()] = static_cast<char>(rng());
    try {
      auto g = OpenRangeDecoder(Encoding::kAz64, bytes, 1000, PhysicalType::kInt64);
      g->Read(0, 1000, &out, 0);
    } catch (const SqlError& err) {
      EXPECT_EQ(err.sqlstate(), "XX001");
    }
  }
}

TEST(EncodingCorrupt, BadHeadersAreXX001) {
  Vector out(SqlType::Int64());
  auto expect_xx001 = [&](Encoding e, std::string payload, size_t n) {
    try {
      DecodeValues(e, payload, n, &out);
      ADD_FAILURE() << EncodingName(e) << " accepted a bad payload";
    } catch (const SqlError& err) {
      EXPECT_EQ(err.sqlstate(), "XX001") << err.what();
    }
  };
  expect_xx001(Encoding::kAz64, std::string("\x01\x02\x00", 3) + std::string(8, '\0'), 1);  // unknown mode
  expect_xx001(Encoding::kAz64, std::string("\x02\x00\x00", 3) + std::string(8, '\0'), 1);  // wrong count
  expect_xx001(Encoding::kAz64, std::string("\x01\x00\x41", 3) + std::string(8, '\0') + std::string(9, '\0'), 1);  // width 65
  expect_xx001(Encoding::kBytedict, std::string("\x01", 1) + std::string(8, '\0') + "\x05", 1);  // index past dict
  expect_xx001(Encoding::kRunlength, std::string("\x00", 1) + std::string(8, '\0'), 1);  // empty run
  expect_xx001(Encoding::kRunlength, std::string("\x05", 1) + std::string(8, '\0'), 3);  // run past n
  expect_xx001(Encoding::kRaw, std::string(8, '\0'), size_t{1} << 40);  // absurd row count
  Vector s(SqlType::Varchar(10));
  EXPECT_THROW(DecodeValues(Encoding::kText255, std::string("\x01\xff\xff\xff\xff\x0f", 6), 1, &s), SqlError);
  EXPECT_THROW(DecodeValues(Encoding::kRaw, std::string("\x05\0\0\0ab", 6), 1, &s), SqlError);
  EXPECT_EQ(s.size(), 0u);
}

TEST(EncodingCorrupt, RandomBytesThrowOrDecodeNeverCrash) {
  std::mt19937_64 rng(99);
  for (int e = 0; e < kEncodingCount; ++e) {
    for (const auto& t : AllTypes()) {
      if (!EncodingAccepts(static_cast<Encoding>(e), t)) continue;
      for (int k = 0; k < 200; ++k) {
        std::string bytes(rng() % 64, '\0');
        for (auto& b : bytes) b = static_cast<char>(rng() % 4 == 0 ? 0 : rng());
        size_t n = rng() % 20;
        Vector out(t);
        try {
          DecodeValues(static_cast<Encoding>(e), bytes, n, &out);
          EXPECT_EQ(out.size(), n);
        } catch (const SqlError& err) {
          EXPECT_EQ(err.sqlstate(), "XX001");
          EXPECT_EQ(out.size(), 0u);
        }
      }
    }
  }
}

}  // namespace
}  // namespace strata
