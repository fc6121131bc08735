// Parquet's footer and page headers as plain structs, with Thrift compact decode and encode of
// the fields Strata uses (parquet-format's parquet.thrift field ids). Decoding skips every field
// it does not know, so files from newer writers (bloom filters, page indexes, size statistics)
// still read. Field presence that matters is kept as has_* flags.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "formats/thrift_compact.h"

namespace strata::parquet {

enum class PhysType : int32_t {
  kBoolean = 0, kInt32 = 1, kInt64 = 2, kInt96 = 3, kFloat = 4, kDouble = 5, kByteArray = 6,
  kFixedLenByteArray = 7,
};
enum class Repetition : int32_t { kRequired = 0, kOptional = 1, kRepeated = 2 };
enum class Encoding : int32_t {
  kPlain = 0, kPlainDictionary = 2, kRle = 3, kBitPacked = 4, kDeltaBinaryPacked = 5,
  kDeltaLengthByteArray = 6, kDeltaByteArray = 7, kRleDictionary = 8, kByteStreamSplit = 9,
};
enum class Codec : int32_t {
  kUncompressed = 0, kSnappy = 1, kGzip = 2, kLzo = 3, kBrotli = 4, kLz4 = 5, kZstd = 6, kLz4Raw = 7,
};
enum class PageType : int32_t { kDataPage = 0, kIndexPage = 1, kDictionaryPage = 2, kDataPageV2 = 3 };
// The legacy ConvertedType values Strata reads or writes.
enum class ConvertedType : int32_t {
  kNone = -1, kUtf8 = 0, kMap = 1, kMapKeyValue = 2, kList = 3, kEnum = 4, kDecimal = 5, kDate = 6,
  kTimeMillis = 7, kTimeMicros = 8, kTimestampMillis = 9, kTimestampMicros = 10, kUint8 = 11,
  kUint16 = 12, kUint32 = 13, kUint64 = 14, kInt8 = 15, kInt16 = 16, kInt32 = 17, kInt64 = 18,
  kJson = 19, kBson = 20, kInterval = 21,
};
enum class TimeUnit : int8_t { kNone, kMillis, kMicros, kNanos };
// LogicalType is a union; `kind` is the field id of the member that is set (0 = none).
enum class LogicalKind : int8_t {
  kNone = 0, kString = 1, kMap = 2, kList = 3, kEnum = 4, kDecimal = 5, kDate = 6, kTime = 7,
  kTimestamp = 8, kInteger = 10, kUnknown = 11, kJson = 12, kBson = 13, kUuid = 14, kFloat16 = 15,
};

struct LogicalType {
  LogicalKind kind = LogicalKind::kNone;
  int32_t scale = 0, precision = 0;  // DECIMAL
  bool adjusted_to_utc = false;      // TIME / TIMESTAMP
  TimeUnit unit = TimeUnit::kNone;   // TIME / TIMESTAMP
  int8_t bit_width = 0;              // INTEGER
  bool is_signed = true;             // INTEGER
};

struct SchemaElement {
  bool has_type = false;
  PhysType type = PhysType::kInt32;
  int32_t type_length = 0;
  bool has_repetition = false;
  Repetition repetition = Repetition::kRequired;
  std::string name;
  int32_t num_children = 0;
  ConvertedType converted_type = ConvertedType::kNone;
  int32_t scale = 0, precision = 0;
  LogicalType logical;
};

struct Statistics {
  bool has_min = false, has_max = false, has_null_count = false;
  std::string min, max;  // PLAIN-encoded; min_value/max_value preferred over legacy min/max
  int64_t null_count = 0;
};

struct ColumnMetaData {
  PhysType type = PhysType::kInt32;
  std::vector<Encoding> encodings;
  std::vector<std::string> path;
  Codec codec = Codec::kUncompressed;
  int64_t num_values = 0;
  int64_t total_uncompressed_size = 0;
  int64_t total_compressed_size = 0;
  int64_t data_page_offset = 0;
  bool has_dictionary_page_offset = false;
  int64_t dictionary_page_offset = 0;
  bool has_statistics = false;
  Statistics statistics;
};

struct ColumnChunk {
  int64_t file_offset = 0;
  bool has_meta_data = false;
  ColumnMetaData meta_data;
};

struct RowGroup {
  std::vector<ColumnChunk> columns;
  int64_t total_byte_size = 0;
  int64_t num_rows = 0;
};

struct FileMetaData {
  int32_t version = 1;
  std::vector<SchemaElement> schema;
  int64_t num_rows = 0;
  std::vector<RowGroup> row_groups;
  std::string created_by;
};

struct DataPageHeader {
  int32_t num_values = 0;
  Encoding encoding = Encoding::kPlain;
  Encoding definition_level_encoding = Encoding::kRle;
  Encoding repetition_level_encoding = Encoding::kRle;
};

struct DataPageHeaderV2 {
  int32_t num_values = 0, num_nulls = 0, num_rows = 0;
  Encoding encoding = Encoding::kPlain;
  int32_t definition_levels_byte_length = 0;
  int32_t repetition_levels_byte_length = 0;
  bool is_compressed = true;
};

struct DictionaryPageHeader {
  int32_t num_values = 0;
  Encoding encoding = Encoding::kPlain;
};

struct PageHeader {
  PageType type = PageType::kDataPage;
  int32_t uncompressed_page_size = 0;
  int32_t compressed_page_size = 0;
  DataPageHeader data_page;
  DataPageHeaderV2 data_page_v2;
  DictionaryPageHeader dictionary_page;
  bool has_data_page = false, has_data_page_v2 = false, has_dictionary_page = false;
};

// Decoders throw SqlError 22P04 on malformed input.
FileMetaData DecodeFileMetaData(ThriftReader& r);
PageHeader DecodePageHeader(ThriftReader& r);

void EncodeFileMetaData(const FileMetaData& m, ThriftWriter& w);
void EncodePageHeader(const PageHeader& h, ThriftWriter& w);

}  // namespace strata::parquet
