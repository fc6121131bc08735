// The setting table and PostgreSQL 15's value rules (guc.c's parse_bool, parse_int with units,
// check_datestyle), restated for the settings Strata keeps.
#include "server/setting_definitions.h"

#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <vector>

#include "executor/memory_budget.h"
#include "sql/error.h"
#include "sql/sqlstate.h"

namespace strata {
namespace {

constexpr std::array kSettings = {
    SettingDef{"application_name", SettingKind::kText, "",
               "Sets the application name to be reported in statistics and logs.", true},
    SettingDef{"client_encoding", SettingKind::kEncoding, "UTF8",
               "Sets the client's character set encoding.", true},
    SettingDef{"DateStyle", SettingKind::kDateStyle, "ISO, MDY",
               "Sets the display format for date and time values.", true},
    SettingDef{"default_transaction_isolation", SettingKind::kEnum, "serializable",
               "Sets the transaction isolation level of each new transaction.", false, 0, 0,
               "serializable,repeatable read,read committed,read uncommitted"},
    SettingDef{"enable_result_cache_for_session", SettingKind::kBool, "on",
               "Specifies whether query results may be served from the result cache."},
    SettingDef{"extra_float_digits", SettingKind::kInteger, "1",
               "Sets the number of digits displayed for floating-point values.", false, -15, 3},
    SettingDef{"integer_datetimes", SettingKind::kReadOnly, "on",
               "Shows whether datetimes are integer based.", true},
    SettingDef{"IntervalStyle", SettingKind::kEnum, "postgres",
               "Sets the display format for interval values.", true, 0, 0,
               "postgres,postgres_verbose,sql_standard,iso_8601"},
    SettingDef{"is_superuser", SettingKind::kReadOnly, "on",
               "Shows whether the current user is a superuser.", true},
    SettingDef{"lock_timeout", SettingKind::kMilliseconds, "0",
               "Sets the maximum allowed duration of any wait for a lock.", false, 0, 2147483647},
    // A query's memory on each compute node; 0: the node's default share of its --memory-limit.
    SettingDef{"query_memory", SettingKind::kMemorySize, "0",
               "Sets the memory a query may use on each compute node before it spills (0: the node's default share)."},
    SettingDef{"query_group", SettingKind::kText, "default",
               "Labels the session's queries for workload management."},
    SettingDef{"search_path", SettingKind::kText, "\"$user\", public",
               "Sets the schema search order for names that are not schema-qualified."},
    SettingDef{"server_encoding", SettingKind::kReadOnly, "UTF8",
               "Shows the server (database) character set encoding.", true},
    SettingDef{"server_version", SettingKind::kReadOnly, "15.0",
               "Shows the server version.", true},
    SettingDef{"session_authorization", SettingKind::kText, "",
               "Sets the session user name.", true},
    // Whether external tables are read by the spectrum workers (on) or by the slices themselves.
    SettingDef{"spectrum_enable", SettingKind::kBool, "on",
               "Reads external tables on the spectrum workers (off: the compute slices read the files themselves)."},
    // Whether a query's compute stages run at once (server/stage_waves.h).
    SettingDef{"stage_pipelining", SettingKind::kEnum, "auto",
               "Runs a query's compute stages at once, each reading the rows of the stages below it as they come "
               "(auto: when the machine has more cores than a stage has slices).", false, 0, 0, "auto,on,off"},
    SettingDef{"standard_conforming_strings", SettingKind::kEnum, "on",
               "Causes '...' strings to treat backslashes literally.", true, 0, 0, "on"},
    SettingDef{"statement_timeout", SettingKind::kMilliseconds, "0",
               "Sets the maximum allowed duration of any statement.", false, 0, 2147483647},
    SettingDef{"TimeZone", SettingKind::kTimeZone, "UTC",
               "Sets the time zone for displaying and interpreting time stamps.", true},
    SettingDef{"transaction_isolation", SettingKind::kEnum, "serializable",
               "Sets the current transaction's isolation level.", false, 0, 0,
               "serializable,repeatable read,read committed,read uncommitted"},
    SettingDef{"transaction_deferrable", SettingKind::kBool, "off",
               "Whether to defer a read-only serializable transaction until it can be executed with no possible "
               "serialization failures."},
    SettingDef{"transaction_read_only", SettingKind::kBool, "off",
               "Sets the current transaction's read-only status (writes then fail with 25006)."},
    SettingDef{"wlm_query_slot_count", SettingKind::kInteger, "1",
               "Sets the number of workload management slots a query uses.", false, 1, 50},
    // PostgreSQL's settings that its tools set (pg_dump, pg_restore, pgbench, ORMs) and that
    // tune things Strata does not have (heap scans, row security, XML, table access methods):
    // kept and shown with PostgreSQL's rules and defaults, with no other effect.
    SettingDef{"bytea_output", SettingKind::kEnum, "hex", "Sets the output format for bytea.", false, 0, 0, "hex,escape"},
    SettingDef{"check_function_bodies", SettingKind::kBool, "on",
               "Check routine bodies during CREATE FUNCTION and CREATE PROCEDURE."},
    SettingDef{"client_min_messages", SettingKind::kEnum, "notice", "Sets the message levels that are sent to the client.",
               false, 0, 0, "debug5,debug4,debug3,debug2,debug1,debug,log,notice,warning,error"},
    SettingDef{"default_table_access_method", SettingKind::kText, "heap",
               "Sets the default table access method for new tables."},
    SettingDef{"default_tablespace", SettingKind::kText, "",
               "Sets the default tablespace to create tables and indexes in."},
    SettingDef{"default_transaction_read_only", SettingKind::kBool, "off",
               "Sets the default read-only status of new transactions."},
    SettingDef{"default_transaction_deferrable", SettingKind::kBool, "off",
               "Sets the default deferrable status of new transactions."},
    SettingDef{"escape_string_warning", SettingKind::kBool, "on", "Warn about backslash escapes in ordinary string literals."},
    SettingDef{"idle_in_transaction_session_timeout", SettingKind::kMilliseconds, "0",
               "Sets the maximum allowed idle time between queries, when in a transaction.", false, 0, 2147483647},
    SettingDef{"idle_session_timeout", SettingKind::kMilliseconds, "0",
               "Sets the maximum allowed idle time between queries, when not in a transaction.", false, 0, 2147483647},
    SettingDef{"jit", SettingKind::kBool, "off", "Allow JIT compilation."},
    SettingDef{"maintenance_work_mem", SettingKind::kMemorySize, "64MB",
               "Sets the maximum memory to be used for maintenance operations."},
    SettingDef{"max_parallel_workers_per_gather", SettingKind::kInteger, "2",
               "Sets the maximum number of parallel processes per executor node.", false, 0, 1024},
    SettingDef{"quote_all_identifiers", SettingKind::kBool, "off",
               "When generating SQL fragments, quote all identifiers."},
    SettingDef{"row_security", SettingKind::kBool, "on", "Enable row security."},
    SettingDef{"synchronize_seqscans", SettingKind::kBool, "on", "Enable synchronized sequential scans."},
    SettingDef{"work_mem", SettingKind::kMemorySize, "4MB",
               "Sets the maximum memory to be used for query workspaces."},
    SettingDef{"xmloption", SettingKind::kEnum, "content",
               "Sets whether XML data in implicit parsing and serialization operations is to be considered as documents or "
               "content fragments.", false, 0, 0, "content,document"},
};

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\n\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\n\r") - b + 1);
}

// Messages name the parameter as PostgreSQL does: as written for numbers, booleans and
// enums, by its canonical spelling for the ones with a check routine (DateStyle, TimeZone...).
[[noreturn]] void InvalidValue(const std::string& name, const std::string& value,
                               const std::string& detail = "", const std::string& hint = "") {
  SqlError e(sqlstate::kInvalidParameterValue,
             StrCat("invalid value for parameter \"", name, "\": \"", value, "\""));
  if (!detail.empty()) e.WithDetail(detail);
  if (!hint.empty()) e.WithHint(hint);
  throw e;
}

[[noreturn]] void OutOfRange(const SettingDef& def, const std::string& name, const std::string& value) {
  throw SqlError(sqlstate::kInvalidParameterValue,
                 StrCat(value, " is outside the valid range for parameter \"", name, "\" (",
                        def.min, " .. ", def.max, ")"));
}

// parse_bool: any prefix of true/false/yes/no, "on"/"off" (at least "of"), "1"/"0".
std::optional<bool> ParseBool(const std::string& value) {
  std::string v = Lower(Trim(value));
  auto prefix_of = [&](const char* word, size_t min_len) {
    std::string w = word;
    return v.size() >= min_len && v.size() <= w.size() && w.compare(0, v.size(), v) == 0;
  };
  if (prefix_of("true", 1) || prefix_of("yes", 1) || v == "on" || v == "1") return true;
  if (prefix_of("false", 1) || prefix_of("no", 1) || prefix_of("off", 2) || v == "0") return false;
  return std::nullopt;
}

std::optional<int64_t> ParseInteger(const std::string& value) {
  std::string v = Trim(value);
  if (v.empty()) return std::nullopt;
  char* end = nullptr;
  long long n = std::strtoll(v.c_str(), &end, 10);
  if (*end != '\0') return std::nullopt;
  return n;
}

struct TimeUnit {
  const char* name;
  double ms;
};
constexpr std::array kTimeUnits = {TimeUnit{"us", 0.001}, TimeUnit{"ms", 1}, TimeUnit{"s", 1000},
                                   TimeUnit{"min", 60000}, TimeUnit{"h", 3600000},
                                   TimeUnit{"d", 86400000}};

std::string Milliseconds(const SettingDef& def, const std::string& name, const std::string& value) {
  std::string v = Trim(value);
  const char* begin = v.c_str();
  char* end = nullptr;
  double n = std::strtod(begin, &end);
  const char* kHint = "Valid units for this parameter are \"us\", \"ms\", \"s\", \"min\", \"h\", and \"d\".";
  if (end == begin || std::isnan(n) || std::isinf(n)) InvalidValue(name, value, "", kHint);
  while (*end == ' ' || *end == '\t') ++end;
  double ms = n;
  if (*end != '\0') {
    const TimeUnit* unit = nullptr;
    for (const TimeUnit& u : kTimeUnits) {
      if (std::string(end) == u.name) unit = &u;
    }
    if (unit == nullptr) InvalidValue(name, value, "", kHint);  // units are case-sensitive
    ms = n * unit->ms;
  }
  double rounded = std::rint(ms);
  if (rounded < static_cast<double>(def.min) || rounded > static_cast<double>(def.max)) {
    std::ostringstream shown;
    shown << static_cast<int64_t>(rounded) << " ms";
    OutOfRange(def, name, shown.str());
  }
  auto whole = static_cast<int64_t>(rounded);
  if (whole == 0) return "0";
  for (auto it = kTimeUnits.rbegin(); it != kTimeUnits.rend(); ++it) {
    auto per = static_cast<int64_t>(it->ms);
    if (per >= 1 && whole % per == 0) return StrCat(whole / per, it->name);
  }
  return StrCat(whole, "ms");
}

// check_datestyle: comma or space separated keywords, one output style and one field order;
// a part left out keeps its current setting (GERMAN alone implies DMY).
std::string DateStyle(const SettingDef& def, const std::string& value, const std::string& current) {
  std::string style = "ISO", order = "MDY";
  size_t comma = current.find(',');
  if (comma != std::string::npos) {
    style = current.substr(0, comma);
    order = Trim(current.substr(comma + 1));
  }
  bool have_style = false, have_order = false;
  std::string word;
  std::vector<std::string> words;
  for (char c : value) {
    if (c == ',' || c == ' ' || c == '\t') {
      if (!word.empty()) words.push_back(word);
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) words.push_back(word);
  if (words.empty()) InvalidValue(def.name, value);
  auto set_style = [&](const char* s) {
    if (have_style && style != s) InvalidValue(def.name, value, "Conflicting \"datestyle\" specifications.");
    style = s;
    have_style = true;
  };
  auto set_order = [&](const char* o) {
    if (have_order && order != o) InvalidValue(def.name, value, "Conflicting \"datestyle\" specifications.");
    order = o;
    have_order = true;
  };
  for (const std::string& w : words) {
    std::string k = Lower(w);
    if (k == "iso") {
      set_style("ISO");
    } else if (k == "sql") {
      set_style("SQL");
    } else if (k == "postgres") {
      set_style("Postgres");
    } else if (k == "german") {
      set_style("German");
      if (!have_order) order = "DMY";
    } else if (k == "ymd") {
      set_order("YMD");
    } else if (k == "dmy" || k == "euro" || k == "european") {
      set_order("DMY");
    } else if (k == "mdy" || k == "us" || k == "noneuro" || k == "noneuropean") {
      set_order("MDY");
    } else if (k == "default") {
      if (!have_style) style = "ISO";
      if (!have_order) order = "MDY";
    } else {
      InvalidValue(def.name, value, StrCat("Unrecognized key word: \"", w, "\"."));
    }
  }
  return style + ", " + order;
}

std::string Enum(const SettingDef& def, const std::string& name, const std::string& value) {
  std::string v = Lower(Trim(value));
  std::string choices = def.choices;
  std::string available;
  size_t start = 0;
  while (start <= choices.size()) {
    size_t comma = choices.find(',', start);
    std::string choice = choices.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (v == choice) return choice;
    available += (available.empty() ? "" : ", ") + choice;
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  InvalidValue(name, value, "", StrCat("Available values: ", available, "."));
}

}  // namespace

std::span<const SettingDef> SettingDefinitions() { return kSettings; }

const SettingDef* FindSetting(const std::string& lowercased_name) {
  for (const SettingDef& def : kSettings) {
    if (Lower(def.name) == lowercased_name) return &def;
  }
  return nullptr;
}

std::string NormalizeSetting(const SettingDef& def, const std::string& name, const std::string& value,
                             const std::string& current) {
  switch (def.kind) {
    case SettingKind::kText:
      return value;
    case SettingKind::kBool: {
      std::optional<bool> b = ParseBool(value);
      if (!b) {
        throw SqlError(sqlstate::kInvalidParameterValue, StrCat("parameter \"", name, "\" requires a Boolean value"));
      }
      return *b ? "on" : "off";
    }
    case SettingKind::kInteger: {
      std::optional<int64_t> n = ParseInteger(value);
      if (!n) InvalidValue(name, value);
      if (*n < def.min || *n > def.max) OutOfRange(def, name, std::to_string(*n));
      return std::to_string(*n);
    }
    case SettingKind::kMilliseconds:
      return Milliseconds(def, name, value);
    case SettingKind::kDateStyle:
      return DateStyle(def, value, current);
    case SettingKind::kEncoding: {
      std::string clean;  // PostgreSQL ignores everything but letters and digits in the name
      for (char c : value) {
        if (std::isalnum(static_cast<unsigned char>(c))) clean += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      if (clean != "utf8" && clean != "unicode") InvalidValue(def.name, value);
      return "UTF8";
    }
    case SettingKind::kTimeZone: {
      std::string v = Trim(value);
      if (v.empty()) InvalidValue(def.name, value);
      std::string k = Lower(v);
      if (k == "utc" || k == "gmt") return k == "utc" ? "UTC" : "GMT";
      return v;
    }
    case SettingKind::kEnum:
      return Enum(def, name, value);
    case SettingKind::kReadOnly:
      throw SqlError(sqlstate::kCantChangeRuntimeParam, StrCat("parameter \"", def.name, "\" cannot be changed"));
    case SettingKind::kMemorySize: {
      int64_t bytes = 0;
      try {
        bytes = ParseMemorySize(value);
      } catch (const SqlError&) {
        InvalidValue(name, value, "", "Valid units for this parameter are \"B\", \"kB\", \"MB\", \"GB\", and \"TB\".");
      }
      // Shown in the largest unit that holds it exactly, as PostgreSQL shows work_mem.
      const char* units[] = {"kB", "MB", "GB", "TB"};
      int u = -1;
      while (u < 3 && bytes != 0 && bytes % 1024 == 0) {
        bytes /= 1024;
        ++u;
      }
      return u < 0 ? std::to_string(bytes) : StrCat(bytes, units[u]);
    }
  }
  return value;
}

int64_t BytesOf(const std::string& shown) { return ParseMemorySize(shown); }

int64_t MillisecondsOf(const std::string& shown) {
  const char* begin = shown.c_str();
  char* end = nullptr;
  long long n = std::strtoll(begin, &end, 10);
  for (const TimeUnit& u : kTimeUnits) {
    if (std::string(end) == u.name) return static_cast<int64_t>(static_cast<double>(n) * u.ms);
  }
  return n;
}

}  // namespace strata
