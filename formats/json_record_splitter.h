// Finding where each JSON record of a load file begins and ends, before any JSON is parsed, so
// that a malformed record costs only itself: the records after it still load.
//
// A load file holds JSON objects (or arrays) one after another: usually one per line (NDJSON),
// but records may also span lines (pretty-printed) or share one ("{...}{...}"). The splitter
// skips whitespace, then follows brackets and braces (outside strings, honouring backslash
// escapes) until the depth returns to zero: that span is a record. It does not check grammar;
// simdjson does that per record. Recovery from damage is by line:
//   * a record that does not start with '{' or '[' is malformed up to the end of its line;
//   * a record still open at the end of the file, or longer than the size limit (Redshift's is
//     4 MB), is malformed up to the end of its first line, and splitting resumes there.
#pragma once

#include <cstddef>
#include <cstdint>

namespace strata {

// Redshift's limit on one JSON object or array, braces included.
inline constexpr size_t kMaxJsonRecordBytes = size_t{4} << 20;

struct JsonSplit {
  enum class Kind { kRecord, kMalformed, kNeedMore, kEnd };
  Kind kind = Kind::kEnd;
  size_t begin = 0;          // the record's (or the malformed text's) first byte
  size_t end = 0;            // one past its last byte
  size_t next = 0;           // where the next search starts
  int64_t lines_before = 0;  // newlines in [search start, begin)
  int64_t lines_within = 0;  // newlines in [begin, next)
  const char* problem = nullptr;  // kMalformed: what is wrong, for the error message
};

// Looks for the next record in data[0, size). `eof` says no more bytes follow `size`; without
// it, a record that may continue past `size` yields kNeedMore (nothing is consumed).
// kEnd means only whitespace remained (and eof).
JsonSplit FindJsonRecord(const char* data, size_t size, bool eof,
                         size_t max_record = kMaxJsonRecordBytes);

}  // namespace strata
