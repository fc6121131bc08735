// MOSTLY8 (SMALLINT, INTEGER, BIGINT, DECIMAL), MOSTLY16 (INTEGER, BIGINT, DECIMAL) and
// MOSTLY32 (BIGINT, DECIMAL): each value in a signed 1 / 2 / 4-byte slot when it fits, for
// columns declared wider than most of their values need. The most negative slot value (-128,
// -32768, INT32_MIN) is the escape: the row's full value is in the exceptions area, in row order.
//
// Layout: n slots (int8 / int16 / int32 LE) | exceptions (W bytes LE each)
// Example, MOSTLY8 on INTEGER 7, -8, 1000, 9 ->
//   07 | f8 | 80 | 09 | e8 03 00 00
// Slots and exceptions are separate areas so that the common case is a plain widening loop.
#include <limits>

#include "storage/encoding_internal.h"

namespace strata::encoding_internal {
namespace {

constexpr std::string_view kNames[] = {"mostly8", "mostly16", "mostly32"};

bool Accepts8(const SqlType& t) { return t.is_integer() || t.id == TypeId::kDecimal; }
bool Accepts16(const SqlType& t) { return Accepts8(t) && t.id != TypeId::kInt16; }
bool Accepts32(const SqlType& t) { return t.id == TypeId::kInt64 || t.id == TypeId::kDecimal; }

template <typename S>
constexpr std::string_view NameOf() {
  return kNames[sizeof(S) == 1 ? 0 : sizeof(S) == 2 ? 1 : 2];
}

// S is the slot type, T the column's signed integer type (wider than S).
template <typename S, typename T>
std::string EncodeTyped(const Vector& v, size_t begin, size_t end) {
  using U = BitsOf<T>;
  constexpr S kEscape = std::numeric_limits<S>::min();
  auto vals = GatherBits<U>(v, begin, end);
  std::vector<S> slots(vals.size());
  ByteWriter exceptions;
  for (size_t i = 0; i < vals.size(); ++i) {
    T x = static_cast<T>(vals[i]);
    if (x > kEscape && x <= std::numeric_limits<S>::max()) {
      slots[i] = static_cast<S>(x);
    } else {
      slots[i] = kEscape;
      exceptions.Put<U>(vals[i]);
    }
  }
  ByteWriter out;
  out.str().reserve(slots.size() * sizeof(S) + exceptions.size());
  out.PutBytes(slots.data(), slots.size() * sizeof(S));
  out.PutBytes(exceptions.str());
  return out.Take();
}

template <typename S, typename T>
void DecodeTyped(std::string_view payload, size_t n, Vector* out, size_t first) {
  using U = BitsOf<T>;
  constexpr S kEscape = std::numeric_limits<S>::min();
  ByteReader r(payload, NameOf<S>());
  if (n > r.remaining() / sizeof(S)) r.Fail("truncated slot area");
  const char* slots = r.GetBytes(n * sizeof(S)).data();
  T* dst = out->data<T>() + first;
  for (size_t i = 0; i < n; ++i) {
    S s;
    std::memcpy(&s, slots + i * sizeof(S), sizeof(S));
    dst[i] = s == kEscape ? static_cast<T>(r.Get<U>()) : static_cast<T>(s);
  }
  r.ExpectEnd();
}

template <typename S>
std::string Encode(const Vector& v, size_t begin, size_t end) {
  switch (v.physical()) {
    case PhysicalType::kInt16:
      if constexpr (sizeof(S) < 2) return EncodeTyped<S, int16_t>(v, begin, end);
      break;
    case PhysicalType::kInt32:
      if constexpr (sizeof(S) < 4) return EncodeTyped<S, int32_t>(v, begin, end);
      break;
    case PhysicalType::kInt64: return EncodeTyped<S, int64_t>(v, begin, end);
    case PhysicalType::kInt128: return EncodeTyped<S, int128>(v, begin, end);
    default: break;
  }
  STRATA_INTERNAL_ERROR(NameOf<S>(), " on an unsupported column");
}

template <typename S>
void Decode(std::string_view payload, size_t n, Vector* out, size_t first) {
  switch (out->physical()) {
    case PhysicalType::kInt16:
      if constexpr (sizeof(S) < 2) return DecodeTyped<S, int16_t>(payload, n, out, first);
      break;
    case PhysicalType::kInt32:
      if constexpr (sizeof(S) < 4) return DecodeTyped<S, int32_t>(payload, n, out, first);
      break;
    case PhysicalType::kInt64: return DecodeTyped<S, int64_t>(payload, n, out, first);
    case PhysicalType::kInt128: return DecodeTyped<S, int128>(payload, n, out, first);
    default: break;
  }
  ThrowCorrupt(NameOf<S>(), "unsupported column type");
}

}  // namespace

const EncodingOps& Mostly8Ops() {
  static const EncodingOps ops{Accepts8, Encode<int8_t>, Decode<int8_t>};
  return ops;
}

const EncodingOps& Mostly16Ops() {
  static const EncodingOps ops{Accepts16, Encode<int16_t>, Decode<int16_t>};
  return ops;
}

const EncodingOps& Mostly32Ops() {
  static const EncodingOps ops{Accepts32, Encode<int32_t>, Decode<int32_t>};
  return ops;
}

}  // namespace strata::encoding_internal
