// stl_scan's rows (see scan_log.h).
#include "server/scan_log.h"

namespace strata {

void ScanLog::Add(int64_t query, int64_t starttime_micros, const std::vector<plan::ScanStat>& scans) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& s : scans) rows_.push_back({query, starttime_micros, s});
  while (rows_.size() > kLimit) rows_.pop_front();
}

std::vector<ScanLogRow> ScanLog::Rows() const {
  std::lock_guard<std::mutex> lock(mu_);
  return std::vector<ScanLogRow>(rows_.begin(), rows_.end());
}

}  // namespace strata
