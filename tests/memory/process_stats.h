// What the memory and stopping tests read about the cluster's processes from /proc: resident
// and peak memory, CPU time, and which of the leader's children are compute nodes.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace strata::testing {

// VmRSS ("VmRSS:") or VmHWM ("VmHWM:", the peak) of a process in MB; 0 when unreadable.
inline int64_t StatusMb(pid_t pid, const std::string& field) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind(field, 0) == 0) return std::stoll(line.substr(field.size())) / 1024;
  }
  return 0;
}
inline int64_t RssMb(pid_t pid) { return StatusMb(pid, "VmRSS:"); }
inline int64_t PeakRssMb(pid_t pid) { return StatusMb(pid, "VmHWM:"); }

// CPU ticks (user + system) a process has used.
inline int64_t CpuTicks(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  size_t close = s.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream in(s.substr(close + 2));
  std::string field;
  int64_t utime = 0;
  for (int i = 3; in >> field; ++i) {
    if (i == 14) utime = std::stoll(field);
    if (i == 15) return utime + std::stoll(field);
  }
  return 0;
}

// The compute node processes: the leader's children started as `strata compute`.
inline std::vector<pid_t> ComputePids(pid_t leader) {
  std::vector<pid_t> out;
  std::ifstream f("/proc/" + std::to_string(leader) + "/task/" + std::to_string(leader) + "/children");
  pid_t p;
  while (f >> p) {
    std::ifstream cmd("/proc/" + std::to_string(p) + "/cmdline");
    std::string c((std::istreambuf_iterator<char>(cmd)), std::istreambuf_iterator<char>());
    if (c.find("compute") != std::string::npos) out.push_back(p);
  }
  return out;
}

inline int64_t ComputeCpu(pid_t leader) {
  int64_t t = 0;
  for (pid_t p : ComputePids(leader)) t += CpuTicks(p);
  return t;
}

}  // namespace strata::testing
