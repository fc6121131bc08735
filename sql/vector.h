// Column vectors and batches: the unit of data that flows between operators, over the network
// and into storage. A Vector holds up to a batch of values of one SqlType in their physical
// form (a flat typed array), a byte per row for NULL (1 = NULL), and for strings the heaps that
// own the bytes the string_views point into. Heaps are immutable once shared, so copying a
// string column between vectors copies views and shares heaps; no per-row allocation.
#pragma once

#include <cstring>
#include <memory>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "sql/byte_buffer.h"
#include "sql/types.h"

namespace strata {

inline constexpr size_t kBatchSize = 2048;


// Append-only arena of string bytes. A heap may also keep other heaps alive (a bundle), so a
// vector whose strings live in many heaps can hand them all to another vector as one.
class StringHeap {
 public:
  std::string_view Add(std::string_view s);
  static std::shared_ptr<StringHeap> Bundle(std::vector<std::shared_ptr<StringHeap>> heaps) {
    auto b = std::make_shared<StringHeap>();
    b->keep_alive_ = std::move(heaps);
    return b;
  }

 private:
  std::vector<std::shared_ptr<StringHeap>> keep_alive_;
  std::vector<std::unique_ptr<char[]>> chunks_;
  size_t chunk_size_ = 0;
  size_t used_ = 0;
};

class Vector {
 public:
  Vector() = default;
  explicit Vector(SqlType type, size_t size = 0) : type_(type) { Resize(size); }
  // Copies hold size() rows only (not what the arrays kept beyond them).
  Vector(const Vector& other);
  Vector& operator=(const Vector& other);
  Vector(Vector&&) noexcept = default;
  Vector& operator=(Vector&&) noexcept = default;

  const SqlType& type() const { return type_; }
  PhysicalType physical() const { return physical_; }
  size_t size() const { return size_; }
  // New rows are NULL-flag 0 and value 0 (an empty string view).
  void Resize(size_t n);
  // New rows hold whatever the memory held: the caller writes every new row's value and NULL
  // flag (a copy of whole rows from elsewhere). Saves zeroing what is overwritten at once.
  void ResizeForOverwrite(size_t n);
  void Reserve(size_t n);
  void Clear() { Resize(0); }

 private:
  void Grow(size_t n);  // the arrays hold at least n rows

 public:

  template <typename T> T* data() { return reinterpret_cast<T*>(data_.data()); }
  template <typename T> const T* data() const { return reinterpret_cast<const T*>(data_.data()); }
  uint8_t* nulls() { return nulls_.data(); }
  const uint8_t* nulls() const { return nulls_.data(); }
  bool IsNull(size_t i) const { return nulls_[i] != 0; }
  void SetNull(size_t i, bool is_null) { nulls_[i] = is_null ? 1 : 0; }
  bool HasNulls() const;
  // Estimated bytes this vector holds: values, NULL flags and, for strings, their bytes.
  size_t EstimatedBytes() const;

  // Copies `s` into this vector's own heap and stores the view at row i.
  void SetString(size_t i, std::string_view s);
  // Keeps `other`'s heaps alive for views copied out of it.
  void ShareHeaps(const Vector& other);
  StringHeap& OwnHeap();

  // Appends row `row` of `src` (same physical type).
  void AppendFrom(const Vector& src, size_t row);
  // Appends the rows src[sel[0..n)] (same physical type); heaps are shared.
  void AppendSelected(const Vector& src, const uint32_t* sel, size_t n);
  // Appends all rows of src.
  void AppendAll(const Vector& src);

  // Retypes without touching data (same physical type required), e.g. VARCHAR -> TEXT.
  void SetType(const SqlType& t) { type_ = t; physical_ = t.physical(); }

 private:
  SqlType type_;
  PhysicalType physical_ = PhysicalType::kBool;
  size_t size_ = 0;
  // Their sizes may exceed size_ rows: the arrays keep what they once held, so a vector refilled
  // batch after batch (cleared, then grown again) does not zero its arrays each time.
  ByteBuffer nulls_;
  ByteBuffer data_;
  std::vector<std::shared_ptr<StringHeap>> heaps_;
  // Membership of heaps_ once it is long (a column gathered from many batches), so sharing
  // stays linear in the heaps added rather than quadratic.
  std::unordered_set<const StringHeap*> heap_set_;
  std::shared_ptr<StringHeap> own_heap_;
  // All of heaps_ as one bundle, built on first use by the thread that owns this vector; a
  // vector read by several threads at once has few heaps and is never bundled.
  mutable std::shared_ptr<StringHeap> bundle_;
  mutable size_t bundle_size_ = 0;
};

// A set of equally long column vectors.
struct Batch {
  std::vector<Vector> columns;
  size_t rows = 0;

  Batch() = default;
  explicit Batch(const std::vector<SqlType>& types) {
    for (const auto& t : types) columns.emplace_back(t);
  }
  std::vector<SqlType> Types() const;
  void SetRows(size_t n) {
    rows = n;
    for (auto& c : columns) c.Resize(n);
  }
  // Appends rows src[sel[0..n)] column by column.
  void AppendSelected(const Batch& src, const uint32_t* sel, size_t n);
  void AppendAll(const Batch& src);
  // Estimated bytes held (memory accounting; see executor/memory_budget.h).
  size_t EstimatedBytes() const;
};

// Calls f.template operator()<T>() with T the C++ type of physical type p.
template <typename F>
decltype(auto) DispatchPhysical(PhysicalType p, F&& f) {
  switch (p) {
    case PhysicalType::kBool: return f.template operator()<uint8_t>();
    case PhysicalType::kInt16: return f.template operator()<int16_t>();
    case PhysicalType::kInt32: return f.template operator()<int32_t>();
    case PhysicalType::kInt64: return f.template operator()<int64_t>();
    case PhysicalType::kInt128: return f.template operator()<int128>();
    case PhysicalType::kFloat32: return f.template operator()<float>();
    case PhysicalType::kFloat64: return f.template operator()<double>();
    case PhysicalType::kString: return f.template operator()<std::string_view>();
  }
  return f.template operator()<uint8_t>();
}

}  // namespace strata
