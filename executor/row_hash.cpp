#include "executor/row_hash.h"

#include <cstring>

#include <xxhash.h>

#include "sql/interval_time.h"

namespace strata {

namespace {

inline uint64_t Mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

inline std::string_view TrimChar(std::string_view s) {
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

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

}  // namespace strata
