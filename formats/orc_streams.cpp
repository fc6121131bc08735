// See orc_streams.h.
#include "formats/orc_streams.h"

#include <lz4.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstring>

#include "sql/error.h"
#include "sql/sqlstate.h"

namespace strata::orcfmt {

void Corrupt(const std::string& file, const std::string& what) {
  throw SqlError(sqlstate::kBadCopyFileFormat, StrCat("the ORC file \"", file, "\" is corrupt: ", what));
}

OrcInputStream::OrcInputStream(std::string raw, Codec codec, size_t block_size, const std::string* file)
    : raw_(std::move(raw)), codec_(codec), block_size_(std::max<size_t>(block_size, 1024)), file_(file) {
  if (codec_ == Codec::kNone) {
    buf_ = std::move(raw_);
    raw_.clear();
  }
}

bool OrcInputStream::Fill() {
  if (codec_ == Codec::kNone || raw_pos_ >= raw_.size()) return false;
  if (raw_pos_ + 3 > raw_.size()) Corrupt(*file_, "a compression chunk header is cut short");
  const auto* h = reinterpret_cast<const uint8_t*>(raw_.data() + raw_pos_);
  uint32_t header = h[0] | (h[1] << 8) | (h[2] << 16);
  size_t len = header >> 1;
  bool original = header & 1;
  raw_pos_ += 3;
  if (raw_pos_ + len > raw_.size()) Corrupt(*file_, "a compression chunk runs past its stream");
  const char* in = raw_.data() + raw_pos_;
  raw_pos_ += len;
  pos_ = 0;
  if (original) {
    buf_.assign(in, len);
    return true;
  }
  buf_.resize(block_size_);
  switch (codec_) {
    case Codec::kZlib: {
      z_stream z{};
      if (inflateInit2(&z, -15) != Z_OK) Corrupt(*file_, "zlib did not start");
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in));
      z.avail_in = static_cast<uInt>(len);
      z.next_out = reinterpret_cast<Bytef*>(buf_.data());
      z.avail_out = static_cast<uInt>(buf_.size());
      int rc = inflate(&z, Z_FINISH);
      size_t out = buf_.size() - z.avail_out;
      inflateEnd(&z);
      if (rc != Z_STREAM_END) Corrupt(*file_, "a zlib chunk does not inflate");
      buf_.resize(out);
      break;
    }
    case Codec::kSnappy: {
      size_t out = 0;
      if (!snappy::GetUncompressedLength(in, len, &out) || out > block_size_ || !snappy::RawUncompress(in, len, buf_.data())) {
        Corrupt(*file_, "a snappy chunk does not decompress");
      }
      buf_.resize(out);
      break;
    }
    case Codec::kZstd: {
      size_t out = ZSTD_decompress(buf_.data(), buf_.size(), in, len);
      if (ZSTD_isError(out)) Corrupt(*file_, "a zstd chunk does not decompress");
      buf_.resize(out);
      break;
    }
    case Codec::kLz4: {
      int out = LZ4_decompress_safe(in, buf_.data(), static_cast<int>(len), static_cast<int>(buf_.size()));
      if (out < 0) Corrupt(*file_, "an lz4 chunk does not decompress");
      buf_.resize(static_cast<size_t>(out));
      break;
    }
    default:
      throw SqlError(sqlstate::kFeatureNotSupported, StrCat("the ORC file \"", *file_, "\" uses LZO compression, which is not supported"));
  }
  return true;
}

int OrcInputStream::Next() {
  while (pos_ >= buf_.size()) {
    if (!Fill()) return -1;
  }
  return static_cast<uint8_t>(buf_[pos_++]);
}

uint8_t OrcInputStream::NextOrFail() {
  int b = Next();
  if (b < 0) Corrupt(*file_, "a stream ends early");
  return static_cast<uint8_t>(b);
}

void OrcInputStream::Read(void* out, size_t n) {
  auto* dst = static_cast<char*>(out);
  while (n > 0) {
    while (pos_ >= buf_.size()) {
      if (!Fill()) Corrupt(*file_, "a stream ends early");
    }
    size_t k = std::min(n, buf_.size() - pos_);
    std::memcpy(dst, buf_.data() + pos_, k);
    pos_ += k;
    dst += k;
    n -= k;
  }
}

bool OrcInputStream::AtEnd() {
  while (pos_ >= buf_.size()) {
    if (!Fill()) return true;
  }
  return false;
}

uint64_t ReadUVarint(OrcInputStream& s) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    uint8_t b = s.NextOrFail();
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return v;
  }
  Corrupt(s.file(), "a varint is longer than 64 bits");
}

int128 ReadSignedVarint128(OrcInputStream& s) {
  unsigned __int128 v = 0;
  for (int shift = 0; shift < 128; shift += 7) {
    uint8_t b = s.NextOrFail();
    v |= static_cast<unsigned __int128>(b & 0x7f) << shift;
    if (!(b & 0x80)) return static_cast<int128>(v >> 1) ^ -static_cast<int128>(v & 1);
  }
  Corrupt(s.file(), "a decimal varint is longer than 128 bits");
}

void ByteRleDecoder::Next(uint8_t* out, size_t n) {
  for (size_t i = 0; i < n;) {
    if (remaining_ == 0) {
      int8_t control = static_cast<int8_t>(s_->NextOrFail());
      if (control >= 0) {
        repeat_ = true;
        remaining_ = control + 3;
        value_ = s_->NextOrFail();
      } else {
        repeat_ = false;
        remaining_ = -control;
      }
    }
    size_t k = std::min<size_t>(n - i, static_cast<size_t>(remaining_));
    if (repeat_) std::memset(out + i, value_, k);
    else s_->Read(out + i, k);
    remaining_ -= static_cast<int>(k);
    i += k;
  }
}

void BoolDecoder::Next(uint8_t* out, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (bits_left_ == 0) {
      bytes_.Next(&current_, 1);
      bits_left_ = 8;
    }
    --bits_left_;
    out[i] = (current_ >> bits_left_) & 1;
  }
}

namespace {

class IntRleV1 : public IntDecoder {
 public:
  IntRleV1(std::unique_ptr<OrcInputStream> s, bool is_signed) : s_(std::move(s)), signed_(is_signed) {}
  void Next(int64_t* out, size_t n) override {
    for (size_t i = 0; i < n;) {
      if (remaining_ == 0) {
        int8_t control = static_cast<int8_t>(s_->NextOrFail());
        if (control >= 0) {
          run_ = true;
          remaining_ = control + 3;
          delta_ = static_cast<int8_t>(s_->NextOrFail());
          value_ = ReadValue();
        } else {
          run_ = false;
          remaining_ = -control;
        }
      }
      size_t k = std::min<size_t>(n - i, static_cast<size_t>(remaining_));
      for (size_t j = 0; j < k; ++j) {
        if (run_) {
          out[i + j] = value_;
          value_ += delta_;
        } else {
          out[i + j] = ReadValue();
        }
      }
      remaining_ -= static_cast<int>(k);
      i += k;
    }
  }

 private:
  int64_t ReadValue() {
    uint64_t v = ReadUVarint(*s_);
    return signed_ ? UnZigZag(v) : static_cast<int64_t>(v);
  }
  std::unique_ptr<OrcInputStream> s_;
  bool signed_;
  int remaining_ = 0;
  bool run_ = false;
  int64_t delta_ = 0, value_ = 0;
};

// The 5-bit width code of RLE v2 as a bit count (`delta`: code 0 is 0 bits).
int DecodeWidth(int code, bool delta) {
  if (code == 0) return delta ? 0 : 1;
  if (code <= 23) return code + 1;
  static const int kHigh[] = {26, 28, 30, 32, 40, 48, 56, 64};
  return kHigh[code - 24];
}

int ClosestFixedBits(int n) {
  if (n <= 24) return std::max(n, 1);
  if (n <= 26) return 26;
  if (n <= 28) return 28;
  if (n <= 30) return 30;
  if (n <= 32) return 32;
  if (n <= 40) return 40;
  if (n <= 48) return 48;
  if (n <= 56) return 56;
  return 64;
}

class IntRleV2 : public IntDecoder {
 public:
  IntRleV2(std::unique_ptr<OrcInputStream> s, bool is_signed) : s_(std::move(s)), signed_(is_signed) {}
  void Next(int64_t* out, size_t n) override {
    for (size_t i = 0; i < n;) {
      if (pos_ >= values_.size()) ReadRun();
      size_t k = std::min(n - i, values_.size() - pos_);
      std::memcpy(out + i, values_.data() + pos_, k * sizeof(int64_t));
      pos_ += k;
      i += k;
    }
  }

 private:
  // Big-endian bit-packed unsigned values of `width` bits.
  void ReadPacked(uint64_t* out, size_t n, int width) {
    uint64_t bits = 0;
    int have = 0;
    for (size_t i = 0; i < n; ++i) {
      uint64_t v = 0;
      int need = width;
      while (need > 0) {
        if (have == 0) {
          bits = s_->NextOrFail();
          have = 8;
        }
        int take = std::min(need, have);
        v = (take == 64 ? 0 : v << take) | ((bits >> (have - take)) & ((take == 64 ? ~0ULL : (1ULL << take) - 1)));
        have -= take;
        need -= take;
      }
      out[i] = v;
    }
  }
  int64_t Decode(uint64_t v) const { return signed_ ? UnZigZag(v) : static_cast<int64_t>(v); }

  void ReadRun() {
    values_.clear();
    pos_ = 0;
    uint8_t first = s_->NextOrFail();
    int kind = first >> 6;
    if (kind == 0) {  // short repeat
      int width = ((first >> 3) & 7) + 1;
      int count = (first & 7) + 3;
      uint64_t v = 0;
      for (int b = 0; b < width; ++b) v = (v << 8) | s_->NextOrFail();
      values_.assign(count, Decode(v));
      return;
    }
    uint8_t second = s_->NextOrFail();
    int code = (first >> 1) & 0x1f;
    size_t length = ((static_cast<size_t>(first & 1) << 8) | second) + 1;
    std::vector<uint64_t> raw(length);
    if (kind == 1) {  // direct
      ReadPacked(raw.data(), length, DecodeWidth(code, false));
      for (uint64_t v : raw) values_.push_back(Decode(v));
      return;
    }
    if (kind == 2) {  // patched base
      int width = DecodeWidth(code, false);
      uint8_t third = s_->NextOrFail(), fourth = s_->NextOrFail();
      int base_bytes = ((third >> 5) & 7) + 1;
      int patch_width = DecodeWidth(third & 0x1f, false);
      int gap_width = ((fourth >> 5) & 7) + 1;
      int patches = fourth & 0x1f;
      uint64_t b = 0;
      for (int i = 0; i < base_bytes; ++i) b = (b << 8) | s_->NextOrFail();
      uint64_t sign_bit = 1ULL << (base_bytes * 8 - 1);
      int64_t base = (b & sign_bit) ? -static_cast<int64_t>(b & ~sign_bit) : static_cast<int64_t>(b);
      ReadPacked(raw.data(), length, width);
      int entry_bits = ClosestFixedBits(gap_width + patch_width);
      if (entry_bits > 64) Corrupt(s_->file(), "a patch is wider than 64 bits");
      std::vector<uint64_t> list(patches);
      ReadPacked(list.data(), list.size(), entry_bits);
      size_t at = 0;
      for (uint64_t e : list) {
        uint64_t gap = e >> patch_width;
        uint64_t patch = patch_width == 64 ? e : e & ((1ULL << patch_width) - 1);
        at += gap;
        if (at >= length) Corrupt(s_->file(), "a patch points past its run");
        if (patch != 0 || gap == 0) raw[at] |= patch << width;
      }
      for (uint64_t v : raw) values_.push_back(base + static_cast<int64_t>(v));
      return;
    }
    // delta
    int width = DecodeWidth(code, true);
    uint64_t base_raw = ReadUVarint(*s_);
    int64_t base = Decode(base_raw);
    int64_t delta = UnZigZag(ReadUVarint(*s_));
    values_.push_back(base);
    if (length >= 2) values_.push_back(base + delta);
    if (length > 2) {
      if (width == 0) {
        for (size_t i = 2; i < length; ++i) values_.push_back(values_.back() + delta);
      } else {
        std::vector<uint64_t> d(length - 2);
        ReadPacked(d.data(), d.size(), width);
        for (uint64_t x : d) values_.push_back(delta < 0 ? values_.back() - static_cast<int64_t>(x) : values_.back() + static_cast<int64_t>(x));
      }
    }
  }

  std::unique_ptr<OrcInputStream> s_;
  bool signed_;
  std::vector<int64_t> values_;
  size_t pos_ = 0;
};

}  // namespace

std::unique_ptr<IntDecoder> MakeIntDecoder(std::unique_ptr<OrcInputStream> s, bool is_signed, bool v2) {
  if (v2) return std::make_unique<IntRleV2>(std::move(s), is_signed);
  return std::make_unique<IntRleV1>(std::move(s), is_signed);
}

}  // namespace strata::orcfmt
