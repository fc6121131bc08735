// The external catalog (Spectrum), the leader's side: CREATE / DROP EXTERNAL SCHEMA, CREATE
// EXTERNAL TABLE, ALTER TABLE ... ADD / DROP PARTITION, SET LOCATION, SET TABLE PROPERTIES and
// MSCK REPAIR TABLE (ast::ExternalStmt). An external schema is a Schema with its `external`
// block; an external table is a Table with its `external` block and no manifests: its rows are
// the files under its location, listed and split when a query reads it
// (server/external_splits.cpp). Dropping either leaves the files alone.
#include <algorithm>
#include <set>

#include "catalog/catalog_store.h"
#include "io/hive_partitions.h"
#include "io/object_store.h"
#include "planner/clock_functions.h"
#include "planner/expr_builder.h"
#include "planner/binder.h"
#include "planner/name_resolution.h"
#include "planner/optimizer.h"
#include "planner/physical_planner.h"
#include "server/external_crawler.h"
#include "server/external_tables.h"
#include "server/leader_session.h"
#include "sql/error.h"
#include "sql/parser.h"
#include "sql/redshift_dialect.h"

namespace strata {

namespace {

using Ext = ast::ExternalStmt;

// Hive's escapes in a delimiter: '\t', '\001' (octal), '\u0001'.
std::string UnescapeDelimiter(const std::string& d) {
  if (d.size() < 2 || d[0] != '\\') return d;
  if (d == "\\t") return "\t";
  if (d == "\\n") return "\n";
  if (d == "\\\\") return "\\";
  if (d[1] == 'u' && d.size() == 6) return std::string(1, static_cast<char>(std::stoi(d.substr(2), nullptr, 16)));
  if (std::all_of(d.begin() + 1, d.end(), [](char c) { return c >= '0' && c <= '7'; })) {
    return std::string(1, static_cast<char>(std::stoi(d.substr(1), nullptr, 8)));
  }
  return d.substr(1);
}

bool Contains(const std::string& haystack, const char* needle) {
  return AsciiLower(haystack).find(needle) != std::string::npos;
}

// The reading format from STORED AS and ROW FORMAT, as Redshift and Athena name them.
std::string FormatOf(const Ext& e) {
  const std::string& s = e.stored_as;
  if (s == "parquet" || Contains(s, "parquet") || Contains(e.row_format, "parquethiveserde")) return "parquet";
  if (s == "orc" || Contains(s, "orc") || Contains(e.row_format, "orcserde")) return "orc";
  if (s == "avro" || Contains(s, "avro") || Contains(e.row_format, "avroserde")) return "avro";
  if (Contains(e.row_format, "jsonserde") || s == "json") return "json";
  if (Contains(e.row_format, "opencsvserde")) return "csv";
  if (Contains(e.row_format, "regexserde") || Contains(e.row_format, "grokserde")) {
    throw SqlError(sqlstate::kFeatureNotSupported, StrCat("ROW FORMAT SERDE '", e.row_format, "' is not supported"));
  }
  if (s.empty() || s == "textfile" || Contains(s, "textinputformat") || s == "sequencefile") {
    if (s == "sequencefile") throw SqlError(sqlstate::kFeatureNotSupported, "STORED AS SEQUENCEFILE is not supported");
    return "text";
  }
  throw SqlError(sqlstate::kFeatureNotSupported, StrCat("STORED AS ", s, " is not supported: use PARQUET, TEXTFILE, ORC or AVRO"));
}

void CheckLocation(const std::string& location) {
  if (location.rfind("s3://", 0) != 0 && location.rfind("file:///", 0) != 0) {
    throw SqlError(sqlstate::kInvalidParameterValue,
                   StrCat("the LOCATION \"", location, "\" is not valid: it must start with s3:// or file:///"));
  }
}

}  // namespace

StatementResult LeaderSession::RunExternal(const ast::ExternalStmt& e) {
  StatementResult r;
  const CatalogVersion& cat = ReadCatalog();
  if (!UserIsSuperuser(cat, user_)) {
    throw SqlError(sqlstate::kInsufficientPrivilege, "permission denied: only a superuser may change the external catalog");
  }
  switch (e.action) {
    case Ext::Action::kCreateSchema: {
      r.command_tag = "CREATE SCHEMA";
      if (SchemaExists(cat, e.name)) {
        if (e.if_not_exists) {
          r.notices.push_back(StrCat("schema \"", e.name, "\" already exists, skipping"));
          return r;
        }
        throw SqlError(sqlstate::kDuplicateSchema, StrCat("schema \"", e.name, "\" already exists"));
      }
      if (e.name.rfind("pg_", 0) == 0) throw SqlError(sqlstate::kReservedName, StrCat("unacceptable schema name \"", e.name, "\""));
      catalog::Schema* added = txn_->catalog.EditMeta()->add_schemas();
      added->set_name(e.name);
      added->set_owner(user_);
      auto* x = added->mutable_external();
      x->set_database(e.database);
      x->set_iam_role(e.iam_role);
      x->set_region(e.region);
      x->set_created_database(e.create_database);
      txn_->catalog.SchemaChanged(e.name);
      return r;
    }
    case Ext::Action::kDropSchema: {
      const catalog::Schema* s = FindSchema(cat.meta(), e.name);
      if (s != nullptr && !s->has_external() && e.drop_database) {
        throw SqlError(sqlstate::kWrongObjectType, StrCat("schema \"", e.name, "\" is not an external schema"));
      }
      ast::DropStmt d;
      d.kind = ast::DropStmt::Kind::kSchema;
      d.if_exists = e.if_exists;
      d.cascade = e.cascade;
      ast::QualifiedName q;
      q.name = e.name;
      d.names.push_back(q);
      return RunDropSchema(d);
    }
    case Ext::Action::kCreateTable: return CreateExternalTable(e);
    case Ext::Action::kCrawl: return RunCrawl(e);
    default: break;
  }
  // The statements on one external table.
  r.command_tag = "ALTER TABLE";
  const catalog::Table* found = LookupTable(cat, &session_values_, e.schema, e.name);
  if (found == nullptr) throw SqlError(sqlstate::kUndefinedTable, StrCat("relation \"", e.name, "\" does not exist"));
  if (!found->has_external()) {
    throw SqlError(sqlstate::kWrongObjectType, StrCat("\"", e.name, "\" is not an external table"));
  }
  catalog::Table* t = LockForWrite(found->id(), found->name(), /*reads_table=*/false);
  catalog::ExternalTable* x = t->mutable_external();
  std::vector<std::string> keys = PartitionKeyNames(*t);
  // A partition spec's values in the table's key order.
  auto values_of = [&](const Ext::Partition& p) {
    if (keys.empty()) throw SqlError(sqlstate::kInvalidTableDefinition, StrCat("table \"", t->name(), "\" is not partitioned"));
    std::vector<std::string> values(keys.size());
    std::vector<bool> given(keys.size(), false);
    for (const auto& [k, v] : p.values) {
      auto it = std::find(keys.begin(), keys.end(), k);
      if (it == keys.end()) throw SqlError(sqlstate::kUndefinedColumn, StrCat("\"", k, "\" is not a partition column of \"", t->name(), "\""));
      values[it - keys.begin()] = v;
      given[it - keys.begin()] = true;
    }
    for (size_t i = 0; i < keys.size(); ++i) {
      if (!given[i]) throw SqlError(sqlstate::kSyntaxError, StrCat("the partition gives no value for partition column \"", keys[i], "\""));
    }
    return values;
  };
  auto find_partition = [&](const std::vector<std::string>& values) {
    for (int i = 0; i < x->partitions_size(); ++i) {
      const auto& p = x->partitions(i);
      if (std::equal(values.begin(), values.end(), p.values().begin(), p.values().end())) return i;
    }
    return -1;
  };
  switch (e.action) {
    case Ext::Action::kAddPartitions: {
      int64_t now = ClockMicros();
      for (const auto& p : e.partitions) {
        std::vector<std::string> values = values_of(p);
        if (find_partition(values) >= 0) {
          if (e.if_not_exists) continue;
          throw SqlError(sqlstate::kDuplicateObject, "the partition already exists");
        }
        std::string location = p.location;
        if (location.empty()) {
          location = WithTrailingSlash(x->location());
          for (size_t i = 0; i < keys.size(); ++i) location += HiveFolder(keys[i], values[i]);
        }
        CheckLocation(location);
        AddPartition(x, values, location, now);
      }
      return r;
    }
    case Ext::Action::kDropPartitions: {
      for (const auto& p : e.partitions) {
        int at = find_partition(values_of(p));
        if (at < 0) {
          if (e.if_exists) continue;
          throw SqlError(sqlstate::kUndefinedObject, "the partition does not exist");
        }
        x->mutable_partitions()->DeleteSubrange(at, 1);
      }
      return r;
    }
    case Ext::Action::kSetLocation: {
      CheckLocation(e.location);
      if (e.partitions.empty()) {
        x->set_location(e.location);
        return r;
      }
      int at = find_partition(values_of(e.partitions[0]));
      if (at < 0) throw SqlError(sqlstate::kUndefinedObject, "the partition does not exist");
      x->mutable_partitions(at)->set_location(e.location);
      return r;
    }
    case Ext::Action::kSetProperties:
      for (const auto& [k, v] : e.table_properties) (*x->mutable_table_properties())[k] = v;
      ApplyTableProperties(t);
      return r;
    case Ext::Action::kRepair: {
      r.command_tag = "MSCK REPAIR TABLE";
      if (keys.empty()) return r;
      int added = RepairPartitions(t, ObjectStoreConfig::FromEnvironment());
      r.notices.push_back(StrCat(added, " partition", added == 1 ? "" : "s", " added to \"", t->name(), "\""));
      return r;
    }
    default: break;
  }
  return r;
}

// The catalog entry of CREATE EXTERNAL TABLE `e` with these columns (the files' columns, then
// the partition columns); no id yet.
catalog::Table LeaderSession::ExternalTableEntry(const ast::ExternalStmt& e, const std::vector<std::pair<std::string, SqlType>>& data,
                                                 const std::vector<std::pair<std::string, SqlType>>& partitions) {
  catalog::Table t;
  t.set_schema(e.schema);
  t.set_name(e.name);
  t.set_dist_style(catalog::DIST_EVEN);
  t.set_distkey(-1);
  std::set<std::string> names;
  auto add_column = [&](const std::string& name, const SqlType& type) {
    if (!names.insert(name).second) {
      throw SqlError(sqlstate::kDuplicateColumn, StrCat("column \"", name, "\" specified more than once"));
    }
    auto* c = t.add_columns();
    c->set_name(name);
    *c->mutable_type() = ToProtoType(type);
  };
  for (const auto& [name, type] : data) add_column(name, type);
  for (const auto& [name, type] : partitions) add_column(name, type);
  catalog::ExternalTable* x = t.mutable_external();
  x->set_location(e.location);
  x->set_format(FormatOf(e));
  x->set_serde(e.row_format);
  x->set_stored_as(e.stored_as);
  x->set_partition_keys(static_cast<int>(partitions.size()));
  x->set_created_at(ClockMicros());
  for (const auto& [k, v] : e.serde_properties) (*x->mutable_serde_properties())[k] = v;
  for (const auto& [k, v] : e.table_properties) (*x->mutable_table_properties())[k] = v;
  std::string delimiter = UnescapeDelimiter(e.delimiter);
  auto prop = x->serde_properties().find("field.delim");
  if (delimiter.empty() && prop != x->serde_properties().end()) delimiter = UnescapeDelimiter(prop->second);
  prop = x->serde_properties().find("separatorChar");
  if (x->format() == "csv" && prop != x->serde_properties().end()) delimiter = UnescapeDelimiter(prop->second);
  if (delimiter.empty()) delimiter = x->format() == "csv" ? "," : "\x01";  // Hive's default: ^A
  if (delimiter.size() != 1) {
    throw SqlError(sqlstate::kInvalidParameterValue, StrCat("the field delimiter \"", e.delimiter, "\" is not a single character"));
  }
  x->set_delimiter(delimiter);
  ApplyTableProperties(&t);
  return t;
}

StatementResult LeaderSession::CreateExternalTable(const ast::ExternalStmt& e) {
  StatementResult r;
  r.command_tag = "CREATE EXTERNAL TABLE";
  const CatalogVersion& cat = ReadCatalog();
  const catalog::Schema* s = e.schema.empty() ? nullptr : FindSchema(cat.meta(), e.schema);
  if (s == nullptr || !s->has_external()) {
    if (!e.schema.empty() && !SchemaExists(cat, e.schema)) {
      throw SqlError(sqlstate::kUndefinedSchema, StrCat("schema \"", e.schema, "\" does not exist"));
    }
    throw SqlError(sqlstate::kWrongObjectType, "external tables must be created in an external schema (CREATE EXTERNAL SCHEMA)");
  }
  if (FindTable(cat, e.schema, e.name) != nullptr) {
    if (e.if_not_exists) {
      r.notices.push_back(StrCat("relation \"", e.name, "\" already exists, skipping"));
      return r;
    }
    throw SqlError(sqlstate::kDuplicateTable, StrCat("relation \"", e.name, "\" already exists"));
  }
  CheckLocation(e.location);
  if (!e.query_text.empty()) return CreateExternalTableAs(e);
  std::vector<std::pair<std::string, SqlType>> data, partitions;
  for (const auto& d : e.columns) data.emplace_back(d.name, ResolveTypeName(d.type));
  for (const auto& d : e.partition_columns) {
    if (d.type.name.empty()) throw SqlError(sqlstate::kSyntaxError, StrCat("partition column \"", d.name, "\" needs a type"));
    partitions.emplace_back(d.name, ResolveTypeName(d.type));
  }
  catalog::Table t = ExternalTableEntry(e, data, partitions);
  t.set_id(ctx_.catalog->NextTableId());
  txn_->catalog.CreateTable(t);
  return r;
}

// CREATE EXTERNAL TABLE ... AS query: the table takes the query's columns (the PARTITIONED BY
// ones last, in that order) and its rows become files under the location, which must be empty.
// Files, once written, are read by every query: an external write cannot be rolled back, so
// (as in Redshift) it may not run inside a transaction block, whose ROLLBACK would pretend so.
void LeaderSession::RefuseExternalWriteInBlock(const char* what) const {
  if (txn_ && txn_->explicit_block) {
    throw SqlError(sqlstate::kActiveSqlTransaction, StrCat(what, " cannot run inside a transaction block"));
  }
}

StatementResult LeaderSession::CreateExternalTableAs(const ast::ExternalStmt& e) {
  RefuseExternalWriteInBlock("CREATE EXTERNAL TABLE ... AS");
  std::vector<ast::Statement> parsed = ParseSql(e.query_text);
  if (parsed.size() != 1 || parsed[0].kind != ast::StatementKind::kSelect) {
    throw SqlError(sqlstate::kSyntaxError, "CREATE EXTERNAL TABLE ... AS takes one query");
  }
  BoundStatement b = Bind(parsed[0], ReadCatalog(), {}, nullptr, &session_values_);
  Optimize(&b);
  std::vector<std::pair<std::string, SqlType>> data, partitions;
  std::vector<int> order;
  for (size_t i = 0; i < b.result.size(); ++i) {
    bool is_partition = std::any_of(e.partition_columns.begin(), e.partition_columns.end(),
                                    [&](const ast::ColumnDef& d) { return d.name == b.result[i].name; });
    if (is_partition) continue;
    SqlType type = b.result[i].type.id == TypeId::kNull || b.result[i].type.id == TypeId::kText ? SqlType::Varchar(65535) : b.result[i].type;
    data.emplace_back(b.result[i].name, type);
    order.push_back(static_cast<int>(i));
  }
  for (const auto& d : e.partition_columns) {
    auto it = std::find_if(b.result.begin(), b.result.end(), [&](const auto& c) { return c.name == d.name; });
    if (it == b.result.end()) {
      throw SqlError(sqlstate::kUndefinedColumn, StrCat("partition column \"", d.name, "\" is not a column of the query"));
    }
    SqlType type = it->type.id == TypeId::kNull || it->type.id == TypeId::kText ? SqlType::Varchar(65535) : it->type;
    partitions.emplace_back(d.name, type);
    order.push_back(static_cast<int>(it - b.result.begin()));
  }
  catalog::Table t = ExternalTableEntry(e, data, partitions);
  if (!ListDataFiles(t.external().location(), ObjectStoreConfig::FromEnvironment()).empty()) {
    throw SqlError(sqlstate::kDuplicateObject,
                   StrCat("the location \"", t.external().location(), "\" of CREATE EXTERNAL TABLE ... AS must be empty"));
  }
  // The query's columns in the table's order, cast to its types.
  auto root = std::make_unique<LogicalNode>();
  root->kind = LogicalKind::kProject;
  for (size_t k = 0; k < order.size(); ++k) {
    const auto& col = t.columns(static_cast<int>(k));
    SqlType type = FromProtoType(col.type());
    plan::Expr e_col = ColumnExpr(order[k], b.query->columns[order[k]].type);
    root->exprs.push_back(b.query->columns[order[k]].type == type ? e_col : CastExpr(e_col, type));
    root->columns.push_back({col.name(), type});
  }
  root->estimated_rows = b.query->estimated_rows;
  root->children.push_back(std::move(b.query));
  t.set_id(ctx_.catalog->NextTableId());
  int64_t rows = WriteExternalFiles(&t, *root);
  txn_->catalog.CreateTable(t);
  StatementResult r;
  r.command_tag = "CREATE EXTERNAL TABLE";
  r.notices.push_back(StrCat(rows, " row(s) written to ", t.external().location()));
  return r;
}

StatementResult LeaderSession::InsertIntoExternal(BoundStatement& b) {
  RefuseExternalWriteInBlock("INSERT INTO an external table");
  catalog::Table* t = LockForWrite(b.table.id(), b.table.name(), /*reads_table=*/false);
  int64_t rows = WriteExternalFiles(t, *b.query);
  StatementResult r;
  r.command_tag = StrCat("INSERT 0 ", rows);
  return r;
}

// The rows of `query` (t's columns in order) as new files under t's location, named after the
// query so that they join the files there; a partitioned table's rows go to k=v/ folders, and
// the folders it lacks become partitions.
int64_t LeaderSession::WriteExternalFiles(catalog::Table* t, const LogicalNode& query) {
  catalog::ExternalTable* x = t->mutable_external();
  const std::string& f = x->format();
  if (f != "parquet" && f != "text" && f != "csv" && f != "json") {
    throw SqlError(sqlstate::kFeatureNotSupported, StrCat("writing ", f, " files is not supported: use PARQUET or TEXTFILE"));
  }
  if (x->location().rfind("file://", 0) == 0 && !UserIsSuperuser(*ctx_.catalog->Current(), user_)) {
    throw SqlError(sqlstate::kInsufficientPrivilege, "only a superuser may write files into a server folder");
  }
  if (static_cast<int>(query.columns.size()) != t->columns_size()) {
    STRATA_INTERNAL_ERROR("external write of ", query.columns.size(), " columns into ", t->columns_size());
  }
  plan::UnloadSpec spec;
  spec.set_prefix(WithTrailingSlash(x->location()));
  spec.set_format(f);
  if (f == "text" || f == "csv") spec.set_delimiter(x->delimiter());
  auto null_format = x->serde_properties().find("serialization.null.format");
  spec.set_null_as(null_format != x->serde_properties().end() ? null_format->second : (f == "text" ? "\\N" : ""));
  auto compression = x->table_properties().find("compression_type");
  if (f != "parquet" && compression != x->table_properties().end() && compression->second != "none") {
    const std::string& z = compression->second;
    if (z != "gzip" && z != "bzip2" && z != "zstd") {
      throw SqlError(sqlstate::kInvalidParameterValue, StrCat("compression_type '", z, "' is not one of gzip, bzip2, zstd"));
    }
    spec.set_compression(z);
  }
  spec.set_parallel(true);
  spec.set_max_file_size(int64_t{1} << 30);
  const int data = t->columns_size() - x->partition_keys();
  for (int c = 0; c < t->columns_size(); ++c) {
    spec.add_column_names(t->columns(c).name());
    *spec.add_column_types() = t->columns(c).type();
    if (c >= data) spec.add_partition_columns(c);
  }
  uint64_t qid = ctx_.cluster->NextQueryId();
  spec.set_file_prefix(StrCat(qid, "_"));
  PhysicalPlan p = PlanUnload(query, spec, ctx_.cluster->shape());
  QueryOutcome out = RunPlan(p, qid);
  int64_t rows = 0;
  std::vector<std::string> keys = PartitionKeyNames(*t);
  for (auto& k : keys) k = AsciiLower(k);
  std::set<std::vector<std::string>> known;
  for (const auto& part : x->partitions()) known.insert({part.values().begin(), part.values().end()});
  int64_t now = ClockMicros();
  for (const auto& file : out.unloaded) {
    rows += file.rows();
    if (keys.empty() || file.url().rfind(spec.prefix(), 0) != 0) continue;
    std::string rel = file.url().substr(spec.prefix().size());
    auto values = HivePartitionValues(rel, keys);
    if (!values || !known.insert(*values).second) continue;
    size_t end = 0;
    for (size_t i = 0; i < keys.size(); ++i) end = rel.find('/', end) + 1;
    AddPartition(x, *values, spec.prefix() + rel.substr(0, end), now);
  }
  return rows;
}

// CRAWL 'location' INTO SCHEMA s [TABLE t]: infers the tables under the location
// (server/external_crawler.h) and records them in the external schema (made when missing): a
// new table is created with its partitions; a known one gains the columns and partitions it
// lacks (new columns go after the files' columns it has, before the partition columns), so
// queries over it keep working. One row per table says what happened.
StatementResult LeaderSession::RunCrawl(const ast::ExternalStmt& e) {
  const CatalogVersion& cat = ReadCatalog();
  const catalog::Schema* s = FindSchema(cat.meta(), e.schema);
  if (s != nullptr && !s->has_external()) {
    throw SqlError(sqlstate::kWrongObjectType, StrCat("schema \"", e.schema, "\" is not an external schema"));
  }
  if (s == nullptr) {
    if (SchemaExists(cat, e.schema)) {
      throw SqlError(sqlstate::kWrongObjectType, StrCat("schema \"", e.schema, "\" is not an external schema"));
    }
    catalog::Schema* added = txn_->catalog.EditMeta()->add_schemas();
    added->set_name(e.schema);
    added->set_owner(user_);
    added->mutable_external()->set_database(e.schema);
    txn_->catalog.SchemaChanged(e.schema);
  }
  CheckLocation(e.location);
  std::vector<CrawledTable> found = CrawlLocation(e.location, e.name, ObjectStoreConfig::FromEnvironment());
  std::vector<std::vector<std::string>> rows;
  int64_t now = ClockMicros();
  for (const CrawledTable& c : found) {
    const catalog::Table* existing = FindTable(ReadCatalog(), e.schema, c.name);
    if (existing != nullptr && !existing->has_external()) {
      throw SqlError(sqlstate::kWrongObjectType, StrCat("\"", e.schema, ".", c.name, "\" exists and is not an external table"));
    }
    int new_columns = 0, new_partitions = 0;
    std::string action;
    if (existing == nullptr) {
      action = "created";
      catalog::Table t;
      t.set_schema(e.schema);
      t.set_name(c.name);
      t.set_dist_style(catalog::DIST_EVEN);
      t.set_distkey(-1);
      for (const auto& [name, type] : c.columns) {
        auto* col = t.add_columns();
        col->set_name(name);
        *col->mutable_type() = ToProtoType(type);
      }
      for (const auto& [name, type] : c.partition_keys) {
        auto* col = t.add_columns();
        col->set_name(name);
        *col->mutable_type() = ToProtoType(type);
      }
      new_columns = t.columns_size();
      catalog::ExternalTable* x = t.mutable_external();
      x->set_location(c.location);
      x->set_format(c.format);
      x->set_stored_as(c.format == "parquet" || c.format == "orc" || c.format == "avro" ? c.format : "textfile");
      x->set_partition_keys(static_cast<int>(c.partition_keys.size()));
      x->set_created_at(now);
      if (c.format == "csv") {
        x->set_serde("org.apache.hadoop.hive.serde2.OpenCSVSerde");
        (*x->mutable_serde_properties())["separatorChar"] = c.delimiter;
      } else if (c.format == "json") {
        x->set_serde("org.openx.data.jsonserde.JsonSerDe");
      } else if (c.format == "text") {
        x->set_serde("delimited");
      }
      x->set_delimiter(c.format == "csv" || c.format == "text" ? c.delimiter : "\x01");
      if (c.header) (*x->mutable_table_properties())["skip.header.line.count"] = "1";
      (*x->mutable_table_properties())["classification"] = c.format;
      for (const auto& p : c.partitions) AddPartition(x, p.values, p.location, now);
      new_partitions = static_cast<int>(c.partitions.size());
      t.set_id(ctx_.catalog->NextTableId());
      txn_->catalog.CreateTable(t);
    } else {
      catalog::Table* t = LockForWrite(existing->id(), existing->name(), /*reads_table=*/false);
      catalog::ExternalTable* x = t->mutable_external();
      // New columns of the files, before the partition columns.
      const int data = t->columns_size() - x->partition_keys();
      std::vector<catalog::Column> added;
      for (const auto& [name, type] : c.columns) {
        bool known = std::any_of(t->columns().begin(), t->columns().end(), [&](const catalog::Column& k) { return k.name() == name; });
        if (known) continue;
        catalog::Column col;
        col.set_name(name);
        *col.mutable_type() = ToProtoType(type);
        added.push_back(std::move(col));
      }
      if (!added.empty()) {
        std::vector<catalog::Column> all(t->columns().begin(), t->columns().end());
        all.insert(all.begin() + data, added.begin(), added.end());
        t->clear_columns();
        for (auto& col : all) *t->add_columns() = std::move(col);
        new_columns = static_cast<int>(added.size());
      }
      if (x->partition_keys() == static_cast<int>(c.partition_keys.size())) {
        std::set<std::vector<std::string>> known;
        for (const auto& p : x->partitions()) known.insert({p.values().begin(), p.values().end()});
        for (const auto& p : c.partitions) {
          if (known.count(p.values) > 0) continue;
          AddPartition(x, p.values, p.location, now);
          ++new_partitions;
        }
      }
      action = new_columns > 0 || new_partitions > 0 ? "updated" : "unchanged";
    }
    rows.push_back({c.name, action, c.format, std::to_string(c.columns.size() + c.partition_keys.size()),
                    std::to_string(new_columns), std::to_string(c.partitions.size()), std::to_string(new_partitions),
                    std::to_string(c.files)});
  }
  StatementResult r;
  r.returns_rows = true;
  r.command_tag = StrCat("CRAWL ", rows.size());
  for (const char* name : {"table_name", "action", "format", "columns", "columns_added", "partitions", "partitions_added", "files"}) {
    r.columns.push_back({name, SqlType::Text()});
  }
  r.batches.push_back(TextRows(rows, 8));
  return r;
}

}  // namespace strata
