// RowWriter: how the leader's catalog relations (server/pg_catalog_rows.cpp,
// server/column_catalog_rows.cpp) append rows to a Batch, one value per column in order, with
// the columns a row leaves out set to NULL. A value's C++ type must suit its column: int64_t
// for integer columns, double for real ones, bool, std::string for text; monostate is NULL.
#pragma once

#include <initializer_list>
#include <string>
#include <variant>

#include "sql/error.h"
#include "sql/vector.h"
#include "catalog/catalog.pb.h"

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

// A column default as pg_get_expr prints it: a constant as its literal ('x'::character
// varying, 42), anything else in Strata's expression text; "" without a default.
std::string ColumnDefaultText(const catalog::Column& c);

// The column's place in the table's sort key as pg_table_def.sortkey and
// pg_attribute.attsortkeyord show it: 0 when not in it, 1-based for a compound key, and for an
// interleaved key alternately positive and negative (1, -2, 3, ...), as Redshift shows it.
int SortKeyOrdinal(const catalog::Table& t, int column);

}  // namespace strata
