// See load_error_store.h.
#include "server/load_error_store.h"

namespace strata {

void LoadErrorStore::Add(int64_t query, int64_t starttime_micros, const std::vector<plan::LoadError>& errors) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& e : errors) {
    rows_.push_back({query, starttime_micros, e});
    if (rows_.size() > kLimit) rows_.pop_front();
  }
}

std::vector<LoadErrorRow> LoadErrorStore::Rows() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {rows_.begin(), rows_.end()};
}

}  // namespace strata
