// The bracket-following record splitter described in json_record_splitter.h.
#include "formats/json_record_splitter.h"

#include <algorithm>
#include <cstring>

namespace strata {

namespace {

inline bool IsJsonSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

int64_t CountNewlines(const char* p, size_t n) {
  return static_cast<int64_t>(std::count(p, p + n, '\n'));
}

// Marks [begin, end of begin's line) malformed, resuming after the newline. Without a newline
// in data[begin, size): at eof (or when the limit is passed) everything left is the record;
// otherwise more bytes are needed.
JsonSplit MalformedLine(const char* data, size_t size, bool eof, size_t begin, size_t max_record,
                        const char* problem, JsonSplit split) {
  const void* nl = std::memchr(data + begin, '\n', size - begin);
  if (nl == nullptr) {
    if (!eof && size - begin <= max_record) {
      split.kind = JsonSplit::Kind::kNeedMore;
      return split;
    }
    split.end = size;
    split.next = size;
  } else {
    split.end = static_cast<size_t>(static_cast<const char*>(nl) - data);
    split.next = split.end + 1;
    split.lines_within = 1;
  }
  if (split.end > begin && data[split.end - 1] == '\r') --split.end;
  split.kind = JsonSplit::Kind::kMalformed;
  split.begin = begin;
  split.problem = problem;
  return split;
}

}  // namespace

JsonSplit FindJsonRecord(const char* data, size_t size, bool eof, size_t max_record) {
  JsonSplit split;
  size_t p = 0;
  while (p < size && IsJsonSpace(data[p])) ++p;
  split.lines_before = CountNewlines(data, p);
  if (p == size) {
    split.kind = eof ? JsonSplit::Kind::kEnd : JsonSplit::Kind::kNeedMore;
    split.begin = split.end = split.next = p;
    return split;
  }
  const size_t begin = p;
  if (data[p] != '{' && data[p] != '[') {
    return MalformedLine(data, size, eof, begin, max_record,
                         "a record must be a JSON object or array", split);
  }
  const size_t limit = std::min(size, begin + max_record);
  int depth = 0;
  for (; p < limit; ++p) {
    switch (data[p]) {
      case '"': {
        // Jump to the closing quote: the next '"' not preceded by an odd run of backslashes.
        const char* q = data + p + 1;
        const char* const stop = data + limit;
        while (true) {
          q = static_cast<const char*>(std::memchr(q, '"', static_cast<size_t>(stop - q)));
          if (q == nullptr) break;
          const char* b = q;
          while (b > data + p + 1 && b[-1] == '\\') --b;
          if ((q - b) % 2 == 0) break;
          ++q;
        }
        p = q == nullptr ? limit - 1 : static_cast<size_t>(q - data);
        break;
      }
      case '{':
      case '[': ++depth; break;
      case '}':
      case ']':
        if (--depth == 0) {
          split.kind = JsonSplit::Kind::kRecord;
          split.begin = begin;
          split.end = p + 1;
          split.next = p + 1;
          split.lines_within = CountNewlines(data + begin, split.end - begin);
          return split;
        }
        break;
      default: break;
    }
  }
  // The record is still open where the bytes (or the size limit) end.
  if (limit - begin >= max_record) {
    return MalformedLine(data, size, true, begin, max_record,
                         "a JSON record is larger than 4 MB or is not terminated", split);
  }
  if (!eof) {
    split.kind = JsonSplit::Kind::kNeedMore;
    return split;
  }
  return MalformedLine(data, size, true, begin, max_record, "unterminated JSON record", split);
}

}  // namespace strata
