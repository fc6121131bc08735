// The delimited-text reader: buffered pread, record and field splitting (text and CSV), batch
// parsing and error reporting. The format and the contract are described in the header.
#include "formats/delimited_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

#include "formats/field_batch.h"
#include "io/object_store.h"

namespace strata {

namespace {

constexpr size_t kMaxBufferSize = size_t{4} << 20;
constexpr size_t kMinBufferSize = size_t{64} << 10;
// How far past the end of its range a reader reads ahead (to finish its last line).
constexpr int64_t kReadTail = int64_t{64} << 10;
constexpr int64_t kMinRangeBytes = int64_t{8} << 20;

}  // namespace

DelimitedReader::DelimitedReader(std::string path, int64_t begin, int64_t end,
                                 std::vector<SqlType> types, DelimitedOptions options,
                                 RejectHook on_reject)
    : DelimitedReader(OpenObjectStore(path, ObjectStoreConfig{})->OpenRead(path), begin, end, std::move(types),
                      std::move(options), std::move(on_reject)) {}

DelimitedReader::DelimitedReader(std::unique_ptr<ByteSource> source, int64_t begin, int64_t end,
                                 std::vector<SqlType> types, DelimitedOptions options,
                                 RejectHook on_reject)
    : source_(std::move(source)), begin_(std::max<int64_t>(begin, 0)), end_(end),
      types_(std::move(types)), options_(std::move(options)), on_reject_(std::move(on_reject)),
      ncols_(static_cast<int>(types_.size())) {
  STRATA_CHECK(ncols_ > 0);
  TextNullRules rules{options_.null_as, options_.empty_as_null, options_.blanks_as_null,
                      options_.trim_blanks, options_.truncate_columns};
  parsers_.reserve(types_.size());
  for (const SqlType& type : types_) parsers_.emplace_back(type, rules);

  // Small ranges and files get a small buffer; it grows if one record needs more. A source of
  // unknown size (a decompressing stream) gets the largest.
  int64_t size = source_->Size();
  int64_t span = size < 0 ? static_cast<int64_t>(kMaxBufferSize) : size - begin_ + 1;
  if (end_ >= 0) span = std::min<int64_t>(span, end_ - begin_ + kReadTail);
  capacity_ = std::clamp<size_t>(static_cast<size_t>(std::max<int64_t>(span, 0)), kMinBufferSize,
                                 kMaxBufferSize);
  buffer_.reset(new char[capacity_]);
  if (options_.csv || options_.escape) scratch_.reset(new char[capacity_]);
  fields_.resize(kBatchSize * static_cast<size_t>(ncols_));
  rows_.resize(kBatchSize);
}

DelimitedReader::~DelimitedReader() = default;

void DelimitedReader::Refill() {
  char* buf = buffer_.get();
  if (pos_ > 0) {
    std::memmove(buf, buf + pos_, filled_ - pos_);
    buffer_offset_ += static_cast<int64_t>(pos_);
    filled_ -= pos_;
    pos_ = 0;
  }
  if (filled_ == capacity_) {  // one record fills the buffer: double it
    size_t grown = capacity_ * 2;
    std::unique_ptr<char[]> bigger(new char[grown]);
    std::memcpy(bigger.get(), buf, filled_);
    buffer_ = std::move(bigger);
    if (scratch_) scratch_.reset(new char[grown]);  // empty between batches
    capacity_ = grown;
    buf = buffer_.get();
  }
  const int64_t file_pos = buffer_offset_ + static_cast<int64_t>(filled_);
  size_t want = capacity_ - filled_;
  if (end_ >= 0) {
    int64_t needed = std::max<int64_t>(end_ - file_pos, 0) + kReadTail;
    want = std::min<size_t>(want, static_cast<size_t>(needed));
  }
  size_t n = source_->ReadAt(file_pos, buf + filled_, want);
  if (n == 0) eof_ = true;
  filled_ += n;
}

void DelimitedReader::SeekFirstRecord() {
  started_ = true;
  if (begin_ > 0) {
    // The first record is the first line start at or after begin: after the first newline at
    // or after begin - 1.
    buffer_offset_ = begin_ - 1;
    for (;;) {
      Refill();
      const void* nl = std::memchr(buffer_.get() + pos_, '\n', filled_ - pos_);
      if (nl != nullptr) {
        pos_ = static_cast<const char*>(nl) - buffer_.get() + 1;
        break;
      }
      pos_ = filled_;
      if (eof_) break;
    }
  }
  first_record_offset_ = consumed_offset_ = buffer_offset_ + static_cast<int64_t>(pos_);
  if (first_record_offset_ == 0) base_line_ = 1;
  if (options_.ignore_header > 0) {
    if (first_record_offset_ == 0) {
      header_left_ = options_.ignore_header;
    } else {
      int64_t before = CountNewlinesBefore(first_record_offset_, options_.ignore_header);
      if (before < options_.ignore_header) {
        header_left_ = options_.ignore_header - before;
        base_line_ = before + 1;
      }
    }
  }
}

int64_t DelimitedReader::CountNewlinesBefore(int64_t offset, int64_t stop_after) {
  constexpr size_t kChunk = size_t{1} << 20;
  std::unique_ptr<char[]> chunk(new char[kChunk]);
  int64_t count = 0;
  int64_t pos = 0;
  while (pos < offset && count < stop_after) {
    size_t want = static_cast<size_t>(std::min<int64_t>(kChunk, offset - pos));
    size_t n = source_->ReadAt(pos, chunk.get(), want);
    if (n == 0) break;
    const char* p = chunk.get();
    const char* end = p + n;
    while (const void* nl = std::memchr(p, '\n', end - p)) {
      ++count;
      p = static_cast<const char*>(nl) + 1;
    }
    pos += n;
  }
  return count;
}

int64_t DelimitedReader::BaseLine() {
  if (base_line_ < 0) {
    base_line_ = 1 + CountNewlinesBefore(first_record_offset_, std::numeric_limits<int64_t>::max());
  }
  return base_line_;
}

DelimitedReader::Split DelimitedReader::SplitRecord(size_t row) {
  const char* buf = buffer_.get();
  const char* p = buf + pos_;
  const char* end = buf + filled_;
  if (end_ >= 0 && buffer_offset_ + static_cast<int64_t>(pos_) >= end_) return Split::kEnd;
  if (p == end) return eof_ ? Split::kEnd : Split::kNeedMore;
  const char* nl = static_cast<const char*>(std::memchr(p, '\n', end - p));
  if (nl == nullptr && !eof_) return Split::kNeedMore;
  const char* record_end = nl != nullptr ? nl : end;
  if (header_left_ > 0) {  // IGNOREHEADER counts physical lines, quoted or not
    --header_left_;
    ++next_line_;
    pos_ = (nl != nullptr ? nl + 1 : end) - buf;
    consumed_offset_ = buffer_offset_ + static_cast<int64_t>(pos_);
    return Split::kSkip;
  }
  if (options_.ignore_blank_lines && (record_end == p || (record_end - p == 1 && *p == '\r'))) {
    ++next_line_;
    pos_ = (nl != nullptr ? nl + 1 : end) - buf;
    consumed_offset_ = buffer_offset_ + static_cast<int64_t>(pos_);
    return Split::kSkip;
  }
  if (options_.csv && std::memchr(p, options_.quote, record_end - p) != nullptr) {
    return SplitQuotedRecord(row, p);
  }
  if (options_.escape && std::memchr(p, '\\', record_end - p) != nullptr) {
    return SplitEscapedRecord(row, p);
  }
  pos_ = (nl != nullptr ? nl + 1 : end) - buf;
  consumed_offset_ = buffer_offset_ + static_cast<int64_t>(pos_);
  if (record_end > p && record_end[-1] == '\r') --record_end;  // CRLF line ends
  rows_[row] = {p, static_cast<uint32_t>(record_end - p), next_line_++};

  FieldRef* fields = &fields_[row * ncols_];
  const char delimiter = options_.delimiter;
  int count = 0;
  const char* field = p;
  const char* field_end;
  for (;;) {
    const char* d = static_cast<const char*>(std::memchr(field, delimiter, record_end - field));
    field_end = d != nullptr ? d : record_end;
    if (count < ncols_) fields[count] = {field, static_cast<uint32_t>(field_end - field), 0};
    ++count;
    if (d == nullptr) break;
    field = d + 1;
  }
  return CheckFieldCount(row, count, field_end == field) ? Split::kRow : Split::kError;
}

// PostgreSQL's CSV rules: a quote anywhere starts a quoted section, inside which delimiters
// and newlines are data and a doubled quote is one quote; the unquoted text is copied into
// scratch_ so the field is contiguous.
void DelimitedReader::EndRecord(size_t row, const char* start, const char* record_end, const char* next,
                                char* scratch_end, int64_t embedded_newlines) {
  scratch_used_ = scratch_end - scratch_.get();
  pos_ = next - buffer_.get();
  consumed_offset_ = buffer_offset_ + static_cast<int64_t>(pos_);
  rows_[row] = {start, static_cast<uint32_t>(record_end - start), next_line_};
  next_line_ += 1 + embedded_newlines;
}

DelimitedReader::Split DelimitedReader::SplitQuotedRecord(size_t row, const char* start) {
  const char* buf = buffer_.get();
  const char* end = buf + filled_;
  const char quote = options_.quote;
  const char delimiter = options_.delimiter;
  char* out = scratch_.get() + scratch_used_;
  char* field_begin = out;
  uint8_t flags = 0;
  bool in_quote = false;
  bool unquoted_cr = false;  // the last byte copied was an unquoted '\r'
  bool last_empty = false;
  int64_t embedded_newlines = 0;
  int count = 0;
  FieldRef* fields = &fields_[row * ncols_];
  auto finish_field = [&]() {
    if (count < ncols_) fields[count] = {field_begin, static_cast<uint32_t>(out - field_begin), flags};
    last_empty = out == field_begin && flags == 0;
    ++count;
    field_begin = out;
    flags = 0;
  };
  const char* i = start;
  const char* record_end;
  for (;;) {
    if (i == end) {
      if (!eof_) return Split::kNeedMore;  // nothing committed yet: retried after a refill
      if (unquoted_cr) --out;
      finish_field();
      record_end = end;
      break;
    }
    const char c = *i;
    if (in_quote) {
      if (c == quote) {
        if (i + 1 == end && !eof_) return Split::kNeedMore;
        if (i + 1 < end && i[1] == quote) {
          *out++ = quote;
          i += 2;
        } else {
          in_quote = false;
          ++i;
        }
      } else {
        embedded_newlines += c == '\n';
        *out++ = c;
        ++i;
      }
      unquoted_cr = false;
    } else if (c == quote) {
      in_quote = true;
      flags |= kFieldQuoted;
      unquoted_cr = false;
      ++i;
    } else if (c == delimiter) {
      finish_field();
      unquoted_cr = false;
      ++i;
    } else if (c == '\n') {
      if (unquoted_cr) --out;
      finish_field();
      record_end = i++;
      break;
    } else {
      unquoted_cr = c == '\r';
      *out++ = c;
      ++i;
    }
  }
  EndRecord(row, start, record_end, i, out, embedded_newlines);
  if (in_quote) {
    for (int c = std::min(count, ncols_); c < ncols_; ++c) fields[c] = {nullptr, 0, kFieldMissing};
    AddRowIssue(row, std::min(count, ncols_ + 1),
                SqlError(sqlstate::kBadCopyFileFormat, "unterminated CSV quoted field"));
    return on_reject_ ? Split::kRow : Split::kError;
  }
  return CheckFieldCount(row, count, last_empty) ? Split::kRow : Split::kError;
}

// Backslash escapes (Redshift's ESCAPE, PostgreSQL's text format): the byte after a backslash
// is data even when it is the delimiter, a newline or a backslash. With pg_escapes, \t \n \r
// \b \f \v stand for their control characters as PostgreSQL writes them. "\N" is kept as
// written, so that NULL AS '\N' still recognises it.
DelimitedReader::Split DelimitedReader::SplitEscapedRecord(size_t row, const char* start) {
  const char* buf = buffer_.get();
  const char* end = buf + filled_;
  const char delimiter = options_.delimiter;
  char* out = scratch_.get() + scratch_used_;
  char* field_begin = out;
  bool last_empty = false;
  int64_t embedded_newlines = 0;
  int count = 0;
  FieldRef* fields = &fields_[row * ncols_];
  auto finish_field = [&]() {
    if (count < ncols_) fields[count] = {field_begin, static_cast<uint32_t>(out - field_begin), 0};
    last_empty = out == field_begin;
    ++count;
    field_begin = out;
  };
  const char* i = start;
  const char* record_end;
  for (;;) {
    if (i == end) {
      if (!eof_) return Split::kNeedMore;
      if (out > field_begin && out[-1] == '\r') --out;
      finish_field();
      record_end = end;
      break;
    }
    const char c = *i;
    if (c == '\\') {
      if (i + 1 == end) {
        if (!eof_) return Split::kNeedMore;
        ++i;
        continue;
      }
      char n = i[1];
      i += 2;
      if (n == 'N') {
        *out++ = '\\';
        *out++ = 'N';
        continue;
      }
      if (options_.pg_escapes) {
        switch (n) {
          case 't': n = '\t'; break;
          case 'n': n = '\n'; break;
          case 'r': n = '\r'; break;
          case 'b': n = '\b'; break;
          case 'f': n = '\f'; break;
          case 'v': n = '\v'; break;
          default: break;
        }
      }
      embedded_newlines += n == '\n' && i[-1] == '\n';
      *out++ = n;
    } else if (c == delimiter) {
      finish_field();
      ++i;
    } else if (c == '\n') {
      if (out > field_begin && out[-1] == '\r') --out;
      finish_field();
      record_end = i++;
      break;
    } else {
      *out++ = c;
      ++i;
    }
  }
  EndRecord(row, start, record_end, i, out, embedded_newlines);
  return CheckFieldCount(row, count, last_empty) ? Split::kRow : Split::kError;
}

bool DelimitedReader::CheckFieldCount(size_t row, int count, bool last_field_empty) {
  if (count == ncols_) return true;
  if (count == ncols_ + 1 && options_.allow_trailing_delimiter && last_field_empty) return true;
  if (count < ncols_) {
    FieldRef* fields = &fields_[row * ncols_];
    for (int c = count; c < ncols_; ++c) fields[c] = {nullptr, 0, kFieldMissing};
    if (options_.fill_record) return true;
    AddRowIssue(row, count + 1,
                SqlError(sqlstate::kBadCopyFileFormat, StrCat("missing data for column ", count + 1)));
  } else {
    AddRowIssue(row, ncols_ + 1,
                SqlError(sqlstate::kBadCopyFileFormat, "extra data after last expected column"));
  }
  return on_reject_ != nullptr;
}

void DelimitedReader::AddRowIssue(size_t row, int column, SqlError error) {
  Issue issue{static_cast<uint32_t>(row), true, column, std::move(error)};
  if (on_reject_) {
    issues_.push_back(std::move(issue));
  } else {
    deferred_ = std::make_unique<Issue>(std::move(issue));
  }
}

size_t DelimitedReader::ParseBatch(size_t rows, Batch* out) {
  FieldBatch batch{types_, parsers_, fields_, on_reject_, failures_, issues_, deferred_, skip_row_};
  return ParseFieldBatch(batch, rows, [&](size_t row) {
    const RowInfo& info = rows_[row];
    return RecordOrigin{BaseLine() + info.line, std::string(info.raw, info.raw_size)};
  }, out);
}

bool DelimitedReader::Next(Batch* out) {
  if (!started_) SeekFirstRecord();
  while (!done_) {
    size_t rows = 0;
    scratch_used_ = 0;
    issues_.clear();
    bool stop = false;
    while (rows < kBatchSize && !stop) {
      switch (SplitRecord(rows)) {
        case Split::kRow: ++rows; break;
        case Split::kSkip: break;
        case Split::kNeedMore:
          if (rows > 0) stop = true;  // keep the batch's fields valid: refill next time
          else Refill();
          break;
        case Split::kError: stop = true; break;
        case Split::kEnd: done_ = true; stop = true; break;
      }
    }
    if (rows == 0 && deferred_ == nullptr) continue;
    size_t kept = ParseBatch(rows, out);
    if (kept > 0) {
      rows_read_ += static_cast<int64_t>(kept);
      return true;
    }
  }
  *out = Batch(types_);
  return false;
}

std::vector<std::pair<int64_t, int64_t>> SplitRanges(int64_t size, int parts) {
  if (size <= 0) return {{0, 0}};
  parts = std::max(parts, 1);
  const int64_t chunk = std::max<int64_t>((size + parts - 1) / parts, kMinRangeBytes);
  std::vector<std::pair<int64_t, int64_t>> ranges;
  for (int64_t b = 0; b < size; b += chunk) ranges.emplace_back(b, std::min(b + chunk, size));
  return ranges;
}

}  // namespace strata
