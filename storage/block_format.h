// The block file: one column's values for a run of rows, immutable once written.
//
//   offset 0   "STB1"                      magic and format version
//          4   u32 LE header_len
//          8   u64 LE XXH3-64 of the header bytes
//         16   header (storage::BlockHeader, protobuf; header_len bytes)
//          .   payload (header.stored_size bytes), LZ4-compressed unless compression is NONE
//
// The header holds row count, encoding, compression, payload sizes, the XXH3-64 checksum of the
// stored payload and the zone map, so every byte of the file is covered by a checksum. The
// RAW payload, before compression, for n rows:
//
//   fixed-width types   n values of the physical type (little-endian; NULL slots zeroed)
//   strings             n u32 LE lengths (0 for NULL), then all the bytes back to back
//   then, only when the zone map's null_count > 0, n NULL flags (1 byte each, 1 = NULL)
//
// Example: INTEGER rows 7, NULL, 9 -> payload 07000000 00000000 09000000 00 01 00 (15 bytes).
// NULL slots are zeroed so that equal columns make equal bytes, hence equal block ids.
#pragma once

#include <string>
#include <string_view>

#include "sql/vector.h"
#include "storage/storage.pb.h"

namespace strata {

// Encodes rows [begin, end) of `v` as a block file; fills *zone (when non-null) with the
// block's zone map.
std::string EncodeBlock(const Vector& v, size_t begin, size_t end, storage::ZoneMap* zone);

// Parses and verifies a block's header (XX001 when malformed or its checksum fails).
storage::BlockHeader DecodeBlockHeader(std::string_view block_bytes);

// Appends the block's rows to *out, whose type must be set and of the block's physical type.
// A checksum mismatch or malformed block is SqlError XX001 "block ... is corrupted".
void DecodeBlock(std::string_view block_bytes, Vector* out);

// Appends rows [begin, end) of `src` to *dst (same physical type). Strings share src's heaps,
// or with `copy_strings` are copied into dst's own heap so that src's heaps can be released.
void AppendRowRange(const Vector& src, size_t begin, size_t end, Vector* dst, bool copy_strings);

}  // namespace strata
