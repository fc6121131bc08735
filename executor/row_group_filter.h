// Skipping a Parquet row group unread when its statistics show that no row of it can pass the
// scan's pushed-down filter: the conjuncts `column op constant` (=, <, <=, >, >=, in either
// order) and `column IN (constants)` on a column read from the file are checked against the
// group's min and max (integers, dates, timestamps and decimals, floating point, and varchar
// in byte order), and a group whose column is all NULL passes none of them. Anything else in
// the filter is left to the Filter operator above the scan, which still sees every row of the
// groups that are read.
#pragma once

#include <functional>
#include <vector>

#include "formats/parquet_reader.h"
#include "planner/plan.pb.h"
#include "sql/vector.h"

namespace strata {

class RowGroupFilter {
 public:
  RowGroupFilter() = default;
  // `filter` reads the scan's outputs; `leaf_of_output[i]` is the Parquet leaf output i comes
  // from (-1: a partition value, a pseudo-column, a column the file lacks).
  RowGroupFilter(const plan::Expr& filter, const std::vector<int>& leaf_of_output);
  bool empty() const { return bounds_.empty(); }
  // True when no row of row group `rg` can pass.
  bool Skips(const ParquetReader& reader, int rg) const;
  // The same for any unit of `rows` rows (an ORC stripe) whose statistics `stats` gives, for a
  // leaf and the type it is read as (false: none).
  using StatsFn = std::function<bool(int leaf, const SqlType& type, ParquetStats* out)>;
  bool Skips(const StatsFn& stats, int64_t rows) const;

 private:
  struct Bound {
    int leaf = -1;
    SqlType type;
    plan::Op op = plan::EQ;   // as `column op constant`; IN_LIST: any of `values`
    std::vector<Vector> values;  // one-row constants
  };
  std::vector<Bound> bounds_;
};

}  // namespace strata
