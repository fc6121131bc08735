// LikeMatcher against a reference matcher (a plain recursive LIKE over bytes): every compiled
// shape (exact, prefix, suffix, contains, several %-separated literals, general) must agree with
// it on generated patterns and texts over a small alphabet, where overlaps and repeats are common.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "executor/expr_like.h"

namespace strata {
namespace {

// LIKE over bytes (ASCII test data): % any run, _ one character, no escapes.
bool ReferenceLike(std::string_view t, std::string_view p) {
  if (p.empty()) return t.empty();
  if (p[0] == '%') {
    for (size_t i = 0; i <= t.size(); ++i) {
      if (ReferenceLike(t.substr(i), p.substr(1))) return true;
    }
    return false;
  }
  if (t.empty()) return false;
  if (p[0] == '_' || p[0] == t[0]) return ReferenceLike(t.substr(1), p.substr(1));
  return false;
}

std::string Random(std::mt19937* rng, const std::string& alphabet, size_t max_len) {
  std::uniform_int_distribution<size_t> len(0, max_len);
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
  std::string s(len(*rng), ' ');
  for (char& c : s) c = alphabet[pick(*rng)];
  return s;
}

TEST(LikeMatcher, AgreesWithReferenceOnGeneratedPatterns) {
  std::mt19937 rng(20261207);
  for (int round = 0; round < 4000; ++round) {
    // Half the patterns without '_', so the %-separated literal shape is exercised often.
    std::string pattern = Random(&rng, round % 2 ? "ab%%" : "ab%_", 7);
    LikeMatcher m;
    m.Compile(pattern);
    for (int k = 0; k < 20; ++k) {
      std::string text = Random(&rng, "abc", 9);
      ASSERT_EQ(m.Match(text), ReferenceLike(text, pattern)) << "pattern '" << pattern << "' text '" << text << "'";
    }
  }
}

TEST(LikeMatcher, SeveralLiteralsInOrder) {
  LikeMatcher m;
  m.Compile("%special%requests%");
  EXPECT_TRUE(m.Match("quickly special deposits sleep. requests"));
  EXPECT_FALSE(m.Match("requests are special"));
  m.Compile("ab%ab");
  EXPECT_FALSE(m.Match("aba"));  // prefix and suffix may not overlap
  EXPECT_TRUE(m.Match("abab"));
  EXPECT_TRUE(m.Match("ab-ab"));
  m.Compile("a%b%c");
  EXPECT_TRUE(m.Match("abc"));
  EXPECT_FALSE(m.Match("acb"));
  EXPECT_TRUE(m.Match("acbbc"));
}

}  // namespace
}  // namespace strata
