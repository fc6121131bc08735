// REGION and NATION: fixed names and region keys from the specification, random comments.
#include "bench/dbgen/table_rows.h"
#include "bench/dbgen/word_lists.h"

namespace strata::dbgen {

void RegionRows(const GenContext& ctx, RowBuffer& out) {
  const auto names = RegionNames();
  for (size_t key = 0; key < names.size(); ++key) {
    RowRandom rng(StreamSeed(TpchTable::kRegion, 0), static_cast<int64_t>(key));
    out.BeginRow();
    out.Int(static_cast<int64_t>(key));
    out.Text(names[key]);
    out.Text(ctx.pool->Substring(rng, 31, 115));
    out.EndRow();
  }
}

void NationRows(const GenContext& ctx, RowBuffer& out) {
  const auto nations = Nations();
  for (size_t key = 0; key < nations.size(); ++key) {
    RowRandom rng(StreamSeed(TpchTable::kNation, 0), static_cast<int64_t>(key));
    out.BeginRow();
    out.Int(static_cast<int64_t>(key));
    out.Text(nations[key].name);
    out.Int(nations[key].region_key);
    out.Text(ctx.pool->Substring(rng, 31, 114));
    out.EndRow();
  }
}

}  // namespace strata::dbgen
