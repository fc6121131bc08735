// Thrift compact protocol reader and writer (see thrift_compact.h for the format).
#include "formats/thrift_compact.h"

#include <cstring>

#include "sql/error.h"

namespace strata::parquet {

namespace {
constexpr int kMaxDepth = 32;
}

void ThriftReader::Fail(const char* what) const {
  STRATA_USER_ERROR(sqlstate::kBadCopyFileFormat, "invalid Thrift metadata: ", what, " at byte ",
                    position());
}

uint8_t ThriftReader::Byte() {
  if (p_ >= end_) Fail("unexpected end");
  return *p_++;
}

uint64_t ThriftReader::ReadVarint() {
  uint64_t v = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    uint8_t b = Byte();
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return v;
  }
  Fail("varint too long");
}

int64_t ThriftReader::ReadZigzag() {
  uint64_t u = ReadVarint();
  return static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
}

int8_t ThriftReader::ReadByte() { return static_cast<int8_t>(Byte()); }

bool ThriftReader::ReadListBool() { return Byte() == 1; }

double ThriftReader::ReadDouble() {
  if (end_ - p_ < 8) Fail("unexpected end");
  double d;
  std::memcpy(&d, p_, 8);
  p_ += 8;
  return d;
}

std::string_view ThriftReader::ReadBinary() {
  uint64_t n = ReadVarint();
  if (n > static_cast<uint64_t>(end_ - p_)) Fail("binary length beyond buffer");
  std::string_view s(reinterpret_cast<const char*>(p_), n);
  p_ += n;
  return s;
}

void ThriftReader::BeginStruct() {
  if (last_ids_.size() >= kMaxDepth) Fail("nesting too deep");
  last_ids_.push_back(last_id_);
  last_id_ = 0;
}

void ThriftReader::EndStruct() {
  last_id_ = last_ids_.empty() ? 0 : last_ids_.back();
  if (!last_ids_.empty()) last_ids_.pop_back();
}

bool ThriftReader::NextField(int16_t* id, ThriftType* type) {
  uint8_t b = Byte();
  if (b == 0) return false;
  uint8_t t = b & 0x0f;
  if (t > static_cast<uint8_t>(ThriftType::kStruct)) Fail("bad field type");
  uint8_t delta = b >> 4;
  last_id_ = delta != 0 ? static_cast<int16_t>(last_id_ + delta) : static_cast<int16_t>(ReadZigzag());
  *id = last_id_;
  *type = static_cast<ThriftType>(t);
  return true;
}

void ThriftReader::ReadListHeader(ThriftType* elem, uint32_t* size) {
  uint8_t b = Byte();
  uint64_t n = b >> 4;
  if (n == 15) n = ReadVarint();
  // Every element takes at least one byte except booleans... which also take one in a list.
  if (n > static_cast<uint64_t>(end_ - p_)) Fail("list size beyond buffer");
  uint8_t t = b & 0x0f;
  if (t > static_cast<uint8_t>(ThriftType::kStruct)) Fail("bad list element type");
  *elem = static_cast<ThriftType>(t);
  *size = static_cast<uint32_t>(n);
}

void ThriftReader::Skip(ThriftType type, int depth) {
  if (depth > kMaxDepth) Fail("nesting too deep");
  switch (type) {
    case ThriftType::kTrue:
    case ThriftType::kFalse:
      return;  // value lives in the field header
    case ThriftType::kByte: Byte(); return;
    case ThriftType::kI16:
    case ThriftType::kI32:
    case ThriftType::kI64: ReadVarint(); return;
    case ThriftType::kDouble: ReadDouble(); return;
    case ThriftType::kBinary: ReadBinary(); return;
    case ThriftType::kList:
    case ThriftType::kSet: {
      ThriftType elem;
      uint32_t n;
      ReadListHeader(&elem, &n);
      for (uint32_t i = 0; i < n; ++i) {
        if (elem == ThriftType::kTrue || elem == ThriftType::kFalse) Byte();
        else Skip(elem, depth + 1);
      }
      return;
    }
    case ThriftType::kMap: {
      uint64_t n = ReadVarint();
      if (n == 0) return;
      if (n > static_cast<uint64_t>(end_ - p_)) Fail("map size beyond buffer");
      uint8_t kv = Byte();
      auto kt = static_cast<ThriftType>(kv >> 4), vt = static_cast<ThriftType>(kv & 0x0f);
      for (uint64_t i = 0; i < n; ++i) {
        if (kt == ThriftType::kTrue || kt == ThriftType::kFalse) Byte(); else Skip(kt, depth + 1);
        if (vt == ThriftType::kTrue || vt == ThriftType::kFalse) Byte(); else Skip(vt, depth + 1);
      }
      return;
    }
    case ThriftType::kStruct: {
      BeginStruct();
      int16_t id;
      ThriftType t;
      while (NextField(&id, &t)) Skip(t, depth + 1);
      EndStruct();
      return;
    }
    case ThriftType::kStop: Fail("unexpected stop");
  }
  Fail("bad type");
}

void ThriftWriter::BeginStruct() {
  last_ids_.push_back(last_id_);
  last_id_ = 0;
}

void ThriftWriter::EndStruct() {
  out_.push_back('\0');
  last_id_ = last_ids_.back();
  last_ids_.pop_back();
}

void ThriftWriter::FieldHeader(int16_t id, ThriftType type) {
  int delta = id - last_id_;
  if (delta > 0 && delta <= 15) {
    out_.push_back(static_cast<char>((delta << 4) | static_cast<uint8_t>(type)));
  } else {
    out_.push_back(static_cast<char>(type));
    WriteZigzag(id);
  }
  last_id_ = id;
}

void ThriftWriter::ListHeader(ThriftType elem, uint32_t size) {
  if (size < 15) {
    out_.push_back(static_cast<char>((size << 4) | static_cast<uint8_t>(elem)));
  } else {
    out_.push_back(static_cast<char>(0xf0 | static_cast<uint8_t>(elem)));
    WriteVarint(size);
  }
}

void ThriftWriter::WriteVarint(uint64_t v) {
  while (v >= 0x80) {
    out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out_.push_back(static_cast<char>(v));
}

}  // namespace strata::parquet
