// Redshift's SUPER values: any JSON value (null, boolean, number, string, array, object), held
// as canonical JSON text — minified, numbers and strings as written. Everything that reads or
// builds a SUPER value goes through here: JSON_PARSE, navigation (s.a.b[0]), the lax casts to
// and from SQL types, dynamic-typed comparison, and the JSON functions over VARCHAR
// (json_extract_path_text and friends), which parse their text the same way.
//
// Canonical text is what makes the rest cheap: the kind of a value is its first byte, and a
// member or element is a slice of its container's text, found by skipping over the text (no
// tree is built). Parsing and validation use simdjson.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace strata {

// The most deeply nested arrays and objects a SUPER value may have (Redshift's limit).
inline constexpr int kMaxSuperDepth = 1000;

enum class SuperKind : uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };

// The kind of canonical SUPER text (read off its first byte).
SuperKind KindOfSuper(std::string_view super);
// JSON_TYPEOF's names: "null", "boolean", "number", "string", "array", "object".
const char* SuperKindName(SuperKind kind);

// Parses JSON text into canonical SUPER text. Returns false with a message in *error when the
// text is not one valid JSON value (or nests deeper than kMaxSuperDepth).
bool ParseJsonToSuper(std::string_view json, std::string* canonical, std::string* error);

// A SQL string as a SUPER string scalar (JSON-quoted, escaped).
void AppendSuperString(std::string_view s, std::string* out);

// The text of a SUPER string scalar without quotes and escapes (`super` must be a string).
std::string SuperStringValue(std::string_view super);

// One step of navigation: the member `key` of an object, or element `index` of an array.
// Returns the member's canonical text, or nullopt when the value is not an object / array or
// has no such member / element (Redshift's lax navigation: NULL, not an error).
std::optional<std::string_view> SuperMember(std::string_view super, std::string_view key);
std::optional<std::string_view> SuperElement(std::string_view super, int64_t index);
// Member `index` (0-based, in written order) of an object: its name (escapes resolved) and
// value; false when not an object or no such member. SuperObjectSize counts the members.
bool SuperMemberAt(std::string_view super, int64_t index, std::string* key, std::string_view* value);
std::optional<int64_t> SuperObjectSize(std::string_view super);
// The number of elements of an array (nullopt when not an array).
std::optional<int64_t> SuperArrayLength(std::string_view super);
// Calls fn(element) for each element of an array, in order; false when `super` is not an array.
template <typename Fn>
bool ForEachSuperElement(std::string_view super, Fn fn);
// The position just past the canonical value starting at super[pos].
size_t SkipSuperValue(std::string_view super, size_t pos);

// A SUPER number as a double / as an integer (nullopt when it is not a number, or for the
// integer form when it has a fraction or exponent or does not fit int64).
std::optional<double> SuperNumberAsDouble(std::string_view super);
std::optional<int64_t> SuperNumberAsInt64(std::string_view super);
// True when the number is written without fraction or exponent.
bool SuperNumberIsInteger(std::string_view super);

// Dynamic-typed comparison (Redshift's rules): numbers compare by value, strings by their text
// (trailing blanks ignored, as CHAR/VARCHAR compare), booleans false < true, arrays and
// objects are equal only when deeply equal (members in any order, numbers by value). Returns nullopt when the
// two values are of kinds that cannot be compared (or either is JSON null); -1 / 0 / 1
// otherwise, and 2 for arrays or objects that differ (equal or not, but never ordered).
std::optional<int> CompareSuper(std::string_view a, std::string_view b);

template <typename Fn>
bool ForEachSuperElement(std::string_view s, Fn fn) {
  if (s.size() < 2 || s[0] != '[') return false;
  if (s[1] == ']') return true;
  for (size_t pos = 1;;) {
    size_t end = SkipSuperValue(s, pos);
    fn(s.substr(pos, end - pos));
    if (end >= s.size() || s[end] != ',') return true;
    pos = end + 1;
  }
}

}  // namespace strata
