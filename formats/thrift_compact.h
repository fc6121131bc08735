// The Thrift compact protocol, the encoding of every Parquet footer and page header.
//
// A struct is a sequence of fields ended by a 0 byte. A field header is one byte: the high
// nibble is the id delta from the previous field (1..15; 0 means a zigzag varint id follows),
// the low nibble the type. Integers are zigzag varints (i16/i32/i64 alike), doubles 8 bytes
// little-endian, binary a varint length then the bytes. A boolean field carries its value in the
// type nibble (1 = true, 2 = false); inside a list it is a byte. A list header is one byte: size
// in the high nibble (15 = a varint size follows) and element type in the low nibble.
//
// The reader works on a bounded buffer and throws SqlError 22P04 on any overrun or malformed
// input, so a corrupt footer never reads past its bytes; callers add the file name.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace strata::parquet {

enum class ThriftType : uint8_t {
  kStop = 0, kTrue = 1, kFalse = 2, kByte = 3, kI16 = 4, kI32 = 5, kI64 = 6, kDouble = 7,
  kBinary = 8, kList = 9, kSet = 10, kMap = 11, kStruct = 12,
};

class ThriftReader {
 public:
  ThriftReader(const uint8_t* data, size_t size) : p_(data), end_(data + size), begin_(data) {}

  // Struct framing: call BeginStruct, then NextField until it returns false (the stop byte),
  // skipping fields you do not know with Skip(type); then EndStruct.
  void BeginStruct();
  void EndStruct();
  bool NextField(int16_t* id, ThriftType* type);

  // Field values. A boolean field's value is its type; a boolean list element is a byte.
  static bool FieldBool(ThriftType t) { return t == ThriftType::kTrue; }
  bool ReadListBool();
  int32_t ReadI32() { return static_cast<int32_t>(ReadZigzag()); }
  int64_t ReadI64() { return ReadZigzag(); }
  int8_t ReadByte();
  double ReadDouble();
  std::string_view ReadBinary();
  // Reads a list (or set) header.
  void ReadListHeader(ThriftType* elem, uint32_t* size);
  void Skip(ThriftType type, int depth = 0);

  uint64_t ReadVarint();
  int64_t ReadZigzag();
  size_t position() const { return static_cast<size_t>(p_ - begin_); }

 private:
  [[noreturn]] void Fail(const char* what) const;
  uint8_t Byte();

  const uint8_t* p_;
  const uint8_t* end_;
  const uint8_t* begin_;
  std::vector<int16_t> last_ids_;
  int16_t last_id_ = 0;
};

class ThriftWriter {
 public:
  void BeginStruct();
  void EndStruct();  // writes the stop byte
  void FieldHeader(int16_t id, ThriftType type);
  void I32Field(int16_t id, int32_t v) { FieldHeader(id, ThriftType::kI32); WriteZigzag(v); }
  void I64Field(int16_t id, int64_t v) { FieldHeader(id, ThriftType::kI64); WriteZigzag(v); }
  void ByteField(int16_t id, int8_t v) { FieldHeader(id, ThriftType::kByte); out_.push_back(static_cast<char>(v)); }
  void BoolField(int16_t id, bool v) { FieldHeader(id, v ? ThriftType::kTrue : ThriftType::kFalse); }
  void BinaryField(int16_t id, std::string_view v) { FieldHeader(id, ThriftType::kBinary); WriteBinary(v); }
  // Opens a struct-valued field; close it with EndStruct.
  void StructField(int16_t id) { FieldHeader(id, ThriftType::kStruct); BeginStruct(); }
  void ListField(int16_t id, ThriftType elem, uint32_t size) { FieldHeader(id, ThriftType::kList); ListHeader(elem, size); }
  void ListHeader(ThriftType elem, uint32_t size);

  void WriteVarint(uint64_t v);
  void WriteZigzag(int64_t v) { WriteVarint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63)); }
  void WriteBinary(std::string_view v) { WriteVarint(v.size()); out_.append(v); }

  std::string& out() { return out_; }

 private:
  std::string out_;
  std::vector<int16_t> last_ids_;
  int16_t last_id_ = 0;
};

}  // namespace strata::parquet
