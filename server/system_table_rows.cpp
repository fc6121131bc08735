#include "server/system_table_rows.h"

#include <map>

#include "planner/expr_builder.h"
#include "planner/system_tables.h"
#include "sql/error.h"

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

std::string DistStyleText(const catalog::Table& t) {
  if (t.diststyle() == "KEY") return "KEY(" + t.columns(t.distkey()).name() + ")";
  if (t.diststyle() == "AUTO") return "AUTO(EVEN)";
  return t.diststyle();
}

}  // namespace

void FillSystemTable(const std::string& name, const catalog::Catalog& cat, Cluster* cluster, int exchange,
                     ExchangeInbox* inbox, const LoadErrorStore* load_errors) {
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
      rb.Int(2, r.tbl());
      rb.Int(3, r.blocknum());
      rb.Int(4, r.num_values());
      rb.Int(5, r.minvalue());
      rb.Int(6, r.maxvalue());
      rb.Int(7, r.size_bytes());
      rb.EndRow();
    }
  } else if (name == "svv_table_info") {
    std::map<int64_t, int64_t> blocks;
    bool any_data = false;
    for (const auto& t : cat.tables()) if (!t.manifest_by_slice().empty()) any_data = true;
    if (any_data) {
      for (const auto& r : cluster->BlockList(AllTables(cat))) blocks[r.tbl()]++;
    }
    for (const auto& t : cat.tables()) {
      if (t.is_view()) continue;
      bool encoded = false;
      for (const auto& c : t.columns()) if (!c.encode().empty() && c.encode() != "raw") encoded = true;
      rb.Str(0, "dev");
      rb.Str(1, t.schema());
      rb.Int(2, t.id());
      rb.Str(3, t.name());
      rb.Str(4, encoded ? "Y" : "N");
      rb.Str(5, DistStyleText(t));
      if (t.sortkey_size() > 0) rb.Str(6, t.columns(t.sortkey(0)).name());
      else rb.Str(6, "", true);
      rb.Int(7, t.sortkey_size());
      rb.Int(8, blocks[t.id()]);
      rb.Int(9, t.rows());
      rb.EndRow();
    }
  } else if (name == "stl_load_errors") {
    if (load_errors != nullptr) {
      for (const auto& row : load_errors->Rows()) {
        const plan::LoadError& e = row.error;
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
  } else {
    STRATA_INTERNAL_ERROR("no rows for system table ", name);
  }
  inbox->Add(exchange, -1, std::make_shared<const Batch>(std::move(rb.batch)));
}

}  // namespace strata
