// strata-dbgen: command-line front end of the TPC-H generator.
//   strata-dbgen --scale SF --out DIR [--table NAME[,NAME...]] [--parallel N]
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

#include "bench/dbgen/dbgen.h"

namespace {

int Usage(const char* message) {
  if (message != nullptr) std::fprintf(stderr, "strata-dbgen: %s\n", message);
  std::fprintf(stderr,
               "usage: strata-dbgen --scale SF --out DIR [--table NAME[,NAME...]] [--parallel N]\n"
               "tables: region nation supplier customer part partsupp orders lineitem\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace strata::dbgen;
  DbgenOptions options;
  options.progress = isatty(STDERR_FILENO) != 0;
  bool have_scale = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      Usage(nullptr);
      return 0;
    }
    if (i + 1 >= argc) return Usage(("missing value for " + std::string(arg)).c_str());
    const std::string value = argv[++i];
    if (arg == "--scale" || arg == "-s") {
      char* end = nullptr;
      options.scale_factor = std::strtod(value.c_str(), &end);
      if (end == value.c_str() || *end != '\0') return Usage("bad --scale");
      have_scale = true;
    } else if (arg == "--out" || arg == "-o") {
      options.out_dir = value;
    } else if (arg == "--table" || arg == "-T") {
      size_t start = 0;
      while (start <= value.size()) {
        const size_t comma = value.find(',', start);
        const std::string name = value.substr(start, comma == std::string::npos ? comma : comma - start);
        const auto table = ParseTableName(name);
        if (!table) return Usage(("unknown table " + name).c_str());
        options.tables.push_back(*table);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    } else if (arg == "--parallel" || arg == "-j") {
      char* end = nullptr;
      const long n = std::strtol(value.c_str(), &end, 10);
      if (end == value.c_str() || *end != '\0' || n < 1 || n > 1024) return Usage("bad --parallel");
      options.parallel = static_cast<int>(n);
    } else {
      return Usage(("unknown option " + std::string(arg)).c_str());
    }
  }
  if (!have_scale) return Usage("--scale is required");
  if (options.out_dir.empty()) return Usage("--out is required");
  try {
    GenerateTpch(options);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "strata-dbgen: %s\n", e.what());
    return 1;
  }
  return 0;
}
