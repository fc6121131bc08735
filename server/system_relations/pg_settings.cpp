// pg_settings: every setting SHOW ALL lists (server/setting_definitions.h) with the reading
// session's value, plus the read-only limits pgjdbc asks for, the server's own options
// (server/server_options.h: context postmaster, with the source, file and line each came from)
// and any custom (dotted) setting the session made.
#include <cctype>
#include <map>

#include "server/server_options.h"
#include "server/setting_definitions.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

// PostgreSQL's array text of a setting's choices: {a,"b c"}.
std::string ChoicesArray(const std::string& choices) {
  std::string out = "{";
  size_t at = 0;
  while (at <= choices.size()) {
    size_t comma = choices.find(',', at);
    if (comma == std::string::npos) comma = choices.size();
    std::string item = choices.substr(at, comma - at);
    if (out.size() > 1) out += ",";
    out += item.find(' ') == std::string::npos ? item : "\"" + item + "\"";
    at = comma + 1;
  }
  return out + "}";
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

void Rows(const SystemRelationContext& ctx, Batch* out) {
  RowWriter w(out);
  const SessionValues* sv = ctx.session;
  auto current = [&](const std::string& lower) -> const std::string* {
    if (sv == nullptr || sv->settings == nullptr) return nullptr;
    auto it = sv->settings->find(lower);
    return it == sv->settings->end() ? nullptr : &it->second;
  };
  struct Row {
    std::string name, setting;
    CatalogValue unit = kNullValue;
    std::string category, description, context, vartype, source;
    CatalogValue min = kNullValue, max = kNullValue, enumvals = kNullValue;
    std::string boot;
    CatalogValue sourcefile = kNullValue, sourceline = kNullValue;
  };
  std::map<std::string, Row> rows;  // by lowercased name: PostgreSQL lists them case-insensitively sorted
  for (const SettingDef& def : SettingDefinitions()) {
    Row r;
    r.name = def.name;
    const std::string* now = current(Lower(def.name));
    r.setting = now != nullptr ? *now : def.boot;
    r.boot = def.boot;
    r.description = def.description;
    bool read_only = def.kind == SettingKind::kReadOnly;
    r.category = read_only ? "Preset Options" : "Client Connection Defaults";
    r.context = read_only ? "internal" : "user";
    r.vartype = "string";
    switch (def.kind) {
      case SettingKind::kBool: r.vartype = "bool"; break;
      case SettingKind::kInteger:
        r.vartype = "integer";
        r.min = S(std::to_string(def.min));
        r.max = S(std::to_string(def.max));
        break;
      case SettingKind::kMilliseconds:
        r.vartype = "integer";
        r.unit = S("ms");
        r.min = S(std::to_string(def.min));
        r.max = S(std::to_string(def.max));
        r.setting = std::to_string(MillisecondsOf(r.setting));
        r.boot = std::to_string(MillisecondsOf(r.boot));
        break;
      case SettingKind::kEnum:
        r.vartype = "enum";
        r.enumvals = S(ChoicesArray(def.choices));
        break;
      case SettingKind::kReadOnly:
        if (r.boot == "on" || r.boot == "off") r.vartype = "bool";
        break;
      default: break;
    }
    r.source = read_only || r.setting == r.boot ? "default" : "session";
    rows[Lower(def.name)] = std::move(r);
  }
  for (auto [name, value] : {std::pair<const char*, const char*>{"max_index_keys", "32"},
                             {"max_identifier_length", "63"}, {"server_version_num", "150000"}}) {
    Row r{name, value, kNullValue, "Preset Options", "", "internal", "integer", "default"};
    r.min = S(value);
    r.max = S(value);
    r.boot = value;
    rows.emplace(name, std::move(r));
  }
  for (const OptionValue& o : ProcessOptions()) {
    Row r{o.name, ShownValue(o), kNullValue, "Strata Server Options", o.def->help, "postmaster", "string", o.source};
    if (o.def->arg == nullptr) r.vartype = "bool";
    r.boot = o.def->def;
    if (o.source == "configuration file") {
      r.sourcefile = S(o.file);
      r.sourceline = I(o.line);
    }
    rows.emplace(o.name, std::move(r));
  }
  if (sv != nullptr && sv->settings != nullptr) {
    for (const auto& [k, v] : *sv->settings) {
      if (rows.count(k) == 0) rows[k] = Row{k, v, kNullValue, "Customized Options", "", "user", "string", "session"};
    }
  }
  for (const auto& [key, r] : rows) {
    w.Add({S(r.name), S(r.setting), r.unit, S(r.category), S(r.description), kNullValue, S(r.context), S(r.vartype),
           S(r.source), r.min, r.max, r.enumvals, S(r.boot), S(r.setting), r.sourcefile, r.sourceline, B(false)});
  }
}

const SystemRelationRegistrar kPgSettings(
    "pg_settings", 12013,
    "name:t setting:t unit:t category:t short_desc:t extra_desc:t context:t vartype:t source:t min_val:t "
    "max_val:t enumvals:a boot_val:t reset_val:t sourcefile:t sourceline:i pending_restart:b",
    Rows);

}  // namespace
}  // namespace strata
