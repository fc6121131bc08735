// Reading and writing PostgreSQL array literals; the format is described in the header.
#include "sql/pg_array_literal.h"

#include "sql/error.h"

namespace strata {

namespace {

bool IsArraySpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

bool IsNullWord(std::string_view s) {
  if (s.size() != 4) return false;
  const char* w = "NULL";
  for (size_t i = 0; i < 4; ++i) {
    char c = s[i];
    if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
    if (c != w[i]) return false;
  }
  return true;
}

}  // namespace

void ArrayLiteralReader::Malformed() const {
  STRATA_USER_ERROR(sqlstate::kInvalidTextRepresentation, "malformed array literal: \"", text_, "\"");
}

void ArrayLiteralReader::ResetVector(std::string_view text) {
  text_ = text;
  pos_ = 0;
  vector_ = true;
  while (pos_ < text_.size() && IsArraySpace(text_[pos_])) ++pos_;
  done_ = pos_ >= text_.size();
}

void ArrayLiteralReader::Reset(std::string_view text) {
  text_ = text;
  pos_ = 0;
  vector_ = false;
  while (pos_ < text_.size() && IsArraySpace(text_[pos_])) ++pos_;
  if (pos_ >= text_.size() || text_[pos_] != '{') Malformed();
  ++pos_;
  size_t p = pos_;
  while (p < text_.size() && IsArraySpace(text_[p])) ++p;
  done_ = p < text_.size() && text_[p] == '}';
  if (done_) {
    for (++p; p < text_.size(); ++p) {
      if (!IsArraySpace(text_[p])) Malformed();
    }
  }
}

bool ArrayLiteralReader::Next(std::string_view* value, bool* is_null) {
  if (done_) return false;
  if (vector_) {
    size_t end = pos_;
    while (end < text_.size() && !IsArraySpace(text_[end])) ++end;
    *value = text_.substr(pos_, end - pos_);
    *is_null = false;
    pos_ = end;
    while (pos_ < text_.size() && IsArraySpace(text_[pos_])) ++pos_;
    done_ = pos_ >= text_.size();
    return true;
  }
  scratch_.clear();
  bool literal = false;  // quoted or escaped bytes seen: never a NULL, never trimmed
  size_t keep = 0;       // scratch_ length up to its last byte that is not trailing whitespace
  while (pos_ < text_.size() && IsArraySpace(text_[pos_])) ++pos_;
  for (;;) {
    if (pos_ >= text_.size()) Malformed();
    char c = text_[pos_];
    if (c == ',' || c == '}') break;
    if (c == '{') Malformed();  // nested (multi-dimensional) arrays are not supported
    if (c == '"') {
      literal = true;
      for (++pos_;; ++pos_) {
        if (pos_ >= text_.size()) Malformed();
        char q = text_[pos_];
        if (q == '"') break;
        if (q == '\\') {
          if (++pos_ >= text_.size()) Malformed();
          q = text_[pos_];
        }
        scratch_.push_back(q);
      }
      keep = scratch_.size();
    } else if (c == '\\') {
      if (++pos_ >= text_.size()) Malformed();
      literal = true;
      scratch_.push_back(text_[pos_]);
      keep = scratch_.size();
    } else {
      scratch_.push_back(c);
      if (!IsArraySpace(c)) keep = scratch_.size();
    }
    ++pos_;
  }
  scratch_.resize(keep);
  if (scratch_.empty() && !literal) Malformed();  // an empty unquoted element: {a,,b} or {a,}
  if (text_[pos_] == '}') {
    done_ = true;
    for (size_t p = pos_ + 1; p < text_.size(); ++p) {
      if (!IsArraySpace(text_[p])) Malformed();
    }
  }
  ++pos_;
  *is_null = !literal && IsNullWord(scratch_);
  *value = scratch_;
  return true;
}

size_t ArrayLiteralReader::CountRemaining() {
  size_t n = 0;
  std::string_view v;
  bool is_null;
  while (Next(&v, &is_null)) ++n;
  return n;
}

void AppendArrayElement(std::string_view element, std::string* out) {
  bool quote = element.empty() || IsNullWord(element);
  for (char c : element) {
    if (c == '{' || c == '}' || c == ',' || c == '"' || c == '\\' || IsArraySpace(c)) {
      quote = true;
      break;
    }
  }
  if (!quote) {
    out->append(element);
    return;
  }
  out->push_back('"');
  for (char c : element) {
    if (c == '"' || c == '\\') out->push_back('\\');
    out->push_back(c);
  }
  out->push_back('"');
}

}  // namespace strata
