// Runtime filters: a hash join's build keys, as a Bloom filter, handed down its probe side to the
// table scan that reads the probe key column (Operator::PushRuntimeFilter), so that probe rows
// that cannot find a match are dropped as they are read — before the joins below the one that
// made the filter, before their copies and before the probe itself (TPC-H Q5: lineitem rows of
// orders outside 1994 go at the scan, not after a join with supplier).
//
// One integer key (the common key / foreign-key join). A filter never drops a row that could
// match. Keys whose range is small enough (surrogate keys: TPC-H's part, supplier, customer and
// order keys) go into a bitmap over that range, which keeps nothing wrongly and tests a row with
// a subtraction and one bit; others into a Bloom filter, which keeps some rows that cannot match
// (about 5 % at 8 bits per key and two probes, far fewer for small key sets, which get more bits
// per key). A scan stops
// testing a filter that keeps nearly every row (RuntimeFilterSet).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "sql/vector.h"

namespace strata {

// A bitmap over the keys' range [min, max] where that range takes at most a few times the bits
// of a Bloom filter for as many keys (or 256 kB); else a register-blocked Bloom filter: each key
// sets two bits of one 64-bit word, so a test is two multiplies and one load.
class RuntimeFilter {
 public:
  // A Bloom filter with room for `keys` keys (any keys may be added).
  explicit RuntimeFilter(size_t keys);
  // Room for `keys` keys, all in [min, max] (min <= max): a bitmap when the range is small
  // enough, else as above.
  RuntimeFilter(size_t keys, int64_t min, int64_t max);
  void Add(int64_t key) {
    if (exact_) {
      const uint64_t k = static_cast<uint64_t>(key) - min_;
      if (k >= range_) AddOutOfRange(key);
      words_[k >> 6] |= uint64_t{1} << (k & 63);
      return;
    }
    const uint64_t h = Hash(key);
    words_[h >> shift_] |= Mask(h);
  }
  // True when the filter is a bitmap (keeps no row wrongly).
  bool exact() const { return exact_; }
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

  [[noreturn]] void AddOutOfRange(int64_t key) const;

  std::vector<uint64_t> words_;  // Bloom: a power of two of them; bitmap: range_ + 1 bits
  int shift_ = 64;               // Bloom: 64 - log2(words)
  bool exact_ = false;
  uint64_t min_ = 0;    // bitmap: bit k stands for key min_ + k
  uint64_t range_ = 0;  // bitmap: max - min + 1; bit range_ stays clear (rows outside test it)
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
  // The rows of b (of which only the filters' columns are read) that no filter rules out, in
  // order, into *sel; returns how many.
  size_t Select(const Batch& b, std::vector<uint32_t>* sel);
  // The columns of the filters still tested.
  std::vector<int> columns() const;
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
