// DistinctSketch: the state of APPROXIMATE COUNT(DISTINCT x) (Redshift's syntax; also
// approx_count_distinct(x)) and of ANALYZE's distinct counts — a HyperLogLog sketch over 64-bit
// value hashes that partial aggregates merge across slices and nodes.
//
// Small sets are exact: up to kSparseLimit distinct hashes the sketch keeps the hashes themselves
// (64-bit, so collisions are negligible), then turns into 2^14 one-byte registers (16 KB,
// standard error about 0.8%). The dense estimate is Ertl's improved raw estimator ("New
// cardinality estimation algorithms for HyperLogLog sketches", 2017), which needs no empirical
// bias tables and is unbiased from small to very large counts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

class DistinctSketch {
 public:
  static constexpr int kPrecision = 14;
  static constexpr size_t kRegisters = size_t{1} << kPrecision;
  static constexpr size_t kSparseLimit = kRegisters / sizeof(uint64_t);  // same bytes as dense

  // Adds one value's 64-bit hash (any well-mixed hash; it is mixed again here).
  void Add(uint64_t hash);
  // Adds what another sketch holds: a Serialize() result, or a sketch.
  void Merge(std::string_view serialized);
  void Merge(const DistinctSketch& other);
  // The state as bytes ('S' + sorted hashes, or 'D' + registers), for exchanges and spill files.
  std::string Serialize() const;
  // The number of distinct values: exact while sparse, estimated when dense.
  int64_t Estimate() const;
  // Bytes held (memory accounting).
  int64_t Bytes() const;

 private:
  void AddMixed(uint64_t mixed);  // a hash already through Remix
  void Compact() const;  // sorts and de-duplicates sparse_
  void Densify();
  void AddDense(uint64_t mixed);

  mutable std::vector<uint64_t> sparse_;  // mixed hashes while sparse (may hold duplicates)
  mutable size_t compacted_ = 0;          // sparse_[0, compacted_) is sorted and unique
  std::vector<uint8_t> registers_;        // empty while sparse
};

}  // namespace strata
