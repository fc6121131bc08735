#include "sql/vector.h"

#include <algorithm>

namespace strata {

std::string_view StringHeap::Add(std::string_view s) {
  if (s.empty()) return {};
  if (chunks_.empty() || used_ + s.size() > chunk_size_) {
    chunk_size_ = std::max<size_t>(s.size(), chunks_.empty() ? 4096 : std::min<size_t>(chunk_size_ * 2, 1 << 20));
    chunks_.emplace_back(new char[chunk_size_]);
    used_ = 0;
  }
  char* dst = chunks_.back().get() + used_;
  std::memcpy(dst, s.data(), s.size());
  used_ += s.size();
  return {dst, s.size()};
}

Vector::Vector(const Vector& o)
    : type_(o.type_),
      physical_(o.physical_),
      size_(o.size_),
      nulls_(o.nulls_.data(), o.size_),
      data_(o.data_.data(), o.size_ * PhysicalWidth(o.physical_)),
      heaps_(o.heaps_),
      heap_set_(o.heap_set_),
      own_heap_(o.own_heap_),
      bundle_(o.bundle_),
      bundle_size_(o.bundle_size_) {}

Vector& Vector::operator=(const Vector& o) {
  if (this == &o) return *this;
  type_ = o.type_;
  physical_ = o.physical_;
  size_ = o.size_;
  nulls_.Assign(o.nulls_.data(), size_);
  data_.Assign(o.data_.data(), size_ * PhysicalWidth(physical_));
  heaps_ = o.heaps_;
  heap_set_ = o.heap_set_;
  own_heap_ = o.own_heap_;
  bundle_ = o.bundle_;
  bundle_size_ = o.bundle_size_;
  return *this;
}

void Vector::Grow(size_t n) {
  physical_ = type_.physical();
  const size_t bytes = n * PhysicalWidth(physical_);
  if (nulls_.size() < n) nulls_.ResizeUninitialized(n);
  if (data_.size() < bytes) data_.ResizeUninitialized(bytes);
}

void Vector::Resize(size_t n) {
  physical_ = type_.physical();
  const size_t w = PhysicalWidth(physical_);
  Grow(n);
  if (n > size_) {  // the new rows, whether the arrays held them before or grew by them
    std::memset(nulls_.data() + size_, 0, n - size_);
    std::memset(data_.data() + size_ * w, 0, (n - size_) * w);
  }
  size_ = n;
}

void Vector::ResizeForOverwrite(size_t n) {
  Grow(n);
  size_ = n;
}

void Vector::Reserve(size_t n) {
  physical_ = type_.physical();
  nulls_.Reserve(n);
  data_.Reserve(n * PhysicalWidth(physical_));
}

size_t Vector::EstimatedBytes() const {
  size_t n = data_.capacity() + nulls_.capacity();
  if (physical_ == PhysicalType::kString) {
    const auto* v = data<std::string_view>();
    for (size_t i = 0; i < size_; ++i) n += v[i].size();
  }
  return n;
}

size_t Batch::EstimatedBytes() const {
  size_t n = 0;
  for (const auto& c : columns) n += c.EstimatedBytes();
  return n;
}

bool Vector::HasNulls() const {
  const uint8_t* flags = nulls_.data();
  return std::any_of(flags, flags + size_, [](uint8_t b) { return b != 0; });
}

StringHeap& Vector::OwnHeap() {
  if (!own_heap_) {
    own_heap_ = std::make_shared<StringHeap>();
    heaps_.push_back(own_heap_);
    if (!heap_set_.empty()) heap_set_.insert(own_heap_.get());
  }
  return *own_heap_;
}

void Vector::SetString(size_t i, std::string_view s) {
  data<std::string_view>()[i] = OwnHeap().Add(s);
}

void Vector::ShareHeaps(const Vector& other) {
  if (&other == this) return;
  constexpr size_t kLinearLimit = 8;
  if (other.heaps_.size() > kLinearLimit) {
    if (other.bundle_size_ != other.heaps_.size()) {
      other.bundle_ = StringHeap::Bundle(other.heaps_);
      other.bundle_size_ = other.heaps_.size();
    }
    const auto& h = other.bundle_;
    if (heaps_.size() < kLinearLimit) {
      if (std::find(heaps_.begin(), heaps_.end(), h) == heaps_.end()) heaps_.push_back(h);
    } else {
      if (heap_set_.empty()) for (const auto& mine : heaps_) heap_set_.insert(mine.get());
      if (heap_set_.insert(h.get()).second) heaps_.push_back(h);
    }
    return;
  }
  for (const auto& h : other.heaps_) {
    if (heaps_.size() < kLinearLimit) {
      if (std::find(heaps_.begin(), heaps_.end(), h) == heaps_.end()) heaps_.push_back(h);
      continue;
    }
    if (heap_set_.empty()) {
      for (const auto& mine : heaps_) heap_set_.insert(mine.get());
    }
    if (heap_set_.insert(h.get()).second) heaps_.push_back(h);
  }
}

void Vector::AppendFrom(const Vector& src, size_t row) {
  uint32_t r = static_cast<uint32_t>(row);
  AppendSelected(src, &r, 1);
}

void Vector::AppendSelected(const Vector& src, const uint32_t* sel, size_t n) {
  size_t base = size_;
  ResizeForOverwrite(base + n);
  const uint8_t* sn = src.nulls();
  for (size_t i = 0; i < n; ++i) nulls_[base + i] = sn[sel[i]];
  DispatchPhysical(physical_, [&]<typename T>() {
    const T* s = src.data<T>();
    T* d = data<T>() + base;
    for (size_t i = 0; i < n; ++i) d[i] = s[sel[i]];
  });
  if (physical_ == PhysicalType::kString) ShareHeaps(src);
}

void Vector::AppendAll(const Vector& src) {
  size_t base = size_;
  size_t n = src.size();
  ResizeForOverwrite(base + n);
  if (n == 0) return;
  std::memcpy(nulls_.data() + base, src.nulls(), n);
  size_t w = PhysicalWidth(physical_);
  std::memcpy(data_.data() + base * w, src.data_.data(), n * w);
  if (physical_ == PhysicalType::kString) ShareHeaps(src);
}

std::vector<SqlType> Batch::Types() const {
  std::vector<SqlType> t;
  for (const auto& c : columns) t.push_back(c.type());
  return t;
}

void Batch::AppendSelected(const Batch& src, const uint32_t* sel, size_t n) {
  for (size_t c = 0; c < columns.size(); ++c) columns[c].AppendSelected(src.columns[c], sel, n);
  rows += n;
}

void Batch::AppendAll(const Batch& src) {
  for (size_t c = 0; c < columns.size(); ++c) columns[c].AppendAll(src.columns[c]);
  rows += src.rows;
}

}  // namespace strata
