// DistinctValueSet: the (group, value) pairs a DISTINCT aggregate has seen, for integer-like
// values (SMALLINT, INTEGER, BIGINT, DATE, TIMESTAMP, DECIMAL up to 18 digits, BOOLEAN; all
// read as int64). COUNT(DISTINCT ps_suppkey) GROUP BY ... (TPC-H Q16) meets a million pairs:
// kept as strings in a node-based set, each pair cost an allocation, a string hash and, when
// the table was reset, a free. Here a pair is 16 bytes in one open-addressing array (linear
// probing, at most half full).
#pragma once

#include <cstdint>
#include <vector>

#include "executor/row_hash.h"

namespace strata {

class DistinctValueSet {
 public:
  // Adds (group, value); true when the pair is new. `group` is below UINT32_MAX.
  bool Insert(uint32_t group, int64_t value) {
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    const uint64_t mask = slots_.size() - 1;
    for (uint64_t i = Hash(group, value) & mask;; i = (i + 1) & mask) {
      Slot& s = slots_[i];
      if (s.group == kEmpty) {
        s.group = group;
        s.value = value;
        ++size_;
        return true;
      }
      if (s.group == group && s.value == value) return false;
    }
  }
  size_t size() const { return size_; }
  // Bytes the array holds (what a memory budget charges).
  int64_t Bytes() const { return static_cast<int64_t>(slots_.capacity() * sizeof(Slot)); }
  void Clear() {
    std::vector<Slot>().swap(slots_);
    size_ = 0;
  }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  struct Slot {
    uint32_t group = kEmpty;
    int64_t value = 0;
  };
  static uint64_t Hash(uint32_t group, int64_t value) {
    return MixBits64(static_cast<uint64_t>(value) * 0x9e3779b97f4a7c15ULL ^ group);
  }
  void Grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
    const uint64_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.group == kEmpty) continue;
      uint64_t i = Hash(s.group, s.value) & mask;
      while (slots_[i].group != kEmpty) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }

  std::vector<Slot> slots_;  // a power of two of them
  size_t size_ = 0;
};

}  // namespace strata
