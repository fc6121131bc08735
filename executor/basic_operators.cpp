#include "executor/basic_operators.h"

#include "executor/scan_stats.h"
#include "executor/exchange_inbox.h"
#include "executor/expression.h"
#include "executor/row_hash.h"
#include "executor/runtime_filter.h"
#include "planner/expr_builder.h"
#include "sql/error.h"
#include "sql/interval_time.h"
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
  FilterOperator(const plan::Expr& pred, OperatorPtr input, plan::ScanStat* scan)
      : pred_(pred), input_(std::move(input)), scan_(scan) {}
  bool Next(Batch* out) override {
    Batch in;
    while (input_->Next(&in)) {
      if (in.rows == 0) continue;
      size_t n = EvaluatePredicate(pred_, in, &sel_);
      if (scan_) scan_->set_rows(scan_->rows() + static_cast<int64_t>(n));
      if (n == 0) continue;
      if (n == in.rows) { *out = std::move(in); return true; }
      *out = Batch(in.Types());
      out->AppendSelected(in, sel_.data(), n);
      return true;
    }
    return false;
  }
  bool PushRuntimeFilter(int column, const std::shared_ptr<const RuntimeFilter>& f) override {
    return input_->PushRuntimeFilter(column, f);
  }

 private:
  ExpressionEvaluator pred_;
  OperatorPtr input_;
  plan::ScanStat* scan_;  // the scan's statistics when this filter is the scan's pushed filter
  std::vector<uint32_t> sel_;
};

// A scan of a table's blocks on one slice; keeps its ScanStat up to date as it reads.
class TableScanOperator : public Operator {
 public:
  TableScanOperator(std::unique_ptr<SliceReader> reader, const ExecContext& ctx, plan::ScanStat* stat,
                    bool filtered)
      : reader_(std::move(reader)), ctx_(ctx), stat_(stat), filtered_(filtered) {}
  bool Next(Batch* out) override {
    ctx_.CheckCancelled();
    bool more = false;
    // With runtime filters, the reader reads their columns first and the others for the rows
    // they keep (SliceReader::NextFiltered): Q17's 0.13 % of lineitem skips most AZ64 groups.
    std::vector<int> filter_columns;
    if (!runtime_filters_.empty()) filter_columns = runtime_filters_.columns();
    auto keep = [this](const Batch& partial, std::vector<uint32_t>* sel) { return runtime_filters_.Select(partial, sel); };
    while (filter_columns.empty() ? reader_->Next(out) : reader_->NextFiltered(out, filter_columns, keep)) {
      if (out->rows == 0) {
        ctx_.CheckCancelled();  // a filter may drop batch after batch: cancel is still honoured
        continue;
      }
      more = true;
      break;
    }
    if (ctx_.rows_scanned != nullptr) {
      const int64_t pre = reader_->rows_pre_filter();
      ctx_.rows_scanned->fetch_add(pre - counted_, std::memory_order_relaxed);
      counted_ = pre;
    }
    if (stat_) {
      if (!filtered_) stat_->set_rows(reader_->rows_returned() - runtime_filters_.dropped());
      stat_->set_rows_pre_filter(reader_->rows_pre_filter());
      stat_->set_blocks_read(reader_->blocks_read());
      stat_->set_bytes_scanned(reader_->bytes_read());
      stat_->set_blocks_skipped(reader_->blocks_skipped());
    }
    return more;
  }

 private:
  std::unique_ptr<SliceReader> reader_;
  const ExecContext& ctx_;
  plan::ScanStat* stat_;
  bool filtered_;
  int64_t counted_ = 0;  // rows already added to ctx_.rows_scanned
  RuntimeFilterSet runtime_filters_;

 public:
  bool PushRuntimeFilter(int column, const std::shared_ptr<const RuntimeFilter>& f) override {
    if (column < 0) return false;
    runtime_filters_.Add(column, f);
    return true;
  }
};

class ProjectOperator : public Operator {
 public:
  ProjectOperator(const plan::Project& spec, OperatorPtr input) : input_(std::move(input)) {
    for (const auto& e : spec.exprs()) {
      exprs_.push_back(std::make_unique<ExpressionEvaluator>(e));
      column_of_.push_back(e.has_column() ? e.column() : -1);
    }
    // A plain reference takes the input column itself when no later plain reference reads it
    // (references are filled after every computed column has read its inputs).
    move_.assign(column_of_.size(), false);
    for (size_t i = 0; i < column_of_.size(); ++i) {
      if (column_of_[i] < 0) continue;
      move_[i] = true;
      for (size_t j = i + 1; j < column_of_.size(); ++j) move_[i] = move_[i] && column_of_[j] != column_of_[i];
    }
  }
  // Output column `column` is input column column_of_[column] when it is a plain reference.
  bool PushRuntimeFilter(int column, const std::shared_ptr<const RuntimeFilter>& f) override {
    if (column < 0 || column >= static_cast<int>(column_of_.size()) || column_of_[column] < 0) return false;
    return input_->PushRuntimeFilter(column_of_[column], f);
  }
  bool Next(Batch* out) override {
    Batch in;
    while (input_->Next(&in)) {
      if (in.rows == 0) continue;
      out->columns.resize(exprs_.size());
      for (size_t i = 0; i < exprs_.size(); ++i) {
        if (column_of_[i] >= 0) continue;
        out->columns[i] = Vector();
        exprs_[i]->Evaluate(in, &out->columns[i]);
      }
      for (size_t i = 0; i < exprs_.size(); ++i) {
        if (column_of_[i] < 0) continue;
        Vector scratch;
        const Vector& checked = exprs_[i]->EvaluateShared(in, &scratch);  // range and type checked
        if (move_[i] && &checked == &in.columns[static_cast<size_t>(column_of_[i])]) {
          out->columns[i] = std::move(in.columns[static_cast<size_t>(column_of_[i])]);
        } else {
          out->columns[i] = checked;
        }
        out->columns[i].SetType(exprs_[i]->type());
      }
      out->rows = in.rows;
      return true;
    }
    return false;
  }

 private:
  OperatorPtr input_;
  std::vector<std::unique_ptr<ExpressionEvaluator>> exprs_;
  std::vector<int> column_of_;
  std::vector<bool> move_;  // parallel to column_of_: the reference may take the input column
};

// Reads an exchange's batches for this slice from the query's inbox, one at a time (those
// the inbox spilled are read back from its files as they are reached); a live reader waits for
// batches still being produced. A hash join above whose probe rows come from here drops those
// its runtime filter rules out as they arrive, before the join hashes and probes them (TPC-H
// Q22: 1.5M redistributed orders meet 42k customers).
class ExchangeSourceOperator : public Operator {
 public:
  ExchangeSourceOperator(std::unique_ptr<ExchangeInbox::Reader> reader, const ExecContext& ctx)
      : reader_(std::move(reader)), ctx_(ctx) {}
  bool Next(Batch* out) override {
    while (true) {
      ctx_.CheckCancelled();
      if (!reader_->Next(out)) return false;
      if (out->rows == 0) continue;
      if (!runtime_filters_.empty() && !runtime_filters_.Apply(out)) continue;
      return true;
    }
  }
  bool PushRuntimeFilter(int column, const std::shared_ptr<const RuntimeFilter>& f) override {
    if (column < 0) return false;
    runtime_filters_.Add(column, f);
    return true;
  }

 private:
  std::unique_ptr<ExchangeInbox::Reader> reader_;
  const ExecContext& ctx_;
  RuntimeFilterSet runtime_filters_;
};



bool ToZonePredicate(const plan::Expr& e, const plan::Scan& scan, ZonePredicate* out) {
  if (e.has_call() && e.call().op() == plan::IS_NULL && e.call().args_size() == 1 && e.call().args(0).has_column()) {
    out->column = e.call().args(0).column();
    out->cmp = ZonePredicate::Cmp::kIsNull;
    return true;
  }
  if (e.has_call() && e.call().op() == plan::IN_LIST && e.call().args_size() >= 2) {
    // x IN (c1, c2, ...): a block may match when any x = ci may.
    out->cmp = ZonePredicate::Cmp::kAnyOf;
    out->any_of.clear();
    for (int i = 1; i < e.call().args_size(); ++i) {
      plan::Expr eq;
      *eq.mutable_type() = e.type();
      eq.mutable_call()->set_op(plan::EQ);
      *eq.mutable_call()->add_args() = e.call().args(0);
      *eq.mutable_call()->add_args() = e.call().args(i);
      ZonePredicate one;
      if (!ToZonePredicate(eq, scan, &one)) return false;
      out->column = one.column;
      out->any_of.push_back(std::move(one));
    }
    return true;
  }
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
  if (ct.id == TypeId::kInterval) {
    // Intervals compare by span; the packed values of one span fill [lo, hi] (sql/interval_time.h),
    // so a range test on the span is a range test on packed values. Equality spans a range: no test.
    if (cmp == C::kEq) return false;
    const int128 span = static_cast<int128>(IntervalSpan(out->i128)) * (static_cast<int128>(1) << 64);
    const int128 lo = span - (static_cast<int128>(1) << 63), hi = span + ((static_cast<int128>(1) << 63) - 1);
    out->i128 = cmp == C::kLt || cmp == C::kGe ? lo : hi;
  }
  return true;
}

}  // namespace

OperatorPtr MakeValues(const plan::Values& spec) { return std::make_unique<ValuesOperator>(spec); }

OperatorPtr MakeFilter(const plan::Expr& predicate, OperatorPtr input, plan::ScanStat* scan) {
  return std::make_unique<FilterOperator>(predicate, std::move(input), scan);
}

OperatorPtr MakeProject(const plan::Project& spec, OperatorPtr input) {
  return std::make_unique<ProjectOperator>(spec, std::move(input));
}

OperatorPtr MakeExchangeSource(const plan::ExchangeSource& spec, const ExecContext& ctx) {
  if (ctx.inbox == nullptr) return std::make_unique<EmptyOperator>();
  if (ctx.live_exchanges != nullptr) {
    auto it = ctx.live_exchanges->find(spec.exchange_id());
    if (it != ctx.live_exchanges->end()) {
      return std::make_unique<ExchangeSourceOperator>(
          ctx.inbox->ReadLive(spec.exchange_id(), ctx.slice, it->second, ctx.cancelled), ctx);
    }
  }
  return std::make_unique<ExchangeSourceOperator>(ctx.inbox->Read(spec.exchange_id(), ctx.slice), ctx);
}

// The slice that holds every row whose DISTKEY column (scan column `key`) passes `e`, when `e`
// pins it to one non-NULL value of the column's type (key = constant); -1 otherwise.
int SliceOfPinnedKey(const plan::Expr& e, const plan::Scan& scan, int key, int total_slices) {
  if (!e.has_call() || e.call().op() != plan::EQ || e.call().args_size() != 2 || total_slices <= 0) return -1;
  const plan::Expr* col = &e.call().args(0);
  const plan::Expr* lit = &e.call().args(1);
  if (!col->has_column()) std::swap(col, lit);
  if (!col->has_column() || col->column() != key || !lit->has_literal() || lit->literal().is_null()) return -1;
  SqlType ct = FromProtoType(scan.types(key));
  SqlType lt = FromProtoType(lit->type());
  // Equal values of one type hash equally (executor/row_hash.h); across types only the integer
  // widths are known to.
  if (ct != lt && !(ct.is_integer() && lt.is_integer())) return -1;
  Vector v = EvaluateConstant(*lit);
  std::vector<uint64_t> h;
  HashRows({&v}, 1, &h);
  return static_cast<int>(h[0] % static_cast<uint64_t>(total_slices));
}

namespace {

// The slice the scan's pushed conjuncts pin its DISTKEY column to, or -1.
int PinnedSlice(const plan::Scan& spec, const std::vector<const plan::Expr*>& pushed, int total_slices) {
  if (spec.distkey_position() <= 0 || spec.distkey_position() > spec.types_size() || spec.node_copy() ||
      spec.one_copy() || spec.every_copy()) {
    return -1;
  }
  for (const plan::Expr* e : pushed) {
    int owner = SliceOfPinnedKey(*e, spec, spec.distkey_position() - 1, total_slices);
    if (owner >= 0) return owner;
  }
  return -1;
}

// Walks single-input operators down to the stage's leaf; -1 unless it is a pinned table scan.
int PinnedSliceBelow(const plan::Operator& op, int total_slices) {
  switch (op.kind_case()) {
    case plan::Operator::kFilter: {
      const auto& f = op.filter();
      if (f.input().has_scan()) {
        std::vector<const plan::Expr*> conj;
        ConjunctsOf(f.predicate(), &conj);
        return PinnedSlice(f.input().scan(), conj, total_slices);
      }
      return PinnedSliceBelow(f.input(), total_slices);
    }
    case plan::Operator::kProject: return PinnedSliceBelow(op.project().input(), total_slices);
    case plan::Operator::kLimit: return PinnedSliceBelow(op.limit().input(), total_slices);
    case plan::Operator::kSort: return PinnedSliceBelow(op.sort().input(), total_slices);
    case plan::Operator::kAggregate: return PinnedSliceBelow(op.aggregate().input(), total_slices);
    default: return -1;
  }
}

}  // namespace

int PinnedSliceOfStage(const plan::Operator& root, int total_slices) { return PinnedSliceBelow(root, total_slices); }

OperatorPtr MakeScan(const plan::Scan& spec, const std::vector<const plan::Expr*>& pushed, const ExecContext& ctx,
                     plan::ScanStat** stat_out) {
  if (ctx.slice < 0 || ctx.manifests == nullptr) {
    STRATA_INTERNAL_ERROR("a table scan must run on a compute node");
  }
  int slice = ctx.slice;
  if (spec.one_copy() && slice != 0) return std::make_unique<EmptyOperator>();
  if (spec.every_copy() && slice != ctx.FirstSliceOf(ctx.NodeOf(slice))) return std::make_unique<EmptyOperator>();
  if (spec.node_copy() || spec.one_copy()) slice = ctx.FirstSliceOf(ctx.NodeOf(slice));
  // WHERE distkey = constant: the rows are on one slice; the others skip the table unread.
  if (int owner = PinnedSlice(spec, pushed, ctx.total_slices); owner >= 0 && owner != slice) {
    return std::make_unique<EmptyOperator>();
  }
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
  if (spec.sample_rows() > 0) reader->KeepSample(spec.sample_rows());
  reader->set_names(spec.table_name(), std::vector<std::string>(spec.column_names().begin(), spec.column_names().end()));
  plan::ScanStat* stat = nullptr;
  // A node_copy scan reads another slice's copy once per slice: not a scan of its own.
  if (ctx.scan_stats != nullptr && !spec.node_copy()) {
    stat = ctx.scan_stats->Add();
    stat->set_slice(ctx.slice);
    stat->set_table_id(spec.table_id());
    stat->set_table_name(spec.table_name());
    stat->set_stage(ctx.stage);
    stat->set_rows_pre_filter(reader->rows_pre_filter());
    stat->set_blocks_skipped(reader->blocks_skipped());
  }
  if (stat_out) *stat_out = stat;
  return std::make_unique<TableScanOperator>(std::move(reader), ctx, stat, stat_out != nullptr);
}

}  // namespace strata
