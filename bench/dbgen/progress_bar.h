// A one-line progress bar on stderr ("lineitem  [#######.............]  35%   4.1 s"), redrawn
// in place with '\r' only when the shown percentage changes. Disabled, it prints nothing; the
// caller enables it only when stderr is a terminal.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace strata::dbgen {

class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled) {}

  void Start(std::string_view label, int64_t total_units);
  void Advance(int64_t units);
  void Finish();

 private:
  void Draw();

  bool enabled_;
  std::string label_;
  int64_t total_ = 1;
  int64_t done_ = 0;
  int shown_percent_ = -1;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace strata::dbgen
