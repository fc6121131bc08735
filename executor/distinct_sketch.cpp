// See distinct_sketch.h.
#include "executor/distinct_sketch.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "sql/error.h"

namespace strata {

namespace {

constexpr int kQ = 64 - DistinctSketch::kPrecision;  // hash bits below the register index

// A second, independent mix: the callers' hashes also pick slices (their low bits are then
// constant on one slice), and HyperLogLog needs every bit uniform.
inline uint64_t Remix(uint64_t x) {
  x += 0x632be59bd9b4e019ULL;
  x ^= x >> 31;
  x *= 0x9e3779b97f4a7c15ULL;
  x ^= x >> 29;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 32;
  return x;
}

// Ertl's sigma and tau series (see the header).
double Sigma(double x) {
  if (x == 1.0) return std::numeric_limits<double>::infinity();
  double y = 1.0, z = x;
  for (;;) {
    x *= x;
    double before = z;
    z += x * y;
    y += y;
    if (z == before) return z;
  }
}

double Tau(double x) {
  if (x == 0.0 || x == 1.0) return 0.0;
  double y = 1.0, z = 1.0 - x;
  for (;;) {
    x = std::sqrt(x);
    double before = z;
    y *= 0.5;
    z -= (1.0 - x) * (1.0 - x) * y;
    if (z == before) return z / 3.0;
  }
}

[[noreturn]] void Corrupt() { STRATA_INTERNAL_ERROR("malformed distinct-count sketch state"); }

}  // namespace

void DistinctSketch::Add(uint64_t hash) { AddMixed(Remix(hash)); }

void DistinctSketch::AddMixed(uint64_t mixed) {
  if (!registers_.empty()) {
    AddDense(mixed);
    return;
  }
  sparse_.push_back(mixed);
  if (sparse_.size() >= 2 * kSparseLimit) {
    Compact();
    if (sparse_.size() > kSparseLimit) Densify();
  }
}

void DistinctSketch::AddDense(uint64_t mixed) {
  uint64_t w = mixed << kPrecision;
  uint8_t rank = w == 0 ? kQ + 1 : static_cast<uint8_t>(std::min(__builtin_clzll(w) + 1, kQ + 1));
  uint8_t& r = registers_[mixed >> kQ];
  if (rank > r) r = rank;
}

void DistinctSketch::Compact() const {
  if (compacted_ == sparse_.size()) return;
  std::sort(sparse_.begin(), sparse_.end());
  sparse_.erase(std::unique(sparse_.begin(), sparse_.end()), sparse_.end());
  compacted_ = sparse_.size();
}

void DistinctSketch::Densify() {
  registers_.assign(kRegisters, 0);
  for (uint64_t h : sparse_) AddDense(h);
  std::vector<uint64_t>().swap(sparse_);
  compacted_ = 0;
}

void DistinctSketch::Merge(const DistinctSketch& other) {
  if (other.registers_.empty()) {
    for (uint64_t h : other.sparse_) AddMixed(h);
    return;
  }
  if (registers_.empty()) Densify();
  for (size_t i = 0; i < kRegisters; ++i) registers_[i] = std::max(registers_[i], other.registers_[i]);
}

void DistinctSketch::Merge(std::string_view s) {
  if (s.empty()) return;
  DistinctSketch other;
  if (s[0] == 'S' && (s.size() - 1) % sizeof(uint64_t) == 0) {
    other.sparse_.resize((s.size() - 1) / sizeof(uint64_t));
    if (!other.sparse_.empty()) std::memcpy(other.sparse_.data(), s.data() + 1, s.size() - 1);
  } else if (s[0] == 'D' && s.size() == 1 + kRegisters) {
    other.registers_.assign(s.begin() + 1, s.end());
    for (uint8_t r : other.registers_) if (r > kQ + 1) Corrupt();
  } else {
    Corrupt();
  }
  Merge(other);
}

std::string DistinctSketch::Serialize() const {
  std::string out;
  if (!registers_.empty()) {
    out.reserve(1 + kRegisters);
    out.push_back('D');
    out.append(reinterpret_cast<const char*>(registers_.data()), registers_.size());
    return out;
  }
  Compact();
  out.push_back('S');
  out.append(reinterpret_cast<const char*>(sparse_.data()), sparse_.size() * sizeof(uint64_t));
  return out;
}

int64_t DistinctSketch::Estimate() const {
  if (registers_.empty()) {
    Compact();
    return static_cast<int64_t>(sparse_.size());
  }
  int histogram[kQ + 2] = {};
  for (uint8_t r : registers_) histogram[r]++;
  const double m = static_cast<double>(kRegisters);
  double z = m * Tau(1.0 - histogram[kQ + 1] / m);
  for (int k = kQ; k >= 1; --k) z = 0.5 * (z + histogram[k]);
  z += m * Sigma(histogram[0] / m);
  double estimate = m * m / (2.0 * std::log(2.0)) / z;
  return static_cast<int64_t>(std::llround(estimate));
}

int64_t DistinctSketch::Bytes() const {
  return static_cast<int64_t>(sizeof(*this) + sparse_.capacity() * sizeof(uint64_t) + registers_.capacity());
}

}  // namespace strata
