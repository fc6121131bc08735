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

// The fraction of the non-NULL values for which col op v (op as written with the column on the
// left: LT, LE, GT, GE) holds, from the integer value range.
std::optional<double> RangeFraction(const ColumnAndValue& m, plan::Op op) {
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
  return std::clamp(frac, 0.0, 1.0);
}

double NonNull(const catalog::Column& c) { return HasStats(c) ? 1.0 - c.stats().null_frac() : 1.0; }

// col < v and the like, NULLs excluded.
std::optional<double> Range(const ColumnAndValue& m, plan::Op op) {
  std::optional<double> frac = RangeFraction(m, op);
  if (!frac) return std::nullopt;
  return *frac * NonNull(*m.column);
}

// `e` as a bound on a column's value range (col > v, v <= col, ...): the column, whether it is
// a lower bound, and the fraction of non-NULL values it keeps.
struct RangeBound {
  const catalog::Column* column;
  bool lower;
  double fraction;
};
std::optional<RangeBound> AsRangeBound(const plan::Expr& e, const LogicalNode& input) {
  if (!e.has_call() || e.call().args_size() != 2) return std::nullopt;
  plan::Op op = e.call().op();
  if (op != plan::LT && op != plan::LE && op != plan::GT && op != plan::GE) return std::nullopt;
  std::optional<ColumnAndValue> m = Match(e.call().args(0), e.call().args(1), input);
  if (!m) {
    m = Match(e.call().args(1), e.call().args(0), input);
    op = MirrorComparison(op);
  }
  if (!m) return std::nullopt;
  std::optional<double> frac = RangeFraction(*m, op);
  if (!frac) return std::nullopt;
  return RangeBound{m->column, op == plan::GT || op == plan::GE, *frac};
}

std::optional<double> Estimate(const plan::Expr& e, const LogicalNode& input);

// col LIKE 'pattern' without statistics of the strings: PostgreSQL's heuristic when it has no
// histogram (each fixed character narrows the match, '_' a little, leading wildcards not at
// all), with milder factors -- the words of real columns repeat far more than random letters
// would, so a fifth per character (PostgreSQL's) makes 'forest%' a few rows of millions. Never
// above the flat guess for an unknown filter.
double LikeSelectivity(std::string_view pattern) {
  constexpr double kFixedChar = 0.75, kAnyChar = 0.95;
  size_t pos = 0;
  while (pos < pattern.size() && (pattern[pos] == '%' || pattern[pos] == '_')) ++pos;
  double sel = 1.0;
  for (; pos < pattern.size(); ++pos) {
    const char ch = pattern[pos];
    if (ch == '%') continue;
    if (ch == '_') {
      sel *= kAnyChar;
      continue;
    }
    if (ch == '\\' && pos + 1 < pattern.size()) ++pos;  // an escaped character is a fixed one
    sel *= kFixedChar;
  }
  return std::clamp(sel, 1e-4, kUnknownFilter);
}

// The estimate of a conjunction; *unknown says whether some conjunct had none. A lower and an
// upper bound on one column (d >= '1995-09-01' AND d < '1995-10-01') are one range -- the
// values above the one and below the other -- not independent events; everything else
// multiplies as independent.
std::optional<double> Conjunction(const google::protobuf::RepeatedPtrField<plan::Expr>& args, const LogicalNode& input,
                                  bool* unknown) {
  struct Bounds {
    double lower = 1.0, upper = 1.0;  // the tightest of each, as fractions of non-NULL values
  };
  std::vector<std::pair<const catalog::Column*, Bounds>> ranges;
  std::optional<double> product;
  *unknown = false;
  for (const auto& a : args) {
    if (std::optional<RangeBound> b = AsRangeBound(a, input)) {
      auto it = std::find_if(ranges.begin(), ranges.end(), [&](const auto& r) { return r.first == b->column; });
      if (it == ranges.end()) {
        ranges.push_back({b->column, Bounds{}});
        it = ranges.end() - 1;
      }
      double& side = b->lower ? it->second.lower : it->second.upper;
      side = std::min(side, b->fraction);
      continue;
    }
    if (std::optional<double> s = Estimate(a, input)) product = product.value_or(1.0) * *s;
    else *unknown = true;
  }
  for (const auto& [column, b] : ranges) {
    double width = static_cast<double>(column->max_value()) - static_cast<double>(column->min_value()) + 1;
    // Bounds that leave nothing still keep a value's worth: estimates are never zero.
    double inside = std::max(b.lower + b.upper - 1.0, 1.0 / std::max(width, 1.0));
    product = product.value_or(1.0) * inside * NonNull(*column);
  }
  return product;
}

// The estimate of one predicate; nullopt when statistics say nothing about it.
std::optional<double> Estimate(const plan::Expr& e, const LogicalNode& input) {
  if (!e.has_call()) return std::nullopt;
  const plan::Call& c = e.call();
  switch (c.op()) {
    case plan::AND: {
      bool unknown = false;
      return Conjunction(c.args(), input, &unknown);
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
    case plan::LIKE:
    case plan::ILIKE:
    case plan::NOT_LIKE:
    case plan::NOT_ILIKE: {
      if (c.args_size() < 2 || !c.args(1).has_literal() || c.args(1).literal().is_null()) return std::nullopt;
      if (c.args_size() > 2) return std::nullopt;  // an ESCAPE clause: leave it to the flat guess
      double sel = LikeSelectivity(c.args(1).literal().str());
      return c.op() == plan::LIKE || c.op() == plan::ILIKE ? sel : 1.0 - sel;
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

// Distinct values of column `col` of `n`: ANALYZE's count for the base column it comes from,
// else its integer value range, capped by the rows; else the rows.
double ColumnNdv(const LogicalNode& n, int col) {
  if (const catalog::Column* tc = BaseColumn(n, col)) {
    if (tc->has_stats() && tc->stats().rows() > 0) {
      return std::max(1.0, std::min(n.estimated_rows, tc->stats().n_distinct()));
    }
    if (tc->has_range()) {
      double range = static_cast<double>(tc->max_value()) - static_cast<double>(tc->min_value()) + 1;
      return std::max(1.0, std::min(n.estimated_rows, range));
    }
  }
  return std::max(1.0, n.estimated_rows);
}

double SemiJoinRows(const LogicalNode& left, const std::vector<plan::Expr>& left_keys, const LogicalNode& right,
                    const std::vector<plan::Expr>& right_keys) {
  const double rows = std::max(1.0, left.estimated_rows);
  std::optional<double> fraction;
  for (size_t k = 0; k < left_keys.size() && k < right_keys.size(); ++k) {
    const plan::Expr& l = StripIntCasts(left_keys[k]);
    const plan::Expr& r = StripIntCasts(right_keys[k]);
    if (!l.has_column() || !r.has_column()) continue;
    const catalog::Column* lc = BaseColumn(left, l.column());
    const catalog::Column* rc = BaseColumn(right, r.column());
    auto known = [](const catalog::Column* c) { return c != nullptr && (HasStats(*c) || c->has_range()); };
    if (!known(lc) || !known(rc)) continue;
    const double f = std::min(1.0, ColumnNdv(right, r.column()) / ColumnNdv(left, l.column()));
    fraction = std::min(fraction.value_or(1.0), f);
  }
  return std::max(1.0, rows * fraction.value_or(0.5));
}

double FilterSelectivity(const plan::Expr& pred, const LogicalNode& input) {
  // The parts statistics cover, times the flat guess once for whatever they do not cover.
  if (pred.has_call() && pred.call().op() == plan::AND) {
    bool unknown = false;
    std::optional<double> known = Conjunction(pred.call().args(), input, &unknown);
    return std::clamp(known.value_or(1.0) * (unknown ? kUnknownFilter : 1.0), 0.0, 1.0);
  }
  return std::clamp(Estimate(pred, input).value_or(kUnknownFilter), 0.0, 1.0);
}

}  // namespace strata
