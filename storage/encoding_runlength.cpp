// RUNLENGTH: (run length, value) pairs, for every type. Good for sorted low-cardinality columns.
// A NULL row continues the run it is in (its value is not looked at), and fixed-width values
// are compared by their bits (NaN runs, -0.0 vs 0.0 kept apart).
//
// Layout: runs back to back, each  varint length (>= 1) | value
//         value = W bytes LE for fixed-width types, varint byte length + bytes for strings.
// Example, INTEGER 7, 7, 7, 9 ->  03 07 00 00 00 | 01 09 00 00 00
//          VARCHAR 'ab' x 200, ''  ->  c8 01 02 'a' 'b' | 01 00
// The run lengths must add up to exactly the block's row count.
// Evaluate-on-encoded (Match): a predicate is tested once per run, and whole runs are kept.
#include <algorithm>

#include "storage/encoding_internal.h"

namespace strata::encoding_internal {
namespace {

constexpr std::string_view kName = "runlength";

bool Accepts(const SqlType& t) { return t.id != TypeId::kNull; }

template <typename U>
std::string EncodeFixed(const Vector& v, size_t begin, size_t end) {
  auto vals = GatherBits<U>(v, begin, end);
  ByteWriter out;
  for (size_t i = 0; i < vals.size();) {
    size_t j = i + 1;
    while (j < vals.size() && vals[j] == vals[i]) ++j;
    out.PutVarint(j - i);
    out.Put<U>(vals[i]);
    i = j;
  }
  return out.Take();
}

std::string EncodeStrings(const Vector& v, size_t begin, size_t end) {
  auto vals = GatherStrings(v, begin, end);
  ByteWriter out;
  for (size_t i = 0; i < vals.size();) {
    size_t j = i + 1;
    while (j < vals.size() && vals[j] == vals[i]) ++j;
    out.PutVarint(j - i);
    out.PutVarint(vals[i].size());
    out.PutBytes(vals[i]);
    i = j;
  }
  return out.Take();
}

// Reads the next run's length and checks it fits in the rows still to fill.
size_t NextRun(ByteReader& r, size_t filled, size_t n) {
  uint64_t len = r.GetVarint();
  if (len == 0 || len > n - filled) r.Fail("run length out of range");
  return static_cast<size_t>(len);
}

template <typename U>
void DecodeFixed(std::string_view payload, size_t n, Vector* out, size_t first) {
  ByteReader r(payload, kName);
  U* dst = reinterpret_cast<U*>(out->data<uint8_t>()) + first;
  for (size_t filled = 0; filled < n;) {
    size_t len = NextRun(r, filled, n);
    U value = r.Get<U>();
    std::fill(dst + filled, dst + filled + len, value);
    filled += len;
  }
  r.ExpectEnd();
}

void DecodeStrings(std::string_view payload, size_t n, Vector* out, size_t first) {
  ByteReader r(payload, kName);
  auto* dst = out->data<std::string_view>() + first;
  StringHeap& heap = out->OwnHeap();
  for (size_t filled = 0; filled < n;) {
    size_t len = NextRun(r, filled, n);
    uint64_t bytes = r.GetVarint();
    r.Need(bytes);
    std::string_view value = heap.Add(r.GetBytes(bytes));
    std::fill(dst + filled, dst + filled + len, value);
    filled += len;
  }
  r.ExpectEnd();
}

std::string Encode(const Vector& v, size_t begin, size_t end) {
  if (v.physical() == PhysicalType::kString) return EncodeStrings(v, begin, end);
  return DispatchBits(v.physical(), [&]<typename U>() { return EncodeFixed<U>(v, begin, end); });
}

void Decode(std::string_view payload, size_t n, Vector* out, size_t first) {
  if (out->physical() == PhysicalType::kString) return DecodeStrings(payload, n, out, first);
  DispatchBits(out->physical(), [&]<typename U>() { DecodeFixed<U>(payload, n, out, first); });
}

// Evaluate-on-encoded: one test per run.
bool Match(std::string_view payload, size_t n, PhysicalType p, const ValueTest& test, int64_t first_row,
           RowRangeList* ranges) {
  if (p == PhysicalType::kString) {
    if (!test.string) return false;
    ByteReader r(payload, kName);
    for (size_t filled = 0; filled < n;) {
      size_t len = NextRun(r, filled, n);
      std::string_view value = r.GetBytes(r.GetVarint());
      int64_t b = first_row + static_cast<int64_t>(filled);
      if (test.string(value)) AddRowRange(ranges, b, b + static_cast<int64_t>(len));
      filled += len;
    }
    r.ExpectEnd();
    return true;
  }
  if (!test.integer) return false;
  return DispatchPhysical(p, [&]<typename T>() -> bool {
    if constexpr (std::is_integral_v<T> && sizeof(T) <= 8) {
      using U = BitsOf<T>;
      ByteReader r(payload, kName);
      for (size_t filled = 0; filled < n;) {
        size_t len = NextRun(r, filled, n);
        U bits = r.Get<U>();
        int64_t b = first_row + static_cast<int64_t>(filled);
        if (PassesInteger<T>(test, bits)) AddRowRange(ranges, b, b + static_cast<int64_t>(len));
        filled += len;
      }
      r.ExpectEnd();
      return true;
    } else {
      return false;
    }
  });
}

}  // namespace

const EncodingOps& RunlengthOps() {
  static const EncodingOps ops{Accepts, Encode, Decode, Match};
  return ops;
}

}  // namespace strata::encoding_internal
