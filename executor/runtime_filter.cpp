// See runtime_filter.h.
#include "executor/runtime_filter.h"

#include <algorithm>

#include "sql/error.h"

namespace strata {

RuntimeFilter::RuntimeFilter(size_t keys) {
  // About 8 bits per key, a power of two, at least one word.
  size_t bits = 64;
  while (bits < keys * 8) bits <<= 1;
  bits_.assign(bits / 64, 0);
  mask_ = bits - 1;
}

void RuntimeFilter::Add(int64_t key) {
  const uint64_t h = Hash(key);
  const uint64_t a = h & mask_, b = (h >> 32) & mask_;
  bits_[a >> 6] |= uint64_t{1} << (a & 63);
  bits_[b >> 6] |= uint64_t{1} << (b & 63);
}

void RuntimeFilter::Apply(const Vector& v, size_t n, uint8_t* keep) const {
  const uint8_t* nulls = v.nulls();
  auto run = [&](const auto* d) {
    for (size_t r = 0; r < n; ++r) keep[r] &= static_cast<uint8_t>(!nulls[r] & MayHold(Hash(static_cast<int64_t>(d[r]))));
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
