// Z-order (Morton) values for INTERLEAVED SORTKEY: the writers sort each slice's new rows by the
// z-value of their sort key columns, so that blocks become compact boxes in key space and a
// range or equality filter on ANY one key column lets zone maps skip blocks (a COMPOUND order
// only helps filters on its leading column).
//
// How a row's z-value is made, for k key columns (1 <= k <= 8, as Redshift allows):
//   1. Rank. For each key column, a row's rank is the number of the n rows whose value sorts
//      strictly before its own (ties share a rank; NULLs sort after every value, so they all
//      share the last rank). Ranks, not values: real key values are skewed (dates bunched in
//      the last year, ids in a dense range next to a few outliers, strings with long common
//      prefixes), and interleaving raw bits would let one key's high bits decide everything.
//      A rank divided by n is the value's quantile, so every key spreads its rows evenly over
//      its coordinate range and gets equal weight; Redshift gets the same effect from ranges
//      sampled out of the data.
//   2. Scale. rank * 2^b / n with b = 64 / k bits per key (rank < n, so it fits in b bits).
//   3. Interleave, most significant bits first, key 0 before key 1 in each group of k bits:
//        z = a[b-1] b[b-1] a[b-2] b[b-2] ... a[0] b[0]      (k = 2, a and b the scaled ranks)
//      With k = 3 that is 63 bits; the unused top bit stays 0.
// Sorting rows by z then walks the key space along the Morton curve: every run of rows that
// fills a block covers a narrow band of each key's quantiles.
//
// CHAR values compare ignoring trailing spaces, as ORDER BY does; doubles order NaN after
// every number (PostgreSQL's rule) and -0.0 equal to 0.0.
#pragma once

#include <cstdint>
#include <vector>

#include "sql/vector.h"

namespace strata {

inline constexpr size_t kMaxZOrderKeys = 8;

// (*ranks)[i] = number of non-NULL rows of `column` whose value sorts strictly before row i's,
// or the number of non-NULL rows when row i is NULL. Resizes *ranks to column.size().
void QuantileRanks(const Vector& column, std::vector<uint64_t>* ranks);

// (*z)[i] = the z-value of row i of the key columns `keys` (all of the same size, 1 to
// kMaxZOrderKeys columns). Resizes *z to the row count.
void ZOrderValues(const std::vector<Vector>& keys, std::vector<uint64_t>* z);

}  // namespace strata
