// See stl_log.h.
#include "server/stl_log.h"

#include <algorithm>
#include <map>

namespace strata {

std::vector<plan::StepStat> SummarizeSteps(const std::vector<plan::StepStat>& per_slice) {
  std::map<std::pair<int, int>, plan::StepStat> merged;
  for (const auto& s : per_slice) {
    auto [it, fresh] = merged.try_emplace({s.stage(), s.step()});
    plan::StepStat& m = it->second;
    if (fresh) {
      m = s;
      m.set_slice(1);
      m.set_avg_micros(s.micros());  // the sum until the end
      continue;
    }
    m.set_avg_micros(m.avg_micros() + s.micros());
    m.set_slice(m.slice() + 1);
    m.set_rows(m.rows() + s.rows());
    m.set_bytes(m.bytes() + s.bytes());
    m.set_spilled_bytes(m.spilled_bytes() + s.spilled_bytes());
    m.set_micros(std::max(m.micros(), s.micros()));
    m.set_peak_bytes(std::max(m.peak_bytes(), s.peak_bytes()));
  }
  std::vector<plan::StepStat> out;
  for (auto& [key, s] : merged) {
    s.set_avg_micros(s.avg_micros() / std::max(1, s.slice()));
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace strata
