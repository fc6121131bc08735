// See hash_join.h. HashJoin (in memory, or a hybrid hash join over spill files past its budget)
// and NestedLoopJoin (its build side held, or spilled and re-read per probe batch).
#include "executor/hash_join.h"

#include <algorithm>
#include <cstring>
#include <deque>

// Inlined: the tables hash short keys one row at a time, where a call per key costs as much as the hash.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "executor/expression.h"
#include "executor/memory_budget.h"
#include "executor/row_hash.h"
#include "executor/runtime_filter.h"
#include "executor/spill_file.h"
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

// Hash join in bounded memory. The build side, its keys and the hash table arrays are counted
// against a MemoryReservation ("HashJoin"). While they fit, the join is the plain in-memory one.
// When TryGrow refuses, the join turns into a hybrid hash join: the build rows are split into
// kParts partitions by bits of the key hash the table does not use; partitions stay in memory
// while they fit and the largest is written to a spill file when they do not. The probe rows of
// in-memory partitions are joined at once, those of spilled partitions are written to the
// partition's probe file; then each spilled (build, probe) pair is joined in turn, and a build
// partition that still does not fit is partitioned again with the next hash bits, down to
// kMaxDepth levels, after which the join fails with 53200 (e.g. one key repeated past the
// budget). A probe row meets only build rows of its own partition, so outer, anti and mark
// results stay exact per partition; NULL keys never match: probe rows with a NULL key are
// joined at once (against nothing), build rows with a NULL key are kept aside for RIGHT/FULL
// and come out at the end. The NOT IN rules (NULL_AWARE_*) use whole-build facts (any rows, any
// NULL key) gathered while reading the build input.
// Appends src[sel[0..n)] to dst, copying string bytes into dst's own heaps instead of sharing
// src's: rows kept apart from their input batch (a partition, a spill buffer) then hold only
// their own bytes, not every input batch's heap.
void AppendSelectedOwned(Batch* dst, const Batch& src, const uint32_t* sel, size_t n) {
  for (size_t c = 0; c < src.columns.size(); ++c) {
    const Vector& from = src.columns[c];
    Vector& to = dst->columns[c];
    if (from.physical() != PhysicalType::kString) {
      to.AppendSelected(from, sel, n);
      continue;
    }
    size_t base = to.size();
    to.Resize(base + n);
    const auto* views = from.data<std::string_view>();
    for (size_t i = 0; i < n; ++i) {
      bool null = from.IsNull(sel[i]);
      to.SetNull(base + i, null);
      if (null) to.data<std::string_view>()[base + i] = std::string_view();
      else to.SetString(base + i, views[sel[i]]);
    }
  }
  dst->rows += n;
}

class HashJoin : public Operator {
 public:
  HashJoin(const plan::HashJoin& spec, OperatorPtr probe, OperatorPtr build, std::vector<SqlType> probe_types,
           std::vector<SqlType> build_types, const ExecContext& ctx)
      : ctx_(ctx), probe_(std::move(probe)), build_op_(std::move(build)), type_(spec.type()), build_(build_types),
        build_types_(std::move(build_types)), probe_types_(std::move(probe_types)), res_(ctx.memory, "HashJoin"),
        filter_res_(ctx.memory, "HashJoin runtime filter", /*pooled=*/false) {
    for (const auto& k : spec.probe_keys()) probe_keys_.push_back(std::make_unique<ExpressionEvaluator>(k));
    for (const auto& k : spec.build_keys()) build_keys_.push_back(std::make_unique<ExpressionEvaluator>(k));
    if (spec.has_residual()) residual_ = std::make_unique<ExpressionEvaluator>(spec.residual());
    // One integer-like key (the common case): hash and compare the values themselves instead
    // of encoded key bytes. Two keys of at most 32 bits each on both sides (partsupp's
    // (partkey, suppkey)) are packed into one such integer; not for NOT IN, whose rows with one
    // NULL key among several follow rules of their own.
    auto physical = [](const plan::Expr& e) { return FromProtoType(e.type()).physical(); };
    auto narrow = [&](const plan::Expr& e) {
      return physical(e) == PhysicalType::kInt16 || physical(e) == PhysicalType::kInt32;
    };
    if (spec.probe_keys_size() == 1) {
      PhysicalType pt = physical(spec.build_keys(0));
      int_keys_ = pt == PhysicalType::kInt16 || pt == PhysicalType::kInt32 || pt == PhysicalType::kInt64;
    } else if (spec.probe_keys_size() == 2 && type_ != plan::NULL_AWARE_ANTI && type_ != plan::NULL_AWARE_MARK) {
      packed_keys_ = narrow(spec.build_keys(0)) && narrow(spec.build_keys(1)) && narrow(spec.probe_keys(0)) &&
                     narrow(spec.probe_keys(1));
      int_keys_ = packed_keys_;
    }
    build_only_ = type_ == plan::RIGHT_SEMI || type_ == plan::RIGHT_ANTI;
    first_match_only_ = !residual_ && (type_ == plan::SEMI || type_ == plan::ANTI || type_ == plan::NULL_AWARE_ANTI ||
                                       type_ == plan::MARK || type_ == plan::NULL_AWARE_MARK);
    keep_build_nulls_ = type_ == plan::RIGHT || type_ == plan::FULL || type_ == plan::RIGHT_ANTI;
    // A probe row without a match leaves these joins: the build keys may filter the probe scan.
    // With several keys, the first integer key read straight from a probe column does (a row
    // whose value of that key is no build row's matches none).
    if (type_ == plan::INNER || type_ == plan::SEMI || type_ == plan::RIGHT || build_only_) {
      for (int k = 0; k < spec.probe_keys_size() && filter_probe_column_ < 0; ++k) {
        PhysicalType pt = FromProtoType(spec.build_keys(k).type()).physical();
        bool integer = pt == PhysicalType::kInt16 || pt == PhysicalType::kInt32 || pt == PhysicalType::kInt64;
        if (integer && spec.probe_keys(k).has_column()) {
          filter_key_ = k;
          filter_probe_column_ = spec.probe_keys(k).column();
        }
      }
      separate_filter_values_ = filter_key_ >= 0 && (!int_keys_ || packed_keys_);
    }
    // The write buffers of spilled partitions are not counted: all of them (a build and a
    // probe buffer per partition) together stay within an eighth of the budget (4 kB at least
    // and 64 kB at most each).
    buffer_bytes_ = std::clamp<int64_t>(res_.limit() / static_cast<int64_t>(16 * kParts), 4 * 1024, 64 * 1024);
  }

  bool Next(Batch* out) override {
    if (!built_) {
      built_ = true;
      Build();
    }
    while (true) {
      ctx_.CheckCancelled();  // per probe batch or fan-out piece: a many-to-many join stops on cancel
      out->columns.clear();
      out->rows = 0;
      if (probe_done_) {
        if (EmitUnmatchedBuild(out)) return true;
        if (!work_.empty()) {  // the next spilled partition pair
          SpilledPair pair = std::move(work_.back());
          work_.pop_back();
          StartPairPhase(std::move(pair));
          continue;
        }
        return EmitNullKeyBuildRows(out);
      }
      Batch in;
      if (!pending_.empty()) {
        in = std::move(pending_.front());
        pending_.pop_front();
      } else {
        if (!NextProbe(&in)) {
          probe_done_ = true;
          FinishProbePhase();
          continue;
        }
        if (in.rows == 0) continue;
        if (build_has_duplicates_ && !first_match_only_ && (residual_ || !build_only_) && SplitLargeFanout(in)) continue;
      }
      Probe(in, out);
      if (out->rows > 0) return true;
    }
  }

  // A filter from a join above on one of this join's output columns goes down the side that
  // column comes from: the probe side, or the build side (before it is read: the join above
  // sends its filters before it asks this join for rows) when a build row that fails the
  // filter cannot matter -- an inner join's pairs with it fail above, and a RIGHT_SEMI /
  // RIGHT_ANTI join outputs build rows alone.
  bool PushRuntimeFilter(int column, const std::shared_ptr<const RuntimeFilter>& f) override {
    if (column < 0) return false;
    if (build_only_) return !built_ && column < static_cast<int>(build_types_.size()) && build_op_->PushRuntimeFilter(column, f);
    const int nprobe = static_cast<int>(probe_types_.size());
    if (column < nprobe) return probe_->PushRuntimeFilter(column, f);
    if (type_ != plan::INNER || built_ || column - nprobe >= static_cast<int>(build_types_.size())) return false;
    return build_op_->PushRuntimeFilter(column - nprobe, f);
  }

  // How deep the join partitioned: 0 in memory, 1 partitioned once, 2+ re-partitioned.
  int partition_depth() const { return max_depth_seen_; }

 private:
  static constexpr int kPartBits = 5;
  static constexpr size_t kParts = size_t{1} << kPartBits;
  static constexpr int kMaxDepth = 4;                 // partitioning levels before 53200
  static constexpr int64_t kRowOverhead = 48;         // table arrays per build row (estimate)
  static constexpr size_t kMaxFilterRows = size_t{1} << 24;  // past this a filter leaves the caches

  // Rows waiting to be written to a spill file (uncounted; at most buffer_bytes_ or kBatchSize
  // rows each), and the file once one is needed.
  struct SpillBuffer {
    Batch rows;
    int64_t bytes = 0;
    std::unique_ptr<SpillFile> file;
  };
  struct Partition {
    Batch rows;            // build rows while the partition is in memory
    int64_t bytes = 0;     // what they count in res_
    bool spilled = false;  // then its rows are in build.file (and its probe rows go to probe)
    SpillBuffer build, probe;
  };
  struct SpilledPair {
    std::unique_ptr<SpillFile> build, probe;  // either may be null (no rows)
    int depth;
  };

  // ---- Sources of the current phase: the inputs (phase 0) or a spilled pair's files.

  bool NextBuildRaw(Batch* b) {
    if (from_inputs_) {
      if (!build_op_->Next(b)) return false;
      build_total_rows_ += static_cast<int64_t>(b->rows);
      return true;
    }
    return build_in_ != nullptr && build_in_->Read(b);
  }

  bool NextProbeRaw(Batch* b) {
    if (from_inputs_) return probe_->Next(b);
    return probe_in_ != nullptr && probe_in_->Read(b);
  }

  // ---- Build.

  void Build() {
    Batch b;
    std::vector<Vector> keys(build_keys_.size());
    while (NextBuildRaw(&b)) {
      ctx_.CheckCancelled();
      if (b.rows == 0) continue;
      if (partitioned_) {
        RouteBuild(b);
        continue;
      }
      int64_t need = static_cast<int64_t>(b.EstimatedBytes()) + static_cast<int64_t>(b.rows) * kRowOverhead;
      if (separate_filter_values_) need += static_cast<int64_t>(b.rows * sizeof(int64_t));
      for (size_t k = 0; k < build_keys_.size(); ++k) {
        build_keys_[k]->Evaluate(b, &keys[k]);
        if (!int_keys_) need += static_cast<int64_t>(keys[k].EstimatedBytes());
      }
      if (!res_.TryGrow(need)) {
        if (depth_ >= kMaxDepth) {  // partitioning did not help (e.g. one key): 53200
          res_.Grow(need);
          AppendBuildBatch(b, keys);
          continue;
        }
        ConvertToPartitioned();
        RouteBuild(b);
        continue;
      }
      AppendBuildBatch(b, keys);
    }
    if (partitioned_) FinishBuildPartitions();
    FinishTable();
    // (A spilled pair's table holds one partition's keys, and the probe input is read by then.)
    if (!partitioned_ && from_inputs_) SendRuntimeFilter();
    if (filling_spill_filter_) probe_->PushRuntimeFilter(filter_probe_column_, spill_filter_);
    filling_spill_filter_ = false;
  }

  // A build that outgrows its memory still filters its probe side: when the table turns into
  // partitions, a filter sized for a few times the rows held so far takes their keys and those
  // of every build row routed after them (a larger build only makes it keep more rows wrongly);
  // it goes down the probe side once the build is complete, so the probe rows spilled to
  // partition files are only those that may match. Its own reservation.
  void StartSpillFilter() {
    if (filter_probe_column_ < 0 || depth_ != 0 || spill_filter_) return;
    auto f = std::make_shared<RuntimeFilter>(std::min(kMaxFilterRows, std::max<size_t>(4 * build_.rows, 1)));
    if (!filter_res_.TryGrow(static_cast<int64_t>(f->bytes()))) return;
    for (size_t r = 0; r < build_.rows; ++r) {
      if (key_valid_[r]) f->Add(separate_filter_values_ ? filter_values_[r] : int_key_values_[r]);
    }
    spill_filter_ = std::move(f);
    filling_spill_filter_ = true;
  }

  // The in-memory table's keys, as a runtime filter, to the scan below the probe side that reads
  // the probe key (executor/runtime_filter.h); counted in the join's reservation.
  void SendRuntimeFilter() {
    if (filter_probe_column_ < 0 || build_.rows > kMaxFilterRows) return;
    const std::vector<int64_t>& keys = separate_filter_values_ ? filter_values_ : int_key_values_;
    int64_t min = INT64_MAX, max = INT64_MIN;
    for (size_t r = 0; r < build_.rows; ++r) {
      if (!key_valid_[r]) continue;
      min = std::min(min, keys[r]);
      max = std::max(max, keys[r]);
    }
    auto f = std::make_shared<RuntimeFilter>(build_.rows, min, max);  // (no valid key: min > max, a Bloom filter)
    if (!res_.TryGrow(static_cast<int64_t>(f->bytes()))) return;
    for (size_t r = 0; r < build_.rows; ++r) {
      if (key_valid_[r]) f->Add(keys[r]);
    }
    probe_->PushRuntimeFilter(filter_probe_column_, f);
  }

  // Appends `b` (keys already evaluated) to the in-memory table's rows, key arrays and hashes.
  void AppendBuildBatch(const Batch& b, const std::vector<Vector>& keys) {
    const size_t base = row_hash_.size();
    std::vector<const Vector*> kp;
    for (const auto& k : keys) kp.push_back(&k);
    if (int_keys_) {
      int_key_values_.resize(base + b.rows);
      key_valid_.resize(base + b.rows);
      ReadJoinInts(kp, b.rows, int_key_values_.data() + base, key_valid_.data() + base);
      for (size_t r = 0; r < b.rows; ++r) key_valid_[base + r] = key_valid_[base + r] == 0;  // NULL flags -> valid
    } else {
      EncodeKeys(kp, b.rows, &key_bytes_, &key_offsets_, &key_valid_);
      key_offsets_.push_back(static_cast<uint32_t>(key_bytes_.size()));  // the end of the last key, for now
    }
    if (separate_filter_values_) {  // the runtime filter's key (a row with any NULL key is not valid)
      filter_values_.resize(base + b.rows);
      ReadIntKeys(keys[filter_key_], b.rows, filter_values_.data() + base);
    }
    row_hash_.resize(base + b.rows);
    for (size_t r = 0; r < b.rows; ++r) {
      if (!key_valid_[base + r]) {
        build_has_null_key_ = true;
        row_hash_[base + r] = 0;
        continue;
      }
      row_hash_[base + r] = int_keys_ ? MixKey(int_key_values_[base + r]) : EncodedKeyHash(base + r);
    }
    if (!int_keys_) key_offsets_.pop_back();
    build_.AppendAll(b);
  }

  // The hash of held build row r's encoded key (key_offsets_ holds the start of row r + 1).
  uint64_t EncodedKeyHash(size_t r) const {
    return XXH3_64bits(key_bytes_.data() + key_offsets_[r], key_offsets_[r + 1] - key_offsets_[r]);
  }

  // Whether held build rows a and b (both with valid keys) have the same key.
  bool SameBuildKey(size_t a, size_t b) const {
    if (int_keys_) return int_key_values_[a] == int_key_values_[b];
    uint32_t len = key_offsets_[a + 1] - key_offsets_[a];
    return len == key_offsets_[b + 1] - key_offsets_[b] &&
           std::memcmp(key_bytes_.data() + key_offsets_[a], key_bytes_.data() + key_offsets_[b], len) == 0;
  }

  // The table: heads_[hash & mask_] is the first build row of a bucket, links_[row] the next one
  // and the high half of the row's hash (its tag), so a chain is walked without touching keys
  // that cannot match. Buckets are at least twice the rows, so chains are short.
  void FinishTable() {
    key_offsets_.push_back(static_cast<uint32_t>(key_bytes_.size()));
    size_t n = build_.rows;
    size_t buckets = 1;
    while (buckets < n * 2) buckets <<= 1;
    mask_ = buckets - 1;
    heads_.assign(buckets, -1);
    links_.resize(n);
    constexpr size_t kAhead = 16;  // rows whose bucket is fetched from memory in advance
    for (size_t r = 0; r < n; ++r) {
      if (r + kAhead < n) __builtin_prefetch(&heads_[row_hash_[r + kAhead] & mask_], 1);
      if (!key_valid_[r]) {
        links_[r] = Link{-1, 0};
        continue;
      }
      const uint64_t h = row_hash_[r];
      const size_t bkt = h & mask_;
      const uint32_t tag = static_cast<uint32_t>(h >> 32);
      if (!build_has_duplicates_) {
        for (int32_t b = heads_[bkt]; b >= 0; b = links_[b].next) {
          if (links_[b].tag == tag && SameBuildKey(b, r)) { build_has_duplicates_ = true; break; }
        }
      }
      links_[r] = Link{heads_[bkt], tag};
      heads_[bkt] = static_cast<int32_t>(r);
    }
    build_matched_.assign(n, 0);
  }

  // The table hash of held build row r (key valid).
  uint64_t TableHash(size_t r) const { return row_hash_[r]; }

  // Frees the in-memory table (rows, keys, arrays); the reservation is the caller's business.
  void ResetTable() {
    build_ = Batch(build_types_);
    std::string().swap(key_bytes_);
    std::vector<uint32_t>().swap(key_offsets_);
    std::vector<uint8_t>().swap(key_valid_);
    std::vector<uint8_t>().swap(build_matched_);
    std::vector<int32_t>().swap(heads_);
    std::vector<Link>().swap(links_);
    std::vector<uint64_t>().swap(row_hash_);
    std::vector<int64_t>().swap(int_key_values_);
    std::vector<int64_t>().swap(filter_values_);
    mask_ = 0;
    build_has_duplicates_ = false;
    pending_.clear();
  }

  // ---- Partitioning.

  // The partition of a key with table hash `h` at partitioning level `level`: high bits of a
  // second mix, so neither the table's low bits nor an earlier level's bits decide it.
  static size_t PartOf(uint64_t h, int level) {
    uint64_t x = h ^ 0x9e3779b97f4a7c15ULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 29;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 32;
    return static_cast<size_t>((x >> (64 - kPartBits * (level + 1))) & (kParts - 1));
  }

  // Evaluates `exprs` over `b`: hashes[r] the table hash of row r's key, valid[r] 0 for a NULL
  // key. Returns the key vectors' estimated bytes (string keys' share of the table).
  // With `filter`, the build rows' values of the filter key are added to it.
  int64_t KeyHashes(std::vector<std::unique_ptr<ExpressionEvaluator>>& exprs, const Batch& b,
                    std::vector<uint64_t>* hashes, std::vector<uint8_t>* valid, RuntimeFilter* filter = nullptr) {
    std::vector<Vector> keys(exprs.size());
    std::vector<const Vector*> kp;
    int64_t key_bytes = 0;
    for (size_t k = 0; k < exprs.size(); ++k) {
      kp.push_back(&exprs[k]->EvaluateShared(b, &keys[k]));
      key_bytes += static_cast<int64_t>(kp.back()->EstimatedBytes());
    }
    hashes->resize(b.rows);
    valid->resize(b.rows);
    auto add_to_filter = [&] {
      if (filter == nullptr) return;
      std::vector<int64_t> values(b.rows);
      ReadIntKeys(*kp[filter_key_], b.rows, values.data());
      for (size_t r = 0; r < b.rows; ++r) {
        if ((*valid)[r]) filter->Add(values[r]);
      }
    };
    if (int_keys_) {
      std::vector<int64_t> values(b.rows);
      ReadJoinInts(kp, b.rows, values.data(), valid->data());
      for (size_t r = 0; r < b.rows; ++r) {
        (*valid)[r] = (*valid)[r] == 0;  // NULL flags -> valid
        (*hashes)[r] = MixKey(values[r]);
      }
      add_to_filter();
      return 0;
    }
    EncodedKeyBatch encoded;
    encoded.Encode(kp, b.rows);
    *valid = encoded.valid;
    for (size_t r = 0; r < b.rows; ++r) {
      std::string_view key = encoded.Key(r);
      (*hashes)[r] = (*valid)[r] ? XXH3_64bits(key.data(), key.size()) : 0;
    }
    add_to_filter();
    return key_bytes;
  }

  static double RowBytes(const Batch& b) {
    return b.rows == 0 ? 0.0 : static_cast<double>(b.EstimatedBytes()) / static_cast<double>(b.rows);
  }

  SpillFile* NewSpillFile() { return new SpillFile(ctx_.memory->NextSpillPath(), &res_); }

  void FlushBuffer(SpillBuffer* sb) {
    if (sb->rows.rows == 0) return;
    ctx_.CheckCancelled();
    if (!sb->file) sb->file.reset(NewSpillFile());
    sb->file->Write(sb->rows);
    sb->rows = Batch(sb->rows.Types());
    sb->bytes = 0;
  }

  // Appends src[sel] to a spill buffer, writing it out in pieces of at most kBatchSize rows.
  // `row_bytes` is an estimate of one row's size.
  void AppendToBuffer(SpillBuffer* sb, const Batch& src, const uint32_t* sel, size_t n, double row_bytes) {
    if (n == 0) return;
    if (sb->rows.columns.empty()) sb->rows = Batch(src.Types());
    for (size_t done = 0; done < n;) {
      size_t take = std::min(n - done, kBatchSize - sb->rows.rows);
      AppendSelectedOwned(&sb->rows, src, sel + done, take);
      sb->bytes += static_cast<int64_t>(row_bytes * static_cast<double>(take));
      done += take;
      if (sb->rows.rows >= kBatchSize || sb->bytes >= buffer_bytes_) FlushBuffer(sb);
    }
  }

  // Writes an in-memory partition's rows to its build file and gives back their memory.
  void SpillPartition(size_t p) {
    Partition& part = parts_[p];
    part.spilled = true;
    std::vector<uint32_t> sel(part.rows.rows);
    for (size_t i = 0; i < sel.size(); ++i) sel[i] = static_cast<uint32_t>(i);
    AppendToBuffer(&part.build, part.rows, sel.data(), sel.size(), RowBytes(part.rows));
    part.rows = Batch(build_types_);
    res_.Shrink(part.bytes);
    part.bytes = 0;
  }

  // Makes room for `bytes` (counted on success) by spilling the largest in-memory partitions;
  // false when nothing is left to spill.
  bool EnsureRoom(int64_t bytes) {
    while (!res_.TryGrow(bytes)) {
      size_t victim = kParts;
      for (size_t p = 0; p < kParts; ++p) {
        if (!parts_[p].spilled && parts_[p].bytes > 0 && (victim == kParts || parts_[p].bytes > parts_[victim].bytes)) victim = p;
      }
      if (victim == kParts) return false;
      SpillPartition(victim);
    }
    return true;
  }

  // The table held so far did not fit: split its rows into partitions at this phase's level,
  // keep partitions (in partition order) up to half of what was held, so that the copies and
  // the table are not both whole in memory and the kept ones have room to grow; write the rest
  // straight to their spill files.
  void ConvertToPartitioned() {
    StartSpillFilter();
    partitioned_ = true;
    max_depth_seen_ = std::max(max_depth_seen_, depth_ + 1);
    parts_.clear();
    parts_.resize(kParts);
    size_t n = build_.rows;
    std::vector<std::vector<uint32_t>> sel(kParts);
    std::vector<uint32_t> null_sel;
    for (size_t r = 0; r < n; ++r) {
      if (!key_valid_[r]) {
        if (keep_build_nulls_) null_sel.push_back(static_cast<uint32_t>(r));
        continue;
      }
      sel[PartOf(TableHash(r), depth_)].push_back(static_cast<uint32_t>(r));
    }
    double row_bytes = RowBytes(build_);
    if (!null_sel.empty()) AppendToBuffer(&null_build_, build_, null_sel.data(), null_sel.size(), row_bytes);
    int64_t held = res_.held(), kept = 0;
    std::vector<int64_t> bytes(kParts, 0);
    for (size_t p = 0; p < kParts; ++p) {
      ctx_.CheckCancelled();
      parts_[p].rows = Batch(build_types_);
      if (sel[p].empty()) continue;
      bytes[p] = static_cast<int64_t>(static_cast<double>(held) * sel[p].size() / n);
      if (kept + bytes[p] <= held / 2) {
        AppendSelectedOwned(&parts_[p].rows, build_, sel[p].data(), sel[p].size());
        kept += bytes[p];
      } else {
        parts_[p].spilled = true;
        AppendToBuffer(&parts_[p].build, build_, sel[p].data(), sel[p].size(), row_bytes);
      }
    }
    ResetTable();
    res_.ShrinkTo(0);
    for (size_t p = 0; p < kParts; ++p) {
      if (parts_[p].spilled || parts_[p].rows.rows == 0) continue;
      if (res_.TryGrow(bytes[p])) {
        parts_[p].bytes = bytes[p];
      } else {
        SpillPartition(p);
      }
    }
  }

  // Sends the rows of a build batch to their partitions (memory while it allows, else files).
  void RouteBuild(const Batch& b) {
    std::vector<uint64_t> h;
    std::vector<uint8_t> valid;
    int64_t key_bytes = KeyHashes(build_keys_, b, &h, &valid, filling_spill_filter_ ? spill_filter_.get() : nullptr);
    std::vector<std::vector<uint32_t>> sel(kParts);
    std::vector<uint32_t> null_sel;
    for (size_t r = 0; r < b.rows; ++r) {
      if (!valid[r]) {
        build_has_null_key_ = true;
        if (keep_build_nulls_) null_sel.push_back(static_cast<uint32_t>(r));
        continue;
      }
      sel[PartOf(h[r], depth_)].push_back(static_cast<uint32_t>(r));
    }
    double batch_row_bytes = RowBytes(b);
    AppendToBuffer(&null_build_, b, null_sel.data(), null_sel.size(), batch_row_bytes);
    double row_bytes = batch_row_bytes + static_cast<double>(key_bytes) / static_cast<double>(b.rows) + kRowOverhead;
    for (size_t p = 0; p < kParts; ++p) {
      const auto& s = sel[p];
      if (s.empty()) continue;
      Partition& part = parts_[p];
      if (!part.spilled) {
        int64_t need = static_cast<int64_t>(row_bytes * static_cast<double>(s.size()));
        bool room = EnsureRoom(need);
        if (room && !part.spilled) {
          AppendSelectedOwned(&part.rows, b, s.data(), s.size());
          part.bytes += need;
          continue;
        }
        if (room) res_.Shrink(need);   // the room came from spilling this very partition
        if (!part.spilled) SpillPartition(p);  // empty, nothing else to spill: it goes to disk
      }
      AppendToBuffer(&part.build, b, s.data(), s.size(), batch_row_bytes);
    }
  }

  // End of a partitioned build: spilled partitions' files are complete; the in-memory ones
  // become one table (a probe row can only meet rows of its own partition anyway).
  void FinishBuildPartitions() {
    std::vector<Vector> keys(build_keys_.size());
    for (size_t p = 0; p < kParts; ++p) {
      ctx_.CheckCancelled();
      Partition& part = parts_[p];
      if (part.spilled) {
        FlushBuffer(&part.build);
        if (part.build.file) part.build.file->FinishWriting();
        continue;
      }
      if (part.rows.rows == 0) continue;
      for (size_t k = 0; k < build_keys_.size(); ++k) build_keys_[k]->Evaluate(part.rows, &keys[k]);
      AppendBuildBatch(part.rows, keys);
      part.rows = Batch();
    }
  }

  // ---- Probe.

  // The next probe batch to join with the in-memory table; rows of spilled partitions go to
  // their probe files instead.
  bool NextProbe(Batch* in) {
    while (true) {
      if (!NextProbeRaw(in)) return false;
      ctx_.CheckCancelled();
      if (!partitioned_ || in->rows == 0) return true;
      std::vector<uint64_t> h;
      std::vector<uint8_t> valid;
      KeyHashes(probe_keys_, *in, &h, &valid);
      std::vector<std::vector<uint32_t>> sel(kParts);
      std::vector<uint32_t> now;
      for (size_t r = 0; r < in->rows; ++r) {
        if (!valid[r]) { now.push_back(static_cast<uint32_t>(r)); continue; }  // matches nothing
        size_t p = PartOf(h[r], depth_);
        if (parts_[p].spilled) sel[p].push_back(static_cast<uint32_t>(r));
        else now.push_back(static_cast<uint32_t>(r));
      }
      double row_bytes = RowBytes(*in);
      for (size_t p = 0; p < kParts; ++p) AppendToBuffer(&parts_[p].probe, *in, sel[p].data(), sel[p].size(), row_bytes);
      if (now.size() == in->rows) return true;
      if (now.empty()) continue;
      Batch kept(in->Types());
      kept.AppendSelected(*in, now.data(), now.size());
      *in = std::move(kept);
      return true;
    }
  }

  // The probe input of this phase is done: queue its spilled partition pairs.
  void FinishProbePhase() {
    probe_in_.reset();
    build_in_.reset();
    if (!partitioned_) return;
    bool right_rows = type_ == plan::RIGHT || type_ == plan::FULL || type_ == plan::RIGHT_ANTI;
    bool needs_build = type_ == plan::INNER || type_ == plan::SEMI || type_ == plan::RIGHT || type_ == plan::RIGHT_SEMI;
    for (size_t i = kParts; i-- > 0;) {
      Partition& part = parts_[i];
      if (!part.spilled) continue;
      FlushBuffer(&part.probe);
      int64_t build_rows = part.build.file ? part.build.file->rows() : 0;
      int64_t probe_rows = part.probe.file ? part.probe.file->rows() : 0;
      if (probe_rows == 0 && (!right_rows || build_rows == 0)) continue;
      if (build_rows == 0 && needs_build) continue;
      if (part.probe.file) part.probe.file->FinishWriting();
      work_.push_back(SpilledPair{std::move(part.build.file), std::move(part.probe.file), depth_ + 1});
    }
    parts_.clear();
  }

  // Joins one spilled partition pair: its build file is read like a build input (and split
  // again if it does not fit), its probe file streamed like the probe input.
  void StartPairPhase(SpilledPair pair) {
    ResetTable();
    res_.ShrinkTo(0);
    from_inputs_ = false;
    partitioned_ = false;
    parts_.clear();
    depth_ = pair.depth;
    build_in_ = std::move(pair.build);
    probe_in_ = std::move(pair.probe);
    probe_done_ = false;
    unmatched_pos_ = 0;
    Build();
  }

  // RIGHT/FULL/RIGHT_ANTI after everything else: the build rows whose key is NULL (partitioned
  // mode only; the in-memory table keeps them itself).
  bool EmitNullKeyBuildRows(Batch* out) {
    if (!null_build_done_) {
      null_build_done_ = true;
      FlushBuffer(&null_build_);
      if (null_build_.file) null_build_.file->FinishWriting();
    }
    if (!null_build_.file) return false;
    Batch nb;
    while (null_build_.file->Read(&nb)) {
      ctx_.CheckCancelled();
      if (nb.rows == 0) continue;
      if (build_only_) {
        *out = std::move(nb);
        return true;
      }
      *out = Batch(probe_types_);
      AppendNulls(out, 0, nb.rows);
      for (auto& v : nb.columns) out->columns.push_back(std::move(v));
      out->rows = nb.rows;
      return true;
    }
    null_build_.file.reset();
    return false;
  }

  // Calls on_match(probe_row, build_row) for every key match of the rows of `in` (in probe row
  // order), and marks rows whose key is NULL in *null_key. In three passes over the batch, so
  // that the memory the table lookups need is fetched ahead instead of waited for row by row:
  // the keys' hashes; each row's bucket head (buckets a few rows ahead prefetched); the chains
  // (links and keys of rows a few ahead prefetched), where a key is compared only when the
  // hashes' high halves agree.
  template <typename OnMatch>
  void ForEachMatch(const Batch& in, std::vector<uint8_t>* null_key, OnMatch&& on_match) {
    std::vector<Vector> keys(probe_keys_.size());
    std::vector<const Vector*> kp;
    for (size_t k = 0; k < probe_keys_.size(); ++k) {
      kp.push_back(&probe_keys_[k]->EvaluateShared(in, &keys[k]));
    }
    if (build_.rows == 0) {  // nothing to match; the NOT IN rules still need the NULL keys
      for (const Vector* k : kp) {
        const uint8_t* nulls = k->nulls();
        for (size_t r = 0; r < in.rows; ++r) (*null_key)[r] |= nulls[r];
      }
      return;
    }
    const size_t n = in.rows;
    probe_hash_.resize(n);
    probe_head_.resize(n);
    if (int_keys_) {
      probe_ints_.resize(n);
      ReadJoinInts(kp, n, probe_ints_.data(), null_key->data());
      for (size_t r = 0; r < n; ++r) probe_hash_[r] = MixKey(probe_ints_[r]);
    } else {
      probe_encoded_.Encode(kp, n);
      for (size_t r = 0; r < n; ++r) {
        (*null_key)[r] = probe_encoded_.valid[r] ? 0 : 1;
        std::string_view key = probe_encoded_.Key(r);
        probe_hash_[r] = XXH3_64bits(key.data(), key.size());
      }
    }
    constexpr size_t kAhead = 16;
    for (size_t r = 0; r < n; ++r) {
      if (r + kAhead < n) __builtin_prefetch(&heads_[probe_hash_[r + kAhead] & mask_]);
      probe_head_[r] = (*null_key)[r] ? -1 : heads_[probe_hash_[r] & mask_];
    }
    constexpr size_t kChainAhead = 8;
    for (size_t r = 0; r < n; ++r) {
      if (r + kChainAhead < n) {
        int32_t ahead = probe_head_[r + kChainAhead];
        if (ahead >= 0) {
          __builtin_prefetch(&links_[ahead]);
          if (int_keys_) __builtin_prefetch(&int_key_values_[ahead]);
        }
      }
      const uint32_t tag = static_cast<uint32_t>(probe_hash_[r] >> 32);
      if (int_keys_) {
        const int64_t v = probe_ints_[r];
        for (int32_t b = probe_head_[r]; b >= 0; b = links_[b].next) {
          if (links_[b].tag == tag && int_key_values_[b] == v) {
            on_match(static_cast<uint32_t>(r), static_cast<uint32_t>(b));
            if (first_match_only_) break;  // a semi/anti join without residual needs one match
          }
        }
        continue;
      }
      const std::string_view key = probe_encoded_.Key(r);
      for (int32_t b = probe_head_[r]; b >= 0; b = links_[b].next) {
        if (links_[b].tag == tag && key_offsets_[b + 1] - key_offsets_[b] == key.size() &&
            std::memcmp(key_bytes_.data() + key_offsets_[b], key.data(), key.size()) == 0) {
          on_match(static_cast<uint32_t>(r), static_cast<uint32_t>(b));
          if (first_match_only_) break;
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

  // Joins the probe batch `in` (whose columns it may take) with the table.
  void Probe(Batch& in, Batch* out) {
    std::vector<uint32_t> probe_sel, build_sel;
    std::vector<uint8_t> probe_null_key(in.rows, 0);
    if (build_only_ && !residual_) {  // RIGHT_SEMI / RIGHT_ANTI: mark; the rows come out at the end
      ForEachMatch(in, &probe_null_key, [&](uint32_t, uint32_t b) { build_matched_[b] = 1; });
      return;
    }
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
    // Joined rows. When every probe row matched once, in order (a unique build key, and a
    // runtime filter that kept only rows that match), the probe columns are taken as they are.
    size_t np = in.columns.size();
    // (Not where a residual condition may unmatch rows that LEFT / FULL then emit from `in`.)
    bool each_once = probe_sel.size() == in.rows && !semi_like &&
                     !(residual_ && (type_ == plan::LEFT || type_ == plan::FULL));
    for (size_t i = 0; each_once && i < probe_sel.size(); ++i) each_once = probe_sel[i] == i;
    Batch joined;
    if (each_once) {
      joined.columns = std::move(in.columns);
      in.columns.clear();
      for (const auto& t : BuildTypes()) joined.columns.emplace_back(t);
    } else {
      joined = Batch(in.Types());
      for (const auto& t : BuildTypes()) joined.columns.emplace_back(t);
      for (size_t c = 0; c < np; ++c) joined.columns[c].AppendSelected(in.columns[c], probe_sel.data(), probe_sel.size());
    }
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
    if (build_only_) return;
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

  // The rows' keys as one integer each (int_keys_): the single key's value, or two keys of at
  // most 32 bits packed (packed_keys_); null[r] = 1 when any of row r's keys is NULL.
  void ReadJoinInts(const std::vector<const Vector*>& keys, size_t n, int64_t* out, uint8_t* null) const {
    ReadIntKeys(*keys[0], n, out);
    const uint8_t* n0 = keys[0]->nulls();
    if (!packed_keys_) {
      std::memcpy(null, n0, n);
      return;
    }
    const Vector& second = *keys[1];
    const uint8_t* n1 = second.nulls();
    auto pack = [&](const auto* low) {
      for (size_t i = 0; i < n; ++i) {
        out[i] = static_cast<int64_t>((static_cast<uint64_t>(static_cast<uint32_t>(out[i])) << 32) |
                                      static_cast<uint32_t>(static_cast<int32_t>(low[i])));
        null[i] = n0[i] | n1[i];
      }
    };
    if (second.physical() == PhysicalType::kInt16) pack(second.data<int16_t>());
    else pack(second.data<int32_t>());
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
        bool unknown = !matched[r] && null_aware && build_total_rows_ > 0 && (probe_null_key[r] || build_has_null_key_);
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
        bool qualifies = semi ? matched[r] != 0 : (!matched[r] && !(null_aware && probe_null_key[r] && build_total_rows_ > 0));
        if (qualifies) keep.push_back(static_cast<uint32_t>(r));
      }
    }
    *out = Batch(in.Types());
    out->AppendSelected(in, keep.data(), keep.size());
  }

  // RIGHT/FULL/RIGHT_ANTI: the table's build rows without a match (RIGHT_SEMI: with one),
  // kBatchSize rows at a time; RIGHT_SEMI / RIGHT_ANTI without the (NULL) probe columns.
  bool EmitUnmatchedBuild(Batch* out) {
    if (type_ != plan::RIGHT && type_ != plan::FULL && !build_only_) return false;
    const uint8_t want = type_ == plan::RIGHT_SEMI ? 1 : 0;
    std::vector<uint32_t> sel;
    while (unmatched_pos_ < build_.rows && sel.size() < kBatchSize) {
      if (build_matched_[unmatched_pos_] == want) sel.push_back(static_cast<uint32_t>(unmatched_pos_));
      ++unmatched_pos_;
    }
    if (sel.empty()) return false;
    if (build_only_) {
      *out = Batch(build_types_);
      out->AppendSelected(build_, sel.data(), sel.size());
      return true;
    }
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
  Batch build_;  // the in-memory table's rows
  std::vector<SqlType> build_types_, probe_types_;
  std::string key_bytes_;
  std::vector<uint32_t> key_offsets_;
  std::vector<uint8_t> key_valid_, build_matched_;
  struct Link {
    int32_t next;  // the next build row of the bucket, -1 at the end
    uint32_t tag;  // the high half of this row's hash
  };
  std::vector<int32_t> heads_;
  std::vector<Link> links_;       // by build row
  std::vector<uint64_t> row_hash_;  // by build row: its key's table hash (0 for a NULL key)
  size_t mask_ = 0;
  // Scratch of ForEachMatch, kept between batches.
  std::vector<uint64_t> probe_hash_;
  std::vector<int32_t> probe_head_;
  std::vector<int64_t> probe_ints_;
  EncodedKeyBatch probe_encoded_;
  bool built_ = false, probe_done_ = false;
  size_t unmatched_pos_ = 0;  // RIGHT/FULL/RIGHT_*: the next build row EmitUnmatchedBuild looks at
  bool build_only_ = false;   // RIGHT_SEMI / RIGHT_ANTI: the output is build rows alone
  bool first_match_only_ = false;
  bool int_keys_ = false;
  int filter_probe_column_ = -1;  // the probe key's column, when the build keys may filter the probe scan
  int filter_key_ = -1;           // which key that is
  bool separate_filter_values_ = false;  // the filter's values are not int_key_values_ (several keys)
  bool packed_keys_ = false;             // int_keys_ holds two keys packed into one integer
  bool keep_build_nulls_ = false;      // RIGHT/FULL: NULL-key build rows are output
  bool build_has_duplicates_ = false;  // some key repeats: probe batches may fan out
  std::deque<Batch> pending_;          // pieces of a probe batch split by SplitLargeFanout
  // By build row: int_keys_, the build keys (one, or two packed).
  std::vector<int64_t> int_key_values_;
  std::vector<int64_t> filter_values_;  // separate_filter_values_: the filter key's values, by build row
  // Whole-build facts (the NOT IN rules), from the build input.
  int64_t build_total_rows_ = 0;
  bool build_has_null_key_ = false;
  // Memory and spilling.
  MemoryReservation res_;
  MemoryReservation filter_res_;  // spill_filter_'s bytes
  std::shared_ptr<RuntimeFilter> spill_filter_;  // StartSpillFilter
  bool filling_spill_filter_ = false;            // build rows routed to partitions add their keys
  bool from_inputs_ = true;  // phase 0 reads the inputs; later phases a spilled pair's files
  bool partitioned_ = false;
  int depth_ = 0, max_depth_seen_ = 0;
  int64_t buffer_bytes_ = 0;  // a spill buffer is written out at this size
  std::vector<Partition> parts_;
  std::vector<SpilledPair> work_;
  std::unique_ptr<SpillFile> build_in_, probe_in_;
  SpillBuffer null_build_;  // RIGHT/FULL, partitioned: build rows with a NULL key
  bool null_build_done_ = false;
};

// Nested loop join. The build side is held while the budget allows ("NestedLoopJoin"); past
// it, the build side goes to a spill file and each probe batch (a block) is joined with it chunk
// by chunk, the file being read once per block (and copied for the next block, as a spill file
// is read once); per-block match flags give the LEFT/FULL, SEMI, ANTI and MARK rows at the end
// of the block.
class NestedLoopJoin : public Operator {
 public:
  NestedLoopJoin(const plan::NestedLoopJoin& spec, OperatorPtr probe, OperatorPtr build, std::vector<SqlType> build_types,
                 const ExecContext& ctx)
      : ctx_(ctx), probe_(std::move(probe)), build_op_(std::move(build)), type_(spec.type()), build_(build_types),
        build_types_(std::move(build_types)), res_(ctx.memory, "NestedLoopJoin") {
    if (spec.has_condition()) cond_ = std::make_unique<ExpressionEvaluator>(spec.condition());
  }

  bool Next(Batch* out) override {
    if (!built_) {
      built_ = true;
      Build();
    }
    if (file_) return NextSpilled(out);
    while (true) {
      ctx_.CheckCancelled();
      if (pos_ >= in_.rows) {
        if (!probe_->Next(&in_)) return false;
        pos_ = 0;
        if (in_.rows == 0) continue;
      }
      // As many probe rows as make about one batch of pairs (one, when the build side alone is
      // that big), joined with the whole build side at once.
      const size_t n = build_.rows;
      const size_t k = n == 0 ? in_.rows - pos_ : std::clamp<size_t>(kBatchSize / n, 1, in_.rows - pos_);
      const size_t first = pos_;
      pos_ += k;
      JoinRows(first, k, build_, out, /*take_probe=*/true);
      if (type_ == plan::MARK || type_ == plan::SEMI || type_ == plan::ANTI) {
        // One row per probe row: all of them with their mark, or those with (SEMI) or without
        // (ANTI) a match.
        sel_.clear();
        for (size_t i = 0; i < k; ++i) {
          if (type_ == plan::MARK || (block_matched_[i] != 0) == (type_ == plan::SEMI)) sel_.push_back(static_cast<uint32_t>(first + i));
        }
        *out = Batch(in_.Types());
        out->AppendSelected(in_, sel_.data(), sel_.size());
        if (type_ == plan::MARK) {
          Vector mark(SqlType::Bool(), k);
          for (size_t i = 0; i < k; ++i) mark.data<uint8_t>()[i] = block_matched_[i];
          out->columns.push_back(std::move(mark));
        }
        if (out->rows > 0) return true;
        continue;
      }
      if (type_ == plan::LEFT || type_ == plan::FULL) {
        // Probe rows without a match follow the pairs, with NULLs for the build side.
        sel_.clear();
        for (size_t i = 0; i < k; ++i) {
          if (!block_matched_[i]) sel_.push_back(static_cast<uint32_t>(first + i));
        }
        if (!sel_.empty()) {
          for (size_t c = 0; c < in_.columns.size(); ++c) out->columns[c].AppendSelected(in_.columns[c], sel_.data(), sel_.size());
          AppendNulls(out, in_.columns.size(), sel_.size());
          out->rows += sel_.size();
        }
      }
      if (out->rows > 0) return true;
    }
  }

 private:
  void Build() {
    Batch b;
    while (build_op_->Next(&b)) {
      ctx_.CheckCancelled();
      if (b.rows == 0) continue;
      if (!file_) {
        if (res_.TryGrow(static_cast<int64_t>(b.EstimatedBytes()))) {
          build_.AppendAll(b);
          continue;
        }
        // Over the budget: what is held and the rest of the build input go to a file.
        file_ = std::make_unique<SpillFile>(ctx_.memory->NextSpillPath(), &res_);
        for (size_t done = 0; done < build_.rows; done += kBatchSize) {
          ctx_.CheckCancelled();
          size_t n = std::min(kBatchSize, build_.rows - done);
          std::vector<uint32_t> sel(n);
          for (size_t i = 0; i < n; ++i) sel[i] = static_cast<uint32_t>(done + i);
          Batch chunk(build_types_);
          chunk.AppendSelected(build_, sel.data(), n);
          file_->Write(chunk);
        }
        build_ = Batch(build_types_);
        res_.ShrinkTo(0);
      }
      file_->Write(b);
    }
    if (file_) file_->FinishWriting();
  }

  // Probe rows [first, first + k) of in_, each joined with every row of `build`, the condition
  // applied; block_matched_[i] says whether probe row first + i kept a pair.
  // `take_probe`: the caller reads in_ no further once all of it is joined.
  void JoinRows(size_t first, size_t k, const Batch& build, Batch* out, bool take_probe = false) {
    const size_t n = build.rows, total = k * n;
    probe_sel_.resize(total);
    build_sel_.resize(total);
    for (size_t i = 0; i < k; ++i) {
      for (size_t j = 0; j < n; ++j) {
        probe_sel_[i * n + j] = static_cast<uint32_t>(first + i);
        build_sel_[i * n + j] = static_cast<uint32_t>(j);
      }
    }
    if (take_probe && n == 1 && first == 0 && k == in_.rows && type_ == plan::INNER) {
      // One build row (a scalar subquery's value) and the whole probe batch: an inner join
      // reads in_ no further, so its columns are taken as they are.
      out->columns = std::move(in_.columns);
      in_ = Batch(out->Types());
    } else {
      *out = Batch(in_.Types());
      for (size_t c = 0; c < in_.columns.size(); ++c) out->columns[c].AppendSelected(in_.columns[c], probe_sel_.data(), total);
    }
    for (size_t c = 0; c < build.columns.size(); ++c) {
      Vector v(build.columns[c].type());
      v.AppendSelected(build.columns[c], build_sel_.data(), total);
      out->columns.push_back(std::move(v));
    }
    out->rows = total;
    block_matched_.assign(k, 0);
    if (cond_ && total > 0) {
      keep_.clear();
      EvaluatePredicate(*cond_, *out, &keep_);
      for (uint32_t idx : keep_) block_matched_[probe_sel_[idx] - first] = 1;
      if (keep_.size() < total) {
        Batch f(out->Types());
        f.AppendSelected(*out, keep_.data(), keep_.size());
        *out = std::move(f);
      }
    } else if (n > 0) {
      std::fill(block_matched_.begin(), block_matched_.end(), 1);
    }
  }

  // Rows of probe row r of in_ joined with every row of `build` (the condition applied).
  void JoinRow(size_t r, const Batch& build, Batch* out) { JoinRows(r, 1, build, out); }

  // The spilled build side: probe block by probe block, build chunk by chunk, probe row by row.
  bool NextSpilled(Batch* out) {
    bool emits_pairs = type_ == plan::INNER || type_ == plan::LEFT || type_ == plan::FULL || type_ == plan::RIGHT;
    while (true) {
      ctx_.CheckCancelled();  // per probe row and chunk
      if (!block_active_) {
        if (!probe_->Next(&in_)) return false;
        if (in_.rows == 0) continue;
        block_active_ = true;
        matched_.assign(in_.rows, 0);
        chunk_loaded_ = false;
        next_file_ = std::make_unique<SpillFile>(ctx_.memory->NextSpillPath(), &res_);
      }
      if (!chunk_loaded_ || pos_ >= in_.rows) {  // the block's next build chunk
        if (file_->Read(&chunk_)) {
          next_file_->Write(chunk_);  // the next block reads the copy
          pos_ = 0;
          chunk_loaded_ = chunk_.rows > 0;
          continue;
        }
        next_file_->FinishWriting();
        file_ = std::move(next_file_);
        block_active_ = false;
        if (EmitBlockEnd(out)) return true;
        continue;
      }
      size_t r = pos_++;
      if (!emits_pairs && matched_[r]) continue;  // SEMI / ANTI / MARK: one match decides
      JoinRow(r, chunk_, out);
      if (out->rows == 0) continue;
      matched_[r] = 1;
      if (emits_pairs) return true;
      out->columns.clear();
      out->rows = 0;
    }
  }

  // End of a probe block: its LEFT/FULL rows without a match, its SEMI/ANTI rows, its marks.
  bool EmitBlockEnd(Batch* out) {
    std::vector<uint32_t> sel;
    bool want_matched = type_ == plan::SEMI;
    if (type_ == plan::MARK) {
      *out = Batch(in_.Types());
      out->AppendAll(in_);
      Vector mark(SqlType::Bool(), in_.rows);
      for (size_t r = 0; r < in_.rows; ++r) mark.data<uint8_t>()[r] = matched_[r];
      out->columns.push_back(std::move(mark));
      return out->rows > 0;
    }
    if (type_ != plan::LEFT && type_ != plan::FULL && type_ != plan::SEMI && type_ != plan::ANTI) return false;
    for (size_t r = 0; r < in_.rows; ++r) {
      if ((matched_[r] != 0) == want_matched) sel.push_back(static_cast<uint32_t>(r));
    }
    if (sel.empty()) return false;
    *out = Batch(in_.Types());
    out->AppendSelected(in_, sel.data(), sel.size());
    if (type_ == plan::LEFT || type_ == plan::FULL) {
      for (const auto& t : build_types_) out->columns.emplace_back(t);
      AppendNulls(out, in_.columns.size(), sel.size());
    }
    return true;
  }

  const ExecContext& ctx_;
  OperatorPtr probe_, build_op_;
  plan::JoinType type_;
  std::unique_ptr<ExpressionEvaluator> cond_;
  Batch build_, in_;
  std::vector<SqlType> build_types_;
  size_t pos_ = 0;
  bool built_ = false;
  MemoryReservation res_;  // the build side while held
  // Spilled: the build side's file, its copy for the next block, the block's state.
  std::unique_ptr<SpillFile> file_, next_file_;
  Batch chunk_;
  std::vector<uint8_t> matched_;
  bool block_active_ = false, chunk_loaded_ = false;
  // Scratch of JoinRows, reused: pair selections, kept pairs, matched probe rows, emitted rows.
  std::vector<uint32_t> probe_sel_, build_sel_, keep_, sel_;
  std::vector<uint8_t> block_matched_;
};

}  // namespace

OperatorPtr MakeHashJoin(const plan::HashJoin& spec, OperatorPtr probe, OperatorPtr build,
                         std::vector<SqlType> probe_types, std::vector<SqlType> build_types, const ExecContext& ctx) {
  return std::make_unique<HashJoin>(spec, std::move(probe), std::move(build), std::move(probe_types), std::move(build_types),
                                    ctx);
}

int HashJoinPartitionDepth(const Operator& op) {
  const auto* join = dynamic_cast<const HashJoin*>(&op);
  return join == nullptr ? -1 : join->partition_depth();
}

OperatorPtr MakeNestedLoopJoin(const plan::NestedLoopJoin& spec, OperatorPtr probe, OperatorPtr build,
                               std::vector<SqlType> build_types, const ExecContext& ctx) {
  return std::make_unique<NestedLoopJoin>(spec, std::move(probe), std::move(build), std::move(build_types), ctx);
}

}  // namespace strata
