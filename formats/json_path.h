// JSONPath expressions of COPY ... JSON 's3://.../jsonpaths.json': the small subset Redshift
// accepts, one expression per target column, that picks a value out of each JSON record.
//
// Syntax: '$' followed by steps, each a member in dot notation (.name), a member in bracket
// notation (['name'] or ["name"]) or an array element ([3]); no wildcards, slices or filters.
// Example: "$.customer['first name'].phones[0]" has steps customer, first name, phones, 0.
// The jsonpaths file itself is a JSON object {"jsonpaths": ["$.a", "$['b'].c", ...]}.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

struct JsonPathStep {
  bool is_index = false;
  std::string name;    // a member name (is_index false)
  uint32_t index = 0;  // an array element (is_index true)
};

struct JsonPath {
  std::string text;  // as written, for error messages
  std::vector<JsonPathStep> steps;

  // The same path as an RFC 6901 JSON pointer ("/customer/first name/phones/0"), the form
  // simdjson navigates by; "" for "$" itself.
  std::string ToJsonPointer() const;
};

// Parses one expression; throws SqlError 22023 (invalid_parameter_value) naming it if invalid.
JsonPath ParseJsonPath(std::string_view text);

// Parses the text of a jsonpaths file. Throws 22023 when it is not valid JSON, has no
// "jsonpaths" array of strings, or any expression is invalid.
std::vector<JsonPath> ParseJsonPaths(std::string_view file_text);

}  // namespace strata
