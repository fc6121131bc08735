#include "executor/window_operator.h"

#include <cmath>
#include <memory>
#include <type_traits>

#include "executor/expression.h"
#include "planner/expr_builder.h"
#include "sql/error.h"
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
      } else {
        same = d[i] == d[i - 1];
      }
      if (!same) f[i] = 1;
    }
  });
}

[[noreturn]] void Overflow(const char* what) { throw SqlError(sqlstate::kNumericValueOutOfRange, what); }

inline int128 RoundDiv(int128 a, int128 b) {
  int128 q = a / b, r = a % b;
  if (r != 0 && (r < 0 ? -r : r) * 2 >= (b < 0 ? -b : b)) q += ((a < 0) != (b < 0)) ? -1 : 1;
  return q;
}

// Running aggregate states. Each has Reset() (a partition starts), Add(row) (the row enters
// the frame) and Write(row) (the row's result is the current state).
struct CountAcc {
  const uint8_t* nulls;  // nullptr: COUNT(*)
  int64_t* out;
  int64_t count = 0;
  void Reset() { count = 0; }
  void Add(size_t i) { count += nulls == nullptr || !nulls[i]; }
  void Write(size_t i) { out[i] = count; }
};

// SUM of T values into a result of physical type R.
template <typename T, typename R>
struct SumAcc {
  using State = std::conditional_t<std::is_floating_point_v<T>, double, int128>;
  const T* in;
  const uint8_t* in_nulls;
  R* out;
  uint8_t* out_nulls;
  State sum = 0;
  bool has = false;
  void Reset() { sum = 0; has = false; }
  void Add(size_t i) {
    if (in_nulls[i]) return;
    if constexpr (std::is_floating_point_v<T>) {
      sum += in[i];
    } else if (__builtin_add_overflow(sum, static_cast<int128>(in[i]), &sum)) {
      Overflow("numeric field overflow");
    }
    has = true;
  }
  void Write(size_t i) {
    out_nulls[i] = !has;
    if (!has) return;
    if constexpr (std::is_same_v<R, int64_t>) {
      if (sum > INT64_MAX || sum < INT64_MIN) Overflow("bigint out of range");
    }
    out[i] = static_cast<R>(sum);
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
  int scale_up = 0;  // out_scale - in_scale
  State sum = 0;
  int64_t count = 0;
  void Reset() { sum = 0; count = 0; }
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
    if (!has || (kMin ? in[i] < best : best < in[i])) best = in[i];
    has = true;
  }
  void Write(size_t i) {
    out_nulls[i] = !has;
    if (has) out[i] = best;
  }
};

struct FuncState {
  plan::WindowFuncKind kind = plan::WIN_UNSPECIFIED;
  plan::WindowFrame frame = plan::RANGE_TO_CURRENT;
  SqlType result_type;
  std::vector<ExpressionEvaluator> arg_evals;
  std::vector<Vector> args;  // materialised argument values, one row per input row
  Vector result;
};

class WindowOperator : public Operator {
 public:
  WindowOperator(const plan::Window& spec, OperatorPtr input, std::vector<SqlType> input_types)
      : input_(std::move(input)), all_(input_types), out_types_(std::move(input_types)) {
    for (const auto& k : spec.partition_keys()) AddKey(k);
    partition_keys_ = key_evals_.size();
    for (const auto& k : spec.order_keys()) AddKey(k.expr());
    for (const auto& f : spec.funcs()) {
      FuncState s;
      s.kind = f.func();
      s.frame = f.frame();
      s.result_type = FromProtoType(f.result_type());
      for (const auto& a : f.args()) {
        s.arg_evals.emplace_back(a);
        s.args.emplace_back(FromProtoType(a.type()));
      }
      out_types_.push_back(s.result_type);
      funcs_.push_back(std::move(s));
    }
  }

  bool Next(Batch* out) override {
    if (!computed_) Compute();
    out->columns.clear();
    out->rows = 0;
    if (pos_ >= all_.rows) return false;
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
  void AddKey(const plan::Expr& e) {
    key_evals_.emplace_back(e);
    key_values_.emplace_back(FromProtoType(e.type()));
  }

  void Compute() {
    computed_ = true;
    Batch in;
    Vector tmp;
    while (input_->Next(&in)) {
      if (in.rows == 0) continue;
      for (size_t k = 0; k < key_evals_.size(); ++k) {
        key_evals_[k].Evaluate(in, &tmp);
        key_values_[k].AppendAll(tmp);
      }
      for (auto& f : funcs_) {
        for (size_t a = 0; a < f.arg_evals.size(); ++a) {
          f.arg_evals[a].Evaluate(in, &tmp);
          f.args[a].AppendAll(tmp);
        }
      }
      all_.AppendAll(in);
    }
    size_t n = all_.rows;
    part_flags_.assign(n, 0);
    if (n > 0) part_flags_[0] = 1;
    for (size_t k = 0; k < partition_keys_; ++k) MarkChanges(key_values_[k], &part_flags_);
    peer_flags_ = part_flags_;
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

  template <typename Acc>
  void RunningPass(const uint8_t* seg_flags, Acc acc) {
    size_t n = all_.rows;
    for (size_t s = 0; s < n;) {
      if (part_flags_[s]) acc.Reset();
      size_t e = s + 1;
      if (seg_flags != nullptr) while (e < n && !seg_flags[e]) ++e;
      for (size_t i = s; i < e; ++i) acc.Add(i);
      for (size_t i = s; i < e; ++i) acc.Write(i);
      s = e;
    }
  }

  void ComputeFunction(FuncState& f) {
    size_t n = all_.rows;
    f.result = Vector(f.result_type, n);
    for (size_t i = 0; i < n; ++i) f.result.SetNull(i, false);
    const uint8_t* seg = SegmentFlags(f.frame);
    switch (f.kind) {
      case plan::WIN_ROW_NUMBER: case plan::WIN_RANK: case plan::WIN_DENSE_RANK: Ranks(f); return;
      case plan::WIN_COUNT_STAR: RunningPass(seg, CountAcc{nullptr, f.result.data<int64_t>()}); return;
      case plan::WIN_COUNT: RunningPass(seg, CountAcc{f.args[0].nulls(), f.result.data<int64_t>()}); return;
      case plan::WIN_SUM: Sum(f, seg); return;
      case plan::WIN_AVG: Avg(f, seg); return;
      case plan::WIN_MIN: case plan::WIN_MAX: Extreme(f, seg); return;
      case plan::WIN_LAG: case plan::WIN_LEAD: Shift(f); return;
      case plan::WIN_FIRST_VALUE: case plan::WIN_LAST_VALUE: FrameValue(f, seg); return;
      default: STRATA_INTERNAL_ERROR("unknown window function");
    }
  }

  void Ranks(FuncState& f) {
    int64_t* out = f.result.data<int64_t>();
    size_t n = all_.rows, start = 0;
    int64_t rank = 0, dense = 0;
    for (size_t i = 0; i < n; ++i) {
      if (part_flags_[i]) { start = i; dense = 0; }
      if (peer_flags_[i]) { rank = static_cast<int64_t>(i - start) + 1; ++dense; }
      out[i] = f.kind == plan::WIN_ROW_NUMBER ? static_cast<int64_t>(i - start) + 1 : f.kind == plan::WIN_RANK ? rank : dense;
    }
  }

  void Sum(FuncState& f, const uint8_t* seg) {
    const Vector& a = f.args[0];
    DispatchPhysical(a.physical(), [&]<typename T>() {
      if constexpr (!std::is_same_v<T, std::string_view> && !std::is_same_v<T, uint8_t>) {
        auto run = [&]<typename R>() {
          RunningPass(seg, SumAcc<T, R>{a.data<T>(), a.nulls(), f.result.data<R>(), f.result.nulls()});
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

  void Avg(FuncState& f, const uint8_t* seg) {
    const Vector& a = f.args[0];
    int scale_up = f.result_type.is_float() ? 0 : f.result_type.scale - a.type().scale;
    DispatchPhysical(a.physical(), [&]<typename T>() {
      if constexpr (std::is_same_v<T, double> || std::is_same_v<T, float> || std::is_same_v<T, int64_t> ||
                    std::is_same_v<T, int128>) {
        using R = typename AvgAcc<T>::R;
        if (f.result_type.physical() != (std::is_same_v<R, double> ? PhysicalType::kFloat64 : PhysicalType::kInt128)) {
          STRATA_INTERNAL_ERROR("bad window avg types");
        }
        RunningPass(seg, AvgAcc<T>{a.data<T>(), a.nulls(), f.result.data<R>(), f.result.nulls(), scale_up});
      } else {
        STRATA_INTERNAL_ERROR("bad window avg types");
      }
    });
  }

  void Extreme(FuncState& f, const uint8_t* seg) {
    const Vector& a = f.args[0];
    f.result.ShareHeaps(a);
    DispatchPhysical(a.physical(), [&]<typename T>() {
      if (f.kind == plan::WIN_MIN) {
        RunningPass(seg, ExtremeAcc<T, true>{a.data<T>(), a.nulls(), f.result.data<T>(), f.result.nulls()});
      } else {
        RunningPass(seg, ExtremeAcc<T, false>{a.data<T>(), a.nulls(), f.result.data<T>(), f.result.nulls()});
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
    DispatchPhysical(v.physical(), [&]<typename T>() {
      const T* d = v.data<T>();
      T* out = f.result.data<T>();
      uint8_t* out_nulls = f.result.nulls();
      size_t part_start = 0;
      for (size_t s = 0; s < n;) {
        if (part_flags_[s]) part_start = s;
        size_t e = s + 1;
        if (seg != nullptr) while (e < n && !seg[e]) ++e;
        size_t r = first ? part_start : e - 1;
        for (size_t i = s; i < e; ++i) {
          out_nulls[i] = v.IsNull(r);
          out[i] = d[r];
        }
        s = e;
      }
    });
  }

  OperatorPtr input_;
  Batch all_;
  std::vector<SqlType> out_types_;
  std::vector<ExpressionEvaluator> key_evals_;  // partition keys, then order keys
  std::vector<Vector> key_values_;
  size_t partition_keys_ = 0;
  std::vector<FuncState> funcs_;
  std::vector<uint8_t> part_flags_;  // 1 where a partition starts
  std::vector<uint8_t> peer_flags_;  // 1 where a peer group (or a partition) starts
  std::vector<uint32_t> sel_;
  size_t pos_ = 0;
  bool computed_ = false;
};

}  // namespace

OperatorPtr MakeWindow(const plan::Window& spec, OperatorPtr input, std::vector<SqlType> input_types) {
  return std::make_unique<WindowOperator>(spec, std::move(input), std::move(input_types));
}

}  // namespace strata
