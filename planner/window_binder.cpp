#include "planner/window_binder.h"

#include <algorithm>

#include "planner/expr_builder.h"
#include "planner/interval_binder.h"
#include "planner/set_returning_binder.h"
#include "planner/type_coercion.h"
#include "sql/error.h"

namespace strata {

namespace {

bool AnyWindow(const std::vector<ast::ExprPtr>& v) {
  return std::any_of(v.begin(), v.end(), [](const ast::ExprPtr& a) { return a && ContainsWindowFunction(*a); });
}

bool AnyAggregate(const std::vector<ast::ExprPtr>& v) {
  return std::any_of(v.begin(), v.end(), [](const ast::ExprPtr& a) { return a && ContainsAggregate(*a); });
}

// An argument's value: an untyped string literal ('x') is text, as PostgreSQL resolves
// unknown-typed arguments of polymorphic functions.
plan::Expr BindValue(const ast::Expr& e, ExprBinder& binder) {
  plan::Expr v = binder.Bind(e);
  if (IsUntypedStringLiteral(v)) v = CoerceTo(std::move(v), SqlType::Text());
  return v;
}

bool ReadsRow(const plan::Expr& e) {
  if (e.has_column() || e.has_outer_ref()) return true;
  if (!e.has_call()) return false;
  return std::any_of(e.call().args().begin(), e.call().args().end(), [](const plan::Expr& a) { return ReadsRow(a); });
}

const char* FrameModeName(ast::FrameMode m) {
  return m == ast::FrameMode::kRows ? "ROWS" : m == ast::FrameMode::kGroups ? "GROUPS" : "RANGE";
}

bool HasOffset(const ast::FrameBound& b) {
  return b.kind == ast::FrameBound::kPreceding || b.kind == ast::FrameBound::kFollowing;
}

plan::FrameBoundKind BoundKind(ast::FrameBound::Kind k) {
  switch (k) {
    case ast::FrameBound::kUnboundedPreceding: return plan::BOUND_UNBOUNDED_PRECEDING;
    case ast::FrameBound::kPreceding: return plan::BOUND_PRECEDING;
    case ast::FrameBound::kCurrentRow: return plan::BOUND_CURRENT_ROW;
    case ast::FrameBound::kFollowing: return plan::BOUND_FOLLOWING;
    default: return plan::BOUND_UNBOUNDED_FOLLOWING;
  }
}

// One bound of an explicit frame: its offset bound and typed for the frame's mode (BIGINT rows
// or peer groups; for RANGE the order key's type, or an interval over a date / timestamp key).
plan::FrameBound BindBound(const ast::WindowSpec& spec, const ast::FrameBound& b, const std::vector<plan::SortKey>& order,
                           ExprBinder& binder) {
  plan::FrameBound out;
  out.set_kind(BoundKind(b.kind));
  if (!HasOffset(b)) return out;
  const char* mode = FrameModeName(spec.frame_mode);
  plan::Expr off = binder.Bind(*b.offset);
  if (ReadsRow(off)) FailAt(sqlstate::kInvalidColumnReference, StrCat("argument of ", mode, " must not contain variables"), b.offset->location);
  if (spec.frame_mode != ast::FrameMode::kRange) {
    if (IsUntypedStringLiteral(off)) off = CoerceTo(std::move(off), SqlType::Int64());
    SqlType t = ExprType(off);
    if (!t.is_integer() && t.id != TypeId::kNull) {
      FailAt(sqlstate::kDatatypeMismatch, StrCat("argument of ", mode, " must be type bigint, not type ", t.ToString()), b.offset->location);
    }
    *out.mutable_offset() = CoerceTo(std::move(off), SqlType::Int64());
    return out;
  }
  SqlType key = FromProtoType(order[0].expr().type());
  IntervalValue iv;
  if (IntervalConstant(off, &iv)) {
    if (key.id != TypeId::kDate && key.id != TypeId::kTimestamp && key.id != TypeId::kTimestampTz && !key.is_time()) {
      FailAt(sqlstate::kUndefinedFunction,
             StrCat("RANGE with offset PRECEDING/FOLLOWING is not supported for column type ", key.ToString(), " and offset type interval"),
             b.offset->location);
    }
    out.set_months(iv.months);
    out.set_days(iv.days);
    out.set_micros(iv.micros);
    return out;
  }
  if (IsUntypedStringLiteral(off)) off = CoerceTo(std::move(off), key.id == TypeId::kDecimal || key.is_float() || key.is_integer() ? key : SqlType::Text());
  SqlType t = ExprType(off);
  bool ok = t.id == TypeId::kNull || (key.is_integer() && t.is_integer()) || (key.is_float() && t.is_numeric()) ||
            (key.id == TypeId::kDecimal && (t.is_integer() || (t.id == TypeId::kDecimal && t.scale <= key.scale)));
  if (!ok) {
    FailAt(sqlstate::kUndefinedFunction,
           StrCat("RANGE with offset PRECEDING/FOLLOWING is not supported for column type ", key.ToString(), " and offset type ", t.ToString()),
           b.offset->location);
  }
  SqlType as = key.is_integer() ? SqlType::Int64() : key.is_float() ? SqlType::Float64() : SqlType::Decimal(kMaxDecimalPrecision, key.scale);
  *out.mutable_offset() = CoerceTo(std::move(off), as);
  return out;
}

}  // namespace

bool WindowBinder::BindFrame(const ast::WindowSpec& spec, const std::vector<plan::SortKey>& order, ExprBinder& binder,
                             plan::WindowFunc* w) {
  if (spec.frame != ast::WindowFrame::kGeneral) return false;
  if (spec.frame_mode == ast::FrameMode::kGroups && order.empty()) {
    FailAt(sqlstate::kWindowingError, "GROUPS mode requires an ORDER BY clause", spec.location);
  }
  if (spec.frame_mode == ast::FrameMode::kRange && (HasOffset(spec.frame_start) || HasOffset(spec.frame_end)) && order.size() != 1) {
    FailAt(sqlstate::kWindowingError, "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column", spec.location);
  }
  plan::GeneralFrame* g = w->mutable_general();
  g->set_mode(spec.frame_mode == ast::FrameMode::kRows ? plan::FRAME_ROWS : spec.frame_mode == ast::FrameMode::kGroups ? plan::FRAME_GROUPS : plan::FRAME_RANGE);
  *g->mutable_start() = BindBound(spec, spec.frame_start, order, binder);
  *g->mutable_end() = BindBound(spec, spec.frame_end, order, binder);
  g->set_exclude(spec.exclude);
  return true;
}

bool ContainsWindowFunction(const ast::Expr& e) {
  if (e.over) return true;
  if (AnyWindow(e.args) || AnyWindow(e.when) || AnyWindow(e.then)) return true;
  if (e.case_operand && ContainsWindowFunction(*e.case_operand)) return true;
  return e.else_expr && ContainsWindowFunction(*e.else_expr);
}

bool ContainsAggregateInWindow(const ast::WindowSpec& w) {
  if (AnyAggregate(w.partition_by)) return true;
  return std::any_of(w.order_by.begin(), w.order_by.end(), [](const ast::OrderItem& o) { return ContainsAggregate(*o.expr); });
}

plan::WindowFunc WindowBinder::BindFunction(const ast::Expr& e, ExprBinder& binder, const Window& win) {
  const bool ordered = !win.order_keys.empty();
  const std::string& f = e.func_name;
  size_t nargs = e.args.size();
  auto arity = [&](size_t lo, size_t hi) {
    if (nargs < lo || nargs > hi) {
      FailAt(sqlstate::kUndefinedFunction, StrCat("function ", f, " with ", nargs, " arguments does not exist"), e.location);
    }
  };
  plan::WindowFunc w;
  SqlType result = SqlType::Int64();
  if (f == "row_number" || f == "rank" || f == "dense_rank") {
    arity(0, 0);
    w.set_func(f == "row_number" ? plan::WIN_ROW_NUMBER : f == "rank" ? plan::WIN_RANK : plan::WIN_DENSE_RANK);
  } else if (f == "count" && (e.star_arg || nargs == 0)) {
    w.set_func(plan::WIN_COUNT_STAR);
  } else if (f == "count" || f == "sum" || f == "avg" || f == "min" || f == "max") {
    arity(1, 1);
    plan::Expr arg = BindValue(*e.args[0], binder);
    SqlType t = ExprType(arg);
    if (t.id == TypeId::kTime && (f == "sum" || f == "avg")) {  // read as an interval, as PostgreSQL does
      arg = CoerceTo(std::move(arg), SqlType::Interval());
      t = SqlType::Interval();
    }
    if (f == "count") {
      w.set_func(plan::WIN_COUNT);
    } else if (f == "min" || f == "max") {
      w.set_func(f == "min" ? plan::WIN_MIN : plan::WIN_MAX);
      result = t;
    } else if (t.id == TypeId::kInterval) {
      // sum: the interval packing is linear (sql/interval_time.h); avg is this sum divided by a
      // count, which Bind() adds beside it.
      w.set_func(plan::WIN_SUM);
      result = t;
    } else {
      if (!t.is_numeric()) FailAt(sqlstate::kUndefinedFunction, StrCat("function ", f, "(", t.ToString(), ") does not exist"), e.location);
      // The result types of the plain aggregates (planner/expr_binder.cpp BindAggregate).
      if (f == "sum") {
        w.set_func(plan::WIN_SUM);
        if (t.id == TypeId::kInt16 || t.id == TypeId::kInt32) result = SqlType::Int64();
        else if (t.id == TypeId::kInt64) result = SqlType::Decimal(kMaxDecimalPrecision, 0);
        else if (t.id == TypeId::kDecimal) result = SqlType::Decimal(kMaxDecimalPrecision, t.scale);
        else result = t.id == TypeId::kFloat32 ? SqlType::Float32() : SqlType::Float64();
      } else {
        w.set_func(plan::WIN_AVG);
        if (t.is_float()) {
          result = SqlType::Float64();
        } else {
          result = SqlType::Decimal(kMaxDecimalPrecision, std::max(t.id == TypeId::kDecimal ? t.scale : 0, 16));
          if (t.is_integer()) arg = CoerceTo(std::move(arg), IntegerAsDecimal(t));
        }
      }
    }
    *w.add_args() = std::move(arg);
  } else if (f == "lag" || f == "lead") {
    arity(1, 3);
    w.set_func(f == "lag" ? plan::WIN_LAG : plan::WIN_LEAD);
    plan::Expr value = BindValue(*e.args[0], binder);
    plan::Expr offset = nargs > 1 ? binder.Bind(*e.args[1]) : Int64Literal(1, SqlType::Int64());
    if (IsUntypedStringLiteral(offset)) offset = CoerceTo(std::move(offset), SqlType::Int64());
    SqlType ot = ExprType(offset);
    if (!ot.is_integer() && ot.id != TypeId::kNull) {
      FailAt(sqlstate::kUndefinedFunction, StrCat("function ", f, "(", ExprType(value).ToString(), ", ", ot.ToString(), ") does not exist"),
           e.location);
    }
    offset = CoerceTo(std::move(offset), SqlType::Int64());
    plan::Expr fallback;
    if (nargs > 2) {
      fallback = binder.Bind(*e.args[2]);
      result = UnifyTypes({&value, &fallback}, f.c_str(), e.location);
      value = CoerceTo(std::move(value), result);
      fallback = CoerceTo(std::move(fallback), result);
    } else {
      result = ExprType(value);
      fallback = NullLiteral(result);
    }
    *w.add_args() = std::move(value);
    *w.add_args() = std::move(offset);
    *w.add_args() = std::move(fallback);
  } else if (f == "first_value" || f == "last_value") {
    arity(1, 1);
    w.set_func(f == "first_value" ? plan::WIN_FIRST_VALUE : plan::WIN_LAST_VALUE);
    plan::Expr value = BindValue(*e.args[0], binder);
    result = ExprType(value);
    *w.add_args() = std::move(value);
  } else if (f == "nth_value") {
    arity(2, 2);
    w.set_func(plan::WIN_NTH_VALUE);
    plan::Expr value = BindValue(*e.args[0], binder);
    plan::Expr n = binder.Bind(*e.args[1]);
    if (IsUntypedStringLiteral(n)) n = CoerceTo(std::move(n), SqlType::Int64());
    SqlType nt = ExprType(n);
    if (!nt.is_integer() && nt.id != TypeId::kNull) {
      FailAt(sqlstate::kUndefinedFunction, StrCat("function nth_value(", ExprType(value).ToString(), ", ", nt.ToString(), ") does not exist"),
             e.location);
    }
    result = ExprType(value);
    *w.add_args() = std::move(value);
    *w.add_args() = CoerceTo(std::move(n), SqlType::Int64());
  } else {
    FailAt(sqlstate::kWrongObjectType, StrCat("OVER specified, but ", f, " is not a window function nor an aggregate function"),
         e.location);
  }
  if (result.id == TypeId::kNull) result = SqlType::Text();
  *w.mutable_result_type() = ToProtoType(result);
  switch (e.over->frame) {
    case ast::WindowFrame::kDefault: w.set_frame(ordered ? plan::RANGE_TO_CURRENT : plan::WHOLE_PARTITION); break;
    case ast::WindowFrame::kRowsToCurrentRow: w.set_frame(plan::ROWS_TO_CURRENT); break;
    case ast::WindowFrame::kWholePartition: w.set_frame(plan::WHOLE_PARTITION); break;
    case ast::WindowFrame::kGeneral: break;
  }
  // Ranking functions and lag / lead ignore the frame, as in PostgreSQL.
  bool framed = w.func() != plan::WIN_ROW_NUMBER && w.func() != plan::WIN_RANK && w.func() != plan::WIN_DENSE_RANK &&
                w.func() != plan::WIN_LAG && w.func() != plan::WIN_LEAD;
  if (framed) BindFrame(*e.over, win.order_keys, binder, &w);
  else if (e.over->frame == ast::WindowFrame::kGeneral) w.set_frame(ordered ? plan::RANGE_TO_CURRENT : plan::WHOLE_PARTITION);
  return w;
}

plan::Expr WindowBinder::Bind(const ast::Expr& e, ExprBinder& binder) {
  const ast::WindowSpec& spec = *e.over;
  bool nested = AnyWindow(e.args) || AnyWindow(spec.partition_by) ||
                std::any_of(spec.order_by.begin(), spec.order_by.end(), [](const ast::OrderItem& o) { return ContainsWindowFunction(*o.expr); });
  if (nested) FailAt(sqlstate::kWindowingError, "window function calls cannot be nested", e.location);
  if (e.distinct) FailAt(sqlstate::kFeatureNotSupported, "DISTINCT is not implemented for window functions", e.location);

  Window w;
  for (const auto& p : spec.partition_by) {
    plan::Expr k = BindValue(*p, binder);
    w.key += k.SerializeAsString();
    w.partition_keys.push_back(std::move(k));
  }
  w.key += '\x01';
  for (const auto& o : spec.order_by) {
    plan::SortKey k;
    *k.mutable_expr() = BindValue(*o.expr, binder);
    k.set_desc(o.desc);
    k.set_nulls_first(o.nulls_first.value_or(o.desc));
    w.key += k.SerializeAsString();
    w.order_keys.push_back(std::move(k));
  }
  if (plan::Expr composite; BindComposite(e, binder, w, &composite)) return composite;
  if (plan::Expr aggregate; BindPartitionAggregate(e, binder, w, &aggregate)) return aggregate;
  plan::WindowFunc func = BindFunction(e, binder, w);
  if (e.func_name == "avg" && FromProtoType(func.result_type()).id == TypeId::kInterval) {
    // avg(interval) = sum / count over the same frame, divided as interval / float8.
    plan::WindowFunc count = func;
    count.set_func(plan::WIN_COUNT);
    *count.mutable_result_type() = ToProtoType(SqlType::Int64());
    plan::Expr sum = AddCall(w, std::move(func), "sum");
    plan::Expr n = AddCall(w, std::move(count), "count");
    return FunctionExpr("interval_div", SqlType::Interval(), {std::move(sum), CastExpr(std::move(n), SqlType::Float64())});
  }
  return AddCall(w, std::move(func), e.func_name);
}

plan::Expr WindowBinder::AddCall(const Window& w, plan::WindowFunc func, const std::string& name) {
  std::string call_key = w.key + '\x02' + func.SerializeAsString();
  auto found = call_index_.find(call_key);
  if (found != call_index_.end()) return ColumnExpr(kPlaceholderBase + found->second, FromProtoType(func.result_type()));

  int wi = -1;
  for (size_t i = 0; i < windows_.size(); ++i) {
    if (windows_[i].key == w.key) wi = static_cast<int>(i);
  }
  if (wi < 0) {
    wi = static_cast<int>(windows_.size());
    Window fresh;
    fresh.key = w.key;
    fresh.partition_keys = w.partition_keys;
    fresh.order_keys = w.order_keys;
    windows_.push_back(std::move(fresh));
  }
  Window& win = windows_[wi];
  SqlType result = FromProtoType(func.result_type());
  win.funcs.push_back(std::move(func));
  win.names.push_back(name);
  int placeholder = static_cast<int>(calls_.size());
  calls_.push_back({wi, static_cast<int>(win.funcs.size() - 1)});
  call_index_.emplace(std::move(call_key), placeholder);
  return ColumnExpr(kPlaceholderBase + placeholder, result);
}

namespace {

// `e` with each column reference i replaced by columns[i].
void ReplaceColumns(plan::Expr* e, const std::vector<plan::Expr>& columns) {
  if (e->has_column()) {
    *e = columns.at(static_cast<size_t>(e->column()));
  } else if (e->has_call()) {
    for (auto& a : *e->mutable_call()->mutable_args()) ReplaceColumns(&a, columns);
  }
}

}  // namespace

bool WindowBinder::BindPartitionAggregate(const ast::Expr& e, ExprBinder& binder, const Window& w, plan::Expr* out) {
  const std::string& f = e.func_name;
  // count, sum, avg, min and max are window functions of their own (any frame).
  if (!IsAggregateName(f) || f == "count" || f == "sum" || f == "avg" || f == "min" || f == "max") return false;
  if (!w.order_keys.empty() || e.over->frame != ast::WindowFrame::kDefault) {
    FailAt(sqlstate::kFeatureNotSupported,
           StrCat(f, " as a window function takes only PARTITION BY (no ORDER BY or frame in its OVER clause), as in Redshift"),
           e.location);
  }
  std::vector<plan::AggSpec> aggs;
  plan::Expr result = binder.BindUngroupedAggregate(e, &aggs);
  std::vector<plan::Expr> columns;
  for (plan::AggSpec& spec : aggs) {
    plan::WindowFunc wf;
    wf.set_func(plan::WIN_AGGREGATE);
    wf.set_frame(plan::WHOLE_PARTITION);
    *wf.mutable_result_type() = spec.result_type();
    // The aggregate reads (partition ordinal, its argument[, its order key]).
    if (spec.has_arg()) {
      plan::Expr arg = spec.arg();
      *spec.mutable_arg() = ColumnExpr(1 + wf.args_size(), ExprType(arg));
      *wf.add_args() = std::move(arg);
    }
    if (spec.has_order_arg()) {
      plan::Expr key = spec.order_arg();
      *spec.mutable_order_arg() = ColumnExpr(1 + wf.args_size(), ExprType(key));
      *wf.add_args() = std::move(key);
    }
    *wf.mutable_aggregate() = std::move(spec);
    columns.push_back(AddCall(w, std::move(wf), f));
  }
  ReplaceColumns(&result, columns);
  *out = std::move(result);
  return true;
}

bool WindowBinder::BindComposite(const ast::Expr& e, ExprBinder& binder, const Window& w, plan::Expr* out) {
  const std::string& f = e.func_name;
  if (f != "percent_rank" && f != "cume_dist" && f != "ntile" && f != "ratio_to_report") return false;
  const bool ordered = !e.over->order_by.empty();
  const size_t want = f == "ntile" || f == "ratio_to_report" ? 1 : 0;
  if (e.args.size() != want) {
    FailAt(sqlstate::kUndefinedFunction, StrCat("function ", f, " with ", e.args.size(), " arguments does not exist"), e.location);
  }
  // percent_rank, cume_dist and ntile ignore the frame, as in PostgreSQL.
  const SqlType i64 = SqlType::Int64(), d = SqlType::Float64(), b = SqlType::Bool();
  auto func = [&](plan::WindowFuncKind kind, plan::WindowFrame frame, const SqlType& type) {
    plan::WindowFunc wf;
    wf.set_func(kind);
    wf.set_frame(frame);
    *wf.mutable_result_type() = ToProtoType(type);
    return wf;
  };
  // The partition's size: count(*) over the whole partition.
  plan::Expr rows = AddCall(w, func(plan::WIN_COUNT_STAR, plan::WHOLE_PARTITION, i64), "count");
  if (f == "percent_rank") {
    // (rank - 1) / (rows - 1), 0 for a partition of one row.
    plan::Expr rank = AddCall(w, func(plan::WIN_RANK, plan::RANGE_TO_CURRENT, i64), "rank");
    plan::Expr one = Int64Literal(1, i64);
    *out = CallExpr(plan::CASE, d, {CallExpr(plan::GT, b, {rows, one}),
                                    CallExpr(plan::DIV, d, {CastExpr(CallExpr(plan::SUB, i64, {rank, one}), d),
                                                            CastExpr(CallExpr(plan::SUB, i64, {rows, one}), d)}),
                                    CastExpr(Int64Literal(0, i64), d)});
    return true;
  }
  if (f == "cume_dist") {
    // Rows up to the current row's last peer over the partition's rows.
    plan::Expr upto = AddCall(w, func(plan::WIN_COUNT_STAR, ordered ? plan::RANGE_TO_CURRENT : plan::WHOLE_PARTITION, i64), "count");
    *out = CallExpr(plan::DIV, d, {CastExpr(upto, d), CastExpr(rows, d)});
    return true;
  }
  if (f == "ratio_to_report") {
    // Redshift's value / sum of the partition's values (NULL when that sum is 0).
    if (ordered) FailAt(sqlstate::kWindowingError, "ratio_to_report does not take ORDER BY", e.location);
    plan::Expr value = binder.Bind(*e.args[0]);
    if (!ExprType(value).is_numeric()) {
      FailAt(sqlstate::kUndefinedFunction, StrCat("function ratio_to_report(", ExprType(value).ToString(), ") does not exist"), e.location);
    }
    plan::Expr x = CoerceTo(std::move(value), d);
    plan::WindowFunc sum = func(plan::WIN_SUM, plan::WHOLE_PARTITION, d);
    *sum.add_args() = x;
    plan::Expr total = AddCall(w, std::move(sum), "sum");
    plan::Expr zero = CastExpr(Int64Literal(0, i64), d);
    *out = CallExpr(plan::CASE, d, {CallExpr(plan::EQ, b, {total, zero}), NullLiteral(d), CallExpr(plan::DIV, d, {x, total})});
    return true;
  }
  // ntile(k): k buckets of sizes differing by at most one, the larger ones first.
  plan::Expr k = binder.Bind(*e.args[0]);
  while (k.has_call() && k.call().op() == plan::CAST && k.call().args_size() == 1) k = plan::Expr(k.call().args(0));
  if (!k.has_literal() || k.literal().is_null() || !ExprType(k).is_integer()) {
    FailAt(sqlstate::kFeatureNotSupported, "ntile needs a constant number of buckets", e.args[0]->location);
  }
  int64_t buckets = k.literal().i64();
  if (buckets <= 0) FailAt(sqlstate::kInvalidArgumentForNtile, "argument of ntile must be greater than zero", e.args[0]->location);
  plan::Expr rn = AddCall(w, func(plan::WIN_ROW_NUMBER, plan::ROWS_TO_CURRENT, i64), "row_number");
  plan::Expr n = Int64Literal(buckets, i64);
  plan::Expr one = Int64Literal(1, i64);
  plan::Expr q = CallExpr(plan::DIV, i64, {rows, n});                       // rows per small bucket
  plan::Expr r = CallExpr(plan::MOD, i64, {rows, n});                       // buckets with one more
  plan::Expr big = CallExpr(plan::MUL, i64, {r, CallExpr(plan::ADD, i64, {q, one})});  // rows in them
  plan::Expr rn0 = CallExpr(plan::SUB, i64, {rn, one});
  plan::Expr in_big = CallExpr(plan::ADD, i64, {CallExpr(plan::DIV, i64, {rn0, CallExpr(plan::ADD, i64, {q, one})}), one});
  plan::Expr in_small = CallExpr(plan::ADD, i64, {CallExpr(plan::ADD, i64, {r, CallExpr(plan::DIV, i64, {CallExpr(plan::SUB, i64, {rn0, big}), q})}), one});
  *out = CastExpr(CallExpr(plan::CASE, i64, {CallExpr(plan::LE, b, {rn, big}), in_big, in_small}), SqlType::Int32());
  return true;
}

void WindowBinder::VisitExprs(const std::function<void(plan::Expr*)>& fn) {
  for (auto& w : windows_) {
    for (auto& k : w.partition_keys) fn(&k);
    for (auto& k : w.order_keys) fn(k.mutable_expr());
    for (auto& f : w.funcs) for (auto& a : *f.mutable_args()) fn(&a);
  }
}

namespace {

void RemapWindowPlaceholders(plan::Expr* e, const std::vector<int>& columns) {
  if (e->has_column()) {
    int c = e->column();
    if (c >= WindowBinder::kPlaceholderBase && c < SetReturningBinder::kPlaceholderBase) {
      e->set_column(columns.at(c - WindowBinder::kPlaceholderBase));
    }
  } else if (e->has_call()) {
    for (auto& a : *e->mutable_call()->mutable_args()) RemapWindowPlaceholders(&a, columns);
  }
}

}  // namespace

void WindowBinder::Attach(LogicalPtr* node, std::vector<plan::Expr>* exprs) {
  std::vector<int> first_column(windows_.size());
  for (size_t i = 0; i < windows_.size(); ++i) {
    Window& w = windows_[i];
    auto n = std::make_unique<LogicalNode>();
    n->kind = LogicalKind::kWindow;
    n->columns = (*node)->columns;
    n->estimated_rows = (*node)->estimated_rows;
    first_column[i] = static_cast<int>(n->columns.size());
    for (size_t f = 0; f < w.funcs.size(); ++f) n->columns.push_back({w.names[f], FromProtoType(w.funcs[f].result_type())});
    n->partition_keys = std::move(w.partition_keys);
    n->sort_keys = std::move(w.order_keys);
    n->window_funcs = std::move(w.funcs);
    n->children.push_back(std::move(*node));
    *node = std::move(n);
  }
  std::vector<int> columns;
  for (const Call& c : calls_) columns.push_back(first_column[c.window] + c.func);
  for (auto& e : *exprs) RemapWindowPlaceholders(&e, columns);
  windows_.clear();
  calls_.clear();
  call_index_.clear();
}

}  // namespace strata
