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
  static_assert(kMinBits > 64, "at least two words: the word index shift stays under 64");
  const size_t want = std::max({kMinBits, keys * 8, keys * 16 <= kRoomyBits ? keys * 16 : size_t{0}});
  size_t words = 1;
  int log2 = 0;
  while (words * 64 < want) {
    words <<= 1;
    ++log2;
  }
  words_.assign(words, 0);
  shift_ = 64 - log2;
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

size_t RuntimeFilter::Select(const Vector& v, const uint32_t* sel, size_t m, uint32_t* out) const {
  const uint8_t* nulls = v.nulls();
  const uint64_t* words = words_.data();
  const int shift = shift_;
  size_t kept = 0;
  auto run = [&](const auto* d) {
    // Branch-free: every row is written, the count moves only past those kept.
    if (sel == nullptr) {
      for (size_t i = 0; i < m; ++i) {
        const uint64_t h = Hash(static_cast<int64_t>(d[i]));
        const uint64_t mask = Mask(h);
        out[kept] = static_cast<uint32_t>(i);
        kept += static_cast<size_t>(!nulls[i] & ((words[h >> shift] & mask) == mask));
      }
      return;
    }
    for (size_t i = 0; i < m; ++i) {
      const uint32_t r = sel[i];
      const uint64_t h = Hash(static_cast<int64_t>(d[r]));
      const uint64_t mask = Mask(h);
      out[kept] = r;
      kept += static_cast<size_t>(!nulls[r] & ((words[h >> shift] & mask) == mask));
    }
  };
  switch (v.physical()) {
    case PhysicalType::kInt16: run(v.data<int16_t>()); break;
    case PhysicalType::kInt32: run(v.data<int32_t>()); break;
    case PhysicalType::kInt64: run(v.data<int64_t>()); break;
    default: STRATA_INTERNAL_ERROR("a runtime filter on a column that is not an integer");
  }
  return kept;
}

bool RuntimeFilterSet::Apply(Batch* b) {
  const size_t n = b->rows;
  // The most selective filter so far first (a share of kept rows; untested filters count as 1).
  if (filters_.size() > 1) {
    std::stable_sort(filters_.begin(), filters_.end(), [](const Entry& a, const Entry& b) {
      const double sa = a.tested == 0 ? 1.0 : static_cast<double>(a.kept) / static_cast<double>(a.tested);
      const double sb = b.tested == 0 ? 1.0 : static_cast<double>(b.kept) / static_cast<double>(b.tested);
      return sa < sb;
    });
  }
  sel_.resize(n);
  size_t left = n;
  bool selected = false;  // sel_ holds the rows kept so far (else: all rows)
  for (Entry& e : filters_) {
    if (!e.active) continue;
    const size_t before = left;
    left = e.filter->Select(b->columns[e.column], selected ? sel_.data() : nullptr, left, sel_.data());
    selected = true;
    e.tested += static_cast<int64_t>(before);
    e.kept += static_cast<int64_t>(left);
    if (e.tested >= kProbeRows && static_cast<double>(e.kept) > kKeepLimit * static_cast<double>(e.tested)) e.active = false;
    if (left == 0) break;
  }
  if (left == n) return true;
  dropped_ += static_cast<int64_t>(n - left);
  if (left == 0) return false;
  Batch kept(b->Types());
  kept.AppendSelected(*b, sel_.data(), left);
  *b = std::move(kept);
  return true;
}

}  // namespace strata
