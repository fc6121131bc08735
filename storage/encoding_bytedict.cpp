// BYTEDICT: a per-block dictionary of up to 255 distinct values and one byte per row, for every
// type but BOOLEAN. Index 255 is the escape: the row's value is not in the dictionary (the
// block had more distinct values) and follows, in row order, in the exceptions area.
//
// Fixed-width layout:  count u8 | count values (W bytes LE) | n index bytes | exceptions (W each)
// Example: INTEGER 7, 8, 7, 1000 ->
//   03 | 07 00 00 00  08 00 00 00  e8 03 00 00 | 00 01 00 02 |  (no exceptions)
// With a full dictionary, a 256th distinct value 5 would be index ff and 05 00 00 00 at the end.
// Floats are keyed by their bits, so NaN payloads and -0.0 round-trip exactly.
//
// Evaluate-on-encoded (Match): a predicate is tested once per dictionary entry, then each row
// costs one table lookup of its index byte; escaped rows are always kept.
// CHAR/VARCHAR use the shared string dictionary (encoding_text.cpp) with a 1-byte index, at
// most 255 entries of any length.
#include <algorithm>
#include <iterator>

#include "storage/encoding_internal.h"

namespace strata::encoding_internal {
namespace {

constexpr std::string_view kName = "bytedict";
constexpr uint8_t kEscape = 255;
constexpr size_t kMaxEntries = 255;
constexpr StringDictLimits kStringLimits{kName, 1, kMaxEntries, SIZE_MAX, SIZE_MAX};

bool Accepts(const SqlType& t) { return t.id != TypeId::kNull && t.id != TypeId::kBool; }

template <typename U>
uint64_t HashBits(U v) {
  uint64_t x;
  if constexpr (sizeof(U) == 16) {
    x = static_cast<uint64_t>(v) ^ (static_cast<uint64_t>(v >> 64) * 0xC2B2AE3D27D4EB4FULL);
  } else {
    x = static_cast<uint64_t>(v);
  }
  return x * 0x9E3779B97F4A7C15ULL;
}

// Open addressing over 512 slots for at most 255 keys: probes stay short.
template <typename U>
class SmallDict {
 public:
  SmallDict() { std::fill(std::begin(index_), std::end(index_), int16_t{-1}); }
  // The key's index, inserting it while there is room; -1 when the dictionary is full.
  int FindOrInsert(U key) {
    size_t slot = HashBits(key) >> (64 - kBits);
    while (true) {
      int16_t idx = index_[slot];
      if (idx < 0) break;
      if (keys_[idx] == key) return idx;
      slot = (slot + 1) & (kSlots - 1);
    }
    if (count_ == kMaxEntries) return -1;
    keys_[count_] = key;
    index_[slot] = static_cast<int16_t>(count_);
    return static_cast<int>(count_++);
  }
  size_t count() const { return count_; }
  const U* keys() const { return keys_; }

 private:
  static constexpr int kBits = 9;
  static constexpr size_t kSlots = size_t{1} << kBits;
  int16_t index_[kSlots];
  U keys_[kMaxEntries];
  size_t count_ = 0;
};

template <typename U>
std::string EncodeFixed(const Vector& v, size_t begin, size_t end) {
  auto vals = GatherBits<U>(v, begin, end);
  std::string indexes(vals.size(), '\0');
  ByteWriter exceptions;
  SmallDict<U> dict;
  for (size_t i = 0; i < vals.size(); ++i) {
    int idx = dict.FindOrInsert(vals[i]);
    if (idx < 0) {
      indexes[i] = static_cast<char>(kEscape);
      exceptions.Put<U>(vals[i]);
    } else {
      indexes[i] = static_cast<char>(idx);
    }
  }
  ByteWriter out;
  out.str().reserve(1 + dict.count() * sizeof(U) + indexes.size() + exceptions.size());
  out.Put<uint8_t>(static_cast<uint8_t>(dict.count()));
  out.PutBytes(dict.keys(), dict.count() * sizeof(U));
  out.PutBytes(indexes);
  out.PutBytes(exceptions.str());
  return out.Take();
}

template <typename U>
void DecodeFixed(std::string_view payload, size_t n, Vector* out, size_t first) {
  ByteReader r(payload, kName);
  size_t count = r.Get<uint8_t>();
  if (count > kMaxEntries) r.Fail("dictionary too large");
  U dict[256];
  std::memcpy(dict, r.GetBytes(count * sizeof(U)).data(), count * sizeof(U));
  const auto* idx = reinterpret_cast<const uint8_t*>(r.GetBytes(n).data());
  U* dst = reinterpret_cast<U*>(out->data<uint8_t>()) + first;
  for (size_t i = 0; i < n; ++i) {
    uint8_t k = idx[i];
    if (k < count) {
      dst[i] = dict[k];
    } else if (k == kEscape) {
      dst[i] = r.Get<U>();
    } else {
      r.Fail("index beyond the dictionary");
    }
  }
  r.ExpectEnd();
}

std::string Encode(const Vector& v, size_t begin, size_t end) {
  if (v.physical() == PhysicalType::kString) return EncodeStringDict(v, begin, end, kStringLimits);
  return DispatchBits(v.physical(), [&]<typename U>() { return EncodeFixed<U>(v, begin, end); });
}

void Decode(std::string_view payload, size_t n, Vector* out, size_t first) {
  if (out->physical() == PhysicalType::kString) return DecodeStringDict(payload, n, out, first, kStringLimits);
  DispatchBits(out->physical(), [&]<typename U>() { DecodeFixed<U>(payload, n, out, first); });
}

// Evaluate-on-encoded: one test per dictionary entry, then one table lookup per row's index
// (escaped rows always kept; the exceptions area is not read).
bool Match(std::string_view payload, size_t n, PhysicalType p, const ValueTest& test, int64_t first_row,
           RowRangeList* ranges) {
  if (p == PhysicalType::kString) {
    if (!test.string) return false;
    return MatchStringDict(payload, n, test, first_row, ranges, kStringLimits);
  }
  if (!test.integer) return false;
  return DispatchPhysical(p, [&]<typename T>() -> bool {
    if constexpr (std::is_integral_v<T> && sizeof(T) <= 8) {
      using U = BitsOf<T>;
      ByteReader r(payload, kName);
      size_t count = r.Get<uint8_t>();
      if (count > kMaxEntries) r.Fail("dictionary too large");
      std::string_view dict = r.GetBytes(count * sizeof(U));
      std::vector<uint8_t> hit(256, 0);
      for (size_t j = 0; j < count; ++j) {
        U bits;
        std::memcpy(&bits, dict.data() + j * sizeof(U), sizeof(U));
        hit[j] = PassesInteger<T>(test, bits);
      }
      hit[kEscape] = 1;
      MatchIndexes<uint8_t>(r.GetBytes(n).data(), n, hit, first_row, ranges);
      return true;
    } else {
      return false;
    }
  });
}

}  // namespace

const EncodingOps& BytedictOps() {
  static const EncodingOps ops{Accepts, Encode, Decode, Match};
  return ops;
}

}  // namespace strata::encoding_internal
