#include "executor/basic_operators.h"

#include "executor/exchange_inbox.h"
#include "executor/expression.h"
#include "planner/expr_builder.h"
#include "sql/error.h"
#include "storage/manifest_store.h"
#include "storage/slice_reader.h"
#include "storage/zone_map.h"

namespace strata {

namespace {

class ValuesOperator : public Operator {
 public:
  explicit ValuesOperator(const plan::Values& spec) : spec_(spec) {}
  bool Next(Batch* out) override {
    if (done_) return false;
    done_ = true;
    std::vector<SqlType> types;
    for (const auto& t : spec_.types()) types.push_back(FromProtoType(t));
    *out = Batch(types);
    for (const auto& row : spec_.rows()) {
      for (int c = 0; c < row.values_size(); ++c) {
        Vector v = EvaluateConstant(row.values(c));
        out->columns[c].AppendAll(v);
      }
    }
    out->rows = spec_.rows_size();
    return true;
  }

 private:
  const plan::Values& spec_;
  bool done_ = false;
};

class FilterOperator : public Operator {
 public:
  FilterOperator(const plan::Expr& pred, OperatorPtr input) : pred_(pred), input_(std::move(input)) {}
  bool Next(Batch* out) override {
    Batch in;
    while (input_->Next(&in)) {
      if (in.rows == 0) continue;
      size_t n = EvaluatePredicate(pred_, in, &sel_);
      if (n == 0) continue;
      if (n == in.rows) { *out = std::move(in); return true; }
      *out = Batch(in.Types());
      out->AppendSelected(in, sel_.data(), n);
      return true;
    }
    return false;
  }

 private:
  ExpressionEvaluator pred_;
  OperatorPtr input_;
  std::vector<uint32_t> sel_;
};

class ProjectOperator : public Operator {
 public:
  ProjectOperator(const plan::Project& spec, OperatorPtr input) : input_(std::move(input)) {
    for (const auto& e : spec.exprs()) exprs_.push_back(std::make_unique<ExpressionEvaluator>(e));
  }
  bool Next(Batch* out) override {
    Batch in;
    while (input_->Next(&in)) {
      if (in.rows == 0) continue;
      out->columns.resize(exprs_.size());
      for (size_t i = 0; i < exprs_.size(); ++i) {
        out->columns[i] = Vector();
        exprs_[i]->Evaluate(in, &out->columns[i]);
      }
      out->rows = in.rows;
      return true;
    }
    return false;
  }

 private:
  OperatorPtr input_;
  std::vector<std::unique_ptr<ExpressionEvaluator>> exprs_;
};

class ExchangeSourceOperator : public Operator {
 public:
  ExchangeSourceOperator(std::vector<std::shared_ptr<const Batch>> batches) : batches_(std::move(batches)) {}
  bool Next(Batch* out) override {
    while (pos_ < batches_.size()) {
      const Batch& b = *batches_[pos_++];
      if (b.rows == 0) continue;
      *out = Batch(b.Types());
      out->AppendAll(b);
      return true;
    }
    return false;
  }

 private:
  std::vector<std::shared_ptr<const Batch>> batches_;
  size_t pos_ = 0;
};



bool ToZonePredicate(const plan::Expr& e, const plan::Scan& scan, ZonePredicate* out) {
  if (!e.has_call() || e.call().args_size() != 2) return false;
  plan::Op op = e.call().op();
  const plan::Expr* col = &e.call().args(0);
  const plan::Expr* lit = &e.call().args(1);
  bool flipped = false;
  if (!col->has_column()) { std::swap(col, lit); flipped = true; }
  if (!col->has_column() || !lit->has_literal() || lit->literal().is_null()) return false;
  using C = ZonePredicate::Cmp;
  C cmp;
  switch (op) {
    case plan::EQ: cmp = C::kEq; break;
    case plan::LT: cmp = flipped ? C::kGt : C::kLt; break;
    case plan::LE: cmp = flipped ? C::kGe : C::kLe; break;
    case plan::GT: cmp = flipped ? C::kLt : C::kGt; break;
    case plan::GE: cmp = flipped ? C::kLe : C::kGe; break;
    default: return false;
  }
  SqlType ct = FromProtoType(scan.types(col->column()));
  if (ct != FromProtoType(lit->type()) && !(ct.is_string() && FromProtoType(lit->type()).is_string())) return false;
  out->column = col->column();
  out->cmp = cmp;
  const auto& l = lit->literal();
  out->i64 = l.i64();
  out->f64 = l.f64();
  out->str = l.str();
  out->i128 = 0;
  if (l.i128().size() == sizeof(int128)) std::memcpy(&out->i128, l.i128().data(), sizeof(int128));
  if (ct.physical() == PhysicalType::kInt64 || ct.physical() == PhysicalType::kInt32 || ct.physical() == PhysicalType::kInt16) {
    out->i128 = out->i64;
  }
  return true;
}

}  // namespace

OperatorPtr MakeValues(const plan::Values& spec) { return std::make_unique<ValuesOperator>(spec); }

OperatorPtr MakeFilter(const plan::Expr& predicate, OperatorPtr input) {
  return std::make_unique<FilterOperator>(predicate, std::move(input));
}

OperatorPtr MakeProject(const plan::Project& spec, OperatorPtr input) {
  return std::make_unique<ProjectOperator>(spec, std::move(input));
}

OperatorPtr MakeExchangeSource(const plan::ExchangeSource& spec, const ExecContext& ctx) {
  if (ctx.inbox == nullptr) return std::make_unique<EmptyOperator>();
  return std::make_unique<ExchangeSourceOperator>(ctx.inbox->Get(spec.exchange_id(), ctx.slice));
}

OperatorPtr MakeScan(const plan::Scan& spec, const std::vector<const plan::Expr*>& pushed, const ExecContext& ctx) {
  if (ctx.slice < 0 || ctx.manifests == nullptr) {
    STRATA_INTERNAL_ERROR("a table scan must run on a compute node");
  }
  int slice = ctx.slice;
  if (spec.one_copy() && slice != 0) return std::make_unique<EmptyOperator>();
  if (spec.node_copy() || spec.one_copy()) slice = (slice / ctx.slices_per_node) * ctx.slices_per_node;
  auto it = spec.manifest_by_slice().find(slice);
  if (it == spec.manifest_by_slice().end() || it->second.empty()) return std::make_unique<EmptyOperator>();
  auto manifest = ctx.manifests->Get(it->second);
  std::vector<int> columns(spec.columns().begin(), spec.columns().end());
  std::vector<SqlType> types;
  for (const auto& t : spec.types()) types.push_back(FromProtoType(t));
  std::vector<ZonePredicate> preds;
  for (const plan::Expr* e : pushed) {
    ZonePredicate p;
    if (ToZonePredicate(*e, spec, &p)) preds.push_back(p);
  }
  auto reader = std::make_unique<SliceReader>(ctx.blocks, manifest, columns, types, preds);
  return std::make_unique<ReaderOperator<SliceReader>>(std::move(reader), ctx);
}

}  // namespace strata
