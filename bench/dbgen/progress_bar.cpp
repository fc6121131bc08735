// Drawing of the stderr progress bar.
#include "bench/dbgen/progress_bar.h"

#include <algorithm>
#include <cstdio>

namespace strata::dbgen {

void ProgressBar::Start(std::string_view label, int64_t total_units) {
  label_ = std::string(label);
  total_ = std::max<int64_t>(1, total_units);
  done_ = 0;
  shown_percent_ = -1;
  started_ = std::chrono::steady_clock::now();
  Draw();
}

void ProgressBar::Advance(int64_t units) {
  done_ = std::min(total_, done_ + units);
  if (static_cast<int>(done_ * 100 / total_) != shown_percent_) Draw();
}

void ProgressBar::Finish() {
  done_ = total_;
  shown_percent_ = -1;
  Draw();
  if (enabled_) std::fputc('\n', stderr);
}

void ProgressBar::Draw() {
  if (!enabled_) return;
  constexpr int kWidth = 30;
  shown_percent_ = static_cast<int>(done_ * 100 / total_);
  const int filled = static_cast<int>(done_ * kWidth / total_);
  char bar[kWidth + 1];
  for (int i = 0; i < kWidth; ++i) bar[i] = i < filled ? '#' : '.';
  bar[kWidth] = '\0';
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  std::fprintf(stderr, "\r%-9s [%s] %3d%% %6.1f s", label_.c_str(), bar, shown_percent_, seconds);
  std::fflush(stderr);
}

}  // namespace strata::dbgen
