// Streaming decompression behind ByteSource. One Decoder per codec turns a window of input into
// a window of output; DecompressedSource owns the raw source, reads it in 256 KiB chunks and
// keeps a 256 KiB output buffer, so a read costs one virtual call per buffer, not per byte.
#include "io/compressed_source.h"

#include <bzlib.h>
#include <lz4frame.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "sql/error.h"

namespace strata {

namespace {

// Consumes input from [*in, in_end) and produces up to out_cap bytes. Returns the produced count
// and sets *at_boundary when the input consumed so far ends exactly on a complete
// member/frame/stream (so that an end of input there is a clean end).
class Decoder {
 public:
  virtual ~Decoder() = default;
  virtual size_t Decode(const char** in, const char* in_end, char* out, size_t out_cap, bool* at_boundary) = 0;
};

[[noreturn]] void ThrowCorrupt(const char* codec, const std::string& name, const std::string& why) {
  throw SqlError(sqlstate::kBadCopyFileFormat, StrCat("corrupt ", codec, " stream in \"", name, "\": ", why));
}

class GzipDecoder : public Decoder {
 public:
  explicit GzipDecoder(const std::string& name) : name_(name) {
    // 15 + 32: a zlib or gzip header, detected automatically.
    if (inflateInit2(&z_, 15 + 32) != Z_OK) STRATA_INTERNAL_ERROR("inflateInit2 failed");
  }
  ~GzipDecoder() override { inflateEnd(&z_); }

  size_t Decode(const char** in, const char* in_end, char* out, size_t out_cap, bool* at_boundary) override {
    size_t produced = 0;
    while (produced < out_cap) {
      if (at_end_) {  // the next member of a concatenated file, if any
        if (*in == in_end) break;
        inflateReset(&z_);
        at_end_ = false;
      }
      z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(*in));
      z_.avail_in = static_cast<uInt>(std::min<size_t>(in_end - *in, 1u << 30));
      z_.next_out = reinterpret_cast<Bytef*>(out + produced);
      z_.avail_out = static_cast<uInt>(std::min<size_t>(out_cap - produced, 1u << 30));
      uInt before_out = z_.avail_out;
      const char* before_in = *in;
      int rc = inflate(&z_, Z_NO_FLUSH);
      *in = reinterpret_cast<const char*>(z_.next_in);
      produced += before_out - z_.avail_out;
      if (rc == Z_STREAM_END) {
        at_end_ = true;
      } else if (rc == Z_BUF_ERROR) {
        break;  // no progress possible: the caller brings more input
      } else if (rc != Z_OK) {
        ThrowCorrupt("gzip", name_, z_.msg != nullptr ? std::string(z_.msg) : "inflate failed");
      } else if (before_out == z_.avail_out && before_in == *in) {
        break;
      }
    }
    *at_boundary = at_end_;
    return produced;
  }

 private:
  std::string name_;
  z_stream z_{};
  bool at_end_ = true;  // nothing begun is a clean boundary too (an empty file)
};

class Bzip2Decoder : public Decoder {
 public:
  explicit Bzip2Decoder(const std::string& name) : name_(name) { Init(); }
  ~Bzip2Decoder() override { BZ2_bzDecompressEnd(&bz_); }

  size_t Decode(const char** in, const char* in_end, char* out, size_t out_cap, bool* at_boundary) override {
    size_t produced = 0;
    while (produced < out_cap) {
      if (at_end_) {
        if (*in == in_end) break;
        BZ2_bzDecompressEnd(&bz_);
        Init();
        at_end_ = false;
      }
      bz_.next_in = const_cast<char*>(*in);
      bz_.avail_in = static_cast<unsigned>(std::min<size_t>(in_end - *in, 1u << 30));
      bz_.next_out = out + produced;
      bz_.avail_out = static_cast<unsigned>(std::min<size_t>(out_cap - produced, 1u << 30));
      unsigned before_out = bz_.avail_out;
      const char* before_in = *in;
      int rc = BZ2_bzDecompress(&bz_);
      *in = bz_.next_in;
      produced += before_out - bz_.avail_out;
      if (rc == BZ_STREAM_END) {
        at_end_ = true;
      } else if (rc != BZ_OK) {
        ThrowCorrupt("bzip2", name_, StrCat("BZ2_bzDecompress error ", rc));
      } else if (before_out == bz_.avail_out && before_in == *in) {
        break;
      }
    }
    *at_boundary = at_end_;
    return produced;
  }

 private:
  void Init() {
    bz_ = bz_stream{};
    if (BZ2_bzDecompressInit(&bz_, 0, 0) != BZ_OK) STRATA_INTERNAL_ERROR("BZ2_bzDecompressInit failed");
  }

  std::string name_;
  bz_stream bz_{};
  bool at_end_ = true;
};

class ZstdDecoder : public Decoder {
 public:
  explicit ZstdDecoder(const std::string& name) : name_(name), ctx_(ZSTD_createDStream()) {}
  ~ZstdDecoder() override { ZSTD_freeDStream(ctx_); }

  size_t Decode(const char** in, const char* in_end, char* out, size_t out_cap, bool* at_boundary) override {
    ZSTD_inBuffer input{*in, static_cast<size_t>(in_end - *in), 0};
    ZSTD_outBuffer output{out, out_cap, 0};
    while (output.pos < output.size) {
      if (at_end_ && input.pos == input.size) break;
      size_t in_before = input.pos, out_before = output.pos;
      size_t rc = ZSTD_decompressStream(ctx_, &output, &input);
      if (ZSTD_isError(rc)) ThrowCorrupt("zstd", name_, ZSTD_getErrorName(rc));
      at_end_ = rc == 0;  // a frame just completed (concatenated frames continue seamlessly)
      if (in_before == input.pos && out_before == output.pos) break;
    }
    *in += input.pos;
    *at_boundary = at_end_;
    return output.pos;
  }

 private:
  std::string name_;
  ZSTD_DStream* ctx_;
  bool at_end_ = true;
};

class Lz4Decoder : public Decoder {
 public:
  explicit Lz4Decoder(const std::string& name) : name_(name) {
    if (LZ4F_isError(LZ4F_createDecompressionContext(&ctx_, LZ4F_VERSION))) {
      STRATA_INTERNAL_ERROR("LZ4F_createDecompressionContext failed");
    }
  }
  ~Lz4Decoder() override { LZ4F_freeDecompressionContext(ctx_); }

  size_t Decode(const char** in, const char* in_end, char* out, size_t out_cap, bool* at_boundary) override {
    size_t produced = 0;
    while (produced < out_cap) {
      if (at_end_ && *in == in_end) break;
      size_t src_size = in_end - *in;
      size_t dst_size = out_cap - produced;
      size_t rc = LZ4F_decompress(ctx_, out + produced, &dst_size, *in, &src_size, nullptr);
      if (LZ4F_isError(rc)) ThrowCorrupt("lz4", name_, LZ4F_getErrorName(rc));
      *in += src_size;
      produced += dst_size;
      at_end_ = rc == 0;
      if (src_size == 0 && dst_size == 0) break;
    }
    *at_boundary = at_end_;
    return produced;
  }

 private:
  std::string name_;
  LZ4F_dctx* ctx_ = nullptr;
  bool at_end_ = true;
};

class DecompressedSource : public ByteSource {
 public:
  static constexpr size_t kChunk = 256 << 10;

  DecompressedSource(std::unique_ptr<ByteSource> raw, Compression c)
      : raw_(std::move(raw)), codec_(CompressionName(c)), in_(kChunk), out_(kChunk) {
    switch (c) {
      case Compression::kGzip: decoder_ = std::make_unique<GzipDecoder>(raw_->Name()); break;
      case Compression::kBzip2: decoder_ = std::make_unique<Bzip2Decoder>(raw_->Name()); break;
      case Compression::kZstd: decoder_ = std::make_unique<ZstdDecoder>(raw_->Name()); break;
      case Compression::kLz4: decoder_ = std::make_unique<Lz4Decoder>(raw_->Name()); break;
      case Compression::kNone: STRATA_INTERNAL_ERROR("DecompressedSource without a codec");
    }
  }

  int64_t Size() override { return -1; }

  size_t ReadAt(int64_t offset, char* buf, size_t n) override {
    if (offset < out_start_) {
      STRATA_USER_ERROR(sqlstate::kIoError, "cannot read ", codec_, " stream \"", raw_->Name(),
                        "\" backwards (offset ", offset, " after ", out_start_, ")");
    }
    size_t done = 0;
    while (done < n) {
      int64_t out_end = out_start_ + static_cast<int64_t>(out_len_);
      if (offset + static_cast<int64_t>(done) < out_end) {
        size_t from = static_cast<size_t>(offset + static_cast<int64_t>(done) - out_start_);
        size_t take = std::min(n - done, out_len_ - from);
        std::memcpy(buf + done, out_.data() + from, take);
        done += take;
        continue;
      }
      if (!Refill()) break;
    }
    return done;
  }

  const std::string& Name() const override { return raw_->Name(); }

 private:
  // Replaces the output buffer with the next decompressed bytes; false at the clean end.
  bool Refill() {
    out_start_ += static_cast<int64_t>(out_len_);
    out_len_ = 0;
    while (out_len_ == 0) {
      if (in_pos_ == in_len_ && !raw_eof_) {
        in_len_ = raw_->ReadAt(raw_offset_, in_.data(), in_.size());
        raw_offset_ += static_cast<int64_t>(in_len_);
        in_pos_ = 0;
        if (in_len_ == 0) raw_eof_ = true;
      }
      const char* in = in_.data() + in_pos_;
      size_t in_before = in_pos_;
      out_len_ = decoder_->Decode(&in, in_.data() + in_len_, out_.data(), out_.size(), &at_boundary_);
      in_pos_ = static_cast<size_t>(in - in_.data());
      if (out_len_ > 0) break;
      if (in_pos_ == in_len_ && raw_eof_) {
        if (!at_boundary_) {
          throw SqlError(sqlstate::kBadCopyFileFormat,
                         StrCat("unexpected end of ", codec_, " stream in \"", raw_->Name(), "\""));
        }
        return false;
      }
      if (in_pos_ == in_before && in_pos_ < in_len_) {
        STRATA_INTERNAL_ERROR(codec_, " decoder made no progress on \"", raw_->Name(), "\"");
      }
    }
    return true;
  }

  std::unique_ptr<ByteSource> raw_;
  std::string codec_;
  std::unique_ptr<Decoder> decoder_;
  std::vector<char> in_;
  size_t in_pos_ = 0;
  size_t in_len_ = 0;
  int64_t raw_offset_ = 0;
  bool raw_eof_ = false;
  bool at_boundary_ = true;
  std::vector<char> out_;
  int64_t out_start_ = 0;  // decompressed offset of out_[0]
  size_t out_len_ = 0;
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Compression CompressionFromName(std::string_view name) {
  std::string n = Lower(name);
  if (n.empty() || n == "none") return Compression::kNone;
  if (n == "gzip" || n == "gz") return Compression::kGzip;
  if (n == "bzip2" || n == "bz2") return Compression::kBzip2;
  if (n == "zstd" || n == "zst") return Compression::kZstd;
  if (n == "lz4") return Compression::kLz4;
  STRATA_USER_ERROR(sqlstate::kInvalidParameterValue, "unknown compression \"", name,
                    "\": expected GZIP, BZIP2, ZSTD, LZ4 or NONE");
}

Compression CompressionFromExtension(std::string_view path) {
  size_t dot = path.rfind('.');
  size_t slash = path.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return Compression::kNone;
  std::string ext = Lower(path.substr(dot + 1));
  if (ext == "gz" || ext == "gzip") return Compression::kGzip;
  if (ext == "bz2") return Compression::kBzip2;
  if (ext == "zst" || ext == "zstd") return Compression::kZstd;
  if (ext == "lz4") return Compression::kLz4;
  return Compression::kNone;
}

const char* CompressionName(Compression c) {
  switch (c) {
    case Compression::kNone: return "none";
    case Compression::kGzip: return "gzip";
    case Compression::kBzip2: return "bzip2";
    case Compression::kZstd: return "zstd";
    case Compression::kLz4: return "lz4";
  }
  return "?";
}

std::unique_ptr<ByteSource> OpenDecompressed(std::unique_ptr<ByteSource> raw, Compression c) {
  if (c == Compression::kNone) return raw;
  return std::make_unique<DecompressedSource>(std::move(raw), c);
}

}  // namespace strata
