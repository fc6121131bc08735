// AZ64 (Strata's own design, named after Redshift's): bit-packed groups of 128 integers for
// SMALLINT, INTEGER, BIGINT, DECIMAL (int64 and int128), DATE and TIMESTAMP.
//
// The rows are cut into groups of 128 (the last one shorter). Each group is stored in one of two
// modes, whichever is smaller:
//   FOR   (mode 0): frame of reference. base = the group's minimum; each value is stored as
//         (v - base) in `width` bits, width = bits needed for (max - min).
//   DELTA (mode 1): base = the first value, then the count-1 steps v[i] - v[i-1] minus the
//         smallest step (min_step), each in `width` bits. Sorted or sequential data has steps
//         that barely vary, so width is 0 or a few bits.
// Payload: varint row count (so a payload cannot pass for a different count) | groups.
// Group layout:  mode u8 | width u8 | base (W bytes LE) | [min_step (W bytes), DELTA only] |
//                packed bits (ceil(k * width / 8) bytes, k = values packed, LSB first)
// All arithmetic is modulo 2^(8W), so any pair of values (INT64_MIN next to INT64_MAX) works.
//
// Example: INTEGER 7, 8, 9, 1000 (one group). FOR: base 7, offsets 0,1,2,993 -> width 10, 5
// bytes packed -> 2+4+5 = 11 bytes. DELTA: steps 1,1,991, min_step 1 -> offsets 0,0,990, width 10,
// 4 bytes -> 2+4+4+4 = 14 bytes. FOR wins:
//   04 (rows) | 00 0a | 07 00 00 00 | packed 0,1,2,993 in 10 bits each = 00 04 20 40 f8
// A sequential BIGINT column 1,2,3,... is all DELTA groups of width 0: 18 bytes / 128 rows.
//
// Decoding unpacks a whole group with one fixed-width loop that reads each value from a
// zero-padded copy of the group's words (two 64-bit loads and a shift, no branches).
#include <algorithm>

#include "storage/encoding_internal.h"

namespace strata::encoding_internal {
namespace {

constexpr std::string_view kName = "az64";
constexpr size_t kGroup = 128;
// Words of the largest packed group (128 values x 128 bits) plus two words of padding.
constexpr size_t kMaxWords = kGroup * 128 / 64 + 2;

bool Accepts(const SqlType& t) {
  return t.is_integer() || t.id == TypeId::kDecimal || t.is_temporal() || t.is_time() || t.id == TypeId::kInterval;
}

template <typename U>
int BitWidth(U x) {
  if constexpr (sizeof(U) == 16) {
    uint64_t hi = static_cast<uint64_t>(x >> 64);
    return hi ? 64 + std::bit_width(hi) : std::bit_width(static_cast<uint64_t>(x));
  } else {
    return std::bit_width(x);
  }
}

inline void Write64(uint64_t* words, size_t pos, uint64_t v, int w) {
  size_t word = pos >> 6;
  unsigned sh = pos & 63;
  words[word] |= v << sh;
  if (sh + w > 64) words[word + 1] |= v >> (64 - sh);
}

inline uint64_t Read64(const uint64_t* words, size_t pos, uint64_t mask) {
  size_t word = pos >> 6;
  uint128 both = (static_cast<uint128>(words[word + 1]) << 64) | words[word];
  return static_cast<uint64_t>(both >> (pos & 63)) & mask;
}

inline uint64_t MaskOf(int w) { return w >= 64 ? ~uint64_t{0} : (uint64_t{1} << w) - 1; }

template <typename U>
void PackBits(const U* offs, size_t k, int w, ByteWriter& out) {
  if (w == 0 || k == 0) return;
  uint64_t words[kMaxWords] = {};
  for (size_t i = 0; i < k; ++i) {
    size_t pos = i * w;
    if constexpr (sizeof(U) == 16) {
      Write64(words, pos, static_cast<uint64_t>(offs[i]), w < 64 ? w : 64);
      if (w > 64) Write64(words, pos + 64, static_cast<uint64_t>(offs[i] >> 64), w - 64);
    } else {
      Write64(words, pos, static_cast<uint64_t>(offs[i]), w);
    }
  }
  out.PutBytes(words, (k * w + 7) / 8);
}

// Unpacks k offsets of `w` bits into offs[0..k), reading the packed bytes from r.
template <typename U>
void UnpackBits(ByteReader& r, size_t k, int w, U* offs) {
  if (w == 0) {
    for (size_t i = 0; i < k; ++i) offs[i] = 0;
    return;
  }
  size_t nbytes = (k * w + 7) / 8;
  std::string_view bytes = r.GetBytes(nbytes);
  uint64_t words[kMaxWords];
  size_t nw = (nbytes + 7) / 8;
  words[nw - 1] = 0;
  words[nw] = 0;
  std::memcpy(words, bytes.data(), nbytes);
  if constexpr (sizeof(U) == 16) {
    uint64_t lo_mask = MaskOf(w < 64 ? w : 64);
    uint64_t hi_mask = MaskOf(w > 64 ? w - 64 : 0);
    for (size_t i = 0; i < k; ++i) {
      size_t pos = i * w;
      uint128 v = Read64(words, pos, lo_mask);
      if (w > 64) v |= static_cast<uint128>(Read64(words, pos + 64, hi_mask)) << 64;
      offs[i] = v;
    }
  } else {
    uint64_t mask = MaskOf(w);
    for (size_t i = 0; i < k; ++i) offs[i] = static_cast<U>(Read64(words, i * w, mask));
  }
}

template <typename T>
void EncodeGroup(const BitsOf<T>* vals, size_t k, ByteWriter& out) {
  using U = BitsOf<T>;
  U offs[kGroup];
  // Frame of reference.
  T min = static_cast<T>(vals[0]);
  for (size_t i = 1; i < k; ++i) min = std::min(min, static_cast<T>(vals[i]));
  U max_off = 0;
  for (size_t i = 0; i < k; ++i) max_off = std::max<U>(max_off, vals[i] - static_cast<U>(min));
  int for_width = BitWidth(max_off);
  size_t for_size = sizeof(U) + (k * for_width + 7) / 8;
  // Delta from the previous value.
  int delta_width = 0;
  size_t delta_size = SIZE_MAX;
  T min_step = 0;
  if (k >= 2) {
    min_step = static_cast<T>(static_cast<U>(vals[1] - vals[0]));
    for (size_t i = 2; i < k; ++i) min_step = std::min(min_step, static_cast<T>(static_cast<U>(vals[i] - vals[i - 1])));
    U max_step_off = 0;
    for (size_t i = 1; i < k; ++i) {
      max_step_off = std::max<U>(max_step_off, static_cast<U>(vals[i] - vals[i - 1] - static_cast<U>(min_step)));
    }
    delta_width = BitWidth(max_step_off);
    delta_size = 2 * sizeof(U) + ((k - 1) * delta_width + 7) / 8;
  }
  if (for_size <= delta_size) {
    out.Put<uint8_t>(0);
    out.Put<uint8_t>(static_cast<uint8_t>(for_width));
    out.Put<U>(static_cast<U>(min));
    for (size_t i = 0; i < k; ++i) offs[i] = vals[i] - static_cast<U>(min);
    PackBits<U>(offs, k, for_width, out);
  } else {
    out.Put<uint8_t>(1);
    out.Put<uint8_t>(static_cast<uint8_t>(delta_width));
    out.Put<U>(vals[0]);
    out.Put<U>(static_cast<U>(min_step));
    for (size_t i = 1; i < k; ++i) offs[i - 1] = vals[i] - vals[i - 1] - static_cast<U>(min_step);
    PackBits<U>(offs, k - 1, delta_width, out);
  }
}

template <typename T>
std::string EncodeTyped(const Vector& v, size_t begin, size_t end) {
  auto vals = GatherBits<BitsOf<T>>(v, begin, end);
  ByteWriter out;
  out.str().reserve(vals.size() / 4 + 64);
  out.PutVarint(vals.size());
  for (size_t g = 0; g < vals.size(); g += kGroup) {
    EncodeGroup<T>(vals.data() + g, std::min(kGroup, vals.size() - g), out);
  }
  return out.Take();
}

template <typename T>
void DecodeTyped(std::string_view payload, size_t n, Vector* out, size_t first) {
  using U = BitsOf<T>;
  ByteReader r(payload, kName);
  if (r.GetVarint() != n) r.Fail("row count does not match the block's");
  U* dst = reinterpret_cast<U*>(out->data<T>() + first);
  U offs[kGroup];
  for (size_t g = 0; g < n; g += kGroup) {
    size_t k = std::min(kGroup, n - g);
    uint8_t mode = r.Get<uint8_t>();
    int width = r.Get<uint8_t>();
    if (mode > 1) r.Fail("unknown group mode");
    if (width > static_cast<int>(8 * sizeof(U))) r.Fail("bit width wider than the type");
    U base = r.Get<U>();
    U* d = dst + g;
    if (mode == 0) {
      UnpackBits<U>(r, k, width, offs);
      for (size_t i = 0; i < k; ++i) d[i] = base + offs[i];
    } else {
      U min_step = r.Get<U>();
      UnpackBits<U>(r, k - 1, width, offs);
      U acc = base;
      d[0] = acc;
      for (size_t i = 1; i < k; ++i) {
        acc += min_step + offs[i - 1];
        d[i] = acc;
      }
    }
  }
  r.ExpectEnd();
}

std::string Encode(const Vector& v, size_t begin, size_t end) {
  switch (v.physical()) {
    case PhysicalType::kInt16: return EncodeTyped<int16_t>(v, begin, end);
    case PhysicalType::kInt32: return EncodeTyped<int32_t>(v, begin, end);
    case PhysicalType::kInt64: return EncodeTyped<int64_t>(v, begin, end);
    case PhysicalType::kInt128: return EncodeTyped<int128>(v, begin, end);
    default: STRATA_INTERNAL_ERROR("az64 on a non-integer column");
  }
}

void Decode(std::string_view payload, size_t n, Vector* out, size_t first) {
  switch (out->physical()) {
    case PhysicalType::kInt16: return DecodeTyped<int16_t>(payload, n, out, first);
    case PhysicalType::kInt32: return DecodeTyped<int32_t>(payload, n, out, first);
    case PhysicalType::kInt64: return DecodeTyped<int64_t>(payload, n, out, first);
    case PhysicalType::kInt128: return DecodeTyped<int128>(payload, n, out, first);
    default: ThrowCorrupt(kName, "not an integer column");
  }
}

}  // namespace

const EncodingOps& Az64Ops() {
  static const EncodingOps ops{Accepts, Encode, Decode};
  return ops;
}

}  // namespace strata::encoding_internal
