// LIKE pattern matching: `%` matches any run of characters, `_` exactly one (UTF-8) character,
// a backslash makes the next character literal. A pattern is compiled once into one of the
// common shapes (exact, prefix%, %suffix, %infix%), each a single memcmp or search (executor/substring_finder.h); a pattern of
// several `%`-separated literals and no `_` (a%b%c, %special%requests%) into its segments, each
// found in turn after the previous one (the leftmost match of each is the right one); anything
// else into a token list run by a general matcher (greedy, backtracking to the last `%`:
// O(text * pattern) worst).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "executor/substring_finder.h"

namespace strata {

class LikeMatcher {
 public:
  // Throws 22025 when the pattern ends with the escape character.
  void Compile(std::string_view pattern);
  bool Match(std::string_view text) const;

 private:
  enum class Shape : uint8_t { kExact, kPrefix, kSuffix, kContains, kMatchAll, kSegments, kGeneral };
  static constexpr int16_t kAnyChar = -1;
  static constexpr int16_t kAnyRun = -2;

  bool MatchGeneral(std::string_view text) const;
  bool MatchSegments(std::string_view text) const;

  Shape shape_ = Shape::kExact;
  std::string literal_;          // the fixed text of the simple shapes
  SubstringFinder contains_;     // kContains: literal_, prepared for searching
  std::vector<int16_t> tokens_;  // bytes 0..255, kAnyChar, kAnyRun (runs collapsed)
  // kSegments: the literals between `%`s, and whether the pattern starts / ends with one.
  std::vector<SubstringFinder> segments_;
  bool leading_run_ = false, trailing_run_ = false;
};

// Case mapping shared by ILIKE, lower() and upper(): ASCII and Latin-1 letters (U+00C0..U+00FE);
// other characters are copied unchanged. Appends the mapped text to out.
void AppendLower(std::string_view s, std::string* out);
void AppendUpper(std::string_view s, std::string* out);

}  // namespace strata
