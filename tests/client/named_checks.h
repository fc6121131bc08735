// The client test programs' checks (tests/client/libpq_*_test.cpp): each prints "ok   name" or
// "FAIL name" with a detail line, and counts; the program ends with the counts and exits 1 when
// any check failed (Finish).
#pragma once

#include <cstdio>
#include <string>

namespace client_checks {

inline int passed = 0;
inline int failed = 0;

inline void Check(const std::string& name, bool ok, const std::string& detail = "") {
  if (ok) {
    std::printf("ok   %s\n", name.c_str());
    ++passed;
  } else {
    std::printf("FAIL %s\n  %s\n", name.c_str(), detail.c_str());
    ++failed;
  }
}

inline void CheckEq(const std::string& name, const std::string& expected, const std::string& actual) {
  Check(name, expected == actual, "expected: " + expected + "\n  actual:   " + actual);
}

// Prints the counts; the program's exit status.
inline int Finish() {
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}

}  // namespace client_checks
