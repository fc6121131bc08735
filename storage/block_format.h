// The block file: one column's values for a run of rows, immutable once written.
//
//   offset 0   "STB2"                      magic and format version
//          4   u32 LE header_len
//          8   u64 LE XXH3-64 of the header bytes
//         16   header (storage::BlockHeader, protobuf; header_len bytes)
//          .   payload (header.stored_size bytes), compressed as header.compression says
//
// The header holds row count, encoding, compression, payload sizes, the XXH3-64 checksum of the
// stored payload and the zone map, so every byte of the file is covered by a checksum. The
// payload, before compression (LZ4 for LZO columns, ZSTD for ZSTD columns, none otherwise):
//
//   u32 LE   length of the encoded values
//   bytes    the values in the column's encoding (storage/encoding.h; NULL rows as the encoder
//            chooses, deterministically, so equal columns make equal bytes, hence equal ids)
//   bitmap   only when the zone map's null_count > 0: bit i of byte i/8 set when row i is NULL
//
// Example: INTEGER rows 7, NULL, 9 in RAW -> 0c000000 07000000 07000000 09000000 02 (17 bytes:
// the RAW encoder repeats the previous value in a NULL slot).
// Blocks written before encodings existed ("STB1": RAW values, LZ4, a NULL byte per row) are
// still read.
#pragma once

#include <string>
#include <string_view>

#include "sql/vector.h"
#include "storage/encoding.h"
#include "storage/storage.pb.h"

namespace strata {

// Encodes rows [begin, end) of `v` as a block file in `encoding` (RAW when the encoding cannot
// hold the column's type); fills *zone (when non-null) with the block's zone map.
std::string EncodeBlock(const Vector& v, size_t begin, size_t end, storage::ZoneMap* zone,
                        Encoding encoding = Encoding::kRaw);

// The payload bytes a block of all of `v` would take in `encoding` (SIZE_MAX when the encoding
// cannot hold the type): what ANALYZE COMPRESSION and block sizing compare.
size_t EncodedBlockSize(Encoding encoding, const Vector& v);

// Parses and verifies a block's header (XX001 when malformed or its checksum fails).
storage::BlockHeader DecodeBlockHeader(std::string_view block_bytes);

// A verified block's parts: its header, its encoded values (decompressed into the caller's
// scratch string when the payload is compressed as a whole) and its NULL bitmap (empty when the
// block has no NULL). A "STB1" block (v1) has RAW values and a NULL byte per row in `values`.
struct OpenedBlock {
  storage::BlockHeader header;
  std::string_view values;
  std::string_view null_bitmap;
  bool v1 = false;
};
// Whether OpenBlock hashes the payload against the header's checksum. Bytes a BlockStore
// returned were already hashed whole against their content id, which covers the payload: for
// them the second hash (about a twentieth of a scan's time) is skipped. The header's own
// checksum and every size check still run.
enum class PayloadCheck { kVerify, kVerifiedById };

// XX001 when the block is malformed or a checksum fails. The views point into `bytes` or *scratch.
OpenedBlock OpenBlock(std::string_view bytes, std::string* scratch, PayloadCheck check = PayloadCheck::kVerify);

// Appends the block's rows to *out, whose type must be set and of the block's physical type.
// A checksum mismatch or malformed block is SqlError XX001 "block ... is corrupted".
void DecodeBlock(std::string_view block_bytes, Vector* out, PayloadCheck check = PayloadCheck::kVerify);

// Appends rows [begin, end) of `src` to *dst (same physical type). Strings share src's heaps,
// or with `copy_strings` are copied into dst's own heap so that src's heaps can be released.
void AppendRowRange(const Vector& src, size_t begin, size_t end, Vector* dst, bool copy_strings);

}  // namespace strata
