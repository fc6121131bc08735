// strata-dbgen's library entry point: write the TPC-H tables of a scale factor as dbgen-style
// .tbl files (pipe-delimited, a '|' after every field, one row per line).
//
// Output is deterministic: the bytes depend only on the scale factor, never on `parallel`.
#pragma once

#include <filesystem>
#include <vector>

#include "bench/dbgen/tpch_tables.h"

namespace strata::dbgen {

struct DbgenOptions {
  double scale_factor = 1.0;
  std::filesystem::path out_dir;
  std::vector<TpchTable> tables;  // empty: all eight
  int parallel = 0;               // worker threads; 0: the number of cores
  bool progress = false;          // draw a progress bar on stderr
};

// Writes out_dir/<table>.tbl for each requested table (through a ".partial" file renamed on
// success). Throws std::runtime_error on bad options or a failed write.
void GenerateTpch(const DbgenOptions& options);

}  // namespace strata::dbgen
