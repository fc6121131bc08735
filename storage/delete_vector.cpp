// Delete vectors: row range arithmetic and the blob format (see delete_vector.h).
#include "storage/delete_vector.h"

#include <algorithm>
#include <cstring>

#include "sql/error.h"

namespace strata {
namespace {

void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

[[noreturn]] void Bad(const char* why) {
  STRATA_USER_ERROR(sqlstate::kDataCorrupted, "delete vector is corrupted: ", why);
}

uint64_t GetVarint(std::string_view b, size_t* at) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (*at >= b.size()) Bad("truncated");
    uint8_t c = static_cast<uint8_t>(b[(*at)++]);
    v |= static_cast<uint64_t>(c & 0x7f) << shift;
    if ((c & 0x80) == 0) return v;
  }
  Bad("varint too long");
}

}  // namespace

RowRanges RangesOfRows(std::vector<int64_t> rows) {
  std::sort(rows.begin(), rows.end());
  RowRanges out;
  for (int64_t r : rows) {
    if (!out.empty() && r < out.back().second) continue;  // duplicate
    if (!out.empty() && out.back().second == r) {
      out.back().second = r + 1;
    } else {
      out.emplace_back(r, r + 1);
    }
  }
  return out;
}

RowRanges UnionRanges(const RowRanges& a, const RowRanges& b) {
  RowRanges all;
  all.reserve(a.size() + b.size());
  std::merge(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(all));
  RowRanges out;
  for (const auto& r : all) {
    if (!out.empty() && r.first <= out.back().second) {
      out.back().second = std::max(out.back().second, r.second);
    } else {
      out.push_back(r);
    }
  }
  return out;
}

RowRanges SubtractRanges(const RowRanges& a, const RowRanges& b) {
  RowRanges out;
  size_t j = 0;
  for (auto [lo, hi] : a) {
    while (j < b.size() && b[j].second <= lo) ++j;
    size_t k = j;
    while (lo < hi) {
      if (k == b.size() || b[k].first >= hi) {
        out.emplace_back(lo, hi);
        break;
      }
      if (b[k].first > lo) out.emplace_back(lo, b[k].first);
      lo = std::max(lo, b[k].second);
      ++k;
    }
  }
  return out;
}

int64_t CountRows(const RowRanges& r) {
  int64_t n = 0;
  for (const auto& [lo, hi] : r) n += hi - lo;
  return n;
}

std::string SerializeDeleteVector(const RowRanges& r) {
  std::string out = "SDV1";
  uint64_t n = r.size();
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(n >> (8 * i)));
  int64_t prev = 0;
  for (const auto& [lo, hi] : r) {
    PutVarint(static_cast<uint64_t>(lo - prev), &out);
    PutVarint(static_cast<uint64_t>(hi - lo), &out);
    prev = hi;
  }
  return out;
}

RowRanges ParseDeleteVector(std::string_view b) {
  if (b.size() < 12 || std::memcmp(b.data(), "SDV1", 4) != 0) Bad("bad magic");
  uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n |= static_cast<uint64_t>(static_cast<uint8_t>(b[4 + i])) << (8 * i);
  if (n > b.size()) Bad("range count beyond the blob");
  RowRanges out;
  out.reserve(n);
  size_t at = 12;
  int64_t prev = 0;
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t gap = GetVarint(b, &at), len = GetVarint(b, &at);
    if (len == 0 || gap > (uint64_t{1} << 48) || len > (uint64_t{1} << 48)) Bad("implausible range");
    int64_t lo = prev + static_cast<int64_t>(gap);
    out.emplace_back(lo, lo + static_cast<int64_t>(len));
    prev = lo + static_cast<int64_t>(len);
  }
  if (at != b.size()) Bad("trailing bytes");
  return out;
}

}  // namespace strata
