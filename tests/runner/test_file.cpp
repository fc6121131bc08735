// Parser for sqllogictest records: a header line, then SQL lines up to a blank line (or, for a
// query, up to `----` and then the expected rows up to a blank line).
#include "test_file.h"

#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace strata::sqltest {
namespace {

std::string Trim(const std::string& s) {
  size_t begin = 0;
  size_t end = s.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(s[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(s[end - 1]))) --end;
  return s.substr(begin, end - begin);
}

std::vector<std::string> SplitWords(const std::string& s) {
  std::vector<std::string> words;
  std::istringstream in(s);
  std::string word;
  while (in >> word) words.push_back(word);
  return words;
}

bool IsSqlState(const std::string& word) {
  if (word.size() != 5) return false;
  for (char c : word) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && !std::isupper(static_cast<unsigned char>(c)))
      return false;
  }
  return true;
}

// Fills sqlstate and message_regex from what follows the word `error` on a header line.
void ParseErrorExpectation(const std::string& rest, Record& record) {
  std::string trimmed = Trim(rest);
  size_t space = trimmed.find_first_of(" \t");
  std::string first = trimmed.substr(0, space);
  if (IsSqlState(first)) {
    record.sqlstate = first;
    record.message_regex = space == std::string::npos ? "" : Trim(trimmed.substr(space));
  } else {
    record.message_regex = trimmed;
  }
}

class Parser {
 public:
  Parser(const std::string& path, const std::string& text) : path_(path) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      lines_.push_back(line);
    }
  }

  TestFile Parse() {
    TestFile file{path_, {}};
    while (next_ < lines_.size()) {
      const std::string& raw = lines_[next_];
      std::string header = Trim(raw);
      if (header.empty() || header[0] == '#') {
        ++next_;
        continue;
      }
      Record record;
      record.line = static_cast<int>(next_) + 1;
      ++next_;
      ParseHeader(header, record);
      if (record.kind == RecordKind::kHalt) {
        file.records.push_back(std::move(record));
        break;
      }
      if (record.kind != RecordKind::kRestart) ReadBody(record);
      file.records.push_back(std::move(record));
    }
    return file;
  }

 private:
  [[noreturn]] void Fail(int line, const std::string& why) const {
    throw std::runtime_error(path_ + ":" + std::to_string(line) + ": " + why);
  }

  void ParseHeader(const std::string& header, Record& record) const {
    std::vector<std::string> words = SplitWords(header);
    const std::string& verb = words[0];
    if (verb == "restart" || verb == "halt") {
      if (words.size() != 1) Fail(record.line, "'" + verb + "' takes no arguments");
      record.kind = verb == "restart" ? RecordKind::kRestart : RecordKind::kHalt;
      return;
    }
    if (verb != "statement" && verb != "query") Fail(record.line, "unknown record '" + verb + "'");
    if (words.size() < 2) Fail(record.line, "'" + verb + "' needs an argument");
    if (words[1] == "error") {
      record.kind = RecordKind::kError;
      ParseErrorExpectation(header.substr(header.find("error") + 5), record);
      return;
    }
    if (verb == "statement") {
      if (words[1] != "ok" || words.size() != 2) Fail(record.line, "expected 'statement ok' or 'statement error'");
      record.kind = RecordKind::kStatementOk;
      return;
    }
    record.kind = RecordKind::kQuery;
    record.column_types = words[1];
    for (char c : record.column_types) {
      if (c != 'I' && c != 'T' && c != 'R') Fail(record.line, "column types must be letters I, T or R");
    }
    if (words.size() > 3) Fail(record.line, "too many words after 'query'");
    if (words.size() == 3) {
      if (words[2] == "rowsort") {
        record.sort = SortMode::kRowSort;
      } else if (words[2] == "prefix") {
        record.sort = SortMode::kPrefix;
      } else if (words[2] != "nosort") {
        Fail(record.line, "unknown sort mode '" + words[2] + "' (rowsort, nosort or prefix)");
      }
    }
  }

  void ReadBody(Record& record) {
    bool is_query = record.kind == RecordKind::kQuery;
    std::string sql;
    bool saw_separator = false;
    while (next_ < lines_.size() && !Trim(lines_[next_]).empty()) {
      if (lines_[next_] == "----") {
        if (!is_query) Fail(static_cast<int>(next_) + 1, "'----' is only allowed after a query");
        saw_separator = true;
        ++next_;
        break;
      }
      if (!sql.empty()) sql += '\n';
      sql += lines_[next_++];
    }
    if (Trim(sql).empty()) Fail(record.line, "record has no SQL");
    record.sql = sql;
    if (!saw_separator) return;  // a query without `----` expects no rows
    while (next_ < lines_.size() && !lines_[next_].empty()) {
      record.expected_rows.push_back(lines_[next_++]);
    }
  }

  std::string path_;
  std::vector<std::string> lines_;
  size_t next_ = 0;
};

}  // namespace

TestFile ParseTestFile(const std::string& path, const std::string& text) {
  return Parser(path, text).Parse();
}

TestFile LoadTestFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return ParseTestFile(path, text.str());
}

}  // namespace strata::sqltest
