// Progress meters of replication work (progress.h).
#include "replication/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <mutex>

#include "planner/clock_functions.h"

namespace strata {
namespace {

std::mutex registry_mu;
std::vector<ProgressMeter*>& Registry() {
  static std::vector<ProgressMeter*> r;
  return r;
}

}  // namespace

ProgressMeter::ProgressMeter(std::string kind, std::string name, std::string location, int64_t total)
    : kind_(std::move(kind)), name_(std::move(name)), location_(std::move(location)), total_(total),
      started_micros_(ClockMicros()) {
  std::lock_guard<std::mutex> lock(registry_mu);
  Registry().push_back(this);
}

ProgressMeter::ProgressMeter(std::string kind, std::string name, std::string location, int64_t total, ProgressOwner owner)
    : kind_(std::move(kind)), name_(std::move(name)), location_(std::move(location)), owner_(std::move(owner)),
      total_(total), started_micros_(ClockMicros()) {
  std::lock_guard<std::mutex> lock(registry_mu);
  Registry().push_back(this);
}

ProgressMeter::~ProgressMeter() {
  std::lock_guard<std::mutex> lock(registry_mu);
  auto& r = Registry();
  r.erase(std::remove(r.begin(), r.end(), this), r.end());
}

ProgressRow ProgressMeter::Row() const {
  ProgressRow row;
  row.kind = kind_;
  row.name = name_;
  row.location = location_;
  row.bytes_done = done_.load();
  row.bytes_total = std::max(total_.load(), row.bytes_done);
  row.started_micros = started_micros_;
  row.pid = owner_.pid;
  row.query = owner_.query;
  row.user = owner_.user;
  row.unit = owner_.unit;
  double secs = std::max(1e-3, (ClockMicros() - started_micros_) / 1e6);
  row.mb_per_second = row.bytes_done / 1e6 / secs;
  if (row.bytes_done > 0) row.seconds_left = (row.bytes_total - row.bytes_done) / (row.bytes_done / secs);
  return row;
}

std::vector<ProgressRow> ProgressMeter::All() {
  std::lock_guard<std::mutex> lock(registry_mu);
  std::vector<ProgressRow> out;
  for (const ProgressMeter* m : Registry()) out.push_back(m->Row());
  return out;
}

std::string HumanBytes(int64_t bytes) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1000 && u < 4) {
    v /= 1000;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
  return buf;
}

void ProgressMeter::Draw(bool final) {
  bool tty = isatty(STDERR_FILENO) != 0;
  int64_t now = ClockMicros();
  if (!final && now - last_drawn_micros_ < (tty ? 200000 : 5000000)) return;
  last_drawn_micros_ = now;
  ProgressRow r = Row();
  double frac = r.bytes_total > 0 ? static_cast<double>(r.bytes_done) / r.bytes_total : 1.0;
  char left[32] = "";
  if (r.seconds_left >= 0 && !final) std::snprintf(left, sizeof left, ", %.0f s left", r.seconds_left);
  if (tty) {
    int filled = static_cast<int>(frac * 30);
    std::string bar = std::string(filled, '#') + std::string(30 - filled, '.');
    std::fprintf(stderr, "\r%s %s [%s] %3.0f%% %s of %s, %.1f MB/s%s   ", kind_.c_str(), name_.c_str(), bar.c_str(),
                 frac * 100, HumanBytes(r.bytes_done).c_str(), HumanBytes(r.bytes_total).c_str(), r.mb_per_second, left);
    if (final) std::fputc('\n', stderr);
  } else {
    std::fprintf(stderr, "%s %s: %.0f%% %s of %s, %.1f MB/s%s\n", kind_.c_str(), name_.c_str(), frac * 100,
                 HumanBytes(r.bytes_done).c_str(), HumanBytes(r.bytes_total).c_str(), r.mb_per_second, left);
  }
  std::fflush(stderr);
}

}  // namespace strata
