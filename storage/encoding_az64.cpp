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
#include <array>
#include <utility>

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

// Widths up to 57 bits: each value lies within the 8 bytes that start at the byte holding its
// first bit, so it is one unaligned load, a shift and a mask; with the width a constant (one
// instantiation per width) the compiler unrolls and vectorizes the loop. `bytes` must be
// readable 8 bytes past the last packed byte.
constexpr int kMaxByteLoadWidth = 57;

template <typename U, int W, size_t... J>
inline void UnpackEight(const uint8_t* p, U* out, std::index_sequence<J...>) {
  constexpr uint64_t kMask = (uint64_t{1} << W) - 1;
  auto one = [&](size_t j) {
    uint64_t x;
    std::memcpy(&x, p + (j * W) / 8, 8);
    out[j] = static_cast<U>((x >> ((j * W) % 8)) & kMask);
  };
  (one(J), ...);
}

// Eight values of W bits fill exactly W bytes: the loop goes eight at a time, each value's byte
// offset and shift a constant.
template <typename U, int W>
void UnpackWidth(const uint8_t* bytes, size_t k, U* offs) {
  constexpr uint64_t kMask = (uint64_t{1} << W) - 1;
  size_t i = 0;
  for (; i + 8 <= k; i += 8) UnpackEight<U, W>(bytes + (i / 8) * W, offs + i, std::make_index_sequence<8>{});
  for (; i < k; ++i) {
    const size_t pos = i * W;
    uint64_t x;
    std::memcpy(&x, bytes + (pos >> 3), 8);
    offs[i] = static_cast<U>((x >> (pos & 7)) & kMask);
  }
}

template <typename U, int... W>
constexpr auto MakeUnpackTable(std::integer_sequence<int, W...>) {
  using Fn = void (*)(const uint8_t*, size_t, U*);
  // Index 0 is never called (width 0 is handled before).
  return std::array<Fn, sizeof...(W) + 1>{nullptr, &UnpackWidth<U, W + 1>...};
}

template <typename U>
constexpr auto kUnpackByWidth = MakeUnpackTable<U>(std::make_integer_sequence<int, kMaxByteLoadWidth>{});

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
  } else if (w <= kMaxByteLoadWidth) {
    kUnpackByWidth<U>[w](reinterpret_cast<const uint8_t*>(words), k, offs);
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

// Reads one group's header and values (k of them) from r into d[0..k).
template <typename U>
void DecodeGroup(ByteReader& r, size_t k, U* d) {
  uint8_t mode = r.Get<uint8_t>();
  int width = r.Get<uint8_t>();
  if (mode > 1) r.Fail("unknown group mode");
  if (width > static_cast<int>(8 * sizeof(U))) r.Fail("bit width wider than the type");
  U base = r.Get<U>();
  U offs[kGroup];
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

// Moves r past one group of k values without unpacking them.
template <typename U>
void SkipGroup(ByteReader& r, size_t k) {
  uint8_t mode = r.Get<uint8_t>();
  int width = r.Get<uint8_t>();
  if (mode > 1) r.Fail("unknown group mode");
  if (width > static_cast<int>(8 * sizeof(U))) r.Fail("bit width wider than the type");
  r.GetBytes(sizeof(U) * (mode == 0 ? 1 : 2));
  const size_t packed = mode == 0 ? k : k - 1;
  r.GetBytes((packed * width + 7) / 8);
}

template <typename T>
void DecodeTyped(std::string_view payload, size_t n, Vector* out, size_t first) {
  using U = BitsOf<T>;
  ByteReader r(payload, kName);
  if (r.GetVarint() != n) r.Fail("row count does not match the block's");
  U* dst = reinterpret_cast<U*>(out->data<T>() + first);
  for (size_t g = 0; g < n; g += kGroup) DecodeGroup<U>(r, std::min(kGroup, n - g), dst + g);
  r.ExpectEnd();
}

// Groups are decoded in order as the ranges reach them: a group wholly inside a range goes
// straight to the caller's vector, one cut by a range's edge into a buffer that the next range
// may read on from; groups no range touches are skipped unread.
template <typename T>
class Az64RangeDecoder : public RangeDecoder {
  using U = BitsOf<T>;

 public:
  Az64RangeDecoder(std::string_view payload, size_t n) : r_(payload, kName), n_(n) {
    if (r_.GetVarint() != n) r_.Fail("row count does not match the block's");
    if (n == 0) r_.ExpectEnd();
  }

  void Read(size_t begin, size_t end, Vector* out, size_t at) override {
    if (begin > end || end > n_) r_.Fail("row range past the block's rows");
    U* dst = reinterpret_cast<U*>(out->data<T>() + at);
    size_t row = begin;
    while (row < end) {
      if (buffered_ > 0 && row >= buffer_row_ && row < buffer_row_ + buffered_) {
        const size_t stop = std::min(end, buffer_row_ + buffered_);
        std::memcpy(dst, buffer_ + (row - buffer_row_), (stop - row) * sizeof(U));
        dst += stop - row;
        row = stop;
        continue;
      }
      if (row < next_) r_.Fail("rows read out of order");
      const size_t g = next_;
      const size_t k = std::min(kGroup, n_ - g);
      if (g + k <= row) {
        SkipGroup<U>(r_, k);
      } else if (row == g && g + k <= end) {
        DecodeGroup<U>(r_, k, dst);
        dst += k;
        row += k;
      } else {
        DecodeGroup<U>(r_, k, buffer_);
        buffer_row_ = g;
        buffered_ = k;
      }
      next_ = g + k;
      if (next_ == n_) r_.ExpectEnd();
    }
  }

 private:
  ByteReader r_;
  size_t n_;
  size_t next_ = 0;        // the first row of the next group in r_
  size_t buffer_row_ = 0;  // the first row of the group in buffer_
  size_t buffered_ = 0;    // its rows (0: none)
  U buffer_[kGroup];
};

std::unique_ptr<RangeDecoder> OpenRange(std::string_view payload, size_t n, PhysicalType p) {
  switch (p) {
    case PhysicalType::kInt16: return std::make_unique<Az64RangeDecoder<int16_t>>(payload, n);
    case PhysicalType::kInt32: return std::make_unique<Az64RangeDecoder<int32_t>>(payload, n);
    case PhysicalType::kInt64: return std::make_unique<Az64RangeDecoder<int64_t>>(payload, n);
    case PhysicalType::kInt128: return std::make_unique<Az64RangeDecoder<int128>>(payload, n);
    default: return nullptr;
  }
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
  static const EncodingOps ops{Accepts, Encode, Decode, nullptr, OpenRange};
  return ops;
}

}  // namespace strata::encoding_internal
