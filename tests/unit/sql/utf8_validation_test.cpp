// UTF-8 validation (sql/utf8_validation.h) and its use at the parser's door: bytes that are not
// UTF-8 are 22021, not an internal error from the protobuf decoder (found by tests/fuzz/fuzz_sql;
// the input is in tests/fuzz/corpus/sql/).
#include <gtest/gtest.h>

#include "sql/error.h"
#include "sql/parser.h"
#include "sql/utf8_validation.h"

namespace strata {
namespace {

TEST(Utf8ValidationTest, AcceptsValidText) {
  EXPECT_FALSE(FindInvalidUtf8(""));
  EXPECT_FALSE(FindInvalidUtf8("select 1"));
  EXPECT_FALSE(FindInvalidUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf \xed\x9f\xbf"));
}

TEST(Utf8ValidationTest, FindsTheFirstBadSequence) {
  EXPECT_EQ(FindInvalidUtf8("ab\xff"), 2u);
  EXPECT_EQ(FindInvalidUtf8("\x80"), 0u);                      // a lone continuation byte
  EXPECT_EQ(FindInvalidUtf8("x\xc3"), 1u);                     // truncated
  EXPECT_EQ(FindInvalidUtf8("\xc3\x28"), 0u);                  // bad continuation
  EXPECT_EQ(FindInvalidUtf8("\xc0\xaf"), 0u);                  // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("\xe0\x80\xaf"), 0u);              // overlong
  EXPECT_EQ(FindInvalidUtf8("\xed\xa0\x80"), 0u);              // a surrogate
  EXPECT_EQ(FindInvalidUtf8("\xf4\x90\x80\x80"), 0u);          // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8(std::string_view("a\0b", 3)), 1u);  // NUL, as PostgreSQL
}

TEST(Utf8ValidationTest, ParserRefusesInvalidUtf8With22021) {
  for (std::string sql : {"select '\xff'", "create table t (d dec\xff\xff" "al(8,2))", "select 1 as \xc3\x28"}) {
    try {
      ParseSql(sql);
      FAIL() << "parsed " << sql;
    } catch (const SqlError& e) {
      EXPECT_EQ(e.sqlstate(), "22021") << e.message();
    }
    EXPECT_THROW(SplitSql(sql), SqlError);
  }
  try {
    ParseSql("select 'a\xc3\x28'");
  } catch (const SqlError& e) {
    EXPECT_EQ(e.message(), "invalid byte sequence for encoding \"UTF8\": 0xc3 0x28");
  }
  EXPECT_EQ(ParseSql("select 'caf\xc3\xa9' as \"\xe2\x82\xac\"").size(), 1u);
}

}  // namespace
}  // namespace strata
