// Row generators of the eight TPC-H tables (clause 4.2.3). Each appends the rows of one key
// range, given as 0-based row indexes [begin, end), to a RowBuffer. The values of a row depend
// only on the scale factor and the row index (see row_random.h), so ranges can be produced by
// any thread in any order and concatenated.
//
// Parent and child tables come from one generator: part with its four partsupp rows, orders
// with its 1..7 lineitems (O_ORDERSTATUS and O_TOTALPRICE are derived from the lineitems).
// A null output buffer skips formatting that table.
#pragma once

#include <cstdint>

#include "bench/dbgen/row_buffer.h"
#include "bench/dbgen/row_random.h"
#include "bench/dbgen/text_pool.h"
#include "bench/dbgen/tpch_tables.h"

namespace strata::dbgen {

struct GenContext {
  ScaleCounts counts;
  const TextPool* pool = nullptr;
};

void RegionRows(const GenContext& ctx, RowBuffer& out);
void NationRows(const GenContext& ctx, RowBuffer& out);
void SupplierRows(const GenContext& ctx, int64_t begin, int64_t end, RowBuffer& out);
void CustomerRows(const GenContext& ctx, int64_t begin, int64_t end, RowBuffer& out);
void PartRows(const GenContext& ctx, int64_t begin, int64_t end, RowBuffer* part,
              RowBuffer* partsupp);
void OrderRows(const GenContext& ctx, int64_t begin, int64_t end, RowBuffer* orders,
               RowBuffer* lineitem);

// Field makers shared by supplier and customer.

// "random v-string [min_len, max_len]": characters from a 64-symbol alphabet.
void AppendVString(RowBuffer& out, RowRandom& rng, int min_len, int max_len);
// Phone number of clause 4.2.2.9: "CC-LLL-LLL-LLLL", country code = nation key + 10.
void AppendPhone(RowBuffer& out, RowRandom& rng, int nation_key);

}  // namespace strata::dbgen
