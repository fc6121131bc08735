// JsonReader: record splitting, the On Demand walk of each record, and per-batch parsing of
// the fields (see json_reader.h for the rules).
#include "formats/json_reader.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <unordered_map>

#include "formats/field_batch.h"
#include "formats/json_record_splitter.h"
#include "formats/text_field_parser.h"

namespace strata {

namespace od = simdjson::ondemand;

namespace {

// The read buffer must hold the largest record plus some: 8 MB against Redshift's 4 MB limit.
constexpr size_t kBufferBytes = size_t{8} << 20;
constexpr size_t kRawLineLimit = 1024;
constexpr size_t kArenaChunk = size_t{1} << 20;

inline char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

// JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
bool IsJsonNumber(std::string_view s) {
  size_t i = 0, n = s.size();
  auto digits = [&] {
    size_t start = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (i < n && s[i] == '-') ++i;
  if (i < n && s[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < n && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == n;
}

std::string_view TrimJsonSpace(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// The record's text for a RejectedRow, cut at 1024 bytes on a UTF-8 character boundary.
std::string RawLine(const char* data, size_t size) {
  if (size <= kRawLineLimit) return std::string(data, size);
  size_t cut = kRawLineLimit;
  while (cut > 0 && (static_cast<unsigned char>(data[cut]) & 0xC0) == 0x80) --cut;
  return std::string(data, cut);
}


struct NameHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// Bytes for the fields of one batch that do not live in the read buffer (unescaped strings,
// minified JSON). Chunks never move, so field references stay valid until Reset().
class FieldArena {
 public:
  char* Allocate(size_t n) {
    while (current_ < chunks_.size() && chunks_[current_].size - used_ < n) {
      ++current_;
      used_ = 0;
    }
    if (current_ == chunks_.size()) {
      size_t size = std::max(kArenaChunk, n);
      chunks_.push_back({std::make_unique<char[]>(size), size});
      used_ = 0;
    }
    char* p = chunks_[current_].data.get() + used_;
    used_ += n;
    return p;
  }
  void Reset() {
    current_ = 0;
    used_ = 0;
  }

 private:
  struct Chunk {
    std::unique_ptr<char[]> data;
    size_t size;
  };
  std::vector<Chunk> chunks_;
  size_t current_ = 0;
  size_t used_ = 0;
};

}  // namespace

struct JsonReader::Impl {
  // One record of the batch being built.
  struct RowInfo {
    const char* raw;
    size_t raw_size;
    int64_t line;
  };
  using Issue = LoadIssue;  // column 0: the whole record

  Impl(ByteSource* source, std::vector<std::string> names, std::vector<SqlType> types,
       JsonOptions options, RejectHook on_reject);

  void Refill();
  bool Next(Batch* out, int64_t* consumed);
  // Walks record `row` into its fields; false when it has a problem and there is no hook.
  bool ProcessRecord(size_t row);
  simdjson::error_code WalkAuto(od::document& doc, size_t row, FieldRef* fields);
  simdjson::error_code WalkPaths(od::document& doc, size_t row, FieldRef* fields);
  simdjson::error_code Extract(od::value& value, int column, size_t row, FieldRef* field);
  simdjson::error_code Validate(od::value& value);
  void AddIssue(size_t row, bool whole_row, int column, SqlError error);
  size_t ParseBatch(size_t rows, Batch* out);

  ByteSource* source_;
  std::vector<SqlType> types_;
  JsonOptions options_;
  RejectHook on_reject_;
  int ncols_;
  std::vector<ColumnTextParser> parsers_;
  std::unordered_map<std::string, int, NameHash, std::equal_to<>> columns_by_name_;
  std::vector<std::string> pointers_;  // kPaths: each column's JSON pointer
  std::string key_scratch_;

  od::parser ondemand_;
  simdjson::dom::parser dom_;  // validates nested values before they are stored as text

  std::unique_ptr<char[]> buffer_;
  size_t capacity_ = 0;
  size_t filled_ = 0;
  size_t pos_ = 0;
  int64_t source_offset_ = 0;
  int64_t line_ = 1;  // the line pos_ is on
  bool eof_ = false;
  bool done_ = false;

  FieldArena arena_;
  std::vector<FieldRef> fields_;  // kBatchSize * ncols_
  std::vector<RowInfo> rows_;
  std::vector<Issue> issues_;
  std::vector<FieldFailure> failures_;
  std::vector<uint8_t> skip_row_;
  std::unique_ptr<Issue> deferred_;  // the first problem without a hook, thrown after the batch
};

JsonReader::Impl::Impl(ByteSource* source, std::vector<std::string> names, std::vector<SqlType> types,
                       JsonOptions options, RejectHook on_reject)
    : source_(source), types_(std::move(types)), options_(std::move(options)),
      on_reject_(std::move(on_reject)), ncols_(static_cast<int>(types_.size())) {
  STRATA_CHECK(names.size() == types_.size());
  TextNullRules rules;
  rules.empty_as_null = options_.empty_as_null;
  rules.blanks_as_null = options_.blanks_as_null;
  rules.trim_blanks = options_.trim_blanks;
  rules.truncate = options_.truncate_columns;
  for (const SqlType& t : types_) parsers_.emplace_back(t, rules);
  if (options_.mode == JsonMode::kPaths) {
    if (options_.paths.size() != types_.size()) {
      STRATA_USER_ERROR(sqlstate::kInvalidParameterValue, "the number of jsonpaths expressions (",
                        options_.paths.size(), ") does not match the number of columns (",
                        types_.size(), ")");
    }
    for (const JsonPath& p : options_.paths) pointers_.push_back(p.ToJsonPointer());
  } else {
    for (int c = 0; c < ncols_; ++c) {
      std::string key = names[c];
      if (options_.mode == JsonMode::kAutoIgnoreCase) {
        std::transform(key.begin(), key.end(), key.begin(), AsciiLower);
      }
      columns_by_name_.emplace(std::move(key), c);
    }
  }
  capacity_ = kBufferBytes;
  const int64_t size = source_->Size();
  if (size >= 0 && static_cast<uint64_t>(size) + 1 < capacity_) capacity_ = static_cast<size_t>(size) + 1;
  buffer_ = std::make_unique<char[]>(capacity_ + simdjson::SIMDJSON_PADDING);
  std::memset(buffer_.get() + capacity_, 0, simdjson::SIMDJSON_PADDING);
  fields_.resize(kBatchSize * static_cast<size_t>(ncols_));
  rows_.resize(kBatchSize);
}

void JsonReader::Impl::Refill() {
  if (pos_ > 0) {
    std::memmove(buffer_.get(), buffer_.get() + pos_, filled_ - pos_);
    filled_ -= pos_;
    pos_ = 0;
  }
  const size_t want = capacity_ - filled_;
  STRATA_CHECK(want > 0);
  const size_t got = source_->ReadAt(source_offset_, buffer_.get() + filled_, want);
  source_offset_ += static_cast<int64_t>(got);
  filled_ += got;
  if (got < want) eof_ = true;
}

void JsonReader::Impl::AddIssue(size_t row, bool whole_row, int column, SqlError error) {
  Issue issue{static_cast<uint32_t>(row), whole_row, column, std::move(error)};
  if (on_reject_) {
    issues_.push_back(std::move(issue));
  } else if (deferred_ == nullptr) {
    deferred_ = std::make_unique<Issue>(std::move(issue));
  }
}

simdjson::error_code JsonReader::Impl::Validate(od::value& value) {
  od::json_type type;
  if (auto e = value.type().get(type)) return e;
  switch (type) {
    case od::json_type::object: {
      od::object object;
      if (auto e = value.get_object().get(object)) return e;
      for (auto member : object) {
        od::field field;
        if (auto e = std::move(member).get(field)) return e;
        std::string_view key;
        if (auto e = field.unescaped_key().get(key)) return e;
        if (auto e = Validate(field.value())) return e;
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::array: {
      od::array array;
      if (auto e = value.get_array().get(array)) return e;
      for (auto element : array) {
        od::value item;
        if (auto e = element.get(item)) return e;
        if (auto e = Validate(item)) return e;
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::string: {
      std::string_view s;
      return value.get_string().get(s);
    }
    case od::json_type::number: {
      const std::string_view token = value.raw_json_token();
      return IsJsonNumber(TrimJsonSpace(token)) ? simdjson::SUCCESS : simdjson::NUMBER_ERROR;
    }
    case od::json_type::boolean: {
      bool b;
      return value.get_bool().get(b);
    }
    case od::json_type::null: {
      bool is_null = false;
      if (auto e = value.is_null().get(is_null)) return e;
      return is_null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    }
  }
  return simdjson::INCORRECT_TYPE;
}

simdjson::error_code JsonReader::Impl::Extract(od::value& value, int column, size_t row,
                                               FieldRef* field) {
  od::json_type type;
  if (auto e = value.type().get(type)) return e;
  switch (type) {
    case od::json_type::string: {
      if (types_[column].id == TypeId::kSuper) {  // a SUPER column keeps the JSON string itself
        const std::string_view token = TrimJsonSpace(value.raw_json_token());
        std::string_view s;
        if (auto e = value.get_string().get(s)) return e;  // validates it
        *field = {token.data(), static_cast<uint32_t>(token.size()), kFieldQuoted};
        return simdjson::SUCCESS;
      }
      std::string_view s;
      if (auto e = value.get_string().get(s)) return e;
      char* copy = arena_.Allocate(s.size());
      std::memcpy(copy, s.data(), s.size());
      *field = {copy, static_cast<uint32_t>(s.size()), kFieldQuoted};
      return simdjson::SUCCESS;
    }
    case od::json_type::number: {
      const std::string_view token = TrimJsonSpace(value.raw_json_token());
      if (!IsJsonNumber(token)) return simdjson::NUMBER_ERROR;
      // The token stays in the read buffer, which does not move during a batch.
      *field = {token.data(), static_cast<uint32_t>(token.size()), kFieldQuoted};
      return simdjson::SUCCESS;
    }
    case od::json_type::boolean: {
      bool b;
      if (auto e = value.get_bool().get(b)) return e;
      static constexpr std::string_view kTrue = "true", kFalse = "false";
      const std::string_view text = b ? kTrue : kFalse;
      *field = {text.data(), static_cast<uint32_t>(text.size()), kFieldQuoted};
      return simdjson::SUCCESS;
    }
    case od::json_type::null: {
      bool is_null = false;
      if (auto e = value.is_null().get(is_null)) return e;
      return is_null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;  // the field stays NULL
    }
    case od::json_type::object:
    case od::json_type::array: {
      std::string_view raw;
      if (type == od::json_type::object) {
        od::object object;
        if (auto e = value.get_object().get(object)) return e;
        if (auto e = object.raw_json().get(raw)) return e;
      } else {
        od::array array;
        if (auto e = value.get_array().get(array)) return e;
        if (auto e = array.raw_json().get(raw)) return e;
      }
      // raw_json() skips the value without checking it: the DOM parser validates it. The
      // text lies inside the padded read buffer, so no copy is needed to parse it.
      simdjson::dom::element element;
      if (auto e = dom_.parse(raw.data(), raw.size(), false).get(element)) return e;
      if (!types_[column].is_string() && types_[column].id != TypeId::kSuper) {
        AddIssue(row, false, column + 1,
                 SqlError(sqlstate::kInvalidTextRepresentation,
                          StrCat("cannot load a JSON ", type == od::json_type::object ? "object" : "array",
                                 " into a column of type ", types_[column].ToString())));
        return simdjson::SUCCESS;
      }
      char* out = arena_.Allocate(raw.size() + simdjson::SIMDJSON_PADDING);
      size_t out_size = 0;
      if (auto e = simdjson::minify(raw.data(), raw.size(), out, out_size)) return e;
      *field = {out, static_cast<uint32_t>(out_size), kFieldQuoted};
      return simdjson::SUCCESS;
    }
  }
  return simdjson::INCORRECT_TYPE;
}

simdjson::error_code JsonReader::Impl::WalkAuto(od::document& doc, size_t row, FieldRef* fields) {
  od::object object;
  if (auto e = doc.get_object().get(object)) return e;
  const bool fold = options_.mode == JsonMode::kAutoIgnoreCase;
  for (auto member : object) {
    od::field field;
    if (auto e = std::move(member).get(field)) return e;
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return e;
    if (fold) {
      key_scratch_.assign(key);
      std::transform(key_scratch_.begin(), key_scratch_.end(), key_scratch_.begin(), AsciiLower);
      key = key_scratch_;
    }
    auto it = columns_by_name_.find(key);
    if (it == columns_by_name_.end()) {
      if (auto e = Validate(field.value())) return e;
    } else {
      // A repeated key: the last one wins.
      fields[it->second] = {nullptr, 0, kFieldMissing};
      if (auto e = Extract(field.value(), it->second, row, &fields[it->second])) return e;
    }
  }
  return simdjson::SUCCESS;
}

simdjson::error_code JsonReader::Impl::WalkPaths(od::document& doc, size_t row, FieldRef* fields) {
  {
    od::value root;
    if (auto e = doc.get_value().get(root)) return e;
    if (auto e = Validate(root)) return e;
  }
  for (int c = 0; c < ncols_; ++c) {
    od::value value;
    auto e = doc.at_pointer(pointers_[c]).get(value);
    if (e == simdjson::NO_SUCH_FIELD || e == simdjson::INDEX_OUT_OF_BOUNDS ||
        e == simdjson::INCORRECT_TYPE || e == simdjson::INVALID_JSON_POINTER) {
      // Not there: NULL. (simdjson says INVALID_JSON_POINTER for a path that continues past
      // a scalar; the pointers themselves are always well formed.)
      continue;
    }
    if (e) return e;
    if (auto e2 = Extract(value, c, row, &fields[c])) return e2;
  }
  return simdjson::SUCCESS;
}

bool JsonReader::Impl::ProcessRecord(size_t row) {
  FieldRef* fields = &fields_[row * ncols_];
  for (int c = 0; c < ncols_; ++c) fields[c] = {nullptr, 0, kFieldMissing};
  const RowInfo& info = rows_[row];
  const size_t capacity = static_cast<size_t>(buffer_.get() + capacity_ + simdjson::SIMDJSON_PADDING - info.raw);
  const size_t issues_before = issues_.size();
  const bool had_deferred = deferred_ != nullptr;

  od::document doc;
  simdjson::error_code e = ondemand_.iterate(info.raw, info.raw_size, capacity).get(doc);
  std::string problem;
  if (!e && options_.mode != JsonMode::kPaths) {
    od::json_type type;
    e = doc.type().get(type);
    if (!e && type != od::json_type::object) problem = "a record must be a JSON object";
  }
  if (!e && problem.empty()) {
    e = options_.mode == JsonMode::kPaths ? WalkPaths(doc, row, fields) : WalkAuto(doc, row, fields);
  }
  if (e) problem = simdjson::error_message(e);
  if (!problem.empty()) {
    // The record as a whole is bad: drop what its fields reported, load it as all NULL.
    issues_.erase(issues_.begin() + static_cast<std::ptrdiff_t>(issues_before), issues_.end());
    if (!had_deferred) deferred_.reset();
    for (int c = 0; c < ncols_; ++c) fields[c] = {nullptr, 0, kFieldMissing};
    AddIssue(row, true, 0, SqlError(sqlstate::kInvalidTextRepresentation, StrCat("invalid JSON: ", problem)));
  }
  return on_reject_ != nullptr || deferred_ == nullptr;
}

size_t JsonReader::Impl::ParseBatch(size_t rows, Batch* out) {
  FieldBatch batch{types_, parsers_, fields_, on_reject_, failures_, issues_, deferred_, skip_row_};
  return ParseFieldBatch(batch, rows, [&](size_t row) {
    const RowInfo& info = rows_[row];
    return RecordOrigin{info.line, RawLine(info.raw, info.raw_size)};
  }, out);
}

bool JsonReader::Impl::Next(Batch* out, int64_t* consumed) {
  while (!done_) {
    size_t rows = 0;
    arena_.Reset();
    issues_.clear();
    bool stop = false;
    while (rows < kBatchSize && !stop) {
      const JsonSplit split = FindJsonRecord(buffer_.get() + pos_, filled_ - pos_, eof_);
      switch (split.kind) {
        case JsonSplit::Kind::kNeedMore:
          if (rows > 0) {
            stop = true;  // keep this batch's references into the buffer valid
          } else {
            Refill();
          }
          continue;
        case JsonSplit::Kind::kEnd:
          pos_ = filled_;
          done_ = true;
          stop = true;
          continue;
        case JsonSplit::Kind::kRecord:
        case JsonSplit::Kind::kMalformed:
          break;
      }
      const int64_t line = line_ + split.lines_before;
      rows_[rows] = {buffer_.get() + pos_ + split.begin, split.end - split.begin, line};
      line_ = line + split.lines_within;
      pos_ += split.next;
      bool usable;
      if (split.kind == JsonSplit::Kind::kRecord) {
        usable = ProcessRecord(rows);
      } else {
        FieldRef* fields = &fields_[rows * ncols_];
        for (int c = 0; c < ncols_; ++c) fields[c] = {nullptr, 0, kFieldMissing};
        AddIssue(rows, true, 0,
                 SqlError(sqlstate::kInvalidTextRepresentation, StrCat("invalid JSON: ", split.problem)));
        usable = on_reject_ != nullptr;
      }
      if (!usable) {
        stop = true;  // without a hook: parse the rows before it, then throw
      } else {
        ++rows;
      }
    }
    *consumed = source_offset_ - static_cast<int64_t>(filled_ - pos_);
    if (rows == 0 && deferred_ == nullptr) continue;
    const size_t kept = ParseBatch(rows, out);
    if (kept > 0) return true;
  }
  *out = Batch(types_);
  return false;
}

JsonReader::JsonReader(ByteSource* source, std::vector<std::string> column_names,
                       std::vector<SqlType> types, JsonOptions options, RejectHook on_reject)
    : impl_(std::make_unique<Impl>(source, std::move(column_names), std::move(types),
                                   std::move(options), std::move(on_reject))) {}

JsonReader::~JsonReader() = default;

bool JsonReader::Next(Batch* out) {
  if (!impl_->Next(out, &consumed_)) return false;
  rows_read_ += static_cast<int64_t>(out->rows);
  return true;
}

}  // namespace strata
