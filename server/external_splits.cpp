// See external_splits.h.
#include "server/external_splits.h"
#include "server/plan_walk.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

#include "executor/expression.h"
#include "executor/operator_factory.h"
#include "formats/delimited_reader.h"
#include "formats/orc_reader.h"
#include "formats/parquet_reader.h"
#include "io/object_store.h"
#include "planner/expr_builder.h"
#include "server/external_tables.h"
#include "sql/error.h"
#include "sql/value_text.h"

namespace strata {
namespace {

// Visits `m` and, where `visit` returns true, the messages below it, depth first: an operator
// tree walked by reflection, so that every operator kind is covered without a list of them.
// Expressions never hold operators and are not entered.
// Calls fn on every FileScan of an external table in `m` (not on the scans inside one).
void ForEachExternalScan(google::protobuf::Message* m, const std::function<void(plan::FileScan*)>& fn) {
  WalkMessages(m, [&](google::protobuf::Message* x) {
    if (x->GetDescriptor() != plan::FileScan::descriptor()) return true;
    auto* fs = static_cast<plan::FileScan*>(x);
    if (fs->has_external()) fn(fs);
    return false;
  });
}

// Indexes of the table's partitions that the scan's partition filter keeps (all without one).
std::vector<int> QualifyingPartitions(const plan::ExternalScan& x, const catalog::ExternalTable& ext) {
  std::vector<int> keep;
  const int n = ext.partitions_size();
  if (!x.has_partition_filter()) {
    for (int i = 0; i < n; ++i) keep.push_back(i);
    return keep;
  }
  std::vector<SqlType> types;
  for (const auto& t : x.partition_types()) types.push_back(FromProtoType(t));
  ExpressionEvaluator filter(x.partition_filter());
  std::vector<uint32_t> sel;
  for (int first = 0; first < n; first += static_cast<int>(kBatchSize)) {
    int rows = std::min<int>(n - first, static_cast<int>(kBatchSize));
    Batch b(types);
    b.SetRows(rows);
    std::vector<bool> bad(rows, false);
    for (int r = 0; r < rows; ++r) {
      const auto& p = ext.partitions(first + r);
      for (size_t k = 0; k < types.size(); ++k) {
        bool null = static_cast<int>(k) >= p.values_size() || (static_cast<int>(k) < p.nulls_size() && p.nulls(k));
        if (null) {
          b.columns[k].SetNull(r, true);
          continue;
        }
        try {
          ParseValueText(p.values(k), &b.columns[k], r);
          b.columns[k].SetNull(r, false);
        } catch (const SqlError&) {
          bad[r] = true;  // a value its column's type cannot hold: kept, the scan reports it
          b.columns[k].SetNull(r, true);
        }
      }
    }
    size_t hits = EvaluatePredicate(filter, b, &sel);
    std::vector<bool> kept(rows, false);
    for (size_t i = 0; i < hits; ++i) kept[sel[i]] = true;
    for (int r = 0; r < rows; ++r) {
      if (kept[r] || bad[r]) keep.push_back(first + r);
    }
  }
  return keep;
}

struct FileToRead {
  ObjectInfo object;
  int partition = -1;  // index into the table's partitions; -1 when not partitioned
};

constexpr int64_t kSplitBytes = int64_t{128} << 20;  // Spectrum's split size: 64-128 MB

// Consecutive units (row groups, stripes) of these byte sizes in runs of about `target` bytes,
// as [first, end) unit ranges; a file of one unit is read whole.
std::vector<std::pair<int64_t, int64_t>> Runs(const std::vector<int64_t>& unit_bytes, int64_t target) {
  if (unit_bytes.size() <= 1) return {{0, -1}};
  std::vector<std::pair<int64_t, int64_t>> runs;
  int64_t first = 0, bytes = 0;
  for (size_t u = 0; u < unit_bytes.size(); ++u) {
    bytes += unit_bytes[u];
    if (bytes >= target || u + 1 == unit_bytes.size()) {
      runs.emplace_back(first, static_cast<int64_t>(u) + 1);
      first = static_cast<int64_t>(u) + 1;
      bytes = 0;
    }
  }
  return runs;
}

// A Parquet file's row groups in runs of about `target` bytes (only its footer is read).
std::vector<std::pair<int64_t, int64_t>> RowGroupRuns(const ObjectInfo& o, int64_t target) {
  auto store = OpenObjectStore(o.url, ObjectStoreConfig::FromEnvironment());
  auto source = store->OpenRead(o.url);
  ParquetReader reader(source.get());
  std::vector<int64_t> sizes;
  for (const auto& g : reader.metadata().row_groups) sizes.push_back(g.total_byte_size);
  return Runs(sizes, target);
}

// An ORC file's stripes in runs of about `target` bytes (only its tail is read).
std::vector<std::pair<int64_t, int64_t>> StripeRuns(const ObjectInfo& o, int64_t target) {
  auto store = OpenObjectStore(o.url, ObjectStoreConfig::FromEnvironment());
  auto source = store->OpenRead(o.url);
  OrcReader reader(source.get());
  std::vector<int64_t> sizes;
  for (int s = 0; s < reader.stripes(); ++s) sizes.push_back(reader.stripe_bytes(s));
  return Runs(sizes, target);
}

// The external FileScan at the bottom of a chain of Filter and Project operators, optionally
// under one PARTIAL Aggregate: what the spectrum workers can run for each split. Null when `op`
// is no such chain.
const plan::FileScan* PushableLeaf(const plan::Operator& op, bool top) {
  switch (op.kind_case()) {
    case plan::Operator::kFileScan: return op.file_scan().has_external() ? &op.file_scan() : nullptr;
    case plan::Operator::kFilter: return PushableLeaf(op.filter().input(), false);
    case plan::Operator::kProject: return PushableLeaf(op.project().input(), false);
    case plan::Operator::kAggregate:
      return top && op.aggregate().mode() == plan::PARTIAL ? PushableLeaf(op.aggregate().input(), false) : nullptr;
    default: return nullptr;
  }
}

// Moves the operators right above each external scan that the workers can run (filter,
// projection, partial aggregation) into the scan (ExternalScan.pushed), so only their output
// crosses from worker to slice.
void PushToWorkers(google::protobuf::Message* m) {
  WalkMessages(m, [](google::protobuf::Message* x) {
    if (x->GetDescriptor() == plan::FileScan::descriptor()) return false;
    if (x->GetDescriptor() != plan::Operator::descriptor()) return true;
    auto* op = static_cast<plan::Operator*>(x);
    const plan::FileScan* leaf = op->has_file_scan() ? nullptr : PushableLeaf(*op, true);
    if (leaf == nullptr) return true;
    plan::Operator scan;
    plan::FileScan* fs = scan.mutable_file_scan();
    *fs = *leaf;
    fs->clear_types();
    for (const SqlType& t : OutputTypes(*op)) *fs->add_types() = ToProtoType(t);
    *fs->mutable_external()->mutable_pushed() = std::move(*op);
    *op = std::move(scan);
    return false;
  });
}


// Each qualifying partition's files, listed by up to kListThreads requests at once (one LIST per
// partition: against S3 a few hundred partitions listed one after another would take seconds).
constexpr int kListThreads = 16;

std::vector<std::vector<ObjectInfo>> ListPartitions(const catalog::ExternalTable& ext, const std::vector<int>& keep,
                                                    const ObjectStoreConfig& cfg) {
  std::vector<std::vector<ObjectInfo>> out(keep.size());
  if (keep.size() <= 1) {
    for (size_t i = 0; i < keep.size(); ++i) out[i] = ListDataFiles(ext.partitions(keep[i]).location(), cfg);
    return out;
  }
  std::atomic<size_t> next{0};
  std::mutex mu;
  std::exception_ptr first_error;
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < keep.size();) {
      try {
        out[i] = ListDataFiles(ext.partitions(keep[i]).location(), cfg);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mu);
        if (!first_error) first_error = std::current_exception();
        next = keep.size();  // the others stop taking work
      }
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < std::min<int>(kListThreads, static_cast<int>(keep.size())); ++t) threads.emplace_back(work);
  for (auto& t : threads) t.join();
  if (first_error) std::rethrow_exception(first_error);
  return out;
}

}  // namespace

bool HasExternalScans(const plan::QueryPlan& plan) {
  for (const auto& stage : plan.stages()) {
    if (AnyMessage(stage.root(), plan::FileScan::descriptor(), [](const google::protobuf::Message& m) {
          return static_cast<const plan::FileScan&>(m).has_external();
        })) {
      return true;
    }
  }
  return false;
}

std::vector<PartitionCount> ExternalPartitionCounts(const plan::QueryPlan& plan, const CatalogVersion& cat) {
  std::vector<PartitionCount> out;
  for (const auto& stage : plan.stages()) {
    plan::Operator op = stage.root();
    ForEachExternalScan(&op, [&](plan::FileScan* fs) {
      const catalog::Table* t = cat.TableById(fs->external().table_id());
      if (t == nullptr || !fs->external().partitioned()) return;
      out.push_back({fs->external().table_name(), static_cast<int>(QualifyingPartitions(fs->external(), t->external()).size()),
                     t->external().partitions_size()});
    });
  }
  return out;
}

std::vector<std::string> WithPartitionCounts(const std::vector<std::string>& explain, const std::vector<PartitionCount>& counts) {
  std::vector<std::string> out;
  std::vector<bool> used(counts.size(), false);
  for (const std::string& line : explain) {
    out.push_back(line);
    size_t at = line.find("S3 Seq Scan ");
    if (at == std::string::npos) continue;
    for (size_t i = 0; i < counts.size(); ++i) {
      if (used[i] || line.compare(at + 12, counts[i].table.size() + 1, counts[i].table + " ") != 0) continue;
      used[i] = true;
      size_t indent = line.find_first_not_of(' ');
      out.push_back(std::string(indent + 6, ' ') + StrCat("Partitions: ", counts[i].qualified, " of ", counts[i].total));
      break;
    }
  }
  return out;
}

std::vector<plan::ScanStat> PrepareExternalScans(plan::QueryPlan* plan, const CatalogVersion& cat, int slices,
                                                 const std::vector<rpc::NodeAddress>& spectrum_workers) {
  std::vector<plan::ScanStat> summaries;
  if (!spectrum_workers.empty()) {
    for (auto& stage : *plan->mutable_stages()) PushToWorkers(stage.mutable_root());
  }
  for (auto& stage : *plan->mutable_stages()) {
    ForEachExternalScan(stage.mutable_root(), [&](plan::FileScan* fs) {
      plan::ExternalScan* x = fs->mutable_external();
      const catalog::Table* t = cat.TableById(x->table_id());
      if (t == nullptr || !t->has_external()) {
        throw SqlError(sqlstate::kUndefinedTable, StrCat("the external table ", x->table_name(), " no longer exists"));
      }
      const catalog::ExternalTable& ext = t->external();
      ObjectStoreConfig cfg = ObjectStoreConfig::FromEnvironment();
      std::vector<FileToRead> files;
      int qualified = 0;
      if (ext.partition_keys() > 0) {
        std::vector<int> keep = QualifyingPartitions(*x, ext);
        qualified = static_cast<int>(keep.size());
        std::vector<std::vector<ObjectInfo>> listed = ListPartitions(ext, keep, cfg);
        for (size_t i = 0; i < keep.size(); ++i) {
          for (auto& o : listed[i]) files.push_back({std::move(o), keep[i]});
        }
      } else {
        for (auto& o : ListDataFiles(ext.location(), cfg)) files.push_back({std::move(o), -1});
      }
      // Largest first, each piece to the slice with the fewest bytes so far.
      std::stable_sort(files.begin(), files.end(), [](const FileToRead& a, const FileToRead& b) {
        return a.object.size != b.object.size ? a.object.size > b.object.size : a.object.url < b.object.url;
      });
      const bool text = (fs->format() == "text" || fs->format() == "csv") && fs->compression().empty();
      std::vector<int64_t> load(std::max(slices, 1), 0);
      int64_t splits = 0;
      int next_worker = 0;
      for (const auto& f : files) {
        const std::string& url = f.object.url;
        bool compressed = url.ends_with(".gz") || url.ends_with(".bz2") || url.ends_with(".zst");
        std::vector<std::pair<int64_t, int64_t>> ranges = {{0, -1}};
        bool few = static_cast<int>(files.size()) < slices;
        if (text && !compressed && f.object.size > (few ? (int64_t{4} << 20) : kSplitBytes)) {
          int parts = static_cast<int>(std::min<int64_t>(std::max<int64_t>(f.object.size / (few ? std::max<int64_t>(f.object.size / slices, 1) : kSplitBytes), 1), 4096));
          ranges = SplitRanges(f.object.size, parts);
        } else if (fs->format() == "parquet" && (few || f.object.size > kSplitBytes)) {
          ranges = RowGroupRuns(f.object, few ? std::max<int64_t>(f.object.size / slices, 1) : kSplitBytes);
        } else if (fs->format() == "orc" && (few || f.object.size > kSplitBytes)) {
          ranges = StripeRuns(f.object, few ? std::max<int64_t>(f.object.size / slices, 1) : kSplitBytes);
        }
        for (const auto& [b, e] : ranges) {
          int s = static_cast<int>(std::min_element(load.begin(), load.end()) - load.begin());
          plan::LoadSplit* split = (*fs->mutable_splits_by_slice())[s].add_splits();
          split->set_url(url);
          split->set_begin(b);
          split->set_end(e);
          split->set_size(f.object.size);
          if (f.partition >= 0) {
            const auto& p = ext.partitions(f.partition);
            for (int k = 0; k < p.values_size(); ++k) {
              split->add_partition_values(p.values(k));
              split->add_partition_nulls(k < p.nulls_size() && p.nulls(k));
            }
          }
          if (!spectrum_workers.empty()) split->set_worker(next_worker++ % static_cast<int>(spectrum_workers.size()));
          int64_t weight = e < 0 ? f.object.size : (text ? e - b : f.object.size / static_cast<int64_t>(ranges.size()));
          load[s] += weight + 1;
          ++splits;
        }
      }
      x->clear_workers();
      for (const auto& w : spectrum_workers) x->add_workers(StrCat(w.host(), ":", w.port()));
      x->set_total_partitions(ext.partitions_size());
      x->set_qualified_partitions(qualified);
      x->set_files(static_cast<int64_t>(files.size()));
      plan::ScanStat sum;
      sum.set_slice(-1);
      sum.set_table_id(t->id());
      sum.set_table_name(x->table_name());
      sum.set_stage(stage.id());
      sum.set_external(true);
      sum.set_partitioned(ext.partition_keys() > 0);
      sum.set_total_partitions(ext.partitions_size());
      sum.set_qualified_partitions(qualified);
      sum.set_files(static_cast<int64_t>(files.size()));
      sum.set_total_splits(splits);
      summaries.push_back(std::move(sum));
    });
  }
  return summaries;
}

}  // namespace strata
