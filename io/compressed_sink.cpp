// Streaming compression behind ByteSink (OpenCompressed in compressed_source.h). Each encoder
// compresses what is appended into a 256 KiB output buffer and passes full buffers to the raw
// sink; Finish() ends the codec's stream, flushes, and finishes the raw sink.
#include <bzlib.h>
#include <lz4frame.h>
#include <zlib.h>
#include <zstd.h>

#include <string>
#include <vector>

#include "io/compressed_source.h"
#include "sql/error.h"

namespace strata {

namespace {

class CompressedSink : public ByteSink {
 public:
  static constexpr size_t kChunk = 256 << 10;

  explicit CompressedSink(std::unique_ptr<ByteSink> raw) : raw_(std::move(raw)), out_(kChunk) {}

  void Append(std::string_view data) override {
    if (finished_) STRATA_INTERNAL_ERROR("Append after Finish on a compressed sink");
    written_ += static_cast<int64_t>(data.size());
    if (!data.empty()) Compress(data, /*finish=*/false);
  }

  void Finish() override {
    if (finished_) return;
    finished_ = true;
    Compress({}, /*finish=*/true);
    raw_->Finish();
  }

  // Bytes appended (uncompressed), as callers count rows and bytes of their own output.
  int64_t BytesWritten() const override { return written_; }

 protected:
  virtual void Compress(std::string_view data, bool finish) = 0;

  void Emit(size_t n) {
    if (n > 0) raw_->Append(std::string_view(out_.data(), n));
  }

  std::unique_ptr<ByteSink> raw_;
  std::vector<char> out_;
  int64_t written_ = 0;
  bool finished_ = false;
};

class GzipSink : public CompressedSink {
 public:
  GzipSink(std::unique_ptr<ByteSink> raw, int level) : CompressedSink(std::move(raw)) {
    // 15 + 16: a gzip header and trailer rather than zlib's.
    if (deflateInit2(&z_, level <= 0 ? Z_DEFAULT_COMPRESSION : std::min(level, 9), Z_DEFLATED, 15 + 16, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK) {
      STRATA_INTERNAL_ERROR("deflateInit2 failed");
    }
  }
  ~GzipSink() override { deflateEnd(&z_); }

 protected:
  void Compress(std::string_view data, bool finish) override {
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z_.avail_in = static_cast<uInt>(data.size());
    for (;;) {
      z_.next_out = reinterpret_cast<Bytef*>(out_.data());
      z_.avail_out = static_cast<uInt>(out_.size());
      int rc = deflate(&z_, finish ? Z_FINISH : Z_NO_FLUSH);
      if (rc == Z_STREAM_ERROR) STRATA_INTERNAL_ERROR("deflate failed");
      Emit(out_.size() - z_.avail_out);
      if (finish ? rc == Z_STREAM_END : (z_.avail_in == 0 && z_.avail_out != 0)) break;
    }
  }

 private:
  z_stream z_{};
};

class Bzip2Sink : public CompressedSink {
 public:
  Bzip2Sink(std::unique_ptr<ByteSink> raw, int level) : CompressedSink(std::move(raw)) {
    int block = level <= 0 ? 9 : std::min(level, 9);
    if (BZ2_bzCompressInit(&bz_, block, 0, 0) != BZ_OK) STRATA_INTERNAL_ERROR("BZ2_bzCompressInit failed");
  }
  ~Bzip2Sink() override { BZ2_bzCompressEnd(&bz_); }

 protected:
  void Compress(std::string_view data, bool finish) override {
    bz_.next_in = const_cast<char*>(data.data());
    bz_.avail_in = static_cast<unsigned>(data.size());
    for (;;) {
      bz_.next_out = out_.data();
      bz_.avail_out = static_cast<unsigned>(out_.size());
      int rc = BZ2_bzCompress(&bz_, finish ? BZ_FINISH : BZ_RUN);
      if (rc < 0) STRATA_INTERNAL_ERROR("BZ2_bzCompress failed: ", rc);
      Emit(out_.size() - bz_.avail_out);
      if (finish ? rc == BZ_STREAM_END : bz_.avail_in == 0) break;
    }
  }

 private:
  bz_stream bz_{};
};

class ZstdSink : public CompressedSink {
 public:
  ZstdSink(std::unique_ptr<ByteSink> raw, int level) : CompressedSink(std::move(raw)), ctx_(ZSTD_createCCtx()) {
    ZSTD_CCtx_setParameter(ctx_, ZSTD_c_compressionLevel, level <= 0 ? 3 : std::min(level, 19));
  }
  ~ZstdSink() override { ZSTD_freeCCtx(ctx_); }

 protected:
  void Compress(std::string_view data, bool finish) override {
    ZSTD_inBuffer input{data.data(), data.size(), 0};
    for (;;) {
      ZSTD_outBuffer output{out_.data(), out_.size(), 0};
      size_t rc = ZSTD_compressStream2(ctx_, &output, &input, finish ? ZSTD_e_end : ZSTD_e_continue);
      if (ZSTD_isError(rc)) STRATA_INTERNAL_ERROR("ZSTD_compressStream2: ", ZSTD_getErrorName(rc));
      Emit(output.pos);
      if (finish ? rc == 0 : input.pos == input.size) break;
    }
  }

 private:
  ZSTD_CCtx* ctx_;
};

class Lz4Sink : public CompressedSink {
 public:
  Lz4Sink(std::unique_ptr<ByteSink> raw, int level) : CompressedSink(std::move(raw)) {
    if (LZ4F_isError(LZ4F_createCompressionContext(&ctx_, LZ4F_VERSION))) {
      STRATA_INTERNAL_ERROR("LZ4F_createCompressionContext failed");
    }
    prefs_.compressionLevel = std::max(level, 0);
  }
  ~Lz4Sink() override { LZ4F_freeCompressionContext(ctx_); }

 protected:
  void Compress(std::string_view data, bool finish) override {
    if (!begun_) {
      size_t n = LZ4F_compressBegin(ctx_, out_.data(), out_.size(), &prefs_);
      Check(n);
      Emit(n);
      begun_ = true;
    }
    // LZ4F needs a destination bound for each call: feed the input in slices that fit.
    constexpr size_t kSlice = 64 << 10;
    while (!data.empty()) {
      size_t take = std::min(kSlice, data.size());
      if (LZ4F_compressBound(take, &prefs_) > out_.size()) out_.resize(LZ4F_compressBound(take, &prefs_));
      size_t n = LZ4F_compressUpdate(ctx_, out_.data(), out_.size(), data.data(), take, nullptr);
      Check(n);
      Emit(n);
      data.remove_prefix(take);
    }
    if (finish) {
      size_t n = LZ4F_compressEnd(ctx_, out_.data(), out_.size(), nullptr);
      Check(n);
      Emit(n);
    }
  }

 private:
  static void Check(size_t rc) {
    if (LZ4F_isError(rc)) STRATA_INTERNAL_ERROR("lz4 frame compression: ", LZ4F_getErrorName(rc));
  }

  LZ4F_cctx* ctx_ = nullptr;
  LZ4F_preferences_t prefs_{};
  bool begun_ = false;
};

}  // namespace

std::unique_ptr<ByteSink> OpenCompressed(std::unique_ptr<ByteSink> raw, Compression c, int level) {
  switch (c) {
    case Compression::kNone: return raw;
    case Compression::kGzip: return std::make_unique<GzipSink>(std::move(raw), level);
    case Compression::kBzip2: return std::make_unique<Bzip2Sink>(std::move(raw), level);
    case Compression::kZstd: return std::make_unique<ZstdSink>(std::move(raw), level);
    case Compression::kLz4: return std::make_unique<Lz4Sink>(std::move(raw), level);
  }
  STRATA_INTERNAL_ERROR("unknown compression");
}

}  // namespace strata
