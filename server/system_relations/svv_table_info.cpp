// svv_table_info (Redshift's): one row per user table with its size in blocks (asked from the
// compute nodes' manifests over RPC when any table holds data), rows, how unsorted it is, how
// stale its statistics are and how skewed its distribution. table_id is the table's pg_class
// oid, as in Redshift, so that it joins with the pg_catalog relations.
#include <algorithm>
#include <climits>
#include <cstdlib>
#include <map>

#include "planner/pg_catalog_tables.h"
#include "planner/physical_planner.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/shared_rows.h"
#include "server/system_relations/system_relation_context.h"
#include "storage/encoding.h"
#include "catalog/table_styles.h"

namespace strata {
namespace {

std::string DistStyleText(const catalog::Table& t) {
  if (t.dist_style() == catalog::DIST_KEY) return "KEY(" + t.columns(t.distkey()).name() + ")";
  if (t.dist_style() == catalog::DIST_AUTO) return "AUTO(EVEN)";
  return DistStyleName(t.dist_style());
}

void Rows(const SystemRelationContext& ctx, Batch* out) {
  const CatalogVersion& cat = ctx.cat;
  RowBuilder rb(out);
  std::map<int64_t, int64_t> blocks;
  std::map<int64_t, std::vector<rpc::SliceInfo>> slices;
  std::vector<rpc::SliceInfo> infos;
  for (const auto& r : ctx.cluster->AllTableBlocks(cat, &infos)) blocks[r.tbl()]++;
  for (const auto& i : infos) slices[i.tbl()].push_back(i);
  for (const auto& t : cat.tables()) {
    if (t.is_view()) continue;
    if (!ViewerMaySee(cat, ctx.viewer, ctx.viewer_is_superuser, t)) continue;  // as Redshift: tables the user may read
    bool encoded = false;
    for (int e : ColumnEncodings(t)) if (e != static_cast<int>(Encoding::kRaw)) encoded = true;
    int64_t rows = 0, sorted = 0, most = 0, fewest = INT64_MAX;
    for (const auto& i : slices[t.id()]) {
      int64_t live = i.rows() - i.deleted_rows();
      rows += i.rows();
      sorted += i.sorted_rows();
      most = std::max(most, live);
      fewest = std::min(fewest, live);
    }
    rb.Str(0, "dev");
    rb.Str(1, t.schema());
    rb.Int(2, TableOid(t.id()));
    rb.Str(3, t.name());
    rb.Str(4, encoded ? "Y" : "N");
    rb.Str(5, DistStyleText(t));
    if (t.sortkey_size() > 0) rb.Str(6, t.columns(t.sortkey(0)).name());
    else rb.Str(6, "", true);
    rb.Int(7, t.sortkey_size());
    rb.Int(8, blocks[t.id()]);
    rb.Int(9, t.rows());
    // unsorted: % of rows outside the sorted region (NULL without a sort key).
    rb.Hundredths(10, rows > 0 ? (rows - sorted) * 10000 / rows : 0, t.sortkey_size() == 0);
    // stats_off: how far the row count moved since the last ANALYZE (100 = never analyzed).
    int64_t off = t.rows() == 0 ? 0 : !t.analyzed() ? 10000
                  : std::min<int64_t>(10000, std::llabs(t.rows() - t.analyzed_rows()) * 10000 / t.rows());
    rb.Hundredths(11, off);
    // skew_rows: rows on the fullest slice over rows on the emptiest (NULL for ALL / no data).
    bool skew_known = !slices[t.id()].empty() && t.dist_style() != catalog::DIST_ALL;
    int64_t slice_count = static_cast<int64_t>(slices[t.id()].size());
    if (skew_known && slice_count < ctx.cluster->shape().total_slices()) fewest = 0;
    rb.Hundredths(12, skew_known && fewest > 0 ? most * 100 / fewest : 0, !skew_known || fewest == 0);
    rb.EndRow();
  }
}

const SystemRelationRegistrar kSvvTableInfo("svv_table_info", kNotInPgClass,
                                             {{"database", SqlType::Varchar(128)},
                                              {"schema", SqlType::Varchar(128)},
                                              {"table_id", SqlType::Int64()},
                                              {"table", SqlType::Varchar(128)},
                                              {"encoded", SqlType::Varchar(1)},
                                              {"diststyle", SqlType::Varchar(128)},
                                              {"sortkey1", SqlType::Varchar(128)},
                                              {"sortkey_num", SqlType::Int32()},
                                              {"size", SqlType::Int64()},
                                              {"tbl_rows", SqlType::Int64()},
                                              {"unsorted", SqlType::Decimal(5, 2)},
                                              {"stats_off", SqlType::Decimal(5, 2)},
                                              {"skew_rows", SqlType::Decimal(19, 2)}},
                                             Rows);

}  // namespace
}  // namespace strata
