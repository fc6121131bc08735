// ByteBuffer: a growable byte array whose growth leaves the new bytes uninitialised, for
// Vector's value and NULL-flag arrays (sql/vector.h). std::vector<uint8_t>::resize zeroes every
// byte it adds, which a column decoded straight into a fresh vector pays for nothing (the
// decoder overwrites them at once: 4-8 % of a TPC-H Q1 scan's samples were that memset);
// Vector zeroes what its own contract needs (Vector::Resize) itself.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

namespace strata {

class ByteBuffer {
 public:
  ByteBuffer() = default;
  // The first n bytes of p.
  ByteBuffer(const uint8_t* p, size_t n) { Assign(p, n); }
  ByteBuffer(const ByteBuffer& o) { Assign(o.data(), o.size()); }
  ByteBuffer& operator=(const ByteBuffer& o) {
    if (this != &o) Assign(o.data(), o.size());
    return *this;
  }
  ByteBuffer(ByteBuffer&& o) noexcept : bytes_(std::move(o.bytes_)), size_(o.size_), capacity_(o.capacity_) {
    o.size_ = o.capacity_ = 0;
  }
  ByteBuffer& operator=(ByteBuffer&& o) noexcept {
    bytes_ = std::move(o.bytes_);
    size_ = o.size_;
    capacity_ = o.capacity_;
    o.size_ = o.capacity_ = 0;
    return *this;
  }

  uint8_t* data() { return bytes_.get(); }
  const uint8_t* data() const { return bytes_.get(); }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  uint8_t& operator[](size_t i) { return bytes_[i]; }
  uint8_t operator[](size_t i) const { return bytes_[i]; }

  // Holds room for n bytes (the first size() kept).
  void Reserve(size_t n) {
    if (n <= capacity_) return;
    std::unique_ptr<uint8_t[]> grown(new uint8_t[n]);  // default-initialised: not zeroed
    if (size_ > 0) std::memcpy(grown.get(), bytes_.get(), size_);
    bytes_ = std::move(grown);
    capacity_ = n;
  }
  // size() becomes n; bytes past the old size hold whatever the memory held. Grows the
  // capacity geometrically, as std::vector does.
  void ResizeUninitialized(size_t n) {
    if (n > capacity_) Reserve(std::max(n, 2 * capacity_));
    size_ = n;
  }
  // Replaces the content by the n bytes at p.
  void Assign(const uint8_t* p, size_t n) {
    size_ = 0;
    ResizeUninitialized(n);
    if (n > 0) std::memcpy(bytes_.get(), p, n);
  }

 private:
  std::unique_ptr<uint8_t[]> bytes_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace strata
