// See avro_reader.h.
#include "formats/avro_reader.h"

#include <avro.h>
#include <simdjson.h>

#include <cstdio>
#include <cstring>

#include "sql/error.h"
#include "sql/sqlstate.h"

namespace strata {
namespace {

constexpr int64_t kUnixToStrataDays = 10957;
constexpr int64_t kUnixToStrataMicros = 946684800000000LL;

[[noreturn]] void Bad(const std::string& file, const std::string& what) {
  throw SqlError(sqlstate::kBadCopyFileFormat, StrCat("the Avro file \"", file, "\" is not readable: ", what));
}

int128 TenTo(int n) {
  int128 p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

// A zigzag varint of the container header.
int64_t ReadLong(const std::string& b, size_t* pos, const std::string& file) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (*pos >= b.size()) Bad(file, "its header is cut short");
    uint8_t c = static_cast<uint8_t>(b[(*pos)++]);
    v |= static_cast<uint64_t>(c & 0x7f) << shift;
    if (!(c & 0x80)) return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
  }
  Bad(file, "its header has a bad number");
}

// The "avro.schema" entry of the file header's metadata map.
std::string HeaderSchema(const std::string& b, const std::string& file) {
  if (b.size() < 4 || b.compare(0, 4, std::string("Obj\x01", 4)) != 0) Bad(file, "it does not start with Avro's magic bytes");
  size_t pos = 4;
  for (;;) {
    int64_t count = ReadLong(b, &pos, file);
    if (count == 0) break;
    if (count < 0) {
      count = -count;
      ReadLong(b, &pos, file);  // the block's byte size
    }
    for (int64_t i = 0; i < count; ++i) {
      int64_t klen = ReadLong(b, &pos, file);
      if (klen < 0 || pos + static_cast<size_t>(klen) > b.size()) Bad(file, "its header is cut short");
      std::string key = b.substr(pos, static_cast<size_t>(klen));
      pos += static_cast<size_t>(klen);
      int64_t vlen = ReadLong(b, &pos, file);
      if (vlen < 0 || pos + static_cast<size_t>(vlen) > b.size()) Bad(file, "its header is cut short");
      if (key == "avro.schema") return b.substr(pos, static_cast<size_t>(vlen));
      pos += static_cast<size_t>(vlen);
    }
  }
  Bad(file, "its header has no schema");
}

void StoreInt(Vector* out, size_t row, int128 v, const std::string& file) {
  const SqlType& t = out->type();
  auto range = [&](int128 lo, int128 hi) {
    if (v < lo || v > hi) {
      throw SqlError(sqlstate::kNumericValueOutOfRange, StrCat("a value in the Avro file \"", file, "\" is out of range for type ", t.ToString()));
    }
  };
  switch (out->physical()) {
    case PhysicalType::kBool: out->data<uint8_t>()[row] = v != 0; break;
    case PhysicalType::kInt16: range(INT16_MIN, INT16_MAX); out->data<int16_t>()[row] = static_cast<int16_t>(v); break;
    case PhysicalType::kInt32: range(INT32_MIN, INT32_MAX); out->data<int32_t>()[row] = static_cast<int32_t>(v); break;
    case PhysicalType::kInt64: range(INT64_MIN, INT64_MAX); out->data<int64_t>()[row] = static_cast<int64_t>(v); break;
    case PhysicalType::kInt128: out->data<int128>()[row] = v; break;
    case PhysicalType::kFloat32: out->data<float>()[row] = static_cast<float>(v); break;
    case PhysicalType::kFloat64: out->data<double>()[row] = static_cast<double>(v); break;
    default: STRATA_INTERNAL_ERROR("Avro: integer into ", t.ToString());
  }
}

}  // namespace

AvroReader::AvroReader(std::string bytes, std::string name) : bytes_(std::move(bytes)), name_(std::move(name)) {
  std::string schema = HeaderSchema(bytes_, name_);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(schema).get(doc) != simdjson::SUCCESS) Bad(name_, "its schema is not JSON");
  std::string_view type;
  simdjson::dom::array fields;
  if (doc["type"].get_string().get(type) != simdjson::SUCCESS || type != "record" || doc["fields"].get_array().get(fields) != simdjson::SUCCESS) {
    Bad(name_, "its schema is not a record");
  }
  for (simdjson::dom::element f : fields) {
    AvroColumn c;
    std::string_view n;
    if (f["name"].get_string().get(n) != simdjson::SUCCESS) Bad(name_, "a field has no name");
    c.name = std::string(n);
    simdjson::dom::element t = f["type"];
    // ["null", T] (either order) is a nullable T.
    if (t.is_array()) {
      simdjson::dom::element chosen;
      int branches = 0;
      for (simdjson::dom::element b : simdjson::dom::array(t)) {
        std::string_view s;
        if (b.get_string().get(s) == simdjson::SUCCESS && s == "null") {
          c.nullable = true;
        } else {
          chosen = b;
          ++branches;
        }
      }
      if (branches != 1) {
        c.type = "union";
        c.nested = true;
        columns_.push_back(std::move(c));
        continue;
      }
      t = chosen;
    }
    std::string_view s;
    if (t.get_string().get(s) == simdjson::SUCCESS) {
      c.type = std::string(s);
    } else if (t.is_object()) {
      std::string_view inner, logical;
      if (t["type"].get_string().get(inner) == simdjson::SUCCESS) c.type = std::string(inner);
      if (t["logicalType"].get_string().get(logical) == simdjson::SUCCESS) c.logical = std::string(logical);
      int64_t p = 0, sc = 0;
      if (t["precision"].get_int64().get(p) == simdjson::SUCCESS) c.precision = static_cast<int>(p);
      if (t["scale"].get_int64().get(sc) == simdjson::SUCCESS) c.scale = static_cast<int>(sc);
    }
    c.nested = c.type == "record" || c.type == "array" || c.type == "map";
    columns_.push_back(std::move(c));
  }
}

AvroReader::~AvroReader() = default;

SqlType AvroReader::DefaultType(const AvroColumn& c) {
  if (c.logical == "date") return SqlType::Date();
  if (c.logical.rfind("timestamp-", 0) == 0 || c.logical.rfind("local-timestamp-", 0) == 0) return SqlType::Timestamp();
  if (c.logical == "decimal") return SqlType::Decimal(std::min(std::max(c.precision, 1), 38), c.scale);
  if (c.type == "boolean") return SqlType::Bool();
  if (c.type == "int") return SqlType::Int32();
  if (c.type == "long") return SqlType::Int64();
  if (c.type == "float") return SqlType::Float32();
  if (c.type == "double") return SqlType::Float64();
  return SqlType::Varchar(65535);
}

void AvroReader::Read(const std::vector<int>& columns, const std::vector<SqlType>& types, const std::function<void(Batch&)>& emit) {
  for (int c : columns) {
    if (columns_.at(c).nested) {
      throw SqlError(sqlstate::kFeatureNotSupported, StrCat("reading the nested Avro field \"", columns_[c].name, "\" is not supported yet"));
    }
  }
  FILE* fp = fmemopen(bytes_.data(), bytes_.size(), "rb");
  if (fp == nullptr) Bad(name_, "it cannot be opened in memory");
  avro_file_reader_t reader;
  // The reader owns `fp` from here: it closes it, also when opening fails.
  if (avro_file_reader_fp(fp, name_.c_str(), 1, &reader) != 0) Bad(name_, avro_strerror());
  avro_schema_t schema = avro_file_reader_get_writer_schema(reader);  // the reader's own: not released here
  avro_value_iface_t* iface = schema != nullptr ? avro_generic_class_from_schema(schema) : nullptr;
  avro_value_t record;
  if (iface == nullptr || avro_generic_value_new(iface, &record) != 0) {
    if (iface != nullptr) avro_value_iface_decref(iface);
    avro_file_reader_close(reader);
    Bad(name_, "its schema cannot be read");
  }
  struct Cleanup {
    avro_file_reader_t r;
    avro_value_iface_t* i;
    avro_value_t* v;
    ~Cleanup() {
      avro_value_decref(v);
      avro_value_iface_decref(i);
      avro_file_reader_close(r);
    }
  } cleanup{reader, iface, &record};
  // Field indexes in the record, by column.
  std::vector<size_t> index(columns.size());
  for (size_t i = 0; i < columns.size(); ++i) {
    avro_value_t field;
    size_t at = 0;
    if (avro_value_get_by_name(&record, columns_[columns[i]].name.c_str(), &field, &at) != 0) Bad(name_, "a field is missing");
    index[i] = at;
  }
  Batch b(types);
  size_t rows = 0;
  auto flush = [&] {
    b.SetRows(rows);
    emit(b);
    b = Batch(types);
    rows = 0;
  };
  for (;;) {
    int rc = avro_file_reader_read_value(reader, &record);
    if (rc == EOF) break;
    if (rc != 0) Bad(name_, avro_strerror());
    if (rows == 0) {
      for (auto& v : b.columns) v.Resize(kBatchSize);
    }
    for (size_t i = 0; i < columns.size(); ++i) {
      const AvroColumn& col = columns_[columns[i]];
      Vector& out = b.columns[i];
      avro_value_t field;
      avro_value_get_by_index(&record, index[i], &field, nullptr);
      if (avro_value_get_type(&field) == AVRO_UNION) {
        avro_value_t branch;
        avro_value_get_current_branch(&field, &branch);
        field = branch;
      }
      avro_type_t t = avro_value_get_type(&field);
      out.SetNull(rows, t == AVRO_NULL);
      if (t == AVRO_NULL) continue;
      const SqlType& target = types[i];
      switch (t) {
        case AVRO_INT32: case AVRO_INT64: {
          int64_t v = 0;
          if (t == AVRO_INT32) {
            int32_t x = 0;
            avro_value_get_int(&field, &x);
            v = x;
          } else {
            avro_value_get_long(&field, &v);
          }
          int128 stored = v;
          if (col.logical == "date") stored = target.is_timestamp() ? (int128(v) - kUnixToStrataDays) * 86400000000LL : int128(v) - kUnixToStrataDays;
          else if (col.logical == "timestamp-millis" || col.logical == "local-timestamp-millis") stored = int128(v) * 1000 - kUnixToStrataMicros;
          else if (col.logical == "timestamp-micros" || col.logical == "local-timestamp-micros") stored = int128(v) - kUnixToStrataMicros;
          else if (target.id == TypeId::kDecimal) stored = int128(v) * TenTo(target.scale);
          if (target.is_string()) out.SetString(rows, std::to_string(v));
          else StoreInt(&out, rows, stored, name_);
          break;
        }
        case AVRO_FLOAT: case AVRO_DOUBLE: {
          double d = 0;
          if (t == AVRO_FLOAT) {
            float f = 0;
            avro_value_get_float(&field, &f);
            d = f;
          } else {
            avro_value_get_double(&field, &d);
          }
          if (out.physical() == PhysicalType::kFloat32) out.data<float>()[rows] = static_cast<float>(d);
          else if (out.physical() == PhysicalType::kFloat64) out.data<double>()[rows] = d;
          else throw SqlError(sqlstate::kDatatypeMismatch, StrCat("the Avro field \"", col.name, "\" is floating point, not ", target.ToString()));
          break;
        }
        case AVRO_BOOLEAN: {
          int x = 0;
          avro_value_get_boolean(&field, &x);
          StoreInt(&out, rows, x != 0, name_);
          break;
        }
        case AVRO_STRING: case AVRO_BYTES: case AVRO_FIXED: case AVRO_ENUM: {
          std::string_view s;
          if (t == AVRO_STRING) {
            const char* p = nullptr;
            size_t n = 0;
            avro_value_get_string(&field, &p, &n);
            s = std::string_view(p, n > 0 ? n - 1 : 0);  // the size counts the terminating NUL
          } else if (t == AVRO_ENUM) {
            int sym = 0;
            avro_value_get_enum(&field, &sym);
            const char* name = avro_schema_enum_get(avro_value_get_schema(&field), sym);
            s = name ? std::string_view(name) : std::string_view();
          } else {
            const void* p = nullptr;
            size_t n = 0;
            if (t == AVRO_BYTES) avro_value_get_bytes(&field, &p, &n);
            else avro_value_get_fixed(&field, &p, &n);
            s = std::string_view(static_cast<const char*>(p), n);
          }
          if (col.logical == "decimal" && (t == AVRO_BYTES || t == AVRO_FIXED)) {
            if (s.size() > 16) Bad(name_, "a decimal is wider than 128 bits");
            int128 v = s.empty() || !(static_cast<uint8_t>(s[0]) & 0x80) ? 0 : -1;
            for (unsigned char ch : s) v = (v << 8) | ch;
            int to = target.id == TypeId::kDecimal ? target.scale : 0;
            if (target.is_float()) {
              double d = static_cast<double>(v) / static_cast<double>(TenTo(col.scale));
              if (out.physical() == PhysicalType::kFloat32) out.data<float>()[rows] = static_cast<float>(d);
              else out.data<double>()[rows] = d;
            } else {
              StoreInt(&out, rows, to >= col.scale ? v * TenTo(to - col.scale) : v / TenTo(col.scale - to), name_);
            }
            break;
          }
          if (!target.is_string()) {
            throw SqlError(sqlstate::kDatatypeMismatch, StrCat("the Avro field \"", col.name, "\" is a string, not ", target.ToString()));
          }
          if (target.length > 0 && target.id != TypeId::kText && static_cast<int>(s.size()) > target.length) {
            throw SqlError(sqlstate::kStringDataRightTruncation,
                           StrCat("a value of Avro field \"", col.name, "\" in \"", name_, "\" is longer than ", target.ToString()));
          }
          out.SetString(rows, s);
          break;
        }
        default:
          throw SqlError(sqlstate::kFeatureNotSupported, StrCat("reading the Avro field \"", col.name, "\" is not supported yet"));
      }
    }
    avro_value_reset(&record);
    if (++rows == kBatchSize) flush();
  }
  if (rows > 0) flush();
}

}  // namespace strata
