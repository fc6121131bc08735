#include "executor/sort_operator.h"

#include <algorithm>
#include <functional>

#include "executor/expression.h"
#include "executor/zorder.h"
#include "sql/value_text.h"

namespace strata {

namespace {

// Compares row a with row b of one key column: <0, 0, >0 (NULLs handled by the caller).
using RowCompare = std::function<int(uint32_t, uint32_t)>;

RowCompare MakeCompare(const Vector& v) {
  return DispatchPhysical(v.physical(), [&]<typename T>() -> RowCompare {
    const T* d = v.data<T>();
    if constexpr (std::is_same_v<T, std::string_view>) {
      if (v.type().id == TypeId::kChar) {
        return [d](uint32_t a, uint32_t b) { return TrimTrailingBlanks(d[a]).compare(TrimTrailingBlanks(d[b])); };
      }
      return [d](uint32_t a, uint32_t b) { return d[a].compare(d[b]); };
    } else {
      return [d](uint32_t a, uint32_t b) { return d[a] < d[b] ? -1 : (d[b] < d[a] ? 1 : 0); };
    }
  });
}

class SortOperator : public Operator {
 public:
  SortOperator(const plan::Sort& spec, OperatorPtr input, std::vector<SqlType> types)
      : input_(std::move(input)), all_(types), limit_(spec.limit()), zorder_(spec.zorder()) {
    for (const auto& k : spec.keys()) {
      keys_.push_back(std::make_unique<ExpressionEvaluator>(k.expr()));
      desc_.push_back(k.desc());
      nulls_first_.push_back(k.nulls_first());
      key_values_.emplace_back(FromProto(k.expr().type()));
    }
  }

  bool Next(Batch* out) override {
    if (!sorted_) SortAll();
    out->columns.clear();
    out->rows = 0;
    if (pos_ >= perm_.size()) return false;
    size_t n = std::min(kBatchSize, perm_.size() - pos_);
    *out = Batch(all_.Types());
    out->AppendSelected(all_, perm_.data() + pos_, n);
    pos_ += n;
    return true;
  }

 private:
  static SqlType FromProto(const plan::Type& t) {
    SqlType s;
    s.id = static_cast<TypeId>(t.id());
    s.precision = t.precision();
    s.scale = t.scale();
    s.length = t.length();
    return s;
  }

  void SortAll() {
    sorted_ = true;
    Batch in;
    Vector tmp;
    while (input_->Next(&in)) {
      if (in.rows == 0) continue;
      for (size_t k = 0; k < keys_.size(); ++k) {
        keys_[k]->Evaluate(in, &tmp);
        key_values_[k].AppendAll(tmp);
      }
      all_.AppendAll(in);
    }
    perm_.resize(all_.rows);
    for (size_t i = 0; i < perm_.size(); ++i) perm_[i] = static_cast<uint32_t>(i);
    if (zorder_) {
      SortByZOrder();
      return;
    }
    if (SortBySingleIntegerKey()) return;
    std::vector<RowCompare> cmps;
    for (const auto& v : key_values_) cmps.push_back(MakeCompare(v));
    auto less = [&](uint32_t a, uint32_t b) {
      for (size_t k = 0; k < cmps.size(); ++k) {
        bool na = key_values_[k].IsNull(a), nb = key_values_[k].IsNull(b);
        if (na || nb) {
          if (na && nb) continue;
          return na == nulls_first_[k];
        }
        int c = cmps[k](a, b);
        if (c != 0) return desc_[k] ? c > 0 : c < 0;
      }
      return a < b;  // stable
    };
    if (limit_ >= 0 && static_cast<size_t>(limit_) < perm_.size()) {
      std::partial_sort(perm_.begin(), perm_.begin() + limit_, perm_.end(), less);
      perm_.resize(limit_);
    } else {
      std::sort(perm_.begin(), perm_.end(), less);
    }
  }

  // One non-NULL integer-like key (a date sort key, say): sort (key, row) pairs directly,
  // without the per-comparison dispatch of the general path.
  bool SortBySingleIntegerKey() {
    if (key_values_.size() != 1 || limit_ >= 0) return false;
    const Vector& k = key_values_[0];
    PhysicalType pt = k.physical();
    if ((pt != PhysicalType::kInt32 && pt != PhysicalType::kInt64 && pt != PhysicalType::kInt16) || k.HasNulls()) return false;
    std::vector<std::pair<int64_t, uint32_t>> pairs(perm_.size());
    for (size_t i = 0; i < pairs.size(); ++i) {
      int64_t v = pt == PhysicalType::kInt32 ? k.data<int32_t>()[i] : pt == PhysicalType::kInt16 ? k.data<int16_t>()[i] : k.data<int64_t>()[i];
      pairs[i] = {desc_[0] ? -v : v, static_cast<uint32_t>(i)};  // row index breaks ties: stable
    }
    std::sort(pairs.begin(), pairs.end());
    for (size_t i = 0; i < pairs.size(); ++i) perm_[i] = pairs[i].second;
    return true;
  }

  // INTERLEAVED SORTKEY: order by the rows' z-values (ties keep input order). The planner only
  // asks for it without a limit.
  void SortByZOrder() {
    std::vector<uint64_t> z;
    ZOrderValues(key_values_, &z);
    std::vector<std::pair<uint64_t, uint32_t>> pairs(z.size());
    for (size_t i = 0; i < pairs.size(); ++i) pairs[i] = {z[i], static_cast<uint32_t>(i)};
    std::sort(pairs.begin(), pairs.end());  // row index breaks ties: stable
    for (size_t i = 0; i < pairs.size(); ++i) perm_[i] = pairs[i].second;
  }

  OperatorPtr input_;
  Batch all_;
  int64_t limit_;
  bool zorder_;
  std::vector<std::unique_ptr<ExpressionEvaluator>> keys_;
  std::vector<bool> desc_, nulls_first_;
  std::vector<Vector> key_values_;
  std::vector<uint32_t> perm_;
  size_t pos_ = 0;
  bool sorted_ = false;
};

class LimitOperator : public Operator {
 public:
  LimitOperator(const plan::Limit& spec, OperatorPtr input)
      : input_(std::move(input)), remaining_(spec.limit()), skip_(spec.offset()) {}

  bool Next(Batch* out) override {
    while (remaining_ != 0) {
      Batch in;
      if (!input_->Next(&in)) return false;
      size_t start = 0;
      if (skip_ > 0) {
        size_t s = std::min<size_t>(skip_, in.rows);
        skip_ -= s;
        start = s;
      }
      size_t n = in.rows - start;
      if (remaining_ >= 0) n = std::min<size_t>(n, remaining_);
      if (n == 0) continue;
      std::vector<uint32_t> sel(n);
      for (size_t i = 0; i < n; ++i) sel[i] = static_cast<uint32_t>(start + i);
      *out = Batch(in.Types());
      out->AppendSelected(in, sel.data(), n);
      if (remaining_ > 0) remaining_ -= n;
      return true;
    }
    return false;
  }

 private:
  OperatorPtr input_;
  int64_t remaining_;  // -1 = no limit
  int64_t skip_;
};

}  // namespace

OperatorPtr MakeSort(const plan::Sort& spec, OperatorPtr input, std::vector<SqlType> types) {
  return std::make_unique<SortOperator>(spec, std::move(input), std::move(types));
}

OperatorPtr MakeLimit(const plan::Limit& spec, OperatorPtr input) {
  return std::make_unique<LimitOperator>(spec, std::move(input));
}

}  // namespace strata
