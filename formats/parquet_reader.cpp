// ParquetReader: footer, schema flattening, statistics and row-group reads (see the header).
#include "formats/parquet_reader.h"

#include <cstring>
#include <memory>

#include "formats/parquet_column_reader.h"
#include "formats/parquet_convert.h"

namespace strata {

using namespace parquet;

namespace {

constexpr uint32_t kMaxFooterBytes = 1u << 30;

// Fills a LogicalType from the legacy ConvertedType for files that carry only the latter.
LogicalType FromConverted(const SchemaElement& e) {
  LogicalType lt;
  switch (e.converted_type) {
    case ConvertedType::kUtf8: lt.kind = LogicalKind::kString; break;
    case ConvertedType::kEnum: lt.kind = LogicalKind::kEnum; break;
    case ConvertedType::kJson: lt.kind = LogicalKind::kJson; break;
    case ConvertedType::kDecimal:
      lt.kind = LogicalKind::kDecimal;
      lt.scale = e.scale;
      lt.precision = e.precision;
      break;
    case ConvertedType::kDate: lt.kind = LogicalKind::kDate; break;
    case ConvertedType::kTimestampMillis:
    case ConvertedType::kTimestampMicros:
      lt.kind = LogicalKind::kTimestamp;
      lt.adjusted_to_utc = true;
      lt.unit = e.converted_type == ConvertedType::kTimestampMillis ? TimeUnit::kMillis : TimeUnit::kMicros;
      break;
    case ConvertedType::kTimeMillis:
    case ConvertedType::kTimeMicros: lt.kind = LogicalKind::kTime; break;
    case ConvertedType::kInt8: case ConvertedType::kInt16: case ConvertedType::kInt32: case ConvertedType::kInt64:
    case ConvertedType::kUint8: case ConvertedType::kUint16: case ConvertedType::kUint32: case ConvertedType::kUint64: {
      int c = static_cast<int>(e.converted_type);
      bool is_unsigned = c <= static_cast<int>(ConvertedType::kUint64);
      int base = is_unsigned ? static_cast<int>(ConvertedType::kUint8) : static_cast<int>(ConvertedType::kInt8);
      lt.kind = LogicalKind::kInteger;
      lt.is_signed = !is_unsigned;
      lt.bit_width = static_cast<int8_t>(8 << (c - base));
      break;
    }
    case ConvertedType::kList: lt.kind = LogicalKind::kList; break;
    case ConvertedType::kMap: case ConvertedType::kMapKeyValue: lt.kind = LogicalKind::kMap; break;
    default: break;
  }
  return lt;
}

template <typename T>
T LoadLe(const std::string& s) {
  T v{};
  std::memcpy(&v, s.data(), sizeof(T));
  return v;
}

}  // namespace

ParquetReader::ParquetReader(ByteSource* source) : source_(source) {
  try {
    ReadFooter();
    FlattenSchema();
  } catch (const SqlError& e) {
    if (e.sqlstate() != sqlstate::kBadCopyFileFormat || e.message().rfind("Parquet file", 0) == 0) throw;
    Corrupt(e.message());
  }
}

ParquetReader::~ParquetReader() = default;

void ParquetReader::Corrupt(const std::string& what) const {
  STRATA_USER_ERROR(sqlstate::kBadCopyFileFormat, "Parquet file \"", source_->Name(), "\" is invalid: ", what);
}

void ParquetReader::ReadFooter() {
  int64_t size = source_->Size();
  if (size < 12) Corrupt(StrCat("file is too small (", size, " bytes)"));
  char tail[8], head[4];
  if (source_->ReadAt(size - 8, tail, 8) != 8 || source_->ReadAt(0, head, 4) != 4) Corrupt("short read");
  if (std::memcmp(tail + 4, "PAR1", 4) != 0 || std::memcmp(head, "PAR1", 4) != 0) {
    Corrupt("missing PAR1 magic bytes (not a Parquet file, or an encrypted one)");
  }
  uint32_t footer_len;
  std::memcpy(&footer_len, tail, 4);
  if (footer_len > static_cast<uint64_t>(size - 12) || footer_len > kMaxFooterBytes) {
    Corrupt(StrCat("footer length ", footer_len, " is beyond the file"));
  }
  std::string footer(footer_len, '\0');
  if (source_->ReadAt(size - 8 - footer_len, footer.data(), footer_len) != footer_len) Corrupt("short footer read");
  ThriftReader r(reinterpret_cast<const uint8_t*>(footer.data()), footer.size());
  meta_ = DecodeFileMetaData(r);
}

void ParquetReader::FlattenSchema() {
  const auto& schema = meta_.schema;
  if (schema.empty()) Corrupt("empty schema");
  // Walk the depth-first schema list with an explicit stack of (remaining children, def, rep, path).
  struct Frame { int remaining; int def; int rep; std::string path; bool nested; };
  std::vector<Frame> stack{{schema[0].num_children, 0, 0, "", false}};
  size_t i = 1;
  while (!stack.empty()) {
    if (stack.back().remaining == 0) {
      stack.pop_back();
      continue;
    }
    if (i >= schema.size()) Corrupt("schema has fewer elements than its num_children");
    --stack.back().remaining;
    const SchemaElement& e = schema[i++];
    const Frame& parent = stack.back();
    int def = parent.def + (e.repetition != Repetition::kRequired ? 1 : 0);
    int rep = parent.rep + (e.repetition == Repetition::kRepeated ? 1 : 0);
    std::string path = parent.path.empty() ? e.name : parent.path + "." + e.name;
    bool nested = parent.nested || stack.size() > 1 || e.repetition == Repetition::kRepeated;
    if (e.num_children > 0) {
      if (stack.size() > 64 || e.num_children > static_cast<int>(schema.size())) Corrupt("bad schema nesting");
      stack.push_back({e.num_children, def, rep, path, true});
      continue;
    }
    if (!e.has_type) Corrupt(StrCat("schema leaf \"", e.name, "\" has no type"));
    ParquetColumn c;
    c.name = std::move(path);
    c.index = static_cast<int>(columns_.size());
    c.physical = e.type;
    if (static_cast<int>(e.type) < 0 || static_cast<int>(e.type) > 7) Corrupt("bad physical type");
    c.type_length = e.type_length;
    c.logical = e.logical.kind != LogicalKind::kNone ? e.logical : FromConverted(e);
    c.optional = e.repetition == Repetition::kOptional;
    c.nested = nested;
    c.max_def_level = def;
    c.max_rep_level = rep;
    columns_.push_back(std::move(c));
  }
  if (i != schema.size()) Corrupt("schema has more elements than its num_children");
  for (const auto& g : meta_.row_groups) {
    if (g.columns.size() != columns_.size()) Corrupt("row group column count differs from the schema");
    if (g.num_rows < 0) Corrupt("negative row count");
    for (const auto& cc : g.columns) {
      if (!cc.has_meta_data) Corrupt("column chunk without metadata (external column files are not supported)");
    }
  }
}

bool ParquetReader::ColumnStats(int rg, int column, const SqlType& target, ParquetStats* out) const {
  *out = ParquetStats{};
  if (rg < 0 || rg >= row_groups() || column < 0 || column >= static_cast<int>(columns_.size())) return false;
  const ParquetColumn& col = columns_[column];
  const ColumnMetaData& m = meta_.row_groups[rg].columns[column].meta_data;
  if (!m.has_statistics || col.nested) return false;
  const Statistics& s = m.statistics;
  out->has_null_count = s.has_null_count;
  out->null_count = s.null_count;
  if (!s.has_min || !s.has_max || col.physical == PhysType::kInt96) return out->has_null_count;
  try {
    Conversion c = PlanConversion(col, target);
    auto as_int = [&](const std::string& v, int128* dst) -> bool {
      int64_t raw;
      if (col.physical == PhysType::kInt32 && v.size() == 4) raw = LoadLe<int32_t>(v);
      else if (col.physical == PhysType::kInt64 && v.size() == 8) raw = LoadLe<int64_t>(v);
      else if (col.physical == PhysType::kBoolean && v.size() == 1) raw = v[0] != 0;
      else return false;
      switch (c.kind) {
        case ConvKind::kBool: *dst = raw; return true;
        case ConvKind::kIntToInt: *dst = ToInt(c, raw); return true;
        case ConvKind::kIntToDecimal: *dst = RescaleDecimal(c, WidenInt(c, raw)); return true;
        case ConvKind::kDateToDate: *dst = raw - kUnixToStrataDays; return true;
        case ConvKind::kDateToTimestamp: *dst = static_cast<int128>(raw - kUnixToStrataDays) * 86400000000LL; return true;
        case ConvKind::kTsToTimestamp: *dst = TsToMicros(c.unit, raw) - kUnixToStrataMicros; return true;
        default: return false;
      }
    };
    auto as_double = [&](const std::string& v, double* dst) -> bool {
      if (c.kind == ConvKind::kIntToFloat) {
        if (col.physical == PhysType::kInt32 && v.size() == 4) *dst = IntToDouble(c, LoadLe<int32_t>(v));
        else if (col.physical == PhysType::kInt64 && v.size() == 8) *dst = IntToDouble(c, LoadLe<int64_t>(v));
        else return false;
        return true;
      }
      if (col.physical == PhysType::kFloat && v.size() == 4) *dst = LoadLe<float>(v);
      else if (col.physical == PhysType::kDouble && v.size() == 8) *dst = LoadLe<double>(v);
      else return false;
      return !std::isnan(*dst);
    };
    bool ok = false;
    switch (c.kind) {
      case ConvKind::kBytesToString:
        out->min_string = s.min;
        out->max_string = s.max;
        ok = true;
        break;
      case ConvKind::kBytesToDecimal:
        out->min_int = RescaleDecimal(c, BigEndianDecimal(c, s.min));
        out->max_int = RescaleDecimal(c, BigEndianDecimal(c, s.max));
        ok = true;
        break;
      case ConvKind::kIntToFloat:
      case ConvKind::kFloatToFloat:
        ok = as_double(s.min, &out->min_double) && as_double(s.max, &out->max_double);
        break;
      default:
        ok = as_int(s.min, &out->min_int) && as_int(s.max, &out->max_int);
        break;
    }
    out->has_min_max = ok;
  } catch (const SqlError&) {
    out->has_min_max = false;
  }
  return out->has_min_max || out->has_null_count;
}

void ParquetReader::ReadRowGroup(int rg, const std::vector<int>& columns, const std::vector<SqlType>& types,
                                 const std::function<void(Batch&)>& emit) {
  STRATA_CHECK(columns.size() == types.size());
  if (rg < 0 || rg >= row_groups()) STRATA_INTERNAL_ERROR("row group ", rg, " out of range");
  const RowGroup& group = meta_.row_groups[rg];
  std::vector<std::unique_ptr<ColumnChunkReader>> readers;
  try {
    for (size_t j = 0; j < columns.size(); ++j) {
      int ci = columns[j];
      if (ci < 0 || ci >= static_cast<int>(columns_.size())) STRATA_INTERNAL_ERROR("column ", ci, " out of range");
      const ParquetColumn& col = columns_[ci];
      if (col.nested) {
        STRATA_USER_ERROR(sqlstate::kFeatureNotSupported, "Parquet column \"", col.name, "\" in \"", source_->Name(),
                          "\" is nested (", col.TypeName(), "); nested columns are not supported");
      }
      readers.push_back(std::make_unique<ColumnChunkReader>(source_, col, group.columns[ci].meta_data,
                                                            PlanConversion(col, types[j])));
    }
    int64_t left = group.num_rows;
    while (left > 0) {
      size_t n = static_cast<size_t>(std::min<int64_t>(left, kBatchSize));
      Batch batch(types);
      batch.SetRows(n);
      for (size_t j = 0; j < readers.size(); ++j) readers[j]->Read(&batch.columns[j], n);
      left -= static_cast<int64_t>(n);
      emit(batch);
    }
  } catch (const SqlError& e) {
    if (e.sqlstate() == sqlstate::kBadCopyFileFormat && e.message().rfind("Parquet file", 0) != 0) Corrupt(e.message());
    throw;
  }
}

}  // namespace strata
