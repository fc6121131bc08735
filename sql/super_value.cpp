#include "sql/super_value.h"

#include <simdjson.h>

#include <charconv>
#include <cstdlib>
#include <cstring>

#include "sql/utf8_validation.h"

namespace strata {

namespace {

// Canonical text is valid, minified JSON: these skip over it without checking.

// The position just past the string starting at s[pos] (a '"').
size_t SkipString(std::string_view s, size_t pos) {
  for (size_t i = pos + 1; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '"') {
      return i + 1;
    }
  }
  return s.size();
}

// The position just past the value starting at s[pos].
size_t SkipValue(std::string_view s, size_t pos) {
  if (pos >= s.size()) return s.size();
  char c = s[pos];
  if (c == '"') return SkipString(s, pos);
  if (c == '{' || c == '[') {
    int depth = 0;
    for (size_t i = pos; i < s.size(); ++i) {
      char d = s[i];
      if (d == '"') {
        i = SkipString(s, i) - 1;
      } else if (d == '{' || d == '[') {
        ++depth;
      } else if (d == '}' || d == ']') {
        if (--depth == 0) return i + 1;
      }
    }
    return s.size();
  }
  size_t i = pos;
  while (i < s.size() && s[i] != ',' && s[i] != ']' && s[i] != '}') ++i;
  return i;
}

uint32_t Hex4(std::string_view s, size_t at) {
  uint32_t v = 0;
  for (size_t i = at; i < at + 4 && i < s.size(); ++i) {
    char c = s[i];
    v = v * 16 + static_cast<uint32_t>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
  }
  return v;
}

// The characters of a JSON string's body (between the quotes), escapes resolved.
void Unescape(std::string_view body, std::string* out) {
  out->clear();
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c != '\\' || i + 1 >= body.size()) {
      out->push_back(c);
      continue;
    }
    char e = body[++i];
    switch (e) {
      case 'b': out->push_back('\b'); break;
      case 'f': out->push_back('\f'); break;
      case 'n': out->push_back('\n'); break;
      case 'r': out->push_back('\r'); break;
      case 't': out->push_back('\t'); break;
      case 'u': {
        uint32_t cp = Hex4(body, i + 1);
        i += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && i + 6 < body.size() && body[i + 1] == '\\' && body[i + 2] == 'u') {
          uint32_t lo = Hex4(body, i + 3);
          if (lo >= 0xDC00 && lo < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            i += 6;
          }
        }
        AppendUtf8(cp, out);
        break;
      }
      default: out->push_back(e); break;  // \" \\ \/
    }
  }
}

std::string_view StringBody(std::string_view super) {
  return super.size() >= 2 ? super.substr(1, super.size() - 2) : std::string_view();
}

}  // namespace

size_t SkipSuperValue(std::string_view super, size_t pos) { return SkipValue(super, pos); }

SuperKind KindOfSuper(std::string_view s) {
  if (s.empty()) return SuperKind::kNull;
  switch (s[0]) {
    case 'n': return SuperKind::kNull;
    case 't': case 'f': return SuperKind::kBool;
    case '"': return SuperKind::kString;
    case '[': return SuperKind::kArray;
    case '{': return SuperKind::kObject;
    default: return SuperKind::kNumber;
  }
}

const char* SuperKindName(SuperKind kind) {
  switch (kind) {
    case SuperKind::kNull: return "null";
    case SuperKind::kBool: return "boolean";
    case SuperKind::kNumber: return "number";
    case SuperKind::kString: return "string";
    case SuperKind::kArray: return "array";
    case SuperKind::kObject: return "object";
  }
  return "null";
}

bool ParseJsonToSuper(std::string_view json, std::string* canonical, std::string* error) {
  thread_local simdjson::dom::parser parser;
  if (parser.max_depth() != static_cast<size_t>(kMaxSuperDepth) + 1 || parser.capacity() < json.size()) {
    if (parser.allocate(std::max<size_t>(json.size(), 4096), kMaxSuperDepth + 1) != simdjson::SUCCESS) {
      *error = "out of memory";
      return false;
    }
  }
  simdjson::dom::element root;
  simdjson::error_code code = parser.parse(json.data(), json.size(), true).get(root);
  if (code != simdjson::SUCCESS) {
    *error = code == simdjson::DEPTH_ERROR ? "nested too deeply" : simdjson::error_message(code);
    return false;
  }
  canonical->resize(json.size());
  size_t length = 0;
  if (simdjson::minify(json.data(), json.size(), canonical->data(), length) != simdjson::SUCCESS) {
    *error = "cannot minify";
    return false;
  }
  canonical->resize(length);
  return true;
}

void AppendSuperString(std::string_view s, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      default:
        if (u < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[u >> 4]);
          out->push_back(kHex[u & 15]);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

std::string SuperStringValue(std::string_view super) {
  std::string_view body = StringBody(super);
  if (body.find('\\') == std::string_view::npos) return std::string(body);
  std::string out;
  Unescape(body, &out);
  return out;
}

std::optional<std::string_view> SuperMember(std::string_view s, std::string_view key) {
  if (s.size() < 2 || s[0] != '{') return std::nullopt;
  std::string unescaped;
  size_t pos = 1;
  while (pos < s.size() && s[pos] == '"') {
    size_t key_end = SkipString(s, pos);
    std::string_view raw = s.substr(pos + 1, key_end - pos - 2);
    bool match;
    if (raw.find('\\') == std::string_view::npos) {
      match = raw == key;
    } else {
      Unescape(raw, &unescaped);
      match = unescaped == key;
    }
    size_t value_at = key_end + 1;  // past ':'
    size_t value_end = SkipValue(s, value_at);
    if (match) return s.substr(value_at, value_end - value_at);
    if (value_end >= s.size() || s[value_end] != ',') break;
    pos = value_end + 1;
  }
  return std::nullopt;
}

bool SuperMemberAt(std::string_view s, int64_t index, std::string* key, std::string_view* value) {
  if (s.size() < 2 || s[0] != '{' || index < 0) return false;
  size_t pos = 1;
  for (int64_t i = 0; pos < s.size() && s[pos] == '"'; ++i) {
    size_t key_end = SkipString(s, pos);
    size_t value_at = key_end + 1;  // past ':'
    size_t value_end = SkipValue(s, value_at);
    if (i == index) {
      *key = SuperStringValue(s.substr(pos, key_end - pos));
      *value = s.substr(value_at, value_end - value_at);
      return true;
    }
    if (value_end >= s.size() || s[value_end] != ',') break;
    pos = value_end + 1;
  }
  return false;
}

std::optional<int64_t> SuperObjectSize(std::string_view s) {
  if (s.size() < 2 || s[0] != '{') return std::nullopt;
  int64_t n = 0;
  size_t pos = 1;
  while (pos < s.size() && s[pos] == '"') {
    ++n;
    size_t value_end = SkipValue(s, SkipString(s, pos) + 1);
    if (value_end >= s.size() || s[value_end] != ',') break;
    pos = value_end + 1;
  }
  return n;
}

std::optional<std::string_view> SuperElement(std::string_view s, int64_t index) {
  if (s.size() < 2 || s[0] != '[' || index < 0 || s[1] == ']') return std::nullopt;
  size_t pos = 1;
  for (int64_t i = 0;; ++i) {
    size_t end = SkipValue(s, pos);
    if (i == index) return s.substr(pos, end - pos);
    if (end >= s.size() || s[end] != ',') return std::nullopt;
    pos = end + 1;
  }
}

std::optional<int64_t> SuperArrayLength(std::string_view s) {
  if (s.size() < 2 || s[0] != '[') return std::nullopt;
  if (s[1] == ']') return 0;
  int64_t n = 0;
  size_t pos = 1;
  while (true) {
    size_t end = SkipValue(s, pos);
    ++n;
    if (end >= s.size() || s[end] != ',') return n;
    pos = end + 1;
  }
}

bool SuperNumberIsInteger(std::string_view s) {
  return KindOfSuper(s) == SuperKind::kNumber && s.find_first_of(".eE") == std::string_view::npos;
}

std::optional<double> SuperNumberAsDouble(std::string_view s) {
  if (KindOfSuper(s) != SuperKind::kNumber) return std::nullopt;
  double v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() && r.ec != std::errc::result_out_of_range) return std::nullopt;
  return v;
}

std::optional<int64_t> SuperNumberAsInt64(std::string_view s) {
  if (!SuperNumberIsInteger(s)) return std::nullopt;
  int64_t v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

namespace {

// Arrays element by element, objects member by member whatever their order, scalars as
// CompareSuper compares them (1 = 1.0).
bool SuperDeepEqual(std::string_view a, std::string_view b) {
  if (a == b) return true;
  SuperKind kind = KindOfSuper(a);
  if (kind != KindOfSuper(b)) return false;
  if (kind == SuperKind::kArray) {
    auto na = SuperArrayLength(a), nb = SuperArrayLength(b);
    if (na != nb) return false;
    for (int64_t i = 0; i < *na; ++i) {
      if (!SuperDeepEqual(*SuperElement(a, i), *SuperElement(b, i))) return false;
    }
    return true;
  }
  if (kind == SuperKind::kObject) {
    auto na = SuperObjectSize(a), nb = SuperObjectSize(b);
    if (na != nb) return false;
    std::string key;
    std::string_view value;
    for (int64_t i = 0; i < *na; ++i) {
      if (!SuperMemberAt(a, i, &key, &value)) return false;
      auto other = SuperMember(b, key);
      if (!other || !SuperDeepEqual(value, *other)) return false;
    }
    return true;
  }
  std::optional<int> c = CompareSuper(a, b);
  return c && *c == 0;
}

}  // namespace

std::optional<int> CompareSuper(std::string_view a, std::string_view b) {
  SuperKind ka = KindOfSuper(a), kb = KindOfSuper(b);
  if (ka != kb || ka == SuperKind::kNull) return std::nullopt;
  switch (ka) {
    case SuperKind::kNumber: {
      auto ia = SuperNumberAsInt64(a), ib = SuperNumberAsInt64(b);
      if (ia && ib) return *ia < *ib ? -1 : *ia > *ib ? 1 : 0;
      auto da = SuperNumberAsDouble(a), db = SuperNumberAsDouble(b);
      if (!da || !db) return std::nullopt;
      return *da < *db ? -1 : *da > *db ? 1 : 0;
    }
    case SuperKind::kBool: return a[0] == b[0] ? 0 : a[0] == 'f' ? -1 : 1;
    case SuperKind::kString: {
      std::string sa = SuperStringValue(a), sb = SuperStringValue(b);
      std::string_view va = sa, vb = sb;
      while (!va.empty() && va.back() == ' ') va.remove_suffix(1);
      while (!vb.empty() && vb.back() == ' ') vb.remove_suffix(1);
      int c = va.compare(vb);
      return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    default: return SuperDeepEqual(a, b) ? 0 : 2;  // arrays and objects: deep equality only
  }
}

}  // namespace strata
