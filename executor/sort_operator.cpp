// ORDER BY and LIMIT (see sort_operator.h): the in-memory sort of a permutation, top-N by
// periodic partial sort, sorted runs in spill files and their k-way merge.
#include "executor/sort_operator.h"

#include "planner/expr_builder.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

#include "executor/expression.h"
#include "executor/memory_budget.h"
#include "executor/spill_file.h"
#include "executor/zorder.h"
#include "sql/interval_time.h"
#include "sql/value_text.h"

namespace strata {

namespace {

// One key's order: its physical type, CHAR (trailing blanks ignored), direction and NULLs.
struct KeyOrder {
  PhysicalType physical;
  bool is_char;
  bool is_interval;  // ordered by span only, so '1 mon' and '30 days' tie (sql/interval_time.h)
  bool desc;
  bool nulls_first;
};

template <typename T>
inline int Compare3(const T& a, const T& b) {
  if constexpr (std::is_floating_point_v<T>) {
    // PostgreSQL's order: NaN after every number, equal to NaN.
    bool na = std::isnan(a), nb = std::isnan(b);
    if (na || nb) return na == nb ? 0 : (na ? 1 : -1);
  }
  return a < b ? -1 : (b < a ? 1 : 0);
}

// Compares row i of the key columns `a` with row j of the key columns `b`: <0, 0, >0 in the
// sort's order (a typed switch per key; no per-row indirect call).
inline int CompareRows(const std::vector<KeyOrder>& keys, const Vector* a, size_t i, const Vector* b, size_t j) {
  for (size_t k = 0; k < keys.size(); ++k) {
    const KeyOrder& o = keys[k];
    bool na = a[k].IsNull(i), nb = b[k].IsNull(j);
    if (na || nb) {
      if (na && nb) continue;
      return na == o.nulls_first ? -1 : 1;
    }
    int c;
    switch (o.physical) {
      case PhysicalType::kBool: c = Compare3(a[k].data<uint8_t>()[i], b[k].data<uint8_t>()[j]); break;
      case PhysicalType::kInt16: c = Compare3(a[k].data<int16_t>()[i], b[k].data<int16_t>()[j]); break;
      case PhysicalType::kInt32: c = Compare3(a[k].data<int32_t>()[i], b[k].data<int32_t>()[j]); break;
      case PhysicalType::kInt64: c = Compare3(a[k].data<int64_t>()[i], b[k].data<int64_t>()[j]); break;
      case PhysicalType::kInt128:
        c = o.is_interval ? Compare3(IntervalSpan(a[k].data<int128>()[i]), IntervalSpan(b[k].data<int128>()[j]))
                          : Compare3(a[k].data<int128>()[i], b[k].data<int128>()[j]);
        break;
      case PhysicalType::kFloat32: c = Compare3(a[k].data<float>()[i], b[k].data<float>()[j]); break;
      case PhysicalType::kFloat64: c = Compare3(a[k].data<double>()[i], b[k].data<double>()[j]); break;
      case PhysicalType::kString: {
        std::string_view x = a[k].data<std::string_view>()[i], y = b[k].data<std::string_view>()[j];
        if (o.is_char) {
          x = TrimTrailingBlanks(x);
          y = TrimTrailingBlanks(y);
        }
        int r = x.compare(y);
        c = r < 0 ? -1 : (r > 0 ? 1 : 0);
        break;
      }
      default: c = 0;
    }
    if (c != 0) return o.desc ? -c : c;
  }
  return 0;
}

// Copies out[i] = sources[src[i]].columns[c][row[i]] for every column: the gather of a merge's
// output batch, one typed loop per column.
void Gather(const std::vector<std::shared_ptr<Batch>>& sources, const std::vector<uint32_t>& src,
            const std::vector<uint32_t>& row, Batch* out) {
  size_t n = src.size();
  out->SetRows(n);
  for (size_t c = 0; c < out->columns.size(); ++c) {
    Vector& v = out->columns[c];
    uint8_t* nulls = v.nulls();
    for (size_t i = 0; i < n; ++i) nulls[i] = sources[src[i]]->columns[c].nulls()[row[i]];
    DispatchPhysical(v.physical(), [&]<typename T>() {
      T* d = v.data<T>();
      for (size_t i = 0; i < n; ++i) d[i] = sources[src[i]]->columns[c].template data<T>()[row[i]];
    });
    if (v.physical() == PhysicalType::kString) {
      for (const auto& s : sources) v.ShareHeaps(s->columns[c]);
    }
  }
}

// A sorted run: the input's columns then the key columns, in sort order; on disk (file) or in
// memory (batches, counted as held).
struct Run {
  std::unique_ptr<SpillFile> file;
  int64_t max_batch_bytes = 0;  // the largest batch written: what reading it back buffers
  std::vector<Batch> batches;   // an in-memory run (file is null)
  int64_t bytes = 0;            // an in-memory run's bytes
};

// Merges sorted runs (each in the order written; ties go to the lower run index, which is the
// earlier input) into batches of the same layout.
class RunMerger {
 public:
  RunMerger(std::vector<Run*> runs, const std::vector<KeyOrder>* keys, size_t width, std::vector<SqlType> types,
            const ExecContext* ctx)
      : keys_(keys), width_(width), types_(std::move(types)), ctx_(ctx) {
    for (Run* r : runs) {
      Source s;
      s.run = r;
      sources_.push_back(std::move(s));
    }
    for (size_t i = 0; i < sources_.size(); ++i) {
      if (Advance(&sources_[i])) heap_.push_back(static_cast<uint32_t>(i));
    }
    std::make_heap(heap_.begin(), heap_.end(), Greater{this});
  }

  // Up to `max_rows` next rows; false when every run is exhausted.
  bool Next(Batch* out, size_t max_rows) {
    ctx_->CheckCancelled();
    if (heap_.empty()) return false;
    holders_.clear();
    src_.clear();
    row_.clear();
    for (auto& s : sources_) s.holder = -1;
    Greater greater{this};
    while (src_.size() < max_rows && !heap_.empty()) {
      std::pop_heap(heap_.begin(), heap_.end(), greater);
      Source& s = sources_[heap_.back()];
      if (s.holder < 0) {
        s.holder = static_cast<int>(holders_.size());
        holders_.push_back(s.batch);
      }
      src_.push_back(static_cast<uint32_t>(s.holder));
      row_.push_back(static_cast<uint32_t>(s.pos));
      if (++s.pos >= s.batch->rows && !Advance(&s)) {
        heap_.pop_back();
      } else {
        std::push_heap(heap_.begin(), heap_.end(), greater);
      }
    }
    *out = Batch(types_);
    Gather(holders_, src_, row_, out);
    return true;
  }

 private:
  struct Source {
    Run* run = nullptr;
    size_t next = 0;  // an in-memory run's next batch
    std::shared_ptr<Batch> batch;
    size_t pos = 0;
    int holder = -1;  // index of `batch` in holders_ for the output being built
  };

  // The run's next non-empty batch; false at its end.
  bool Advance(Source* s) {
    while (true) {
      ctx_->CheckCancelled();
      auto b = std::make_shared<Batch>();
      bool got;
      if (s->run->file != nullptr) {
        got = s->run->file->Read(b.get());
      } else if ((got = s->next < s->run->batches.size())) {
        *b = std::move(s->run->batches[s->next++]);
      }
      if (!got) {
        s->batch.reset();
        return false;
      }
      if (b->rows == 0) continue;
      s->batch = std::move(b);
      s->pos = 0;
      s->holder = -1;
      return true;
    }
  }

  // The heap's order: a > b when a's current row sorts after b's (ties: higher run index).
  struct Greater {
    const RunMerger* m;
    bool operator()(uint32_t a, uint32_t b) const {
      const Source& x = m->sources_[a];
      const Source& y = m->sources_[b];
      int c = CompareRows(*m->keys_, &x.batch->columns[m->width_], x.pos, &y.batch->columns[m->width_], y.pos);
      return c != 0 ? c > 0 : a > b;
    }
  };

  const std::vector<KeyOrder>* keys_;
  size_t width_;
  std::vector<SqlType> types_;
  const ExecContext* ctx_;
  std::vector<Source> sources_;
  std::vector<uint32_t> heap_;
  std::vector<std::shared_ptr<Batch>> holders_;
  std::vector<uint32_t> src_, row_;
};

const ExecContext& NoContext() {
  static const ExecContext ctx;
  return ctx;
}

// A deep copy of src[sel[0..n)]: strings go into the copy's own heap, so the heaps of the
// batches they came from can be freed (top-N compaction).
Vector CompactCopy(const Vector& src, const uint32_t* sel, size_t n) {
  Vector v(src.type());
  if (src.physical() != PhysicalType::kString) {
    v.AppendSelected(src, sel, n);
    return v;
  }
  v.Resize(n);
  const auto* s = src.data<std::string_view>();
  for (size_t i = 0; i < n; ++i) {
    bool null = src.IsNull(sel[i]);
    v.SetNull(i, null);
    if (!null) v.SetString(i, s[sel[i]]);
  }
  return v;
}

class SortOperator : public Operator {
 public:
  SortOperator(const plan::Sort& spec, OperatorPtr input, std::vector<SqlType> types, const ExecContext& ctx, SortStats* stats,
               size_t memory_run_rows)
      : input_(std::move(input)), types_(types), all_(types), limit_(spec.limit()), zorder_(spec.zorder()), ctx_(ctx),
        stats_(stats), mem_(ctx.memory, "Sort"), memory_run_rows_(memory_run_rows) {
    run_types_ = types_;
    for (const auto& k : spec.keys()) {
      keys_.push_back(std::make_unique<ExpressionEvaluator>(k.expr()));
      SqlType t = FromProtoType(k.expr().type());
      order_.push_back(KeyOrder{t.physical(), t.id == TypeId::kChar, t.id == TypeId::kInterval, k.desc(), k.nulls_first()});
      key_types_.push_back(t);
      run_types_.push_back(t);
    }
    ResetHeld();
  }

  bool Next(Batch* out) override {
    if (!consumed_) Consume();
    out->columns.clear();
    out->rows = 0;
    if (merger_) return NextMerged(out);
    if (pos_ >= perm_.size()) {
      Release();
      return false;
    }
    size_t n = std::min(kBatchSize, perm_.size() - pos_);
    *out = Batch(types_);
    out->AppendSelected(all_, perm_.data() + pos_, n);
    pos_ += n;
    return true;
  }

 private:
  // Bytes charged per held row beyond its values: the permutation and the (key, row) pairs of
  // the single-integer-key sort.
  static constexpr int64_t kSortBytesPerRow = 20;

  bool TopN() const { return limit_ >= 0 && !zorder_; }

  void ResetHeld() {
    all_ = Batch(types_);
    key_values_.clear();
    for (const auto& t : key_types_) key_values_.emplace_back(t);
    perm_.clear();
    perm_.shrink_to_fit();
  }

  void Consume() {
    consumed_ = true;
    Batch in;
    std::vector<Vector> tmp(keys_.size());
    while (true) {
      ctx_.CheckCancelled();
      if (!input_->Next(&in)) break;
      if (in.rows == 0 || limit_ == 0) continue;
      int64_t bytes = static_cast<int64_t>(in.EstimatedBytes()) + static_cast<int64_t>(in.rows) * kSortBytesPerRow;
      for (size_t k = 0; k < keys_.size(); ++k) {
        keys_[k]->Evaluate(in, &tmp[k]);
        bytes += static_cast<int64_t>(tmp[k].EstimatedBytes());
      }
      Hold(bytes);
      for (size_t k = 0; k < keys_.size(); ++k) key_values_[k].AppendAll(tmp[k]);
      all_.AppendAll(in);
      if (TopN()) {
        if (all_.rows >= std::max<size_t>(2 * static_cast<size_t>(limit_), static_cast<size_t>(limit_) + kBatchSize)) Compact();
      } else if (!zorder_ && all_.rows >= memory_run_rows_) {
        MakeRun(/*in_memory=*/true);
      }
    }
    input_.reset();  // frees the input's state before the merge buffers are taken
    if (runs_.empty()) {
      SortHeld();
      return;
    }
    if (all_.rows > 0) MakeRun(/*in_memory=*/!AnyOnDisk());
    MergeRuns();
  }

  // What the sort holds before it makes room (with a budget): half the query's share divided
  // by the slices on the node, which run their sorts at once and share it; the rest is for the
  // merges' buffers and the operators above.
  int64_t Cap() const {
    if (ctx_.memory == nullptr) return INT64_MAX;
    return std::max<int64_t>(1, mem_.limit() / (2 * std::max(1, ctx_.slices_per_node)));
  }

  // Counts `bytes` more held, making room first by compacting (top-N) or spilling a run.
  void Hold(int64_t bytes) {
    if (zorder_) {
      mem_.Grow(bytes);  // z-values rank over the whole input: no runs; 53200 over budget
      return;
    }
    auto fits = [&] { return (all_.rows == 0 || mem_.held() + bytes <= Cap()) && mem_.TryGrow(bytes); };
    if (fits()) return;
    if (TopN() && all_.rows > static_cast<size_t>(limit_)) {
      Compact();
      if (fits()) return;
    }
    if (all_.rows > 0 || runs_bytes_ > 0) {
      WriteMemoryRuns();
      if (all_.rows > 0) MakeRun(/*in_memory=*/false);
      if (fits()) return;
    }
    mem_.Grow(bytes);  // one batch alone is over the budget: 53200
  }

  // Top-N: keeps only the first limit_ rows of what is held, in sorted order, with strings
  // copied out of the input's heaps.
  void Compact() {
    if (all_.rows <= static_cast<size_t>(limit_)) return;
    SortHeld();
    size_t n = perm_.size();
    Batch kept;
    for (const auto& c : all_.columns) kept.columns.push_back(CompactCopy(c, perm_.data(), n));
    kept.rows = n;
    std::vector<Vector> keys;
    for (const auto& v : key_values_) keys.push_back(CompactCopy(v, perm_.data(), n));
    all_ = std::move(kept);
    key_values_ = std::move(keys);
    perm_.clear();
    int64_t bytes = static_cast<int64_t>(all_.EstimatedBytes()) + static_cast<int64_t>(n) * kSortBytesPerRow;
    for (const auto& v : key_values_) bytes += static_cast<int64_t>(v.EstimatedBytes());
    if (bytes < mem_.held()) mem_.ShrinkTo(bytes);
  }

  // Sorts perm_ over what is held (the first limit_ rows only, with a limit).
  void SortHeld() {
    perm_.resize(all_.rows);
    for (size_t i = 0; i < perm_.size(); ++i) perm_[i] = static_cast<uint32_t>(i);
    pos_ = 0;
    if (zorder_) {
      SortByZOrder();
      return;
    }
    if (SortBySingleIntegerKey()) return;
    if (SortByNormalizedKeys()) return;
    const Vector* kv = key_values_.data();
    auto less = [&](uint32_t a, uint32_t b) {
      int c = CompareRows(order_, kv, a, kv, b);
      return c != 0 ? c < 0 : a < b;  // row index breaks ties: stable
    };
    if (limit_ >= 0 && static_cast<size_t>(limit_) < perm_.size()) {
      std::partial_sort(perm_.begin(), perm_.begin() + limit_, perm_.end(), less);
      perm_.resize(limit_);
    } else {
      std::sort(perm_.begin(), perm_.end(), less);
    }
  }

  // One non-NULL integer-like key (a date sort key, say): sort (key, row) pairs directly.
  bool SortBySingleIntegerKey() {
    if (key_values_.size() != 1 || limit_ >= 0) return false;
    const Vector& k = key_values_[0];
    PhysicalType pt = k.physical();
    if ((pt != PhysicalType::kInt32 && pt != PhysicalType::kInt64 && pt != PhysicalType::kInt16) || k.HasNulls()) return false;
    std::vector<std::pair<int64_t, uint32_t>> pairs(perm_.size());
    for (size_t i = 0; i < pairs.size(); ++i) {
      int64_t v = pt == PhysicalType::kInt32 ? k.data<int32_t>()[i] : pt == PhysicalType::kInt16 ? k.data<int16_t>()[i] : k.data<int64_t>()[i];
      pairs[i] = {order_[0].desc ? ~v : v, static_cast<uint32_t>(i)};  // ~v reverses without overflow; row breaks ties
    }
    std::sort(pairs.begin(), pairs.end());
    for (size_t i = 0; i < pairs.size(); ++i) perm_[i] = pairs[i].second;
    return true;
  }

  // Integer, boolean, DECIMAL and string keys (TPC-H Q16's count DESC, brand, type, size): each
  // row's keys become one byte string whose memcmp order is the sort's order -- per key a NULL
  // byte placing NULLs first or last, then the value big-endian with its sign bit flipped, or a
  // string (CHAR without its trailing blanks) with 0x00 escaped as 00 FF and ended by 00 00;
  // every byte inverted for DESC -- and rows are sorted 8 bytes at a time as integers (a
  // most-significant-first radix over (chunk, row) pairs), ties kept in row order (stable). No
  // per-key switch, trim or memcmp per comparison. The
  // strings' bytes are counted in the sort's reservation while they exist; false (the general
  // comparison) for floats and intervals, or when the reservation says no.
  bool SortByNormalizedKeys() {
    const size_t n = perm_.size();
    if (n < 2) return false;
    size_t bytes = 0;  // the keys' bytes at most (the arena)
    for (size_t k = 0; k < order_.size(); ++k) {
      const KeyOrder& o = order_[k];
      if (o.is_interval) return false;
      switch (o.physical) {
        case PhysicalType::kBool: case PhysicalType::kInt16: case PhysicalType::kInt32: case PhysicalType::kInt64:
        case PhysicalType::kInt128:
          bytes += n * (1 + PhysicalWidth(o.physical));
          break;
        case PhysicalType::kString: {
          const std::string_view* d = key_values_[k].data<std::string_view>();
          for (size_t r = 0; r < n; ++r) bytes += 3 + 2 * d[r].size();  // at worst every byte escaped
          break;
        }
        default: return false;
      }
    }
    // The arena, its offsets and the (chunk, row) pairs, counted while they exist.
    const size_t held = bytes + n * (sizeof(uint32_t) + sizeof(std::pair<uint64_t, uint32_t>));
    if (bytes > UINT32_MAX || !mem_.TryGrow(static_cast<int64_t>(held))) return false;
    const int64_t before = mem_.held() - static_cast<int64_t>(held);
    std::vector<uint8_t> arena(bytes);
    std::vector<uint32_t> offset(n + 1);
    uint8_t* p = arena.data();
    for (size_t r = 0; r < n; ++r) {
      offset[r] = static_cast<uint32_t>(p - arena.data());
      for (size_t k = 0; k < order_.size(); ++k) p = PutNormalizedKey(order_[k], key_values_[k], r, p);
    }
    offset[n] = static_cast<uint32_t>(p - arena.data());
    // Most significant 8 bytes first: sort (chunk, row) pairs, then each run of rows that tie
    // on the chunk by the next 8 bytes, and so on (no key is a prefix of another, so zero
    // padding past a key's end never makes unequal keys tie; equal keys keep row order).
    const uint8_t* a = arena.data();
    auto chunk = [&](uint32_t r, size_t at) {
      const size_t len = offset[r + 1] - offset[r];
      uint8_t b[8] = {0, 0, 0, 0, 0, 0, 0, 0};
      if (at < len) std::memcpy(b, a + offset[r] + at, std::min<size_t>(8, len - at));
      uint64_t v = 0;
      for (uint8_t x : b) v = (v << 8) | x;
      return v;
    };
    std::vector<std::pair<uint64_t, uint32_t>> pairs(n);
    struct Part {
      size_t lo, hi, at;
    };
    std::vector<Part> todo{{0, n, 0}};
    while (!todo.empty()) {
      const Part part = todo.back();
      todo.pop_back();
      size_t longest = 0;
      bool all_equal = true;  // (bytes every row of the part shares: nothing to sort here)
      for (size_t i = part.lo; i < part.hi; ++i) {
        const uint32_t r = perm_[i];
        pairs[i] = {chunk(r, part.at), r};
        longest = std::max<size_t>(longest, offset[r + 1] - offset[r]);
        all_equal = all_equal && pairs[i].first == pairs[part.lo].first;
      }
      if (all_equal) {
        if (part.at + 8 < longest) todo.push_back({part.lo, part.hi, part.at + 8});
        continue;
      }
      std::sort(pairs.begin() + part.lo, pairs.begin() + part.hi);
      for (size_t i = part.lo; i < part.hi; ++i) perm_[i] = pairs[i].second;
      if (part.at + 8 >= longest) continue;  // every key ends within this chunk
      for (size_t i = part.lo; i < part.hi;) {
        size_t j = i + 1;
        while (j < part.hi && pairs[j].first == pairs[i].first) ++j;
        if (j - i > 1) todo.push_back({i, j, part.at + 8});
        i = j;
      }
    }
    if (limit_ >= 0 && static_cast<size_t>(limit_) < n) perm_.resize(limit_);
    mem_.ShrinkTo(before);
    return true;
  }

  // Writes row r's bytes of key `o` at p (room for the most it can take); returns the end.
  static uint8_t* PutNormalizedKey(const KeyOrder& o, const Vector& v, size_t r, uint8_t* p) {
    if (v.IsNull(r)) {
      *p++ = o.nulls_first ? 0 : 1;
      return p;  // two NULLs tie on the byte alone; the next key's bytes follow alike
    }
    *p++ = o.nulls_first ? 1 : 0;
    uint8_t* const start = p;
    auto put_be = [&](uint64_t u, int bytes) {
      for (int i = bytes - 1; i >= 0; --i) *p++ = static_cast<uint8_t>(u >> (8 * i));
    };
    switch (o.physical) {
      case PhysicalType::kBool: *p++ = v.data<uint8_t>()[r]; break;
      case PhysicalType::kInt16: put_be(static_cast<uint16_t>(v.data<int16_t>()[r]) ^ 0x8000u, 2); break;
      case PhysicalType::kInt32: put_be(static_cast<uint32_t>(v.data<int32_t>()[r]) ^ 0x80000000u, 4); break;
      case PhysicalType::kInt64: put_be(static_cast<uint64_t>(v.data<int64_t>()[r]) ^ (uint64_t{1} << 63), 8); break;
      case PhysicalType::kInt128: {
        const auto u = static_cast<unsigned __int128>(v.data<int128>()[r]);
        put_be(static_cast<uint64_t>(u >> 64) ^ (uint64_t{1} << 63), 8);
        put_be(static_cast<uint64_t>(u), 8);
        break;
      }
      case PhysicalType::kString: {
        std::string_view x = v.data<std::string_view>()[r];
        if (o.is_char) x = TrimTrailingBlanks(x);
        if (x.find('\0') == std::string_view::npos) {
          std::memcpy(p, x.data(), x.size());
          p += x.size();
        } else {
          for (char c : x) {
            *p++ = static_cast<uint8_t>(c);
            if (c == 0) *p++ = 0xff;
          }
        }
        *p++ = 0;
        *p++ = 0;
        break;
      }
      default: break;
    }
    if (o.desc) {
      for (uint8_t* q = start; q < p; ++q) *q = static_cast<uint8_t>(~*q);
    }
    return p;
  }

  // INTERLEAVED SORTKEY: order by the rows' z-values (ties keep input order). The planner only
  // asks for it without a limit.
  void SortByZOrder() {
    std::vector<uint64_t> z;
    ZOrderValues(key_values_, &z);
    std::vector<std::pair<uint64_t, uint32_t>> pairs(z.size());
    for (size_t i = 0; i < pairs.size(); ++i) pairs[i] = {z[i], static_cast<uint32_t>(i)};
    std::sort(pairs.begin(), pairs.end());
    for (size_t i = 0; i < pairs.size(); ++i) perm_[i] = pairs[i].second;
  }

  // Rows per run batch on disk: small enough that a merge can buffer about 16 runs in Cap().
  void ChooseSpillRows(int64_t bytes, size_t rows) {
    if (spill_rows_ != 0) return;
    int64_t per_row = std::max<int64_t>(1, bytes / static_cast<int64_t>(std::max<size_t>(1, rows)));
    int64_t n = Cap() / 16 / per_row;
    spill_rows_ = static_cast<size_t>(std::clamp<int64_t>(n, 16, static_cast<int64_t>(kBatchSize)));
  }

  // Sorts what is held into a run (input columns then key columns) and frees it. The run stays
  // in memory when asked and the budget allows (large inputs sort faster as runs of
  // memory_run_rows_ merged than as one permutation); otherwise it is written to a spill file.
  void MakeRun(bool in_memory) {
    SortHeld();
    int64_t held_bytes = mem_.held() - runs_bytes_;  // what all_ is charged
    Run run;
    size_t width = types_.size();
    size_t step = kBatchSize;
    if (!in_memory) {
      ChooseSpillRows(held_bytes, all_.rows);
      step = spill_rows_;
      run.file = std::make_unique<SpillFile>(ctx_.memory->NextSpillPath(), &mem_);
    }
    for (size_t pos = 0; pos < perm_.size(); pos += step) {
      ctx_.CheckCancelled();
      size_t n = std::min(step, perm_.size() - pos);
      Batch b(run_types_);
      for (size_t c = 0; c < width; ++c) b.columns[c].AppendSelected(all_.columns[c], perm_.data() + pos, n);
      for (size_t k = 0; k < key_values_.size(); ++k) b.columns[width + k].AppendSelected(key_values_[k], perm_.data() + pos, n);
      b.rows = n;
      int64_t bb = static_cast<int64_t>(b.EstimatedBytes());
      run.max_batch_bytes = std::max<int64_t>(run.max_batch_bytes, bb);
      if (in_memory) {
        run.bytes += bb;
        run.batches.push_back(std::move(b));
      } else {
        run.file->Write(b);
      }
    }
    if (in_memory) {
      ResetHeld();
      // The run replaces all_ in the count; when it is larger and the budget refuses the
      // difference, it goes to disk after all.
      if (run.bytes <= held_bytes || mem_.TryGrow(run.bytes - held_bytes)) {
        mem_.ShrinkTo(runs_bytes_ + run.bytes);
        runs_bytes_ += run.bytes;
        runs_.push_back(std::move(run));
        if (stats_ != nullptr) ++stats_->memory_runs;
        return;
      }
      mem_.ShrinkTo(runs_bytes_);
      WriteRun(&run);
      runs_.push_back(std::move(run));
      WriteMemoryRuns();
      return;
    }
    run.file->FinishWriting();
    runs_.push_back(std::move(run));
    if (stats_ != nullptr) ++stats_->runs;
    ResetHeld();
    mem_.ShrinkTo(runs_bytes_);
  }

  // Writes an in-memory run to a spill file and frees its batches (the caller fixes the count).
  void WriteRun(Run* run) {
    size_t rows = 0;
    for (const auto& b : run->batches) rows += b.rows;
    ChooseSpillRows(run->bytes, rows);
    run->file = std::make_unique<SpillFile>(ctx_.memory->NextSpillPath(), &mem_);
    run->max_batch_bytes = 0;
    for (const auto& b : run->batches) {
      for (size_t pos = 0; pos < b.rows; pos += spill_rows_) {  // in batches a merge can buffer
        ctx_.CheckCancelled();
        size_t n = std::min(spill_rows_, b.rows - pos);
        sel_.resize(n);
        for (size_t i = 0; i < n; ++i) sel_[i] = static_cast<uint32_t>(pos + i);
        Batch part(run_types_);
        part.AppendSelected(b, sel_.data(), n);
        run->max_batch_bytes = std::max<int64_t>(run->max_batch_bytes, static_cast<int64_t>(part.EstimatedBytes()));
        run->file->Write(part);
      }
    }
    run->file->FinishWriting();
    run->batches.clear();
    run->batches.shrink_to_fit();
    run->bytes = 0;
    if (stats_ != nullptr) ++stats_->runs;
  }

  // Writes the in-memory runs to spill files (in place: the runs' order is the input's).
  void WriteMemoryRuns() {
    for (auto& run : runs_) {
      if (run.file != nullptr) continue;
      int64_t bytes = run.bytes;
      WriteRun(&run);
      runs_bytes_ -= bytes;
      mem_.Shrink(bytes);
      if (stats_ != nullptr) --stats_->memory_runs;
    }
  }

  bool AnyOnDisk() const {
    for (const auto& r : runs_) {
      if (r.file != nullptr) return true;
    }
    return false;
  }

  int64_t BufferBytes() const {
    int64_t b = 0;
    for (const auto& r : runs_) b = std::max(b, r.max_batch_bytes);
    return std::max<int64_t>(b, 1);
  }

  // How many runs one merge can read at once: run buffers plus one output batch within Cap()
  // and the budget, at least 2.
  size_t FanIn() {
    int64_t per = BufferBytes();
    size_t most = static_cast<size_t>(std::min<int64_t>(Cap() / per, static_cast<int64_t>(runs_.size()) + 1));
    size_t fit = 0;
    while (fit < most && mem_.TryGrow(per)) ++fit;
    mem_.ShrinkTo(0);
    return std::max<size_t>(2, fit > 0 ? fit - 1 : 0);
  }

  std::unique_ptr<RunMerger> Merger(size_t begin, size_t end) {
    std::vector<Run*> group;
    for (size_t i = begin; i < end; ++i) group.push_back(&runs_[i]);
    mem_.Grow(BufferBytes() * static_cast<int64_t>(end - begin + 1));  // 53200 if not even 2 runs fit
    return std::make_unique<RunMerger>(std::move(group), &order_, types_.size(), run_types_, &ctx_);
  }

  // Merges consecutive runs in passes until one merge can take the rest, then opens it. Runs
  // all in memory merge at once; with any on disk, all go to disk and merge within the budget.
  void MergeRuns() {
    if (!AnyOnDisk()) {
      std::vector<Run*> all;
      for (auto& r : runs_) all.push_back(&r);
      merger_ = std::make_unique<RunMerger>(std::move(all), &order_, types_.size(), run_types_, &ctx_);
      if (stats_ != nullptr) ++stats_->merge_passes;
      return;
    }
    WriteMemoryRuns();
    mem_.ShrinkTo(0);
    while (true) {
      size_t fanin = FanIn();
      if (runs_.size() <= fanin) break;
      std::vector<Run> next;
      for (size_t i = 0; i < runs_.size(); i += fanin) {
        size_t e = std::min(runs_.size(), i + fanin);
        if (e - i == 1) {
          next.push_back(std::move(runs_[i]));
          continue;
        }
        Run merged;
        merged.file = std::make_unique<SpillFile>(ctx_.memory->NextSpillPath(), &mem_);
        {
          auto m = Merger(i, e);
          Batch b;
          while (m->Next(&b, spill_rows_)) {
            merged.max_batch_bytes = std::max<int64_t>(merged.max_batch_bytes, static_cast<int64_t>(b.EstimatedBytes()));
            merged.file->Write(b);
          }
        }
        merged.file->FinishWriting();
        for (size_t j = i; j < e; ++j) runs_[j].file.reset();  // unlinks the merged runs now
        mem_.ShrinkTo(0);
        next.push_back(std::move(merged));
      }
      runs_ = std::move(next);
      if (stats_ != nullptr) ++stats_->merge_passes;
    }
    merger_ = Merger(0, runs_.size());
    if (stats_ != nullptr) ++stats_->merge_passes;
  }

  bool NextMerged(Batch* out) {
    size_t want = spill_rows_ != 0 ? spill_rows_ : kBatchSize;
    if (limit_ >= 0) {
      if (emitted_ >= static_cast<size_t>(limit_)) {
        Release();
        return false;
      }
      want = std::min(want, static_cast<size_t>(limit_) - emitted_);
    }
    Batch b;
    if (!merger_->Next(&b, want)) {
      Release();
      return false;
    }
    out->columns.clear();
    for (size_t c = 0; c < types_.size(); ++c) out->columns.push_back(std::move(b.columns[c]));
    out->rows = b.rows;
    emitted_ += b.rows;
    return true;
  }

  // The end: frees what is held, the merge and the run files.
  void Release() {
    if (merger_ != nullptr) {
      merger_.reset();
      runs_.clear();
      runs_bytes_ = 0;
    } else {
      ResetHeld();
      pos_ = 0;
    }
    mem_.ShrinkTo(0);
  }

  OperatorPtr input_;
  std::vector<SqlType> types_;      // the input's (and output's) columns
  std::vector<SqlType> key_types_;
  std::vector<SqlType> run_types_;  // a run's columns: types_ then key_types_
  Batch all_;                       // rows held
  int64_t limit_;
  bool zorder_;
  const ExecContext& ctx_;
  SortStats* stats_;
  MemoryReservation mem_;
  std::vector<std::unique_ptr<ExpressionEvaluator>> keys_;
  std::vector<KeyOrder> order_;
  std::vector<Vector> key_values_;  // the keys of the rows held
  std::vector<uint32_t> perm_;
  std::vector<uint32_t> sel_;
  size_t pos_ = 0;
  bool consumed_ = false;
  std::vector<Run> runs_;
  size_t spill_rows_ = 0;  // rows per run batch on disk, chosen at the first spill
  size_t memory_run_rows_;  // rows at which what is held becomes an in-memory run
  int64_t runs_bytes_ = 0;  // bytes of the in-memory runs (part of mem_.held())
  std::unique_ptr<RunMerger> merger_;
  size_t emitted_ = 0;
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
  return std::make_unique<SortOperator>(spec, std::move(input), std::move(types), NoContext(), nullptr, kSortMemoryRunRows);
}

OperatorPtr MakeSort(const plan::Sort& spec, OperatorPtr input, std::vector<SqlType> types, const ExecContext& ctx,
                     SortStats* stats, size_t memory_run_rows) {
  return std::make_unique<SortOperator>(spec, std::move(input), std::move(types), ctx, stats,
                                        std::max<size_t>(memory_run_rows, 1));
}

OperatorPtr MakeLimit(const plan::Limit& spec, OperatorPtr input) {
  return std::make_unique<LimitOperator>(spec, std::move(input));
}

}  // namespace strata
