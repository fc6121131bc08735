// The wire form of a batch between processes: columns in their columnar form, LZ4-compressed.
//   raw := u32 columns, u32 rows, per column { u8 type id, i32 precision, i32 scale, i32 length,
//          rows NULL bytes, values (fixed width little endian, or u32 lengths then bytes) }
//   wire := u32 raw size, LZ4 block of raw
#pragma once

#include <string>
#include <string_view>

#include "sql/vector.h"

namespace strata {

std::string EncodeBatch(const Batch& b);
// Throws SqlError 08P01 when the bytes are not a valid batch.
Batch DecodeBatch(std::string_view bytes);

}  // namespace strata
