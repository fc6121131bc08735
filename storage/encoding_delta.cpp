// DELTA (1-byte steps: SMALLINT, INTEGER, BIGINT, DECIMAL, DATE, TIMESTAMP) and DELTA32K
// (2-byte steps: INTEGER, BIGINT, DECIMAL, DATE, TIMESTAMP). The first value is stored whole,
// then each row's difference from the previous row as a signed 1- (2-) byte step. The most
// negative step (-128, or -32768) is the escape: the row's full value follows inline.
// Differences are taken modulo 2^(8W), so INT64_MIN followed by INT64_MAX is a step of -1.
//
// Layout: first value (W bytes LE) | per later row: step (int8 / int16 LE) [+ W bytes if escape]
// Example, DELTA on INTEGER 7, 8, 9, 1000 ->
//   07 00 00 00 | 01 | 01 | 80 e8 03 00 00        (991 does not fit a byte: escape + value)
// The same under DELTA32K: 07 00 00 00 | 01 00 | 01 00 | df 03
#include <limits>

#include "storage/encoding_internal.h"

namespace strata::encoding_internal {
namespace {

constexpr std::string_view kDeltaName = "delta";
constexpr std::string_view kDelta32kName = "delta32k";

bool AcceptsDelta(const SqlType& t) { return t.is_integer() || t.id == TypeId::kDecimal || t.is_temporal() || t.is_time(); }
bool AcceptsDelta32k(const SqlType& t) { return AcceptsDelta(t) && t.id != TypeId::kInt16; }

// S is the step type (int8_t or int16_t), T the column's signed integer type.
template <typename S, typename T>
std::string EncodeTyped(const Vector& v, size_t begin, size_t end) {
  using U = BitsOf<T>;
  constexpr S kEscape = std::numeric_limits<S>::min();
  auto vals = GatherBits<U>(v, begin, end);
  ByteWriter out;
  if (vals.empty()) return {};
  out.str().reserve(sizeof(U) + vals.size() * sizeof(S));
  out.Put<U>(vals[0]);
  for (size_t i = 1; i < vals.size(); ++i) {
    T step = static_cast<T>(static_cast<U>(vals[i] - vals[i - 1]));
    if (step > kEscape && step <= std::numeric_limits<S>::max()) {
      out.Put<S>(static_cast<S>(step));
    } else {
      out.Put<S>(kEscape);
      out.Put<U>(vals[i]);
    }
  }
  return out.Take();
}

template <typename S, typename T>
void DecodeTyped(std::string_view payload, size_t n, Vector* out, size_t first, std::string_view name) {
  using U = BitsOf<T>;
  constexpr S kEscape = std::numeric_limits<S>::min();
  ByteReader r(payload, name);
  U* dst = reinterpret_cast<U*>(out->data<T>() + first);
  if (n > 0) {
    U acc = r.Get<U>();
    dst[0] = acc;
    for (size_t i = 1; i < n; ++i) {
      S step = r.Get<S>();
      if (step == kEscape) {
        acc = r.Get<U>();
      } else {
        acc += static_cast<U>(static_cast<T>(step));
      }
      dst[i] = acc;
    }
  }
  r.ExpectEnd();
}

template <typename S>
std::string Encode(const Vector& v, size_t begin, size_t end) {
  switch (v.physical()) {
    case PhysicalType::kInt16: return EncodeTyped<S, int16_t>(v, begin, end);
    case PhysicalType::kInt32: return EncodeTyped<S, int32_t>(v, begin, end);
    case PhysicalType::kInt64: return EncodeTyped<S, int64_t>(v, begin, end);
    case PhysicalType::kInt128: return EncodeTyped<S, int128>(v, begin, end);
    default: STRATA_INTERNAL_ERROR("delta on a non-integer column");
  }
}

template <typename S>
void Decode(std::string_view payload, size_t n, Vector* out, size_t first) {
  std::string_view name = sizeof(S) == 1 ? kDeltaName : kDelta32kName;
  switch (out->physical()) {
    case PhysicalType::kInt16: return DecodeTyped<S, int16_t>(payload, n, out, first, name);
    case PhysicalType::kInt32: return DecodeTyped<S, int32_t>(payload, n, out, first, name);
    case PhysicalType::kInt64: return DecodeTyped<S, int64_t>(payload, n, out, first, name);
    case PhysicalType::kInt128: return DecodeTyped<S, int128>(payload, n, out, first, name);
    default: ThrowCorrupt(name, "not an integer column");
  }
}

}  // namespace

const EncodingOps& DeltaOps() {
  static const EncodingOps ops{AcceptsDelta, Encode<int8_t>, Decode<int8_t>};
  return ops;
}

const EncodingOps& Delta32kOps() {
  static const EncodingOps ops{AcceptsDelta32k, Encode<int16_t>, Decode<int16_t>};
  return ops;
}

}  // namespace strata::encoding_internal
