#include "executor/hash_aggregate.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

// Inlined: the tables hash short keys one row at a time, where a call per key costs as much as the hash.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "executor/distinct_sketch.h"
#include "executor/distinct_value_set.h"
#include "executor/expression.h"
#include "executor/memory_budget.h"
#include "executor/packed_keys.h"
#include "executor/row_hash.h"
#include "executor/sortable_key.h"
#include "executor/spill_file.h"
#include "planner/aggregate_layout.h"
#include "planner/expr_builder.h"
#include "sql/error.h"

namespace strata {

namespace {

bool IsPercentile(plan::AggFunc f) { return f == plan::PERCENTILE_CONT || f == plan::PERCENTILE_DISC; }

// The percentile `f` (0..1) of `values` (reordered): PostgreSQL's percentile_cont interpolates
// between the values at positions floor and ceil of f * (n - 1); percentile_disc takes the first
// value whose position reaches f * n.
double Percentile(std::vector<double>* values, double f, bool continuous) {
  std::vector<double>& v = *values;
  const size_t n = v.size();
  if (!continuous) {
    double want = std::ceil(f * static_cast<double>(n));
    size_t k = want <= 1 ? 0 : std::min(n - 1, static_cast<size_t>(want) - 1);
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    return v[k];
  }
  double pos = f * static_cast<double>(n - 1);
  size_t lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(n - 1, lo + 1);
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(lo), v.end());
  double low = v[lo];
  if (pos == static_cast<double>(lo) || hi == lo) return low;
  double high = *std::min_element(v.begin() + static_cast<std::ptrdiff_t>(lo) + 1, v.end());
  return low + (high - low) * (pos - static_cast<double>(lo));
}

bool IsVariance(plan::AggFunc f) {
  return f == plan::VAR_SAMP || f == plan::VAR_POP || f == plan::STDDEV_SAMP || f == plan::STDDEV_POP;
}

struct AggState {
  plan::AggFunc func = plan::COUNT_STAR;
  bool distinct = false;
  SqlType arg_type, result_type;
  std::unique_ptr<ExpressionEvaluator> arg;  // SINGLE / PARTIAL
  int state_col = 0;                         // FINAL: first state column in the input
  std::vector<int64_t> count;
  std::vector<int128> isum;
  std::vector<double> fsum;                  // SUM / AVG of floats; VAR_* / STDDEV_*: the mean
  std::vector<double> m2;                    // VAR_* / STDDEV_*: sum of squared deviations
  std::vector<uint8_t> has;
  Vector extreme;                            // MIN / MAX values per group
  std::vector<std::string> text;             // LISTAGG: the values joined so far per group
  std::string delimiter;                     // LISTAGG
  std::unordered_set<std::string> seen;      // DISTINCT: group id + value key
  DistinctValueSet seen_ints;                // DISTINCT of an integer-like value: (group, value)
  std::vector<DistinctSketch> sketch;        // APPROX_COUNT_DISTINCT per group
  std::vector<std::vector<double>> values;   // PERCENTILE_*: every value of the group
  double fraction = 0;                       // PERCENTILE_*
  // LISTAGG_ORDERED: the order key (SINGLE / PARTIAL) and its direction; `text` holds each
  // group's packed (sort key, value) pairs.
  std::unique_ptr<ExpressionEvaluator> order_arg;
  bool order_desc = false, order_nulls_first = false;
};

// Group ids by one integer key (or packed keys, executor/packed_keys.h): open addressing with
// linear probing, grown at half full; a slot holds its key and id together, so a lookup in a
// table larger than the caches waits for one line of memory.
class IntGroupIndex {
 public:
  IntGroupIndex() { Rehash(1024); }
  // The group of key k; `fresh` is the id a new group gets.
  uint32_t FindOrInsert(int64_t k, uint32_t fresh, bool* inserted) {
    if ((count_ + 1) * 2 > slots_.size()) Rehash(slots_.size() * 2);
    size_t i = Hash(k) & mask_;
    while (slots_[i].id != kEmpty) {
      if (slots_[i].key == k) { *inserted = false; return slots_[i].id; }
      i = (i + 1) & mask_;
    }
    slots_[i] = Slot{k, fresh};
    ++count_;
    *inserted = true;
    return fresh;
  }
  // Asks for key k's first slot to be fetched from memory ahead of its FindOrInsert.
  void Prefetch(int64_t k) const { __builtin_prefetch(&slots_[Hash(k) & mask_], 1); }
  // Bytes of the slot array (memory accounting).
  int64_t Bytes() const { return static_cast<int64_t>(slots_.size() * sizeof(Slot)); }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  struct Slot {
    int64_t key;
    uint32_t id;
  };
  static uint64_t Hash(int64_t v) {
    uint64_t x = static_cast<uint64_t>(v);
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
  }
  void Rehash(size_t capacity) {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(capacity, Slot{0, kEmpty});
    mask_ = capacity - 1;
    for (const Slot& s : old) {
      if (s.id == kEmpty) continue;
      size_t j = Hash(s.key) & mask_;
      while (slots_[j].id != kEmpty) j = (j + 1) & mask_;
      slots_[j] = s;
    }
  }
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t count_ = 0;
};

// Group ids by encoded key (row_hash.h's EncodeKeys bytes; every key shape that is not one
// integer): open addressing over (hash tag, id) slots with linear probing, grown at half full;
// each group's key bytes are kept once, in one arena. A key's bytes are compared only when the
// high halves of the hashes agree. Ids are given in order, 0, 1, 2, ...
class KeyGroupIndex {
 public:
  KeyGroupIndex() { Rehash(1024); }
  // The group of `key` (hash h); a new key gets id `fresh`.
  uint32_t FindOrInsert(std::string_view key, uint64_t h, uint32_t fresh, bool* inserted) {
    if ((count_ + 1) * 2 > slots_.size()) Rehash(slots_.size() * 2);
    const uint32_t tag = static_cast<uint32_t>(h >> 32);
    size_t i = h & mask_;
    for (;; i = (i + 1) & mask_) {
      const Slot s = slots_[i];
      if (s.id == kEmpty) break;
      if (s.tag == tag && KeyOf(s.id) == key) {
        *inserted = false;
        return s.id;
      }
    }
    slots_[i] = Slot{tag, fresh};
    if (groups_.size() <= fresh) groups_.resize(fresh + 1);
    groups_[fresh] = Group{h, static_cast<uint64_t>(arena_.size()), static_cast<uint32_t>(key.size())};
    arena_.append(key);
    ++count_;
    *inserted = true;
    return fresh;
  }
  // Bytes of the slots, the per-group entries and the key arena (memory accounting).
  int64_t Bytes() const {
    return static_cast<int64_t>(slots_.size() * sizeof(Slot) + groups_.capacity() * sizeof(Group) + arena_.capacity());
  }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  struct Slot {
    uint32_t tag;  // the high half of the key's hash
    uint32_t id;
  };
  struct Group {
    uint64_t hash;
    uint64_t offset;  // of its key in arena_
    uint32_t length;
  };
  std::string_view KeyOf(uint32_t id) const { return {arena_.data() + groups_[id].offset, groups_[id].length}; }
  void Rehash(size_t capacity) {
    slots_.assign(capacity, Slot{0, kEmpty});
    mask_ = capacity - 1;
    for (uint32_t id = 0; id < groups_.size(); ++id) {
      size_t j = groups_[id].hash & mask_;
      while (slots_[j].id != kEmpty) j = (j + 1) & mask_;
      slots_[j] = Slot{static_cast<uint32_t>(groups_[id].hash >> 32), id};
    }
  }
  std::vector<Slot> slots_;
  std::vector<Group> groups_;  // by id
  std::string arena_;
  size_t mask_ = 0;
  size_t count_ = 0;
};

[[noreturn]] void Overflow() { throw SqlError(sqlstate::kNumericValueOutOfRange, "numeric field overflow"); }

inline int128 RoundDiv(int128 a, int128 b) {
  int128 q = a / b, r = a % b;
  if (r != 0 && (r < 0 ? -r : r) * 2 >= (b < 0 ? -b : b)) q += ((a < 0) != (b < 0)) ? -1 : 1;
  return q;
}

// Mixes a distribution hash with a seed per spill level, so each level of re-partitioning uses
// bits independent of the slice routing and of the previous level.
inline uint64_t SpillMix(uint64_t h, int level) {
  return MixBits64(h ^ static_cast<uint64_t>(level + 1) * 0x9E3779B97F4A7C15ULL);
}

// How many distinct groups went into a spill partition (HyperLogLog, 64 registers, about 13%
// error): decides how finely to split the partition again if it does not fit.
struct GroupSketch {
  uint8_t reg[64] = {};
  void Add(uint64_t h) {
    uint64_t w = h << 6;
    uint8_t rank = w == 0 ? 59 : static_cast<uint8_t>(__builtin_clzll(w) + 1);
    uint8_t& r = reg[h >> 58];
    if (rank > r) r = rank;
  }
  double Estimate() const {
    double sum = 0;
    int zeros = 0;
    for (uint8_t r : reg) {
      sum += std::ldexp(1.0, -r);
      zeros += r == 0;
    }
    double e = 0.709 * 64 * 64 / sum;
    if (e < 2.5 * 64 && zeros > 0) e = 64 * std::log(64.0 / zeros);
    return e;
  }
};

// Memory and spilling. The table (group keys, indexes, state arrays, string bytes, DISTINCT
// sets) is estimated in bytes_ as it grows and reserved from ctx.memory in chunks. When the
// budget refuses: PARTIAL sends its states downstream and starts afresh (FINAL merges the
// duplicates); SINGLE and FINAL write the table's partial states to 32 spill files by a hash of
// the group key and start afresh; at the end of the input each file is merged on its own (as
// FINAL does), re-partitioned with other hash bits (into as many files as its size needs) if it
// still does not fit, up to kMaxDepth levels. Spill files are read in the order written, so
// LISTAGG keeps its order. A DISTINCT aggregate's state cannot be merged from partial states:
// with one, SINGLE spills input rows instead (see AddRawBatch), and PARTIAL / FINAL (which the
// planner never gives a DISTINCT aggregate) do not spill. What cannot make room (one group, a
// partition still too big after kMaxDepth levels) fails with 53200 naming HashAggregate.
class HashAggregate : public Operator {
 public:
  HashAggregate(const plan::Aggregate& spec, OperatorPtr input, const ExecContext& ctx)
      : input_(std::move(input)), ctx_(ctx), mode_(spec.mode()), mem_(ctx.memory, "HashAggregate") {
    for (const auto& g : spec.groups()) {
      group_evals_.push_back(std::make_unique<ExpressionEvaluator>(g));
      group_types_.push_back(FromProtoType(g.type()));
      DispatchPhysical(group_types_.back().physical(), [&]<typename T>() { group_bytes_ += sizeof(T) + 1; });
    }
    keys_.resize(group_evals_.size());
    groups_ = Batch(group_types_);
    if (group_types_.size() == 1) {
      PhysicalType pt = group_types_[0].physical();
      int_key_ = pt == PhysicalType::kInt16 || pt == PhysicalType::kInt32 || pt == PhysicalType::kInt64;
    }
    if (!int_key_ && !group_types_.empty()) {
      packed_layout_ = std::make_unique<PackedKeyLayout>(group_types_);
      packed_key_ = packed_layout_->usable();
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
      group_bytes_ += sizeof(int64_t) + 1;  // count, has
      if (s.func == plan::SUM || s.func == plan::AVG) group_bytes_ += sizeof(int128) + sizeof(double);
      if (IsVariance(s.func)) group_bytes_ += 2 * sizeof(double);
      if (IsPercentile(s.func)) {
        s.fraction = a.fraction();
        group_bytes_ += sizeof(std::vector<double>);
        // A group's values are one state: spill raw rows (SINGLE) rather than states, as DISTINCT.
        can_spill_ = false;
        raw_spill_ = mode_ == plan::SINGLE;
      }
      if (s.func == plan::MIN || s.func == plan::MAX || s.func == plan::SINGLE_VALUE) {
        s.extreme = Vector(s.arg_type);
        DispatchPhysical(s.arg_type.physical(), [&]<typename T>() { group_bytes_ += sizeof(T) + 1; });
      }
      if (s.func == plan::LISTAGG || s.func == plan::LISTAGG_ORDERED) group_bytes_ += sizeof(std::string);
      if (s.func == plan::LISTAGG_ORDERED) {
        if (mode_ != plan::FINAL) s.order_arg = std::make_unique<ExpressionEvaluator>(a.order_arg());
        s.order_desc = a.order_desc();
        s.order_nulls_first = a.order_nulls_first();
      }
      if (s.func == plan::BIT_AND || s.func == plan::BIT_OR) group_bytes_ += sizeof(int128);
      if (s.distinct) {
        can_spill_ = false;
        raw_spill_ = mode_ == plan::SINGLE;
      }
      aggs_.push_back(std::move(s));
    }
    index_bytes_ = int_key_ || packed_key_ ? int_index_.Bytes() : group_evals_.empty() ? 0 : key_index_.Bytes();
    bytes_ = index_bytes_;
  }

  bool Next(Batch* out) override {
    for (;;) {
      ctx_.CheckCancelled();
      if (emitting_) {
        if (emitted_ < num_groups_) {
          EmitRows(out);
          return true;
        }
        emitting_ = false;
        ResetTable();
      }
      if (!input_done_) {
        if (ConsumeInput()) {  // PARTIAL over budget: what it holds goes downstream
          emitting_ = true;
          emit_states_ = true;
          continue;
        }
        input_done_ = true;
        raw_rows_.clear();
        if (grace_) {
          FinishSpilling(false);  // DISTINCT: every row of the input is in the partitions
        } else if (parts_.empty()) {
          if (group_evals_.empty() && num_groups_ == 0) AddGroup(nullptr, 0);
          emitting_ = true;
          emit_states_ = mode_ == plan::PARTIAL;
          continue;
        } else {
          FinishSpilling();
        }
      }
      if (todo_.empty()) {
        out->columns.clear();
        out->rows = 0;
        return false;
      }
      Partition p = std::move(todo_.back());
      todo_.pop_back();
      if (raw_spill_ ? ProcessRawPartition(p) : ProcessPartition(p)) {
        emitting_ = true;
        emit_states_ = false;
      }
    }
  }

 private:
  static constexpr int kPartitionBits = 5;  // at most 32 spill partitions per level
  static constexpr int kMaxDepth = 4;       // 32^4 ways at most; deeper fails with 53200
  static constexpr size_t kMinSpillGroups = 16;  // fewer: spilling would not make room

  struct Partition {
    std::unique_ptr<SpillFile> file;
    int depth = 0;
    double groups = 0;  // estimated distinct groups in it
  };

  // Reads the input into the table. True when PARTIAL must send the table downstream first
  // (the rest of the current batch waits in pending_); false at the end of the input.
  bool ConsumeInput() {
    Batch in;
    for (;;) {
      if (pending_.rows > 0) {
        in = std::move(pending_);
        pending_ = Batch();
      } else if (!input_->Next(&in)) {
        return false;
      }
      ctx_.CheckCancelled();  // once per input batch: a long aggregation stops on cancel
      if (in.rows == 0) continue;
      if (raw_spill_) {
        AddRawBatch(std::move(in));
        continue;
      }
      bool full = false;
      size_t used = AddBatch(in, false, &full);
      if (!full) continue;
      if (used < in.rows) pending_ = Tail(in, used);
      if (mode_ == plan::PARTIAL) return true;
      SpillTable();
    }
  }

  // Merges one spilled partition. True when it fit (the table holds its groups); false when it
  // was split again into finer partitions (pushed on todo_).
  bool ProcessPartition(Partition& p) {
    depth_ = p.depth;
    partition_groups_ = p.groups;
    Batch in;
    while (p.file->Read(&in)) {
      ctx_.CheckCancelled();
      for (;;) {
        bool full = false;
        size_t used = AddBatch(in, true, &full);
        if (!full) break;
        SpillTable();
        if (used == in.rows) break;
        in = Tail(in, used);
      }
    }
    p.file.reset();  // unlinks the file
    if (parts_.empty()) return true;
    FinishSpilling();
    return false;
  }

  // DISTINCT (SINGLE): a DISTINCT aggregate's state (the set of values seen) cannot be merged
  // from partial states, so the input rows are spilled instead (grace hash aggregation). While
  // the table fits, the rows it was built from are kept (and counted); when it no longer fits,
  // they go to the partitions by key hash, the table is dropped, and every later row of this
  // level goes straight to the partitions; each partition is aggregated the same way.
  void AddRawBatch(Batch in) {
    if (grace_) {
      RouteRaw(in);
      return;
    }
    bool keep = ctx_.memory != nullptr;  // unlimited: nothing will ever spill
    int64_t row_bytes = keep ? static_cast<int64_t>(in.EstimatedBytes() / in.rows) + 1 : 0;
    bytes_ += row_bytes * static_cast<int64_t>(in.rows);
    bool full = false;
    AddBatch(in, false, &full);
    if (!full) {
      if (keep) raw_rows_.push_back(std::move(in));
      return;
    }
    grace_ = true;
    StartPartitions();
    for (const auto& b : raw_rows_) RouteRaw(b);
    raw_rows_.clear();
    RouteRaw(in);  // all of it: the table that took part of it is dropped
    ResetTable();
  }

  // Sends input rows to this level's partitions by a hash of their group key.
  void RouteRaw(const Batch& in) {
    ctx_.CheckCancelled();
    size_t n = in.rows;
    if (n == 0) return;
    kp_.clear();
    for (size_t g = 0; g < group_evals_.size(); ++g) {
      group_evals_[g]->Evaluate(in, &keys_[g]);
      kp_.push_back(&keys_[g]);
    }
    HashRows(kp_, n, &hashes_);
    const int parts = static_cast<int>(parts_.size());
    part_sel_.resize(parts);
    for (auto& m : part_sel_) m.clear();
    for (size_t r = 0; r < n; ++r) {
      size_t p = SpillMix(hashes_[r], depth_) >> (64 - part_bits_);
      part_sel_[p].push_back(static_cast<uint32_t>(r));
      part_sketch_[p].Add(SpillMix(hashes_[r], depth_ + 64));
    }
    raw_buf_.resize(parts);
    for (int p = 0; p < parts; ++p) {
      if (part_sel_[p].empty()) continue;
      if (raw_buf_[p].columns.empty()) raw_buf_[p] = Batch(in.Types());
      raw_buf_[p].AppendSelected(in, part_sel_[p].data(), part_sel_[p].size());
      if (raw_buf_[p].rows >= kBatchSize) {
        WritePart(p, raw_buf_[p]);
        raw_buf_[p] = Batch();
      }
    }
  }

  // Aggregates one partition of spilled input rows (DISTINCT). True when it fit (the table
  // holds its groups); false when it was split again into finer partitions (pushed on todo_).
  bool ProcessRawPartition(Partition& p) {
    depth_ = p.depth;
    partition_groups_ = p.groups;
    Batch in;
    while (p.file->Read(&in)) {
      ctx_.CheckCancelled();
      if (in.rows > 0) AddRawBatch(std::move(in));
      in = Batch();
    }
    p.file.reset();
    raw_rows_.clear();
    if (!grace_) return true;
    FinishSpilling(false);
    return false;
  }

  static Batch Tail(const Batch& in, size_t from) {
    Batch t(in.Types());
    std::vector<uint32_t> sel(in.rows - from);
    for (size_t i = 0; i < sel.size(); ++i) sel[i] = static_cast<uint32_t>(from + i);
    t.AppendSelected(in, sel.data(), sel.size());
    return t;
  }

  // Makes the reservation cover bytes_. False when the budget refuses and the table can make
  // room by spilling (or, PARTIAL, by going downstream); when it cannot (DISTINCT, too few
  // groups, too deep), Grow fails the query with 53200.
  bool Reserve() {
    int64_t need = bytes_ - mem_.held();
    if (need <= 0) return true;
    bool can_spill = (can_spill_ || raw_spill_) && num_groups_ >= kMinSpillGroups &&
                     (mode_ == plan::PARTIAL || depth_ < kMaxDepth);
    // One slice's table keeps to its part of the query's share (half of it split between the
    // node's slices, as the sort does), so that the sibling slices' aggregates and the operators
    // around them always find room: otherwise one slice could take the whole share and another,
    // holding too few groups to spill, would fail with 53200.
    if (can_spill && bytes_ > FairShare()) return false;
    int64_t slack = std::clamp<int64_t>(mem_.held() / 8, 4096, 1 << 20);
    if (mem_.TryGrow(need + slack) || mem_.TryGrow(need)) return true;
    if (can_spill) return false;
    mem_.Grow(need);
    return true;
  }
  bool OverBudget() { return bytes_ > mem_.held() && !Reserve(); }
  int64_t FairShare() const {
    if (mem_.limit() == INT64_MAX) return INT64_MAX;
    return std::max<int64_t>(64 * 1024, mem_.limit() / (2 * std::max(1, ctx_.slices_per_node)));
  }

  // Adds rows of `in` to the table: input rows (SINGLE, PARTIAL) or states (FINAL; and spilled
  // partitions, whose first columns are the group keys). Returns how many rows were added;
  // *full says the budget refused more and the table must be spilled or flushed first.
  size_t AddBatch(const Batch& in, bool from_spill, bool* full) {
    *full = false;
    size_t n = in.rows;
    gids_.resize(n);
    size_t stop = n;
    if (group_evals_.empty()) {
      if (num_groups_ == 0) AddGroup(nullptr, 0);
      std::fill(gids_.begin(), gids_.end(), 0);
    } else {
      kp_.clear();
      for (size_t g = 0; g < group_evals_.size(); ++g) {
        if (from_spill) {
          kp_.push_back(&in.columns[g]);
        } else {
          kp_.push_back(&group_evals_[g]->EvaluateShared(in, &keys_[g]));
        }
      }
      if (packed_key_ && !packed_layout_->Pack(kp_, n, &packed_)) SwitchToEncodedKeys();
      // Rows of one group often come together (a table stored in its key's order: lineitem by
      // l_orderkey): a row with its predecessor's key takes its group without a lookup.
      // The table's slots of the keys a few lookups ahead are fetched while this one is done, so
      // that a table larger than the caches costs one wait per several keys, not one per key.
      constexpr size_t kAhead = 8;
      if (packed_key_) {
        size_t ahead = 0;  // the row whose key is fetched next
        for (size_t r = 0; r < n; ++r) {
          if (r > 0 && packed_[r] == packed_[r - 1]) {
            gids_[r] = gids_[r - 1];
            continue;
          }
          for (ahead = std::max(ahead, r + 1); ahead < n && ahead <= r + kAhead; ++ahead) {
            if (packed_[ahead] != packed_[ahead - 1]) int_index_.Prefetch(static_cast<int64_t>(packed_[ahead]));
          }
          if (!IntGroupOf(static_cast<int64_t>(packed_[r]), r)) { stop = r + 1; break; }
        }
      } else if (int_key_) {
        const Vector& k = *kp_[0];
        int64_t prev = 0;  // the key of the last row looked up
        int_values_.resize(n);
        for (size_t r = 0; r < n; ++r) {
          int_values_[r] = k.physical() == PhysicalType::kInt32 ? k.data<int32_t>()[r]
                           : k.physical() == PhysicalType::kInt16 ? k.data<int16_t>()[r] : k.data<int64_t>()[r];
        }
        size_t ahead = 0;
        for (size_t r = 0; r < n; ++r) {
          if (k.IsNull(r)) {
            bool added = false;
            if (null_group_ == UINT32_MAX) {
              null_group_ = static_cast<uint32_t>(num_groups_);
              AddGroup(&kp_, r);
              added = true;
            }
            gids_[r] = null_group_;
            if (added && OverBudget()) { stop = r + 1; break; }
            continue;
          }
          const int64_t v = int_values_[r];
          if (r > 0 && v == prev && !k.IsNull(r - 1)) {
            gids_[r] = gids_[r - 1];
            continue;
          }
          prev = v;
          for (ahead = std::max(ahead, r + 1); ahead < n && ahead <= r + kAhead; ++ahead) {
            if (!k.IsNull(ahead) && int_values_[ahead] != int_values_[ahead - 1]) int_index_.Prefetch(int_values_[ahead]);
          }
          if (!IntGroupOf(v, r)) { stop = r + 1; break; }
        }
      } else {
        encoded_.Encode(kp_, n);
        for (size_t r = 0; r < n; ++r) {
          std::string_view key = encoded_.Key(r);
          bool inserted;
          gids_[r] = key_index_.FindOrInsert(key, XXH3_64bits(key.data(), key.size()), static_cast<uint32_t>(num_groups_),
                                             &inserted);
          if (!inserted) continue;
          AddGroup(&kp_, r);
          bytes_ += static_cast<int64_t>(key.size());  // the key columns' own bytes
          if ((num_groups_ & 1023) == 0 || key.size() > 256) {
            int64_t ib = key_index_.Bytes();
            bytes_ += ib - index_bytes_;
            index_bytes_ = ib;
          }
          if (OverBudget()) { stop = r + 1; break; }
        }
        int64_t ib = key_index_.Bytes();
        bytes_ += ib - index_bytes_;
        index_bytes_ = ib;
      }
    }
    gids_.resize(stop);
    bool merge = from_spill || mode_ == plan::FINAL;
    for (auto& a : aggs_) {
      if (merge) Merge(a, in, gids_);
      else Update(a, in, gids_);
    }
    if (stop < n || OverBudget()) *full = true;
    return stop;
  }

  // Row r's group by its integer (or packed) key in int_index_, added to the table when new;
  // false when the budget then refuses more (the caller stops after row r).
  bool IntGroupOf(int64_t key, size_t r) {
    bool inserted;
    gids_[r] = int_index_.FindOrInsert(key, static_cast<uint32_t>(num_groups_), &inserted);
    if (!inserted) return true;
    AddGroup(&kp_, r);
    const int64_t ib = int_index_.Bytes();
    bytes_ += ib - index_bytes_;
    index_bytes_ = ib;
    return !OverBudget();
  }

  // A key too long for its packed slot arrived: the groups so far go into key_index_ under the
  // same ids, and every later row is grouped by its encoded key.
  void SwitchToEncodedKeys() {
    packed_key_ = false;
    std::vector<const Vector*> cols;
    for (const auto& c : groups_.columns) cols.push_back(&c);
    EncodedKeyBatch held;
    held.Encode(cols, groups_.rows);
    key_index_ = KeyGroupIndex();
    for (size_t id = 0; id < groups_.rows; ++id) {
      std::string_view key = held.Key(id);
      bool inserted;
      key_index_.FindOrInsert(key, XXH3_64bits(key.data(), key.size()), static_cast<uint32_t>(id), &inserted);
      bytes_ += static_cast<int64_t>(key.size());
    }
    int_index_ = IntGroupIndex();
    int64_t ib = key_index_.Bytes();
    bytes_ += ib - index_bytes_;
    index_bytes_ = ib;
  }

  // Writes the table's groups as partial states to the partitions of this level, and empties it.
  void SpillTable() {
    StartPartitions();
    const int parts = static_cast<int>(parts_.size());
    std::vector<Batch> buf(parts);
    std::vector<std::vector<uint32_t>> sel(parts);
    std::vector<uint64_t> hashes;
    std::vector<const Vector*> kc;
    emitted_ = 0;
    emit_states_ = true;
    Batch chunk;
    while (emitted_ < num_groups_) {
      ctx_.CheckCancelled();
      EmitRows(&chunk);
      kc.clear();
      for (size_t g = 0; g < group_types_.size(); ++g) kc.push_back(&chunk.columns[g]);
      HashRows(kc, chunk.rows, &hashes);
      for (auto& s : sel) s.clear();
      for (size_t r = 0; r < chunk.rows; ++r) {
        size_t p = SpillMix(hashes[r], depth_) >> (64 - part_bits_);
        sel[p].push_back(static_cast<uint32_t>(r));
        part_sketch_[p].Add(SpillMix(hashes[r], depth_ + 64));
      }
      for (int p = 0; p < parts; ++p) {
        if (sel[p].empty()) continue;
        if (buf[p].columns.empty()) buf[p] = Batch(chunk.Types());
        buf[p].AppendSelected(chunk, sel[p].data(), sel[p].size());
        if (buf[p].rows >= kBatchSize) {
          WritePart(p, buf[p]);
          buf[p] = Batch();
        }
      }
    }
    for (int p = 0; p < parts; ++p) {
      if (buf[p].rows > 0) WritePart(p, buf[p]);
    }
    ResetTable();
  }

  // Opens this level's partitions (files are created on first write).
  void StartPartitions() {
    if (ctx_.memory == nullptr) STRATA_INTERNAL_ERROR("hash aggregate spills without a query memory");
    if (!parts_.empty()) return;
    // The input's size is unknown: the widest split. A partition's groups are estimated: split
    // it into 1.5 times as many parts as tables of the size that just filled.
    part_bits_ = kPartitionBits;
    if (depth_ > 0) {
      double tables = 1.5 * partition_groups_ / static_cast<double>(std::max<size_t>(num_groups_, 1));
      part_bits_ = 1;
      while (part_bits_ < kPartitionBits && static_cast<double>(1 << part_bits_) < tables) ++part_bits_;
    }
    part_sketch_.assign(size_t{1} << part_bits_, GroupSketch());
    parts_.resize(size_t{1} << part_bits_);
  }

  void WritePart(int p, const Batch& b) {
    ctx_.CheckCancelled();
    if (parts_[p] == nullptr) parts_[p] = std::make_unique<SpillFile>(ctx_.memory->NextSpillPath(), &mem_);
    parts_[p]->Write(b);
  }

  // Spills what the table holds (or, DISTINCT, the input rows buffered) and queues this level's
  // partitions to be merged one by one.
  void FinishSpilling(bool spill_table = true) {
    if (spill_table) SpillTable();
    for (size_t i = 0; i < raw_buf_.size(); ++i) {
      if (raw_buf_[i].rows > 0) WritePart(static_cast<int>(i), raw_buf_[i]);
    }
    raw_buf_.clear();
    grace_ = false;
    for (size_t i = 0; i < parts_.size(); ++i) {
      if (parts_[i] == nullptr) continue;
      parts_[i]->FinishWriting();
      todo_.push_back(Partition{std::move(parts_[i]), depth_ + 1, part_sketch_[i].Estimate()});
    }
    parts_.clear();
  }

  void ResetTable() {
    groups_ = Batch(group_types_);
    for (auto& a : aggs_) {
      a.count = {};
      a.isum = {};
      a.fsum = {};
      a.has = {};
      if (a.func == plan::MIN || a.func == plan::MAX || a.func == plan::SINGLE_VALUE) a.extreme = Vector(a.arg_type);
      a.text = {};
      a.seen = {};
      a.seen_ints.Clear();
      a.sketch = {};
    }
    key_index_ = KeyGroupIndex();
    int_index_ = IntGroupIndex();
    null_group_ = UINT32_MAX;
    num_groups_ = 0;
    emitted_ = 0;
    index_bytes_ = int_key_ || packed_key_ ? int_index_.Bytes() : group_evals_.empty() ? 0 : key_index_.Bytes();
    bytes_ = index_bytes_;
    mem_.ShrinkTo(0);
  }

  // The next rows of the table: final values, or partial states when emit_states_.
  void EmitRows(Batch* out) {
    out->columns.clear();
    size_t n = std::min(kBatchSize, num_groups_ - emitted_);
    sel_.resize(n);
    for (size_t i = 0; i < n; ++i) sel_[i] = static_cast<uint32_t>(emitted_ + i);
    for (size_t g = 0; g < group_types_.size(); ++g) {
      Vector v(group_types_[g]);
      v.AppendSelected(groups_.columns[g], sel_.data(), n);
      out->columns.push_back(std::move(v));
    }
    for (auto& a : aggs_) Emit(a, emitted_, n, out, emit_states_);
    out->rows = n;
    emitted_ += n;
  }

  void AddGroup(const std::vector<const Vector*>* keys, size_t row) {
    if (keys != nullptr) {
      for (size_t g = 0; g < keys->size(); ++g) groups_.columns[g].AppendFrom(*(*keys)[g], row);
    }
    groups_.rows++;
    num_groups_++;
    bytes_ += group_bytes_;
    for (auto& a : aggs_) {
      a.count.push_back(0);
      a.has.push_back(0);
      if (a.func == plan::SUM || a.func == plan::AVG) {
        a.isum.push_back(0);
        a.fsum.push_back(0);
      }
      if (IsVariance(a.func)) {
        a.fsum.push_back(0);
        a.m2.push_back(0);
      }
      if (IsPercentile(a.func)) a.values.emplace_back();
      if (a.func == plan::MIN || a.func == plan::MAX || a.func == plan::SINGLE_VALUE) {
        a.extreme.Resize(a.extreme.size() + 1);
        a.extreme.SetNull(a.extreme.size() - 1, true);
      }
      if (a.func == plan::LISTAGG || a.func == plan::LISTAGG_ORDERED) a.text.emplace_back();
      if (a.func == plan::BIT_AND || a.func == plan::BIT_OR) a.isum.push_back(0);
      if (a.func == plan::APPROX_COUNT_DISTINCT) {
        a.sketch.emplace_back();
        bytes_ += a.sketch.back().Bytes();
      }
    }
  }

  // APPROX_COUNT_DISTINCT: values (SINGLE / PARTIAL) or serialized sketches (FINAL) into the
  // groups' sketches, with their growth counted.
  void AddToSketches(AggState& a, const Vector& v, const std::vector<uint32_t>& gids, bool states) {
    size_t n = gids.size();
    if (states) {
      const std::string_view* d = v.data<std::string_view>();
      for (size_t i = 0; i < n; ++i) {
        if (v.IsNull(i)) continue;
        DistinctSketch& s = a.sketch[gids[i]];
        int64_t before = s.Bytes();
        s.Merge(d[i]);
        bytes_ += s.Bytes() - before;
      }
      return;
    }
    std::vector<const Vector*> cols{&v};
    HashRows(cols, v.size(), &sketch_hashes_);
    const uint8_t* nulls = v.nulls();
    for (size_t i = 0; i < n; ++i) {
      if (nulls[i]) continue;
      DistinctSketch& s = a.sketch[gids[i]];
      int64_t before = s.Bytes();
      s.Add(sketch_hashes_[i]);
      bytes_ += s.Bytes() - before;
    }
  }

  template <typename T>
  void Accumulate(AggState& a, const Vector& v, const std::vector<uint32_t>& gids, const uint8_t* keep) {
    const T* d = v.data<T>();
    const uint8_t* nulls = v.nulls();
    size_t n = gids.size();
    if constexpr (!std::is_same_v<T, std::string_view>) {
      if (group_evals_.empty() && AccumulateOneGroup<T>(a, d, nulls, n, keep)) return;
      if (num_groups_ <= kFewGroups && AccumulateFewGroups<T>(a, d, nulls, gids.data(), n, keep)) return;
    }
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
      case plan::PERCENTILE_CONT: case plan::PERCENTILE_DISC:
        if constexpr (std::is_same_v<T, double>) {
          for (size_t i = 0; i < n; ++i) {
            if (nulls[i] || (keep && !keep[i])) continue;
            a.values[gids[i]].push_back(d[i]);
            bytes_ += sizeof(double);
          }
        }
        break;
      case plan::VAR_SAMP: case plan::VAR_POP: case plan::STDDEV_SAMP: case plan::STDDEV_POP:
        // Welford's update (the binder casts the argument to DOUBLE).
        if constexpr (std::is_same_v<T, double>) {
          for (size_t i = 0; i < n; ++i) {
            if (nulls[i] || (keep && !keep[i])) continue;
            uint32_t g = gids[i];
            int64_t c = ++a.count[g];
            double delta = d[i] - a.fsum[g];
            a.fsum[g] += delta / static_cast<double>(c);
            a.m2[g] += delta * (d[i] - a.fsum[g]);
            a.has[g] = 1;
          }
        }
        break;
      case plan::MIN: case plan::MAX: {
        T* e = a.extreme.data<T>();
        bool is_min = a.func == plan::MIN;
        for (size_t i = 0; i < n; ++i) {
          if (nulls[i] || (keep && !keep[i])) continue;
          uint32_t g = gids[i];
          if (!a.has[g] || (is_min ? d[i] < e[g] : e[g] < d[i])) {
            if constexpr (std::is_same_v<T, std::string_view>) {
              a.extreme.SetString(g, d[i]);
              bytes_ += static_cast<int64_t>(d[i].size());
            } else {
              e[g] = d[i];
            }
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
          if constexpr (std::is_same_v<T, std::string_view>) {
            a.extreme.SetString(g, d[i]);
            bytes_ += static_cast<int64_t>(d[i].size());
          } else {
            e[g] = d[i];
          }
          a.extreme.SetNull(g, false);
        }
        break;
      }
      case plan::BIT_AND: case plan::BIT_OR:
        // The same step combines input values (SINGLE / PARTIAL) and partial results (FINAL).
        if constexpr (std::is_integral_v<T> && !std::is_same_v<T, uint8_t>) {
          const bool is_and = a.func == plan::BIT_AND;
          for (size_t i = 0; i < n; ++i) {
            if (nulls[i] || (keep && !keep[i])) continue;
            uint32_t g = gids[i];
            int128 x = static_cast<int128>(d[i]);
            a.isum[g] = !a.has[g] ? x : is_and ? (a.isum[g] & x) : (a.isum[g] | x);
            a.has[g] = 1;
          }
        }
        break;
      case plan::LISTAGG:
        // The same step joins input values (SINGLE / PARTIAL) and partial results (FINAL).
        if constexpr (std::is_same_v<T, std::string_view>) {
          for (size_t i = 0; i < n; ++i) {
            if (nulls[i] || (keep && !keep[i])) continue;
            uint32_t g = gids[i];
            std::string& t = a.text[g];
            size_t before = t.size();
            if (a.has[g]) t.append(a.delimiter);
            t.append(d[i]);
            bytes_ += static_cast<int64_t>(t.size() - before);
            a.has[g] = 1;
            if (t.size() > kMaxListaggBytes) ListaggTooLong();
          }
        }
        break;
      default: break;
    }
  }

  // Every row in group 0 (no GROUP BY): COUNT, SUM, AVG, MIN and MAX of numbers kept in
  // registers for the batch rather than read and written back through the state per row, and
  // without a branch per row. The same additions in the same order as the general loop (floats
  // too), so the results are those it would give. False for the other functions.
  template <typename T>
  bool AccumulateOneGroup(AggState& a, const T* d, const uint8_t* nulls, size_t n, const uint8_t* keep) {
    auto counted = [&](size_t i) -> bool { return !nulls[i] && (keep == nullptr || keep[i]); };
    switch (a.func) {
      case plan::COUNT: {
        int64_t c = 0;
        for (size_t i = 0; i < n; ++i) c += counted(i);
        a.count[0] += c;
        return true;
      }
      case plan::SUM: case plan::AVG: {
        int64_t c = 0;
        if constexpr (std::is_floating_point_v<T>) {
          double sum = a.fsum[0];
          for (size_t i = 0; i < n; ++i) {
            if (!counted(i)) continue;
            sum += d[i];
            ++c;
          }
          a.fsum[0] = sum;
        } else if constexpr (std::is_same_v<T, int128>) {
          int128 sum = a.isum[0];
          for (size_t i = 0; i < n; ++i) {
            if (!counted(i)) continue;
            if (__builtin_add_overflow(sum, d[i], &sum)) Overflow();
            ++c;
          }
          a.isum[0] = sum;
        } else if constexpr (sizeof(T) <= 4) {
          // A batch of 32-bit values cannot overflow 64 bits.
          int64_t sum = 0;
          if (keep == nullptr) {
            for (size_t i = 0; i < n; ++i) {
              const int64_t ok = nulls[i] ^ 1;
              sum += static_cast<int64_t>(d[i]) * ok;
              c += ok;
            }
          } else {
            for (size_t i = 0; i < n; ++i) {
              const bool ok = counted(i);
              sum += ok ? static_cast<int64_t>(d[i]) : 0;
              c += ok;
            }
          }
          a.isum[0] += sum;
        } else {
          // 64-bit values in two 64-bit sums that cannot overflow for a batch (< 2^31 rows):
          // their low 32 bits (unsigned) and their high 32 bits (signed). Vectorizes, where an
          // int128 sum would not.
          uint64_t low = 0;
          int64_t high = 0;
          for (size_t i = 0; i < n; ++i) {
            const bool ok = counted(i);
            const int64_t v = ok ? static_cast<int64_t>(d[i]) : 0;
            low += static_cast<uint32_t>(v);
            high += v >> 32;
            c += ok;
          }
          a.isum[0] += static_cast<int128>(high) * (int128{1} << 32) + static_cast<int128>(low);
        }
        a.count[0] += c;
        if (c > 0) a.has[0] = 1;
        return true;
      }
      case plan::MIN: case plan::MAX: {
        T* e = a.extreme.data<T>();
        const bool is_min = a.func == plan::MIN;
        bool has = a.has[0] != 0;
        T best = has ? e[0] : T{};
        for (size_t i = 0; i < n; ++i) {
          if (!counted(i)) continue;
          if (!has || (is_min ? d[i] < best : best < d[i])) best = d[i];
          has = true;
        }
        if (has) {
          e[0] = best;
          a.has[0] = 1;
          a.extreme.SetNull(0, false);
        }
        return true;
      }
      default:
        return false;
    }
  }

  // A few groups (TPC-H Q1's four): one group's rows come close together, and a
  // read-modify-write of its state per row waits for the store of the row before. COUNT, and
  // SUM / AVG of integers, go into kLanes interleaved sets of batch-local accumulators (row i
  // into set i % kLanes), folded into the state once per batch. A value of up to 64 bits is
  // summed as its low 32 bits (unsigned) and its high 32 bits (signed), sums that cannot
  // overflow in a batch: the same totals as the general loop. An int128 value (a DECIMAL over
  // 18 digits) is summed with an overflow check per lane and again as the lanes are folded:
  // a total out of range fails as before (its last fold overflows); a sum whose running total
  // would only have left the range on the way now succeeds. False for other functions and types.
  static constexpr size_t kFewGroups = 16;
  template <typename T>
  bool AccumulateFewGroups(AggState& a, const T* d, const uint8_t* nulls, const uint32_t* gids, size_t n,
                           const uint8_t* keep) {
    const bool sum = a.func == plan::SUM || a.func == plan::AVG;
    if (a.func != plan::COUNT && !sum) return false;
    constexpr bool kNarrow = std::is_integral_v<T> && sizeof(T) <= 8;
    constexpr bool kWide = std::is_same_v<T, int128>;
    if constexpr (!kNarrow && !kWide) {
      if (sum) return false;
    }
    constexpr size_t kLanes = 4;
    int64_t count[kLanes][kFewGroups] = {};
    uint64_t low[kNarrow ? kLanes : 1][kFewGroups] = {};
    int64_t high[kNarrow ? kLanes : 1][kFewGroups] = {};
    int128 wide[kWide ? kLanes : 1][kFewGroups] = {};
    bool overflow = false;
    auto add = [&](size_t lane, size_t i) {
      const uint32_t g = gids[i];
      const int64_t ok = (nulls[i] ^ 1) & (keep == nullptr ? 1 : keep[i] != 0);
      count[lane][g] += ok;
      if (!sum) return;
      if constexpr (kNarrow) {
        const int64_t v = static_cast<int64_t>(d[i]) & -ok;
        low[lane][g] += static_cast<uint32_t>(v);
        high[lane][g] += v >> 32;
      } else if constexpr (kWide) {
        overflow |= __builtin_add_overflow(wide[lane][g], ok ? d[i] : int128{0}, &wide[lane][g]);
      }
    };
    size_t i = 0;
    for (; i + kLanes <= n; i += kLanes) {
      for (size_t lane = 0; lane < kLanes; ++lane) add(lane, i + lane);
    }
    for (; i < n; ++i) add(0, i);
    for (size_t g = 0; g < num_groups_; ++g) {
      int64_t c = 0;
      for (size_t lane = 0; lane < kLanes; ++lane) c += count[lane][g];
      a.count[g] += c;
      if (!sum || c == 0) continue;
      if constexpr (kNarrow) {
        uint64_t lo = 0;
        int64_t hi = 0;
        for (size_t lane = 0; lane < kLanes; ++lane) {
          lo += low[lane][g];
          hi += high[lane][g];
        }
        a.isum[g] += static_cast<int128>(hi) * (int128{1} << 32) + static_cast<int128>(lo);
      } else if constexpr (kWide) {
        for (size_t lane = 0; lane < kLanes; ++lane) overflow |= __builtin_add_overflow(a.isum[g], wide[lane][g], &a.isum[g]);
      }
      a.has[g] = 1;
    }
    if (overflow) Overflow();
    return true;
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
    // Not copied (only read below), unless the column's type is not the argument's (a NULL column).
    Vector retyped;
    const Vector& v = a.arg->EvaluateShared(in, &retyped);
    if (a.func == plan::APPROX_COUNT_DISTINCT) {
      AddToSketches(a, v, gids, false);
      return;
    }
    std::vector<uint8_t> keep;
    if (a.distinct && v.physical() != PhysicalType::kInt128 && v.physical() != PhysicalType::kFloat32 &&
        v.physical() != PhysicalType::kFloat64 && v.physical() != PhysicalType::kString) {
      keep.assign(gids.size(), 0);
      const int64_t before = a.seen_ints.Bytes();
      const uint8_t* nulls = v.nulls();
      auto add = [&](const auto* d) {
        for (size_t r = 0; r < gids.size(); ++r) {
          if (nulls[r]) continue;  // NULL is not counted: no pair, not kept
          keep[r] = a.seen_ints.Insert(gids[r], static_cast<int64_t>(d[r])) ? 1 : 0;
        }
      };
      switch (v.physical()) {
        case PhysicalType::kBool: add(v.data<uint8_t>()); break;
        case PhysicalType::kInt16: add(v.data<int16_t>()); break;
        case PhysicalType::kInt32: add(v.data<int32_t>()); break;
        default: add(v.data<int64_t>()); break;
      }
      bytes_ += a.seen_ints.Bytes() - before;
    } else if (a.distinct) {
      keep.assign(gids.size(), 0);
      std::string key;
      std::vector<const Vector*> cols{&v};
      for (size_t r = 0; r < gids.size(); ++r) {
        key.assign(reinterpret_cast<const char*>(&gids[r]), 4);
        EncodeKey(cols, r, &key);
        if (a.seen.insert(key).second) {
          keep[r] = 1;
          bytes_ += 64 + static_cast<int64_t>(key.size());  // set node + key
        }
      }
    }
    if (a.func == plan::LISTAGG_ORDERED) {
      AddOrdered(a, in, v, gids, keep.empty() ? nullptr : keep.data());
      return;
    }
    DispatchPhysical(v.physical(), [&]<typename T>() { Accumulate<T>(a, v, gids, keep.empty() ? nullptr : keep.data()); });
  }

  // LISTAGG_ORDERED: each non-NULL value goes into its group's state as (sort key, value):
  // a 4-byte key length, the key, a 4-byte value length, the value.
  static constexpr size_t kMaxOrderedListaggState = 16 * kMaxListaggBytes;
  void AddOrdered(AggState& a, const Batch& in, const Vector& v, const std::vector<uint32_t>& gids, const uint8_t* keep) {
    Vector k;
    a.order_arg->Evaluate(in, &k);
    std::string key;
    for (size_t i = 0; i < gids.size(); ++i) {
      if (v.IsNull(i) || (keep && !keep[i])) continue;
      key.clear();
      AppendSortableKey(k, i, a.order_desc, a.order_nulls_first, &key);
      std::string_view value = v.data<std::string_view>()[i];
      std::string& t = a.text[gids[i]];
      size_t before = t.size();
      AppendPiece(key, &t);
      AppendPiece(value, &t);
      bytes_ += static_cast<int64_t>(t.size() - before);
      a.has[gids[i]] = 1;
      if (t.size() > kMaxOrderedListaggState) ListaggTooLong();
    }
  }
  static void AppendPiece(std::string_view piece, std::string* out) {
    uint32_t len = static_cast<uint32_t>(piece.size());
    out->append(reinterpret_cast<const char*>(&len), sizeof len);
    out->append(piece);
  }
  // The values of a LISTAGG_ORDERED state in key order (equal keys in arrival order), joined.
  std::string JoinOrdered(const std::string& state, const std::string& delimiter) const {
    struct Entry { std::string_view key, value; };
    std::vector<Entry> entries;
    size_t pos = 0;
    auto piece = [&]() {
      if (pos + 4 > state.size()) STRATA_INTERNAL_ERROR("corrupt LISTAGG state");
      uint32_t len;
      std::memcpy(&len, state.data() + pos, sizeof len);
      pos += 4;
      if (pos + len > state.size()) STRATA_INTERNAL_ERROR("corrupt LISTAGG state");
      std::string_view p(state.data() + pos, len);
      pos += len;
      return p;
    };
    while (pos < state.size()) {
      std::string_view k = piece();
      entries.push_back({k, piece()});
    }
    std::stable_sort(entries.begin(), entries.end(), [](const Entry& x, const Entry& y) { return x.key < y.key; });
    std::string out;
    for (size_t i = 0; i < entries.size(); ++i) {
      if (i > 0) out += delimiter;
      out += entries[i].value;
      if (out.size() > kMaxListaggBytes) ListaggTooLong();
    }
    return out;
  }

  void Merge(AggState& a, const Batch& in, const std::vector<uint32_t>& gids) {
    const Vector& s = in.columns[a.state_col];
    size_t n = gids.size();  // a prefix of the batch when the budget stopped it
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
            if constexpr (std::is_same_v<T, std::string_view>) {
              a.extreme.SetString(g, d[i]);
              bytes_ += static_cast<int64_t>(d[i].size());
            } else {
              e[g] = d[i];
            }
            a.extreme.SetNull(g, false);
          }
        });
        break;
      }
      case plan::APPROX_COUNT_DISTINCT:
        AddToSketches(a, s, gids, true);
        break;
      case plan::LISTAGG_ORDERED: {
        const std::string_view* d = s.data<std::string_view>();
        for (size_t i = 0; i < n; ++i) {
          if (s.IsNull(i)) continue;
          a.text[gids[i]].append(d[i]);
          a.has[gids[i]] = 1;
          bytes_ += static_cast<int64_t>(d[i].size());
        }
        break;
      }
      case plan::BIT_AND: case plan::BIT_OR:
        DispatchPhysical(s.physical(), [&]<typename T>() { Accumulate<T>(a, s, gids, nullptr); });
        break;
      case plan::PERCENTILE_CONT: case plan::PERCENTILE_DISC: {
        // States are the values so far, packed DOUBLEs.
        const std::string_view* d = s.data<std::string_view>();
        for (size_t i = 0; i < n; ++i) {
          if (s.IsNull(i)) continue;
          std::vector<double>& into = a.values[gids[i]];
          size_t count = d[i].size() / sizeof(double);
          size_t before = into.size();
          into.resize(before + count);
          if (count > 0) std::memcpy(into.data() + before, d[i].data(), count * sizeof(double));
          bytes_ += static_cast<int64_t>(count * sizeof(double));
        }
        break;
      }
      case plan::VAR_SAMP: case plan::VAR_POP: case plan::STDDEV_SAMP: case plan::STDDEV_POP: {
        // Chan's pairwise merge of (count, mean, M2).
        const int64_t* c = s.data<int64_t>();
        const double* mean = in.columns[a.state_col + 1].data<double>();
        const double* m2 = in.columns[a.state_col + 2].data<double>();
        for (size_t i = 0; i < n; ++i) {
          if (c[i] == 0) continue;
          uint32_t g = gids[i];
          double na = static_cast<double>(a.count[g]), nb = static_cast<double>(c[i]);
          double delta = mean[i] - a.fsum[g];
          double total = na + nb;
          a.fsum[g] += delta * nb / total;
          a.m2[g] += m2[i] + delta * delta * na * nb / total;
          a.count[g] += c[i];
          a.has[g] = 1;
        }
        break;
      }
      default:
        DispatchPhysical(s.physical(), [&]<typename T>() { Accumulate<T>(a, s, gids, nullptr); });
    }
  }

  void Emit(AggState& a, size_t first, size_t n, Batch* out, bool as_states) {
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
      case plan::SUM:
        // Spilled states (never seen by another stage) keep the full sum: a partial BIGINT sum
        // may overflow where the whole does not, and a REAL one would round.
        if (as_states && mode_ != plan::PARTIAL) {
          emit_sum(a.result_type.is_float() ? SqlType::Float64() : SqlType::Decimal(kMaxDecimalPrecision, a.result_type.scale));
        } else {
          emit_sum(a.result_type);
        }
        return;
      case plan::MIN: case plan::MAX: case plan::SINGLE_VALUE: {
        Vector v(a.extreme.type());
        std::vector<uint32_t> sel(n);
        for (size_t i = 0; i < n; ++i) sel[i] = static_cast<uint32_t>(first + i);
        v.AppendSelected(a.extreme, sel.data(), n);
        out->columns.push_back(std::move(v));
        if (a.func == plan::SINGLE_VALUE && as_states) emit_count();
        return;
      }
      case plan::LISTAGG_ORDERED: {
        Vector v(as_states ? SqlType::Text() : a.result_type, n);
        for (size_t i = 0; i < n; ++i) {
          size_t g = first + i;
          v.SetNull(i, !a.has[g]);
          if (a.has[g]) v.SetString(i, as_states ? a.text[g] : JoinOrdered(a.text[g], a.delimiter));
        }
        out->columns.push_back(std::move(v));
        return;
      }
      case plan::BIT_AND: case plan::BIT_OR: {
        Vector v(a.result_type, n);
        DispatchPhysical(v.physical(), [&]<typename T>() {
          if constexpr (std::is_integral_v<T> && !std::is_same_v<T, uint8_t>) {
            for (size_t i = 0; i < n; ++i) {
              size_t g = first + i;
              v.SetNull(i, !a.has[g]);
              if (a.has[g]) v.data<T>()[i] = static_cast<T>(a.isum[g]);
            }
          }
        });
        out->columns.push_back(std::move(v));
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
      case plan::APPROX_COUNT_DISTINCT: {
        if (as_states) {
          Vector v(SqlType::Text(), n);
          for (size_t i = 0; i < n; ++i) v.SetString(i, a.sketch[first + i].Serialize());
          out->columns.push_back(std::move(v));
        } else {
          Vector v(SqlType::Int64(), n);
          for (size_t i = 0; i < n; ++i) v.data<int64_t>()[i] = a.sketch[first + i].Estimate();
          out->columns.push_back(std::move(v));
        }
        return;
      }
      case plan::PERCENTILE_CONT: case plan::PERCENTILE_DISC: {
        if (as_states) {
          Vector v(SqlType::Text(), n);
          for (size_t i = 0; i < n; ++i) {
            const std::vector<double>& vals = a.values[first + i];
            v.SetString(i, std::string_view(reinterpret_cast<const char*>(vals.data()), vals.size() * sizeof(double)));
          }
          out->columns.push_back(std::move(v));
          return;
        }
        Vector v(SqlType::Float64(), n);
        for (size_t i = 0; i < n; ++i) {
          std::vector<double>& vals = a.values[first + i];
          v.SetNull(i, vals.empty());
          if (vals.empty()) continue;
          v.data<double>()[i] = Percentile(&vals, a.fraction, a.func == plan::PERCENTILE_CONT);
        }
        out->columns.push_back(std::move(v));
        return;
      }
      case plan::VAR_SAMP: case plan::VAR_POP: case plan::STDDEV_SAMP: case plan::STDDEV_POP: {
        if (as_states) {
          emit_count();
          Vector mean(SqlType::Float64(), n), m2(SqlType::Float64(), n);
          for (size_t i = 0; i < n; ++i) {
            mean.data<double>()[i] = a.fsum[first + i];
            m2.data<double>()[i] = a.m2[first + i];
          }
          out->columns.push_back(std::move(mean));
          out->columns.push_back(std::move(m2));
          return;
        }
        bool sample = a.func == plan::VAR_SAMP || a.func == plan::STDDEV_SAMP;
        bool root = a.func == plan::STDDEV_SAMP || a.func == plan::STDDEV_POP;
        Vector v(SqlType::Float64(), n);
        for (size_t i = 0; i < n; ++i) {
          size_t g = first + i;
          int64_t c = a.count[g];
          v.SetNull(i, c < (sample ? 2 : 1));
          if (v.IsNull(i)) continue;
          double var = std::max(0.0, a.m2[g]) / static_cast<double>(sample ? c - 1 : c);
          v.data<double>()[i] = root ? std::sqrt(var) : var;
        }
        out->columns.push_back(std::move(v));
        return;
      }
      case plan::AVG: {
        if (as_states) {
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
  KeyGroupIndex key_index_;
  bool int_key_ = false;         // one integer-like group key: int_index_ instead of key_index_
  // Short keys packed into one integer (executor/packed_keys.h): int_index_ by the packed value,
  // until a key does not fit (then key_index_ for good).
  std::unique_ptr<PackedKeyLayout> packed_layout_;
  bool packed_key_ = false;
  std::vector<uint64_t> packed_;  // the batch's packed keys
  std::vector<int64_t> int_values_;  // int_key_: the batch's keys
  IntGroupIndex int_index_;
  uint32_t null_group_ = UINT32_MAX;
  size_t num_groups_ = 0;
  size_t emitted_ = 0;
  // Scratch, reused per batch.
  std::vector<Vector> keys_;
  std::vector<const Vector*> kp_;
  std::vector<uint32_t> gids_, sel_;
  EncodedKeyBatch encoded_;  // the batch's keys (key_index_)
  // Memory: the estimate of what the table holds, and its reservation (declared before the
  // spill files, which credit it, so it outlives them).
  int64_t group_bytes_ = 0;      // per group: keys and state arrays
  int64_t index_bytes_ = 0;      // int_index_'s or key_index_'s arrays, as last counted
  int64_t bytes_ = 0;
  bool can_spill_ = true;        // false with a DISTINCT aggregate
  bool raw_spill_ = false;       // SINGLE with a DISTINCT aggregate: spills input rows instead
  bool grace_ = false;           // raw_spill_: this level's rows all go to the partitions
  std::vector<Batch> raw_rows_;  // raw_spill_: the input rows the table holds
  std::vector<uint64_t> hashes_;
  std::vector<uint64_t> sketch_hashes_;  // APPROX_COUNT_DISTINCT: the values' hashes, per batch
  std::vector<std::vector<uint32_t>> part_sel_;
  std::vector<Batch> raw_buf_;   // raw_spill_: input rows per partition not yet written
  MemoryReservation mem_;
  // Phases of Next().
  bool input_done_ = false;
  bool emitting_ = false;
  bool emit_states_ = false;
  Batch pending_;                // the rest of an input batch the budget cut short
  int depth_ = 0;                // spill level of the table: 0 = the input, n = a partition of level n
  double partition_groups_ = 0;  // estimated groups of the partition being merged (depth_ > 0)
  std::vector<GroupSketch> part_sketch_;  // per file of parts_
  int part_bits_ = 0;            // parts_ has 2^part_bits_ files
  std::vector<std::unique_ptr<SpillFile>> parts_;  // this level's partitions, while spilling
  std::vector<Partition> todo_;  // spilled partitions still to merge
};

}  // namespace

OperatorPtr MakeHashAggregate(const plan::Aggregate& spec, OperatorPtr input, const ExecContext& ctx) {
  return std::make_unique<HashAggregate>(spec, std::move(input), ctx);
}

}  // namespace strata
