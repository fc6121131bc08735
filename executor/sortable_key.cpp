// Sortable byte encodings of values (see sortable_key.h).
#include "executor/sortable_key.h"

#include <cmath>
#include <cstring>
#include <type_traits>

#include "sql/value_text.h"

namespace strata {

namespace {

// Big-endian bytes of an unsigned value.
template <typename U>
void AppendBigEndian(U u, std::string* out) {
  for (int shift = static_cast<int>(sizeof(U) * 8) - 8; shift >= 0; shift -= 8) out->push_back(static_cast<char>((u >> shift) & 0xFF));
}

}  // namespace

void AppendSortableKey(const Vector& v, size_t row, bool desc, bool nulls_first, std::string* out) {
  if (v.IsNull(row)) {
    out->push_back(nulls_first ? '\0' : '\2');
    return;
  }
  out->push_back('\1');
  size_t start = out->size();
  DispatchPhysical(v.physical(), [&]<typename T>() {
    const T x = v.data<T>()[row];
    if constexpr (std::is_same_v<T, std::string_view>) {
      std::string_view s = v.type().id == TypeId::kChar ? TrimTrailingBlanks(x) : x;
      // 0x00 is escaped as 0x00 0xFF and the end is 0x00 0x00, so a prefix sorts first.
      for (char c : s) {
        out->push_back(c);
        if (c == '\0') out->push_back('\xFF');
      }
      out->push_back('\0');
      out->push_back('\0');
    } else if constexpr (std::is_floating_point_v<T>) {
      double d = static_cast<double>(x);
      if (d == 0) d = 0;                                     // -0 is 0
      if (std::isnan(d)) d = std::numeric_limits<double>::quiet_NaN();
      uint64_t bits;
      std::memcpy(&bits, &d, sizeof bits);
      bits = (bits & (1ULL << 63)) ? ~bits : bits | (1ULL << 63);
      AppendBigEndian(bits, out);
    } else if constexpr (std::is_same_v<T, uint8_t>) {
      out->push_back(static_cast<char>(x ? 1 : 0));
    } else {
      using U = std::make_unsigned_t<T>;
      U u = static_cast<U>(x) ^ (static_cast<U>(1) << (sizeof(T) * 8 - 1));  // the sign bit flipped
      AppendBigEndian(u, out);
    }
  });
  if (desc) {
    for (size_t i = start; i < out->size(); ++i) (*out)[i] = static_cast<char>(~static_cast<unsigned char>((*out)[i]));
  }
}

}  // namespace strata
