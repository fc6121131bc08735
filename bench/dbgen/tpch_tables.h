// The eight TPC-H tables, their file names and their cardinalities at a scale factor
// (TPC-H clause 4.2.5). Fractional scale factors round each base cardinality to the nearest
// row, with at least one row, so SF 0.01 gives 100 suppliers, 1,500 customers, 2,000 parts and
// 15,000 orders, as the reference generator does.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace strata::dbgen {

enum class TpchTable { kRegion, kNation, kSupplier, kCustomer, kPart, kPartsupp, kOrders, kLineitem };

inline constexpr int kTpchTableCount = 8;

// "region", "nation", ... as used for the file name <name>.tbl and for --table.
std::string_view TableName(TpchTable table);
std::optional<TpchTable> ParseTableName(std::string_view name);

// Row counts that follow from a scale factor. Lineitem has no fixed count (1..7 lines per
// order, about 4 * orders); it is generated per order.
struct ScaleCounts {
  int64_t suppliers = 0;
  int64_t customers = 0;
  int64_t parts = 0;
  int64_t orders = 0;
  int64_t clerks = 0;  // O_CLERK is drawn from Clerk#1 .. Clerk#(SF * 1000)
};

ScaleCounts CountsForScale(double scale_factor);

// Dates are day numbers counted from 1992-01-01 (STARTDATE = day 0). CURRENTDATE is
// 1995-06-17 and ENDDATE 1998-12-31 (clause 4.2.3).
inline constexpr int kCurrentDay = 1263;
inline constexpr int kEndDay = 2556;
inline constexpr int kPartsuppPerPart = 4;

// O_ORDERKEY of the i-th order (0-based): only the first 8 of each 32 consecutive keys are
// used, so keys run 1..8, 33..40, 65..72, ...
inline constexpr int64_t OrderKeyOfIndex(int64_t index) { return (index / 8) * 32 + index % 8 + 1; }

// P_RETAILPRICE in cents, a pure function of the part key (clause 4.2.3).
inline constexpr int64_t RetailPriceCents(int64_t partkey) {
  return 90000 + (partkey / 10) % 20001 + 100 * (partkey % 1000);
}

// PS_SUPPKEY / L_SUPPKEY of the i-th (0..3) supplier of a part, S = number of suppliers.
inline constexpr int64_t PartSupplierKey(int64_t partkey, int64_t i, int64_t suppliers) {
  return (partkey + i * (suppliers / 4 + (partkey - 1) / suppliers)) % suppliers + 1;
}

}  // namespace strata::dbgen
