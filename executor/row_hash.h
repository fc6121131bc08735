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
#include <vector>

#include "sql/vector.h"

namespace strata {

// hashes[i] = combined distribution hash of row i over `columns` (all rows of the batch).
void HashRows(const std::vector<const Vector*>& columns, size_t rows, std::vector<uint64_t>* hashes);

// Appends the key bytes of row `row` over `columns` to `out`; returns false if any is NULL.
bool EncodeKey(const std::vector<const Vector*>& columns, size_t row, std::string* out);

// The same bytes for rows [0, rows) at once, column by column (no per-row dispatch or growth):
// appends them to *bytes, the offset where each row's key starts in *bytes to *offsets (one per
// row), and 1 (no NULL) or 0 to *valid (one per row).
void EncodeKeys(const std::vector<const Vector*>& columns, size_t rows, std::string* bytes,
                std::vector<uint32_t>* offsets, std::vector<uint8_t>* valid);

}  // namespace strata
