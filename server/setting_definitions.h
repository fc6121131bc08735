// The table of configuration parameters a session knows (SHOW ALL lists them) and the checks
// that turn a SET value into the text PostgreSQL 15 would show for it. Kept apart from
// SessionSettings so that the rules for each kind of value can be read in one place.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace strata {

enum class SettingKind {
  kText,          // any string, stored as given
  kBool,          // on/off/true/false/yes/no/1/0 and prefixes, shown as "on" / "off"
  kInteger,       // an integer within [min, max]
  kMilliseconds,  // an integer number of ms or a number with a unit (us, ms, s, min, h, d)
  kDateStyle,     // "ISO, MDY": output style and field order
  kEncoding,      // UTF8 only (utf8, utf-8, unicode...)
  kTimeZone,      // UTC and GMT in canonical case; anything else stored as given
  kEnum,          // one of `choices` (comma separated), case-insensitively
  kReadOnly,      // SET fails with 55P02
  kMemorySize,    // bytes, or a number with kB, MB, GB or TB; shown as "64MB"
};

struct SettingDef {
  const char* name;  // canonical spelling: "DateStyle"
  SettingKind kind;
  const char* boot;  // the built-in default
  const char* description;
  bool report = false;  // GUC_REPORT: changes are sent as ParameterStatus
  int64_t min = 0, max = 0;
  const char* choices = "";
};

// Every known setting.
std::span<const SettingDef> SettingDefinitions();
// The definition for a lowercased name, or nullptr.
const SettingDef* FindSetting(const std::string& lowercased_name);
// Checks `value` for `def` and returns its normalised text; `name` is the name as written
// (for messages), `current` the value it replaces (DateStyle keeps the part a new value
// leaves out). Throws SqlError 22023 / 55P02.
std::string NormalizeSetting(const SettingDef& def, const std::string& name, const std::string& value,
                             const std::string& current);
// A kMilliseconds value's text ("5s", "1500ms", "0") back to milliseconds.
int64_t MillisecondsOf(const std::string& shown);
// A kMemorySize value's text ("64MB", "0") back to bytes.
int64_t BytesOf(const std::string& shown);

}  // namespace strata
