// Parsing of JSONPath expressions and jsonpaths files (see json_path.h for the syntax).
#include "formats/json_path.h"

#include <simdjson.h>

#include "sql/error.h"

namespace strata {

namespace {

[[noreturn]] void BadPath(std::string_view text, std::string_view why) {
  STRATA_USER_ERROR(sqlstate::kInvalidParameterValue, "invalid JSONPath expression \"", text,
                    "\": ", why);
}

}  // namespace

std::string JsonPath::ToJsonPointer() const {
  std::string out;
  for (const JsonPathStep& step : steps) {
    out.push_back('/');
    if (step.is_index) {
      out += std::to_string(step.index);
      continue;
    }
    for (char c : step.name) {
      if (c == '~') {
        out += "~0";
      } else if (c == '/') {
        out += "~1";
      } else {
        out.push_back(c);
      }
    }
  }
  return out;
}

JsonPath ParseJsonPath(std::string_view text) {
  JsonPath path;
  path.text = std::string(text);
  if (text.empty() || text[0] != '$') BadPath(text, "it must start with '$'");
  size_t i = 1;
  while (i < text.size()) {
    JsonPathStep step;
    if (text[i] == '.') {
      size_t start = ++i;
      while (i < text.size() && text[i] != '.' && text[i] != '[') ++i;
      if (i == start) BadPath(text, "empty member name after '.'");
      step.name = std::string(text.substr(start, i - start));
      if (step.name == "*") BadPath(text, "wildcards are not supported");
    } else if (text[i] == '[') {
      ++i;
      if (i < text.size() && (text[i] == '\'' || text[i] == '"')) {
        const char quote = text[i];
        size_t start = ++i;
        while (i < text.size() && text[i] != quote) ++i;
        if (i + 1 >= text.size() || text[i + 1] != ']') BadPath(text, "unterminated bracket");
        step.name = std::string(text.substr(start, i - start));
        i += 2;
      } else {
        size_t start = i;
        uint64_t index = 0;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
          index = index * 10 + static_cast<uint64_t>(text[i] - '0');
          if (index > UINT32_MAX) BadPath(text, "array index out of range");
          ++i;
        }
        if (i == start) BadPath(text, "array index must be a non-negative integer");
        if (i >= text.size() || text[i] != ']') BadPath(text, "unterminated bracket");
        ++i;
        step.is_index = true;
        step.index = static_cast<uint32_t>(index);
      }
    } else {
      BadPath(text, StrCat("unexpected character '", text[i], "'"));
    }
    path.steps.push_back(std::move(step));
  }
  return path;
}

std::vector<JsonPath> ParseJsonPaths(std::string_view file_text) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(file_text);
  simdjson::dom::element root;
  if (auto error = parser.parse(padded).get(root)) {
    STRATA_USER_ERROR(sqlstate::kInvalidParameterValue, "invalid jsonpaths file: ",
                      simdjson::error_message(error));
  }
  simdjson::dom::array list;
  if (root.at_key("jsonpaths").get_array().get(list)) {
    STRATA_USER_ERROR(sqlstate::kInvalidParameterValue,
                      "invalid jsonpaths file: it must be an object with a \"jsonpaths\" array");
  }
  std::vector<JsonPath> paths;
  for (simdjson::dom::element item : list) {
    std::string_view text;
    if (item.get_string().get(text)) {
      STRATA_USER_ERROR(sqlstate::kInvalidParameterValue,
                        "invalid jsonpaths file: every JSONPath expression must be a string");
    }
    paths.push_back(ParseJsonPath(text));
  }
  if (paths.empty()) {
    STRATA_USER_ERROR(sqlstate::kInvalidParameterValue,
                      "invalid jsonpaths file: the \"jsonpaths\" array is empty");
  }
  return paths;
}

}  // namespace strata
