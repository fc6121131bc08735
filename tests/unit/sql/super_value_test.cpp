// Tests for sql/super_value: SUPER's canonical JSON text, navigation over it without a parse
// tree (strings with escapes and brackets inside must not confuse the skipping), string
// values with escapes and surrogate pairs, numbers, and Redshift's dynamic-typed comparison.
#include "sql/super_value.h"

#include <gtest/gtest.h>

#include <string>

namespace strata {
namespace {

std::string Canonical(const std::string& json) {
  std::string out, error;
  EXPECT_TRUE(ParseJsonToSuper(json, &out, &error)) << json << ": " << error;
  return out;
}

TEST(SuperValue, ParsesToMinifiedText) {
  EXPECT_EQ(Canonical(" { \"a\" : [ 1 , 2.50 , \"x y\" ] , \"b\" : null } "), "{\"a\":[1,2.50,\"x y\"],\"b\":null}");
  EXPECT_EQ(Canonical("\"s\""), "\"s\"");
  EXPECT_EQ(Canonical("-1e3"), "-1e3");
}

TEST(SuperValue, RejectsInvalidJson) {
  std::string out, error;
  for (const char* bad : {"", "{", "[1,]", "{1:2}", "{\"a\":1} x", "tru", "'a'", "{\"a\" 1}"}) {
    EXPECT_FALSE(ParseJsonToSuper(bad, &out, &error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
  std::string deep(kMaxSuperDepth + 5, '[');
  deep += std::string(kMaxSuperDepth + 5, ']');
  EXPECT_FALSE(ParseJsonToSuper(deep, &out, &error));
}

TEST(SuperValue, KindsByFirstByte) {
  EXPECT_EQ(KindOfSuper("null"), SuperKind::kNull);
  EXPECT_EQ(KindOfSuper("true"), SuperKind::kBool);
  EXPECT_EQ(KindOfSuper("-3"), SuperKind::kNumber);
  EXPECT_EQ(KindOfSuper("\"x\""), SuperKind::kString);
  EXPECT_EQ(KindOfSuper("[]"), SuperKind::kArray);
  EXPECT_EQ(KindOfSuper("{}"), SuperKind::kObject);
  EXPECT_STREQ(SuperKindName(SuperKind::kBool), "boolean");
}

TEST(SuperValue, NavigatesMembersAndElements) {
  std::string doc = Canonical(R"({"k]":"v,}","a":{"b":[10,{"c":"x\"]"},[1,[2]]]},"e":[],"a2":1})");
  auto a = SuperMember(doc, "a");
  ASSERT_TRUE(a.has_value());
  auto b = SuperMember(*a, "b");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(*b, R"([10,{"c":"x\"]"},[1,[2]]])");
  EXPECT_EQ(SuperElement(*b, 0).value(), "10");
  EXPECT_EQ(SuperMember(SuperElement(*b, 1).value(), "c").value(), R"("x\"]")");
  EXPECT_EQ(SuperElement(*b, 2).value(), "[1,[2]]");
  EXPECT_FALSE(SuperElement(*b, 3).has_value());
  EXPECT_FALSE(SuperElement(*b, -1).has_value());
  EXPECT_EQ(SuperMember(doc, "k]").value(), "\"v,}\"");
  EXPECT_EQ(SuperMember(doc, "a2").value(), "1");
  EXPECT_FALSE(SuperMember(doc, "zz").has_value());
  EXPECT_FALSE(SuperMember("[1]", "a").has_value());
  EXPECT_FALSE(SuperElement("{\"a\":1}", 0).has_value());
  EXPECT_FALSE(SuperElement(SuperMember(doc, "e").value(), 0).has_value());
  EXPECT_EQ(SuperArrayLength(*b).value(), 3);
  EXPECT_EQ(SuperArrayLength("[]").value(), 0);
  EXPECT_FALSE(SuperArrayLength("\"[1]\"").has_value());
}

TEST(SuperValue, MemberNamesWithEscapes) {
  std::string doc = Canonical(R"({"a\u00e9":1,"q\"k":2})");
  EXPECT_EQ(SuperMember(doc, "a\xc3\xa9").value(), "1");
  EXPECT_EQ(SuperMember(doc, "q\"k").value(), "2");
}

TEST(SuperValue, StringValues) {
  EXPECT_EQ(SuperStringValue(R"("plain")"), "plain");
  EXPECT_EQ(SuperStringValue(R"("t\tn\nq\"b\\s\/")"), "t\tn\nq\"b\\s/");
  EXPECT_EQ(SuperStringValue(R"("\u00e9\ud83d\ude00")"), "\xc3\xa9\xf0\x9f\x98\x80");
  std::string quoted;
  AppendSuperString("a\"b\\c\n\x01", &quoted);
  EXPECT_EQ(quoted, R"("a\"b\\c\n\u0001")");
  EXPECT_EQ(SuperStringValue(quoted), "a\"b\\c\n\x01");
}

TEST(SuperValue, Numbers) {
  EXPECT_EQ(SuperNumberAsInt64("42").value(), 42);
  EXPECT_EQ(SuperNumberAsInt64("-9223372036854775808").value(), INT64_MIN);
  EXPECT_FALSE(SuperNumberAsInt64("9223372036854775808").has_value());
  EXPECT_FALSE(SuperNumberAsInt64("1.5").has_value());
  EXPECT_FALSE(SuperNumberAsInt64("\"1\"").has_value());
  EXPECT_DOUBLE_EQ(SuperNumberAsDouble("1.5e2").value(), 150.0);
  EXPECT_TRUE(SuperNumberIsInteger("7"));
  EXPECT_FALSE(SuperNumberIsInteger("7.0"));
}

TEST(SuperValue, DynamicComparison) {
  EXPECT_EQ(CompareSuper("1", "1.0").value(), 0);
  EXPECT_EQ(CompareSuper("2", "10").value(), -1);
  EXPECT_EQ(CompareSuper("\"b\"", "\"a\"").value(), 1);
  EXPECT_EQ(CompareSuper("\"a  \"", "\"a\"").value(), 0);  // trailing blanks, as VARCHAR compares
  EXPECT_EQ(CompareSuper("false", "true").value(), -1);
  EXPECT_EQ(CompareSuper("[1,2]", "[1,2]").value(), 0);
  EXPECT_EQ(CompareSuper("[1,2]", "[2,1]").value(), 2);
  EXPECT_EQ(CompareSuper(R"({"a":1,"b":[1.0,{"c":"x"}]})", R"({"b":[1,{"c":"x"}],"a":1.00})").value(), 0);
  EXPECT_EQ(CompareSuper(R"({"a":1,"b":2})", R"({"a":1})").value(), 2);
  EXPECT_EQ(CompareSuper(R"({"a":1})", R"({"a":"1"})").value(), 2);
  EXPECT_FALSE(CompareSuper("1", "\"1\"").has_value());
  EXPECT_FALSE(CompareSuper("null", "null").has_value());
}

}  // namespace
}  // namespace strata
