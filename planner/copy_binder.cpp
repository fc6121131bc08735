// COPY / UNLOAD option semantics and plans (see copy_binder.h).
//
// Defaults differ by direction and peer, as users of each expect: COPY from files and S3 is
// Redshift's (pipe-delimited text, NULL AS '\N'); COPY FROM STDIN and COPY TO STDOUT are
// PostgreSQL's (tab-delimited text with backslash escapes and \N, or CSV with empty NULLs),
// because psql's \copy and JDBC's CopyManager speak PostgreSQL; UNLOAD is Redshift's
// (pipe-delimited text, NULLs as empty fields).
#include "planner/copy_binder.h"

#include <algorithm>
#include <cctype>

#include "planner/bind_helpers.h"
#include "planner/expr_builder.h"
#include "planner/name_resolution.h"
#include "sql/error.h"
#include "sql/parser.h"

namespace strata {
namespace {


std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool BoolOption(const std::string& name, const std::string& v) {
  std::string l = Lower(v);
  if (l.empty() || l == "true" || l == "on" || l == "1") return true;
  if (l == "false" || l == "off" || l == "0") return false;
  FailAt(sqlstate::kSyntaxError, StrCat(name, " requires a Boolean value"));
}

int64_t IntOption(const std::string& name, const std::string& v, int64_t lo, int64_t hi) {
  char* end = nullptr;
  long long n = std::strtoll(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0' || n < lo || n > hi) {
    FailAt(sqlstate::kInvalidParameterValue, StrCat("invalid value for ", name, ": \"", v, "\""));
  }
  return n;
}

char CharOption(const std::string& name, const std::string& v) {
  if (v.size() != 1) FailAt(sqlstate::kInvalidParameterValue, StrCat("COPY ", name, " must be a single one-byte character"));
  return v[0];
}

// ACCESS_KEY_ID / SECRET_ACCESS_KEY / SESSION_TOKEN / CREDENTIALS / IAM_ROLE / REGION. Returns
// true when `name` was one of them.
bool AuthOption(const std::string& name, const std::string& value, plan::ObjectAuth* auth, bool* role) {
  if (name == "access_key_id") auth->set_access_key_id(value);
  else if (name == "secret_access_key") auth->set_secret_access_key(value);
  else if (name == "session_token") auth->set_session_token(value);
  else if (name == "region") auth->set_region(value);
  else if (name == "credentials") ParseCredentials(value, auth);
  else if (name == "iam_role") *role = true;  // resolved through the store's configuration
  else return false;
  return true;
}

void CheckAuth(const plan::ObjectAuth& auth, bool role) {
  if (auth.access_key_id().empty() != auth.secret_access_key().empty()) {
    FailAt(sqlstate::kInvalidParameterValue, "ACCESS_KEY_ID and SECRET_ACCESS_KEY must be given together");
  }
  if (role && !auth.access_key_id().empty()) {
    FailAt(sqlstate::kInvalidParameterValue, "IAM_ROLE cannot be combined with access keys or CREDENTIALS");
  }
}

std::string Compression(const std::string& name) {
  if (name == "gzip" || name == "bzip2" || name == "zstd") return name;
  if (name == "lzop") {
    FailAt(sqlstate::kFeatureNotSupported, "LZOP compression is not supported: compress the files with GZIP, BZIP2 or ZSTD");
  }
  return "";
}

std::string QuoteIdent(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Binds the query of UNLOAD / COPY (query) TO STDOUT, which must be a SELECT.
void BindInnerQuery(const std::string& text, const CatalogVersion& cat, const SessionValues* session,
                    BoundStatement* out) {
  std::vector<ast::Statement> parsed = ParseSql(text);
  if (parsed.size() != 1 || parsed[0].kind != ast::StatementKind::kSelect) {
    FailAt(sqlstate::kFeatureNotSupported, "only a single SELECT can be unloaded or copied out");
  }
  BoundStatement inner = Bind(parsed[0], cat, {}, nullptr, session);
  out->query = std::move(inner.query);
  out->result = std::move(inner.result);
  for (const auto& c : out->result) {
    out->unload.add_column_names(c.name);
    *out->unload.add_column_types() = ToProtoType(c.type);
  }
}

}  // namespace

void ParseCredentials(const std::string& text, plan::ObjectAuth* auth) {
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(';', start);
    if (end == std::string::npos) end = text.size();
    std::string part = text.substr(start, end - start);
    start = end + 1;
    if (part.empty()) continue;
    size_t eq = part.find('=');
    if (eq == std::string::npos) FailAt(sqlstate::kInvalidParameterValue, "invalid CREDENTIALS: expected key=value pairs");
    std::string key = Lower(part.substr(0, eq));
    std::string value = part.substr(eq + 1);
    if (key == "aws_access_key_id") auth->set_access_key_id(value);
    else if (key == "aws_secret_access_key") auth->set_secret_access_key(value);
    else if (key == "token" || key == "aws_session_token") auth->set_session_token(value);
    else if (key == "aws_iam_role") continue;
    else FailAt(sqlstate::kInvalidParameterValue, StrCat("invalid CREDENTIALS key \"", key, "\""));
  }
}

void BindCopyFrom(const ast::CopyStmt& c, const CatalogVersion& cat, const SessionValues* session, BoundStatement* out) {
  const catalog::Table& t = TargetTable(cat, session, c.schema, c.name, c.location);
  out->table = t;
  std::vector<int> targets = TargetColumns(t, c.columns);
  auto src = std::make_unique<LogicalNode>();
  src->kind = LogicalKind::kFileScan;
  plan::FileScan& fs = src->file_scan;
  CopyInput& in = out->copy;
  in.from_stdin = c.from_stdin;
  if (!c.from_stdin) {
    in.source = c.source;
    if (in.source.rfind("s3://", 0) != 0 && in.source.rfind("file://", 0) != 0 && (in.source.empty() || in.source[0] != '/')) {
      FailAt(sqlstate::kInvalidParameterValue, StrCat("COPY from \"", c.source, "\": the source must be s3://bucket/key, file:///path or an absolute path"));
    }
  }
  fs.set_path(c.from_stdin ? "STDIN" : c.source);
  fs.set_table_name(t.name());
  fs.set_format("text");
  bool pg_style = c.from_stdin;
  bool delimiter_set = false, null_set = false, role = false, noshred = false, explicit_ids = false;
  for (const auto& [name, value] : c.options) {
    if (AuthOption(name, value, fs.mutable_auth(), &role)) continue;
    if (name == "format") {
      if (value == "csv" || value == "json" || value == "parquet" || value == "text") fs.set_format(value);
      else FailAt(sqlstate::kFeatureNotSupported, StrCat("COPY format \"", value, "\" is not supported"));
    } else if (name == "json") {
      std::string l = Lower(value);
      if (l == "auto" || l == "auto ignorecase") {
        fs.set_json_mode(l);
      } else if (l == "noshred") {  // Redshift: each whole record into the one SUPER column
        fs.set_json_mode("paths");
        fs.clear_json_paths();
        fs.add_json_paths(R"({"jsonpaths": ["$"]})");
        noshred = true;
      } else if (value.rfind("s3://", 0) == 0 || value.rfind("file://", 0) == 0 || (!value.empty() && value[0] == '/')) {
        fs.set_json_mode("paths");
        in.json_paths_url = value;
      } else {
        FailAt(sqlstate::kInvalidParameterValue, StrCat("JSON must be 'auto', 'auto ignorecase', 'noshred' or the location of a JSONPaths file, not '", value, "'"));
      }
    } else if (name == "delimiter") {
      fs.set_delimiter(std::string(1, CharOption("delimiter", value)));
      delimiter_set = true;
    } else if (name == "null") {
      fs.set_null_as(value);
      null_set = true;
    } else if (name == "quote") {
      fs.set_quote(std::string(1, CharOption("quote", value)));
    } else if (name == "header") {
      fs.set_ignore_header(BoolOption("header", value) ? 1 : 0);
    } else if (name == "ignoreheader") {
      fs.set_ignore_header(IntOption("IGNOREHEADER", value, 0, 1 << 30));
    } else if (name == "escape") {
      if (value.empty()) fs.set_escape(true);  // Redshift's ESCAPE: backslash escapes in text
      else if (value != "\"" && value != fs.quote()) FailAt(sqlstate::kFeatureNotSupported, "COPY ESCAPE other than the quote character is not supported for CSV");
    } else if (name == "emptyasnull") fs.set_empty_as_null(true);
    else if (name == "blanksasnull") fs.set_blanks_as_null(true);
    else if (name == "trimblanks") fs.set_trim_blanks(true);
    else if (name == "truncatecolumns") fs.set_truncate_columns(true);
    else if (name == "removequotes") fs.set_remove_quotes(true);
    else if (name == "fillrecord") fs.set_fill_record(true);
    else if (name == "ignoreblanklines") fs.set_ignore_blank_lines(true);
    else if (name == "acceptinvchars") {
      if (value.size() > 1) FailAt(sqlstate::kInvalidParameterValue, "ACCEPTINVCHARS takes a single replacement character");
      fs.set_accept_inv_chars(value.empty() ? "?" : value);
      fs.set_accept_inv_chars_set(true);
    } else if (name == "dateformat") {
      // Dates in ISO form are read whatever the setting; other layouts are not supported yet.
      std::string l = Lower(value);
      if (l != "auto" && l != "yyyy-mm-dd") FailAt(sqlstate::kFeatureNotSupported, StrCat("DATEFORMAT '", value, "' is not supported yet (only 'auto' and 'YYYY-MM-DD')"));
      fs.set_date_format(l);
    } else if (name == "timeformat") {
      std::string l = Lower(value);
      if (l != "auto" && l != "yyyy-mm-dd hh:mi:ss") FailAt(sqlstate::kFeatureNotSupported, StrCat("TIMEFORMAT '", value, "' is not supported yet (only 'auto' and 'YYYY-MM-DD HH:MI:SS')"));
      fs.set_time_format(l);
    }
    else if (name == "gzip" || name == "bzip2" || name == "zstd" || name == "lzop") fs.set_compression(Compression(name));
    else if (name == "manifest") in.manifest = true;
    else if (name == "maxerror") fs.set_max_error(IntOption("MAXERROR", value, 0, 100000));
    else if (name == "noload") in.noload = true;
    else if (name == "explicit_ids") explicit_ids = BoolOption("EXPLICIT_IDS", value);
    else if (name == "compupdate" || name == "statupdate" || name == "comprows" || name == "encoding" ||
             name == "roundec" || name == "acceptanydate" || name == "readratio") {
      if (name == "encoding" && Lower(value) != "utf8" && Lower(value) != "utf-8") {
        FailAt(sqlstate::kFeatureNotSupported, StrCat("COPY encoding \"", value, "\" is not supported (only UTF8)"));
      }
    } else if (name == "freeze") {
      BoolOption("freeze", value);  // PostgreSQL's hint that rows need no later vacuum: every load here is final
    } else if (name == "force_null" || name == "force_not_null" || name == "force_quote" ||
               name == "encrypted" || name == "shapefile" || name == "fixedwidth") {
      FailAt(sqlstate::kFeatureNotSupported, StrCat("COPY option ", name, " is not supported"));
    } else {
      FailAt(sqlstate::kSyntaxError, StrCat("option \"", name, "\" not recognized"));
    }
  }
  CheckAuth(fs.auth(), role);
  const std::string& f = fs.format();
  if (f == "json" && fs.json_mode().empty()) fs.set_json_mode("auto");
  if (f == "parquet" || f == "json") {
    if (f == "parquet" && !fs.compression().empty()) FailAt(sqlstate::kInvalidParameterValue, "GZIP, BZIP2 and ZSTD cannot be used with FORMAT PARQUET (its pages carry their own codec)");
    if (delimiter_set || fs.ignore_header() > 0) FailAt(sqlstate::kInvalidParameterValue, StrCat("DELIMITER and IGNOREHEADER cannot be used with FORMAT ", f));
  }
  if (f == "csv") {
    fs.set_csv(true);
    if (fs.remove_quotes()) FailAt(sqlstate::kInvalidParameterValue, "REMOVEQUOTES cannot be used with CSV");
    if (fs.escape()) FailAt(sqlstate::kInvalidParameterValue, "ESCAPE cannot be used with CSV");
    if (!delimiter_set) fs.set_delimiter(",");
    if (!null_set) fs.set_null_as(pg_style ? "" : "\\N");
  } else {
    if (!fs.quote().empty() && f == "text") FailAt(sqlstate::kInvalidParameterValue, "QUOTE is available only with CSV");
    if (!delimiter_set) fs.set_delimiter(pg_style ? "\t" : "|");
    if (!null_set) fs.set_null_as("\\N");
    if (pg_style && f == "text") {
      fs.set_escape(true);
      fs.set_pg_escapes(true);
    }
  }
  if (fs.quote().empty()) fs.set_quote("\"");
  if (c.from_stdin && in.manifest) FailAt(sqlstate::kInvalidParameterValue, "MANIFEST cannot be used with STDIN");
  if (noshred && (targets.size() != 1 || FromProtoType(t.columns(targets[0]).type()).id != TypeId::kSuper)) {
    FailAt(sqlstate::kInvalidParameterValue, "FORMAT JSON 'noshred' loads into exactly one column, of type SUPER");
  }
  // Redshift's rule for an IDENTITY (GENERATED ALWAYS) column, loading from files or S3: without
  // EXPLICIT_IDS the files do not hold it (a column list may not name it) and it is numbered.
  // COPY FROM STDIN is PostgreSQL's, which writes the values the input gives.
  if (!c.from_stdin && !explicit_ids) {
    std::vector<int> kept;
    for (int col : targets) {
      const catalog::Column& tc = t.columns(col);
      if (!tc.has_identity() || tc.identity().by_default()) {
        kept.push_back(col);
      } else if (!c.columns.empty()) {
        FailAt(sqlstate::kGeneratedAlways,
               StrCat("COPY cannot load identity column \"", tc.name(), "\" unless EXPLICIT_IDS is given"));
      }
    }
    targets = std::move(kept);
  }
  for (int col : targets) {
    *fs.add_types() = t.columns(col).type();
    fs.add_column_names(t.columns(col).name());
    src->columns.push_back({t.columns(col).name(), FromProtoType(t.columns(col).type())});
  }
  src->estimated_rows = 1e6;
  // Project the file's columns into the table's order; missing columns are NULL.
  std::vector<plan::Expr> exprs(t.columns_size());
  std::vector<OutputColumn> cols = TableColumnsAsDefaults(t, &exprs);
  for (size_t k = 0; k < targets.size(); ++k) exprs[targets[k]] = ColumnExpr(static_cast<int>(k), cols[targets[k]].type);
  out->query = ProjectNodeOver(std::move(src), std::move(exprs), std::move(cols));
}

void BindCopyTo(const ast::CopyStmt& c, const CatalogVersion& cat, const SessionValues* session, BoundStatement* out) {
  if (!c.to_stdout) FailAt(sqlstate::kFeatureNotSupported, "COPY TO a file is not supported: use UNLOAD, or COPY ... TO STDOUT");
  std::string query = c.query_text;
  if (query.empty()) {
    const catalog::Table& t = TargetTable(cat, session, c.schema, c.name, c.location);
    std::vector<int> cols = TargetColumns(t, c.columns);
    query = "SELECT ";
    for (size_t i = 0; i < cols.size(); ++i) query += (i ? ", " : "") + QuoteIdent(t.columns(cols[i]).name());
    query += " FROM " + QuoteIdent(t.schema()) + "." + QuoteIdent(t.name());
  }
  BindInnerQuery(query, cat, session, out);
  plan::UnloadSpec& u = out->unload;
  u.set_format("pgtext");
  bool delimiter_set = false, null_set = false;
  for (const auto& [name, value] : c.options) {
    if (name == "format") {
      if (value == "csv") u.set_format("csv");
      else if (value != "text") FailAt(sqlstate::kFeatureNotSupported, StrCat("COPY TO format \"", value, "\" is not supported"));
    } else if (name == "delimiter") {
      u.set_delimiter(std::string(1, CharOption("delimiter", value)));
      delimiter_set = true;
    } else if (name == "null") {
      u.set_null_as(value);
      null_set = true;
    } else if (name == "header") {
      u.set_header(BoolOption("header", value));
    } else if (name == "quote" || name == "escape" || name == "encoding") {
      if (name != "encoding" && value != "\"") FailAt(sqlstate::kFeatureNotSupported, StrCat("COPY TO ", name, " other than '\"' is not supported"));
    } else {
      FailAt(sqlstate::kSyntaxError, StrCat("option \"", name, "\" not recognized"));
    }
  }
  if (!delimiter_set) u.set_delimiter(u.format() == "csv" ? "," : "\t");
  if (!null_set) u.set_null_as(u.format() == "csv" ? "" : "\\N");
}

void BindUnload(const ast::UnloadStmt& un, const CatalogVersion& cat, const SessionValues* session,
                BoundStatement* out) {
  BindInnerQuery(un.query_text, cat, session, out);
  plan::UnloadSpec& u = out->unload;
  if (un.target.rfind("s3://", 0) != 0 && un.target.rfind("file://", 0) != 0 && (un.target.empty() || un.target[0] != '/')) {
    FailAt(sqlstate::kInvalidParameterValue, StrCat("UNLOAD to \"", un.target, "\": the target must be s3://bucket/prefix, file:///path or an absolute path"));
  }
  u.set_prefix(un.target);
  u.set_format("text");
  u.set_parallel(true);
  u.set_max_file_size(int64_t{6200} << 20);  // Redshift's default, 6.2 GB
  bool delimiter_set = false, role = false;
  std::vector<std::string> partition;
  for (const auto& [name, value] : un.options) {
    if (AuthOption(name, value, u.mutable_auth(), &role)) continue;
    if (name == "format") {
      if (value == "csv" || value == "parquet" || value == "json" || value == "text") u.set_format(value);
      else FailAt(sqlstate::kFeatureNotSupported, StrCat("UNLOAD format \"", value, "\" is not supported"));
    } else if (name == "delimiter") {
      u.set_delimiter(std::string(1, CharOption("delimiter", value)));
      delimiter_set = true;
    } else if (name == "header") u.set_header(true);
    else if (name == "null") u.set_null_as(value);
    else if (name == "addquotes") u.set_add_quotes(true);
    else if (name == "escape") u.set_escape(true);
    else if (name == "gzip" || name == "bzip2" || name == "zstd") u.set_compression(name);
    else if (name == "parallel") u.set_parallel(BoolOption("PARALLEL", value));
    else if (name == "maxfilesize") {
      std::string v = value;
      int64_t unit = int64_t{1} << 20;
      if (v.size() > 3 && v.substr(v.size() - 3) == " gb") { unit = int64_t{1} << 30; v.resize(v.size() - 3); }
      if (v.size() > 3 && v.substr(v.size() - 3) == " mb") v.resize(v.size() - 3);
      double n = std::atof(v.c_str());
      if (n < 5 * (unit == (int64_t{1} << 20) ? 1 : 0.001) || n * unit > 6.2 * (int64_t{1} << 30) + 1) {
        FailAt(sqlstate::kInvalidParameterValue, "MAXFILESIZE must be between 5 MB and 6.2 GB");
      }
      u.set_max_file_size(static_cast<int64_t>(n * unit));
    } else if (name == "manifest") {
      u.set_manifest(true);
      u.set_manifest_verbose(value == "verbose");
    } else if (name == "partition") {
      size_t start = 0;
      while (start < value.size()) {
        size_t end = value.find(',', start);
        if (end == std::string::npos) end = value.size();
        partition.push_back(value.substr(start, end - start));
        start = end + 1;
      }
    } else if (name == "partition_include") u.set_partition_include(true);
    else if (name == "allowoverwrite") u.set_allow_overwrite(true);
    else if (name == "cleanpath") u.set_clean_path(true);
    else if (name == "extension" || name == "encrypted" || name == "kms_key_id" || name == "rowgroupsize") {
      FailAt(sqlstate::kFeatureNotSupported, StrCat("UNLOAD option ", name, " is not supported"));
    } else {
      FailAt(sqlstate::kSyntaxError, StrCat("option \"", name, "\" not recognized"));
    }
  }
  CheckAuth(u.auth(), role);
  if (u.format() == "parquet" || u.format() == "json") {
    if (delimiter_set || u.header() || u.add_quotes()) FailAt(sqlstate::kInvalidParameterValue, StrCat("DELIMITER, HEADER and ADDQUOTES cannot be used with FORMAT ", u.format()));
    if (u.format() == "parquet" && !u.compression().empty()) FailAt(sqlstate::kInvalidParameterValue, "GZIP, BZIP2 and ZSTD cannot be used with FORMAT PARQUET");
  }
  if (!delimiter_set) u.set_delimiter(u.format() == "csv" ? "," : "|");
  for (const auto& p : partition) {
    int found = -1;
    for (int i = 0; i < u.column_names_size(); ++i) if (u.column_names(i) == p) found = i;
    if (found < 0) FailAt(sqlstate::kUndefinedColumn, StrCat("PARTITION BY column \"", p, "\" is not in the query's result"));
    u.add_partition_columns(found);
  }
  if (u.partition_columns_size() > 0 && u.partition_columns_size() == u.column_names_size() && !u.partition_include()) {
    FailAt(sqlstate::kInvalidParameterValue, "PARTITION BY cannot name every column of the result");
  }
}

}  // namespace strata
