// TEXT255 and TEXT32K (VARCHAR only), and the string dictionary that BYTEDICT also uses for
// CHAR/VARCHAR: a per-block dictionary of whole string values and a 1- or 2-byte index per row.
// The all-ones index (ff, or ff ff) is the escape: the row's string is not in the dictionary
// and follows, in row order, in the exceptions area. Entries are taken first come, first served
// while they fit the encoding's limits:
//   TEXT255   1-byte index, at most 245 entries, each at most 255 bytes long
//   TEXT32K   2-byte index, entries totalling at most 32K bytes
//   BYTEDICT  1-byte index, at most 255 entries of any length
// Layout: count (index width, LE) | count x (varint length, bytes) | n indexes (LE) |
//         exceptions: (varint length, bytes) per escaped row
// Example, TEXT255 'ab', '', 'ab', then 'c' after the dictionary is full (shown with room):
//   'ab', '', 'ab'  ->  02 | 02 'a' 'b' 00 | 00 01 00
// A string too long for the dictionary, e.g. 40000 bytes under TEXT32K, is index ff ff and
// c0 b8 02 (varint 40000) + the bytes in the exceptions area.
//
// Matching (evaluate-on-encoded) tests each entry once and each row's index by lookup.
// Decoding copies the entry area and the exception area into the vector's heap once each and
// points the rows' views into them: a dictionary hit costs one 16-byte store.
#include <unordered_map>

#include "storage/encoding_internal.h"

namespace strata::encoding_internal {
namespace {

constexpr StringDictLimits kText255{"text255", 1, 245, 255, SIZE_MAX};
constexpr StringDictLimits kText32k{"text32k", 2, 65534, SIZE_MAX, 32 * 1024};

bool Accepts(const SqlType& t) { return t.id == TypeId::kVarchar || t.id == TypeId::kText; }

template <typename I>
std::string EncodeWithIndex(const std::vector<std::string_view>& vals, const StringDictLimits& limits) {
  constexpr I kEscape = static_cast<I>(~I{0});
  std::unordered_map<std::string_view, I> map;
  map.reserve(std::min(limits.max_entries, vals.size()) * 2);
  std::vector<std::string_view> entries;
  size_t dict_bytes = 0;
  std::vector<I> indexes(vals.size());
  ByteWriter exceptions;
  for (size_t i = 0; i < vals.size(); ++i) {
    std::string_view s = vals[i];
    auto it = map.find(s);
    if (it != map.end()) {
      indexes[i] = it->second;
    } else if (entries.size() < limits.max_entries && s.size() <= limits.max_entry_len &&
               dict_bytes + s.size() <= limits.max_dict_bytes) {
      I idx = static_cast<I>(entries.size());
      map.emplace(s, idx);
      entries.push_back(s);
      dict_bytes += s.size();
      indexes[i] = idx;
    } else {
      indexes[i] = kEscape;
      exceptions.PutVarint(s.size());
      exceptions.PutBytes(s);
    }
  }
  ByteWriter out;
  out.str().reserve(sizeof(I) + dict_bytes + entries.size() * 2 + indexes.size() * sizeof(I) + exceptions.size());
  out.Put<I>(static_cast<I>(entries.size()));
  for (auto e : entries) {
    out.PutVarint(e.size());
    out.PutBytes(e);
  }
  out.PutBytes(indexes.data(), indexes.size() * sizeof(I));
  out.PutBytes(exceptions.str());
  return out.Take();
}

template <typename I>
void DecodeWithIndex(std::string_view payload, size_t n, Vector* out, size_t first, const StringDictLimits& limits) {
  constexpr I kEscape = static_cast<I>(~I{0});
  ByteReader r(payload, limits.name);
  size_t count = r.Get<I>();
  if (count > limits.max_entries) r.Fail("dictionary too large");
  // Entry offsets relative to the entry area, then one copy of the area into the heap.
  std::vector<std::pair<size_t, size_t>> spans(count);
  size_t area_start = r.position();
  for (size_t j = 0; j < count; ++j) {
    uint64_t len = r.GetVarint();
    r.Need(len);
    spans[j] = {r.position() - area_start, len};
    r.GetBytes(len);
  }
  StringHeap& heap = out->OwnHeap();
  std::string_view area = heap.Add(payload.substr(area_start, r.position() - area_start));
  std::vector<std::string_view> dict(count);
  for (size_t j = 0; j < count; ++j) {
    dict[j] = spans[j].second == 0 ? std::string_view() : area.substr(spans[j].first, spans[j].second);
  }
  if (n > r.remaining() / sizeof(I)) r.Fail("truncated index area");
  const char* idx_bytes = r.GetBytes(n * sizeof(I)).data();
  ByteReader ex(heap.Add(r.GetBytes(r.remaining())), limits.name);
  auto* dst = out->data<std::string_view>() + first;
  for (size_t i = 0; i < n; ++i) {
    I k;
    std::memcpy(&k, idx_bytes + i * sizeof(I), sizeof(I));
    if (k < count) {
      dst[i] = dict[k];
    } else if (k == kEscape) {
      uint64_t len = ex.GetVarint();
      ex.Need(len);
      dst[i] = len == 0 ? std::string_view() : ex.GetBytes(len);
    } else {
      r.Fail("index beyond the dictionary");
    }
  }
  ex.ExpectEnd();
}

std::string Encode255(const Vector& v, size_t begin, size_t end) { return EncodeStringDict(v, begin, end, kText255); }
std::string Encode32k(const Vector& v, size_t begin, size_t end) { return EncodeStringDict(v, begin, end, kText32k); }
void Decode255(std::string_view p, size_t n, Vector* out, size_t first) { DecodeStringDict(p, n, out, first, kText255); }
void Decode32k(std::string_view p, size_t n, Vector* out, size_t first) { DecodeStringDict(p, n, out, first, kText32k); }

}  // namespace

std::string EncodeStringDict(const Vector& v, size_t begin, size_t end, const StringDictLimits& limits) {
  auto vals = GatherStrings(v, begin, end);
  return limits.index_bytes == 1 ? EncodeWithIndex<uint8_t>(vals, limits) : EncodeWithIndex<uint16_t>(vals, limits);
}

void DecodeStringDict(std::string_view payload, size_t n, Vector* out, size_t first, const StringDictLimits& limits) {
  if (limits.index_bytes == 1) {
    DecodeWithIndex<uint8_t>(payload, n, out, first, limits);
  } else {
    DecodeWithIndex<uint16_t>(payload, n, out, first, limits);
  }
}

namespace {

template <typename I>
void MatchWithIndex(std::string_view payload, size_t n, const ValueTest& test, int64_t first_row, RowRangeList* ranges,
                    const StringDictLimits& limits) {
  constexpr I kEscape = static_cast<I>(~I{0});
  ByteReader r(payload, limits.name);
  size_t count = r.Get<I>();
  if (count > limits.max_entries) r.Fail("dictionary too large");
  std::vector<uint8_t> hit(size_t{1} << (8 * sizeof(I)), 0);
  for (size_t j = 0; j < count; ++j) hit[j] = test.string(r.GetBytes(r.GetVarint()));
  hit[kEscape] = 1;
  if (n > r.remaining() / sizeof(I)) r.Fail("truncated index area");
  MatchIndexes<I>(r.GetBytes(n * sizeof(I)).data(), n, hit, first_row, ranges);
}

}  // namespace

bool MatchStringDict(std::string_view payload, size_t n, const ValueTest& test, int64_t first_row, RowRangeList* ranges,
                     const StringDictLimits& limits) {
  if (!test.string) return false;
  if (limits.index_bytes == 1) {
    MatchWithIndex<uint8_t>(payload, n, test, first_row, ranges, limits);
  } else {
    MatchWithIndex<uint16_t>(payload, n, test, first_row, ranges, limits);
  }
  return true;
}

namespace {

bool Match255(std::string_view payload, size_t n, PhysicalType, const ValueTest& test, int64_t first_row,
              RowRangeList* ranges) {
  return MatchStringDict(payload, n, test, first_row, ranges, kText255);
}

bool Match32k(std::string_view payload, size_t n, PhysicalType, const ValueTest& test, int64_t first_row,
              RowRangeList* ranges) {
  return MatchStringDict(payload, n, test, first_row, ranges, kText32k);
}

}  // namespace

const EncodingOps& Text255Ops() {
  static const EncodingOps ops{Accepts, Encode255, Decode255, Match255};
  return ops;
}

const EncodingOps& Text32kOps() {
  static const EncodingOps ops{Accepts, Encode32k, Decode32k, Match32k};
  return ops;
}

}  // namespace strata::encoding_internal
