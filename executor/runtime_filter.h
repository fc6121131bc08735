// Runtime filters: a hash join's build keys, as a Bloom filter, handed down its probe side to the
// table scan that reads the probe key column (Operator::PushRuntimeFilter), so that probe rows
// that cannot find a match are dropped as they are read — before the joins below the one that
// made the filter, before their copies and before the probe itself (TPC-H Q5: lineitem rows of
// orders outside 1994 go at the scan, not after a join with supplier).
//
// One integer key (the common key / foreign-key join). A filter never drops a row that could
// match; it keeps some that cannot (about 5 % at 8 bits per key and two probes, far fewer for
// small key sets, which get more bits per key). A scan stops
// testing a filter that keeps nearly every row (RuntimeFilterSet).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "sql/vector.h"

namespace strata {

// A register-blocked Bloom filter: each key sets two bits of one 64-bit word, so a test is one
// multiply and one load.
class RuntimeFilter {
 public:
  // Room for `keys` keys.
  explicit RuntimeFilter(size_t keys);
  void Add(int64_t key) {
    const uint64_t h = Hash(key);
    words_[h >> shift_] |= Mask(h);
  }
  // Clears keep[r] for each row r < n of the integer vector `v` (SMALLINT, INTEGER or BIGINT)
  // whose key cannot be one added (a NULL never is); leaves the other flags as they are.
  void Apply(const Vector& v, size_t n, uint8_t* keep) const;
  // Of the m rows sel[0..m) of `v` (all rows 0..m when sel is null), writes those that may hold
  // a key added to out (which may be sel itself) and returns how many.
  size_t Select(const Vector& v, const uint32_t* sel, size_t m, uint32_t* out) const;
  size_t bytes() const { return words_.size() * sizeof(uint64_t); }

 private:
  // Multiplicative: the word from the product's top bits. The two bit positions come from the
  // top bits of a second product of the first folded on itself: taken from the first product's
  // middle bits, they repeat the lattice that product lays over a run of integer keys, and
  // probes landing in a key's word then tend to hit its bits too (4 % kept wrongly instead of
  // 1.5 % for 4,000 of 100,000 consecutive keys at 16 bits each). Not the distribution hash
  // (MixBits64), whose low bits the keys of one slice share.
  static uint64_t Hash(int64_t key) { return static_cast<uint64_t>(key) * 0x9e3779b97f4a7c15ULL; }
  static uint64_t Mask(uint64_t h) {
    const uint64_t g = (h ^ (h >> 32)) * 0xc2b2ae3d27d4eb4fULL;
    return (uint64_t{1} << (g >> 58)) | (uint64_t{1} << ((g >> 52) & 63));
  }

  std::vector<uint64_t> words_;  // a power of two of them
  int shift_ = 64;               // 64 - log2(words)
};

// The filters a table scan was given, each on one of its output columns; drops the rows any of
// them rules out. The filter that has kept the smallest share so far goes first, and each next
// one tests only the rows the ones before kept. Each filter is tested on the first kProbeRows
// rows it sees and dropped from then on when it kept more than kKeepLimit of them (its test
// would cost more than it saves).
class RuntimeFilterSet {
 public:
  void Add(int column, std::shared_ptr<const RuntimeFilter> f) { filters_.push_back({column, std::move(f)}); }
  bool empty() const { return filters_.empty(); }
  // Removes from *b the rows the filters rule out (b's columns keep their order); false when
  // none is left.
  bool Apply(Batch* b);
  // Rows dropped so far.
  int64_t dropped() const { return dropped_; }

 private:
  static constexpr int64_t kProbeRows = 1 << 16;
  static constexpr double kKeepLimit = 0.9;
  struct Entry {
    int column;
    std::shared_ptr<const RuntimeFilter> filter;
    int64_t tested = 0, kept = 0;
    bool active = true;
  };
  std::vector<Entry> filters_;
  std::vector<uint32_t> sel_;
  int64_t dropped_ = 0;
};

}  // namespace strata
