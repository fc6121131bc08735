// ParquetWriter implementation (format and type mapping in parquet_writer.h).
#include "formats/parquet_writer.h"

#include <cmath>
#include <cstring>
#include <string_view>
#include <unordered_map>

#include "formats/parquet_codec.h"
#include "formats/parquet_convert.h"
#include "formats/parquet_encoding.h"
#include "sql/error.h"

namespace strata {

using namespace parquet;

namespace {

constexpr size_t kMaxDictionaryEntries = 1 << 16;
constexpr size_t kMaxDictionaryBytes = 1 << 20;

// How a column's values are stored in the PLAIN buffer and compared for statistics.
enum class ValueKind : uint8_t { kBool, kInt32, kInt64, kFloat, kDouble, kBytes, kDecimal128 };

template <typename T>
void Put(std::string* out, T v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof(T));
}

void PutBigEndian128(std::string* out, int128 v) {
  auto u = static_cast<unsigned __int128>(v);
  char b[16];
  for (int i = 15; i >= 0; --i) {
    b[i] = static_cast<char>(u & 0xff);
    u >>= 8;
  }
  out->append(b, 16);
}

int128 FromBigEndian128(std::string_view s) {
  unsigned __int128 u = 0;
  for (char c : s) u = (u << 8) | static_cast<uint8_t>(c);
  return static_cast<int128>(u);
}

// True when a < b in the column's sort order.
bool Less(ValueKind k, std::string_view a, std::string_view b) {
  switch (k) {
    case ValueKind::kBool:
    case ValueKind::kBytes: return a < b;
    case ValueKind::kInt32: { int32_t x, y; std::memcpy(&x, a.data(), 4); std::memcpy(&y, b.data(), 4); return x < y; }
    case ValueKind::kInt64: { int64_t x, y; std::memcpy(&x, a.data(), 8); std::memcpy(&y, b.data(), 8); return x < y; }
    case ValueKind::kFloat: { float x, y; std::memcpy(&x, a.data(), 4); std::memcpy(&y, b.data(), 4); return x < y; }
    case ValueKind::kDouble: { double x, y; std::memcpy(&x, a.data(), 8); std::memcpy(&y, b.data(), 8); return x < y; }
    case ValueKind::kDecimal128: return FromBigEndian128(a) < FromBigEndian128(b);
  }
  return false;
}

bool IsNan(ValueKind k, std::string_view v) {
  if (k == ValueKind::kFloat) { float x; std::memcpy(&x, v.data(), 4); return std::isnan(x); }
  if (k == ValueKind::kDouble) { double x; std::memcpy(&x, v.data(), 8); return std::isnan(x); }
  return false;
}

}  // namespace

struct ParquetWriter::ColumnBuffer {
  std::string name;
  SqlType type;
  ValueKind kind = ValueKind::kInt32;
  size_t width = 0;             // fixed byte width, 0 for byte arrays
  std::vector<uint8_t> defs;    // one per row: 1 = present
  std::string values;           // non-null values, PLAIN bytes (byte arrays without lengths)
  std::vector<uint32_t> ends;   // byte arrays: end offset of each value in `values`
  SchemaElement element;

  size_t count() const { return width ? values.size() / width : ends.size(); }
  std::string_view Value(size_t i) const {
    if (width) return std::string_view(values.data() + i * width, width);
    uint32_t b = i == 0 ? 0 : ends[i - 1];
    return std::string_view(values.data() + b, ends[i] - b);
  }
  void Clear() {
    defs.clear();
    values.clear();
    ends.clear();
  }
};

ParquetWriter::ParquetWriter(ByteSink* sink, std::vector<std::pair<std::string, SqlType>> columns,
                             ParquetWriteOptions opts)
    : sink_(sink), opts_(std::move(opts)) {
  if (opts_.row_group_rows <= 0) opts_.row_group_rows = 1 << 20;
  if (opts_.page_rows <= 0) opts_.page_rows = 1 << 16;
  SchemaElement root;
  root.name = "schema";
  root.num_children = static_cast<int32_t>(columns.size());
  meta_.schema.push_back(root);
  for (auto& [name, type] : columns) {
    auto b = std::make_unique<ColumnBuffer>();
    b->name = name;
    b->type = type;
    SchemaElement& e = b->element;
    e.name = name;
    e.has_type = true;
    e.has_repetition = true;
    e.repetition = Repetition::kOptional;
    switch (type.id) {
      case TypeId::kBool: e.type = PhysType::kBoolean; b->kind = ValueKind::kBool; b->width = 1; break;
      case TypeId::kInt16:
        e.type = PhysType::kInt32;
        e.converted_type = ConvertedType::kInt16;
        e.logical.kind = LogicalKind::kInteger;
        e.logical.bit_width = 16;
        b->kind = ValueKind::kInt32;
        b->width = 4;
        break;
      case TypeId::kInt32: case TypeId::kDate:
        e.type = PhysType::kInt32;
        if (type.id == TypeId::kDate) {
          e.converted_type = ConvertedType::kDate;
          e.logical.kind = LogicalKind::kDate;
        }
        b->kind = ValueKind::kInt32;
        b->width = 4;
        break;
      case TypeId::kInt64: case TypeId::kTimestamp: case TypeId::kTimestampTz:
        e.type = PhysType::kInt64;
        if (type.is_timestamp()) {
          e.logical.kind = LogicalKind::kTimestamp;
          e.logical.unit = TimeUnit::kMicros;
          e.logical.adjusted_to_utc = type.id == TypeId::kTimestampTz;  // an instant, not a wall time
        }
        b->kind = ValueKind::kInt64;
        b->width = 8;
        break;
      case TypeId::kDecimal:
        e.converted_type = ConvertedType::kDecimal;
        e.scale = type.scale;
        e.precision = type.precision;
        e.logical.kind = LogicalKind::kDecimal;
        e.logical.scale = type.scale;
        e.logical.precision = type.precision;
        if (type.precision <= 18) {
          e.type = PhysType::kInt64;
          b->kind = ValueKind::kInt64;
          b->width = 8;
        } else {
          e.type = PhysType::kFixedLenByteArray;
          e.type_length = 16;
          b->kind = ValueKind::kDecimal128;
          b->width = 16;
        }
        break;
      case TypeId::kFloat32: e.type = PhysType::kFloat; b->kind = ValueKind::kFloat; b->width = 4; break;
      case TypeId::kFloat64: e.type = PhysType::kDouble; b->kind = ValueKind::kDouble; b->width = 8; break;
      case TypeId::kChar: case TypeId::kVarchar: case TypeId::kText:
        e.type = PhysType::kByteArray;
        e.converted_type = ConvertedType::kUtf8;
        e.logical.kind = LogicalKind::kString;
        b->kind = ValueKind::kBytes;
        b->width = 0;
        break;
      default:
        STRATA_USER_ERROR(sqlstate::kFeatureNotSupported, "cannot write column \"", name, "\" of type ",
                          type.ToString(), " to Parquet");
    }
    meta_.schema.push_back(e);
    buffers_.push_back(std::move(b));
  }
  meta_.created_by = opts_.created_by;
  sink_->Append("PAR1");
}

ParquetWriter::~ParquetWriter() = default;

void ParquetWriter::Write(const Batch& batch) {
  STRATA_CHECK(!finished_);
  STRATA_CHECK(batch.columns.size() == buffers_.size());
  size_t begin = 0;
  while (begin < batch.rows) {
    size_t room = static_cast<size_t>(opts_.row_group_rows - group_rows_);
    size_t end = std::min(batch.rows, begin + room);
    AppendRows(batch, begin, end);
    group_rows_ += static_cast<int64_t>(end - begin);
    rows_written_ += static_cast<int64_t>(end - begin);
    begin = end;
    if (group_rows_ >= opts_.row_group_rows) FlushRowGroup();
  }
}

void ParquetWriter::AppendRows(const Batch& batch, size_t begin, size_t end) {
  for (size_t j = 0; j < buffers_.size(); ++j) {
    ColumnBuffer& b = *buffers_[j];
    const Vector& v = batch.columns[j];
    const uint8_t* nulls = v.nulls();
    for (size_t i = begin; i < end; ++i) b.defs.push_back(nulls[i] ? 0 : 1);
    auto each = [&](auto&& put) {
      for (size_t i = begin; i < end; ++i) {
        if (!nulls[i]) put(i);
      }
    };
    std::string* out = &b.values;
    switch (b.type.id) {
      case TypeId::kBool: { auto d = v.data<uint8_t>(); each([&](size_t i) { out->push_back(d[i] ? 1 : 0); }); break; }
      case TypeId::kInt16: { auto d = v.data<int16_t>(); each([&](size_t i) { Put<int32_t>(out, d[i]); }); break; }
      case TypeId::kInt32: { auto d = v.data<int32_t>(); each([&](size_t i) { Put<int32_t>(out, d[i]); }); break; }
      case TypeId::kDate: {
        auto d = v.data<int32_t>();
        each([&](size_t i) { Put<int32_t>(out, d[i] + kUnixToStrataDays); });
        break;
      }
      case TypeId::kInt64: { auto d = v.data<int64_t>(); each([&](size_t i) { Put<int64_t>(out, d[i]); }); break; }
      case TypeId::kTimestamp: case TypeId::kTimestampTz: {
        auto d = v.data<int64_t>();
        each([&](size_t i) { Put<int64_t>(out, d[i] + kUnixToStrataMicros); });
        break;
      }
      case TypeId::kDecimal:
        if (b.width == 8) {
          auto d = v.data<int64_t>();
          each([&](size_t i) { Put<int64_t>(out, d[i]); });
        } else {
          auto d = v.data<int128>();
          each([&](size_t i) { PutBigEndian128(out, d[i]); });
        }
        break;
      case TypeId::kFloat32: { auto d = v.data<float>(); each([&](size_t i) { Put<float>(out, d[i]); }); break; }
      case TypeId::kFloat64: { auto d = v.data<double>(); each([&](size_t i) { Put<double>(out, d[i]); }); break; }
      default: {
        auto d = v.data<std::string_view>();
        each([&](size_t i) {
          out->append(d[i]);
          b.ends.push_back(static_cast<uint32_t>(out->size()));
        });
        break;
      }
    }
  }
}

void ParquetWriter::WritePage(const PageHeader& header, const std::string& body, int64_t* uncompressed,
                              int64_t* compressed) {
  ThriftWriter w;
  EncodePageHeader(header, w);
  sink_->Append(w.out());
  sink_->Append(body);
  *uncompressed += static_cast<int64_t>(w.out().size()) + header.uncompressed_page_size;
  *compressed += static_cast<int64_t>(w.out().size() + body.size());
}

void ParquetWriter::WriteChunk(ColumnBuffer& col, ColumnChunk* chunk) {
  ColumnMetaData& m = chunk->meta_data;
  chunk->has_meta_data = true;
  m.type = col.element.type;
  m.path = {col.name};
  m.codec = opts_.codec;
  m.num_values = static_cast<int64_t>(col.defs.size());
  const size_t n = col.count();
  int64_t start = sink_->BytesWritten();
  chunk->file_offset = start;

  // Statistics over the non-null values.
  Statistics& st = m.statistics;
  m.has_statistics = true;
  st.has_null_count = true;
  st.null_count = static_cast<int64_t>(col.defs.size() - n);
  std::string_view lo, hi;
  bool any = false;
  for (size_t i = 0; i < n; ++i) {
    std::string_view v = col.Value(i);
    if (IsNan(col.kind, v)) continue;
    if (!any || Less(col.kind, v, lo)) lo = v;
    if (!any || Less(col.kind, hi, v)) hi = v;
    any = true;
  }
  if (any) {
    st.has_min = st.has_max = true;
    st.min.assign(lo);
    st.max.assign(hi);
  }

  // Dictionary when the chunk has few distinct values.
  std::vector<uint32_t> indices;
  std::vector<std::string_view> dict;
  bool use_dict = false;
  if (opts_.dictionary && col.kind != ValueKind::kBool && n > 0) {
    std::unordered_map<std::string_view, uint32_t> ids;
    indices.resize(n);
    size_t dict_bytes = 0;
    use_dict = true;
    for (size_t i = 0; i < n; ++i) {
      std::string_view v = col.Value(i);
      auto [it, inserted] = ids.emplace(v, static_cast<uint32_t>(dict.size()));
      if (inserted) {
        dict.push_back(v);
        dict_bytes += v.size() + (col.width ? 0 : 4);
        if (dict.size() > kMaxDictionaryEntries || dict_bytes > kMaxDictionaryBytes || dict.size() * 2 > n + 1) {
          use_dict = false;
          break;
        }
      }
      indices[i] = it->second;
    }
  }
  int64_t uncompressed = 0, compressed = 0;
  std::string plain;
  auto encode_plain = [&](size_t from, size_t to, std::string* out) {
    if (col.kind == ValueKind::kBool) {
      EncodePlainBool(reinterpret_cast<const uint8_t*>(col.values.data()) + from, to - from, out);
      return;
    }
    for (size_t i = from; i < to; ++i) {
      std::string_view v = col.Value(i);
      if (!col.width) Put<uint32_t>(out, static_cast<uint32_t>(v.size()));
      out->append(v);
    }
  };
  m.encodings = {Encoding::kPlain, Encoding::kRle};
  if (use_dict) {
    m.encodings.push_back(Encoding::kRleDictionary);
    plain.clear();
    for (std::string_view v : dict) {
      if (!col.width) Put<uint32_t>(&plain, static_cast<uint32_t>(v.size()));
      plain.append(v);
    }
    PageHeader h;
    h.type = PageType::kDictionaryPage;
    h.has_dictionary_page = true;
    h.dictionary_page.num_values = static_cast<int32_t>(dict.size());
    h.dictionary_page.encoding = Encoding::kPlain;
    h.uncompressed_page_size = static_cast<int32_t>(plain.size());
    Compress(opts_.codec, plain, &scratch_);
    h.compressed_page_size = static_cast<int32_t>(scratch_.size());
    m.has_dictionary_page_offset = true;
    m.dictionary_page_offset = sink_->BytesWritten();
    WritePage(h, scratch_, &uncompressed, &compressed);
  }
  m.data_page_offset = sink_->BytesWritten();
  int bit_width = BitWidth(dict.empty() ? 0 : dict.size() - 1);
  size_t value_pos = 0;
  std::vector<uint32_t> levels;
  for (size_t row = 0; row < col.defs.size() || row == 0; row += opts_.page_rows) {
    size_t rows = std::min<size_t>(opts_.page_rows, col.defs.size() - row);
    levels.assign(col.defs.begin() + row, col.defs.begin() + row + rows);
    size_t present = 0;
    for (uint32_t l : levels) present += l;
    std::string body;
    body.append(4, '\0');
    EncodeRleBitPacked(levels.data(), rows, 1, &body);
    uint32_t level_len = static_cast<uint32_t>(body.size() - 4);
    std::memcpy(body.data(), &level_len, 4);
    if (use_dict) {
      body.push_back(static_cast<char>(bit_width));
      EncodeRleBitPacked(indices.data() + value_pos, present, bit_width, &body);
    } else {
      encode_plain(value_pos, value_pos + present, &body);
    }
    value_pos += present;
    PageHeader h;
    h.type = PageType::kDataPage;
    h.has_data_page = true;
    h.data_page.num_values = static_cast<int32_t>(rows);
    h.data_page.encoding = use_dict ? Encoding::kRleDictionary : Encoding::kPlain;
    h.uncompressed_page_size = static_cast<int32_t>(body.size());
    Compress(opts_.codec, body, &scratch_);
    h.compressed_page_size = static_cast<int32_t>(scratch_.size());
    WritePage(h, scratch_, &uncompressed, &compressed);
    if (col.defs.empty()) break;
  }
  m.total_uncompressed_size = uncompressed;
  m.total_compressed_size = compressed;
}

void ParquetWriter::FlushRowGroup() {
  if (group_rows_ == 0) return;
  RowGroup g;
  g.num_rows = group_rows_;
  for (auto& b : buffers_) {
    ColumnChunk c;
    WriteChunk(*b, &c);
    g.total_byte_size += c.meta_data.total_uncompressed_size;
    g.columns.push_back(std::move(c));
    b->Clear();
  }
  meta_.row_groups.push_back(std::move(g));
  meta_.num_rows += group_rows_;
  group_rows_ = 0;
}

void ParquetWriter::Finish() {
  STRATA_CHECK(!finished_);
  FlushRowGroup();
  ThriftWriter w;
  EncodeFileMetaData(meta_, w);
  sink_->Append(w.out());
  uint32_t len = static_cast<uint32_t>(w.out().size());
  sink_->Append(std::string_view(reinterpret_cast<const char*>(&len), 4));
  sink_->Append("PAR1");
  sink_->Finish();
  finished_ = true;
}

}  // namespace strata
