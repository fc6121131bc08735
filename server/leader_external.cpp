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
#include "planner/name_resolution.h"
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
  catalog::Table t;
  t.set_schema(e.schema);
  t.set_name(e.name);
  t.set_dist_style(catalog::DIST_EVEN);
  t.set_distkey(-1);
  std::set<std::string> names;
  auto add_column = [&](const ast::ColumnDef& d) {
    if (!names.insert(d.name).second) {
      throw SqlError(sqlstate::kDuplicateColumn, StrCat("column \"", d.name, "\" specified more than once"));
    }
    auto* c = t.add_columns();
    c->set_name(d.name);
    *c->mutable_type() = ToProtoType(ResolveTypeName(d.type));
  };
  for (const auto& d : e.columns) add_column(d);
  for (const auto& d : e.partition_columns) add_column(d);
  catalog::ExternalTable* x = t.mutable_external();
  x->set_location(e.location);
  x->set_format(FormatOf(e));
  x->set_serde(e.row_format);
  x->set_stored_as(e.stored_as);
  x->set_partition_keys(static_cast<int>(e.partition_columns.size()));
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
  t.set_id(ctx_.catalog->NextTableId());
  txn_->catalog.CreateTable(t);
  return r;
}

StatementResult LeaderSession::CreateExternalTableAs(const ast::ExternalStmt&) {
  throw SqlError(sqlstate::kFeatureNotSupported, "CREATE EXTERNAL TABLE ... AS is not supported yet");
}

}  // namespace strata
