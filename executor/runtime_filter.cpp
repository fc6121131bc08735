// See runtime_filter.h.
#include "executor/runtime_filter.h"

#include <algorithm>
#include <string>

#include "sql/error.h"

namespace strata {

namespace {

// A Bloom filter's bits for `keys` keys: a power of two, 8 per key (about 6 % kept wrongly), 16
// while that stays within 64 kB (about 2 %), and never under 8 kB -- a few hundred keys (TPC-H
// Q17's parts) then keep almost nothing wrongly, where 8 bits each kept 3 % of lineitem, 30
// times the matches.
size_t BloomBits(size_t keys) {
  constexpr size_t kMinBits = size_t{1} << 16, kRoomyBits = size_t{1} << 19;
  static_assert(kMinBits > 64, "at least two words: the word index shift stays under 64");
  const size_t want = std::max({kMinBits, keys * 8, keys * 16 <= kRoomyBits ? keys * 16 : size_t{0}});
  size_t bits = 64;
  while (bits < want) bits <<= 1;
  return bits;
}

// A bitmap is used for a key range of up to this many bits whatever the keys' count (256 kB:
// within a core's L2 cache), and up to twice the Bloom filter's bits beyond that.
constexpr uint64_t kSmallBitmapBits = uint64_t{1} << 21;

}  // namespace

RuntimeFilter::RuntimeFilter(size_t keys) {
  const size_t bits = BloomBits(keys);
  words_.assign(bits / 64, 0);
  int log2 = 0;
  while ((size_t{64} << log2) < bits) ++log2;
  shift_ = 64 - log2;
}

RuntimeFilter::RuntimeFilter(size_t keys, int64_t min, int64_t max) : RuntimeFilter(0) {
  const uint64_t span = static_cast<uint64_t>(max) - static_cast<uint64_t>(min);  // range - 1
  const uint64_t limit = std::max<uint64_t>(kSmallBitmapBits, 2 * uint64_t{BloomBits(keys)});
  if (min > max || span >= limit) {
    *this = RuntimeFilter(keys);
    return;
  }
  exact_ = true;
  min_ = static_cast<uint64_t>(min);
  range_ = span + 1;
  words_.assign(range_ / 64 + 1, 0);  // + the clear bit at range_
}

void RuntimeFilter::AddOutOfRange(int64_t key) const {
  STRATA_INTERNAL_ERROR("runtime filter key " + std::to_string(key) + " outside the range it was made for");
}

void RuntimeFilter::Apply(const Vector& v, size_t n, uint8_t* keep) const {
  const uint8_t* nulls = v.nulls();
  const uint64_t* words = words_.data();
  const int shift = shift_;
  const uint64_t lo = min_, range = range_;
  auto run = [&](const auto* d) {
    if (exact_) {
      for (size_t r = 0; r < n; ++r) {
        uint64_t k = static_cast<uint64_t>(static_cast<int64_t>(d[r])) - lo;
        k = k < range ? k : range;  // the clear bit
        keep[r] &= static_cast<uint8_t>(!nulls[r] & ((words[k >> 6] >> (k & 63)) & 1));
      }
      return;
    }
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
  const uint64_t lo = min_, range = range_;
  // Bitmap: bit k of the range, rows outside it test the clear bit at range_.
  auto in_bitmap = [&](int64_t key) {
    uint64_t k = static_cast<uint64_t>(key) - lo;
    k = k < range ? k : range;
    return static_cast<size_t>((words[k >> 6] >> (k & 63)) & 1);
  };
  auto run = [&](const auto* d) {
    // Branch-free: every row is written, the count moves only past those kept.
    if (exact_) {
      if (sel == nullptr) {
        for (size_t i = 0; i < m; ++i) {
          out[kept] = static_cast<uint32_t>(i);
          kept += !nulls[i] & in_bitmap(static_cast<int64_t>(d[i]));
        }
        return;
      }
      for (size_t i = 0; i < m; ++i) {
        const uint32_t r = sel[i];
        out[kept] = r;
        kept += !nulls[r] & in_bitmap(static_cast<int64_t>(d[r]));
      }
      return;
    }
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

std::vector<int> RuntimeFilterSet::columns() const {
  std::vector<int> out;
  for (const Entry& e : filters_) {
    if (e.active) out.push_back(e.column);
  }
  return out;
}

bool RuntimeFilterSet::Apply(Batch* b) {
  const size_t left = Select(*b, &sel_);
  if (left == b->rows) return true;
  if (left == 0) return false;
  Batch kept(b->Types());
  kept.AppendSelected(*b, sel_.data(), left);
  *b = std::move(kept);
  return true;
}

size_t RuntimeFilterSet::Select(const Batch& batch, std::vector<uint32_t>* sel) {
  const Batch* b = &batch;
  const size_t n = b->rows;
  // The most selective filter so far first (a share of kept rows; untested filters count as 1).
  if (filters_.size() > 1) {
    std::stable_sort(filters_.begin(), filters_.end(), [](const Entry& a, const Entry& b) {
      const double sa = a.tested == 0 ? 1.0 : static_cast<double>(a.kept) / static_cast<double>(a.tested);
      const double sb = b.tested == 0 ? 1.0 : static_cast<double>(b.kept) / static_cast<double>(b.tested);
      return sa < sb;
    });
  }
  sel->resize(n);
  size_t left = n;
  bool selected = false;  // *sel holds the rows kept so far (else: all rows)
  for (Entry& e : filters_) {
    if (!e.active) continue;
    const size_t before = left;
    left = e.filter->Select(b->columns[e.column], selected ? sel->data() : nullptr, left, sel->data());
    selected = true;
    e.tested += static_cast<int64_t>(before);
    e.kept += static_cast<int64_t>(left);
    if (e.tested >= kProbeRows && static_cast<double>(e.kept) > kKeepLimit * static_cast<double>(e.tested)) e.active = false;
    if (left == 0) break;
  }
  if (!selected) {
    for (size_t i = 0; i < n; ++i) (*sel)[i] = static_cast<uint32_t>(i);
  }
  sel->resize(left);
  dropped_ += static_cast<int64_t>(n - left);
  return left;
}

}  // namespace strata
