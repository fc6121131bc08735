// Thrift decode/encode of the Parquet footer and page headers (field ids from parquet.thrift).
#include "formats/parquet_metadata.h"

namespace strata::parquet {

namespace {

using T = ThriftType;

// Calls f(id, type) for each field of the struct at the reader; f returns false for a field it
// does not consume, which is then skipped. A field of an unexpected type is skipped too.
template <typename F>
void ForEachField(ThriftReader& r, F&& f) {
  r.BeginStruct();
  int16_t id;
  ThriftType t;
  while (r.NextField(&id, &t)) {
    if (!f(id, t)) r.Skip(t);
  }
  r.EndStruct();
}

bool IsInt(T t) { return t == T::kI32 || t == T::kI64 || t == T::kI16; }
bool IsBool(T t) { return t == T::kTrue || t == T::kFalse; }

// Reads a list of elements with `read(elem_type)`.
template <typename F>
void ForEachElement(ThriftReader& r, F&& read) {
  ThriftType elem;
  uint32_t n;
  r.ReadListHeader(&elem, &n);
  for (uint32_t i = 0; i < n; ++i) read(elem);
}

TimeUnit DecodeTimeUnit(ThriftReader& r) {
  TimeUnit u = TimeUnit::kNone;
  ForEachField(r, [&](int16_t id, T t) {
    if (t != T::kStruct || id < 1 || id > 3) return false;
    u = static_cast<TimeUnit>(id);
    r.Skip(t);
    return true;
  });
  return u;
}

LogicalType DecodeLogicalType(ThriftReader& r) {
  LogicalType lt;
  ForEachField(r, [&](int16_t id, T t) {
    if (t != T::kStruct) return false;
    lt.kind = static_cast<LogicalKind>(id);
    switch (lt.kind) {
      case LogicalKind::kDecimal:
        ForEachField(r, [&](int16_t f, T ft) {
          if (!IsInt(ft)) return false;
          if (f == 1) lt.scale = r.ReadI32();
          else if (f == 2) lt.precision = r.ReadI32();
          else return false;
          return true;
        });
        return true;
      case LogicalKind::kTime:
      case LogicalKind::kTimestamp:
        ForEachField(r, [&](int16_t f, T ft) {
          if (f == 1 && IsBool(ft)) lt.adjusted_to_utc = ThriftReader::FieldBool(ft);
          else if (f == 2 && ft == T::kStruct) lt.unit = DecodeTimeUnit(r);
          else return false;
          return true;
        });
        return true;
      case LogicalKind::kInteger:
        ForEachField(r, [&](int16_t f, T ft) {
          if (f == 1 && ft == T::kByte) lt.bit_width = r.ReadByte();
          else if (f == 2 && IsBool(ft)) lt.is_signed = ThriftReader::FieldBool(ft);
          else return false;
          return true;
        });
        return true;
      default:
        return false;  // an empty struct (or one we do not need): skipped
    }
  });
  return lt;
}

SchemaElement DecodeSchemaElement(ThriftReader& r) {
  SchemaElement e;
  ForEachField(r, [&](int16_t id, T t) {
    if (id == 4 && t == T::kBinary) { e.name = std::string(r.ReadBinary()); return true; }
    if (id == 10 && t == T::kStruct) { e.logical = DecodeLogicalType(r); return true; }
    if (!IsInt(t)) return false;
    int32_t v = r.ReadI32();
    switch (id) {
      case 1: e.has_type = true; e.type = static_cast<PhysType>(v); break;
      case 2: e.type_length = v; break;
      case 3: e.has_repetition = true; e.repetition = static_cast<Repetition>(v); break;
      case 5: e.num_children = v; break;
      case 6: e.converted_type = static_cast<ConvertedType>(v); break;
      case 7: e.scale = v; break;
      case 8: e.precision = v; break;
      default: break;  // field_id and others: read and ignored
    }
    return true;
  });
  return e;
}

Statistics DecodeStatistics(ThriftReader& r) {
  Statistics s;
  bool has_new_min = false, has_new_max = false;
  ForEachField(r, [&](int16_t id, T t) {
    if (t == T::kBinary && (id == 1 || id == 2 || id == 5 || id == 6)) {
      std::string v(r.ReadBinary());
      bool is_max = id == 1 || id == 5, is_new = id >= 5;
      if (is_max && (is_new || !has_new_max)) { s.max = std::move(v); s.has_max = true; has_new_max |= is_new; }
      if (!is_max && (is_new || !has_new_min)) { s.min = std::move(v); s.has_min = true; has_new_min |= is_new; }
      return true;
    }
    if (id == 3 && IsInt(t)) { s.null_count = r.ReadI64(); s.has_null_count = true; return true; }
    return false;
  });
  return s;
}

ColumnMetaData DecodeColumnMetaData(ThriftReader& r) {
  ColumnMetaData m;
  ForEachField(r, [&](int16_t id, T t) {
    if (id == 2 && t == T::kList) {
      ForEachElement(r, [&](T et) { m.encodings.push_back(static_cast<Encoding>(r.ReadI32())); });
      return true;
    }
    if (id == 3 && t == T::kList) {
      ForEachElement(r, [&](T et) { m.path.emplace_back(r.ReadBinary()); });
      return true;
    }
    if (id == 12 && t == T::kStruct) { m.statistics = DecodeStatistics(r); m.has_statistics = true; return true; }
    if (!IsInt(t)) return false;
    switch (id) {
      case 1: m.type = static_cast<PhysType>(r.ReadI32()); return true;
      case 4: m.codec = static_cast<Codec>(r.ReadI32()); return true;
      case 5: m.num_values = r.ReadI64(); return true;
      case 6: m.total_uncompressed_size = r.ReadI64(); return true;
      case 7: m.total_compressed_size = r.ReadI64(); return true;
      case 9: m.data_page_offset = r.ReadI64(); return true;
      case 11: m.dictionary_page_offset = r.ReadI64(); m.has_dictionary_page_offset = true; return true;
      default: return false;
    }
  });
  return m;
}

RowGroup DecodeRowGroup(ThriftReader& r) {
  RowGroup g;
  ForEachField(r, [&](int16_t id, T t) {
    if (id == 1 && t == T::kList) {
      ForEachElement(r, [&](T et) {
        ColumnChunk c;
        ForEachField(r, [&](int16_t f, T ft) {
          if (f == 2 && IsInt(ft)) { c.file_offset = r.ReadI64(); return true; }
          if (f == 3 && ft == T::kStruct) { c.meta_data = DecodeColumnMetaData(r); c.has_meta_data = true; return true; }
          return false;
        });
        g.columns.push_back(std::move(c));
      });
      return true;
    }
    if (id == 2 && IsInt(t)) { g.total_byte_size = r.ReadI64(); return true; }
    if (id == 3 && IsInt(t)) { g.num_rows = r.ReadI64(); return true; }
    return false;
  });
  return g;
}

}  // namespace

FileMetaData DecodeFileMetaData(ThriftReader& r) {
  FileMetaData m;
  ForEachField(r, [&](int16_t id, T t) {
    if (id == 1 && IsInt(t)) { m.version = r.ReadI32(); return true; }
    if (id == 2 && t == T::kList) {
      ForEachElement(r, [&](T et) { m.schema.push_back(DecodeSchemaElement(r)); });
      return true;
    }
    if (id == 3 && IsInt(t)) { m.num_rows = r.ReadI64(); return true; }
    if (id == 4 && t == T::kList) {
      ForEachElement(r, [&](T et) { m.row_groups.push_back(DecodeRowGroup(r)); });
      return true;
    }
    if (id == 6 && t == T::kBinary) { m.created_by = std::string(r.ReadBinary()); return true; }
    return false;
  });
  return m;
}

PageHeader DecodePageHeader(ThriftReader& r) {
  PageHeader h;
  ForEachField(r, [&](int16_t id, T t) {
    if (id == 5 && t == T::kStruct) {
      h.has_data_page = true;
      ForEachField(r, [&](int16_t f, T ft) {
        if (!IsInt(ft)) return false;
        int32_t v = r.ReadI32();
        if (f == 1) h.data_page.num_values = v;
        else if (f == 2) h.data_page.encoding = static_cast<Encoding>(v);
        else if (f == 3) h.data_page.definition_level_encoding = static_cast<Encoding>(v);
        else if (f == 4) h.data_page.repetition_level_encoding = static_cast<Encoding>(v);
        return true;
      });
      return true;
    }
    if (id == 7 && t == T::kStruct) {
      h.has_dictionary_page = true;
      ForEachField(r, [&](int16_t f, T ft) {
        if (!IsInt(ft)) return false;
        int32_t v = r.ReadI32();
        if (f == 1) h.dictionary_page.num_values = v;
        else if (f == 2) h.dictionary_page.encoding = static_cast<Encoding>(v);
        return true;
      });
      return true;
    }
    if (id == 8 && t == T::kStruct) {
      h.has_data_page_v2 = true;
      auto& v2 = h.data_page_v2;
      ForEachField(r, [&](int16_t f, T ft) {
        if (f == 7 && IsBool(ft)) { v2.is_compressed = ThriftReader::FieldBool(ft); return true; }
        if (!IsInt(ft)) return false;
        int32_t v = r.ReadI32();
        switch (f) {
          case 1: v2.num_values = v; break;
          case 2: v2.num_nulls = v; break;
          case 3: v2.num_rows = v; break;
          case 4: v2.encoding = static_cast<Encoding>(v); break;
          case 5: v2.definition_levels_byte_length = v; break;
          case 6: v2.repetition_levels_byte_length = v; break;
          default: break;
        }
        return true;
      });
      return true;
    }
    if (!IsInt(t)) return false;
    int32_t v = r.ReadI32();
    if (id == 1) h.type = static_cast<PageType>(v);
    else if (id == 2) h.uncompressed_page_size = v;
    else if (id == 3) h.compressed_page_size = v;
    return true;
  });
  return h;
}

namespace {

void EncodeLogicalType(const LogicalType& lt, ThriftWriter& w) {
  w.BeginStruct();
  w.StructField(static_cast<int16_t>(lt.kind));
  switch (lt.kind) {
    case LogicalKind::kDecimal:
      w.I32Field(1, lt.scale);
      w.I32Field(2, lt.precision);
      break;
    case LogicalKind::kTime:
    case LogicalKind::kTimestamp:
      w.BoolField(1, lt.adjusted_to_utc);
      w.StructField(2);
      w.StructField(static_cast<int16_t>(lt.unit));
      w.EndStruct();
      w.EndStruct();
      break;
    case LogicalKind::kInteger:
      w.ByteField(1, lt.bit_width);
      w.BoolField(2, lt.is_signed);
      break;
    default: break;
  }
  w.EndStruct();
  w.EndStruct();
}

void EncodeStatistics(const Statistics& s, ThriftWriter& w) {
  w.BeginStruct();
  if (s.has_null_count) w.I64Field(3, s.null_count);
  if (s.has_max) w.BinaryField(5, s.max);
  if (s.has_min) w.BinaryField(6, s.min);
  w.EndStruct();
}

void EncodeColumnMetaData(const ColumnMetaData& m, ThriftWriter& w) {
  w.BeginStruct();
  w.I32Field(1, static_cast<int32_t>(m.type));
  w.ListField(2, T::kI32, static_cast<uint32_t>(m.encodings.size()));
  for (Encoding e : m.encodings) w.WriteZigzag(static_cast<int32_t>(e));
  w.ListField(3, T::kBinary, static_cast<uint32_t>(m.path.size()));
  for (const auto& p : m.path) w.WriteBinary(p);
  w.I32Field(4, static_cast<int32_t>(m.codec));
  w.I64Field(5, m.num_values);
  w.I64Field(6, m.total_uncompressed_size);
  w.I64Field(7, m.total_compressed_size);
  w.I64Field(9, m.data_page_offset);
  if (m.has_dictionary_page_offset) w.I64Field(11, m.dictionary_page_offset);
  if (m.has_statistics) {
    w.FieldHeader(12, T::kStruct);
    EncodeStatistics(m.statistics, w);
  }
  w.EndStruct();
}

}  // namespace

void EncodeFileMetaData(const FileMetaData& m, ThriftWriter& w) {
  w.BeginStruct();
  w.I32Field(1, m.version);
  w.ListField(2, T::kStruct, static_cast<uint32_t>(m.schema.size()));
  for (const auto& e : m.schema) {
    w.BeginStruct();
    if (e.has_type) w.I32Field(1, static_cast<int32_t>(e.type));
    if (e.type_length > 0) w.I32Field(2, e.type_length);
    if (e.has_repetition) w.I32Field(3, static_cast<int32_t>(e.repetition));
    w.BinaryField(4, e.name);
    if (e.num_children > 0) w.I32Field(5, e.num_children);
    if (e.converted_type != ConvertedType::kNone) w.I32Field(6, static_cast<int32_t>(e.converted_type));
    if (e.converted_type == ConvertedType::kDecimal) {
      w.I32Field(7, e.scale);
      w.I32Field(8, e.precision);
    }
    if (e.logical.kind != LogicalKind::kNone) {
      w.FieldHeader(10, T::kStruct);
      EncodeLogicalType(e.logical, w);
    }
    w.EndStruct();
  }
  w.I64Field(3, m.num_rows);
  w.ListField(4, T::kStruct, static_cast<uint32_t>(m.row_groups.size()));
  for (const auto& g : m.row_groups) {
    w.BeginStruct();
    w.ListField(1, T::kStruct, static_cast<uint32_t>(g.columns.size()));
    for (const auto& c : g.columns) {
      w.BeginStruct();
      w.I64Field(2, c.file_offset);
      w.FieldHeader(3, T::kStruct);
      EncodeColumnMetaData(c.meta_data, w);
      w.EndStruct();
    }
    w.I64Field(2, g.total_byte_size);
    w.I64Field(3, g.num_rows);
    w.EndStruct();
  }
  if (!m.created_by.empty()) w.BinaryField(6, m.created_by);
  // column_orders: TYPE_DEFINED_ORDER for every leaf, so readers trust min_value/max_value.
  uint32_t leaves = 0;
  for (const auto& e : m.schema) leaves += e.has_type ? 1 : 0;
  w.ListField(7, T::kStruct, leaves);
  for (uint32_t i = 0; i < leaves; ++i) {
    w.BeginStruct();
    w.StructField(1);
    w.EndStruct();
    w.EndStruct();
  }
  w.EndStruct();
}

void EncodePageHeader(const PageHeader& h, ThriftWriter& w) {
  w.BeginStruct();
  w.I32Field(1, static_cast<int32_t>(h.type));
  w.I32Field(2, h.uncompressed_page_size);
  w.I32Field(3, h.compressed_page_size);
  if (h.has_data_page) {
    w.StructField(5);
    w.I32Field(1, h.data_page.num_values);
    w.I32Field(2, static_cast<int32_t>(h.data_page.encoding));
    w.I32Field(3, static_cast<int32_t>(h.data_page.definition_level_encoding));
    w.I32Field(4, static_cast<int32_t>(h.data_page.repetition_level_encoding));
    w.EndStruct();
  }
  if (h.has_dictionary_page) {
    w.StructField(7);
    w.I32Field(1, h.dictionary_page.num_values);
    w.I32Field(2, static_cast<int32_t>(h.dictionary_page.encoding));
    w.EndStruct();
  }
  w.EndStruct();
}

}  // namespace strata::parquet
