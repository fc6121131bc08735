// RAW: values as they are. Also the layout LZO and ZSTD compress (the caller does that).
//
// Fixed-width types: the n values back to back, little-endian, sizeof(physical) bytes each
// (BOOLEAN one byte 0/1, REAL/DOUBLE their IEEE bits, DECIMAL(38) 16 bytes).
//   INTEGER 7, 8, NULL, 1000  ->  07 00 00 00  08 00 00 00  08 00 00 00  e8 03 00 00
//   (a NULL row stores the previous value, so runs stay unbroken for the compressor)
// Strings: all n lengths first as u32 LE, then all the bytes concatenated, so a decoder copies
// the byte area into the vector's heap once and slices views out of it.
//   VARCHAR 'ab', '', 'xyz'  ->  02 00 00 00  00 00 00 00  03 00 00 00  'a' 'b' 'x' 'y' 'z'
#include "storage/encoding_internal.h"

namespace strata::encoding_internal {
namespace {

constexpr std::string_view kName = "raw";

bool Accepts(const SqlType& t) { return t.id != TypeId::kNull; }

std::string EncodeStrings(const Vector& v, size_t begin, size_t end) {
  auto vals = GatherStrings(v, begin, end);
  size_t bytes = 0;
  for (auto s : vals) bytes += s.size();
  ByteWriter w;
  w.str().reserve(vals.size() * 4 + bytes);
  for (auto s : vals) w.Put<uint32_t>(static_cast<uint32_t>(s.size()));
  for (auto s : vals) w.PutBytes(s);
  return w.Take();
}

std::string Encode(const Vector& v, size_t begin, size_t end) {
  if (v.physical() == PhysicalType::kString) return EncodeStrings(v, begin, end);
  return DispatchBits(v.physical(), [&]<typename U>() {
    auto vals = GatherBits<U>(v, begin, end);
    return std::string(reinterpret_cast<const char*>(vals.data()), vals.size() * sizeof(U));
  });
}

void DecodeStrings(std::string_view payload, size_t n, Vector* out, size_t first) {
  ByteReader r(payload, kName);
  if (n > r.remaining() / 4) r.Fail("truncated length area");
  std::string_view lengths = r.GetBytes(n * 4);
  uint64_t total = 0;
  for (size_t i = 0; i < n; ++i) {
    uint32_t len;
    std::memcpy(&len, lengths.data() + i * 4, 4);
    total += len;
  }
  if (total != r.remaining()) r.Fail("string lengths do not match the byte area");
  std::string_view heap = out->OwnHeap().Add(r.GetBytes(total));
  auto* dst = out->data<std::string_view>() + first;
  size_t pos = 0;
  for (size_t i = 0; i < n; ++i) {
    uint32_t len;
    std::memcpy(&len, lengths.data() + i * 4, 4);
    dst[i] = len == 0 ? std::string_view() : heap.substr(pos, len);
    pos += len;
  }
}

void Decode(std::string_view payload, size_t n, Vector* out, size_t first) {
  if (out->physical() == PhysicalType::kString) return DecodeStrings(payload, n, out, first);
  size_t width = PhysicalWidth(out->physical());
  if (payload.size() != n * width) ThrowCorrupt(kName, "payload size does not match the row count");
  if (n > 0) std::memcpy(out->data<uint8_t>() + first * width, payload.data(), payload.size());
}

// Fixed-width values lie side by side: a range is one copy.
class RawRangeDecoder : public RangeDecoder {
 public:
  RawRangeDecoder(std::string_view payload, size_t n, size_t width) : payload_(payload), n_(n), width_(width) {
    if (payload.size() != n * width) ThrowCorrupt(kName, "payload size does not match the row count");
  }
  void Read(size_t begin, size_t end, Vector* out, size_t at) override {
    if (begin > end || end > n_) ThrowCorrupt(kName, "row range past the block's rows");
    if (end > begin) std::memcpy(out->data<uint8_t>() + at * width_, payload_.data() + begin * width_, (end - begin) * width_);
  }

 private:
  std::string_view payload_;
  size_t n_, width_;
};

std::unique_ptr<RangeDecoder> OpenRange(std::string_view payload, size_t n, PhysicalType p) {
  if (p == PhysicalType::kString) return nullptr;
  return std::make_unique<RawRangeDecoder>(payload, n, PhysicalWidth(p));
}

}  // namespace

const EncodingOps& RawOps() {
  static const EncodingOps ops{Accepts, Encode, Decode, nullptr, OpenRange};
  return ops;
}

}  // namespace strata::encoding_internal
