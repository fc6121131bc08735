// Big-endian message building and bounds-checked parsing (see wire_buffer.h).
#include "server/pgwire/wire_buffer.h"

#include <cstring>

namespace strata::pgwire {

void MessageWriter::Begin(char type) {
  out_->push_back(type);
  start_ = out_->size();
  out_->append(4, '\0');
}

void MessageWriter::End() { PutBigEndian(out_->size() - start_, 4, out_->data() + start_); }

void MessageWriter::Int16(int16_t v) {
  char b[2];
  PutBigEndian(static_cast<uint16_t>(v), 2, b);
  out_->append(b, 2);
}

void MessageWriter::Int32(int32_t v) {
  char b[4];
  PutBigEndian(static_cast<uint32_t>(v), 4, b);
  out_->append(b, 4);
}

void MessageWriter::Int64(int64_t v) {
  char b[8];
  PutBigEndian(static_cast<uint64_t>(v), 8, b);
  out_->append(b, 8);
}

void MessageWriter::CString(std::string_view s) {
  out_->append(s);
  out_->push_back('\0');
}

size_t MessageWriter::BeginValue() {
  size_t slot = out_->size();
  out_->append(4, '\0');
  return slot;
}

void MessageWriter::FinishValue(size_t slot) {
  PutBigEndian(out_->size() - slot - 4, 4, out_->data() + slot);
}

uint8_t MessageReader::Int8() { return static_cast<uint8_t>(Bytes(1)[0]); }

int16_t MessageReader::Int16() {
  return static_cast<int16_t>(static_cast<uint16_t>(GetBigEndian(Bytes(2).data(), 2)));
}

int32_t MessageReader::Int32() {
  return static_cast<int32_t>(static_cast<uint32_t>(GetBigEndian(Bytes(4).data(), 4)));
}

std::string_view MessageReader::CString() {
  size_t nul = body_.find('\0', pos_);
  if (nul == std::string_view::npos) throw ProtocolViolation("invalid string in message");
  std::string_view s = body_.substr(pos_, nul - pos_);
  pos_ = nul + 1;
  return s;
}

std::string_view MessageReader::Bytes(size_t n) {
  if (n > remaining()) throw ProtocolViolation("insufficient data left in message");
  std::string_view s = body_.substr(pos_, n);
  pos_ += n;
  return s;
}

void MessageReader::ExpectEnd() const {
  if (pos_ != body_.size()) throw ProtocolViolation("invalid message format");
}

}  // namespace strata::pgwire
