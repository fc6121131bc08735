// SubstringFinder: finds one fixed needle in many short texts (LIKE '%special%requests%' over
// millions of comments). Library searches (memmem, string_view::find) pay a setup per call --
// glibc's memmem builds a shift table each time -- that costs as much as the search itself on a
// 50-byte text; here the needle is prepared once and the search tests 16 candidate starts at a
// time by the needle's first and last bytes, comparing the whole needle only where both match.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace strata {

class SubstringFinder {
 public:
  SubstringFinder() = default;
  explicit SubstringFinder(std::string needle) : needle_(std::move(needle)) {}

  // Where the needle first occurs in `text` at or after `from`; npos when it does not (an
  // empty needle occurs at `from` when from <= text.size()).
  size_t Find(std::string_view text, size_t from = 0) const;
  const std::string& needle() const { return needle_; }

  static constexpr size_t npos = std::string_view::npos;

 private:
  std::string needle_;
};

}  // namespace strata
