// Planning of Parquet -> Strata type conversions (see parquet_convert.h).
#include "formats/parquet_convert.h"

namespace strata::parquet {

namespace {

const char* PhysName(PhysType t) {
  switch (t) {
    case PhysType::kBoolean: return "BOOLEAN";
    case PhysType::kInt32: return "INT32";
    case PhysType::kInt64: return "INT64";
    case PhysType::kInt96: return "INT96";
    case PhysType::kFloat: return "FLOAT";
    case PhysType::kDouble: return "DOUBLE";
    case PhysType::kByteArray: return "BYTE_ARRAY";
    case PhysType::kFixedLenByteArray: return "FIXED_LEN_BYTE_ARRAY";
  }
  return "?";
}

const char* UnitName(TimeUnit u) {
  return u == TimeUnit::kMillis ? "MILLIS" : u == TimeUnit::kNanos ? "NANOS" : "MICROS";
}

}  // namespace

[[noreturn]] void ThrowOutOfRange(const Conversion& c) {
  STRATA_USER_ERROR(sqlstate::kNumericValueOutOfRange, "value out of range for type ", c.target.ToString(),
                    " in column \"", c.column, "\"");
}

[[noreturn]] void ThrowTooLong(const Conversion& c, size_t len) {
  STRATA_USER_ERROR(sqlstate::kStringDataRightTruncation, "value too long for type ", c.target.ToString(),
                    " in column \"", c.column, "\" (", len, " bytes)");
}

Conversion PlanConversion(const ParquetColumn& col, const SqlType& target) {
  Conversion c;
  c.target = target;
  c.column = col.name;
  const LogicalType& lt = col.logical;
  IntMeaning im = IntMeaning::kPlain;
  BytesMeaning bm = BytesMeaning::kOther;
  switch (col.physical) {
    case PhysType::kBoolean: c.source = SourceKind::kBool; break;
    case PhysType::kInt32:
    case PhysType::kInt64:
      c.source = col.physical == PhysType::kInt32 ? SourceKind::kInt32 : SourceKind::kInt64;
      switch (lt.kind) {
        case LogicalKind::kNone: break;
        case LogicalKind::kInteger:
          c.unsigned32 = !lt.is_signed && col.physical == PhysType::kInt32;
          c.unsigned64 = !lt.is_signed && col.physical == PhysType::kInt64;
          break;
        case LogicalKind::kDecimal: im = IntMeaning::kDecimal; c.source_scale = lt.scale; break;
        case LogicalKind::kDate: im = IntMeaning::kDate; break;
        case LogicalKind::kTimestamp: im = IntMeaning::kTimestamp; c.unit = lt.unit; break;
        case LogicalKind::kTime: im = IntMeaning::kTime; break;
        default: im = IntMeaning::kOther; break;
      }
      break;
    case PhysType::kInt96:  // decoded as micros since 1970
      c.source = SourceKind::kInt64;
      im = IntMeaning::kTimestamp;
      c.unit = TimeUnit::kMicros;
      break;
    case PhysType::kFloat: c.source = SourceKind::kFloat; break;
    case PhysType::kDouble: c.source = SourceKind::kDouble; break;
    case PhysType::kByteArray:
    case PhysType::kFixedLenByteArray:
      c.source = SourceKind::kBytes;
      if (lt.kind == LogicalKind::kDecimal) {
        bm = BytesMeaning::kDecimal;
        c.source_scale = lt.scale;
      } else if (lt.kind == LogicalKind::kString || lt.kind == LogicalKind::kEnum || lt.kind == LogicalKind::kJson ||
                 (lt.kind == LogicalKind::kNone && col.physical == PhysType::kByteArray)) {
        bm = BytesMeaning::kText;
      }
      break;
  }
  bool is_int = c.source == SourceKind::kInt32 || c.source == SourceKind::kInt64;
  bool ok = false;
  switch (target.id) {
    case TypeId::kBool: ok = c.source == SourceKind::kBool; c.kind = ConvKind::kBool; break;
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
      ok = is_int && (im == IntMeaning::kPlain || (im == IntMeaning::kDecimal && c.source_scale == 0));
      c.kind = ConvKind::kIntToInt;
      break;
    case TypeId::kDecimal:
      if (is_int && (im == IntMeaning::kPlain || im == IntMeaning::kDecimal)) {
        ok = true;
        c.kind = ConvKind::kIntToDecimal;
      } else if (c.source == SourceKind::kBytes && bm == BytesMeaning::kDecimal) {
        ok = true;
        c.kind = ConvKind::kBytesToDecimal;
      }
      break;
    case TypeId::kFloat32:
    case TypeId::kFloat64:
      if (c.source == SourceKind::kFloat || c.source == SourceKind::kDouble) {
        ok = true;
        c.kind = ConvKind::kFloatToFloat;
      } else if (is_int && (im == IntMeaning::kPlain || im == IntMeaning::kDecimal)) {
        ok = true;
        c.kind = ConvKind::kIntToFloat;
      }
      break;
    case TypeId::kDate: ok = is_int && im == IntMeaning::kDate; c.kind = ConvKind::kDateToDate; break;
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      ok = is_int && (im == IntMeaning::kTimestamp || im == IntMeaning::kDate);
      c.kind = im == IntMeaning::kDate ? ConvKind::kDateToTimestamp : ConvKind::kTsToTimestamp;
      break;
    case TypeId::kChar:
    case TypeId::kVarchar:
    case TypeId::kText:
      ok = c.source == SourceKind::kBytes && bm == BytesMeaning::kText;
      c.kind = ConvKind::kBytesToString;
      break;
    default: break;
  }
  if (!ok) {
    STRATA_USER_ERROR(sqlstate::kDatatypeMismatch, "column \"", col.name, "\" has Parquet type ", col.TypeName(),
                      " which cannot be loaded into a column of type ", target.ToString());
  }
  return c;
}

}  // namespace strata::parquet

namespace strata {

std::string ParquetColumn::TypeName() const {
  using namespace parquet;
  std::string s = PhysName(physical);
  switch (logical.kind) {
    case LogicalKind::kString: s += " STRING"; break;
    case LogicalKind::kEnum: s += " ENUM"; break;
    case LogicalKind::kJson: s += " JSON"; break;
    case LogicalKind::kUuid: s += " UUID"; break;
    case LogicalKind::kDate: s += " DATE"; break;
    case LogicalKind::kDecimal: s += StrCat(" DECIMAL(", logical.precision, ",", logical.scale, ")"); break;
    case LogicalKind::kTimestamp: s += StrCat(" TIMESTAMP(", UnitName(logical.unit), ")"); break;
    case LogicalKind::kTime: s += StrCat(" TIME(", UnitName(logical.unit), ")"); break;
    case LogicalKind::kInteger:
      s += StrCat(logical.is_signed ? " INT(" : " UINT(", static_cast<int>(logical.bit_width), ")");
      break;
    case LogicalKind::kList: s += " LIST"; break;
    case LogicalKind::kMap: s += " MAP"; break;
    default: break;
  }
  return s;
}

}  // namespace strata
