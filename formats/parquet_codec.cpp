// Page compression codecs over snappy, zlib, zstd and lz4.
#include "formats/parquet_codec.h"

#include <lz4.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

#include <cstring>

#include "sql/error.h"

namespace strata::parquet {

namespace {

[[noreturn]] void Corrupt(Codec codec, const char* what) {
  STRATA_USER_ERROR(sqlstate::kBadCopyFileFormat, "corrupt Parquet page: ", CodecName(codec), " ", what);
}

void InflateGzip(std::string_view in, std::string* out) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 32) != Z_OK) Corrupt(Codec::kGzip, "init failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out->data());
  zs.avail_out = static_cast<uInt>(out->size());
  int rc = inflate(&zs, Z_FINISH);
  size_t produced = out->size() - zs.avail_out;
  inflateEnd(&zs);
  if (rc != Z_STREAM_END || produced != out->size()) Corrupt(Codec::kGzip, "data is invalid");
}

uint32_t BigEndian32(const char* p) {
  auto u = reinterpret_cast<const uint8_t*>(p);
  return (uint32_t{u[0]} << 24) | (uint32_t{u[1]} << 16) | (uint32_t{u[2]} << 8) | u[3];
}

// Hadoop framing: [be32 uncompressed][be32 compressed][block]...; false when it does not fit.
bool TryHadoopLz4(std::string_view in, std::string* out) {
  size_t ip = 0, op = 0;
  while (ip + 8 <= in.size()) {
    uint32_t ulen = BigEndian32(in.data() + ip);
    uint32_t clen = BigEndian32(in.data() + ip + 4);
    ip += 8;
    if (clen > in.size() - ip || ulen > out->size() - op) return false;
    int got = LZ4_decompress_safe(in.data() + ip, out->data() + op, static_cast<int>(clen), static_cast<int>(ulen));
    if (got < 0 || static_cast<uint32_t>(got) != ulen) return false;
    ip += clen;
    op += ulen;
  }
  return ip == in.size() && op == out->size();
}

}  // namespace

const char* CodecName(Codec codec) {
  switch (codec) {
    case Codec::kUncompressed: return "UNCOMPRESSED";
    case Codec::kSnappy: return "SNAPPY";
    case Codec::kGzip: return "GZIP";
    case Codec::kLzo: return "LZO";
    case Codec::kBrotli: return "BROTLI";
    case Codec::kLz4: return "LZ4";
    case Codec::kZstd: return "ZSTD";
    case Codec::kLz4Raw: return "LZ4_RAW";
  }
  return "unknown codec";
}

void Decompress(Codec codec, std::string_view in, size_t uncompressed_size, std::string* out) {
  out->resize(uncompressed_size);
  switch (codec) {
    case Codec::kUncompressed:
      if (in.size() != uncompressed_size) Corrupt(codec, "size mismatch");
      if (uncompressed_size > 0) std::memcpy(out->data(), in.data(), in.size());
      return;
    case Codec::kSnappy: {
      size_t n = 0;
      if (!snappy::GetUncompressedLength(in.data(), in.size(), &n) || n != uncompressed_size ||
          !snappy::RawUncompress(in.data(), in.size(), out->data())) {
        Corrupt(codec, "data is invalid");
      }
      return;
    }
    case Codec::kGzip: InflateGzip(in, out); return;
    case Codec::kZstd: {
      size_t n = ZSTD_decompress(out->data(), out->size(), in.data(), in.size());
      if (ZSTD_isError(n) || n != uncompressed_size) Corrupt(codec, "data is invalid");
      return;
    }
    case Codec::kLz4:
      if (TryHadoopLz4(in, out)) return;
      [[fallthrough]];
    case Codec::kLz4Raw: {
      int n = LZ4_decompress_safe(in.data(), out->data(), static_cast<int>(in.size()),
                                  static_cast<int>(out->size()));
      if (n < 0 || static_cast<size_t>(n) != uncompressed_size) Corrupt(codec, "data is invalid");
      return;
    }
    default:
      STRATA_USER_ERROR(sqlstate::kFeatureNotSupported, "Parquet compression codec ", CodecName(codec),
                        " is not supported");
  }
}

void Compress(Codec codec, std::string_view in, std::string* out) {
  switch (codec) {
    case Codec::kUncompressed: out->assign(in); return;
    case Codec::kSnappy: {
      out->resize(snappy::MaxCompressedLength(in.size()));
      size_t n = 0;
      snappy::RawCompress(in.data(), in.size(), out->data(), &n);
      out->resize(n);
      return;
    }
    case Codec::kGzip: {
      z_stream zs{};
      if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        STRATA_INTERNAL_ERROR("deflateInit2 failed");
      }
      out->resize(deflateBound(&zs, in.size()) + 32);
      zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
      zs.avail_in = static_cast<uInt>(in.size());
      zs.next_out = reinterpret_cast<Bytef*>(out->data());
      zs.avail_out = static_cast<uInt>(out->size());
      int rc = deflate(&zs, Z_FINISH);
      size_t n = out->size() - zs.avail_out;
      deflateEnd(&zs);
      if (rc != Z_STREAM_END) STRATA_INTERNAL_ERROR("deflate failed");
      out->resize(n);
      return;
    }
    case Codec::kZstd: {
      out->resize(ZSTD_compressBound(in.size()));
      size_t n = ZSTD_compress(out->data(), out->size(), in.data(), in.size(), 3);
      if (ZSTD_isError(n)) STRATA_INTERNAL_ERROR("ZSTD_compress failed");
      out->resize(n);
      return;
    }
    case Codec::kLz4Raw: {
      out->resize(LZ4_compressBound(static_cast<int>(in.size())));
      int n = LZ4_compress_default(in.data(), out->data(), static_cast<int>(in.size()), static_cast<int>(out->size()));
      if (n <= 0 && !in.empty()) STRATA_INTERNAL_ERROR("LZ4_compress_default failed");
      out->resize(n);
      return;
    }
    default:
      STRATA_USER_ERROR(sqlstate::kFeatureNotSupported, "Parquet writer does not support codec ", CodecName(codec));
  }
}

}  // namespace strata::parquet
