// See hive_partitions.h.
#include "io/hive_partitions.h"

#include <cctype>

namespace strata {

namespace {
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string HiveUnescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      int hi = i + 1 < s.size() ? HexValue(s[i + 1]) : -1;
      int lo = i + 2 < s.size() ? HexValue(s[i + 2]) : -1;
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

std::string HiveEscape(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    bool plain = c >= 0x20 && c < 0x7f && c != '"' && c != '#' && c != '%' && c != '\'' && c != '*' && c != '/' &&
                 c != ':' && c != '=' && c != '?' && c != '\\' && c != '{' && c != '[' && c != ']' && c != '^';
    if (plain) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> HiveFolders(std::string_view relative) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t pos = 0;
  while (pos < relative.size()) {
    size_t slash = relative.find('/', pos);
    if (slash == std::string_view::npos) break;  // the file name
    std::string_view seg = relative.substr(pos, slash - pos);
    pos = slash + 1;
    if (seg.empty()) continue;
    size_t eq = seg.find('=');
    if (eq == std::string_view::npos || eq == 0) break;
    std::string key = HiveUnescape(seg.substr(0, eq));
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.emplace_back(key, HiveUnescape(seg.substr(eq + 1)));
  }
  return out;
}

std::optional<std::vector<std::string>> HivePartitionValues(std::string_view relative, const std::vector<std::string>& keys) {
  auto folders = HiveFolders(relative);
  if (folders.size() < keys.size()) return std::nullopt;
  std::vector<std::string> values;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (folders[i].first != keys[i]) return std::nullopt;
    values.push_back(folders[i].second);
  }
  return values;
}

std::string HiveFolder(std::string_view key, std::string_view value) {
  return HiveEscape(key) + "=" + HiveEscape(value) + "/";
}

std::string WithTrailingSlash(std::string location) {
  while (location.size() > 1 && location.back() == '/' && location[location.size() - 2] == '/') location.pop_back();
  if (location.empty() || location.back() != '/') location.push_back('/');
  return location;
}

}  // namespace strata
