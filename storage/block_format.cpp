#include "storage/block_format.h"

#include <lz4.h>
#include <xxhash.h>

#include "sql/error.h"
#include "storage/zone_map.h"

namespace strata {
namespace {

constexpr char kMagic[4] = {'S', 'T', 'B', '1'};
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
      out->Resize(base + n);
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
      out->Resize(base + n);
      if (n) std::memcpy(out->data<T>() + base, payload.data(), n * sizeof(T));
    }
  });
  if (with_nulls) {
    std::memcpy(out->nulls() + base, payload.data() + values_size, n);
  } else if (n) {
    std::memset(out->nulls() + base, 0, n);
  }
}

}  // namespace

std::string EncodeBlock(const Vector& v, size_t begin, size_t end, storage::ZoneMap* zone) {
  if (begin > end || end > v.size()) STRATA_INTERNAL_ERROR("block rows [", begin, ", ", end, ") out of range");
  storage::BlockHeader header;
  ComputeZoneMap(v, begin, end, header.mutable_zone());
  std::string raw = EncodeRaw(v, begin, end, header.zone().null_count() > 0);

  std::string stored;
  stored.resize(LZ4_compressBound(static_cast<int>(raw.size())));
  int compressed = LZ4_compress_default(raw.data(), stored.data(), static_cast<int>(raw.size()),
                                        static_cast<int>(stored.size()));
  if (compressed > 0 && static_cast<size_t>(compressed) < raw.size()) {
    stored.resize(compressed);
    header.set_compression(storage::COMPRESSION_LZ4);
  } else {
    stored = std::move(raw);
    header.set_compression(storage::COMPRESSION_NONE);
  }
  header.set_physical_type(static_cast<uint32_t>(v.physical()));
  header.set_row_count(end - begin);
  header.set_encoding(storage::ENCODING_RAW);
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

storage::BlockHeader DecodeBlockHeader(std::string_view bytes) {
  if (bytes.size() < kPrefixBytes || std::memcmp(bytes.data(), kMagic, 4) != 0) {
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

void DecodeBlock(std::string_view bytes, Vector* out) {
  storage::BlockHeader header = DecodeBlockHeader(bytes);
  std::string_view stored = bytes.substr(bytes.size() - header.stored_size());
  if (XXH3_64bits(stored.data(), stored.size()) != header.checksum()) Corrupted(bytes, "payload checksum mismatch");
  if (header.physical_type() != static_cast<uint32_t>(out->physical())) {
    Corrupted(bytes, StrCat("block holds physical type ", header.physical_type(), ", expected ",
                            static_cast<int>(out->physical())));
  }
  if (header.encoding() != storage::ENCODING_RAW) Corrupted(bytes, "unknown encoding");
  size_t n = header.row_count();
  bool with_nulls = header.zone().null_count() > 0;
  if (header.compression() == storage::COMPRESSION_NONE) {
    DecodeRaw(bytes, stored, n, with_nulls, out);
    return;
  }
  if (header.compression() != storage::COMPRESSION_LZ4) Corrupted(bytes, "unknown compression");
  if (header.raw_size() > (uint64_t{1} << 31)) Corrupted(bytes, "implausible payload size");
  thread_local std::string raw;
  raw.resize(header.raw_size());
  int got = LZ4_decompress_safe(stored.data(), raw.data(), static_cast<int>(stored.size()),
                                static_cast<int>(raw.size()));
  if (got < 0 || static_cast<size_t>(got) != raw.size()) Corrupted(bytes, "LZ4 payload does not decompress");
  DecodeRaw(bytes, raw, n, with_nulls, out);
}

void AppendRowRange(const Vector& src, size_t begin, size_t end, Vector* dst, bool copy_strings) {
  size_t n = end - begin;
  if (n == 0) return;
  size_t base = dst->size();
  dst->Resize(base + n);
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
