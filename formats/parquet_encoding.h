// Parquet's value and level encodings (parquet-format Encodings.md).
//
// RLE / bit-packed hybrid (levels, dictionary indices, RLE booleans): a sequence of runs, each
// led by a ULEB128 header h. h & 1 == 0: an RLE run of h >> 1 copies of one value stored in
// ceil(bit_width / 8) little-endian bytes. h & 1 == 1: (h >> 1) groups of 8 values bit-packed
// LSB first. Example (bit width 3): values 0..7 bit-packed are 0x03 0x88 0xC6 0xFA.
//
// DELTA_BINARY_PACKED: header <block size> <miniblocks per block> <total count> <first value
// zigzag>, then blocks of <min delta zigzag> <one bit width byte per miniblock> <miniblocks>,
// each miniblock holding (delta - min delta) bit-packed. Example: 1,2,3,4,5 is
// 80 01 04 05 02 | 02 00 00 00 00 (block 128, 4 miniblocks, 5 values, first 1, min delta 1,
// all widths 0).
// DELTA_LENGTH_BYTE_ARRAY: the lengths DELTA_BINARY_PACKED, then all bytes concatenated.
// DELTA_BYTE_ARRAY: prefix lengths (shared with the previous value) DELTA_BINARY_PACKED, then
// suffixes DELTA_LENGTH_BYTE_ARRAY. BYTE_STREAM_SPLIT: byte k of value i at k * n + i.
//
// Decoders work on bounded buffers and throw SqlError 22P04 when the input is malformed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace strata::parquet {

// Number of bits needed to represent v (0 for 0).
int BitWidth(uint64_t v);

class RleBitPackedDecoder {
 public:
  RleBitPackedDecoder() = default;
  RleBitPackedDecoder(const uint8_t* data, size_t size, int bit_width);
  // Decodes the next n values; throws 22P04 when the runs end first.
  void Decode(uint32_t* out, size_t n);

 private:
  void NextRun();

  const uint8_t* p_ = nullptr;
  const uint8_t* end_ = nullptr;
  int bit_width_ = 0;
  uint32_t rle_left_ = 0;
  uint32_t rle_value_ = 0;
  const uint8_t* literal_ = nullptr;
  size_t literal_bits_ = 0;  // bits available in the literal run
  size_t literal_pos_ = 0;   // next bit
  uint32_t literal_left_ = 0;
};

// Appends the hybrid encoding of values (each < 2^bit_width), without a length prefix.
void EncodeRleBitPacked(const uint32_t* values, size_t n, int bit_width, std::string* out);

// Decodes a DELTA_BINARY_PACKED stream of at most max_values values into out; returns the
// bytes consumed.
size_t DecodeDeltaBinaryPacked(const uint8_t* data, size_t size, size_t max_values,
                               std::vector<int64_t>* out);
void EncodeDeltaBinaryPacked(const int64_t* values, size_t n, std::string* out);

// Views point into data. Returns the bytes consumed.
size_t DecodeDeltaLengthByteArray(const uint8_t* data, size_t size, size_t max_values,
                                  std::vector<std::string_view>* out);
void EncodeDeltaLengthByteArray(const std::string_view* values, size_t n, std::string* out);
// Views point into *arena (cleared and filled here).
void DecodeDeltaByteArray(const uint8_t* data, size_t size, size_t max_values,
                          std::vector<std::string_view>* out, std::string* arena);
void EncodeDeltaByteArray(const std::string_view* values, size_t n, std::string* out);

// BYTE_STREAM_SPLIT of n values of `width` bytes into out (n * width bytes).
void DecodeByteStreamSplit(const uint8_t* data, size_t size, size_t n, int width, uint8_t* out);

// PLAIN: n BYTE_ARRAY values (4-byte little-endian length, then bytes); views point into data.
// Returns the bytes consumed.
size_t DecodePlainByteArray(const uint8_t* data, size_t size, size_t n, std::string_view* out);
// PLAIN booleans: bit-packed LSB first, one bit each.
void DecodePlainBool(const uint8_t* data, size_t size, size_t n, uint8_t* out);
void EncodePlainBool(const uint8_t* values, size_t n, std::string* out);

[[noreturn]] void ThrowCorruptEncoding(const char* what);

}  // namespace strata::parquet
