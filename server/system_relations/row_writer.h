// How the system relations' producers append rows to their Batch. RowWriter takes a whole row
// at once, one value per column in order, the columns a row leaves out set to NULL; a value's
// C++ type must suit its column: int64_t for integer columns, double for real ones, bool,
// std::string for text; monostate is NULL. RowBuilder sets one column at a time (the Redshift
// system tables' producers use it) and EndRow() closes the row.
#pragma once

#include <initializer_list>
#include <string>
#include <variant>

#include "sql/error.h"
#include "sql/vector.h"

namespace strata {

using CatalogValue = std::variant<std::monostate, int64_t, double, bool, std::string>;
inline const CatalogValue kNullValue{};

inline CatalogValue I(int64_t v) { return CatalogValue(v); }
inline CatalogValue S(std::string v) { return CatalogValue(std::move(v)); }
inline CatalogValue B(bool v) { return CatalogValue(v); }
inline CatalogValue F(double v) { return CatalogValue(v); }

class RowWriter {
 public:
  explicit RowWriter(Batch* out) : out_(out) {}
  void Add(std::initializer_list<CatalogValue> values) {
    size_t c = 0;
    for (const CatalogValue& v : values) Set(c++, v);
    for (; c < out_->columns.size(); ++c) Set(c, kNullValue);
    out_->rows++;
  }

 private:
  void Set(size_t col, const CatalogValue& v) {
    Vector& x = out_->columns[col];
    size_t i = x.size();
    x.Resize(i + 1);
    if (std::holds_alternative<std::monostate>(v)) {
      x.SetNull(i, true);
      return;
    }
    switch (x.physical()) {
      case PhysicalType::kBool: x.data<uint8_t>()[i] = std::get<bool>(v) ? 1 : 0; break;
      case PhysicalType::kInt16: x.data<int16_t>()[i] = static_cast<int16_t>(std::get<int64_t>(v)); break;
      case PhysicalType::kInt32: x.data<int32_t>()[i] = static_cast<int32_t>(std::get<int64_t>(v)); break;
      case PhysicalType::kInt64: x.data<int64_t>()[i] = std::get<int64_t>(v); break;
      case PhysicalType::kFloat32: x.data<float>()[i] = static_cast<float>(std::get<double>(v)); break;
      case PhysicalType::kFloat64: x.data<double>()[i] = std::get<double>(v); break;
      case PhysicalType::kString: x.SetString(i, std::get<std::string>(v)); break;
      default: STRATA_INTERNAL_ERROR("catalog row: unexpected column type");
    }
  }
  Batch* out_;
};

// Appends one column value at a time; every column gets one value per row.
struct RowBuilder {
  Batch& batch;
  explicit RowBuilder(Batch* out) : batch(*out) {}
  void Int(size_t col, int64_t v) {
    Vector& x = batch.columns[col];
    size_t i = x.size();
    x.Resize(i + 1);
    if (x.physical() == PhysicalType::kInt32) x.data<int32_t>()[i] = static_cast<int32_t>(v);
    else x.data<int64_t>()[i] = v;
  }
  void Str(size_t col, const std::string& v, bool null = false) {
    Vector& x = batch.columns[col];
    size_t i = x.size();
    x.Resize(i + 1);
    if (null) x.SetNull(i, true);
    else x.SetString(i, v);
  }
  // A DECIMAL(p, 2) value given in hundredths, or NULL.
  void Hundredths(size_t col, int64_t v, bool null = false) {
    Vector& x = batch.columns[col];
    size_t i = x.size();
    x.Resize(i + 1);
    x.data<int64_t>()[i] = v;
    if (null) x.SetNull(i, true);
  }
  void Real(size_t col, double v) {
    Vector& x = batch.columns[col];
    size_t i = x.size();
    x.Resize(i + 1);
    x.data<float>()[i] = static_cast<float>(v);
  }
  void Real64(size_t col, double v) {
    Vector& x = batch.columns[col];
    size_t i = x.size();
    x.Resize(i + 1);
    x.data<double>()[i] = v;
  }
  void Bool(size_t col, bool v) {
    Vector& x = batch.columns[col];
    size_t i = x.size();
    x.Resize(i + 1);
    x.data<uint8_t>()[i] = v ? 1 : 0;
  }
  void EndRow() { batch.rows++; }
  void Timestamp(size_t col, int64_t micros) {
    Vector& x = batch.columns[col];
    size_t i = x.size();
    x.Resize(i + 1);
    x.data<int64_t>()[i] = micros;
  }
};

}  // namespace strata
