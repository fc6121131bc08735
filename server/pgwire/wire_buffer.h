// Framing primitives of the PostgreSQL v3 protocol. Every message after startup is
//
//   type (1 byte) | length (int32, big-endian, counts itself but not the type) | body
//
// and the body is a sequence of big-endian integers, NUL-terminated strings and
// length-prefixed byte strings. MessageWriter appends backend messages to a byte string and
// patches each length when the message ends; MessageReader walks one received body with bounds
// checks and throws ProtocolViolation when a field would run past the end, so malformed input
// can never read out of bounds.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace strata::pgwire {

// The peer broke the protocol (bad length, truncated or malformed message, unknown type). The
// connection answers with a FATAL 08P01 ErrorResponse and closes.
class ProtocolViolation : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class MessageWriter {
 public:
  explicit MessageWriter(std::string* out) : out_(out) {}

  // Starts a message of `type`; its length is filled in by End().
  void Begin(char type);
  void End();

  void Int8(uint8_t v) { out_->push_back(static_cast<char>(v)); }
  void Int16(int16_t v);
  void Int32(int32_t v);
  void Int64(int64_t v);
  void CString(std::string_view s);  // bytes then NUL
  void Bytes(std::string_view s) { out_->append(s); }
  // Reserves an int32 length slot before a value; FinishValue fills it with the bytes since.
  size_t BeginValue();
  void FinishValue(size_t slot);

  std::string* out() { return out_; }

 private:
  std::string* out_;
  size_t start_ = 0;
};

class MessageReader {
 public:
  explicit MessageReader(std::string_view body) : body_(body) {}

  uint8_t Int8();
  int16_t Int16();
  int32_t Int32();
  std::string_view CString();  // up to (not including) the NUL, which is consumed
  std::string_view Bytes(size_t n);
  size_t remaining() const { return body_.size() - pos_; }
  // Throws unless the whole body was consumed (PostgreSQL's pq_getmsgend).
  void ExpectEnd() const;

 private:
  std::string_view body_;
  size_t pos_ = 0;
};

// Big-endian stores and loads for fixed-width fields.
inline void PutBigEndian(uint64_t v, int bytes, char* dst) {
  for (int i = bytes - 1; i >= 0; --i) {
    dst[i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
}
inline uint64_t GetBigEndian(const char* src, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<uint8_t>(src[i]);
  return v;
}

}  // namespace strata::pgwire
