#include "storage/block_format.h"

#include <lz4.h>
#include <xxhash.h>
#include <zstd.h>

#include <climits>

#include "sql/error.h"
#include "storage/encoding.h"
#include "storage/zone_map.h"

namespace strata {
namespace {

constexpr char kMagic[4] = {'S', 'T', 'B', '2'};
constexpr char kMagicV1[4] = {'S', 'T', 'B', '1'};  // before encodings: RAW, LZ4, NULL bytes
constexpr size_t kPrefixBytes = 16;  // magic + header_len + header hash

[[noreturn]] void Corrupted(std::string_view bytes, const std::string& why) {
  throw SqlError(sqlstate::kDataCorrupted, StrCat("block of ", bytes.size(), " bytes is corrupted"))
      .WithDetail(why);
}

void PutU32(char* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>(v >> (8 * i));
}
void PutU64(char* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<char>(v >> (8 * i));
}
uint64_t GetLe(const char* p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(p[i])) << (8 * i);
  return v;
}

// The RAW payload of rows [begin, end); see the format comment in the header.
std::string EncodeRaw(const Vector& v, size_t begin, size_t end, bool with_nulls) {
  size_t n = end - begin;
  const uint8_t* nulls = v.nulls() + begin;
  std::string out;
  DispatchPhysical(v.physical(), [&]<typename T>() {
    const T* data = v.data<T>() + begin;
    if constexpr (std::is_same_v<T, std::string_view>) {
      size_t total = 0;
      for (size_t i = 0; i < n; ++i) total += nulls[i] ? 0 : data[i].size();
      out.resize(n * 4 + total + (with_nulls ? n : 0));
      char* lens = out.data();
      char* bytes = lens + n * 4;
      for (size_t i = 0; i < n; ++i) {
        uint32_t len = nulls[i] ? 0 : static_cast<uint32_t>(data[i].size());
        PutU32(lens + 4 * i, len);
        if (len) std::memcpy(bytes, data[i].data(), len);
        bytes += len;
      }
    } else {
      out.resize(n * sizeof(T) + (with_nulls ? n : 0));
      char* dst = out.data();
      for (size_t i = 0; i < n; ++i) {
        T x = nulls[i] ? T{} : data[i];
        std::memcpy(dst + i * sizeof(T), &x, sizeof(T));
      }
    }
  });
  if (with_nulls) std::memcpy(out.data() + out.size() - n, nulls, n);
  return out;
}

// Appends the n rows of a RAW payload to *out.
void DecodeRaw(std::string_view bytes, std::string_view payload, size_t n, bool with_nulls, Vector* out) {
  size_t base = out->size();
  size_t values_size = payload.size() - (with_nulls ? n : 0);
  if (with_nulls && payload.size() < n) Corrupted(bytes, "payload shorter than its NULL flags");
  DispatchPhysical(out->physical(), [&]<typename T>() {
    if constexpr (std::is_same_v<T, std::string_view>) {
      if (values_size < n * 4) Corrupted(bytes, "payload shorter than its string lengths");
      const char* lens = payload.data();
      uint64_t total = 0;
      for (size_t i = 0; i < n; ++i) total += GetLe(lens + 4 * i, 4);
      if (total != values_size - n * 4) Corrupted(bytes, "string lengths do not match the payload");
      out->ResizeForOverwrite(base + n);
      // One heap copy for the whole block; the rows are views into it.
      std::string_view all = out->OwnHeap().Add(payload.substr(n * 4, total));
      T* dst = out->data<T>() + base;
      size_t at = 0;
      for (size_t i = 0; i < n; ++i) {
        size_t len = GetLe(lens + 4 * i, 4);
        dst[i] = len ? all.substr(at, len) : std::string_view();
        at += len;
      }
    } else {
      if (values_size != n * sizeof(T)) Corrupted(bytes, "payload size does not match the row count");
      out->ResizeForOverwrite(base + n);
      if (n) std::memcpy(out->data<T>() + base, payload.data(), n * sizeof(T));
    }
  });
  if (with_nulls) {
    std::memcpy(out->nulls() + base, payload.data() + values_size, n);
  } else if (n) {
    std::memset(out->nulls() + base, 0, n);
  }
}


// NULL flags as a bitmap, bit i of byte i/8 set for a NULL row.
void AppendNullBitmap(const uint8_t* nulls, size_t n, std::string* out) {
  size_t at = out->size();
  out->resize(at + (n + 7) / 8, '\0');
  for (size_t i = 0; i < n; ++i) {
    if (nulls[i]) (*out)[at + i / 8] = static_cast<char>((*out)[at + i / 8] | (1 << (i % 8)));
  }
}

// The encoded payload of rows [begin, end) before whole-payload compression: a u32 LE length
// of the encoded values, the values, then the NULL bitmap when `with_nulls`.
std::string EncodePayload(Encoding e, const Vector& v, size_t begin, size_t end, bool with_nulls) {
  std::string values = EncodeValues(e, v, begin, end);
  std::string out(4, '\0');
  PutU32(out.data(), static_cast<uint32_t>(values.size()));
  out += values;
  if (with_nulls) AppendNullBitmap(v.nulls() + begin, end - begin, &out);
  return out;
}

std::string Compress(PayloadCompression c, const std::string& raw) {
  std::string stored;
  if (c == PayloadCompression::kLz4) {
    stored.resize(LZ4_compressBound(static_cast<int>(raw.size())));
    int n = LZ4_compress_default(raw.data(), stored.data(), static_cast<int>(raw.size()), static_cast<int>(stored.size()));
    if (n <= 0) STRATA_INTERNAL_ERROR("LZ4 compression failed");
    stored.resize(n);
  } else {
    stored.resize(ZSTD_compressBound(raw.size()));
    size_t n = ZSTD_compress(stored.data(), stored.size(), raw.data(), raw.size(), 3);
    if (ZSTD_isError(n)) STRATA_INTERNAL_ERROR("ZSTD compression failed");
    stored.resize(n);
  }
  return stored;
}

}  // namespace

std::string EncodeBlock(const Vector& v, size_t begin, size_t end, storage::ZoneMap* zone, Encoding encoding) {
  if (begin > end || end > v.size()) STRATA_INTERNAL_ERROR("block rows [", begin, ", ", end, ") out of range");
  if (!EncodingAccepts(encoding, v.type())) encoding = Encoding::kRaw;
  storage::BlockHeader header;
  ComputeZoneMap(v, begin, end, header.mutable_zone());
  std::string raw = EncodePayload(encoding, v, begin, end, header.zone().null_count() > 0);
  std::string stored;
  header.set_compression(storage::COMPRESSION_NONE);
  PayloadCompression pc = CompressionOf(encoding);
  if (pc != PayloadCompression::kNone) {
    std::string c = Compress(pc, raw);
    if (c.size() < raw.size()) {
      stored = std::move(c);
      header.set_compression(pc == PayloadCompression::kLz4 ? storage::COMPRESSION_LZ4 : storage::COMPRESSION_ZSTD);
    }
  }
  if (header.compression() == storage::COMPRESSION_NONE) stored = std::move(raw);
  header.set_physical_type(static_cast<uint32_t>(v.physical()));
  header.set_row_count(end - begin);
  header.set_encoding(static_cast<storage::Encoding>(encoding));
  header.set_raw_size(header.compression() == storage::COMPRESSION_NONE ? stored.size() : raw.size());
  header.set_stored_size(stored.size());
  header.set_checksum(XXH3_64bits(stored.data(), stored.size()));

  std::string header_bytes;
  header.SerializeToString(&header_bytes);
  std::string out;
  out.resize(kPrefixBytes + header_bytes.size() + stored.size());
  std::memcpy(out.data(), kMagic, 4);
  PutU32(out.data() + 4, static_cast<uint32_t>(header_bytes.size()));
  PutU64(out.data() + 8, XXH3_64bits(header_bytes.data(), header_bytes.size()));
  std::memcpy(out.data() + kPrefixBytes, header_bytes.data(), header_bytes.size());
  std::memcpy(out.data() + kPrefixBytes + header_bytes.size(), stored.data(), stored.size());
  if (zone) *zone = header.zone();
  return out;
}

size_t EncodedBlockSize(Encoding encoding, const Vector& v) {
  if (!EncodingAccepts(encoding, v.type())) return SIZE_MAX;
  std::string raw = EncodePayload(encoding, v, 0, v.size(), v.HasNulls());
  PayloadCompression pc = CompressionOf(encoding);
  if (pc == PayloadCompression::kNone) return raw.size();
  return std::min(raw.size(), Compress(pc, raw).size());
}

storage::BlockHeader DecodeBlockHeader(std::string_view bytes) {
  if (bytes.size() < kPrefixBytes ||
      (std::memcmp(bytes.data(), kMagic, 4) != 0 && std::memcmp(bytes.data(), kMagicV1, 4) != 0)) {
    Corrupted(bytes, "bad magic or truncated header");
  }
  uint64_t header_len = GetLe(bytes.data() + 4, 4);
  if (header_len > bytes.size() - kPrefixBytes) Corrupted(bytes, "header length beyond the file");
  std::string_view header_bytes = bytes.substr(kPrefixBytes, header_len);
  if (XXH3_64bits(header_bytes.data(), header_bytes.size()) != GetLe(bytes.data() + 8, 8)) {
    Corrupted(bytes, "header checksum mismatch");
  }
  storage::BlockHeader header;
  if (!header.ParseFromArray(header_bytes.data(), static_cast<int>(header_bytes.size()))) {
    Corrupted(bytes, "unparsable header");
  }
  if (header.stored_size() != bytes.size() - kPrefixBytes - header_len) {
    Corrupted(bytes, "payload size does not match the header");
  }
  return header;
}

OpenedBlock OpenBlock(std::string_view bytes, std::string* scratch, PayloadCheck check) {
  OpenedBlock b;
  b.header = DecodeBlockHeader(bytes);
  const storage::BlockHeader& header = b.header;
  std::string_view stored = bytes.substr(bytes.size() - header.stored_size());
  if (check == PayloadCheck::kVerify && XXH3_64bits(stored.data(), stored.size()) != header.checksum()) {
    Corrupted(bytes, "payload checksum mismatch");
  }
  size_t n = header.row_count();
  bool with_nulls = header.zone().null_count() > 0;
  b.v1 = std::memcmp(bytes.data(), kMagicV1, 4) == 0;
  if (header.encoding() < 0 || header.encoding() >= kEncodingCount || (b.v1 && header.encoding() != storage::ENCODING_RAW)) {
    Corrupted(bytes, "unknown encoding");
  }
  std::string_view payload = stored;
  if (header.compression() != storage::COMPRESSION_NONE) {
    if (header.raw_size() > (uint64_t{1} << 31)) Corrupted(bytes, "implausible payload size");
    scratch->resize(header.raw_size());
    if (header.compression() == storage::COMPRESSION_LZ4) {
      int got = LZ4_decompress_safe(stored.data(), scratch->data(), static_cast<int>(stored.size()),
                                    static_cast<int>(scratch->size()));
      if (got < 0 || static_cast<size_t>(got) != scratch->size()) Corrupted(bytes, "LZ4 payload does not decompress");
    } else if (header.compression() == storage::COMPRESSION_ZSTD) {
      size_t got = ZSTD_decompress(scratch->data(), scratch->size(), stored.data(), stored.size());
      if (ZSTD_isError(got) || got != scratch->size()) Corrupted(bytes, "ZSTD payload does not decompress");
    } else {
      Corrupted(bytes, "unknown compression");
    }
    payload = *scratch;
  }
  if (b.v1) {
    b.values = payload;
    return b;
  }
  if (payload.size() < 4) Corrupted(bytes, "payload too short");
  uint64_t values_len = GetLe(payload.data(), 4);
  size_t bitmap = with_nulls ? (n + 7) / 8 : 0;
  if (values_len + 4 + bitmap != payload.size()) Corrupted(bytes, "payload sizes do not add up");
  b.values = payload.substr(4, values_len);
  b.null_bitmap = payload.substr(4 + values_len);
  return b;
}

void DecodeBlock(std::string_view bytes, Vector* out, PayloadCheck check) {
  thread_local std::string scratch;
  OpenedBlock b = OpenBlock(bytes, &scratch, check);
  const storage::BlockHeader& header = b.header;
  if (header.physical_type() != static_cast<uint32_t>(out->physical())) {
    Corrupted(bytes, StrCat("block holds physical type ", header.physical_type(), ", expected ",
                            static_cast<int>(out->physical())));
  }
  size_t n = header.row_count();
  bool with_nulls = header.zone().null_count() > 0;
  if (b.v1) {
    DecodeRaw(bytes, b.values, n, with_nulls, out);
    return;
  }
  size_t base = out->size();
  DecodeValues(static_cast<Encoding>(header.encoding()), b.values, n, out);
  if (out->size() != base + n) Corrupted(bytes, "decoded row count differs from the header");
  uint8_t* nulls = out->nulls() + base;
  if (with_nulls) {
    const char* bits = b.null_bitmap.data();
    for (size_t i = 0; i < n; ++i) nulls[i] = (static_cast<uint8_t>(bits[i / 8]) >> (i % 8)) & 1;
  } else {
    std::memset(nulls, 0, n);
  }
}

void AppendRowRange(const Vector& src, size_t begin, size_t end, Vector* dst, bool copy_strings) {
  size_t n = end - begin;
  if (n == 0) return;
  size_t base = dst->size();
  dst->ResizeForOverwrite(base + n);
  std::memcpy(dst->nulls() + base, src.nulls() + begin, n);
  DispatchPhysical(src.physical(), [&]<typename T>() {
    const T* s = src.data<T>() + begin;
    T* d = dst->data<T>() + base;
    if constexpr (std::is_same_v<T, std::string_view>) {
      if (copy_strings) {
        StringHeap& heap = dst->OwnHeap();
        for (size_t i = 0; i < n; ++i) d[i] = heap.Add(s[i]);
        return;
      }
    }
    std::memcpy(static_cast<void*>(d), s, n * sizeof(T));
  });
  if (src.physical() == PhysicalType::kString && !copy_strings) dst->ShareHeaps(src);
}

}  // namespace strata
