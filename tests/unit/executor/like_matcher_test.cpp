// LikeMatcher against a reference matcher (a plain recursive LIKE over bytes): every compiled
// shape (exact, prefix, suffix, contains, several %-separated literals, general) must agree with
// it on generated patterns and texts over a small alphabet, where overlaps and repeats are common.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "executor/expr_like.h"
#include "executor/substring_finder.h"

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

// The finder tests 16 starts at a time: texts long enough for whole blocks and the overlapping
// last block, needles from one byte to longer than a block, searches from any position.
TEST(SubstringFinder, AgreesWithStringFindOnLongTexts) {
  std::mt19937 rng(7);
  for (int round = 0; round < 3000; ++round) {
    const std::string alphabet = round % 3 == 0 ? "ab" : "abc";
    std::string needle = Random(&rng, alphabet, round % 5 == 0 ? 24 : 6);
    SubstringFinder f(needle);
    for (int k = 0; k < 10; ++k) {
      std::string text = Random(&rng, alphabet, 90);
      std::uniform_int_distribution<size_t> from_dist(0, text.size() + 1);
      const size_t from = k == 0 ? 0 : from_dist(rng);
      ASSERT_EQ(f.Find(text, from), std::string_view(text).find(needle, from))
          << "needle '" << needle << "' text '" << text << "' from " << from;
    }
  }
}

TEST(LikeMatcher, AgreesWithReferenceOnLongTexts) {
  std::mt19937 rng(11);
  for (int round = 0; round < 1500; ++round) {
    std::string pattern = Random(&rng, "ab%%", 8);
    LikeMatcher m;
    m.Compile(pattern);
    for (int k = 0; k < 10; ++k) {
      std::string text = Random(&rng, "abc", 60);
      ASSERT_EQ(m.Match(text), ReferenceLike(text, pattern)) << "pattern '" << pattern << "' text '" << text << "'";
    }
  }
}

}  // namespace
}  // namespace strata
