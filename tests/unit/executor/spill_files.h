// Shared by the spill tests: how many entries a folder holds (a spilling operator must leave its
// temp folder empty: spill files are unlinked as they are made).
#pragma once

#include <dirent.h>

#include <string>

namespace strata {

inline int FilesIn(const std::string& dir) {
  int n = 0;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return 0;
  while (dirent* e = ::readdir(d)) n += e->d_name[0] != '.';
  ::closedir(d);
  return n;
}

}  // namespace strata
