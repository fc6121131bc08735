// The COPY field parsers' fast paths against sql/value_text (the definition of the syntax): on
// random inputs, a fast path either declines or yields ParseValueText's exact value, and a whole
// column parses to the same values, NULLs and SQLSTATEs as ParseValueText field by field.
#include "formats/text_field_parser.h"

#include <gtest/gtest.h>

#include <random>

#include "sql/value_text.h"

namespace strata {
namespace {

// Random text from a small alphabet that reaches every branch of the number and date syntax.
std::string RandomToken(std::mt19937_64& rng, std::string_view alphabet, int max_len) {
  std::string s;
  int n = static_cast<int>(rng() % (max_len + 1));
  for (int i = 0; i < n; ++i) s.push_back(alphabet[rng() % alphabet.size()]);
  return s;
}

std::string RandomDecimalText(std::mt19937_64& rng) {
  if (rng() % 4 == 0) return RandomToken(rng, "0123456789.-+ e", 8);
  std::string s;
  if (rng() % 3 == 0) s.push_back(rng() % 2 ? '-' : '+');
  s += RandomToken(rng, "0123456789", 1 + rng() % 20);
  if (rng() % 2) s += "." + RandomToken(rng, "0123456789", rng() % 8);
  return s;
}

TEST(TextFieldParserTest, FastDecimalEqualsParseDecimal) {
  std::mt19937_64 rng(42);
  const int kShapes[][2] = {{15, 2}, {18, 0}, {5, 3}, {38, 6}, {0, 2}, {20, 10}, {3, 0}};
  int fast_taken = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string text = RandomDecimalText(rng);
    const auto& shape = kShapes[i % std::size(kShapes)];
    int128 fast = 0;
    bool ok = FastParseDecimal(text, shape[0], shape[1], &fast);
    try {
      int128 slow = ParseDecimal(text, shape[0], shape[1]);
      if (ok) {
        ++fast_taken;
        ASSERT_TRUE(fast == slow) << text << " p=" << shape[0] << " s=" << shape[1];
      }
    } catch (const SqlError&) {
      ASSERT_FALSE(ok) << "fast path accepted " << text << " p=" << shape[0] << " s=" << shape[1];
    }
  }
  EXPECT_GT(fast_taken, 50000);  // the fast path really is the common path
}

TEST(TextFieldParserTest, FastDecimalRoundsHalfAwayFromZero) {
  int128 v = 0;
  ASSERT_TRUE(FastParseDecimal("1.005", 15, 2, &v));
  EXPECT_TRUE(v == 101);
  ASSERT_TRUE(FastParseDecimal("-1.0049", 15, 2, &v));
  EXPECT_TRUE(v == -100);
  ASSERT_TRUE(FastParseDecimal("-2.5", 15, 0, &v));
  EXPECT_TRUE(v == -3);
  EXPECT_FALSE(FastParseDecimal("999.5", 3, 0, &v));  // rounds out of range: the slow path's 22003
  EXPECT_FALSE(FastParseDecimal("1e3", 15, 2, &v));
}

TEST(TextFieldParserTest, FastDateAndTimestampEqualSlowParsers) {
  std::mt19937_64 rng(7);
  int fast_taken = 0;
  for (int i = 0; i < 100000; ++i) {
    char buf[40];
    int year = static_cast<int>(rng() % 10000), month = static_cast<int>(rng() % 14);
    int day = static_cast<int>(rng() % 33);
    int hour = static_cast<int>(rng() % 26), minute = static_cast<int>(rng() % 61);
    int second = static_cast<int>(rng() % 62);
    std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d", year, month, day);
    std::string date = buf;
    if (rng() % 10 == 0) date[rng() % date.size()] = "x/ 0"[rng() % 4];
    int32_t days = 0;
    bool ok = FastParseDate(date, &days);
    try {
      int32_t slow = ParseDate(date);
      if (ok) {
        ++fast_taken;
        ASSERT_EQ(days, slow) << date;
      }
    } catch (const SqlError&) {
      ASSERT_FALSE(ok) << date;
    }
    std::snprintf(buf, sizeof(buf), "%s%c%02d:%02d:%02d", date.c_str(), rng() % 2 ? ' ' : 'T', hour,
                  minute, second);
    int64_t micros = 0;
    ok = FastParseTimestamp(buf, &micros);
    try {
      int64_t slow = ParseTimestamp(buf);
      if (ok) {
        ASSERT_EQ(micros, slow) << buf;
      }
    } catch (const SqlError&) {
      ASSERT_FALSE(ok) << buf;
    }
  }
  EXPECT_GT(fast_taken, 30000);
}

// Parses `texts` as one column both ways and compares values, NULLs and error SQLSTATEs.
void CheckColumnAgainstValueText(const SqlType& type, const std::vector<std::string>& texts) {
  std::vector<FieldRef> fields;
  for (const auto& t : texts) fields.push_back({t.data(), static_cast<uint32_t>(t.size()), 0});
  Vector fast(type, texts.size());
  std::vector<FieldFailure> failures;
  ColumnTextParser(type, TextNullRules{}).Parse(fields.data(), 1, fields.size(), &fast, false, &failures);
  size_t next_failure = 0;
  Vector slow(type, 1);
  for (size_t r = 0; r < texts.size(); ++r) {
    const std::string& text = texts[r];
    std::string expected_state;
    bool expected_null = text == "\\N";
    if (!expected_null && !type.is_string() &&
        text.find_first_not_of(" \t\n\v\f\r") == std::string::npos) {
      expected_null = true;
    }
    if (!expected_null) {
      try {
        ParseValueText(text, &slow, 0);
      } catch (const SqlError& e) {
        expected_state = e.sqlstate();
      }
    }
    if (!expected_state.empty()) {
      ASSERT_LT(next_failure, failures.size()) << "accepted: '" << text << "' as " << type.ToString();
      ASSERT_EQ(failures[next_failure].row, r);
      EXPECT_EQ(failures[next_failure].error.sqlstate(), expected_state) << text;
      ++next_failure;
      EXPECT_TRUE(fast.IsNull(r));
      continue;
    }
    ASSERT_EQ(fast.IsNull(r), expected_null) << "'" << text << "' as " << type.ToString();
    if (!expected_null) {
      ASSERT_EQ(ValueText(fast, r), ValueText(slow, 0)) << "'" << text << "' as " << type.ToString();
    }
  }
  EXPECT_EQ(next_failure, failures.size());
}

TEST(TextFieldParserTest, ColumnsMatchParseValueText) {
  std::mt19937_64 rng(1234);
  const SqlType kTypes[] = {SqlType::Int16(),       SqlType::Int32(),      SqlType::Int64(),
                            SqlType::Decimal(15, 2), SqlType::Decimal(25, 4), SqlType::Float64(),
                            SqlType::Float32(),     SqlType::Date(),       SqlType::Timestamp(),
                            SqlType::Varchar(5),    SqlType::Char(4),      SqlType::Text(),
                            SqlType::Bool(),        SqlType::Interval(),   SqlType::Time(),
                            SqlType::TimeTz()};
  for (const SqlType& type : kTypes) {
    std::vector<std::string> texts;
    for (int i = 0; i < 4000; ++i) {
      switch (rng() % 6) {
        case 0: texts.push_back(RandomToken(rng, "0123456789-+. eE", 12)); break;
        case 1: texts.push_back(RandomDecimalText(rng)); break;
        case 2: texts.push_back(std::to_string(static_cast<int64_t>(rng()) >> (rng() % 64))); break;
        case 3: texts.push_back(RandomToken(rng, "ab \xc3\xa9", 7)); break;
        case 4: {
          char buf[32];
          std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d%s", static_cast<int>(rng() % 3000),
                        static_cast<int>(rng() % 13), static_cast<int>(rng() % 32),
                        rng() % 2 ? " 12:34:56" : "");
          texts.push_back(buf);
          break;
        }
        default:
          texts.push_back(std::vector<std::string>{"\\N", "", " ", "NaN", "-Infinity", "true", "0x1p3",
                                                   "1e400", " 7 ", "t"}[rng() % 10]);
      }
    }
    SCOPED_TRACE(type.ToString());
    CheckColumnAgainstValueText(type, texts);
  }
}

TEST(TextFieldParserTest, NullRulesForStrings) {
  TextNullRules rules;
  rules.null_as = "NULL";
  rules.empty_as_null = true;
  rules.blanks_as_null = true;
  rules.trim_blanks = true;
  std::vector<std::string> texts = {"NULL", "", "   ", "ab  ", "NULL", "x"};
  std::vector<FieldRef> fields;
  for (const auto& t : texts) fields.push_back({t.data(), static_cast<uint32_t>(t.size()), 0});
  fields[4].flags = kFieldQuoted;  // a quoted "NULL" is the string NULL
  Vector v(SqlType::Varchar(10), texts.size());
  std::vector<FieldFailure> failures;
  ColumnTextParser(SqlType::Varchar(10), rules).Parse(fields.data(), 1, fields.size(), &v, false, &failures);
  EXPECT_TRUE(failures.empty());
  EXPECT_TRUE(v.IsNull(0));
  EXPECT_TRUE(v.IsNull(1));
  EXPECT_TRUE(v.IsNull(2));
  EXPECT_EQ(ValueText(v, 3), "ab");  // TRIMBLANKS drops the trailing blanks
  EXPECT_EQ(ValueText(v, 4), "NULL");
  EXPECT_EQ(ValueText(v, 5), "x");
}

TEST(TextFieldParserTest, StopAtFirstFailure) {
  std::vector<std::string> texts = {"1", "x", "y", "4"};
  std::vector<FieldRef> fields;
  for (const auto& t : texts) fields.push_back({t.data(), static_cast<uint32_t>(t.size()), 0});
  Vector v(SqlType::Int32(), texts.size());
  std::vector<FieldFailure> failures;
  ColumnTextParser(SqlType::Int32(), TextNullRules{}).Parse(fields.data(), 1, 4, &v, true, &failures);
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].row, 1u);
  EXPECT_EQ(failures[0].error.sqlstate(), sqlstate::kInvalidTextRepresentation);
  EXPECT_EQ(failures[0].error.message(), "invalid input syntax for type integer: \"x\"");
}

}  // namespace
}  // namespace strata
