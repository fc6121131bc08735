// Window functions (see window_operator.h): the partition-at-a-time streaming around the typed
// per-function passes.
#include "executor/window_operator.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <type_traits>

#include "executor/expression.h"
#include "executor/hash_aggregate.h"
#include "executor/memory_budget.h"
#include "executor/window_frame.h"
#include "planner/expr_builder.h"
#include "sql/error.h"
#include "sql/interval_time.h"
#include "sql/value_text.h"

namespace strata {

namespace {

// Sets flags[i] = 1 where row i's value differs from row i-1's (NULLs equal each other; CHAR
// ignores trailing blanks; NaN equals NaN, as in PostgreSQL's sort order).
void MarkChanges(const Vector& v, std::vector<uint8_t>* flags) {
  size_t n = v.size();
  const uint8_t* nulls = v.nulls();
  uint8_t* f = flags->data();
  bool is_char = v.type().id == TypeId::kChar;
  bool is_interval = v.type().id == TypeId::kInterval;  // peers by span, as ORDER BY sorts them
  DispatchPhysical(v.physical(), [&]<typename T>() {
    const T* d = v.data<T>();
    for (size_t i = 1; i < n; ++i) {
      if (nulls[i] != nulls[i - 1]) { f[i] = 1; continue; }
      if (nulls[i]) continue;
      bool same;
      if constexpr (std::is_same_v<T, std::string_view>) {
        same = is_char ? TrimTrailingBlanks(d[i]) == TrimTrailingBlanks(d[i - 1]) : d[i] == d[i - 1];
      } else if constexpr (std::is_floating_point_v<T>) {
        same = d[i] == d[i - 1] || (std::isnan(d[i]) && std::isnan(d[i - 1]));
      } else if constexpr (std::is_same_v<T, int128>) {
        same = is_interval ? IntervalSpan(d[i]) == IntervalSpan(d[i - 1]) : d[i] == d[i - 1];
      } else {
        same = d[i] == d[i - 1];
      }
      if (!same) f[i] = 1;
    }
  });
}

// True when row i of `a` equals row j of `b` by MarkChanges' rule.
bool SameValue(const Vector& a, size_t i, const Vector& b, size_t j) {
  if (a.IsNull(i) != b.IsNull(j)) return false;
  if (a.IsNull(i)) return true;
  bool is_char = a.type().id == TypeId::kChar;
  bool is_interval = a.type().id == TypeId::kInterval;
  return DispatchPhysical(a.physical(), [&]<typename T>() -> bool {
    const T x = a.data<T>()[i];
    const T y = b.data<T>()[j];
    if constexpr (std::is_same_v<T, std::string_view>) {
      return is_char ? TrimTrailingBlanks(x) == TrimTrailingBlanks(y) : x == y;
    } else if constexpr (std::is_floating_point_v<T>) {
      return x == y || (std::isnan(x) && std::isnan(y));
    } else if constexpr (std::is_same_v<T, int128>) {
      return is_interval ? IntervalSpan(x) == IntervalSpan(y) : x == y;
    } else {
      return x == y;
    }
  });
}

// a < b as ORDER BY compares: NaN above every other float (as PostgreSQL orders it).
template <typename T>
inline bool SortLess(const T& a, const T& b) {
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(a)) return false;
    if (std::isnan(b)) return true;
  }
  return a < b;
}

[[noreturn]] void Overflow(const char* what) { throw SqlError(sqlstate::kNumericValueOutOfRange, what); }

inline int128 RoundDiv(int128 a, int128 b) {
  int128 q = a / b, r = a % b;
  if (r != 0 && (r < 0 ? -r : r) * 2 >= (b < 0 ? -b : b)) q += ((a < 0) != (b < 0)) ? -1 : 1;
  return q;
}

// The state of a partition that continues into the next chunk (a partition larger than the
// window may hold is computed in pieces that end at peer-group boundaries).
struct Carry {
  int128 i = 0;
  double d = 0;
  int64_t count = 0;
  bool has = false;
  std::string s;          // a string MIN / MAX so far
  std::string_view sv;    // s copied into the current result's heap (set before Load)
  int64_t rows = 0;       // ranks: the partition's rows in earlier chunks
  int64_t rank = 0, dense = 0;
  Vector first;           // first_value: the partition's first value (one row, own heap)
};

// Running aggregate states. Each has Reset() (a partition starts), Add(row) (the row enters
// the frame), Write(row) (the row's result is the current state), and Load / Save of the state
// carried between the chunks of one partition. Exact ones (kInvertible) also have Remove(row)
// (the row leaves a sliding frame); float sums are recomputed instead, as PostgreSQL does, so
// that a large value leaving the frame cannot take the small ones' digits with it.
struct CountAcc {
  static constexpr bool kInvertible = true;
  const uint8_t* nulls;  // nullptr: COUNT(*)
  int64_t* out;
  int64_t count = 0;
  void Reset() { count = 0; }
  void Add(size_t i) { count += nulls == nullptr || !nulls[i]; }
  void Remove(size_t i) { count -= nulls == nullptr || !nulls[i]; }
  void Write(size_t i) { out[i] = count; }
  void Load(const Carry& c) { count = c.count; }
  void Save(Carry* c) const { c->count = count; }
};

// SUM of T values into a result of physical type R.
template <typename T, typename R>
struct SumAcc {
  static constexpr bool kInvertible = !std::is_floating_point_v<T>;
  using State = std::conditional_t<std::is_floating_point_v<T>, double, int128>;
  const T* in;
  const uint8_t* in_nulls;
  R* out;
  uint8_t* out_nulls;
  State sum = 0;
  bool has = false;
  int64_t values = 0;  // non-NULL values in a sliding frame
  void Reset() { sum = 0; has = false; values = 0; }
  void Add(size_t i) {
    if (in_nulls[i]) return;
    if constexpr (std::is_floating_point_v<T>) {
      sum += in[i];
    } else if (__builtin_add_overflow(sum, static_cast<int128>(in[i]), &sum)) {
      Overflow("numeric field overflow");
    }
    has = true;
    ++values;
  }
  void Remove(size_t i) {
    if (in_nulls[i]) return;
    if constexpr (!std::is_floating_point_v<T>) sum -= static_cast<int128>(in[i]);
    has = --values > 0;
  }
  void Write(size_t i) {
    out_nulls[i] = !has;
    if (!has) return;
    if constexpr (std::is_same_v<R, int64_t>) {
      if (sum > INT64_MAX || sum < INT64_MIN) Overflow("bigint out of range");
    }
    out[i] = static_cast<R>(sum);
  }
  void Load(const Carry& c) {
    if constexpr (std::is_floating_point_v<T>) sum = c.d; else sum = c.i;
    has = c.has;
  }
  void Save(Carry* c) const {
    if constexpr (std::is_floating_point_v<T>) c->d = sum; else c->i = sum;
    c->has = has;
  }
};

// AVG: a DOUBLE of float input, or a DECIMAL(38, out_scale) of DECIMAL(p, in_scale) input.
template <typename T>
struct AvgAcc {
  using State = std::conditional_t<std::is_floating_point_v<T>, double, int128>;
  using R = std::conditional_t<std::is_floating_point_v<T>, double, int128>;
  const T* in;
  const uint8_t* in_nulls;
  R* out;
  uint8_t* out_nulls;
  static constexpr bool kInvertible = !std::is_floating_point_v<T>;
  int scale_up = 0;  // out_scale - in_scale
  State sum = 0;
  int64_t count = 0;
  void Reset() { sum = 0; count = 0; }
  void Remove(size_t i) {
    if (in_nulls[i]) return;
    if constexpr (!std::is_floating_point_v<T>) sum -= static_cast<int128>(in[i]);
    --count;
  }
  void Add(size_t i) {
    if (in_nulls[i]) return;
    if constexpr (std::is_floating_point_v<T>) {
      sum += in[i];
    } else if (__builtin_add_overflow(sum, static_cast<int128>(in[i]), &sum)) {
      Overflow("numeric field overflow");
    }
    ++count;
  }
  void Write(size_t i) {
    out_nulls[i] = count == 0;
    if (count == 0) return;
    if constexpr (std::is_floating_point_v<T>) {
      out[i] = sum / static_cast<double>(count);
    } else {
      int128 scaled;
      if (__builtin_mul_overflow(sum, Pow10(scale_up), &scaled)) {
        long double q = static_cast<long double>(sum) / count;
        out[i] = static_cast<int128>(q * static_cast<long double>(Pow10(scale_up)));
      } else {
        out[i] = RoundDiv(scaled, count);
      }
    }
  }
  void Load(const Carry& c) {
    if constexpr (std::is_floating_point_v<T>) sum = c.d; else sum = c.i;
    count = c.count;
  }
  void Save(Carry* c) const {
    if constexpr (std::is_floating_point_v<T>) c->d = sum; else c->i = sum;
    c->count = count;
  }
};

// MIN / MAX: the result shares the argument's string heaps, so strings are copied as views.
template <typename T, bool kMin>
struct ExtremeAcc {
  const T* in;
  const uint8_t* in_nulls;
  T* out;
  uint8_t* out_nulls;
  T best{};
  bool has = false;
  void Reset() { has = false; }
  void Add(size_t i) {
    if (in_nulls[i]) return;
    if (!has || (kMin ? SortLess(in[i], best) : SortLess(best, in[i]))) best = in[i];
    has = true;
  }
  void Write(size_t i) {
    out_nulls[i] = !has;
    if (has) out[i] = best;
  }
  // A string best is kept as a copy in the carry (the chunk's heaps go); `out` then views the
  // carry's copy, so the result vector shares a heap holding it (see Extreme).
  void Load(const Carry& c) {
    has = c.has;
    if constexpr (std::is_same_v<T, std::string_view>) {
      best = c.sv;
    } else if constexpr (std::is_floating_point_v<T>) {
      best = static_cast<T>(c.d);
    } else {
      best = static_cast<T>(c.i);
    }
  }
  void Save(Carry* c) const {
    c->has = has;
    if constexpr (std::is_same_v<T, std::string_view>) {
      std::string copy(best);
      c->s.swap(copy);
    } else if constexpr (std::is_floating_point_v<T>) {
      c->d = static_cast<double>(best);
    } else {
      c->i = static_cast<int128>(best);
    }
  }
};

struct FuncState {
  plan::WindowFuncKind kind = plan::WIN_UNSPECIFIED;
  plan::WindowFrame frame = plan::RANGE_TO_CURRENT;
  std::unique_ptr<FrameBounds> bounds;  // an explicit frame (window_frame.h), else null
  SqlType result_type;
  std::vector<ExpressionEvaluator> arg_evals;
  std::vector<Vector> args;  // materialised argument values, one row per input row
  Vector result;
  Carry carry;
  plan::AggSpec aggregate;  // WIN_AGGREGATE
};

// A batch source for the hash aggregate of WIN_AGGREGATE: `rows` in pieces of a batch.
class ChunkSource : public Operator {
 public:
  explicit ChunkSource(const Batch& rows) : rows_(rows) {}
  bool Next(Batch* out) override {
    if (next_ >= rows_.rows) return false;
    size_t n = std::min(kBatchSize, rows_.rows - next_);
    sel_.resize(n);
    for (size_t i = 0; i < n; ++i) sel_[i] = static_cast<uint32_t>(next_ + i);
    *out = Batch(rows_.Types());
    out->AppendSelected(rows_, sel_.data(), n);
    next_ += n;
    return true;
  }

 private:
  const Batch& rows_;
  size_t next_ = 0;
  std::vector<uint32_t> sel_;
};

class WindowOperator : public Operator {
 public:
  WindowOperator(const plan::Window& spec, OperatorPtr input, std::vector<SqlType> input_types, const ExecContext& ctx)
      : input_(std::move(input)), in_types_(input_types), all_(input_types), out_types_(std::move(input_types)), ctx_(ctx),
        mem_(ctx.memory, "Window") {
    for (const auto& k : spec.partition_keys()) AddKey(k);
    partition_keys_ = key_evals_.size();
    for (const auto& k : spec.order_keys()) AddKey(k.expr());
    first_order_desc_ = spec.order_keys_size() > 0 && spec.order_keys(0).desc();
    for (const auto& f : spec.funcs()) {
      FuncState s;
      s.kind = f.func();
      s.frame = f.frame();
      if (f.has_general()) {
        s.bounds = std::make_unique<FrameBounds>(f.general());
      } else if (f.func() == plan::WIN_NTH_VALUE) {  // the plain frames, spelled out
        plan::GeneralFrame g;
        g.set_mode(f.frame() == plan::RANGE_TO_CURRENT ? plan::FRAME_RANGE : plan::FRAME_ROWS);
        g.mutable_start()->set_kind(plan::BOUND_UNBOUNDED_PRECEDING);
        g.mutable_end()->set_kind(f.frame() == plan::WHOLE_PARTITION ? plan::BOUND_UNBOUNDED_FOLLOWING : plan::BOUND_CURRENT_ROW);
        s.bounds = std::make_unique<FrameBounds>(g);
      }
      s.result_type = FromProtoType(f.result_type());
      if (f.func() == plan::WIN_AGGREGATE) s.aggregate = f.aggregate();
      for (const auto& a : f.args()) {
        s.arg_evals.emplace_back(a);
        s.args.emplace_back(FromProtoType(a.type()));
      }
      out_types_.push_back(s.result_type);
      funcs_.push_back(std::move(s));
    }
    pending_ = EmptyChunk();
  }

  bool Next(Batch* out) override {
    out->columns.clear();
    out->rows = 0;
    ctx_.CheckCancelled();
    if (pos_ >= all_.rows && !NextChunk()) return false;
    size_t n = std::min(kBatchSize, all_.rows - pos_);
    sel_.resize(n);
    for (size_t i = 0; i < n; ++i) sel_[i] = static_cast<uint32_t>(pos_ + i);
    *out = Batch(out_types_);
    size_t width = all_.columns.size();
    for (size_t c = 0; c < width; ++c) out->columns[c].AppendSelected(all_.columns[c], sel_.data(), n);
    for (size_t f = 0; f < funcs_.size(); ++f) out->columns[width + f].AppendSelected(funcs_[f].result, sel_.data(), n);
    out->rows = n;
    pos_ += n;
    return true;
  }

 private:
  // Rows with their evaluated keys and function arguments.
  struct Chunk {
    Batch rows;
    std::vector<Vector> keys;
    std::vector<std::vector<Vector>> args;  // per function, per argument
  };

  Chunk EmptyChunk() const {
    Chunk c;
    c.rows = Batch(in_types_);
    for (const auto& k : key_values_) c.keys.emplace_back(k.type());
    for (const auto& f : funcs_) {
      c.args.emplace_back();
      for (const auto& a : f.args) c.args.back().emplace_back(a.type());
    }
    return c;
  }

  // Appends rows [from, to) of `src` to `dst`.
  static void AppendRange(const Chunk& src, size_t from, size_t to, Chunk* dst, std::vector<uint32_t>* sel) {
    if (to <= from) return;
    sel->resize(to - from);
    for (size_t i = 0; i < sel->size(); ++i) (*sel)[i] = static_cast<uint32_t>(from + i);
    dst->rows.AppendSelected(src.rows, sel->data(), sel->size());
    for (size_t k = 0; k < src.keys.size(); ++k) dst->keys[k].AppendSelected(src.keys[k], sel->data(), sel->size());
    for (size_t f = 0; f < src.args.size(); ++f) {
      for (size_t a = 0; a < src.args[f].size(); ++a) dst->args[f][a].AppendSelected(src.args[f][a], sel->data(), sel->size());
    }
  }

  void AddKey(const plan::Expr& e) {
    key_evals_.emplace_back(e);
    key_values_.emplace_back(FromProtoType(e.type()));
  }

  // Computes the next run of whole partitions into all_ / the functions' results. The input is
  // sorted by the partition keys, so a partition ends where a key changes: the operator holds
  // the partitions completed by the latest batch plus the open one (pending_), never the whole
  // input unless it is one partition (or there are no PARTITION BY keys). What it holds is
  // counted against the query's budget; over it the query fails with 53200 naming Window.
  bool NextChunk() {
    pos_ = 0;
    all_ = Batch(in_types_);
    if (chunk_bytes_ > 0) {
      chunk_bytes_ = 0;
      mem_.ShrinkTo(pending_bytes_);
    }
    if (input_ == nullptr) return false;
    Chunk in = EmptyChunk();
    Vector tmp;
    while (true) {
      ctx_.CheckCancelled();
      if (!input_->Next(&in.rows)) {
        input_.reset();
        if (pending_.rows.rows == 0) {
          mem_.ShrinkTo(0);
          return false;
        }
        Chunk done = std::move(pending_);
        pending_ = EmptyChunk();
        chunk_bytes_ = pending_bytes_;
        pending_bytes_ = 0;
        bool continues = carried_;
        carried_ = false;
        Compute(std::move(done), continues);
        return true;
      }
      size_t n = in.rows.rows;
      if (n == 0) continue;
      int64_t bytes = static_cast<int64_t>(in.rows.EstimatedBytes());
      for (size_t k = 0; k < key_evals_.size(); ++k) {
        key_evals_[k].Evaluate(in.rows, &in.keys[k]);
        bytes += static_cast<int64_t>(in.keys[k].EstimatedBytes());
      }
      for (size_t f = 0; f < funcs_.size(); ++f) {
        for (size_t a = 0; a < funcs_[f].arg_evals.size(); ++a) {
          funcs_[f].arg_evals[a].Evaluate(in.rows, &in.args[f][a]);
          bytes += static_cast<int64_t>(in.args[f][a].EstimatedBytes());
        }
      }
      mem_.Grow(bytes);
      // The last row of `in` that starts a partition (row 0 when it differs from pending_'s
      // last row); SIZE_MAX when none does.
      size_t cut = SIZE_MAX;
      if (partition_keys_ > 0) {
        flags_.assign(n, 0);
        for (size_t k = 0; k < partition_keys_; ++k) MarkChanges(in.keys[k], &flags_);
        size_t p = pending_.rows.rows;
        for (size_t k = 0; p > 0 && k < partition_keys_ && !flags_[0]; ++k) {
          if (!SameValue(in.keys[k], 0, pending_.keys[k], p - 1)) flags_[0] = 1;
        }
        for (size_t i = n; i-- > 0;) {
          if (flags_[i]) {
            cut = i;
            break;
          }
        }
      }
      // Chunks of at least a batch: fewer, fuller output batches (and the same output batches
      // as the whole input when it is small), unless the window holds more than it should.
      bool over = mem_.held() > SoftCap();
      if (cut != SIZE_MAX && pending_.rows.rows + cut < kBatchSize && !over) cut = SIZE_MAX;
      // One partition larger than that: cut it at its last peer group start in this batch and
      // carry the functions' state into the next chunk, when every function can.
      bool mid_partition = false;
      if (cut == SIZE_MAX && over && Streamable()) {
        flags_.assign(n, 0);
        for (size_t k = 0; k < key_evals_.size(); ++k) MarkChanges(in.keys[k], &flags_);
        size_t p = pending_.rows.rows;
        for (size_t k = 0; p > 0 && k < key_evals_.size() && !flags_[0]; ++k) {
          if (!SameValue(in.keys[k], 0, pending_.keys[k], p - 1)) flags_[0] = 1;
        }
        for (size_t i = n; i-- > 0;) {
          if (flags_[i]) {
            cut = i;
            mid_partition = true;
            break;
          }
        }
      }
      if (cut == SIZE_MAX) {  // the open partition goes on (or the chunk is still small)
        AppendRange(in, 0, n, &pending_, &sel_);
        pending_bytes_ += bytes;
        continue;
      }
      // pending_ and in[0, cut) are whole partitions; in[cut, n) opens the next one. The new
      // pending_ shares only this batch's string heaps.
      Chunk done = std::move(pending_);
      AppendRange(in, 0, cut, &done, &sel_);
      pending_ = EmptyChunk();
      AppendRange(in, cut, n, &pending_, &sel_);
      int64_t rest = bytes * static_cast<int64_t>(n - cut) / static_cast<int64_t>(n);
      chunk_bytes_ = pending_bytes_ + bytes - rest;
      pending_bytes_ = rest;
      bool continues = carried_;
      carried_ = mid_partition;
      Compute(std::move(done), continues);
      return true;
    }
  }

  // What the window holds before it cuts a large partition (with a budget): a quarter of the
  // query's share divided by the slices on the node (the functions' results take about as
  // much again, and a peer group may run on past it).
  int64_t SoftCap() const {
    if (ctx_.memory == nullptr) return INT64_MAX;
    return std::max<int64_t>(1, mem_.limit() / (4 * std::max(1, ctx_.slices_per_node)));
  }

  // Whether every function can be computed a piece of a partition at a time, with a state
  // carried between pieces that end at peer-group boundaries: not lag / lead, nor aggregates or
  // last_value over the whole partition.
  bool Streamable() const {
    for (const auto& f : funcs_) {
      switch (f.kind) {
        case plan::WIN_ROW_NUMBER: case plan::WIN_RANK: case plan::WIN_DENSE_RANK: case plan::WIN_FIRST_VALUE: break;
        case plan::WIN_LAG: case plan::WIN_LEAD: return false;
        default:
          if (f.frame == plan::WHOLE_PARTITION || f.bounds != nullptr) return false;
      }
    }
    return true;
  }

  // Marks partitions and peer groups of `c` and computes every function over it. `continues`:
  // c's first rows continue the last partition of the previous chunk (which ended at a peer
  // group's end).
  void Compute(Chunk c, bool continues) {
    continues_ = continues;
    all_ = std::move(c.rows);
    key_values_ = std::move(c.keys);
    for (size_t f = 0; f < funcs_.size(); ++f) funcs_[f].args = std::move(c.args[f]);
    size_t n = all_.rows;
    int64_t result_bytes = 0;
    for (const auto& f : funcs_) result_bytes += static_cast<int64_t>(n) * (1 + static_cast<int64_t>(PhysicalWidth(f.result_type.physical())));
    mem_.Grow(result_bytes);
    chunk_bytes_ += result_bytes;
    part_flags_.assign(n, 0);
    if (n > 0) part_flags_[0] = continues ? 0 : 1;
    for (size_t k = 0; k < partition_keys_; ++k) MarkChanges(key_values_[k], &part_flags_);
    peer_flags_ = part_flags_;
    if (n > 0) peer_flags_[0] = 1;  // a chunk always starts a peer group
    for (size_t k = partition_keys_; k < key_values_.size(); ++k) MarkChanges(key_values_[k], &peer_flags_);
    for (auto& f : funcs_) ComputeFunction(f);
  }

  // Rows [s, e) of one frame segment: a row (ROWS), a peer group (RANGE) or a partition.
  const uint8_t* SegmentFlags(plan::WindowFrame frame) const {
    switch (frame) {
      case plan::ROWS_TO_CURRENT: return nullptr;
      case plan::WHOLE_PARTITION: return part_flags_.data();
      default: return peer_flags_.data();
    }
  }

  // One aggregate over the chunk; a chunk that continues a partition starts from its carried
  // state, and the state at the end is carried for the next chunk.
  template <typename Acc>
  void RunningPass(const uint8_t* seg_flags, Acc acc, Carry* carry) {
    size_t n = all_.rows;
    if (continues_) acc.Load(*carry);
    for (size_t s = 0; s < n;) {
      if (part_flags_[s]) acc.Reset();
      size_t e = s + 1;
      if (seg_flags != nullptr) while (e < n && !seg_flags[e]) ++e;
      for (size_t i = s; i < e; ++i) acc.Add(i);
      for (size_t i = s; i < e; ++i) acc.Write(i);
      s = e;
    }
    acc.Save(carry);
  }

  void ComputeFunction(FuncState& f) {
    size_t n = all_.rows;
    f.result = Vector(f.result_type, n);
    for (size_t i = 0; i < n; ++i) f.result.SetNull(i, false);
    if (f.bounds != nullptr && f.kind != plan::WIN_ROW_NUMBER && f.kind != plan::WIN_RANK && f.kind != plan::WIN_DENSE_RANK &&
        f.kind != plan::WIN_LAG && f.kind != plan::WIN_LEAD) {
      ComputeFramed(f);
      return;
    }
    const uint8_t* seg = SegmentFlags(f.frame);
    switch (f.kind) {
      case plan::WIN_ROW_NUMBER: case plan::WIN_RANK: case plan::WIN_DENSE_RANK: Ranks(f); return;
      case plan::WIN_COUNT_STAR: RunningPass(seg, CountAcc{nullptr, f.result.data<int64_t>()}, &f.carry); return;
      case plan::WIN_COUNT: RunningPass(seg, CountAcc{f.args[0].nulls(), f.result.data<int64_t>()}, &f.carry); return;
      case plan::WIN_SUM: Sum(f, seg); return;
      case plan::WIN_AVG: Avg(f, seg); return;
      case plan::WIN_MIN: case plan::WIN_MAX: Extreme(f, seg); return;
      case plan::WIN_LAG: case plan::WIN_LEAD: Shift(f); return;
      case plan::WIN_FIRST_VALUE: case plan::WIN_LAST_VALUE: FrameValue(f, seg); return;
      case plan::WIN_AGGREGATE: PartitionAggregate(f); return;
      default: STRATA_INTERNAL_ERROR("unknown window function");
    }
  }

  // WIN_AGGREGATE: the chunk's rows as (partition ordinal, args...) through a hash aggregate
  // grouped by the ordinal, each partition's value then written to each of its rows.
  void PartitionAggregate(FuncState& f) {
    const size_t n = all_.rows;
    std::vector<SqlType> types = {SqlType::Int64()};
    for (const auto& a : f.args) types.push_back(a.type());
    Batch rows(types);
    rows.SetRows(n);
    int64_t* ordinal = rows.columns[0].data<int64_t>();
    int64_t part = -1;
    for (size_t i = 0; i < n; ++i) {
      if (part_flags_[i] || i == 0) ++part;
      ordinal[i] = part;
      rows.columns[0].SetNull(i, false);
    }
    for (size_t a = 0; a < f.args.size(); ++a) rows.columns[1 + a] = std::move(f.args[a]);  // read once, here
    rows.rows = n;
    plan::Aggregate spec;
    *spec.add_groups() = ColumnExpr(0, SqlType::Int64());
    *spec.add_aggs() = f.aggregate;
    spec.set_mode(plan::SINGLE);
    OperatorPtr agg = MakeHashAggregate(spec, std::make_unique<ChunkSource>(rows), ctx_);
    // Each partition's value, by ordinal (every partition is a group, so each gets one).
    std::vector<size_t> at_row(static_cast<size_t>(part + 1), SIZE_MAX);
    Vector values(f.result_type, 0);
    Batch out;
    while (agg->Next(&out)) {
      for (size_t r = 0; r < out.rows; ++r) {
        at_row.at(static_cast<size_t>(out.columns[0].data<int64_t>()[r])) = values.size();
        values.AppendFrom(out.columns[1], r);
      }
    }
    Vector result(f.result_type, 0);
    for (size_t i = 0; i < n; ++i) {
      size_t at = at_row.at(static_cast<size_t>(ordinal[i]));
      if (at == SIZE_MAX) STRATA_INTERNAL_ERROR("a partition without its aggregate");
      result.AppendFrom(values, at);
    }
    f.result = std::move(result);
  }

  // ---- explicit frames: each row's frame is rows [lo_[i], hi_[i]) of the chunk (whole
  // partitions), both ends moving only forward within a partition.

  void ComputeFramed(FuncState& f) {
    const Vector* key = key_values_.size() > partition_keys_ ? &key_values_[partition_keys_] : nullptr;
    f.bounds->Compute(all_.rows, part_flags_.data(), peer_flags_.data(), key, first_order_desc_, &lo_, &hi_);
    exclude_ = f.bounds->exclude();
    if (exclude_ != 0) MarkPeerGroups();
    switch (f.kind) {
      case plan::WIN_COUNT_STAR: {
        int64_t* out = f.result.data<int64_t>();
        for (size_t i = 0; i < all_.rows; ++i) {
          int64_t n = static_cast<int64_t>(hi_[i]) - lo_[i];
          for (size_t j = lo_[i]; exclude_ != 0 && j < hi_[i]; ++j) n -= Excluded(i, j);
          out[i] = n;
        }
        return;
      }
      case plan::WIN_COUNT: SlidingPass(CountAcc{f.args[0].nulls(), f.result.data<int64_t>()}); return;
      case plan::WIN_SUM: Sum(f, nullptr, true); return;
      case plan::WIN_AVG: Avg(f, nullptr, true); return;
      case plan::WIN_MIN: case plan::WIN_MAX: SlidingExtreme(f); return;
      case plan::WIN_FIRST_VALUE: case plan::WIN_LAST_VALUE: case plan::WIN_NTH_VALUE: FramedValue(f); return;
      default: STRATA_INTERNAL_ERROR("window function without a frame");
    }
  }

  // ---- EXCLUDE CURRENT ROW / GROUP / TIES: a frame with a hole. Each row's frame is added up
  // afresh (O(rows x frame)), skipping the excluded rows.

  // group_lo_ / group_hi_: each row's peer group, [lo, hi).
  void MarkPeerGroups() {
    const size_t n = all_.rows;
    group_lo_.resize(n);
    group_hi_.resize(n);
    for (size_t s = 0; s < n;) {
      size_t e = s + 1;
      while (e < n && !part_flags_[e] && !peer_flags_[e]) ++e;
      for (size_t k = s; k < e; ++k) {
        group_lo_[k] = static_cast<uint32_t>(s);
        group_hi_[k] = static_cast<uint32_t>(e);
      }
      s = e;
    }
  }

  bool Excluded(size_t i, size_t j) const {
    switch (exclude_) {
      case 1: return j == i;
      case 2: return j >= group_lo_[i] && j < group_hi_[i];
      case 3: return j != i && j >= group_lo_[i] && j < group_hi_[i];
      default: return false;
    }
  }

  // An aggregate over each row's frame: rows entering are added; rows leaving are removed when
  // the state allows, else the state is rebuilt from the frame's new start.
  template <typename Acc>
  void SlidingPass(Acc acc) {
    if (exclude_ != 0) {
      for (size_t i = 0; i < all_.rows; ++i) {
        acc.Reset();
        for (size_t j = lo_[i]; j < hi_[i]; ++j) {
          if (!Excluded(i, j)) acc.Add(j);
        }
        acc.Write(i);
      }
      return;
    }
    size_t n = all_.rows, cl = 0, ch = 0;
    for (size_t i = 0; i < n; ++i) {
      size_t l = lo_[i], h = hi_[i];
      if (part_flags_[i] || (l > cl && (!Acc::kInvertible || l >= ch))) {
        acc.Reset();
        cl = ch = l;
      } else if (l > cl) {
        if constexpr (Acc::kInvertible) {
          for (size_t j = cl; j < l; ++j) acc.Remove(j);
        }
        cl = l;
      }
      for (; ch < h; ++ch) acc.Add(ch);
      acc.Write(i);
    }
  }

  // MIN / MAX over sliding frames: a queue of the rows that can still be the extreme (each
  // better than every later row in it), so each row enters and leaves it once.
  void SlidingExtreme(FuncState& f) {
    const Vector& a = f.args[0];
    f.result.ShareHeaps(a);
    bool want_min = f.kind == plan::WIN_MIN;
    size_t n = all_.rows;
    queue_.resize(n);
    DispatchPhysical(a.physical(), [&]<typename T>() {
      const T* in = a.data<T>();
      const uint8_t* in_nulls = a.nulls();
      T* out = f.result.data<T>();
      uint8_t* out_nulls = f.result.nulls();
      if (exclude_ != 0) {
        for (size_t i = 0; i < n; ++i) {
          int64_t best = -1;
          for (size_t j = lo_[i]; j < hi_[i]; ++j) {
            if (in_nulls[j] || Excluded(i, j)) continue;
            if (best < 0 || (want_min ? SortLess(in[j], in[best]) : SortLess(in[best], in[j]))) best = static_cast<int64_t>(j);
          }
          out_nulls[i] = best < 0;
          if (best >= 0) out[i] = in[best];
        }
        return;
      }
      size_t head = 0, tail = 0, ch = 0;
      for (size_t i = 0; i < n; ++i) {
        size_t l = lo_[i], h = hi_[i];
        if (part_flags_[i]) head = tail = 0;
        if (part_flags_[i] || ch < l) ch = l;
        for (; ch < h; ++ch) {
          if (in_nulls[ch]) continue;
          while (tail > head && (want_min ? !SortLess(in[queue_[tail - 1]], in[ch]) : !SortLess(in[ch], in[queue_[tail - 1]]))) --tail;
          queue_[tail++] = static_cast<uint32_t>(ch);
        }
        while (head < tail && queue_[head] < l) ++head;
        out_nulls[i] = head == tail;
        if (head < tail) out[i] = in[queue_[head]];
      }
    });
  }

  // first_value, last_value and nth_value(v, n): the frame's first, last or n-th row (NULL
  // when the frame is empty or shorter than n).
  void FramedValue(FuncState& f) {
    const Vector& v = f.args[0];
    f.result.ShareHeaps(v);
    size_t n = all_.rows;
    DispatchPhysical(v.physical(), [&]<typename T>() {
      const T* d = v.data<T>();
      T* out = f.result.data<T>();
      uint8_t* out_nulls = f.result.nulls();
      for (size_t i = 0; i < n; ++i) {
        int64_t r;
        if (exclude_ != 0) {  // the first / last / n-th row of the frame that is not excluded
          int64_t want = f.kind == plan::WIN_FIRST_VALUE ? 1 : f.kind == plan::WIN_LAST_VALUE ? -1 : 0;
          if (f.kind == plan::WIN_NTH_VALUE) {
            if (f.args[1].IsNull(i)) {
              out_nulls[i] = 1;
              continue;
            }
            want = f.args[1].data<int64_t>()[i];
            if (want <= 0) throw SqlError(sqlstate::kInvalidArgumentForNthValue, "argument of nth_value must be greater than zero");
          }
          r = -1;
          if (want < 0) {
            for (size_t j = hi_[i]; j-- > lo_[i];) {
              if (!Excluded(i, j)) {
                r = static_cast<int64_t>(j);
                break;
              }
            }
          } else {
            int64_t seen = 0;
            for (size_t j = lo_[i]; j < hi_[i] && r < 0; ++j) {
              if (!Excluded(i, j) && ++seen == want) r = static_cast<int64_t>(j);
            }
          }
          out_nulls[i] = r < 0 || v.IsNull(static_cast<size_t>(r));
          if (r >= 0) out[i] = d[r];
          continue;
        }
        if (f.kind == plan::WIN_FIRST_VALUE) {
          r = lo_[i];
        } else if (f.kind == plan::WIN_LAST_VALUE) {
          r = static_cast<int64_t>(hi_[i]) - 1;
        } else {
          const Vector& nth = f.args[1];
          if (nth.IsNull(i)) {
            out_nulls[i] = 1;
            continue;
          }
          int64_t k = nth.data<int64_t>()[i];
          if (k <= 0) throw SqlError(sqlstate::kInvalidArgumentForNthValue, "argument of nth_value must be greater than zero");
          r = k > static_cast<int64_t>(hi_[i]) ? INT64_MAX : static_cast<int64_t>(lo_[i]) + k - 1;
        }
        if (r < static_cast<int64_t>(lo_[i]) || r >= static_cast<int64_t>(hi_[i])) {
          out_nulls[i] = 1;
          continue;
        }
        out_nulls[i] = v.IsNull(static_cast<size_t>(r));
        out[i] = d[r];
      }
    });
  }

  void Ranks(FuncState& f) {
    int64_t* out = f.result.data<int64_t>();
    int64_t n = static_cast<int64_t>(all_.rows), start = 0;  // start < 0: the partition began in an earlier chunk
    int64_t rank = 0, dense = 0;
    if (continues_) {
      start = -f.carry.rows;
      rank = f.carry.rank;
      dense = f.carry.dense;
    }
    for (int64_t i = 0; i < n; ++i) {
      if (part_flags_[i]) { start = i; dense = 0; }
      if (peer_flags_[i]) { rank = i - start + 1; ++dense; }
      out[i] = f.kind == plan::WIN_ROW_NUMBER ? i - start + 1 : f.kind == plan::WIN_RANK ? rank : dense;
    }
    f.carry.rows = n - start;
    f.carry.rank = rank;
    f.carry.dense = dense;
  }

  void Sum(FuncState& f, const uint8_t* seg, bool sliding = false) {
    const Vector& a = f.args[0];
    DispatchPhysical(a.physical(), [&]<typename T>() {
      if constexpr (!std::is_same_v<T, std::string_view> && !std::is_same_v<T, uint8_t>) {
        auto run = [&]<typename R>() {
          SumAcc<T, R> acc{a.data<T>(), a.nulls(), f.result.data<R>(), f.result.nulls()};
          if (sliding) SlidingPass(acc);
          else RunningPass(seg, acc, &f.carry);
        };
        switch (f.result_type.physical()) {
          case PhysicalType::kInt64: run.template operator()<int64_t>(); return;
          case PhysicalType::kInt128: run.template operator()<int128>(); return;
          case PhysicalType::kFloat32: run.template operator()<float>(); return;
          case PhysicalType::kFloat64: run.template operator()<double>(); return;
          default: break;
        }
      }
      STRATA_INTERNAL_ERROR("bad window sum types");
    });
  }

  void Avg(FuncState& f, const uint8_t* seg, bool sliding = false) {
    const Vector& a = f.args[0];
    int scale_up = f.result_type.is_float() ? 0 : f.result_type.scale - a.type().scale;
    DispatchPhysical(a.physical(), [&]<typename T>() {
      if constexpr (std::is_same_v<T, double> || std::is_same_v<T, float> || std::is_same_v<T, int64_t> ||
                    std::is_same_v<T, int128>) {
        using R = typename AvgAcc<T>::R;
        if (f.result_type.physical() != (std::is_same_v<R, double> ? PhysicalType::kFloat64 : PhysicalType::kInt128)) {
          STRATA_INTERNAL_ERROR("bad window avg types");
        }
        AvgAcc<T> acc{a.data<T>(), a.nulls(), f.result.data<R>(), f.result.nulls(), scale_up};
        if (sliding) SlidingPass(acc);
        else RunningPass(seg, acc, &f.carry);
      } else {
        STRATA_INTERNAL_ERROR("bad window avg types");
      }
    });
  }

  void Extreme(FuncState& f, const uint8_t* seg) {
    const Vector& a = f.args[0];
    f.result.ShareHeaps(a);
    if (continues_ && a.physical() == PhysicalType::kString) f.carry.sv = f.result.OwnHeap().Add(f.carry.s);
    DispatchPhysical(a.physical(), [&]<typename T>() {
      if (f.kind == plan::WIN_MIN) {
        RunningPass(seg, ExtremeAcc<T, true>{a.data<T>(), a.nulls(), f.result.data<T>(), f.result.nulls()}, &f.carry);
      } else {
        RunningPass(seg, ExtremeAcc<T, false>{a.data<T>(), a.nulls(), f.result.data<T>(), f.result.nulls()}, &f.carry);
      }
    });
  }

  // lag / lead: the value `offset` rows before / after in the partition, else the default.
  void Shift(FuncState& f) {
    const Vector& v = f.args[0];
    const Vector& off = f.args[1];
    const Vector& def = f.args[2];
    f.result.ShareHeaps(v);
    f.result.ShareHeaps(def);
    int64_t sign = f.kind == plan::WIN_LAG ? -1 : 1;
    size_t n = all_.rows;
    DispatchPhysical(v.physical(), [&]<typename T>() {
      const T* d = v.data<T>();
      const T* dd = def.data<T>();
      const int64_t* o = off.data<int64_t>();
      T* out = f.result.data<T>();
      uint8_t* out_nulls = f.result.nulls();
      for (size_t start = 0; start < n;) {
        size_t end = start + 1;
        while (end < n && !part_flags_[end]) ++end;
        for (size_t i = start; i < end; ++i) {
          if (off.IsNull(i)) { out_nulls[i] = 1; continue; }
          int128 j = static_cast<int128>(i) + static_cast<int128>(o[i]) * sign;
          if (j >= static_cast<int128>(start) && j < static_cast<int128>(end)) {
            size_t r = static_cast<size_t>(j);
            out_nulls[i] = v.IsNull(r);
            out[i] = d[r];
          } else {
            out_nulls[i] = def.IsNull(i);
            out[i] = dd[i];
          }
        }
        start = end;
      }
    });
  }

  // first_value: the partition's first row (every supported frame starts there); last_value:
  // the frame segment's last row.
  void FrameValue(FuncState& f, const uint8_t* seg) {
    const Vector& v = f.args[0];
    f.result.ShareHeaps(v);
    size_t n = all_.rows;
    bool first = f.kind == plan::WIN_FIRST_VALUE;
    // A chunk that continues a partition takes its first value from the carry until a
    // partition starts in the chunk.
    bool carried = continues_ && first;
    if (carried) f.result.ShareHeaps(f.carry.first);
    size_t part_start = 0;
    DispatchPhysical(v.physical(), [&]<typename T>() {
      const T* d = v.data<T>();
      T* out = f.result.data<T>();
      uint8_t* out_nulls = f.result.nulls();
      for (size_t s = 0; s < n;) {
        if (part_flags_[s]) {
          part_start = s;
          carried = false;
        }
        size_t e = s + 1;
        if (seg != nullptr) while (e < n && !seg[e]) ++e;
        size_t r = first ? part_start : e - 1;
        const Vector& src = carried ? f.carry.first : v;
        if (carried) r = 0;
        for (size_t i = s; i < e; ++i) {
          out_nulls[i] = src.IsNull(r);
          out[i] = src.template data<T>()[r];
        }
        s = e;
      }
      (void)d;
    });
    if (first && !carried && n > 0) {  // the last partition's first value, for a next chunk
      Vector one(v.type());
      one.Resize(1);
      one.SetNull(0, v.IsNull(part_start));
      if (!v.IsNull(part_start)) {
        DispatchPhysical(v.physical(), [&]<typename T>() {
          if constexpr (std::is_same_v<T, std::string_view>) {
            one.SetString(0, v.data<T>()[part_start]);
          } else {
            one.data<T>()[0] = v.data<T>()[part_start];
          }
        });
      }
      f.carry.first = std::move(one);
    }
  }

  OperatorPtr input_;
  std::vector<SqlType> in_types_;
  Batch all_;  // the chunk being emitted: whole partitions
  std::vector<SqlType> out_types_;
  const ExecContext& ctx_;
  MemoryReservation mem_;
  Chunk pending_;  // rows not yet computed: the open partition (and completed ones, under a batch)
  int64_t pending_bytes_ = 0;
  int64_t chunk_bytes_ = 0;
  std::vector<uint8_t> flags_;
  bool carried_ = false;    // the next chunk continues the last chunk's last partition
  bool continues_ = false;  // the chunk being computed does
  std::vector<ExpressionEvaluator> key_evals_;  // partition keys, then order keys
  std::vector<Vector> key_values_;
  size_t partition_keys_ = 0;
  std::vector<FuncState> funcs_;
  std::vector<uint8_t> part_flags_;  // 1 where a partition starts
  std::vector<uint8_t> peer_flags_;  // 1 where a peer group (or a partition) starts
  std::vector<uint32_t> sel_;
  size_t pos_ = 0;
  bool first_order_desc_ = false;     // the first ORDER BY key sorts descending (RANGE offsets)
  std::vector<uint32_t> lo_, hi_;     // explicit frames: each row's frame [lo, hi)
  int exclude_ = 0;                     // the frame's EXCLUDE (window_frame.h), for the function at hand
  std::vector<uint32_t> group_lo_, group_hi_;  // with EXCLUDE GROUP / TIES: each row's peer group
  std::vector<uint32_t> queue_;       // SlidingExtreme's candidates
};

}  // namespace

OperatorPtr MakeWindow(const plan::Window& spec, OperatorPtr input, std::vector<SqlType> input_types) {
  static const ExecContext no_context;
  return std::make_unique<WindowOperator>(spec, std::move(input), std::move(input_types), no_context);
}

OperatorPtr MakeWindow(const plan::Window& spec, OperatorPtr input, std::vector<SqlType> input_types, const ExecContext& ctx) {
  return std::make_unique<WindowOperator>(spec, std::move(input), std::move(input_types), ctx);
}

}  // namespace strata
