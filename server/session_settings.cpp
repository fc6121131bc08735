// SessionSettings: values, RESET values, transaction-block undo and ParameterStatus tracking.
#include "server/session_settings.h"

#include <algorithm>
#include <cctype>

#include "server/server_options.h"
#include "server/setting_definitions.h"
#include "sql/error.h"
#include "sql/sqlstate.h"

namespace strata {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "myapp.flag": a custom placeholder setting, which PostgreSQL accepts under any prefix.
bool IsCustomName(const std::string& name) {
  size_t dot = name.find('.');
  return dot != std::string::npos && dot > 0 && dot + 1 < name.size();
}

[[noreturn]] void Unrecognized(const std::string& name) {
  throw SqlError(sqlstate::kUndefinedObject, StrCat("unrecognized configuration parameter \"", name, "\""));
}

}  // namespace

SessionSettings::SessionSettings(const std::map<std::string, std::string>& startup, const std::string& user,
                                 const std::string& server_version, bool superuser) {
  for (const SettingDef& def : SettingDefinitions()) values_[Lower(def.name)] = def.boot;
  values_["server_version"] = server_version;
  values_["is_superuser"] = superuser ? "on" : "off";
  values_["session_authorization"] = user;
  // The server's own options (--port, --wlm-config ...): shown, never set (55P02).
  for (const OptionValue& v : ProcessOptions()) values_.emplace(v.name, ShownValue(v));
  // PostgreSQL's "options" startup parameter (libpq's PGOPTIONS): "-c name=value" or
  // "--name=value" switches, separated by spaces ("\ " is a space inside a value).
  std::map<std::string, std::string> given = startup;
  if (auto options = startup.find("options"); options != startup.end()) {
    std::vector<std::string> words(1);
    for (size_t i = 0; i < options->second.size(); ++i) {
      const char c = options->second[i];
      if (c == '\\' && i + 1 < options->second.size()) {
        words.back() += options->second[++i];
      } else if (c == ' ' || c == '\t') {
        if (!words.back().empty()) words.emplace_back();
      } else {
        words.back() += c;
      }
    }
    for (size_t i = 0; i < words.size(); ++i) {
      std::string setting;
      if (words[i] == "-c" && i + 1 < words.size()) {
        setting = words[++i];
      } else if (words[i].rfind("-c", 0) == 0 && words[i].size() > 2 && words[i][2] != '-') {
        setting = words[i].substr(2);
      } else if (words[i].rfind("--", 0) == 0) {
        setting = words[i].substr(2);
      }
      const size_t eq = setting.find('=');
      if (eq == std::string::npos || eq == 0) continue;
      std::string name = setting.substr(0, eq);
      for (char& ch : name) if (ch == '-') ch = '_';
      given[name] = setting.substr(eq + 1);
    }
  }
  for (const auto& [name, value] : given) {
    std::string key = Lower(name);
    const SettingDef* def = FindSetting(key);
    if (def == nullptr || def->kind == SettingKind::kReadOnly || key == "session_authorization") continue;
    try {
      values_[key] = NormalizeSetting(*def, key, value, values_[key]);
    } catch (const SqlError&) {
      // A client's bad startup option is ignored rather than refusing the connection.
    }
  }
  reset_ = values_;
  for (const auto& [name, value] : InitialReports()) reported_[name] = value;
}

std::string SessionSettings::Set(const std::string& name, const std::optional<std::string>& value, bool is_local,
                                 bool in_block) {
  const SettingDef* def = FindSetting(name);
  if (def == nullptr && FindProcessOption(name) != nullptr) {
    throw SqlError(sqlstate::kCantChangeRuntimeParam,
                   StrCat("parameter \"", name, "\" cannot be changed without restarting the server"));
  }
  if (def == nullptr && !IsCustomName(name)) Unrecognized(name);
  auto current = values_.find(name);
  std::string now = current == values_.end() ? "" : current->second;
  std::string next;
  if (def != nullptr && def->kind == SettingKind::kReadOnly) NormalizeSetting(*def, name, now, now);  // throws 55P02
  if (value) {
    next = def != nullptr ? NormalizeSetting(*def, name, *value, now) : *value;
  } else {
    auto it = reset_.find(name);
    next = it == reset_.end() ? "" : it->second;
  }
  if (is_local && !in_block) return "SET LOCAL can only be used in transaction blocks";
  Store(name, std::move(next), is_local, in_block);
  return "";
}

void SessionSettings::ResetAll(bool in_block) {
  for (const auto& [name, value] : reset_) {
    const SettingDef* def = FindSetting(name);
    if (def != nullptr && def->kind == SettingKind::kReadOnly) continue;
    if (values_[name] != value) Store(name, value, false, in_block);
  }
}

void SessionSettings::Store(const std::string& key, std::string value, bool is_local, bool in_block) {
  auto it = values_.find(key);
  std::optional<std::string> before;
  if (it != values_.end()) before = it->second;
  if (in_block) {
    at_begin_.emplace(key, before);
    if (is_local) {
      after_commit_.emplace(key, before);
    } else {
      after_commit_[key] = value;
    }
  }
  values_[key] = std::move(value);
  ++generation_;
}

void SessionSettings::EndTransaction(bool committed) {
  if (!at_begin_.empty() || !after_commit_.empty()) ++generation_;
  for (const auto& [key, value] : committed ? after_commit_ : at_begin_) {
    if (value) {
      values_[key] = *value;
    } else {
      values_.erase(key);
    }
  }
  at_begin_.clear();
  after_commit_.clear();
}

std::pair<std::string, std::string> SessionSettings::Show(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) Unrecognized(name);
  const SettingDef* def = FindSetting(name);
  return {def != nullptr ? def->name : name, it->second};
}

std::vector<SessionSettings::Row> SessionSettings::ShowAll() const {
  std::vector<Row> rows;
  for (const auto& [key, value] : values_) {
    const SettingDef* def = FindSetting(key);
    const OptionValue* option = def == nullptr ? FindProcessOption(key) : nullptr;
    rows.push_back({def != nullptr ? def->name : key, value,
                    def != nullptr ? def->description : option != nullptr ? option->def->help : ""});
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return Lower(a.name) < Lower(b.name); });
  return rows;
}

int64_t SessionSettings::statement_timeout_ms() const {
  auto it = values_.find("statement_timeout");
  return it == values_.end() ? 0 : MillisecondsOf(it->second);
}

int64_t SessionSettings::lock_timeout_ms() const {
  auto it = values_.find("lock_timeout");
  return it == values_.end() ? 0 : MillisecondsOf(it->second);
}

int64_t SessionSettings::query_memory_bytes() const {
  auto it = values_.find("query_memory");
  return it == values_.end() ? 0 : BytesOf(it->second);
}

int SessionSettings::stage_pipelining() const {
  auto it = values_.find("stage_pipelining");
  if (it == values_.end() || it->second == "auto") return -1;
  return it->second == "on" ? 1 : 0;
}

bool SessionSettings::spectrum_enabled() const {
  auto it = values_.find("spectrum_enable");
  return it == values_.end() || it->second == "on";
}

std::vector<std::pair<std::string, std::string>> SessionSettings::TakeReports() {
  std::vector<std::pair<std::string, std::string>> out;
  if (reported_generation_ == generation_) return out;  // nothing changed since the last look
  reported_generation_ = generation_;
  for (const SettingDef& def : SettingDefinitions()) {
    if (!def.report) continue;
    const std::string& value = values_.at(Lower(def.name));
    auto it = reported_.find(def.name);
    if (it != reported_.end() && it->second == value) continue;
    reported_[def.name] = value;
    out.emplace_back(def.name, value);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> SessionSettings::InitialReports() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const SettingDef& def : SettingDefinitions()) {
    if (def.report) out.emplace_back(def.name, values_.at(Lower(def.name)));
  }
  return out;
}

}  // namespace strata
