// TextWriter: column-at-a-time value formatting and the per-format field quoting and escaping
// described in text_writer.h.
#include "formats/text_writer.h"

#include <charconv>
#include <cstring>

#include "sql/error.h"
#include "sql/value_text.h"

namespace strata {

namespace {

constexpr size_t kFlushBytes = size_t{1} << 20;

// The letter PostgreSQL's text format writes after a backslash for a control byte, or 0.
char PgControlLetter(unsigned char c) {
  switch (c) {
    case '\b': return 'b';
    case '\f': return 'f';
    case '\n': return 'n';
    case '\r': return 'r';
    case '\t': return 't';
    case '\v': return 'v';
    default: return 0;
  }
}

template <typename T>
void AppendInteger(T value, std::string* out) {
  char buf[24];
  auto result = std::to_chars(buf, buf + sizeof(buf), value);
  out->append(buf, result.ptr);
}

// Calls append(row) for each non-NULL row of [0, rows) and records where each row's text ends.
template <typename Append>
void FormatRows(const Vector& v, size_t rows, std::string* text, std::vector<uint32_t>* ends,
                Append append) {
  const uint8_t* nulls = v.nulls();
  uint32_t* end = ends->data();
  for (size_t r = 0; r < rows; ++r) {
    if (!nulls[r]) append(r);
    end[r] = static_cast<uint32_t>(text->size());
  }
}

// A float's text is a JSON number unless it is NaN or an infinity.
bool IsJsonNumberText(std::string_view s) {
  if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  return !s.empty() && s[0] >= '0' && s[0] <= '9';
}

}  // namespace

TextWriterOptions TextWriterOptions::Text(char delimiter) {
  TextWriterOptions o;
  o.format = Format::kText;
  o.delimiter = delimiter;
  return o;
}

TextWriterOptions TextWriterOptions::PgText() {
  TextWriterOptions o;
  o.format = Format::kPgText;
  o.delimiter = '\t';
  o.null_as = "\\N";
  return o;
}

TextWriterOptions TextWriterOptions::Csv(char delimiter) {
  TextWriterOptions o;
  o.format = Format::kCsv;
  o.delimiter = delimiter;
  return o;
}

TextWriterOptions TextWriterOptions::Json() {
  TextWriterOptions o;
  o.format = Format::kJson;
  return o;
}

TextWriter::TextWriter(ByteSink* sink, std::vector<std::string> names, TextWriterOptions options)
    : sink_(sink), names_(std::move(names)), options_(std::move(options)) {
  for (auto& a : actions_) a = ByteAction::kCopy;
  const auto delimiter = static_cast<unsigned char>(options_.delimiter);
  switch (options_.format) {
    case Format::kText:
      if (options_.escape) {
        for (unsigned char c : {'\n', '\r', '\\'}) actions_[c] = ByteAction::kEscape;
        actions_[delimiter] = ByteAction::kEscape;
        if (options_.add_quotes) {
          actions_['"'] = ByteAction::kEscape;
          actions_['\''] = ByteAction::kEscape;
        }
      }
      break;
    case Format::kPgText:
      for (int c = 0; c < 0x20; ++c) {
        if (PgControlLetter(static_cast<unsigned char>(c)) != 0) actions_[c] = ByteAction::kEscape;
      }
      actions_['\\'] = ByteAction::kEscape;
      actions_[delimiter] = ByteAction::kEscape;
      break;
    case Format::kCsv:
      for (unsigned char c : {'\n', '\r'}) actions_[c] = ByteAction::kQuote;
      actions_[delimiter] = ByteAction::kQuote;
      actions_[static_cast<unsigned char>(options_.quote)] = ByteAction::kQuote;
      break;
    case Format::kJson:
      for (int c = 0; c < 0x20; ++c) actions_[c] = ByteAction::kEscape;
      actions_['"'] = ByteAction::kEscape;
      actions_['\\'] = ByteAction::kEscape;
      for (size_t i = 0; i < names_.size(); ++i) {
        std::string key;
        std::swap(key, out_);
        AppendJsonString(names_[i]);
        std::swap(key, out_);
        key.push_back(':');
        json_keys_.push_back(std::move(key));
      }
      break;
  }
  texts_.resize(names_.size());
  ends_.resize(names_.size());
}

void TextWriter::AppendJsonString(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out_.push_back('"');
  size_t run = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (actions_[c] == ByteAction::kCopy) continue;
    out_.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out_ += "\\\""; break;
      case '\\': out_ += "\\\\"; break;
      case '\n': out_ += "\\n"; break;
      case '\r': out_ += "\\r"; break;
      case '\t': out_ += "\\t"; break;
      case '\b': out_ += "\\b"; break;
      case '\f': out_ += "\\f"; break;
      default:
        out_ += "\\u00";
        out_.push_back(kHex[c >> 4]);
        out_.push_back(kHex[c & 15]);
    }
  }
  out_.append(text.data() + run, text.size() - run);
  out_.push_back('"');
}

void TextWriter::AppendField(std::string_view text, bool escape_it, bool json_quoted) {
  switch (options_.format) {
    case Format::kJson:
      if (json_quoted) {
        AppendJsonString(text);
      } else {
        out_.append(text);
      }
      return;
    case Format::kCsv: {
      bool quote = text.size() == options_.null_as.size() &&
                   std::memcmp(text.data(), options_.null_as.data(), text.size()) == 0;
      for (size_t i = 0; i < text.size() && !quote; ++i) {
        quote = actions_[static_cast<unsigned char>(text[i])] == ByteAction::kQuote;
      }
      if (!quote) {
        out_.append(text);
        return;
      }
      out_.push_back(options_.quote);
      for (char c : text) {
        if (c == options_.quote) out_.push_back(c);
        out_.push_back(c);
      }
      out_.push_back(options_.quote);
      return;
    }
    case Format::kText:
    case Format::kPgText: {
      const bool pg = options_.format == Format::kPgText;
      if (options_.add_quotes && !pg) out_.push_back('"');
      size_t run = 0;
      if (escape_it) {
        for (size_t i = 0; i < text.size(); ++i) {
          const auto c = static_cast<unsigned char>(text[i]);
          if (actions_[c] == ByteAction::kCopy) continue;
          out_.append(text.data() + run, i - run);
          run = i + 1;
          out_.push_back('\\');
          const char letter = pg ? PgControlLetter(c) : 0;
          out_.push_back(letter != 0 ? letter : static_cast<char>(c));
        }
      }
      out_.append(text.data() + run, text.size() - run);
      if (options_.add_quotes && !pg) out_.push_back('"');
      return;
    }
  }
}

void TextWriter::WriteHeader() {
  header_done_ = true;
  if (!options_.header || options_.format == Format::kJson) return;
  for (size_t c = 0; c < names_.size(); ++c) {
    if (c > 0) out_.push_back(options_.delimiter);
    AppendField(names_[c], options_.format == Format::kPgText || options_.escape, false);
  }
  out_.push_back('\n');
}

void TextWriter::FormatColumn(const Vector& v, size_t rows, size_t c) {
  std::string* text = &texts_[c];
  std::vector<uint32_t>* ends = &ends_[c];
  text->clear();
  ends->resize(rows);
  const bool json = options_.format == Format::kJson;
  const SqlType& type = v.type();
  switch (type.id) {
    case TypeId::kBool: {
      const uint8_t* data = v.data<uint8_t>();
      const std::string_view yes = json ? "true" : "t", no = json ? "false" : "f";
      FormatRows(v, rows, text, ends, [&](size_t r) { text->append(data[r] ? yes : no); });
      break;
    }
    case TypeId::kInt16: {
      const int16_t* data = v.data<int16_t>();
      FormatRows(v, rows, text, ends, [&](size_t r) { AppendInteger(data[r], text); });
      break;
    }
    case TypeId::kInt32:
    case TypeId::kDate:
      if (type.id == TypeId::kDate) {
        const int32_t* data = v.data<int32_t>();
        FormatRows(v, rows, text, ends, [&](size_t r) { AppendDate(data[r], text); });
      } else {
        const int32_t* data = v.data<int32_t>();
        FormatRows(v, rows, text, ends, [&](size_t r) { AppendInteger(data[r], text); });
      }
      break;
    case TypeId::kInt64: {
      const int64_t* data = v.data<int64_t>();
      FormatRows(v, rows, text, ends, [&](size_t r) { AppendInteger(data[r], text); });
      break;
    }
    case TypeId::kTimestamp: {
      const int64_t* data = v.data<int64_t>();
      FormatRows(v, rows, text, ends, [&](size_t r) { AppendTimestamp(data[r], text); });
      break;
    }
    case TypeId::kTimestampTz: {
      const int64_t* data = v.data<int64_t>();
      FormatRows(v, rows, text, ends, [&](size_t r) { AppendTimestampTz(data[r], text); });
      break;
    }
    case TypeId::kDecimal:
      if (v.physical() == PhysicalType::kInt64) {
        const int64_t* data = v.data<int64_t>();
        FormatRows(v, rows, text, ends, [&](size_t r) { AppendDecimal(data[r], type.scale, text); });
      } else {
        const int128* data = v.data<int128>();
        FormatRows(v, rows, text, ends, [&](size_t r) { AppendDecimal(data[r], type.scale, text); });
      }
      break;
    case TypeId::kSuper:
    case TypeId::kVarchar:
    case TypeId::kText: {
      const std::string_view* data = v.data<std::string_view>();
      FormatRows(v, rows, text, ends, [&](size_t r) { text->append(data[r]); });
      break;
    }
    case TypeId::kFloat32:
    case TypeId::kFloat64:
    case TypeId::kInterval:
    case TypeId::kTime:
    case TypeId::kTimeTz:
    case TypeId::kChar:  // padded to its length, as PostgreSQL prints it
      FormatRows(v, rows, text, ends, [&](size_t r) { AppendValueText(v, r, text); });
      break;
    case TypeId::kNull:
      FormatRows(v, rows, text, ends, [](size_t) {});
      break;
  }
}

void TextWriter::Write(const Batch& batch) {
  STRATA_CHECK(batch.columns.size() == names_.size());
  if (!header_done_) WriteHeader();
  const size_t rows = batch.rows;
  const size_t ncols = names_.size();
  for (size_t c = 0; c < ncols; ++c) FormatColumn(batch.columns[c], rows, c);

  // Per column: whether values go through the escaping scan, and how JSON writes them.
  enum class JsonKind : uint8_t { kBare, kQuoted, kFloat };
  std::vector<uint8_t> escape(ncols);
  std::vector<JsonKind> json_kind(ncols);
  for (size_t c = 0; c < ncols; ++c) {
    const SqlType& t = batch.columns[c].type();
    escape[c] = options_.format == Format::kPgText || options_.format == Format::kCsv ||
                (options_.format == Format::kText && options_.escape && t.is_string());
    json_kind[c] = t.is_float() ? JsonKind::kFloat
                   : (t.is_numeric() || t.id == TypeId::kBool) ? JsonKind::kBare
                                                               : JsonKind::kQuoted;
  }

  for (size_t r = 0; r < rows; ++r) {
    if (options_.format == Format::kJson) {
      out_.push_back('{');
      bool first = true;
      for (size_t c = 0; c < ncols; ++c) {
        if (batch.columns[c].IsNull(r)) continue;
        const uint32_t begin = r == 0 ? 0 : ends_[c][r - 1];
        const std::string_view text(texts_[c].data() + begin, ends_[c][r] - begin);
        if (!first) out_.push_back(',');
        first = false;
        out_ += json_keys_[c];
        const bool quoted = json_kind[c] == JsonKind::kQuoted ||
                            (json_kind[c] == JsonKind::kFloat && !IsJsonNumberText(text));
        AppendField(text, true, quoted);
      }
      out_ += "}\n";
    } else {
      for (size_t c = 0; c < ncols; ++c) {
        if (c > 0) out_.push_back(options_.delimiter);
        if (batch.columns[c].IsNull(r)) {
          out_ += options_.null_as;
          continue;
        }
        const uint32_t begin = r == 0 ? 0 : ends_[c][r - 1];
        AppendField(std::string_view(texts_[c].data() + begin, ends_[c][r] - begin), escape[c], false);
      }
      out_.push_back('\n');
    }
    if (out_.size() >= kFlushBytes) Flush();
  }
  rows_written_ += static_cast<int64_t>(rows);
}

void TextWriter::Flush() {
  if (out_.empty()) return;
  sink_->Append(out_);
  out_.clear();
}

void TextWriter::Finish() {
  if (!header_done_) WriteHeader();
  Flush();
  sink_->Finish();
}

}  // namespace strata
