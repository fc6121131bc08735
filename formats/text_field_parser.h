// Turning the text fields of one column of a loaded file into typed values: the per-type fast
// paths that keep COPY fast, and the rules for NULLs and blanks that Redshift's COPY applies.
//
// A column is parsed for a whole batch at once (the type switch is hoisted out of the row loop).
// Each field first meets the NULL rules, then its type's fast path: std::from_chars for
// integers and floats, an exact hand-written path for DECIMAL(p,s) ("-123.45": sign, digits, one
// point), a fixed-layout path for DATE 'YYYY-MM-DD' and TIMESTAMP 'YYYY-MM-DD HH:MM:SS', and a
// byte-length check for CHAR(n)/VARCHAR(n). Anything a fast path does not recognise goes to
// sql/value_text's ParseValueText, which is the definition of the accepted syntax and of every
// error: a fast path either produces exactly ParseValueText's value or declines.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sql/error.h"
#include "sql/types.h"
#include "sql/vector.h"

namespace strata {

// One field of one record, pointing into the reader's buffer (or its unquoting scratch space).
struct FieldRef {
  const char* data = nullptr;
  uint32_t size = 0;
  uint8_t flags = 0;  // kFieldQuoted | kFieldMissing
};
// The field was (partly) quoted in CSV: it is never NULL AS, even when its text matches.
inline constexpr uint8_t kFieldQuoted = 1;
// The record had too few fields and the reject hook chose to keep it: the field loads as NULL.
inline constexpr uint8_t kFieldMissing = 2;

// Redshift's NULL rules for text input. `null_as` matches unquoted fields exactly. An empty or
// all-blank field of a non-string column is always NULL (Redshift loads it so); for CHAR,
// VARCHAR and TEXT that happens only with EMPTYASNULL / BLANKSASNULL. TRIMBLANKS removes
// trailing blanks from VARCHAR and TEXT fields (CHAR drops trailing spaces anyway).
struct TextNullRules {
  std::string null_as = "\\N";
  bool empty_as_null = false;
  bool blanks_as_null = false;
  bool trim_blanks = false;
  bool truncate = false;  // TRUNCATECOLUMNS: cut CHAR/VARCHAR values to the column's length
};

// A field that did not parse: its row within the batch and the error ParseValueText raised.
struct FieldFailure {
  uint32_t row;
  SqlError error;
};

class ColumnTextParser {
 public:
  ColumnTextParser(const SqlType& type, TextNullRules rules);

  // Parses rows [0, rows) of one column, field r being fields[r * stride], into out (already
  // sized to at least `rows`), setting each row's NULL flag. A field that fails is stored as
  // NULL and appended to `failures`; with `stop_at_first` parsing stops right after it.
  void Parse(const FieldRef* fields, size_t stride, size_t rows, Vector* out, bool stop_at_first,
             std::vector<FieldFailure>* failures) const;

 private:
  enum class Kind : uint8_t {
    kBool, kInt16, kInt32, kInt64, kDecimal64, kDecimal128, kFloat32, kFloat64,
    kChar, kVarchar, kText, kDate, kTimestamp,
    kOther,  // no fast path: every field through ParseValueText (interval, time, timetz)
  };
  template <Kind K>
  void ParseTyped(const FieldRef* fields, size_t stride, size_t rows, Vector* out,
                  bool stop_at_first, std::vector<FieldFailure>* failures) const;
  // The slow path for one field: blank checks, then ParseValueText. Returns false on failure.
  bool ParseSlow(std::string_view text, Vector* out, size_t row, std::vector<FieldFailure>* failures) const;

  SqlType type_;
  TextNullRules rules_;
  Kind kind_;
  int precision_ = 0;  // DECIMAL, with Strata's default applied
};

// The fast paths, exposed so tests can hold them against ParseValueText. Each returns false
// (declines) for anything outside its simple syntax, and for values it cannot decide exactly.
bool FastParseDecimal(std::string_view text, int precision, int scale, int128* out);
bool FastParseDate(std::string_view text, int32_t* days);
bool FastParseTimestamp(std::string_view text, int64_t* micros);

}  // namespace strata
