#include "executor/row_hash.h"

#include <algorithm>
#include <cstring>

#include <xxhash.h>

#include "sql/interval_time.h"

namespace strata {

namespace {

inline uint64_t Mix(uint64_t x) { return MixBits64(x); }

inline std::string_view TrimChar(std::string_view s) { return TrimCharPadding(s); }

constexpr uint64_t kNullHash = 0x9e3779b97f4a7c15ULL;

// An interval hashes and keys by its span alone, so '1 mon' and '30 days' (equal in PostgreSQL)
// meet in one group, one join bucket and on one slice (sql/interval_time.h).
void HashIntervalColumn(const Vector& v, size_t rows, bool first, uint64_t* h) {
  const int128* d = v.data<int128>();
  const uint8_t* nulls = v.nulls();
  for (size_t i = 0; i < rows; ++i) {
    uint64_t x = nulls[i] ? kNullHash : Mix(static_cast<uint64_t>(IntervalSpan(d[i])));
    h[i] = first ? x : Mix(h[i] * 31 + x);
  }
}

template <typename T>
void HashColumn(const Vector& v, size_t rows, bool first, bool is_char, uint64_t* h) {
  const T* d = v.data<T>();
  const uint8_t* nulls = v.nulls();
  for (size_t i = 0; i < rows; ++i) {
    uint64_t x;
    if (nulls[i]) {
      x = kNullHash;
    } else if constexpr (std::is_same_v<T, std::string_view>) {
      std::string_view s = is_char ? TrimChar(d[i]) : d[i];
      x = XXH3_64bits(s.data(), s.size());
    } else if constexpr (std::is_same_v<T, int128>) {
      int128 y = d[i];
      if (y >= INT64_MIN && y <= INT64_MAX) x = Mix(static_cast<uint64_t>(static_cast<int64_t>(y)));
      else x = XXH3_64bits(&y, sizeof y);
    } else if constexpr (std::is_floating_point_v<T>) {
      double y = d[i] == 0 ? 0.0 : static_cast<double>(d[i]);
      uint64_t bits;
      std::memcpy(&bits, &y, 8);
      x = Mix(bits);
    } else {
      x = Mix(static_cast<uint64_t>(static_cast<int64_t>(d[i])));
    }
    h[i] = first ? x : Mix(h[i] * 31 + x);
  }
}

}  // namespace

void HashRows(const std::vector<const Vector*>& columns, size_t rows, std::vector<uint64_t>* hashes) {
  hashes->assign(rows, 0);
  bool first = true;
  for (const Vector* v : columns) {
    bool is_char = v->type().id == TypeId::kChar;
    if (v->type().id == TypeId::kInterval) {
      HashIntervalColumn(*v, rows, first, hashes->data());
      first = false;
      continue;
    }
    DispatchPhysical(v->physical(), [&]<typename T>() { HashColumn<T>(*v, rows, first, is_char, hashes->data()); });
    first = false;
  }
}

bool EncodeKey(const std::vector<const Vector*>& columns, size_t row, std::string* out) {
  bool has_null = false;
  for (const Vector* v : columns) {
    if (v->IsNull(row)) {
      out->push_back('\0');
      has_null = true;
      continue;
    }
    out->push_back('\1');
    if (v->type().id == TypeId::kInterval) {
      int64_t span = IntervalSpan(v->data<int128>()[row]);
      out->append(reinterpret_cast<const char*>(&span), 8);
      continue;
    }
    DispatchPhysical(v->physical(), [&]<typename T>() {
      T x = v->data<T>()[row];
      if constexpr (std::is_same_v<T, std::string_view>) {
        std::string_view s = v->type().id == TypeId::kChar ? TrimChar(x) : x;
        uint32_t n = static_cast<uint32_t>(s.size());
        out->append(reinterpret_cast<const char*>(&n), 4);
        out->append(s.data(), s.size());
      } else if constexpr (std::is_same_v<T, int128>) {
        out->append(reinterpret_cast<const char*>(&x), sizeof x);
      } else if constexpr (std::is_floating_point_v<T>) {
        double y = x == 0 ? 0.0 : static_cast<double>(x);
        out->append(reinterpret_cast<const char*>(&y), 8);
      } else {
        int64_t y = static_cast<int64_t>(x);
        out->append(reinterpret_cast<const char*>(&y), 8);
      }
    });
  }
  return !has_null;
}

namespace {

// Bytes a non-NULL value of `v` takes in a key after its flag byte (strings: see EncodeKeys).
size_t FixedKeyWidth(const Vector& v) {
  if (v.type().id == TypeId::kInterval) return 8;
  switch (v.physical()) {
    case PhysicalType::kInt128: return 16;
    default: return 8;
  }
}

}  // namespace

void EncodeKeys(const std::vector<const Vector*>& columns, size_t rows, std::string* bytes,
                std::vector<uint32_t>* offsets, std::vector<uint8_t>* valid) {
  const size_t first_row = offsets->size(), first_valid = valid->size();
  offsets->resize(first_row + rows);
  valid->resize(first_valid + rows, 1);
  uint32_t* off = offsets->data() + first_row;
  uint8_t* ok = valid->data() + first_valid;
  // Sizes of each row's key, in off[] for now.
  std::fill(off, off + rows, 0u);
  for (const Vector* v : columns) {
    const uint8_t* nulls = v->nulls();
    if (v->physical() == PhysicalType::kString) {
      const auto* d = v->data<std::string_view>();
      const bool is_char = v->type().id == TypeId::kChar;
      for (size_t r = 0; r < rows; ++r) {
        off[r] += nulls[r] ? 1 : static_cast<uint32_t>(5 + (is_char ? TrimChar(d[r]) : d[r]).size());
      }
    } else {
      const uint32_t w = static_cast<uint32_t>(1 + FixedKeyWidth(*v));
      for (size_t r = 0; r < rows; ++r) off[r] += nulls[r] ? 1 : w;
    }
    for (size_t r = 0; r < rows; ++r) ok[r] &= static_cast<uint8_t>(nulls[r] == 0);
  }
  // Sizes -> start offsets; cursor[] advances as the columns are written.
  uint32_t at = static_cast<uint32_t>(bytes->size());
  std::vector<uint32_t> cursor(rows);
  for (size_t r = 0; r < rows; ++r) {
    uint32_t size = off[r];
    off[r] = at;
    cursor[r] = at;
    at += size;
  }
  bytes->resize(at);
  char* base = bytes->data();
  for (const Vector* v : columns) {
    const uint8_t* nulls = v->nulls();
    auto put = [&](size_t r, const void* value, size_t n) {
      char* p = base + cursor[r];
      if (nulls[r]) {
        *p = '\0';
        cursor[r] += 1;
        return;
      }
      *p = '\1';
      std::memcpy(p + 1, value, n);
      cursor[r] += static_cast<uint32_t>(1 + n);
    };
    if (v->type().id == TypeId::kInterval) {
      const int128* d = v->data<int128>();
      for (size_t r = 0; r < rows; ++r) {
        int64_t span = nulls[r] ? 0 : IntervalSpan(d[r]);
        put(r, &span, 8);
      }
      continue;
    }
    DispatchPhysical(v->physical(), [&]<typename T>() {
      const T* d = v->data<T>();
      if constexpr (std::is_same_v<T, std::string_view>) {
        const bool is_char = v->type().id == TypeId::kChar;
        for (size_t r = 0; r < rows; ++r) {
          char* p = base + cursor[r];
          if (nulls[r]) {
            *p = '\0';
            cursor[r] += 1;
            continue;
          }
          std::string_view s = is_char ? TrimChar(d[r]) : d[r];
          uint32_t n = static_cast<uint32_t>(s.size());
          *p = '\1';
          std::memcpy(p + 1, &n, 4);
          if (n <= 8) {  // short values (flags, codes) copied in place, not through a library call
            for (uint32_t i = 0; i < n; ++i) p[5 + i] = s[i];
          } else {
            std::memcpy(p + 5, s.data(), n);
          }
          cursor[r] += 5 + n;
        }
      } else if constexpr (std::is_same_v<T, int128>) {
        for (size_t r = 0; r < rows; ++r) put(r, &d[r], 16);
      } else if constexpr (std::is_floating_point_v<T>) {
        for (size_t r = 0; r < rows; ++r) {
          double y = d[r] == 0 ? 0.0 : static_cast<double>(d[r]);
          put(r, &y, 8);
        }
      } else {
        for (size_t r = 0; r < rows; ++r) {
          int64_t y = static_cast<int64_t>(d[r]);
          put(r, &y, 8);
        }
      }
    });
  }
}

}  // namespace strata
