// The pseudo-text pool of TPC-H clause 4.2.2.10: one long string of sentences produced by the
// specification's small English grammar (noun phrases, verb phrases, prepositional phrases,
// terminators) from weighted word lists. Every comment column is a random substring of it:
// "text string [min, max]" takes a length uniform in [min, max] and a uniform offset.
//
// The pool is built once per process from a fixed seed, so it is identical in every run and in
// every thread; it is read-only afterwards and shared by all generator threads.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "bench/dbgen/row_random.h"

namespace strata::dbgen {

class TextPool {
 public:
  // The process-wide pool (kDefaultBytes long), built on first use.
  static const TextPool& Instance();

  explicit TextPool(size_t bytes, uint64_t seed);

  // A comment of TPC-H's "text string [min_len, max_len]", using two draws of `rng`.
  std::string_view Substring(RowRandom& rng, int min_len, int max_len) const {
    const int64_t len = rng.Uniform(min_len, max_len);
    const int64_t offset = rng.Uniform(0, static_cast<int64_t>(text_.size()) - max_len);
    return std::string_view(text_).substr(static_cast<size_t>(offset), static_cast<size_t>(len));
  }

  const std::string& text() const { return text_; }

  static constexpr size_t kDefaultBytes = 32u << 20;

 private:
  std::string text_;
};

}  // namespace strata::dbgen
