// Table names and scale-factor cardinalities of the TPC-H schema.
#include "bench/dbgen/tpch_tables.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace strata::dbgen {
namespace {

constexpr std::array<std::string_view, kTpchTableCount> kNames = {
    "region", "nation", "supplier", "customer", "part", "partsupp", "orders", "lineitem"};

int64_t Scaled(double scale_factor, double base) {
  return std::max<int64_t>(1, std::llround(scale_factor * base));
}

}  // namespace

std::string_view TableName(TpchTable table) { return kNames[static_cast<int>(table)]; }

std::optional<TpchTable> ParseTableName(std::string_view name) {
  for (int i = 0; i < kTpchTableCount; ++i) {
    if (kNames[i] == name) return static_cast<TpchTable>(i);
  }
  return std::nullopt;
}

ScaleCounts CountsForScale(double scale_factor) {
  ScaleCounts counts;
  counts.suppliers = Scaled(scale_factor, 10'000);
  counts.customers = Scaled(scale_factor, 150'000);
  counts.parts = Scaled(scale_factor, 200'000);
  counts.orders = Scaled(scale_factor, 1'500'000);
  counts.clerks = Scaled(scale_factor, 1'000);
  return counts;
}

}  // namespace strata::dbgen
