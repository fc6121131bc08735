// What the encoding files share and nobody else needs: the per-encoding function table that
// encoding.cpp dispatches to, and the small bounded byte writer / reader every layout is built
// with. The reader is where "decoders treat their input as untrusted" is enforced: every read is
// checked against the payload's end and a short payload throws XX001, so the per-encoding
// decoders never index past what they were given.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "sql/error.h"
#include "sql/types.h"
#include "sql/vector.h"
#include "storage/encoding.h"
#include "storage/encoding.h"

namespace strata::encoding_internal {

static_assert(std::endian::native == std::endian::little, "payload layouts assume a little-endian host");

using uint128 = unsigned __int128;

// One encoding. `decode` writes rows [first_row, first_row + n) of *out, which the caller has
// already resized; it throws XX001 on a malformed payload. `match` (null for encodings without
// one) is MatchEncodedValues for this encoding: false when it has no shortcut for physical
// type `p`.
struct EncodingOps {
  bool (*accepts)(const SqlType& t);
  std::string (*encode)(const Vector& v, size_t begin, size_t end);
  void (*decode)(std::string_view payload, size_t n, Vector* out, size_t first_row);
  bool (*match)(std::string_view payload, size_t n, PhysicalType p, const ValueTest& test, int64_t first_row,
                RowRangeList* ranges) = nullptr;
  // Null, or the encoding's range decoder (encoding.h RangeDecoder; null for types it has none for).
  std::unique_ptr<RangeDecoder> (*open_range)(std::string_view payload, size_t n, PhysicalType p) = nullptr;
};

// Adds rows [begin, end) to sorted *ranges, merging with the last range when they touch.
inline void AddRowRange(RowRangeList* ranges, int64_t begin, int64_t end) {
  if (begin >= end) return;
  if (!ranges->empty() && ranges->back().second == begin) {
    ranges->back().second = end;
  } else {
    ranges->emplace_back(begin, end);
  }
}

// Whether integer-like bits of physical type `T` pass test.integer (false without one).
template <typename T, typename U>
bool PassesInteger(const ValueTest& test, U bits) {
  T v;
  std::memcpy(&v, &bits, sizeof(T));
  return test.integer(static_cast<int64_t>(v));
}

// The rows whose 1- or 2-byte dictionary index passes `hit` (one 0/1 entry per index value) as
// ranges from first_row. Rows go 64 at a time: a branch-free pass looks up each row's entry
// into a bit mask, then each run of set bits becomes a range (a branch per run, not per row:
// TPC-H Q12's two ship modes of seven pass every few rows, which mispredicted a branch per row).
template <typename I>
void MatchIndexes(const char* idx_bytes, size_t n, const std::vector<uint8_t>& hit, int64_t first_row,
                  RowRangeList* ranges) {
  for (size_t base = 0; base < n; base += 64) {
    const size_t m = std::min<size_t>(64, n - base);
    uint64_t mask = 0;
    for (size_t j = 0; j < m; ++j) {
      I k;
      std::memcpy(&k, idx_bytes + (base + j) * sizeof(I), sizeof(I));
      mask |= static_cast<uint64_t>(hit[k] != 0) << j;
    }
    while (mask != 0) {
      const int start = __builtin_ctzll(mask);
      const uint64_t rest = ~(mask >> start);  // its lowest set bit ends the run
      const int len = rest == 0 ? 64 - start : __builtin_ctzll(rest);
      const int64_t b = first_row + static_cast<int64_t>(base) + start;
      AddRowRange(ranges, b, b + len);
      mask = start + len >= 64 ? 0 : mask & (~uint64_t{0} << (start + len));
    }
  }
}

const EncodingOps& RawOps();
const EncodingOps& Az64Ops();
const EncodingOps& BytedictOps();
const EncodingOps& DeltaOps();
const EncodingOps& Delta32kOps();
const EncodingOps& Mostly8Ops();
const EncodingOps& Mostly16Ops();
const EncodingOps& Mostly32Ops();
const EncodingOps& RunlengthOps();
const EncodingOps& Text255Ops();
const EncodingOps& Text32kOps();

// A per-block dictionary of whole strings with a 1- or 2-byte index per row (BYTEDICT on
// CHAR/VARCHAR, TEXT255, TEXT32K); implemented in encoding_text.cpp, layout described there.
struct StringDictLimits {
  std::string_view name;  // for error messages
  size_t index_bytes;     // 1 or 2; the all-ones index is the escape
  size_t max_entries;     // at most 2^(8 * index_bytes) - 1
  size_t max_entry_len;   // longer strings always go through the escape
  size_t max_dict_bytes;  // total bytes of the entries' strings
};
std::string EncodeStringDict(const Vector& v, size_t begin, size_t end, const StringDictLimits& limits);
void DecodeStringDict(std::string_view payload, size_t n, Vector* out, size_t first, const StringDictLimits& limits);
bool MatchStringDict(std::string_view payload, size_t n, const ValueTest& test, int64_t first_row, RowRangeList* ranges,
                     const StringDictLimits& limits);

[[noreturn]] inline void ThrowCorrupt(std::string_view encoding, std::string_view what) {
  STRATA_USER_ERROR(sqlstate::kDataCorrupted, "corrupted ", encoding, " block payload: ", what);
}

// The unsigned integer with the same width as T (the bit pattern the layouts store; floats are
// compared and stored by their bits so that NaN payloads and -0.0 survive a round trip).
template <size_t W> struct UnsignedOfWidth;
template <> struct UnsignedOfWidth<1> { using Type = uint8_t; };
template <> struct UnsignedOfWidth<2> { using Type = uint16_t; };
template <> struct UnsignedOfWidth<4> { using Type = uint32_t; };
template <> struct UnsignedOfWidth<8> { using Type = uint64_t; };
template <> struct UnsignedOfWidth<16> { using Type = uint128; };
template <typename T> using BitsOf = typename UnsignedOfWidth<sizeof(T)>::Type;

// Calls f.template operator()<U>() with U the bit-pattern type of the fixed-width physical
// type `p`. Strings have no bit pattern: callers handle them before dispatching.
template <typename F>
decltype(auto) DispatchBits(PhysicalType p, F&& f) {
  return DispatchPhysical(p, [&]<typename T>() -> decltype(auto) {
    if constexpr (std::is_same_v<T, std::string_view>) {
      STRATA_INTERNAL_ERROR("no fixed-width layout for strings");
      return f.template operator()<uint8_t>();  // not reached; gives every branch one type
    } else {
      return f.template operator()<BitsOf<T>>();
    }
  });
}

// The column's values of rows [begin, end) as bit patterns, NULL rows replaced by the previous
// non-NULL value (0 before the first one), so that a NULL never breaks a run, widens a frame or
// takes a dictionary slot.
template <typename U>
std::vector<U> GatherBits(const Vector& v, size_t begin, size_t end) {
  std::vector<U> out(end - begin);
  const uint8_t* src = v.data<uint8_t>() + begin * sizeof(U);
  if (!out.empty()) std::memcpy(out.data(), src, out.size() * sizeof(U));
  const uint8_t* nulls = v.nulls() + begin;
  U prev = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    if (nulls[i]) out[i] = prev;
    prev = out[i];
  }
  return out;
}

// The same for strings: a NULL row reads as the previous non-NULL string ("" before the first).
inline std::vector<std::string_view> GatherStrings(const Vector& v, size_t begin, size_t end) {
  std::vector<std::string_view> out(v.data<std::string_view>() + begin, v.data<std::string_view>() + end);
  const uint8_t* nulls = v.nulls() + begin;
  std::string_view prev;
  for (size_t i = 0; i < out.size(); ++i) {
    if (nulls[i]) out[i] = prev;
    prev = out[i];
  }
  return out;
}

// Appends little-endian fixed-width values and byte strings to a std::string.
class ByteWriter {
 public:
  template <typename T>
  void Put(T v) {
    static_assert(std::is_trivially_copyable_v<T>);
    char b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T));
    out_.append(b, sizeof(T));
  }
  void PutBytes(const void* p, size_t n) { out_.append(static_cast<const char*>(p), n); }
  void PutBytes(std::string_view s) { out_.append(s); }
  // LEB128: 7 bits a byte, high bit = more follows.
  void PutVarint(uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7F) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }
  size_t size() const { return out_.size(); }
  std::string& str() { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

// Bounded cursor over an untrusted payload; every overrun throws XX001 naming the encoding.
class ByteReader {
 public:
  ByteReader(std::string_view payload, std::string_view encoding) : p_(payload), encoding_(encoding) {}

  size_t remaining() const { return p_.size() - pos_; }
  size_t position() const { return pos_; }
  bool AtEnd() const { return pos_ == p_.size(); }
  const char* cursor() const { return p_.data() + pos_; }

  void Need(size_t n) const {
    if (n > remaining()) Fail("truncated");
  }
  template <typename T>
  T Get() {
    Need(sizeof(T));
    T v;
    std::memcpy(&v, p_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }
  std::string_view GetBytes(size_t n) {
    Need(n);
    std::string_view s = p_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  uint64_t GetVarint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      uint8_t b = Get<uint8_t>();
      v |= static_cast<uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) return v;
    }
    Fail("varint too long");
  }
  void ExpectEnd() const {
    if (!AtEnd()) Fail("trailing bytes");
  }
  [[noreturn]] void Fail(std::string_view what) const { ThrowCorrupt(encoding_, what); }

 private:
  std::string_view p_;
  size_t pos_ = 0;
  std::string_view encoding_;
};

}  // namespace strata::encoding_internal
