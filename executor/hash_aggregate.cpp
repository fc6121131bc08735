#include "executor/hash_aggregate.h"

#include <unordered_map>
#include <unordered_set>

#include "executor/expression.h"
#include "executor/row_hash.h"
#include "planner/aggregate_layout.h"
#include "planner/expr_builder.h"
#include "sql/error.h"

namespace strata {

namespace {

struct AggState {
  plan::AggFunc func = plan::COUNT_STAR;
  bool distinct = false;
  SqlType arg_type, result_type;
  std::unique_ptr<ExpressionEvaluator> arg;  // SINGLE / PARTIAL
  int state_col = 0;                         // FINAL: first state column in the input
  std::vector<int64_t> count;
  std::vector<int128> isum;
  std::vector<double> fsum;
  std::vector<uint8_t> has;
  Vector extreme;                            // MIN / MAX values per group
  std::vector<std::string> text;             // LISTAGG: the values joined so far per group
  std::string delimiter;                     // LISTAGG
  std::unordered_set<std::string> seen;      // DISTINCT: group id + value key
};

// Group ids by one integer key: open addressing with linear probing, grown at half full.
class IntGroupIndex {
 public:
  IntGroupIndex() { Rehash(1024); }
  // The group of key k; `fresh` is the id a new group gets.
  uint32_t FindOrInsert(int64_t k, uint32_t fresh, bool* inserted) {
    if ((count_ + 1) * 2 > ids_.size()) Rehash(ids_.size() * 2);
    size_t i = Hash(k) & mask_;
    while (ids_[i] != kEmpty) {
      if (keys_[i] == k) { *inserted = false; return ids_[i]; }
      i = (i + 1) & mask_;
    }
    keys_[i] = k;
    ids_[i] = fresh;
    ++count_;
    *inserted = true;
    return fresh;
  }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  static uint64_t Hash(int64_t v) {
    uint64_t x = static_cast<uint64_t>(v);
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
  }
  void Rehash(size_t capacity) {
    std::vector<int64_t> old_keys = std::move(keys_);
    std::vector<uint32_t> old_ids = std::move(ids_);
    keys_.assign(capacity, 0);
    ids_.assign(capacity, kEmpty);
    mask_ = capacity - 1;
    for (size_t i = 0; i < old_ids.size(); ++i) {
      if (old_ids[i] == kEmpty) continue;
      size_t j = Hash(old_keys[i]) & mask_;
      while (ids_[j] != kEmpty) j = (j + 1) & mask_;
      keys_[j] = old_keys[i];
      ids_[j] = old_ids[i];
    }
  }
  std::vector<int64_t> keys_;
  std::vector<uint32_t> ids_;
  size_t mask_ = 0;
  size_t count_ = 0;
};

[[noreturn]] void Overflow() { throw SqlError(sqlstate::kNumericValueOutOfRange, "numeric field overflow"); }

inline int128 RoundDiv(int128 a, int128 b) {
  int128 q = a / b, r = a % b;
  if (r != 0 && (r < 0 ? -r : r) * 2 >= (b < 0 ? -b : b)) q += ((a < 0) != (b < 0)) ? -1 : 1;
  return q;
}

class HashAggregate : public Operator {
 public:
  HashAggregate(const plan::Aggregate& spec, OperatorPtr input, const ExecContext& ctx)
      : input_(std::move(input)), ctx_(ctx), mode_(spec.mode()) {
    for (const auto& g : spec.groups()) {
      group_evals_.push_back(std::make_unique<ExpressionEvaluator>(g));
      group_types_.push_back(FromProtoType(g.type()));
    }
    groups_ = Batch(group_types_);
    if (group_types_.size() == 1) {
      PhysicalType pt = group_types_[0].physical();
      int_key_ = pt == PhysicalType::kInt16 || pt == PhysicalType::kInt32 || pt == PhysicalType::kInt64;
    }
    int col = spec.groups_size();
    for (const auto& a : spec.aggs()) {
      AggState s;
      s.func = a.func();
      s.distinct = a.distinct();
      s.delimiter = a.delimiter();
      s.result_type = FromProtoType(a.result_type());
      if (a.func() != plan::COUNT_STAR) s.arg_type = FromProtoType(a.arg().type());
      if (mode_ != plan::FINAL && a.func() != plan::COUNT_STAR) s.arg = std::make_unique<ExpressionEvaluator>(a.arg());
      s.state_col = col;
      col += static_cast<int>(PartialStateTypes(a).size());
      if (s.func == plan::MIN || s.func == plan::MAX || s.func == plan::SINGLE_VALUE) s.extreme = Vector(s.arg_type);
      aggs_.push_back(std::move(s));
    }
  }

  bool Next(Batch* out) override {
    if (!consumed_) Consume();
    out->columns.clear();
    out->rows = 0;
    size_t total = num_groups_;
    if (emitted_ >= total) return false;
    size_t n = std::min(kBatchSize, total - emitted_);
    std::vector<uint32_t> sel(n);
    for (size_t i = 0; i < n; ++i) sel[i] = static_cast<uint32_t>(emitted_ + i);
    for (size_t g = 0; g < group_types_.size(); ++g) {
      Vector v(group_types_[g]);
      v.AppendSelected(groups_.columns[g], sel.data(), n);
      out->columns.push_back(std::move(v));
    }
    for (auto& a : aggs_) Emit(a, emitted_, n, out);
    out->rows = n;
    emitted_ += n;
    return true;
  }

 private:
  void Consume() {
    consumed_ = true;
    Batch in;
    std::vector<Vector> keys(group_evals_.size());
    std::vector<uint32_t> gids;
    std::string key;
    while (input_->Next(&in)) {
      ctx_.CheckCancelled();  // once per input batch: a long aggregation stops on cancel
      if (in.rows == 0) continue;
      gids.resize(in.rows);
      if (group_evals_.empty()) {
        if (num_groups_ == 0) AddGroup(nullptr, 0);
        std::fill(gids.begin(), gids.end(), 0);
      } else if (int_key_) {
        group_evals_[0]->Evaluate(in, &keys[0]);
        const Vector& k = keys[0];
        for (size_t r = 0; r < in.rows; ++r) {
          if (k.IsNull(r)) {
            if (null_group_ == UINT32_MAX) {
              null_group_ = static_cast<uint32_t>(num_groups_);
              AddGroup(&keys, r);
            }
            gids[r] = null_group_;
            continue;
          }
          int64_t v = k.physical() == PhysicalType::kInt32 ? k.data<int32_t>()[r]
                      : k.physical() == PhysicalType::kInt16 ? k.data<int16_t>()[r] : k.data<int64_t>()[r];
          bool inserted;
          gids[r] = int_index_.FindOrInsert(v, static_cast<uint32_t>(num_groups_), &inserted);
          if (inserted) AddGroup(&keys, r);
        }
      } else {
        std::vector<const Vector*> kp;
        for (size_t g = 0; g < group_evals_.size(); ++g) {
          group_evals_[g]->Evaluate(in, &keys[g]);
          kp.push_back(&keys[g]);
        }
        for (size_t r = 0; r < in.rows; ++r) {
          key.clear();
          EncodeKey(kp, r, &key);
          auto it = index_.find(key);
          if (it == index_.end()) {
            uint32_t id = static_cast<uint32_t>(num_groups_);
            AddGroup(&keys, r);
            index_.emplace(key, id);
            gids[r] = id;
          } else {
            gids[r] = it->second;
          }
        }
      }
      for (auto& a : aggs_) Update(a, in, gids);
    }
    if (group_evals_.empty() && num_groups_ == 0) AddGroup(nullptr, 0);
  }

  void AddGroup(const std::vector<Vector>* keys, size_t row) {
    if (keys != nullptr) {
      for (size_t g = 0; g < keys->size(); ++g) groups_.columns[g].AppendFrom((*keys)[g], row);
    }
    groups_.rows++;
    num_groups_++;
    for (auto& a : aggs_) {
      a.count.push_back(0);
      a.has.push_back(0);
      if (a.func == plan::SUM || a.func == plan::AVG) {
        a.isum.push_back(0);
        a.fsum.push_back(0);
      }
      if (a.func == plan::MIN || a.func == plan::MAX || a.func == plan::SINGLE_VALUE) {
        a.extreme.Resize(a.extreme.size() + 1);
        a.extreme.SetNull(a.extreme.size() - 1, true);
      }
      if (a.func == plan::LISTAGG) a.text.emplace_back();
    }
  }

  template <typename T>
  void Accumulate(AggState& a, const Vector& v, const std::vector<uint32_t>& gids, const uint8_t* keep) {
    const T* d = v.data<T>();
    const uint8_t* nulls = v.nulls();
    size_t n = gids.size();
    switch (a.func) {
      case plan::COUNT:
        for (size_t i = 0; i < n; ++i) if (!nulls[i] && (!keep || keep[i])) a.count[gids[i]]++;
        break;
      case plan::SUM: case plan::AVG:
        if constexpr (std::is_floating_point_v<T>) {
          for (size_t i = 0; i < n; ++i) if (!nulls[i] && (!keep || keep[i])) { a.fsum[gids[i]] += d[i]; a.count[gids[i]]++; a.has[gids[i]] = 1; }
        } else if constexpr (std::is_same_v<T, int128>) {
          for (size_t i = 0; i < n; ++i) {
            if (nulls[i] || (keep && !keep[i])) continue;
            if (__builtin_add_overflow(a.isum[gids[i]], d[i], &a.isum[gids[i]])) Overflow();
            a.count[gids[i]]++;
            a.has[gids[i]] = 1;
          }
        } else if constexpr (!std::is_same_v<T, std::string_view>) {
          for (size_t i = 0; i < n; ++i) if (!nulls[i] && (!keep || keep[i])) { a.isum[gids[i]] += d[i]; a.count[gids[i]]++; a.has[gids[i]] = 1; }
        }
        break;
      case plan::MIN: case plan::MAX: {
        T* e = a.extreme.data<T>();
        bool is_min = a.func == plan::MIN;
        for (size_t i = 0; i < n; ++i) {
          if (nulls[i] || (keep && !keep[i])) continue;
          uint32_t g = gids[i];
          if (!a.has[g] || (is_min ? d[i] < e[g] : e[g] < d[i])) {
            if constexpr (std::is_same_v<T, std::string_view>) a.extreme.SetString(g, d[i]);
            else e[g] = d[i];
            a.has[g] = 1;
            a.extreme.SetNull(g, false);
          }
        }
        break;
      }
      case plan::SINGLE_VALUE: {
        T* e = a.extreme.data<T>();
        for (size_t i = 0; i < n; ++i) {
          if (keep && !keep[i]) continue;
          uint32_t g = gids[i];
          if (++a.count[g] > 1) TooManyRows();
          if (nulls[i]) continue;
          if constexpr (std::is_same_v<T, std::string_view>) a.extreme.SetString(g, d[i]);
          else e[g] = d[i];
          a.extreme.SetNull(g, false);
        }
        break;
      }
      case plan::LISTAGG:
        // The same step joins input values (SINGLE / PARTIAL) and partial results (FINAL).
        if constexpr (std::is_same_v<T, std::string_view>) {
          for (size_t i = 0; i < n; ++i) {
            if (nulls[i] || (keep && !keep[i])) continue;
            uint32_t g = gids[i];
            std::string& t = a.text[g];
            if (a.has[g]) t.append(a.delimiter);
            t.append(d[i]);
            a.has[g] = 1;
            if (t.size() > kMaxListaggBytes) ListaggTooLong();
          }
        }
        break;
      default: break;
    }
  }

  // Redshift's LISTAGG result is at most a VARCHAR(65535).
  static constexpr size_t kMaxListaggBytes = 65535;
  static void ListaggTooLong() {
    throw SqlError(sqlstate::kStringDataRightTruncation, "Result size exceeds LISTAGG limit");
  }

  static void TooManyRows() {
    throw SqlError(sqlstate::kCardinalityViolation, "more than one row returned by a subquery used as an expression");
  }

  void Update(AggState& a, const Batch& in, const std::vector<uint32_t>& gids) {
    if (mode_ == plan::FINAL) { Merge(a, in, gids); return; }
    if (a.func == plan::COUNT_STAR) {
      for (uint32_t g : gids) a.count[g]++;
      return;
    }
    Vector v;
    a.arg->Evaluate(in, &v);
    std::vector<uint8_t> keep;
    if (a.distinct) {
      keep.assign(in.rows, 0);
      std::string key;
      std::vector<const Vector*> cols{&v};
      for (size_t r = 0; r < in.rows; ++r) {
        key.assign(reinterpret_cast<const char*>(&gids[r]), 4);
        EncodeKey(cols, r, &key);
        if (a.seen.insert(key).second) keep[r] = 1;
      }
    }
    DispatchPhysical(v.physical(), [&]<typename T>() { Accumulate<T>(a, v, gids, keep.empty() ? nullptr : keep.data()); });
  }

  void Merge(AggState& a, const Batch& in, const std::vector<uint32_t>& gids) {
    const Vector& s = in.columns[a.state_col];
    size_t n = in.rows;
    switch (a.func) {
      case plan::COUNT_STAR: case plan::COUNT: {
        const int64_t* c = s.data<int64_t>();
        for (size_t i = 0; i < n; ++i) a.count[gids[i]] += c[i];
        break;
      }
      case plan::AVG: {
        const int64_t* c = in.columns[a.state_col + 1].data<int64_t>();
        const uint8_t* nulls = s.nulls();
        if (s.physical() == PhysicalType::kFloat64) {
          const double* d = s.data<double>();
          for (size_t i = 0; i < n; ++i) if (!nulls[i]) { a.fsum[gids[i]] += d[i]; a.count[gids[i]] += c[i]; a.has[gids[i]] = 1; }
        } else {
          const int128* d = s.data<int128>();
          for (size_t i = 0; i < n; ++i) {
            if (nulls[i]) continue;
            if (__builtin_add_overflow(a.isum[gids[i]], d[i], &a.isum[gids[i]])) Overflow();
            a.count[gids[i]] += c[i];
            a.has[gids[i]] = 1;
          }
        }
        break;
      }
      case plan::SINGLE_VALUE: {
        const int64_t* c = in.columns[a.state_col + 1].data<int64_t>();
        DispatchPhysical(s.physical(), [&]<typename T>() {
          const T* d = s.data<T>();
          T* e = a.extreme.data<T>();
          for (size_t i = 0; i < n; ++i) {
            if (c[i] == 0) continue;
            uint32_t g = gids[i];
            a.count[g] += c[i];
            if (a.count[g] > 1) TooManyRows();
            if (s.IsNull(i)) continue;
            if constexpr (std::is_same_v<T, std::string_view>) a.extreme.SetString(g, d[i]);
            else e[g] = d[i];
            a.extreme.SetNull(g, false);
          }
        });
        break;
      }
      default:
        DispatchPhysical(s.physical(), [&]<typename T>() { Accumulate<T>(a, s, gids, nullptr); });
    }
  }

  void Emit(AggState& a, size_t first, size_t n, Batch* out) {
    auto emit_sum = [&](const SqlType& t) {
      Vector v(t, n);
      for (size_t i = 0; i < n; ++i) {
        size_t g = first + i;
        v.SetNull(i, !a.has[g]);
        if (!a.has[g]) continue;
        switch (t.physical()) {
          case PhysicalType::kInt64:
            if (a.isum[g] > INT64_MAX || a.isum[g] < INT64_MIN) throw SqlError(sqlstate::kNumericValueOutOfRange, "bigint out of range");
            v.data<int64_t>()[i] = static_cast<int64_t>(a.isum[g]);
            break;
          case PhysicalType::kInt128: v.data<int128>()[i] = a.isum[g]; break;
          case PhysicalType::kFloat64: v.data<double>()[i] = a.fsum[g]; break;
          case PhysicalType::kFloat32: v.data<float>()[i] = static_cast<float>(a.fsum[g]); break;
          default: STRATA_INTERNAL_ERROR("bad sum type");
        }
      }
      out->columns.push_back(std::move(v));
    };
    auto emit_count = [&]() {
      Vector v(SqlType::Int64(), n);
      for (size_t i = 0; i < n; ++i) v.data<int64_t>()[i] = a.count[first + i];
      out->columns.push_back(std::move(v));
    };
    switch (a.func) {
      case plan::COUNT_STAR: case plan::COUNT: emit_count(); return;
      case plan::SUM: emit_sum(a.result_type); return;
      case plan::MIN: case plan::MAX: case plan::SINGLE_VALUE: {
        Vector v(a.extreme.type());
        std::vector<uint32_t> sel(n);
        for (size_t i = 0; i < n; ++i) sel[i] = static_cast<uint32_t>(first + i);
        v.AppendSelected(a.extreme, sel.data(), n);
        out->columns.push_back(std::move(v));
        if (a.func == plan::SINGLE_VALUE && mode_ == plan::PARTIAL) emit_count();
        return;
      }
      case plan::LISTAGG: {
        Vector v(a.result_type, n);
        for (size_t i = 0; i < n; ++i) {
          size_t g = first + i;
          v.SetNull(i, !a.has[g]);
          if (a.has[g]) v.SetString(i, a.text[g]);
        }
        out->columns.push_back(std::move(v));
        return;
      }
      case plan::AVG: {
        if (mode_ == plan::PARTIAL) {
          emit_sum(a.arg_type.is_float() ? SqlType::Float64() : SqlType::Decimal(kMaxDecimalPrecision, a.arg_type.scale));
          emit_count();
          return;
        }
        Vector v(a.result_type, n);
        int arg_scale = a.arg_type.is_float() ? 0 : a.arg_type.scale;
        for (size_t i = 0; i < n; ++i) {
          size_t g = first + i;
          v.SetNull(i, !a.has[g] || a.count[g] == 0);
          if (v.IsNull(i)) continue;
          if (a.result_type.is_float()) {
            v.data<double>()[i] = a.fsum[g] / static_cast<double>(a.count[g]);
          } else {
            int128 scaled;
            if (__builtin_mul_overflow(a.isum[g], Pow10(a.result_type.scale - arg_scale), &scaled)) {
              long double q = static_cast<long double>(a.isum[g]) / a.count[g];
              scaled = static_cast<int128>(q * static_cast<long double>(Pow10(a.result_type.scale - arg_scale)));
              v.data<int128>()[i] = scaled;
            } else {
              v.data<int128>()[i] = RoundDiv(scaled, a.count[g]);
            }
          }
        }
        out->columns.push_back(std::move(v));
        return;
      }
      default: STRATA_INTERNAL_ERROR("unknown aggregate");
    }
  }

  OperatorPtr input_;
  const ExecContext& ctx_;  // outlives the operator (the stage runner owns both)
  plan::AggMode mode_;
  std::vector<std::unique_ptr<ExpressionEvaluator>> group_evals_;
  std::vector<SqlType> group_types_;
  Batch groups_;
  std::vector<AggState> aggs_;
  std::unordered_map<std::string, uint32_t> index_;
  bool int_key_ = false;         // one integer-like group key: int_index_ instead of index_
  IntGroupIndex int_index_;
  uint32_t null_group_ = UINT32_MAX;
  size_t num_groups_ = 0;
  size_t emitted_ = 0;
  bool consumed_ = false;
};

}  // namespace

OperatorPtr MakeHashAggregate(const plan::Aggregate& spec, OperatorPtr input, const ExecContext& ctx) {
  return std::make_unique<HashAggregate>(spec, std::move(input), ctx);
}

}  // namespace strata
