// Group keys packed into one 64-bit integer: when every key of a GROUP BY is a short integer
// (SMALLINT, INTEGER, DATE) or a short string (CHAR(1) flags, codes of a few bytes) and all of
// them fit in 64 bits, a row's key is one integer -- a NULL bit and the value per key -- so the
// aggregate groups by an integer table instead of encoding each row's key bytes and hashing
// them (TPC-H Q1's two CHAR(1) keys). Strings are packed with their length, CHAR values without
// their trailing spaces, as row_hash.h's key encoding treats them; equal keys pack equally and
// different keys differently. A string longer than its slot makes Pack fail: the caller then
// goes back to encoded keys for good.
#pragma once

#include <cstdint>
#include <vector>

#include "executor/row_hash.h"
#include "sql/vector.h"

namespace strata {

class PackedKeyLayout {
 public:
  // The layout for keys of these types; usable() is false when some type cannot be packed or
  // all of them need more than 64 bits.
  explicit PackedKeyLayout(const std::vector<SqlType>& types) {
    int shift = 0;
    for (const SqlType& t : types) {
      Slot s;
      s.shift = shift;
      switch (t.physical()) {
        case PhysicalType::kInt16: s.value_bits = 16; break;
        case PhysicalType::kInt32: s.value_bits = 32; break;
        case PhysicalType::kString:
          if (t.id == TypeId::kInterval) return;
          s.string_bytes = t.length >= 1 && t.length <= kMaxStringBytes ? t.length : kMaxStringBytes;
          s.value_bits = kLengthBits + 8 * s.string_bytes;
          s.is_char = t.id == TypeId::kChar;
          break;
        default: return;
      }
      shift += s.value_bits + 1;  // the NULL bit above the value
      if (shift > 64) return;
      slots_.push_back(s);
    }
    usable_ = !types.empty();
  }

  bool usable() const { return usable_; }

  // out[r] = the packed key of row r over `keys` (the types of the layout), for rows [0, n);
  // false when some string does not fit its slot.
  bool Pack(const std::vector<const Vector*>& keys, size_t n, std::vector<uint64_t>* out) const {
    out->assign(n, 0);
    uint64_t* p = out->data();
    for (size_t k = 0; k < keys.size(); ++k) {
      const Vector& v = *keys[k];
      const Slot& s = slots_[k];
      const uint8_t* nulls = v.nulls();
      const uint64_t null_bit = uint64_t{1} << (s.shift + s.value_bits);
      switch (v.physical()) {
        case PhysicalType::kInt16: {
          const int16_t* d = v.data<int16_t>();
          for (size_t r = 0; r < n; ++r) {
            p[r] |= nulls[r] ? null_bit : static_cast<uint64_t>(static_cast<uint16_t>(d[r])) << s.shift;
          }
          break;
        }
        case PhysicalType::kInt32: {
          const int32_t* d = v.data<int32_t>();
          for (size_t r = 0; r < n; ++r) {
            p[r] |= nulls[r] ? null_bit : static_cast<uint64_t>(static_cast<uint32_t>(d[r])) << s.shift;
          }
          break;
        }
        default: {  // a string
          const auto* d = v.data<std::string_view>();
          for (size_t r = 0; r < n; ++r) {
            if (nulls[r]) {
              p[r] |= null_bit;
              continue;
            }
            std::string_view x = s.is_char ? TrimCharPadding(d[r]) : d[r];
            if (x.size() > static_cast<size_t>(s.string_bytes)) return false;
            uint64_t bits = x.size();
            for (size_t i = 0; i < x.size(); ++i) bits |= static_cast<uint64_t>(static_cast<uint8_t>(x[i])) << (kLengthBits + 8 * i);
            p[r] |= bits << s.shift;
          }
          break;
        }
      }
    }
    return true;
  }

 private:
  static constexpr int kMaxStringBytes = 6;  // a string slot's bytes at most (3 length bits)
  static constexpr int kLengthBits = 3;
  struct Slot {
    int shift = 0;
    int value_bits = 0;
    int string_bytes = 0;  // strings: the most bytes the slot holds
    bool is_char = false;
  };
  std::vector<Slot> slots_;
  bool usable_ = false;
};

}  // namespace strata
