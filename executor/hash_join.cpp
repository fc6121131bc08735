#include "executor/hash_join.h"

#include <cstring>
#include <deque>

#include <xxhash.h>

#include "executor/expression.h"
#include "executor/row_hash.h"
#include "planner/expr_builder.h"

namespace strata {

namespace {

// Appends `n` NULL rows to every column of `b` from column `first` on.
void AppendNulls(Batch* b, size_t first, size_t n) {
  for (size_t c = first; c < b->columns.size(); ++c) {
    Vector& v = b->columns[c];
    size_t base = v.size();
    v.Resize(base + n);
    for (size_t i = 0; i < n; ++i) v.SetNull(base + i, true);
  }
}

class HashJoin : public Operator {
 public:
  HashJoin(const plan::HashJoin& spec, OperatorPtr probe, OperatorPtr build, std::vector<SqlType> probe_types,
           std::vector<SqlType> build_types, const ExecContext& ctx)
      : ctx_(ctx), probe_(std::move(probe)), build_op_(std::move(build)), type_(spec.type()), build_(build_types),
        probe_types_(std::move(probe_types)) {
    for (const auto& k : spec.probe_keys()) probe_keys_.push_back(std::make_unique<ExpressionEvaluator>(k));
    for (const auto& k : spec.build_keys()) build_keys_.push_back(std::make_unique<ExpressionEvaluator>(k));
    if (spec.has_residual()) residual_ = std::make_unique<ExpressionEvaluator>(spec.residual());
    // One integer-like key (the common case): hash and compare the values themselves instead
    // of encoded key bytes.
    if (spec.probe_keys_size() == 1) {
      PhysicalType pt = TypeFromProto(spec.build_keys(0).type()).physical();
      int_keys_ = pt == PhysicalType::kInt16 || pt == PhysicalType::kInt32 || pt == PhysicalType::kInt64;
    }
    first_match_only_ = !residual_ && (type_ == plan::SEMI || type_ == plan::ANTI || type_ == plan::NULL_AWARE_ANTI ||
                                       type_ == plan::MARK || type_ == plan::NULL_AWARE_MARK);
  }

  bool Next(Batch* out) override {
    if (!built_) Build();
    while (true) {
      ctx_.CheckCancelled();  // per probe batch or fan-out piece: a many-to-many join stops on cancel
      out->columns.clear();
      out->rows = 0;
      if (probe_done_) return EmitUnmatchedBuild(out);
      Batch in;
      if (!pending_.empty()) {
        in = std::move(pending_.front());
        pending_.pop_front();
      } else {
        if (!probe_->Next(&in)) {
          probe_done_ = true;
          continue;
        }
        if (in.rows == 0) continue;
        if (build_has_duplicates_ && !first_match_only_ && SplitLargeFanout(in)) continue;
      }
      Probe(in, out);
      if (out->rows > 0) return true;
    }
  }

 private:
  void Build() {
    built_ = true;
    Batch b;
    std::vector<Vector> keys(build_keys_.size());
    std::string key;
    while (build_op_->Next(&b)) {
      ctx_.CheckCancelled();
      if (b.rows == 0) continue;
      std::vector<const Vector*> kp;
      for (size_t k = 0; k < build_keys_.size(); ++k) {
        build_keys_[k]->Evaluate(b, &keys[k]);
        kp.push_back(&keys[k]);
      }
      if (int_keys_) {
        size_t base = int_key_values_.size();
        int_key_values_.resize(base + b.rows);
        ReadIntKeys(keys[0], b.rows, int_key_values_.data() + base);
        for (size_t r = 0; r < b.rows; ++r) {
          bool ok = !keys[0].IsNull(r);
          key_valid_.push_back(ok ? 1 : 0);
          if (!ok) build_has_null_key_ = true;
        }
        build_.AppendAll(b);
        continue;
      }
      for (size_t r = 0; r < b.rows; ++r) {
        key.clear();
        bool ok = EncodeKey(kp, r, &key);
        key_offsets_.push_back(static_cast<uint32_t>(key_bytes_.size()));
        key_bytes_.append(key);
        key_valid_.push_back(ok ? 1 : 0);
        if (!ok) build_has_null_key_ = true;
      }
      build_.AppendAll(b);
    }
    key_offsets_.push_back(static_cast<uint32_t>(key_bytes_.size()));
    size_t n = build_.rows;
    size_t buckets = 1;
    while (buckets < n * 2) buckets <<= 1;
    mask_ = buckets - 1;
    heads_.assign(buckets, -1);
    next_.assign(n, -1);
    for (size_t r = 0; r < n; ++r) {
      if (!key_valid_[r]) continue;
      uint64_t h = int_keys_ ? MixKey(int_key_values_[r])
                             : XXH3_64bits(key_bytes_.data() + key_offsets_[r], key_offsets_[r + 1] - key_offsets_[r]);
      size_t bkt = h & mask_;
      if (!build_has_duplicates_) {
        for (int32_t b = heads_[bkt]; b >= 0; b = next_[b]) {
          bool same = int_keys_ ? int_key_values_[b] == int_key_values_[r]
                                : (key_offsets_[b + 1] - key_offsets_[b] == key_offsets_[r + 1] - key_offsets_[r] &&
                                   std::memcmp(key_bytes_.data() + key_offsets_[b], key_bytes_.data() + key_offsets_[r],
                                               key_offsets_[r + 1] - key_offsets_[r]) == 0);
          if (same) { build_has_duplicates_ = true; break; }
        }
      }
      next_[r] = heads_[bkt];
      heads_[bkt] = static_cast<int32_t>(r);
    }
    build_matched_.assign(n, 0);
  }

  // Calls on_match(probe_row, build_row) for every key match of the rows of `in` (in probe row
  // order), and marks rows whose key is NULL in *null_key.
  template <typename OnMatch>
  void ForEachMatch(const Batch& in, std::vector<uint8_t>* null_key, OnMatch&& on_match) {
    if (build_.rows == 0) return;
    std::vector<Vector> keys(probe_keys_.size());
    std::vector<const Vector*> kp;
    for (size_t k = 0; k < probe_keys_.size(); ++k) {
      probe_keys_[k]->Evaluate(in, &keys[k]);
      kp.push_back(&keys[k]);
    }
    if (int_keys_) {
      std::vector<int64_t> values(in.rows);
      ReadIntKeys(keys[0], in.rows, values.data());
      const uint8_t* nulls = keys[0].nulls();
      for (size_t r = 0; r < in.rows; ++r) {
        if (nulls[r]) { (*null_key)[r] = 1; continue; }
        int64_t v = values[r];
        for (int32_t b = heads_[MixKey(v) & mask_]; b >= 0; b = next_[b]) {
          if (int_key_values_[b] == v) {
            on_match(static_cast<uint32_t>(r), static_cast<uint32_t>(b));
            if (first_match_only_) break;
          }
        }
      }
      return;
    }
    std::string key;
    for (size_t r = 0; r < in.rows; ++r) {
      key.clear();
      if (!EncodeKey(kp, r, &key)) { (*null_key)[r] = 1; continue; }
      uint64_t h = XXH3_64bits(key.data(), key.size());
      for (int32_t b = heads_[h & mask_]; b >= 0; b = next_[b]) {
        size_t len = key_offsets_[b + 1] - key_offsets_[b];
        if (len == key.size() && std::memcmp(key_bytes_.data() + key_offsets_[b], key.data(), len) == 0) {
          on_match(static_cast<uint32_t>(r), static_cast<uint32_t>(b));
          if (first_match_only_) break;  // a semi/anti join without residual needs one match
        }
      }
    }
  }

  // When the build side repeats keys, one probe batch can match millions of rows: split such
  // a batch into pieces of about kMaxPairs matches (a single row is never split) and queue them.
  bool SplitLargeFanout(const Batch& in) {
    constexpr size_t kMaxPairs = 64 * 1024;
    std::vector<uint32_t> counts(in.rows, 0);
    std::vector<uint8_t> null_key(in.rows, 0);
    size_t total = 0;
    ForEachMatch(in, &null_key, [&](uint32_t p, uint32_t) { ++counts[p]; ++total; });
    if (total <= kMaxPairs) return false;
    std::vector<uint32_t> rows;
    size_t pairs = 0;
    for (size_t r = 0; r < in.rows; ++r) {
      rows.push_back(static_cast<uint32_t>(r));
      pairs += counts[r];
      if (pairs >= kMaxPairs || r + 1 == in.rows) {
        Batch piece(in.Types());
        piece.AppendSelected(in, rows.data(), rows.size());
        pending_.push_back(std::move(piece));
        rows.clear();
        pairs = 0;
      }
    }
    return true;
  }

  void Probe(const Batch& in, Batch* out) {
    std::vector<uint32_t> probe_sel, build_sel;
    std::vector<uint8_t> probe_null_key(in.rows, 0);
    ForEachMatch(in, &probe_null_key, [&](uint32_t p, uint32_t b) {
      probe_sel.push_back(p);
      build_sel.push_back(b);
    });
    bool semi_like = type_ == plan::SEMI || type_ == plan::ANTI || type_ == plan::NULL_AWARE_ANTI ||
                     type_ == plan::MARK || type_ == plan::NULL_AWARE_MARK;
    if (semi_like && !residual_) {
      EmitSemi(in, probe_sel, probe_null_key, out);
      return;
    }
    // Joined rows.
    Batch joined(in.Types());
    for (const auto& t : BuildTypes()) joined.columns.emplace_back(t);
    size_t np = in.columns.size();
    for (size_t c = 0; c < np; ++c) joined.columns[c].AppendSelected(in.columns[c], probe_sel.data(), probe_sel.size());
    for (size_t c = 0; c < build_.columns.size(); ++c) joined.columns[np + c].AppendSelected(build_.columns[c], build_sel.data(), build_sel.size());
    joined.rows = probe_sel.size();
    if (residual_ && joined.rows > 0) {
      std::vector<uint32_t> keep;
      EvaluatePredicate(*residual_, joined, &keep);
      Batch filtered(joined.Types());
      filtered.AppendSelected(joined, keep.data(), keep.size());
      std::vector<uint32_t> ps, bs;
      for (uint32_t k : keep) { ps.push_back(probe_sel[k]); bs.push_back(build_sel[k]); }
      probe_sel = std::move(ps);
      build_sel = std::move(bs);
      joined = std::move(filtered);
    }
    for (uint32_t b : build_sel) build_matched_[b] = 1;
    if (semi_like) {
      EmitSemi(in, probe_sel, probe_null_key, out);
      return;
    }
    *out = std::move(joined);

    if (type_ == plan::LEFT || type_ == plan::FULL) {
      std::vector<uint8_t> matched(in.rows, 0);
      for (uint32_t p : probe_sel) matched[p] = 1;
      std::vector<uint32_t> unmatched;
      for (size_t r = 0; r < in.rows; ++r) if (!matched[r]) unmatched.push_back(static_cast<uint32_t>(r));
      if (!unmatched.empty()) {
        for (size_t c = 0; c < np; ++c) out->columns[c].AppendSelected(in.columns[c], unmatched.data(), unmatched.size());
        AppendNulls(out, np, unmatched.size());
        out->rows += unmatched.size();
      }
    }
  }

  std::vector<SqlType> BuildTypes() const { return build_.Types(); }

  static inline uint64_t MixKey(int64_t v) {
    uint64_t x = static_cast<uint64_t>(v);
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
  }

  static void ReadIntKeys(const Vector& v, size_t n, int64_t* out) {
    switch (v.physical()) {
      case PhysicalType::kInt16: for (size_t i = 0; i < n; ++i) out[i] = v.data<int16_t>()[i]; break;
      case PhysicalType::kInt32: for (size_t i = 0; i < n; ++i) out[i] = v.data<int32_t>()[i]; break;
      default: std::memcpy(out, v.data<int64_t>(), n * sizeof(int64_t)); break;
    }
  }

  // SEMI: probe rows with a (surviving) match; ANTI: without; NULL_AWARE_ANTI: NOT IN rules.
  void EmitSemi(const Batch& in, const std::vector<uint32_t>& probe_sel, const std::vector<uint8_t>& probe_null_key,
                Batch* out) {
    std::vector<uint8_t> matched(in.rows, 0);
    for (uint32_t p : probe_sel) matched[p] = 1;
    if (type_ == plan::MARK || type_ == plan::NULL_AWARE_MARK) {
      *out = Batch(in.Types());
      out->AppendAll(in);
      Vector mark(SqlType::Bool(), in.rows);
      bool null_aware = type_ == plan::NULL_AWARE_MARK;
      for (size_t r = 0; r < in.rows; ++r) {
        mark.data<uint8_t>()[r] = matched[r];
        bool unknown = !matched[r] && null_aware && build_.rows > 0 && (probe_null_key[r] || build_has_null_key_);
        mark.SetNull(r, unknown);
      }
      out->columns.push_back(std::move(mark));
      return;
    }
    std::vector<uint32_t> keep;
    bool semi = type_ == plan::SEMI;
    bool null_aware = type_ == plan::NULL_AWARE_ANTI;
    if (!(null_aware && build_has_null_key_)) {  // x NOT IN (..., NULL) is never true
      for (size_t r = 0; r < in.rows; ++r) {
        bool qualifies = semi ? matched[r] != 0 : (!matched[r] && !(null_aware && probe_null_key[r] && build_.rows > 0));
        if (qualifies) keep.push_back(static_cast<uint32_t>(r));
      }
    }
    *out = Batch(in.Types());
    out->AppendSelected(in, keep.data(), keep.size());
  }

  bool EmitUnmatchedBuild(Batch* out) {
    if (type_ != plan::RIGHT && type_ != plan::FULL) return false;
    if (emitted_unmatched_ || build_.rows == 0) return false;
    emitted_unmatched_ = true;
    std::vector<uint32_t> sel;
    for (size_t r = 0; r < build_.rows; ++r) if (!build_matched_[r]) sel.push_back(static_cast<uint32_t>(r));
    if (sel.empty()) return false;
    *out = Batch(probe_types_);
    AppendNulls(out, 0, sel.size());
    for (size_t c = 0; c < build_.columns.size(); ++c) {
      Vector v(build_.columns[c].type());
      v.AppendSelected(build_.columns[c], sel.data(), sel.size());
      out->columns.push_back(std::move(v));
    }
    out->rows = sel.size();
    return true;
  }

  const ExecContext& ctx_;  // outlives the operator (the stage runner owns both)
  OperatorPtr probe_, build_op_;
  plan::JoinType type_;
  std::vector<std::unique_ptr<ExpressionEvaluator>> probe_keys_, build_keys_;
  std::unique_ptr<ExpressionEvaluator> residual_;
  Batch build_;
  std::vector<SqlType> probe_types_;
  std::string key_bytes_;
  std::vector<uint32_t> key_offsets_;
  std::vector<uint8_t> key_valid_, build_matched_;
  std::vector<int32_t> heads_, next_;
  size_t mask_ = 0;
  bool built_ = false, probe_done_ = false, emitted_unmatched_ = false, build_has_null_key_ = false;
  bool first_match_only_ = false;
  bool int_keys_ = false;
  bool build_has_duplicates_ = false;  // some key repeats: probe batches may fan out
  std::deque<Batch> pending_;          // pieces of a probe batch split by SplitLargeFanout
  std::vector<int64_t> int_key_values_;  // int_keys_: the build keys, by build row
};

class NestedLoopJoin : public Operator {
 public:
  NestedLoopJoin(const plan::NestedLoopJoin& spec, OperatorPtr probe, OperatorPtr build, std::vector<SqlType> build_types,
                 const ExecContext& ctx)
      : ctx_(ctx), probe_(std::move(probe)), build_op_(std::move(build)), type_(spec.type()), build_(build_types) {
    if (spec.has_condition()) cond_ = std::make_unique<ExpressionEvaluator>(spec.condition());
  }

  bool Next(Batch* out) override {
    if (!built_) {
      built_ = true;
      Batch b;
      while (build_op_->Next(&b)) {
        ctx_.CheckCancelled();
        build_.AppendAll(b);
      }
    }
    while (true) {
      ctx_.CheckCancelled();  // per probe row: each one yields a whole build side of rows
      if (pos_ >= in_.rows) {
        if (!probe_->Next(&in_)) return false;
        pos_ = 0;
        if (in_.rows == 0) continue;
      }
      size_t r = pos_++;
      size_t n = build_.rows;
      *out = Batch(in_.Types());
      std::vector<uint32_t> rep(n, static_cast<uint32_t>(r)), all(n);
      for (size_t i = 0; i < n; ++i) all[i] = static_cast<uint32_t>(i);
      for (size_t c = 0; c < in_.columns.size(); ++c) out->columns[c].AppendSelected(in_.columns[c], rep.data(), n);
      for (size_t c = 0; c < build_.columns.size(); ++c) {
        Vector v(build_.columns[c].type());
        v.AppendSelected(build_.columns[c], all.data(), n);
        out->columns.push_back(std::move(v));
      }
      out->rows = n;
      if (cond_ && n > 0) {
        std::vector<uint32_t> keep;
        EvaluatePredicate(*cond_, *out, &keep);
        Batch f(out->Types());
        f.AppendSelected(*out, keep.data(), keep.size());
        *out = std::move(f);
      }
      if (type_ == plan::MARK) {
        bool any = out->rows > 0;
        *out = Batch(in_.Types());
        uint32_t one = static_cast<uint32_t>(r);
        out->AppendSelected(in_, &one, 1);
        Vector mark(SqlType::Bool(), 1);
        mark.data<uint8_t>()[0] = any ? 1 : 0;
        out->columns.push_back(std::move(mark));
        return true;
      }
      if (type_ == plan::SEMI || type_ == plan::ANTI) {
        bool any = out->rows > 0;
        *out = Batch(in_.Types());
        if (any == (type_ == plan::SEMI)) {
          uint32_t one = static_cast<uint32_t>(r);
          out->AppendSelected(in_, &one, 1);
        }
        if (out->rows > 0) return true;
        continue;
      }
      if (out->rows == 0 && (type_ == plan::LEFT || type_ == plan::FULL)) {
        *out = Batch(in_.Types());
        uint32_t one = static_cast<uint32_t>(r);
        for (size_t c = 0; c < in_.columns.size(); ++c) out->columns[c].AppendSelected(in_.columns[c], &one, 1);
        for (const auto& v : build_.columns) out->columns.emplace_back(v.type());
        AppendNulls(out, in_.columns.size(), 1);
        out->rows = 1;
      }
      if (out->rows > 0) return true;
    }
  }

 private:
  const ExecContext& ctx_;
  OperatorPtr probe_, build_op_;
  plan::JoinType type_;
  std::unique_ptr<ExpressionEvaluator> cond_;
  Batch build_, in_;
  size_t pos_ = 0;
  bool built_ = false;
};

}  // namespace

OperatorPtr MakeHashJoin(const plan::HashJoin& spec, OperatorPtr probe, OperatorPtr build,
                         std::vector<SqlType> probe_types, std::vector<SqlType> build_types, const ExecContext& ctx) {
  return std::make_unique<HashJoin>(spec, std::move(probe), std::move(build), std::move(probe_types), std::move(build_types),
                                    ctx);
}

OperatorPtr MakeNestedLoopJoin(const plan::NestedLoopJoin& spec, OperatorPtr probe, OperatorPtr build,
                               std::vector<SqlType> build_types, const ExecContext& ctx) {
  return std::make_unique<NestedLoopJoin>(spec, std::move(probe), std::move(build), std::move(build_types), ctx);
}

}  // namespace strata
