// Cutting SQL files into statements (see sql_script.h).
#include "tests/tpch/sql_script.h"

#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace strata::tpch {
namespace {

std::string Trim(const std::string& s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

std::string Lower(const std::string& s) {
  std::string out = s;
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string ReadTextFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::string> SplitStatements(const std::string& text) {
  std::vector<std::string> statements;
  std::string current;
  char quote = 0;  // ' or " while inside a quoted literal or identifier
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote != 0) {
      current += c;
      if (c == quote) quote = 0;  // a doubled quote re-enters on the next character
      continue;
    }
    if (c == '-' && i + 1 < text.size() && text[i + 1] == '-') {
      while (i < text.size() && text[i] != '\n') ++i;
      current += '\n';
      continue;
    }
    if (c == '\'' || c == '"') quote = c;
    if (c == ';') {
      std::string statement = Trim(current);
      if (!statement.empty()) statements.push_back(statement);
      current.clear();
      continue;
    }
    current += c;
  }
  std::string statement = Trim(current);
  if (!statement.empty()) statements.push_back(statement);
  return statements;
}

bool HasTopLevelOrderBy(const std::string& statement) {
  std::string flat;
  int depth = 0;
  char quote = 0;
  for (char c : Lower(statement)) {
    if (quote != 0) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (depth == 0) {
      flat += std::isspace(static_cast<unsigned char>(c)) ? ' ' : c;
    }
  }
  std::string collapsed;
  for (char c : flat) {
    if (c == ' ' && !collapsed.empty() && collapsed.back() == ' ') continue;
    collapsed += c;
  }
  return collapsed.find(" order by ") != std::string::npos;
}

bool ReturnsRows(const std::string& statement) {
  std::string head = Lower(statement.substr(0, 8));
  return head.rfind("select", 0) == 0 || head.rfind("with", 0) == 0 ||
         head.rfind("values", 0) == 0;
}

}  // namespace strata::tpch
