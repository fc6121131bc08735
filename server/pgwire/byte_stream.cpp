// The in-memory ByteStream used by the protocol's byte-for-byte tests.
#include "server/pgwire/byte_stream.h"

#include <cstring>

namespace strata::pgwire {

bool MemoryByteStream::ReadExact(void* dst, size_t n) {
  if (closed_ || input_.size() - read_pos_ < n) {
    read_pos_ = input_.size();
    return false;
  }
  std::memcpy(dst, input_.data() + read_pos_, n);
  read_pos_ += n;
  return true;
}

bool MemoryByteStream::Write(const void* src, size_t n) {
  if (closed_) return false;
  output_.append(static_cast<const char*>(src), n);
  return true;
}

bool MemoryByteStream::Flush() {
  if (closed_) return false;
  flushed_ = output_;
  ++flush_count_;
  return true;
}

}  // namespace strata::pgwire
