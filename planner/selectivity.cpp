// See selectivity.h.
#include "planner/selectivity.h"

#include <algorithm>
#include <optional>

#include "planner/expr_builder.h"

namespace strata {
namespace {

constexpr double kUnknownFilter = 0.3;

// `e` without the casts around it when they keep integer values integer (int widening), so a
// comparison of an int column with a bigint literal still finds the column.
const plan::Expr& StripIntCasts(const plan::Expr& e) {
  const plan::Expr* x = &e;
  while (x->has_call() && (x->call().op() == plan::CAST || x->call().op() == plan::ASSIGN_CAST) &&
         x->call().args_size() == 1) {
    SqlType to = ExprType(*x), from = ExprType(x->call().args(0));
    bool int_widening = (to.id == TypeId::kInt16 || to.id == TypeId::kInt32 || to.id == TypeId::kInt64) &&
                        (from.id == TypeId::kInt16 || from.id == TypeId::kInt32 || from.id == TypeId::kInt64);
    if (!int_widening) break;
    x = &x->call().args(0);
  }
  return *x;
}

// A comparison side that is a base column, and the other side a literal of the same value
// representation as the column's stored values.
struct ColumnAndValue {
  const catalog::Column* column = nullptr;
  const plan::Literal* value = nullptr;
};

std::optional<ColumnAndValue> Match(const plan::Expr& col_side, const plan::Expr& lit_side, const LogicalNode& input) {
  const plan::Expr& c = StripIntCasts(col_side);
  if (!c.has_column() || !lit_side.has_literal() || lit_side.literal().is_null()) return std::nullopt;
  const catalog::Column* column = BaseColumn(input, c.column());
  if (column == nullptr) return std::nullopt;
  SqlType ct = FromProtoType(column->type()), lt = ExprType(lit_side);
  bool ints = ct.is_integer() && lt.is_integer();
  bool same_repr = ct.physical() == lt.physical() && ct.scale == lt.scale;
  if (!ints && !same_repr) return std::nullopt;
  return ColumnAndValue{column, &lit_side.literal()};
}

bool SameValue(const plan::Literal& a, const plan::Literal& b) {
  return a.i64() == b.i64() && a.i128() == b.i128() && a.f64() == b.f64() && a.str() == b.str();
}

bool HasStats(const catalog::Column& c) { return c.has_stats() && c.stats().rows() > 0; }

// col = v
std::optional<double> Equal(const ColumnAndValue& m) {
  if (!HasStats(*m.column)) return std::nullopt;
  const catalog::ColumnStats& s = m.column->stats();
  double mcv_total = 0;
  for (int i = 0; i < s.most_common_vals_size(); ++i) {
    if (SameValue(s.most_common_vals(i), *m.value)) return s.most_common_freqs(i);
    mcv_total += s.most_common_freqs(i);
  }
  double others = s.n_distinct() - s.most_common_vals_size();
  if (others < 1) return 1.0 / static_cast<double>(s.rows());
  return std::max(0.0, 1.0 - s.null_frac() - mcv_total) / others;
}

// col < v (op as written with the column on the left), from the integer value range.
std::optional<double> Range(const ColumnAndValue& m, plan::Op op) {
  const catalog::Column& c = *m.column;
  if (!c.has_range()) return std::nullopt;
  double lo = static_cast<double>(c.min_value()), hi = static_cast<double>(c.max_value());
  double v = static_cast<double>(m.value->i64());
  double width = hi - lo + 1;
  double below = std::clamp((v - lo) / width, 0.0, 1.0);           // values < v
  double at = std::clamp(1.0 / width, 0.0, 1.0 - below);           // values = v
  double frac = 0;
  switch (op) {
    case plan::LT: frac = below; break;
    case plan::LE: frac = below + at; break;
    case plan::GT: frac = 1.0 - below - at; break;
    case plan::GE: frac = 1.0 - below; break;
    default: return std::nullopt;
  }
  double non_null = HasStats(c) ? 1.0 - c.stats().null_frac() : 1.0;
  return std::clamp(frac, 0.0, 1.0) * non_null;
}

// The estimate of one predicate; nullopt when statistics say nothing about it.
std::optional<double> Estimate(const plan::Expr& e, const LogicalNode& input) {
  if (!e.has_call()) return std::nullopt;
  const plan::Call& c = e.call();
  switch (c.op()) {
    case plan::AND: {
      std::optional<double> product;
      for (const auto& a : c.args()) {
        if (std::optional<double> s = Estimate(a, input)) product = product.value_or(1.0) * *s;
      }
      return product;
    }
    case plan::OR: {
      double none = 1.0;
      for (const auto& a : c.args()) {
        std::optional<double> s = Estimate(a, input);
        if (!s) return std::nullopt;
        none *= 1.0 - *s;
      }
      return 1.0 - none;
    }
    case plan::NOT: {
      if (c.args_size() != 1) return std::nullopt;
      std::optional<double> s = Estimate(c.args(0), input);
      if (!s) return std::nullopt;
      return 1.0 - *s;
    }
    case plan::IS_NULL:
    case plan::IS_NOT_NULL: {
      if (c.args_size() != 1 || !c.args(0).has_column()) return std::nullopt;
      const catalog::Column* col = BaseColumn(input, c.args(0).column());
      if (col == nullptr || !HasStats(*col)) return std::nullopt;
      double nulls = col->stats().null_frac();
      return c.op() == plan::IS_NULL ? nulls : 1.0 - nulls;
    }
    case plan::EQ:
    case plan::NE:
    case plan::LT:
    case plan::LE:
    case plan::GT:
    case plan::GE: {
      if (c.args_size() != 2) return std::nullopt;
      plan::Op op = c.op();
      std::optional<ColumnAndValue> m = Match(c.args(0), c.args(1), input);
      if (!m) {
        m = Match(c.args(1), c.args(0), input);
        op = MirrorComparison(op);
      }
      if (!m) return std::nullopt;
      if (op == plan::EQ) return Equal(*m);
      if (op == plan::NE) {
        std::optional<double> eq = Equal(*m);
        if (!eq) return std::nullopt;
        return std::max(0.0, 1.0 - *eq - m->column->stats().null_frac());
      }
      return Range(*m, op);
    }
    case plan::IN_LIST: {
      double sum = 0;
      for (int i = 1; i < c.args_size(); ++i) {
        std::optional<ColumnAndValue> m = Match(c.args(0), c.args(i), input);
        if (!m) return std::nullopt;
        std::optional<double> eq = Equal(*m);
        if (!eq) return std::nullopt;
        sum += *eq;
      }
      return std::min(1.0, sum);
    }
    default: return std::nullopt;
  }
}

}  // namespace

const catalog::Column* BaseColumn(const LogicalNode& n, int col) {
  const LogicalNode* x = &n;
  int c = col;
  while (true) {
    if (x->kind == LogicalKind::kFilter) {
      x = x->children[0].get();
    } else if (x->kind == LogicalKind::kProject && x->exprs[c].has_column()) {
      c = x->exprs[c].column();
      x = x->children[0].get();
    } else if (x->kind == LogicalKind::kScan && x->system_table.empty()) {
      if (c >= static_cast<int>(x->scan_columns.size()) || x->scan_columns[c] < 0) return nullptr;  // row id
      return &x->table.columns(x->scan_columns[c]);
    } else {
      return nullptr;
    }
  }
}

double GroupCount(const std::vector<plan::Expr>& groups, const LogicalNode& input) {
  double rows = std::max(1.0, input.estimated_rows);
  if (groups.empty()) return 1;
  double product = 1;
  for (const auto& g : groups) {
    const plan::Expr& key = StripIntCasts(g);
    const catalog::Column* c = key.has_column() ? BaseColumn(input, key.column()) : nullptr;
    if (c == nullptr || !HasStats(*c)) return std::max(1.0, rows * 0.1);
    product *= std::max(1.0, c->stats().n_distinct() + (c->stats().null_frac() > 0 ? 1 : 0));
    if (product >= rows) return rows;
  }
  return product;
}

double FilterSelectivity(const plan::Expr& pred, const LogicalNode& input) {
  // The parts statistics cover, times the flat guess once for whatever they do not cover.
  if (pred.has_call() && pred.call().op() == plan::AND) {
    std::optional<double> known;
    bool unknown = false;
    for (const auto& a : pred.call().args()) {
      std::optional<double> s = Estimate(a, input);
      if (s) known = known.value_or(1.0) * *s;
      else unknown = true;
    }
    return std::clamp(known.value_or(1.0) * (unknown ? kUnknownFilter : 1.0), 0.0, 1.0);
  }
  return std::clamp(Estimate(pred, input).value_or(kUnknownFilter), 0.0, 1.0);
}

}  // namespace strata
