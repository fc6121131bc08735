// PostgreSQL's search_path over Strata's catalog (see name_resolution.h).
#include "planner/name_resolution.h"

#include <cctype>

#include "catalog/catalog_store.h"
#include "sql/error.h"

namespace strata {

namespace {

bool IsTempSchema(const std::string& s) { return s.rfind("pg_temp_", 0) == 0; }
bool IsOwnTempSchema(const SessionValues* sv, const std::string& s) { return sv != nullptr && s == sv->temp_schema; }

// The names the search_path setting lists, unquoted, "$user" replaced by the session's user.
std::vector<std::string> SettingSchemas(const SessionValues* sv) {
  std::string text = "\"$user\", public";
  if (sv != nullptr && sv->settings != nullptr) {
    auto it = sv->settings->find("search_path");
    if (it != sv->settings->end()) text = it->second;
  }
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false, any = false;
  auto flush = [&] {
    while (!quoted && !cur.empty() && cur.back() == ' ') cur.pop_back();
    if (any) {
      if (cur == "$user") cur = sv != nullptr && !sv->user.empty() ? sv->user : "strata";
      out.push_back(cur);
    }
    cur.clear();
    any = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cur.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cur.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
      any = true;
    } else if (c == ',') {
      flush();
    } else if (c == ' ' && !any) {
      continue;
    } else {
      cur.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));  // as PostgreSQL splits the list
      any = true;
    }
  }
  flush();
  return out;
}

}  // namespace

std::vector<std::string> SearchPath(const CatalogVersion& cat, const SessionValues* sv) {
  std::vector<std::string> path;
  if (sv != nullptr && !sv->temp_schema.empty() && SchemaExists(cat, sv->temp_schema)) path.push_back(sv->temp_schema);
  for (auto& s : SettingSchemas(sv)) {
    if (s == "pg_temp" || s == "pg_catalog") continue;  // searched anyway
    if (IsTempSchema(s)) continue;                       // the session's own comes first; others' are private
    if (SchemaExists(cat, s)) path.push_back(std::move(s));
  }
  return path;
}

const catalog::Table* LookupTable(const CatalogVersion& cat, const SessionValues* sv, const std::string& schema,
                                  const std::string& name) {
  if (!schema.empty()) {
    if (schema == "pg_temp" && sv != nullptr) return FindTable(cat, sv->temp_schema, name);
    if (IsTempSchema(schema) && sv != nullptr && !IsOwnTempSchema(sv, schema)) {
      FailAt(sqlstate::kFeatureNotSupported, "cannot access temporary tables of other sessions");
    }
    return FindTable(cat, schema, name);
  }
  for (const std::string& s : SearchPath(cat, sv)) {
    if (const catalog::Table* t = FindTable(cat, s, name)) return t;
  }
  return nullptr;
}

std::string CreationSchema(const CatalogVersion& cat, const SessionValues* sv, const std::string& schema, int location) {
  auto check_temp = [&](const std::string& s) {
    if (IsTempSchema(s) && !IsOwnTempSchema(sv, s)) {
      FailAt(sqlstate::kInvalidTableDefinition, "cannot create relations in temporary schemas of other sessions", location);
    }
  };
  if (!schema.empty()) {
    if (schema == "pg_temp" && sv != nullptr && !sv->temp_schema.empty()) return sv->temp_schema;
    check_temp(schema);
    if (!SchemaExists(cat, schema)) FailAt(sqlstate::kUndefinedSchema, StrCat("schema \"", schema, "\" does not exist"), location);
    return schema;
  }
  for (auto& s : SettingSchemas(sv)) {
    if (s == "pg_temp" && sv != nullptr && !sv->temp_schema.empty()) return sv->temp_schema;
    if (s == "pg_catalog" || !SchemaExists(cat, s)) continue;
    check_temp(s);
    return s;
  }
  FailAt(sqlstate::kUndefinedSchema, "no schema has been selected to create in", location);
}

std::string CurrentSchema(const CatalogVersion& cat, const SessionValues* sv) {
  for (auto& s : SettingSchemas(sv)) {
    if (s != "pg_temp" && SchemaExists(cat, s)) return s;
  }
  return "";
}

}  // namespace strata
