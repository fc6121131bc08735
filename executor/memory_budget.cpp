// See memory_budget.h.
#include "executor/memory_budget.h"

#include <unistd.h>

#include <cctype>
#include <climits>
#include <cstdio>

#include "executor/step_profile.h"
#include "sql/error.h"

namespace strata {

namespace {

void RaisePeak(std::atomic<int64_t>& peak, int64_t now) {
  int64_t p = peak.load(std::memory_order_relaxed);
  while (now > p && !peak.compare_exchange_weak(p, now, std::memory_order_relaxed)) {}
}

}  // namespace

int64_t ParseMemorySize(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  size_t digits = i;
  int64_t value = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    if (value > (INT64_MAX - 9) / 10) throw SqlError(sqlstate::kInvalidParameterValue, StrCat("memory size \"", text, "\" is too large"));
    value = value * 10 + (text[i++] - '0');
  }
  if (i == digits) throw SqlError(sqlstate::kInvalidParameterValue, StrCat("invalid memory size \"", text, "\": expected a number with kB, MB, GB or TB"));
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  std::string unit;
  for (; i < text.size(); ++i) unit += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
  while (!unit.empty() && std::isspace(static_cast<unsigned char>(unit.back()))) unit.pop_back();
  int shift = 0;
  if (unit.empty() || unit == "b" || unit == "bytes") shift = 0;
  else if (unit == "kb" || unit == "k") shift = 10;
  else if (unit == "mb" || unit == "m") shift = 20;
  else if (unit == "gb" || unit == "g") shift = 30;
  else if (unit == "tb" || unit == "t") shift = 40;
  else throw SqlError(sqlstate::kInvalidParameterValue, StrCat("invalid memory size \"", text, "\": valid units are kB, MB, GB and TB"));
  if (shift > 0 && value > (INT64_MAX >> shift)) throw SqlError(sqlstate::kInvalidParameterValue, StrCat("memory size \"", text, "\" is too large"));
  return value << shift;
}

std::string FormatMemorySize(int64_t bytes) {
  char buf[64];
  const char* units[] = {"kB", "MB", "GB", "TB"};
  if (bytes < 1024) {
    std::snprintf(buf, sizeof buf, "%lld bytes", static_cast<long long>(bytes));
    return buf;
  }
  double v = static_cast<double>(bytes);
  int u = -1;
  while (v >= 1024 && u < 3) { v /= 1024; ++u; }
  if (v == static_cast<double>(static_cast<int64_t>(v))) std::snprintf(buf, sizeof buf, "%lld %s", static_cast<long long>(v), units[u]);
  else std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
  return buf;
}

int64_t DefaultNodeMemoryLimit() {
  long pages = ::sysconf(_SC_PHYS_PAGES);
  long page = ::sysconf(_SC_PAGE_SIZE);
  int64_t total = pages > 0 && page > 0 ? static_cast<int64_t>(pages) * page : (int64_t{4} << 30);
  return std::max<int64_t>(total / 4, int64_t{256} << 20);
}

bool NodeMemory::TryTake(int64_t bytes) {
  int64_t now = used_.fetch_add(bytes, std::memory_order_relaxed) + bytes;
  if (now > limit_ && bytes > 0) {
    used_.fetch_sub(bytes, std::memory_order_relaxed);
    return false;
  }
  RaisePeak(peak_, now);
  return true;
}

void NodeMemory::Give(int64_t bytes) { used_.fetch_sub(bytes, std::memory_order_relaxed); }

QueryMemory::QueryMemory(NodeMemory* node, int64_t limit, uint64_t query_id, std::string temp_dir)
    : node_(node), limit_(limit), query_id_(query_id), temp_dir_(std::move(temp_dir)) {
  if (temp_dir_.empty() && node_ != nullptr) temp_dir_ = node_->temp_dir();
  if (temp_dir_.empty()) temp_dir_ = "/tmp";
}

QueryMemory::~QueryMemory() {
  // Operators give back what they hold when destroyed; whatever is left goes back now.
  int64_t left = used_.load();
  if (node_ != nullptr && left != 0) node_->Give(left);
}

bool QueryMemory::TryTake(int64_t bytes) {
  int64_t now = used_.fetch_add(bytes, std::memory_order_relaxed) + bytes;
  if (bytes > 0 && now > limit_) {
    used_.fetch_sub(bytes, std::memory_order_relaxed);
    return false;
  }
  if (node_ != nullptr && !node_->TryTake(bytes)) {
    used_.fetch_sub(bytes, std::memory_order_relaxed);
    return false;
  }
  RaisePeak(peak_, now);
  return true;
}

void QueryMemory::Give(int64_t bytes) {
  used_.fetch_sub(bytes, std::memory_order_relaxed);
  if (node_ != nullptr) node_->Give(bytes);
}

std::string QueryMemory::NextSpillPath() {
  return StrCat(temp_dir_, "/q", query_id_, "-", ::getpid(), "-", next_file_.fetch_add(1), ".spill");
}

namespace {
thread_local int64_t operator_share = 0;
thread_local std::shared_ptr<OperatorPool> operator_pool;
}  // namespace

bool OperatorPool::TryClaim(int64_t bytes, bool force) {
  int64_t now = claimed_.load(std::memory_order_relaxed);
  do {
    if (!force && now + bytes > total_) return false;
  } while (!claimed_.compare_exchange_weak(now, now + bytes, std::memory_order_relaxed));
  return true;
}

ScopedOperatorShare::ScopedOperatorShare(int64_t bytes, int operators)
    : previous_(operator_share), previous_pool_(operator_pool) {
  operator_share = bytes;
  operator_pool = bytes > 0 && operators > 0 ? std::make_shared<OperatorPool>(bytes * operators) : nullptr;
}
ScopedOperatorShare::~ScopedOperatorShare() {
  operator_share = previous_;
  operator_pool = std::move(previous_pool_);
}

int64_t OperatorShare(const QueryMemory* memory, int slices, int operators) {
  if (memory == nullptr) return 0;
  int64_t part = memory->limit() / 4 * 3 / std::max(1, slices) / std::max(1, operators);
  return std::max<int64_t>(part, 64 * 1024);
}

MemoryReservation::MemoryReservation(QueryMemory* query, std::string operator_name, bool pooled)
    : query_(query), name_(std::move(operator_name)) {
  if (operator_share > 0) cap_ = operator_share;
  if (pooled && query_ != nullptr && operator_pool != nullptr) {
    pool_ = operator_pool;
    even_part_ = cap_;
    cap_ = INT64_MAX;
    floor_ = even_part_ / 2;
    pool_->TryClaim(floor_, /*force=*/true);
  }
}

MemoryReservation::~MemoryReservation() {
  ShrinkTo(0);
  if (pool_ != nullptr) pool_->Release(floor_);
}

void MemoryReservation::Hold(int64_t bytes) {
  held_ += bytes;
  if (held_ > peak_) {
    peak_ = held_;
    if (plan::StepStat* step = CurrentStep(); step != nullptr && peak_ > step->peak_bytes()) step->set_peak_bytes(peak_);
  }
}

bool MemoryReservation::TryGrow(int64_t bytes) {
  if (bytes <= 0) return true;
  if (query_ != nullptr && held_ + bytes > cap_) return false;
  // Past the floor, the bytes are claimed from the stage's pool first.
  const int64_t claim = PoolDelta(held_ + bytes);
  if (claim > 0 && !pool_->TryClaim(claim)) return false;
  if (query_ != nullptr && !query_->TryTake(bytes)) {
    if (claim > 0) pool_->Release(claim);
    return false;
  }
  Hold(bytes);
  return true;
}

void MemoryReservation::Grow(int64_t bytes) {
  if (TryGrow(bytes)) return;
  // A pooled operator may always reach the plain cap it would have had, pool or not.
  if (pool_ != nullptr && bytes > 0 && held_ + bytes <= even_part_ && query_->TryTake(bytes)) {
    if (const int64_t claim = PoolDelta(held_ + bytes); claim > 0) pool_->TryClaim(claim, /*force=*/true);
    Hold(bytes);
    return;
  }
  throw SqlError(sqlstate::kOutOfMemory,
                 StrCat("out of memory: ", name_, " needs ", FormatMemorySize(held_ + bytes), " and cannot spill more; the query's memory on this node is ",
                        FormatMemorySize(query_->limit()), " (", FormatMemorySize(query_->used()), " in use)"))
      .WithHint("raise the session setting query_memory (or the node's --memory-limit), or make the query hold less");
}

void MemoryReservation::ShrinkTo(int64_t bytes) {
  if (bytes < 0) bytes = 0;
  if (bytes >= held_) return;
  if (query_ != nullptr) query_->Give(held_ - bytes);
  if (const int64_t released = -PoolDelta(bytes); released > 0) pool_->Release(released);
  held_ = bytes;
}

int64_t MemoryReservation::limit() const { return query_ == nullptr ? INT64_MAX : query_->limit(); }

void MemoryReservation::AddSpilled(int64_t bytes) {
  spilled_ += bytes;
  if (plan::StepStat* step = CurrentStep(); step != nullptr) step->set_spilled_bytes(step->spilled_bytes() + bytes);
  if (query_ != nullptr) query_->AddSpilled(bytes);
}

}  // namespace strata
