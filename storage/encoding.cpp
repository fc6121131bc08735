// The encoding registry: names, Redshift's defaults, which encodings are compressed as a whole,
// and the dispatch of EncodeValues / DecodeValues to each encoding's function table (the tables
// live beside their layouts in storage/encoding_<name>.cpp).
#include "storage/encoding.h"

#include <array>

#include "storage/encoding_internal.h"

namespace strata {

using encoding_internal::EncodingOps;

namespace {

constexpr std::array<std::string_view, kEncodingCount> kNames = {
    "raw",      "az64",     "bytedict", "delta",   "delta32k", "mostly8", "mostly16",
    "mostly32", "runlength", "text255", "text32k", "lzo",      "zstd"};

const EncodingOps& OpsOf(Encoding e) {
  using namespace encoding_internal;
  switch (e) {
    case Encoding::kRaw:
    case Encoding::kLzo:
    case Encoding::kZstd: return RawOps();
    case Encoding::kAz64: return Az64Ops();
    case Encoding::kBytedict: return BytedictOps();
    case Encoding::kDelta: return DeltaOps();
    case Encoding::kDelta32k: return Delta32kOps();
    case Encoding::kMostly8: return Mostly8Ops();
    case Encoding::kMostly16: return Mostly16Ops();
    case Encoding::kMostly32: return Mostly32Ops();
    case Encoding::kRunlength: return RunlengthOps();
    case Encoding::kText255: return Text255Ops();
    case Encoding::kText32k: return Text32kOps();
  }
  STRATA_INTERNAL_ERROR("unknown encoding ", static_cast<int>(e));
}

}  // namespace

std::optional<Encoding> EncodingFromName(std::string_view lowercase_name) {
  for (int i = 0; i < kEncodingCount; ++i) {
    if (kNames[i] == lowercase_name) return static_cast<Encoding>(i);
  }
  return std::nullopt;
}

std::string_view EncodingName(Encoding e) {
  auto i = static_cast<size_t>(e);
  return i < kNames.size() ? kNames[i] : std::string_view("unknown");
}

bool EncodingAccepts(Encoding e, const SqlType& t) {
  if (static_cast<int>(e) >= kEncodingCount) return false;
  switch (e) {
    case Encoding::kRaw:
    case Encoding::kZstd: return t.id != TypeId::kNull;
    case Encoding::kLzo:
      // Redshift: LZO for everything but BOOLEAN, REAL and DOUBLE PRECISION.
      return t.id != TypeId::kNull && t.id != TypeId::kBool && !t.is_float();
    default: return OpsOf(e).accepts(t);
  }
}

Encoding DefaultEncoding(const SqlType& t, bool is_sort_key) {
  if (is_sort_key) return Encoding::kRaw;
  switch (t.id) {
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
    case TypeId::kDecimal:
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kTime:
    case TypeId::kTimeTz:
    case TypeId::kInterval: return Encoding::kAz64;
    case TypeId::kChar:
    case TypeId::kVarchar:
    case TypeId::kText: return Encoding::kLzo;
    case TypeId::kSuper: return Encoding::kZstd;  // Redshift's default for SUPER
    default: return Encoding::kRaw;
  }
}

PayloadCompression CompressionOf(Encoding e) {
  if (e == Encoding::kLzo) return PayloadCompression::kLz4;
  if (e == Encoding::kZstd) return PayloadCompression::kZstd;
  return PayloadCompression::kNone;
}

std::string EncodeValues(Encoding e, const Vector& v, size_t begin, size_t end) {
  if (!EncodingAccepts(e, v.type())) {
    STRATA_INTERNAL_ERROR("encoding ", EncodingName(e), " cannot hold type ", v.type().ToString());
  }
  if (begin > end || end > v.size()) STRATA_INTERNAL_ERROR("row range out of bounds");
  return OpsOf(e).encode(v, begin, end);
}

std::unique_ptr<RangeDecoder> OpenRangeDecoder(Encoding e, std::string_view payload, size_t n, PhysicalType p) {
  // Compressed payloads (LZO, ZSTD) are RAW once the caller has decompressed them.
  if (static_cast<int>(e) >= kEncodingCount || p == PhysicalType::kString) return nullptr;
  const EncodingOps& ops = OpsOf(e);
  return ops.open_range != nullptr ? ops.open_range(payload, n, p) : nullptr;
}

void DecodeValues(Encoding e, std::string_view payload, size_t n, Vector* out) {
  if (static_cast<int>(e) >= kEncodingCount) {
    STRATA_USER_ERROR(sqlstate::kDataCorrupted, "unknown column encoding ", static_cast<int>(e));
  }
  if (!EncodingAccepts(e, out->type())) {
    STRATA_USER_ERROR(sqlstate::kDataCorrupted, "encoding ", EncodingName(e), " cannot hold type ",
                      out->type().ToString());
  }
  // An absurd row count (a corrupted block header) is rejected before anything is allocated;
  // the decoders check the rest exactly. Blocks are cut at ~1 MB of values, so real blocks hold
  // far fewer rows than this.
  constexpr size_t kMaxBlockRows = size_t{1} << 26;
  if (n > kMaxBlockRows) STRATA_USER_ERROR(sqlstate::kDataCorrupted, "block row count too large: ", n);
  size_t first = out->size();
  // Every decoder writes all n values (or throws); fixed-width arrays are not zeroed first.
  // String views are (a view left unset must still be a valid empty one).
  if (out->physical() == PhysicalType::kString) {
    out->Resize(first + n);
  } else {
    out->ResizeForOverwrite(first + n);
  }
  try {
    OpsOf(e).decode(payload, n, out, first);
  } catch (...) {
    out->Resize(first);
    throw;
  }
}

bool MatchEncodedValues(Encoding e, std::string_view payload, size_t n, const SqlType& t, const ValueTest& test,
                        int64_t first_row, RowRangeList* ranges) {
  if (static_cast<int>(e) >= kEncodingCount) return false;
  const EncodingOps& ops = OpsOf(e);
  if (ops.match == nullptr || CompressionOf(e) != PayloadCompression::kNone) return false;
  return ops.match(payload, n, t.physical(), test, first_row, ranges);
}

}  // namespace strata
