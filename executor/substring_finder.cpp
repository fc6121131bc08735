// See substring_finder.h.
#include "executor/substring_finder.h"

#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace strata {

size_t SubstringFinder::Find(std::string_view text, size_t from) const {
  const size_t m = needle_.size(), n = text.size();
  if (from > n || n - from < m) return npos;
  if (m == 0) return from;
  const char* s = text.data();
  const char* p = needle_.data();
  const char first = p[0], last = p[m - 1];
  size_t i = from;
#ifdef __SSE2__
  // A block tests the starts i..i+15: its first bytes at s[i..i+16), its last at s[i+m-1..i+m+15).
  if (n - i >= m + 15) {
    const __m128i vf = _mm_set1_epi8(first), vl = _mm_set1_epi8(last);
    auto candidates = [&](size_t at) {
      const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + at));
      const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + at + m - 1));
      return static_cast<unsigned>(_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, vf), _mm_cmpeq_epi8(b, vl))));
    };
    for (; i + m + 15 <= n; i += 16) {
      for (unsigned mask = candidates(i); mask != 0; mask &= mask - 1) {
        const size_t at = i + static_cast<size_t>(__builtin_ctz(mask));
        if (std::memcmp(s + at, p, m) == 0) return at;
      }
    }
    // The starts left (fewer than 16) in one last block that overlaps starts already tested.
    if (i + m <= n) {
      const size_t at0 = n - m - 15;
      unsigned mask = candidates(at0) & ~((1u << (i - at0)) - 1);
      for (; mask != 0; mask &= mask - 1) {
        const size_t at = at0 + static_cast<size_t>(__builtin_ctz(mask));
        if (std::memcmp(s + at, p, m) == 0) return at;
      }
    }
    return npos;
  }
#endif
  for (; i + m <= n; ++i) {
    if (s[i] == first && s[i + m - 1] == last && std::memcmp(s + i, p, m) == 0) return i;
  }
  return npos;
}

}  // namespace strata
