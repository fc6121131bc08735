// Table ids in these tables (stv_blocklist.tbl, svv_table_info.table_id, stl_scan.tbl) are
// the table's pg_class oid, as in Redshift, so that they join with the pg_catalog relations.
#include "server/system_table_rows.h"

#include <chrono>

#include "server/pg_catalog_rows.h"

#include <climits>
#include <cstdio>
#include <cstdlib>

#include "planner/physical_planner.h"
#include "storage/encoding.h"

#include <map>

#include "planner/expr_builder.h"
#include "planner/pg_catalog_tables.h"
#include "planner/system_tables.h"
#include "sql/error.h"
#include "catalog/table_styles.h"

namespace strata {

namespace {

struct RowBuilder {
  Batch batch;
  explicit RowBuilder(const std::string& name) {
    for (const auto& c : SystemTableColumns(name)) batch.columns.emplace_back(c.type);
  }
  void Int(size_t col, int64_t v) {
    Vector& x = batch.columns[col];
    size_t i = x.size();
    x.Resize(i + 1);
    if (x.physical() == PhysicalType::kInt32) x.data<int32_t>()[i] = static_cast<int32_t>(v);
    else x.data<int64_t>()[i] = v;
  }
  void Str(size_t col, const std::string& v, bool null = false) {
    Vector& x = batch.columns[col];
    size_t i = x.size();
    x.Resize(i + 1);
    if (null) x.SetNull(i, true);
    else x.SetString(i, v);
  }
  // A DECIMAL(p, 2) value given in hundredths, or NULL.
  void Hundredths(size_t col, int64_t v, bool null = false) {
    Vector& x = batch.columns[col];
    size_t i = x.size();
    x.Resize(i + 1);
    x.data<int64_t>()[i] = v;
    if (null) x.SetNull(i, true);
  }
  void Real(size_t col, double v) {
    Vector& x = batch.columns[col];
    size_t i = x.size();
    x.Resize(i + 1);
    x.data<float>()[i] = static_cast<float>(v);
  }
  void Real64(size_t col, double v) {
    Vector& x = batch.columns[col];
    size_t i = x.size();
    x.Resize(i + 1);
    x.data<double>()[i] = v;
  }
  void EndRow() { batch.rows++; }
  void Timestamp(size_t col, int64_t micros) {
    Vector& x = batch.columns[col];
    size_t i = x.size();
    x.Resize(i + 1);
    x.data<int64_t>()[i] = micros;
  }
};

rpc::BlockListRequest AllTables(const catalog::Catalog& cat) {
  rpc::BlockListRequest req;
  for (const auto& t : cat.tables()) {
    if (t.is_view()) continue;
    auto* bt = req.add_tables();
    bt->set_table_id(t.id());
    *bt->mutable_manifest_by_slice() = t.manifest_by_slice();
  }
  return req;
}

// PostgreSQL's array text: {a,b}, elements quoted when they hold a delimiter, quote, backslash,
// space, or are empty or the word NULL.
std::string ArrayText(const std::vector<std::string>& elements) {
  std::string out = "{";
  for (size_t i = 0; i < elements.size(); ++i) {
    if (i > 0) out += ",";
    const std::string& e = elements[i];
    bool quote = e.empty() || e == "NULL" || e.find_first_of(",{}\"\\ \t\n") != std::string::npos;
    if (!quote) {
      out += e;
      continue;
    }
    out += '"';
    for (char c : e) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

std::string DistStyleText(const catalog::Table& t) {
  if (DistStyleOf(t) == DistStyle::kKey) return "KEY(" + t.columns(t.distkey()).name() + ")";
  if (DistStyleOf(t) == DistStyle::kAuto) return "AUTO(EVEN)";
  return t.diststyle();
}

int64_t UserIdOf(const catalog::Catalog& cat, const std::string& user) {
  for (const auto& u : cat.users()) {
    if (u.name() == user) return u.id();
  }
  return 1;  // the bootstrap superuser
}

int64_t NowMicros2000() {
  constexpr int64_t kMicrosFrom1970To2000 = 946684800LL * 1000000;
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::microseconds>(now).count() - kMicrosFrom1970To2000;
}

// The session rows: every session is listed; the statement text only to its own user and to
// superusers, as PostgreSQL shows "<insufficient privilege>" (Redshift shows a user only its own).
void FillActivityRows(const std::string& name, const catalog::Catalog& cat, const SystemLogs& logs, RowBuilder* rb) {
  if (logs.sessions == nullptr) return;
  int64_t now = NowMicros2000();
  for (const SessionActivity& a : logs.sessions->List()) {
    bool own = logs.Shows(a.user);
    bool active = a.state == "active";
    if (name == "pg_stat_activity") {
      rb->Int(0, 1);
      rb->Str(1, a.database);
      rb->Int(2, a.pid);
      rb->Int(3, 0);
      rb->batch.columns[3].SetNull(rb->batch.columns[3].size() - 1, true);
      rb->Int(4, UserIdOf(cat, a.user));
      rb->Str(5, a.user);
      rb->Str(6, a.application_name);
      rb->Str(7, "127.0.0.1");
      rb->Str(8, "", true);
      rb->Int(9, 0);
      rb->Timestamp(10, a.backend_start_micros);
      rb->Timestamp(11, 0);
      rb->batch.columns[11].SetNull(rb->batch.columns[11].size() - 1, true);
      rb->Timestamp(12, a.query_start_micros);
      if (a.query_start_micros == 0) rb->batch.columns[12].SetNull(rb->batch.columns[12].size() - 1, true);
      rb->Timestamp(13, a.query_start_micros);
      if (a.query_start_micros == 0) rb->batch.columns[13].SetNull(rb->batch.columns[13].size() - 1, true);
      rb->Str(14, "", true);
      rb->Str(15, "", true);
      rb->Str(16, own ? a.state : "", !own);
      rb->Int(17, 0);
      rb->batch.columns[17].SetNull(rb->batch.columns[17].size() - 1, true);
      rb->Int(18, 0);
      rb->batch.columns[18].SetNull(rb->batch.columns[18].size() - 1, true);
      rb->Int(19, a.query_id);
      rb->Str(20, own ? a.query : "<insufficient privilege>");
      rb->Str(21, "client backend");
      rb->EndRow();
    } else if (name == "stv_recents") {
      if (!own || a.query_start_micros == 0) continue;
      rb->Int(0, UserIdOf(cat, a.user));
      rb->Str(1, active ? "Running" : "Done");
      rb->Timestamp(2, a.query_start_micros);
      rb->Int(3, active ? std::min<int64_t>(now - a.query_start_micros, INT32_MAX) : 0);
      rb->Str(4, a.user.substr(0, 50));
      rb->Str(5, a.database.substr(0, 50));
      rb->Str(6, a.query.substr(0, 600));
      rb->Int(7, a.pid);
      rb->EndRow();
    } else {  // stv_inflight: the running queries
      if (!own || !active) continue;
      rb->Int(0, UserIdOf(cat, a.user));
      rb->Int(1, -1);
      rb->Int(2, a.query_id);
      rb->Str(3, "default");
      rb->Int(4, 0);
      rb->Int(5, a.pid);
      rb->Timestamp(6, a.query_start_micros);
      rb->Str(7, a.query.substr(0, 100));
      rb->Int(8, 0);
      rb->Int(9, 0);
      rb->Int(10, 0);
      rb->EndRow();
    }
  }
}

}  // namespace

void FillSystemTable(const std::string& name, const catalog::Catalog& cat, Cluster* cluster, int exchange,
                     ExchangeInbox* inbox, const SystemLogs& logs) {
  RowBuilder rb(name);
  const ClusterShape& shape = cluster->shape();
  if (name == "stv_slices") {
    for (int n = 0; n < shape.compute_nodes; ++n) {
      for (int l = 0; l < shape.slices_per_node; ++l) {
        rb.Int(0, n);
        rb.Int(1, n * shape.slices_per_node + l);
        rb.Int(2, l);
        rb.Str(3, "D");
        rb.EndRow();
      }
    }
  } else if (name == "stv_blocklist") {
    for (const auto& r : cluster->BlockList(AllTables(cat))) {
      rb.Int(0, r.slice());
      rb.Int(1, r.col());
      rb.Int(2, TableOid(r.tbl()));
      rb.Int(3, r.blocknum());
      rb.Int(4, r.num_values());
      rb.Int(5, r.minvalue());
      rb.Int(6, r.maxvalue());
      rb.Int(7, r.size_bytes());
      rb.EndRow();
    }
  } else if (name == "svv_table_info") {
    std::map<int64_t, int64_t> blocks;
    std::map<int64_t, std::vector<rpc::SliceInfo>> slices;
    bool any_data = false;
    for (const auto& t : cat.tables()) if (!t.manifest_by_slice().empty()) any_data = true;
    if (any_data) {
      std::vector<rpc::SliceInfo> infos;
      for (const auto& r : cluster->BlockList(AllTables(cat), &infos)) blocks[r.tbl()]++;
      for (const auto& i : infos) slices[i.tbl()].push_back(i);
    }
    for (const auto& t : cat.tables()) {
      if (t.is_view()) continue;
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
      bool skew_known = !slices[t.id()].empty() && DistStyleOf(t) != DistStyle::kAll;
      int64_t slice_count = static_cast<int64_t>(slices[t.id()].size());
      if (skew_known && slice_count < cluster->shape().total_slices()) fewest = 0;
      rb.Hundredths(12, skew_known && fewest > 0 ? most * 100 / fewest : 0, !skew_known || fewest == 0);
      rb.EndRow();
    }
  } else if (name == "pg_stats") {
    // PostgreSQL's view over ANALYZE's statistics; n_distinct < 0 is minus the fraction of
    // the rows that are distinct, used when the distinct values grow with the table.
    for (const auto& t : cat.tables()) {
      for (const auto& c : t.columns()) {
        if (t.is_view() || !c.has_stats()) continue;
        const catalog::ColumnStats& st = c.stats();
        rb.Str(0, t.schema());
        rb.Str(1, t.name());
        rb.Str(2, c.name());
        rb.Real(3, st.null_frac());
        double rows = static_cast<double>(st.rows());
        rb.Real(4, rows > 0 && st.n_distinct() > 0.1 * rows ? -st.n_distinct() / rows : st.n_distinct());
        std::vector<std::string> vals(st.most_common_text().begin(), st.most_common_text().end()), freqs;
        for (double f : st.most_common_freqs()) {
          char buf[32];
          std::snprintf(buf, sizeof buf, "%.6g", f);
          freqs.push_back(buf);
        }
        rb.Str(5, ArrayText(vals), vals.empty());
        rb.Str(6, ArrayText(freqs), freqs.empty());
        rb.EndRow();
      }
    }
  } else if (name == "stl_load_errors") {
    if (logs.load_errors != nullptr) {
      for (const auto& row : logs.load_errors->Rows()) {
        if (!logs.Shows(row.user)) continue;
        const plan::LoadError& e = row.entry;
        rb.Int(0, row.query);
        rb.Int(1, e.slice());
        rb.Str(2, e.filename().substr(0, 256));
        rb.Int(3, e.line_number());
        rb.Str(4, e.colname().substr(0, 127));
        rb.Str(5, e.type().substr(0, 10));
        rb.Str(6, e.raw_line().substr(0, 1024));
        rb.Str(7, e.raw_field_value().substr(0, 1024));
        rb.Int(8, e.err_code());
        rb.Str(9, e.err_reason().substr(0, 100));
        rb.Timestamp(10, row.starttime_micros);
        rb.EndRow();
      }
    }
  } else if (name == "stl_scan") {
    if (logs.scans != nullptr) {
      for (const auto& row : logs.scans->Rows()) {
        if (!logs.Shows(row.user)) continue;
        const plan::ScanStat& s = row.entry;
        rb.Int(0, row.query);
        rb.Int(1, s.slice());
        rb.Int(2, s.stage());
        rb.Int(3, TableOid(s.table_id()));
        rb.Str(4, s.table_name().substr(0, 136));
        rb.Int(5, s.rows());
        rb.Int(6, s.rows_pre_filter());
        rb.Int(7, s.blocks_read());
        rb.Int(8, s.blocks_skipped());
        rb.Timestamp(9, row.starttime_micros);
        rb.EndRow();
      }
    }
  } else if (name == "svl_query_summary") {
    if (logs.steps != nullptr) {
      for (const auto& row : logs.steps->Rows()) {
        if (!logs.Shows(row.user)) continue;
        const plan::StepStat& s = row.entry;
        double secs = static_cast<double>(s.micros()) / 1e6;
        rb.Int(0, UserIdOf(cat, row.user));
        rb.Int(1, row.query);
        rb.Int(2, 0);
        rb.Int(3, s.stage());
        rb.Int(4, s.step());
        rb.Int(5, s.micros());
        rb.Int(6, s.avg_micros());
        rb.Int(7, s.rows());
        rb.Int(8, s.bytes());
        rb.Real64(9, secs > 0 ? static_cast<double>(s.rows()) / secs : 0);
        rb.Real64(10, secs > 0 ? static_cast<double>(s.bytes()) / secs : 0);
        rb.Str(11, s.label());
        rb.Str(12, s.spilled_bytes() > 0 ? "t" : "f");
        rb.Int(13, s.peak_bytes());
        rb.Int(14, s.spilled_bytes());
        rb.EndRow();
      }
    }
  } else if (name == "pg_stat_activity" || name == "stv_recents" || name == "stv_inflight") {
    FillActivityRows(name, cat, logs, &rb);
  } else if (!FillPgCatalogRelation(name, cat, logs.session, &rb.batch)) {
    STRATA_INTERNAL_ERROR("no rows for system table ", name);
  }
  inbox->Add(exchange, -1, std::make_shared<const Batch>(std::move(rb.batch)));
}

}  // namespace strata
