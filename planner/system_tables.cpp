#include "planner/system_tables.h"

#include "planner/pg_catalog_tables.h"

namespace strata {

std::vector<OutputColumn> SystemTableColumns(const std::string& name) {
  if (name == "stv_slices") {
    return {{"node", SqlType::Int32()}, {"slice", SqlType::Int32()}, {"localslice", SqlType::Int32()},
            {"type", SqlType::Varchar(1)}};
  }
  if (name == "stv_blocklist") {
    return {{"slice", SqlType::Int32()},      {"col", SqlType::Int32()},
            {"tbl", SqlType::Int64()},        {"blocknum", SqlType::Int32()},
            {"num_values", SqlType::Int64()}, {"minvalue", SqlType::Int64()},
            {"maxvalue", SqlType::Int64()},   {"size_bytes", SqlType::Int64()}};
  }
  if (name == "svv_table_info") {
    return {{"database", SqlType::Varchar(128)}, {"schema", SqlType::Varchar(128)},
            {"table_id", SqlType::Int64()},      {"table", SqlType::Varchar(128)},
            {"encoded", SqlType::Varchar(1)},    {"diststyle", SqlType::Varchar(128)},
            {"sortkey1", SqlType::Varchar(128)}, {"sortkey_num", SqlType::Int32()},
            {"size", SqlType::Int64()},          {"tbl_rows", SqlType::Int64()},
            {"unsorted", SqlType::Decimal(5, 2)}, {"stats_off", SqlType::Decimal(5, 2)},
            {"skew_rows", SqlType::Decimal(19, 2)}};
  }
  if (name == "stl_load_errors") {
    return {{"query", SqlType::Int32()},           {"slice", SqlType::Int32()},
            {"filename", SqlType::Char(256)},      {"line_number", SqlType::Int64()},
            {"colname", SqlType::Char(127)},       {"type", SqlType::Char(10)},
            {"raw_line", SqlType::Char(1024)},     {"raw_field_value", SqlType::Char(1024)},
            {"err_code", SqlType::Int32()},        {"err_reason", SqlType::Char(100)},
            {"starttime", SqlType::Timestamp()}};
  }
  if (name == "stl_scan") {
    return {{"query", SqlType::Int32()},           {"slice", SqlType::Int32()},
            {"segment", SqlType::Int32()},         {"tbl", SqlType::Int32()},
            {"perm_table_name", SqlType::Char(136)}, {"rows", SqlType::Int64()},
            {"rows_pre_filter", SqlType::Int64()}, {"blocks_read", SqlType::Int64()},
            {"blocks_skipped", SqlType::Int64()},  {"starttime", SqlType::Timestamp()}};
  }
  if (name == "pg_stat_activity") {
    // PostgreSQL 15's columns; what Strata does not track is NULL.
    return {{"datid", SqlType::Int64()},            {"datname", SqlType::Varchar(128)},
            {"pid", SqlType::Int32()},              {"leader_pid", SqlType::Int32()},
            {"usesysid", SqlType::Int64()},         {"usename", SqlType::Varchar(128)},
            {"application_name", SqlType::Text()},  {"client_addr", SqlType::Text()},
            {"client_hostname", SqlType::Text()},   {"client_port", SqlType::Int32()},
            {"backend_start", SqlType::TimestampTz()}, {"xact_start", SqlType::TimestampTz()},
            {"query_start", SqlType::TimestampTz()}, {"state_change", SqlType::TimestampTz()},
            {"wait_event_type", SqlType::Text()},   {"wait_event", SqlType::Text()},
            {"state", SqlType::Text()},             {"backend_xid", SqlType::Int64()},
            {"backend_xmin", SqlType::Int64()},     {"query_id", SqlType::Int64()},
            {"query", SqlType::Text()},             {"backend_type", SqlType::Text()}};
  }
  if (name == "svl_query_summary") {
    return {{"userid", SqlType::Int32()},     {"query", SqlType::Int32()},      {"stm", SqlType::Int32()},
            {"seg", SqlType::Int32()},        {"step", SqlType::Int32()},       {"maxtime", SqlType::Int64()},
            {"avgtime", SqlType::Int64()},    {"rows", SqlType::Int64()},       {"bytes", SqlType::Int64()},
            {"rate_row", SqlType::Float64()}, {"rate_byte", SqlType::Float64()}, {"label", SqlType::Text()},
            {"is_diskbased", SqlType::Char(1)}, {"workmem", SqlType::Int64()}, {"spilled_bytes", SqlType::Int64()}};
  }
  if (name == "stv_recents") {
    return {{"userid", SqlType::Int32()},         {"status", SqlType::Char(20)},
            {"starttime", SqlType::Timestamp()},  {"duration", SqlType::Int32()},
            {"user_name", SqlType::Char(50)},     {"db_name", SqlType::Char(50)},
            {"query", SqlType::Varchar(600)},     {"pid", SqlType::Int32()}};
  }
  if (name == "stv_inflight") {
    return {{"userid", SqlType::Int32()},    {"slice", SqlType::Int32()},      {"query", SqlType::Int32()},
            {"label", SqlType::Char(320)},   {"xid", SqlType::Int64()},        {"pid", SqlType::Int32()},
            {"starttime", SqlType::Timestamp()}, {"text", SqlType::Char(100)}, {"suspended", SqlType::Int32()},
            {"insert_pristine", SqlType::Int32()}, {"concurrency_scaling_status", SqlType::Int32()}};
  }
  if (name == "pg_stats") {
    return {{"schemaname", SqlType::Varchar(128)},          {"tablename", SqlType::Varchar(128)},
            {"attname", SqlType::Varchar(128)},             {"null_frac", SqlType::Float32()},
            {"n_distinct", SqlType::Float32()},             {"most_common_vals", SqlType::Varchar(65535)},
            {"most_common_freqs", SqlType::Varchar(65535)}};
  }
  return PgCatalogColumns(name);
}

}  // namespace strata
