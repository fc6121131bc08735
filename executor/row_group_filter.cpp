// See row_group_filter.h.
#include "executor/row_group_filter.h"

#include "executor/expression.h"
#include "planner/expr_builder.h"
#include "sql/error.h"

namespace strata {
namespace {

bool Comparable(const SqlType& t) {
  switch (t.physical()) {
    case PhysicalType::kInt16: case PhysicalType::kInt32: case PhysicalType::kInt64: case PhysicalType::kInt128:
    case PhysicalType::kFloat32: case PhysicalType::kFloat64:
      return true;
    case PhysicalType::kString: return t.id == TypeId::kVarchar || t.id == TypeId::kText;
    default: return false;
  }
}

// -1, 0, 1: the constant against a statistic, in the stats' representation; false when the
// type has no usable form.
int128 IntOf(const Vector& v) {
  switch (v.physical()) {
    case PhysicalType::kInt16: return v.data<int16_t>()[0];
    case PhysicalType::kInt32: return v.data<int32_t>()[0];
    case PhysicalType::kInt64: return v.data<int64_t>()[0];
    case PhysicalType::kInt128: return v.data<int128>()[0];
    default: return 0;
  }
}

// Whether some value x in [min, max] can satisfy `x op c`.
template <typename T>
bool MayPass(plan::Op op, const T& min, const T& max, const T& c) {
  switch (op) {
    case plan::EQ: return !(c < min) && !(max < c);
    case plan::LT: return min < c;
    case plan::LE: return !(c < min);
    case plan::GT: return c < max;
    case plan::GE: return !(max < c);
    default: return true;
  }
}

}  // namespace

RowGroupFilter::RowGroupFilter(const plan::Expr& filter, const std::vector<int>& leaf_of_output) {
  std::vector<const plan::Expr*> parts;
  ConjunctsOf(filter, &parts);
  for (const plan::Expr* e : parts) {
    if (!e->has_call()) continue;
    const plan::Call& c = e->call();
    plan::Op op = c.op();
    bool compare = op == plan::EQ || op == plan::LT || op == plan::LE || op == plan::GT || op == plan::GE;
    if (!(compare && c.args_size() == 2) && !(op == plan::IN_LIST && c.args_size() >= 2)) continue;
    int col_arg = c.args(0).has_column() ? 0 : (compare && c.args(1).has_column() ? 1 : -1);
    if (col_arg < 0) continue;
    const plan::Expr& col = c.args(col_arg);
    if (col.column() < 0 || col.column() >= static_cast<int>(leaf_of_output.size()) || leaf_of_output[col.column()] < 0) continue;
    SqlType type = ExprType(col);
    if (!Comparable(type)) continue;
    Bound b;
    b.leaf = leaf_of_output[col.column()];
    b.type = type;
    b.op = col_arg == 1 ? MirrorComparison(op) : op;
    bool ok = true;
    for (int i = 0; i < c.args_size() && ok; ++i) {
      if (i == col_arg) continue;
      const plan::Expr& k = c.args(i);
      if (!IsConstantExpr(k) || !(ExprType(k) == type)) {
        ok = false;
        break;
      }
      try {
        Vector v = EvaluateConstant(k);
        if (v.IsNull(0)) {
          if (op != plan::IN_LIST) ok = false;  // x op NULL passes nothing, but leave it to the filter
          continue;
        }
        b.values.push_back(std::move(v));
      } catch (const SqlError&) {
        ok = false;
      }
    }
    if (ok && !b.values.empty()) bounds_.push_back(std::move(b));
  }
}

bool RowGroupFilter::Skips(const ParquetReader& reader, int rg) const {
  return Skips([&](int leaf, const SqlType& type, ParquetStats* out) { return reader.ColumnStats(rg, leaf, type, out); },
               reader.row_group_rows(rg));
}

bool RowGroupFilter::Skips(const StatsFn& stats, int64_t rows) const {
  for (const Bound& b : bounds_) {
    ParquetStats s;
    if (!stats(b.leaf, b.type, &s)) continue;
    if (s.has_null_count && s.null_count >= rows && rows > 0) return true;  // all NULL: no comparison holds
    if (!s.has_min_max) continue;
    bool may = false;
    const plan::Op op = b.op == plan::IN_LIST ? plan::EQ : b.op;
    for (const Vector& v : b.values) {
      switch (b.type.physical()) {
        case PhysicalType::kFloat32:
          may = may || MayPass<double>(op, s.min_double, s.max_double, v.data<float>()[0]);
          break;
        case PhysicalType::kFloat64:
          may = may || MayPass<double>(op, s.min_double, s.max_double, v.data<double>()[0]);
          break;
        case PhysicalType::kString:
          may = may || MayPass<std::string_view>(op, s.min_string, s.max_string, v.data<std::string_view>()[0]);
          break;
        default:
          may = may || MayPass<int128>(op, s.min_int, s.max_int, IntOf(v));
      }
      if (may) break;
    }
    if (!may) return true;
  }
  return false;
}

}  // namespace strata
