// The byte-level layers of an ORC stripe's streams (ORC v1 specification): OrcInputStream
// decompresses a stream's chunks (3-byte headers; zlib's raw deflate, snappy, zstd, lz4, or
// "original" chunks stored as is) as its bytes are read, one chunk in memory at a time; the
// decoders on top turn bytes into values: byte RLE, boolean RLE (bits most significant first),
// integer RLE versions 1 and 2 (short repeat, direct, patched base, delta; signed values
// zigzag-encoded) and base-128 varints. Corrupt input throws 22P04 naming the file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sql/types.h"

namespace strata::orcfmt {

enum class Codec { kNone = 0, kZlib = 1, kSnappy = 2, kLzo = 3, kLz4 = 4, kZstd = 5 };

// Throws SqlError 22P04 "the ORC file "NAME" is corrupt: WHAT".
[[noreturn]] void Corrupt(const std::string& file, const std::string& what);

class OrcInputStream {
 public:
  // `raw` is the stream's bytes as stored (compressed chunks, or plain with kNone).
  OrcInputStream(std::string raw, Codec codec, size_t block_size, const std::string* file);
  // The next byte; -1 at the end.
  int Next();
  uint8_t NextOrFail();
  // Copies n bytes (fails if fewer remain).
  void Read(void* out, size_t n);
  bool AtEnd();
  const std::string& file() const { return *file_; }

 private:
  bool Fill();  // decompresses the next chunk into buf_; false at the end
  std::string raw_;
  Codec codec_;
  size_t block_size_;
  const std::string* file_;
  size_t raw_pos_ = 0;
  std::string buf_;
  size_t pos_ = 0;
};

uint64_t ReadUVarint(OrcInputStream& s);
inline int64_t UnZigZag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }
// An unbounded zigzag varint (decimals), up to 128 bits.
int128 ReadSignedVarint128(OrcInputStream& s);

class ByteRleDecoder {
 public:
  explicit ByteRleDecoder(std::unique_ptr<OrcInputStream> s) : s_(std::move(s)) {}
  void Next(uint8_t* out, size_t n);

 private:
  std::unique_ptr<OrcInputStream> s_;
  int remaining_ = 0;
  bool repeat_ = false;
  uint8_t value_ = 0;
};

class BoolDecoder {
 public:
  explicit BoolDecoder(std::unique_ptr<OrcInputStream> s) : bytes_(std::move(s)) {}
  void Next(uint8_t* out, size_t n);  // 1 = true

 private:
  ByteRleDecoder bytes_;
  uint8_t current_ = 0;
  int bits_left_ = 0;
};

class IntDecoder {
 public:
  virtual ~IntDecoder() = default;
  virtual void Next(int64_t* out, size_t n) = 0;
};
// Integer RLE of version 1 (DIRECT, DICTIONARY encodings) or 2 (*_V2).
std::unique_ptr<IntDecoder> MakeIntDecoder(std::unique_ptr<OrcInputStream> s, bool is_signed, bool v2);

}  // namespace strata::orcfmt
