// See external_scan_plan.h.
#include "planner/external_scan_plan.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "planner/expr_builder.h"
#include "planner/pg_catalog_tables.h"
#include "planner/select_binder.h"

namespace strata {

LogicalPtr BindExternalTable(const catalog::Table& t, const std::string& qualifier, Scope* scope) {
  auto n = std::make_unique<LogicalNode>();
  n->kind = LogicalKind::kFileScan;
  n->table = t;
  n->table.mutable_external()->clear_partitions();  // read from the catalog when the query runs
  const catalog::ExternalTable& ext = t.external();
  plan::FileScan& fs = n->file_scan;
  fs.set_path(ext.location());
  fs.set_format(ext.format());
  fs.set_delimiter(ext.delimiter());
  fs.set_table_name(t.schema() + "." + t.name());
  plan::ExternalScan* x = fs.mutable_external();
  x->set_table_id(t.id());
  x->set_table_name(t.schema() + "." + t.name());
  const int data_columns = t.columns_size() - ext.partition_keys();
  x->set_partitioned(ext.partition_keys() > 0);
  auto add = [&](const std::string& name, const SqlType& type, plan::ExternalColumn::Kind kind, int index, bool hidden) {
    n->columns.push_back({name, type});
    *fs.add_types() = ToProtoType(type);
    auto* c = x->add_outputs();
    c->set_kind(kind);
    c->set_index(index);
    ScopeColumn sc{qualifier, name, type, TableOid(t.id())};
    sc.hidden = hidden;
    scope->columns.push_back(sc);
  };
  for (int i = 0; i < t.columns_size(); ++i) {
    const auto& c = t.columns(i);
    SqlType type = FromProtoType(c.type());
    if (i < data_columns) {
      x->add_data_names(c.name());
      *x->add_data_types() = c.type();
      add(c.name(), type, plan::ExternalColumn::DATA, i, false);
    } else {
      x->add_partition_names(c.name());
      *x->add_partition_types() = c.type();
      add(c.name(), type, plan::ExternalColumn::PARTITION, i - data_columns, false);
    }
  }
  add(kPathPseudoColumn, SqlType::Varchar(1024), plan::ExternalColumn::PATH, 0, true);
  add(kSizePseudoColumn, SqlType::Int64(), plan::ExternalColumn::SIZE, 0, true);
  auto serde = ext.serde_properties().find("serialization.null.format");
  if (serde != ext.serde_properties().end()) x->set_null_format(serde->second);
  auto header = ext.table_properties().find("skip.header.line.count");
  if (header != ext.table_properties().end()) fs.set_ignore_header(std::atoll(header->second.c_str()));
  auto compression = ext.table_properties().find("compression_type");
  if (compression != ext.table_properties().end() && compression->second != "none") fs.set_compression(compression->second);
  if (ext.format() == "csv") {
    fs.set_csv(true);
    auto q = ext.serde_properties().find("quoteChar");
    fs.set_quote(q != ext.serde_properties().end() && !q->second.empty() ? q->second.substr(0, 1) : "\"");
  }
  // Redshift plans an external table without statistics as a large one.
  n->estimated_rows = t.rows() > 0 ? static_cast<double>(t.rows()) : 1e6;
  return n;
}

std::vector<int> PruneExternalScan(LogicalNode* n, const std::vector<bool>& required) {
  plan::FileScan& fs = n->file_scan;
  plan::ExternalScan* x = fs.mutable_external();
  const size_t width = n->columns.size();
  std::vector<int> keep;
  for (size_t i = 0; i < width; ++i) {
    if (required[i]) keep.push_back(static_cast<int>(i));
  }
  if (keep.empty()) {  // COUNT(*): one cheap column, the file's size
    for (size_t i = 0; i < width; ++i) {
      if (x->outputs(static_cast<int>(i)).kind() == plan::ExternalColumn::SIZE) keep.push_back(static_cast<int>(i));
    }
  }
  std::vector<int> m(width, -1);
  std::vector<OutputColumn> cols;
  google::protobuf::RepeatedPtrField<plan::ExternalColumn> outputs;
  google::protobuf::RepeatedPtrField<plan::Type> types;
  for (int i : keep) {
    m[i] = static_cast<int>(cols.size());
    cols.push_back(n->columns[i]);
    *outputs.Add() = x->outputs(i);
    *types.Add() = fs.types(i);
  }
  n->columns = std::move(cols);
  *x->mutable_outputs() = std::move(outputs);
  *fs.mutable_types() = std::move(types);
  return m;
}

void AttachExternalFilter(const plan::Expr& predicate, plan::FileScan* scan) {
  plan::ExternalScan* x = scan->mutable_external();
  std::vector<plan::Expr> conj, on_partitions;
  SplitConjuncts(predicate, &conj);
  std::vector<int> to_partition(x->outputs_size(), -1);
  for (int i = 0; i < x->outputs_size(); ++i) {
    if (x->outputs(i).kind() == plan::ExternalColumn::PARTITION) to_partition[i] = x->outputs(i).index();
  }
  for (auto& c : conj) {
    std::vector<int> cols;
    CollectColumns(c, &cols);
    bool only_partitions = !cols.empty() && std::all_of(cols.begin(), cols.end(), [&](int k) { return to_partition[k] >= 0; });
    if (!only_partitions) continue;
    RemapColumns(&c, to_partition);
    on_partitions.push_back(std::move(c));
  }
  if (!on_partitions.empty()) {
    *x->mutable_partition_filter() =
        on_partitions.size() == 1 ? std::move(on_partitions[0]) : CallExpr(plan::AND, SqlType::Bool(), std::move(on_partitions));
  }
  *x->mutable_filter() = predicate;
}

std::string ExternalScanLabel(const plan::FileScan& scan) {
  std::string format = scan.format();
  for (char& c : format) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return "S3 Seq Scan " + scan.external().table_name() + " location:\"" + scan.path() + "\" format:" + format;
}

}  // namespace strata
