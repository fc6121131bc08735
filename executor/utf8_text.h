// Character (not byte) arithmetic on UTF-8 strings, shared by the string functions: PostgreSQL
// counts characters in length(), substring(), strpos(), left() and right().
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace strata {

// Characters in s (bytes that do not continue a multi-byte sequence).
inline size_t Utf8Chars(std::string_view s) {
  size_t chars = 0;
  for (char c : s) chars += (uint8_t(c) & 0xC0) != 0x80;
  return chars;
}

// Byte offset of character `chars` (0-based) in s, or s.size() when s is shorter.
inline size_t Utf8Offset(std::string_view s, int64_t chars) {
  if (chars <= 0) return 0;
  int64_t seen = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((uint8_t(s[i]) & 0xC0) != 0x80) {
      if (seen == chars) return i;
      ++seen;
    }
  }
  return s.size();
}

}  // namespace strata
