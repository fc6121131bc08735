// Fault injection points (see fault_point.h).
#include "storage/fault_point.h"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace strata {
namespace {

struct FaultConfig {
  std::string point, arm_file;
};

const FaultConfig& Config() {
  static const FaultConfig config = [] {
    FaultConfig c;
    if (const char* p = std::getenv("STRATA_FAULT_CRASH")) c.point = p;
    if (const char* a = std::getenv("STRATA_FAULT_ARM")) c.arm_file = a;
    return c;
  }();
  return config;
}

}  // namespace

void FaultPoint(const char* name) {
  const FaultConfig& c = Config();
  if (c.point.empty() || c.point != name || c.arm_file.empty()) return;
  if (::unlink(c.arm_file.c_str()) != 0) return;  // not armed (or another process won)
  std::fprintf(stderr, "fault injection: killing pid %d at %s\n", static_cast<int>(::getpid()), name);
  ::kill(::getpid(), SIGKILL);
}

}  // namespace strata
