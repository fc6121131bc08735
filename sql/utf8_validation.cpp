// See utf8_validation.h.
#include "sql/utf8_validation.h"

#include <algorithm>
#include <cstdint>
#include <string>

#include "sql/error.h"
#include "sql/sqlstate.h"

namespace strata {
namespace {

// The length of the valid sequence starting at text[i], or 0 when it is invalid.
size_t ValidSequenceLength(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(text[k]); };
  const uint8_t b0 = byte(i);
  if (b0 != 0 && b0 < 0x80) return 1;
  size_t len;
  uint8_t lo = 0x80, hi = 0xbf;  // the allowed range of the second byte
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    len = 2;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    len = 3;
    if (b0 == 0xe0) lo = 0xa0;  // overlong
    if (b0 == 0xed) hi = 0x9f;  // surrogates
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    len = 4;
    if (b0 == 0xf0) lo = 0x90;  // overlong
    if (b0 == 0xf4) hi = 0x8f;  // above U+10FFFF
  } else {
    return 0;  // NUL, a continuation byte, an overlong 2-byte lead (0xc0, 0xc1) or 0xf5..0xff
  }
  if (i + len > text.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < len; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xbf) return 0;
  }
  return len;
}

}  // namespace

std::optional<size_t> FindInvalidUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    if (static_cast<uint8_t>(text[i]) < 0x80 && text[i] != '\0') {
      ++i;
      continue;
    }
    size_t len = ValidSequenceLength(text, i);
    if (len == 0) return i;
    i += len;
  }
  return std::nullopt;
}

void CheckUtf8(std::string_view text) {
  std::optional<size_t> bad = FindInvalidUtf8(text);
  if (!bad) return;
  // Name the bytes the lead byte claims (at least one, at most what is left), as PostgreSQL does.
  const uint8_t lead = static_cast<uint8_t>(text[*bad]);
  size_t claimed = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  claimed = std::min(claimed, text.size() - *bad);
  std::string bytes;
  static const char kHex[] = "0123456789abcdef";
  for (size_t k = 0; k < claimed; ++k) {
    const uint8_t b = static_cast<uint8_t>(text[*bad + k]);
    if (k > 0) bytes += ' ';
    bytes += "0x";
    bytes += kHex[b >> 4];
    bytes += kHex[b & 15];
  }
  throw SqlError(sqlstate::kCharacterNotInRepertoire, "invalid byte sequence for encoding \"UTF8\": " + bytes);
}

}  // namespace strata
