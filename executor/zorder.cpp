// Quantile ranks and Morton interleaving for INTERLEAVED SORTKEY; the design is in zorder.h.
#include "executor/zorder.h"

#include <algorithm>
#include <cmath>
#include <string_view>
#include <type_traits>
#include <utility>

#include "sql/error.h"
#include "sql/value_text.h"

namespace strata {

namespace {

// Strict weak order of one physical type: NaN after every number and equal to itself.
template <typename T>
struct KeyLess {
  bool operator()(const T& a, const T& b) const {
    if constexpr (std::is_floating_point_v<T>) {
      if (std::isnan(a)) return false;
      if (std::isnan(b)) return true;
    }
    return a < b;
  }
};

template <typename T>
void RanksOf(const Vector& column, std::vector<uint64_t>* ranks) {
  const size_t n = column.size();
  const T* data = column.data<T>();
  const uint8_t* nulls = column.nulls();
  const bool trim = std::is_same_v<T, std::string_view> && column.type().id == TypeId::kChar;
  // (value, row) of the non-NULL rows; sorting by value alone is enough, ties share a rank.
  std::vector<std::pair<T, uint32_t>> sorted;
  sorted.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    if (nulls[i]) continue;
    if constexpr (std::is_same_v<T, std::string_view>) {
      sorted.emplace_back(trim ? TrimTrailingBlanks(data[i]) : data[i], static_cast<uint32_t>(i));
    } else {
      sorted.emplace_back(data[i], static_cast<uint32_t>(i));
    }
  }
  KeyLess<T> less;
  std::sort(sorted.begin(), sorted.end(), [&](const auto& x, const auto& y) { return less(x.first, y.first); });
  uint64_t* out = ranks->data();
  uint64_t rank = 0;
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (i > 0 && less(sorted[i - 1].first, sorted[i].first)) rank = i;
    out[sorted[i].second] = rank;
  }
  const uint64_t null_rank = sorted.size();
  if (null_rank < n) {
    for (size_t i = 0; i < n; ++i) {
      if (nulls[i]) out[i] = null_rank;
    }
  }
}

}  // namespace

void QuantileRanks(const Vector& column, std::vector<uint64_t>* ranks) {
  ranks->assign(column.size(), 0);
  DispatchPhysical(column.physical(), [&]<typename T>() { RanksOf<T>(column, ranks); });
}

void ZOrderValues(const std::vector<Vector>& keys, std::vector<uint64_t>* z) {
  const size_t k = keys.size();
  if (k == 0 || k > kMaxZOrderKeys) STRATA_INTERNAL_ERROR("z-order needs 1 to 8 keys, got ", k);
  const size_t n = keys[0].size();
  for (const Vector& v : keys) {
    if (v.size() != n) STRATA_INTERNAL_ERROR("z-order key columns differ in length");
  }
  z->assign(n, 0);
  if (n == 0) return;
  const unsigned bits = static_cast<unsigned>(64 / k);
  std::vector<uint64_t> ranks;
  uint64_t* out = z->data();
  for (size_t j = 0; j < k; ++j) {
    QuantileRanks(keys[j], &ranks);
    // Bit t of key j's scaled rank lands at t * k + (k - 1 - j): key 0 leads each group.
    const unsigned lane = static_cast<unsigned>(k - 1 - j);
    for (size_t i = 0; i < n; ++i) {
      // rank < n, so the scaled rank is < 2^bits; 128-bit so that bits = 64 (one key) fits.
      const uint64_t scaled = static_cast<uint64_t>((static_cast<unsigned __int128>(ranks[i]) << bits) / n);
      uint64_t spread = 0;
      for (unsigned t = 0; t < bits; ++t) spread |= ((scaled >> t) & 1u) << (t * k + lane);
      out[i] |= spread;
    }
  }
}

}  // namespace strata
