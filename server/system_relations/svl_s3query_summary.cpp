// svl_s3query_summary (Redshift's): one row per external table scan of each past query: the
// files and splits the leader listed, and, summed over the slices or spectrum workers that read
// them, the rows and bytes read from the files and the rows and bytes passed on, and the split
// retries. From the scan log: the leader's entry (slice -1) and the readers' ones.
#include <map>
#include <tuple>

#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

struct Summary {
  int64_t starttime = 0;
  std::string user;
  plan::ScanStat leader, sum;
  int32_t max_retries = 0;
};

void Rows(const SystemRelationContext& ctx, Batch* out) {
  if (ctx.scans == nullptr) return;
  std::map<std::tuple<int64_t, int32_t, int64_t>, Summary> scans;
  for (const auto& row : ctx.scans->Rows()) {
    const plan::ScanStat& s = row.entry;
    if (!s.external() || !ctx.Shows(row.user)) continue;
    Summary& m = scans[{row.query, s.stage(), s.table_id()}];
    m.starttime = row.starttime_micros;
    if (s.slice() < 0) {
      m.leader = s;
      continue;
    }
    m.sum.set_rows(m.sum.rows() + s.rows());
    m.sum.set_rows_pre_filter(m.sum.rows_pre_filter() + s.rows_pre_filter());
    m.sum.set_bytes_scanned(m.sum.bytes_scanned() + s.bytes_scanned());
    m.sum.set_returned_bytes(m.sum.returned_bytes() + s.returned_bytes());
    m.sum.set_splits(m.sum.splits() + s.splits());
    m.sum.set_retries(m.sum.retries() + s.retries());
    m.sum.set_row_groups_skipped(m.sum.row_groups_skipped() + s.row_groups_skipped());
    m.max_retries = std::max(m.max_retries, s.retries());
  }
  RowBuilder rb(out);
  for (const auto& [key, m] : scans) {
    if (m.leader.table_name().empty()) continue;  // the log dropped the leader's entry
    rb.Int(0, std::get<0>(key));
    rb.Int(1, std::get<1>(key));
    rb.Timestamp(2, m.starttime);
    rb.Str(3, m.leader.table_name());
    rb.Str(4, m.leader.partitioned() ? "t" : "f");
    rb.Int(5, m.sum.rows_pre_filter());
    rb.Int(6, m.sum.bytes_scanned());
    rb.Int(7, m.sum.rows());
    rb.Int(8, m.sum.returned_bytes());
    rb.Int(9, m.leader.files());
    rb.Int(10, m.leader.total_splits());
    rb.Int(11, m.sum.retries());
    rb.Int(12, m.max_retries);
    rb.Int(13, m.sum.row_groups_skipped());
    rb.EndRow();
  }
}

const SystemRelationRegistrar kSvlS3QuerySummary("svl_s3query_summary", kNotInPgClass,
                                                 {{"query", SqlType::Int32()},
                                                  {"segment", SqlType::Int32()},
                                                  {"starttime", SqlType::Timestamp()},
                                                  {"external_table_name", SqlType::Varchar(136)},
                                                  {"is_partitioned", SqlType::Char(1)},
                                                  {"s3_scanned_rows", SqlType::Int64()},
                                                  {"s3_scanned_bytes", SqlType::Int64()},
                                                  {"s3query_returned_rows", SqlType::Int64()},
                                                  {"s3query_returned_bytes", SqlType::Int64()},
                                                  {"files", SqlType::Int32()},
                                                  {"splits", SqlType::Int64()},
                                                  {"total_retries", SqlType::Int32()},
                                                  {"max_retries", SqlType::Int32()},
                                                  {"row_groups_skipped", SqlType::Int64()}},
                                                 Rows);

}  // namespace
}  // namespace strata
