// Which storage encoding each column of a table uses: its ENCODE, or Redshift's default for its
// type and its place in the sort key (ENCODE AUTO and no ENCODE alike); and what its writers
// are given, where such a default string column may be BYTEDICT block by block.
#include <algorithm>

#include "planner/physical_planner.h"
#include "planner/expr_builder.h"
#include "sql/error.h"
#include "storage/encoding.h"

namespace strata {

std::vector<int> ColumnEncodings(const catalog::Table& t) {
  std::vector<int> out;
  for (int c = 0; c < t.columns_size(); ++c) {
    const catalog::Column& col = t.columns(c);
    SqlType type = FromProtoType(col.type());
    std::optional<Encoding> e;
    if (!col.encode().empty() && col.encode() != "auto") e = EncodingFromName(col.encode());
    if (!e || !EncodingAccepts(*e, type)) {
      bool in_sort_key = std::find(t.sortkey().begin(), t.sortkey().end(), c) != t.sortkey().end();
      e = DefaultEncoding(type, in_sort_key);
    }
    out.push_back(static_cast<int>(*e));
  }
  return out;
}

std::vector<int> WriteEncodings(const catalog::Table& t) {
  std::vector<int> out = ColumnEncodings(t);
  for (int c = 0; c < t.columns_size(); ++c) {
    const catalog::Column& col = t.columns(c);
    const bool chosen = !col.encode().empty() && col.encode() != "auto";
    if (!chosen && FromProtoType(col.type()).physical() == PhysicalType::kString &&
        out[c] == static_cast<int>(Encoding::kLzo)) {
      out[c] |= kAdaptiveEncodingFlag;
    }
  }
  return out;
}

}  // namespace strata
