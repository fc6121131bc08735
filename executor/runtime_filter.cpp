// See runtime_filter.h.
#include "executor/runtime_filter.h"

#include <algorithm>

#include "sql/error.h"

namespace strata {

RuntimeFilter::RuntimeFilter(size_t keys) {
  // A power of two of bits: 8 per key (about 6 % kept wrongly), 16 while that stays within
  // 64 kB (about 2 %), and never under 8 kB -- a few hundred keys (TPC-H Q17's parts) then keep
  // almost nothing wrongly, where 8 bits each kept 3 % of lineitem, 30 times the matches.
  constexpr size_t kMinBits = size_t{1} << 16, kRoomyBits = size_t{1} << 19;
  const size_t want = std::max({kMinBits, keys * 8, keys * 16 <= kRoomyBits ? keys * 16 : size_t{0}});
  size_t words = 1;
  int log2 = 0;
  while (words * 64 < want) {
    words <<= 1;
    ++log2;
  }
  words_.assign(words, 0);
  shift_ = 64 - log2;
  if (log2 == 0) shift_ = 63;  // (unreachable with kMinBits; a shift of 64 would be undefined)
}

void RuntimeFilter::Apply(const Vector& v, size_t n, uint8_t* keep) const {
  const uint8_t* nulls = v.nulls();
  const uint64_t* words = words_.data();
  const int shift = shift_;
  auto run = [&](const auto* d) {
    for (size_t r = 0; r < n; ++r) {
      const uint64_t h = Hash(static_cast<int64_t>(d[r]));
      const uint64_t m = Mask(h);
      keep[r] &= static_cast<uint8_t>(!nulls[r] & ((words[h >> shift] & m) == m));
    }
  };
  switch (v.physical()) {
    case PhysicalType::kInt16: run(v.data<int16_t>()); break;
    case PhysicalType::kInt32: run(v.data<int32_t>()); break;
    case PhysicalType::kInt64: run(v.data<int64_t>()); break;
    default: STRATA_INTERNAL_ERROR("a runtime filter on a column that is not an integer");
  }
}

bool RuntimeFilterSet::Apply(Batch* b) {
  const size_t n = b->rows;
  keep_.assign(n, 1);
  size_t left = n;
  for (Entry& e : filters_) {
    if (!e.active) continue;
    e.filter->Apply(b->columns[e.column], n, keep_.data());
    size_t now = 0;
    for (size_t r = 0; r < n; ++r) now += keep_[r];
    e.tested += static_cast<int64_t>(left);
    e.kept += static_cast<int64_t>(now);
    left = now;
    if (e.tested >= kProbeRows && static_cast<double>(e.kept) > kKeepLimit * static_cast<double>(e.tested)) e.active = false;
  }
  if (left == n) return true;
  dropped_ += static_cast<int64_t>(n - left);
  if (left == 0) return false;
  sel_.clear();
  for (size_t r = 0; r < n; ++r) {
    if (keep_[r]) sel_.push_back(static_cast<uint32_t>(r));
  }
  Batch kept(b->Types());
  kept.AppendSelected(*b, sel_.data(), sel_.size());
  *b = std::move(kept);
  return true;
}

}  // namespace strata
