// Hashing and key encoding of rows, shared by distribution (which slice a row lives on),
// exchanges (which slice a row is sent to) and the hash join / hash aggregate tables.
//
// Distribution hash: equal values hash equally whatever their integer width or decimal
// representation (an INTEGER 7 and a BIGINT 7 land on the same slice), CHAR ignores trailing
// spaces, an INTERVAL hashes by its span ('1 mon' = '30 days'), NULL hashes to a fixed value.
// Key encoding: a row's key columns as bytes (NULL flag, then the value normalised the same
// way), so equal keys have equal bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sql/vector.h"

namespace strata {

// MurmurHash3's 64-bit finalizer: every input bit moves every output bit. What the distribution
// hash of an integer is made of, and the aggregate's spill partitioning.
inline uint64_t MixBits64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

// A CHAR value without its trailing spaces: how CHAR values compare, hash and group.
inline std::string_view TrimCharPadding(std::string_view s) {
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// hashes[i] = combined distribution hash of row i over `columns` (all rows of the batch).
void HashRows(const std::vector<const Vector*>& columns, size_t rows, std::vector<uint64_t>* hashes);

// Appends the key bytes of row `row` over `columns` to `out`; returns false if any is NULL.
bool EncodeKey(const std::vector<const Vector*>& columns, size_t row, std::string* out);

// The same bytes for rows [0, rows) at once, column by column (no per-row dispatch or growth):
// appends them to *bytes, the offset where each row's key starts in *bytes to *offsets (one per
// row), and 1 (no NULL) or 0 to *valid (one per row).
void EncodeKeys(const std::vector<const Vector*>& columns, size_t rows, std::string* bytes,
                std::vector<uint32_t>* offsets, std::vector<uint8_t>* valid);

// One batch's encoded keys, in buffers reused from batch to batch.
struct EncodedKeyBatch {
  std::string bytes;
  std::vector<uint32_t> offsets;  // rows + 1 entries: row r's key is bytes[offsets[r], offsets[r + 1])
  std::vector<uint8_t> valid;     // per row: 1 when no key column is NULL

  void Encode(const std::vector<const Vector*>& columns, size_t rows) {
    bytes.clear();
    offsets.clear();
    valid.clear();
    EncodeKeys(columns, rows, &bytes, &offsets, &valid);
    offsets.push_back(static_cast<uint32_t>(bytes.size()));
  }
  std::string_view Key(size_t r) const { return {bytes.data() + offsets[r], offsets[r + 1] - offsets[r]}; }
};

}  // namespace strata
