// Delete vectors: which rows of a slice's table version are deleted. Blocks are immutable, so
// DELETE and UPDATE never rewrite them; they publish a new manifest whose delete vector names
// the rows that are gone, and scans leave those rows out. VACUUM later rewrites the blocks
// without them.
//
// A delete vector is a sorted list of disjoint row ranges [begin, end). It is stored as a blob
// in the BlockStore (content-addressed like a block, so a reader verifies what it got):
//
//   "SDV1", u64 LE range count, then per range two LEB128 varints: the gap since the previous
//   range's end and the range's length.
//
// Example: rows 3, 4, 5 and 9 deleted -> ranges [3,6) [9,10) -> "SDV1" 02 00.. 03 03 03 01.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace strata {

using RowRanges = std::vector<std::pair<int64_t, int64_t>>;

// Sorted disjoint ranges covering the given row ordinals (any order, duplicates allowed).
RowRanges RangesOfRows(std::vector<int64_t> rows);

// The union of two sorted disjoint range lists.
RowRanges UnionRanges(const RowRanges& a, const RowRanges& b);

// `a` without the rows in `b` (both sorted and disjoint).
RowRanges SubtractRanges(const RowRanges& a, const RowRanges& b);

int64_t CountRows(const RowRanges& r);

std::string SerializeDeleteVector(const RowRanges& r);
// XX001 when the bytes are not a delete vector.
RowRanges ParseDeleteVector(std::string_view bytes);

}  // namespace strata
