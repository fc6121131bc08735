// UTF-8 validation of client text, and the one encoder of a code point (AppendUtf8), as PostgreSQL checks every string against the client encoding
// (UTF8 is the only one Strata speaks). SQL text must be checked before it reaches libpg_query:
// the parser passes bytes through into the parse tree's protobuf `string` fields, and the C++
// protobuf runtime refuses to decode a tree with invalid UTF-8 in one (found by tests/fuzz/).
//
// Valid means RFC 3629: no overlong forms, no surrogates (U+D800..U+DFFF), nothing above
// U+10FFFF, and, as in PostgreSQL, no NUL byte.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace strata {

// The byte offset of the first invalid sequence in `text`, nullopt when it is all valid.
std::optional<size_t> FindInvalidUtf8(std::string_view text);

// Throws SqlError 22021 `invalid byte sequence for encoding "UTF8": 0xc3 0x28` (PostgreSQL's
// message, naming the bad sequence's bytes) when `text` is not valid UTF-8.
void CheckUtf8(std::string_view text);

// Appends code point `cp` (at most U+10FFFF) to `out` as UTF-8.
inline void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace strata
