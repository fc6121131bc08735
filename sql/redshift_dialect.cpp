// The Redshift dialect layer (see redshift_dialect.h). Works on scanner tokens, so strings,
// quoted identifiers and comments can never be mistaken for Redshift keywords:
//
//   create table t (a int encode az64 distkey, b varchar(max)) diststyle key sortkey(a, b);
//                         ^^^^^^^^^^^ ^^^^^^^             ^^^  ^^^^^^^^^^^^^ ^^^^^^^^^^^^^
//   lifted column options           rewritten to "999"         lifted table options
//
// Statements are split at ';' tokens; only statements that start CREATE [TEMP] TABLE are
// rewritten (besides VARCHAR(MAX), which is rewritten everywhere), and a CREATE TABLE ... AS
// query is left untouched after its top-level AS.
#include "sql/redshift_dialect.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "sql/error.h"
#include "sql/utf8_validation.h"

namespace strata {

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

namespace {

constexpr size_t kMaxIdentifierBytes = 63;  // PostgreSQL's NAMEDATALEN - 1

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string AsciiUpper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

class Lifter {
 public:
  Lifter(std::string_view sql, std::vector<SqlToken> tokens) : sql_(sql), out_(sql) {
    for (const SqlToken& t : tokens) {
      if (t.cls != SqlTokenClass::kComment) toks_.push_back(t);
    }
  }

  DialectResult Run() {
    DialectResult result;
    size_t begin = 0;
    for (size_t i = 0; i <= toks_.size(); ++i) {
      if (i < toks_.size() && !IsPunct(i, ';')) continue;
      LiftStatement(begin, i, &result);
      begin = i + 1;
    }
    RewriteMaxLengths(&result);
    RewriteApproximateCount();
    RewriteTop(&result);
    RewriteUnnestIndex();
    RewriteSuperArray();
    RewriteUnpivot();
    RewritePivotClauses(&result);
    RewriteConvert();
    result.pg_text = std::move(out_);
    return result;
  }

 private:
  std::string_view Text(size_t i) const {
    if (i >= toks_.size()) return {};
    return sql_.substr(toks_[i].start, toks_[i].end - toks_[i].start);
  }
  bool IsWord(size_t i, std::string_view w) const {
    return i < end_ && toks_[i].cls == SqlTokenClass::kWord && IEquals(Text(i), w);
  }
  bool IsWordToken(size_t i) const { return i < end_ && toks_[i].cls == SqlTokenClass::kWord; }
  bool IsIdent(size_t i) const {
    return i < end_ && (toks_[i].cls == SqlTokenClass::kWord || toks_[i].cls == SqlTokenClass::kQuotedIdent);
  }
  bool IsPunct(size_t i, char c) const {
    return i < toks_.size() && toks_[i].cls == SqlTokenClass::kPunct && Text(i).size() == 1 && Text(i)[0] == c;
  }
  void Blank(size_t i) {
    for (int b = toks_[i].start; b < toks_[i].end; ++b) out_[b] = ' ';
  }
  int PositionOf(size_t i) const {
    int offset = i < toks_.size() ? toks_[i].start : static_cast<int>(sql_.size());
    return CharPositionAt(sql_, offset);
  }
  [[noreturn]] void Fail(const char* state, std::string message, size_t i) const {
    throw SqlError(state, std::move(message), PositionOf(i));
  }
  [[noreturn]] void SyntaxErrorAt(size_t i) const {
    if (i >= toks_.size()) Fail(sqlstate::kSyntaxError, "syntax error at end of input", i);
    Fail(sqlstate::kSyntaxError, StrCat("syntax error at or near \"", Text(i), "\""), i);
  }

  void LiftStatement(size_t begin, size_t end, DialectResult* result) {
    end_ = end;
    if (IsWord(begin, "alter")) {
      LiftAlterAddColumn(begin, result);
      return;
    }
    if (!IsWord(begin, "create")) return;
    // CREATE [OR REPLACE] VIEW ... WITH NO SCHEMA BINDING
    if (end > begin + 4 && IsWord(end - 4, "with") && IsWord(end - 3, "no") && IsWord(end - 2, "schema") &&
        IsWord(end - 1, "binding")) {
      size_t v = begin + 1;
      if (IsWord(v, "or") && IsWord(v + 1, "replace")) v += 2;
      if (IsWord(v, "view")) {
        for (size_t k = end - 4; k < end; ++k) Blank(k);
        result->late_binding_views.push_back(toks_[begin].start);
        return;
      }
    }
    size_t i = begin + 1;
    while (IsWord(i, "temp") || IsWord(i, "temporary") || IsWord(i, "local") || IsWord(i, "global") ||
           IsWord(i, "unlogged")) {
      ++i;
    }
    if (!IsWord(i, "table")) return;
    RedshiftTableOptions options;
    options.create_offset = toks_[begin].start;
    LiftCreateTable(i + 1, &options);
    Validate(&options);
    result->tables.push_back(std::move(options));
  }

  // ALTER TABLE t ADD [COLUMN] c type ... ENCODE e: the column's encoding, as in CREATE TABLE.
  void LiftAlterAddColumn(size_t begin, DialectResult* result) {
    size_t i = begin + 1;
    if (!IsWord(i, "table")) return;
    ++i;
    if (IsWord(i, "if") && IsWord(i + 1, "exists")) i += 2;
    if (!IsIdent(i)) return;
    ++i;
    while (IsPunct(i, '.') && IsIdent(i + 1)) i += 2;
    if (!IsWord(i, "add")) return;
    ++i;
    if (IsWord(i, "column")) ++i;
    if (!IsIdent(i)) return;
    RedshiftTableOptions options;
    options.create_offset = toks_[begin].start;
    std::string column = NormalizeIdentifier(Text(i));
    for (size_t k = i + 1; k < end_; ++k) {
      if (IsWord(k, "encode") && IsWordToken(k + 1)) {
        std::string name = AsciiLower(Text(k + 1));
        if (!IsKnownEncoding(name)) {
          Fail(sqlstate::kSyntaxError, StrCat("unknown compression encoding \"", Text(k + 1), "\""), k + 1);
        }
        options.columns[column].encode = name;
        Blank(k);
        Blank(k + 1);
      } else if (IsWord(k, "identity") && IsPunct(k + 1, '(') && !IsWord(k - 1, "as")) {
        Fail(sqlstate::kFeatureNotSupported, "ALTER TABLE ADD COLUMN cannot add an identity column", k);
      }
    }
    if (!options.columns.empty()) result->tables.push_back(std::move(options));
  }

  // Walks a CREATE TABLE from the token after TABLE to the end of the statement.
  void LiftCreateTable(size_t i, RedshiftTableOptions* options) {
    if (IsWord(i, "if") && IsWord(i + 1, "not") && IsWord(i + 2, "exists")) i += 3;
    if (IsIdent(i)) {
      ++i;
      while (IsPunct(i, '.') && IsIdent(i + 1)) i += 2;
    }
    bool seen_columns = false;
    int depth = 0;
    while (i < end_) {
      if (IsPunct(i, '(')) {
        if (depth == 0 && !seen_columns) {
          seen_columns = true;
          i = LiftColumnList(i, options);
          continue;
        }
        ++depth;
      } else if (IsPunct(i, ')')) {
        --depth;
      } else if (depth == 0) {
        if (IsWord(i, "as")) return;  // CREATE TABLE ... AS query: not ours to touch
        size_t next = LiftTableClause(i, options);
        if (next != i) {
          i = next;
          continue;
        }
      }
      ++i;
    }
  }

  // Lifts one table-level clause starting at token i; returns the index after it, or i when
  // token i starts no Redshift clause.
  size_t LiftTableClause(size_t i, RedshiftTableOptions* options) {
    if (IsWord(i, "diststyle")) {
      if (!IsIdent(i + 1)) SyntaxErrorAt(i + 1);
      std::string style = AsciiUpper(Text(i + 1));
      if (toks_[i + 1].cls != SqlTokenClass::kWord ||
          (style != "EVEN" && style != "KEY" && style != "ALL" && style != "AUTO")) {
        Fail(sqlstate::kSyntaxError,
             StrCat("invalid DISTSTYLE \"", Text(i + 1), "\": expected EVEN, KEY, ALL or AUTO"), i + 1);
      }
      options->diststyle = style;
      diststyle_token_ = i;
      Blank(i);
      Blank(i + 1);
      return i + 2;
    }
    if (IsWord(i, "distkey")) {
      if (!IsPunct(i + 1, '(')) SyntaxErrorAt(i + 1);
      if (!IsIdent(i + 2)) SyntaxErrorAt(i + 2);
      if (!IsPunct(i + 3, ')')) SyntaxErrorAt(i + 3);
      if (!options->distkey.empty()) {
        Fail(sqlstate::kInvalidTableDefinition, "multiple DISTKEY clauses are not allowed", i);
      }
      options->distkey = NormalizeIdentifier(Text(i + 2));
      distkey_token_ = i;
      for (size_t k = i; k < i + 4; ++k) Blank(k);
      return i + 4;
    }
    size_t sortkey = i;
    std::string style;
    if ((IsWord(i, "compound") || IsWord(i, "interleaved")) && IsWord(i + 1, "sortkey")) {
      style = AsciiUpper(Text(i));
      sortkey = i + 1;
    }
    if (IsWord(sortkey, "sortkey")) {
      if (!options->sortkey.empty()) {
        Fail(sqlstate::kInvalidTableDefinition, "multiple SORTKEY clauses are not allowed", i);
      }
      if (IsWord(sortkey + 1, "auto") && style.empty()) {
        for (size_t k = i; k <= sortkey + 1; ++k) Blank(k);
        return sortkey + 2;
      }
      if (!IsPunct(sortkey + 1, '(')) SyntaxErrorAt(sortkey + 1);
      size_t k = sortkey + 2;
      while (true) {
        if (!IsIdent(k)) SyntaxErrorAt(k);
        options->sortkey.push_back(NormalizeIdentifier(Text(k)));
        ++k;
        if (IsPunct(k, ')')) break;
        if (!IsPunct(k, ',')) SyntaxErrorAt(k);
        ++k;
      }
      options->sortstyle = style.empty() ? "COMPOUND" : style;
      sortkey_token_ = i;
      for (size_t b = i; b <= k; ++b) Blank(b);
      return k + 1;
    }
    if (IsWord(i, "backup") || IsWord(i, "encode")) {
      // BACKUP YES|NO and table-level ENCODE AUTO: accepted and ignored.
      bool backup = IsWord(i, "backup");
      if (backup ? !(IsWord(i + 1, "yes") || IsWord(i + 1, "no")) : !IsWord(i + 1, "auto")) {
        SyntaxErrorAt(i + 1);
      }
      Blank(i);
      Blank(i + 1);
      return i + 2;
    }
    return i;
  }

  // Lifts column-level attributes from the column list opening at token `open`; returns the
  // index after its closing parenthesis.
  size_t LiftColumnList(size_t open, RedshiftTableOptions* options) {
    int depth = 1;
    size_t element_start = open + 1;
    std::string column = ColumnNameAt(element_start);
    for (size_t i = open + 1; i < end_; ++i) {
      if (IsPunct(i, '(')) {
        ++depth;
      } else if (IsPunct(i, ')')) {
        if (--depth == 0) return i + 1;
      } else if (depth == 1 && IsPunct(i, ',')) {
        element_start = i + 1;
        column = ColumnNameAt(element_start);
      } else if (depth == 1 && i > element_start && !column.empty()) {
        RedshiftColumnOptions& col = options->columns[column];
        if (IsWord(i, "encode") && IsWordToken(i + 1)) {
          std::string name = AsciiLower(Text(i + 1));
          if (!IsKnownEncoding(name)) {
            Fail(sqlstate::kSyntaxError, StrCat("unknown compression encoding \"", Text(i + 1), "\""), i + 1);
          }
          col.encode = name;
          Blank(i);
          Blank(i + 1);
          ++i;
        } else if (IsWord(i, "identity") && IsPunct(i + 1, '(') && !IsWord(i - 1, "as")) {
          // Redshift's IDENTITY(seed, step): blanked, and applied to the column by the decoder.
          size_t after = IdentityArguments(i + 1, &col);
          col.identity = true;
          for (size_t k = i; k < after; ++k) Blank(k);
          i = after - 1;
        } else if (IsWord(i, "identity") && IsPunct(i + 1, '(') && IsWord(i - 1, "as") && IsSeedStep(i + 2)) {
          // GENERATED BY DEFAULT AS IDENTITY(seed, step), Redshift's spelling of PostgreSQL's
          // (START WITH seed INCREMENT BY step): PostgreSQL's grammar reads the bare IDENTITY.
          size_t after = IdentityArguments(i + 1, &col);
          col.identity_args = true;
          for (size_t k = i + 1; k < after; ++k) Blank(k);
          i = after - 1;
        } else if (IsWord(i, "distkey") && !IsPunct(i + 1, '(')) {
          if (column_distkey_token_ != kNone) {
            Fail(sqlstate::kInvalidTableDefinition, "only one column can be the DISTKEY", i);
          }
          col.distkey = true;
          column_distkey_token_ = i;
          Blank(i);
        } else if (IsWord(i, "sortkey") && !IsPunct(i + 1, '(')) {
          col.sortkey = true;
          column_sortkey_token_ = i;
          Blank(i);
        }
      }
    }
    return end_;
  }

  // A signed integer at token `i` (`-` `5` scans as two tokens); returns the index after it, or
  // kNone when there is none.
  size_t SignedInteger(size_t i, int64_t* value) const {
    bool negative = false;
    if (i < end_ && (Text(i) == "-" || Text(i) == "+")) {
      negative = Text(i) == "-";
      ++i;
    }
    if (i >= end_ || toks_[i].cls != SqlTokenClass::kNumber) return kNone;
    std::string digits(Text(i));
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 18) return kNone;
    *value = std::stoll(digits) * (negative ? -1 : 1);
    return i + 1;
  }
  // True when tokens from `i` read `seed , step )`.
  bool IsSeedStep(size_t i) const {
    int64_t v = 0;
    size_t k = SignedInteger(i, &v);
    if (k == kNone || !IsPunct(k, ',')) return false;
    k = SignedInteger(k + 1, &v);
    return k != kNone && IsPunct(k, ')');
  }
  // Reads `( seed , step )` opening at token `open` into `col`; returns the index after it.
  size_t IdentityArguments(size_t open, RedshiftColumnOptions* col) {
    size_t k = SignedInteger(open + 1, &col->identity_seed);
    if (k == kNone || !IsPunct(k, ',')) Fail(sqlstate::kSyntaxError, "IDENTITY takes a seed and a step: IDENTITY(seed, step)", open);
    k = SignedInteger(k + 1, &col->identity_step);
    if (k == kNone || !IsPunct(k, ')')) Fail(sqlstate::kSyntaxError, "IDENTITY takes a seed and a step: IDENTITY(seed, step)", open);
    if (col->identity_step == 0) Fail(sqlstate::kInvalidParameterValue, "IDENTITY step cannot be zero", open);
    return k + 1;
  }

  // The normalised column name of a column-list element, or "" for a table constraint.
  std::string ColumnNameAt(size_t i) const {
    if (!IsIdent(i)) return "";
    static constexpr std::array<std::string_view, 7> kConstraintWords = {
        "constraint", "primary", "unique", "foreign", "check", "like", "exclude"};
    if (toks_[i].cls == SqlTokenClass::kWord) {
      for (std::string_view w : kConstraintWords) {
        if (IEquals(Text(i), w)) return "";
      }
    }
    return NormalizeIdentifier(Text(i));
  }

  void Validate(RedshiftTableOptions* options) {
    bool column_distkey = column_distkey_token_ != kNone;
    if (column_distkey && !options->distkey.empty()) {
      std::string col_name;
      for (const auto& [name, col] : options->columns) {
        if (col.distkey) col_name = name;
      }
      if (col_name != options->distkey) {
        Fail(sqlstate::kInvalidTableDefinition, "only one column can be the DISTKEY", distkey_token_);
      }
    }
    bool has_distkey = column_distkey || !options->distkey.empty();
    if (has_distkey && options->diststyle.empty()) options->diststyle = "KEY";
    if (has_distkey && options->diststyle != "KEY") {
      Fail(sqlstate::kInvalidTableDefinition,
           StrCat("DISTKEY cannot be combined with DISTSTYLE ", options->diststyle), diststyle_token_);
    }
    if (!has_distkey && options->diststyle == "KEY") {
      Fail(sqlstate::kInvalidTableDefinition, "DISTSTYLE KEY requires a DISTKEY column", diststyle_token_);
    }
    if (column_sortkey_token_ != kNone && !options->sortkey.empty()) {
      Fail(sqlstate::kInvalidTableDefinition, "SORTKEY may be given for columns or for the table, not both",
           sortkey_token_);
    }
    diststyle_token_ = distkey_token_ = sortkey_token_ = kNone;
    column_distkey_token_ = column_sortkey_token_ = kNone;
  }

  // VARCHAR(MAX), CHAR(MAX) and friends: PostgreSQL's grammar wants an integer there.
  void RewriteMaxLengths(DialectResult* result) {
    end_ = toks_.size();
    static constexpr std::array<std::string_view, 7> kLengthTypes = {
        "varchar", "nvarchar", "char", "character", "nchar", "bpchar", "varying"};
    for (size_t i = 2; i + 1 < toks_.size(); ++i) {
      if (!IsWord(i, "max") || !IsPunct(i - 1, '(') || !IsPunct(i + 1, ')')) continue;
      bool after_type = false;
      for (std::string_view t : kLengthTypes) after_type = after_type || IsWord(i - 2, t);
      if (!after_type) continue;
      out_.replace(toks_[i].start, 3, "999");
      result->max_length_offsets.push_back(toks_[i].start);
    }
  }

  // APPROXIMATE COUNT(DISTINCT x): two words PostgreSQL's grammar cannot take become the one
  // function name approximate_count (padded with spaces), which the binder knows. APPROXIMATE
  // PERCENTILE_DISC is the exact one.
  void RewriteApproximateCount() {
    end_ = toks_.size();
    static constexpr std::string_view kName = "approximate_count";
    for (size_t i = 0; i + 2 < toks_.size(); ++i) {
      // APPROXIMATE PERCENTILE_DISC (f) WITHIN GROUP (...): the exact percentile is within any
      // error bound, so the word goes.
      if (IsWord(i, "approximate") && IsWord(i + 1, "percentile_disc") && IsPunct(i + 2, '(')) {
        Blank(i);
        continue;
      }
      if (!IsWord(i, "approximate") || !IsWord(i + 1, "count") || !IsPunct(i + 2, '(')) continue;
      size_t from = static_cast<size_t>(toks_[i].start), to = static_cast<size_t>(toks_[i + 1].end);
      if (to - from < kName.size()) continue;
      out_.replace(from, to - from, std::string(kName) + std::string(to - from - kName.size(), ' '));
    }
  }

  // SELECT TOP n: "top n " becomes "_t(n)," in the same bytes (it needs one byte of space on
  // each side of n), a first select-list item the decoder turns into LIMIT n.
  void RewriteTop(DialectResult* result) {
    end_ = toks_.size();
    for (size_t i = 1; i + 2 < toks_.size(); ++i) {
      if (!IsWord(i - 1, "select") || !IsWord(i, "top") || toks_[i + 1].cls != SqlTokenClass::kNumber) continue;
      std::string_view n = sql_.substr(toks_[i + 1].start, toks_[i + 1].end - toks_[i + 1].start);
      if (n.find_first_not_of("0123456789") != std::string_view::npos) continue;
      size_t from = static_cast<size_t>(toks_[i].start), to = static_cast<size_t>(toks_[i + 2].start);
      std::string marker = StrCat("_t(", n, "),");
      if (to - from < marker.size()) continue;
      out_.replace(from, to - from, marker + std::string(to - from - marker.size(), ' '));
      result->top_offsets.push_back(toks_[i].start);
    }
  }

  // PartiQL's `FROM t c, c.arr AS o AT i` (the element's index as i): "AT i" becomes "(i) " in
  // the same bytes, an alias column list the binder reads as the index's name. Only after
  // `AS alias`, and never before TIME (`x AT TIME ZONE`).
  void RewriteUnnestIndex() {
    end_ = toks_.size();
    for (size_t i = 2; i + 1 < toks_.size(); ++i) {
      if (!IsWord(i, "at") || !IsWord(i - 2, "as")) continue;
      if (toks_[i - 1].cls != SqlTokenClass::kWord && toks_[i - 1].cls != SqlTokenClass::kQuotedIdent) continue;
      const SqlToken& name = toks_[i + 1];
      if ((name.cls != SqlTokenClass::kWord && name.cls != SqlTokenClass::kQuotedIdent) || IsWord(i + 1, "time")) continue;
      size_t from = static_cast<size_t>(toks_[i].start), to = static_cast<size_t>(name.end);
      std::string text = StrCat("(", sql_.substr(name.start, name.end - name.start), ")");
      if (to - from < text.size()) continue;
      out_.replace(from, to - from, text + std::string(to - from - text.size(), ' '));
    }
  }

  // Redshift's ARRAY(v, ...), a SUPER array: PostgreSQL's grammar reads ARRAY( only before a
  // subquery, so "array" becomes "_arr_" (same bytes), a function the binder knows. ARRAY(SELECT
  // ...), ARRAY((...)) and ARRAY[...] stay PostgreSQL's.
  void RewriteSuperArray() {
    end_ = toks_.size();
    for (size_t i = 0; i + 2 < toks_.size(); ++i) {
      if (!IsWord(i, "array") || !IsPunct(i + 1, '(')) continue;
      if (IsWord(i + 2, "select") || IsWord(i + 2, "with") || IsWord(i + 2, "values") || IsWord(i + 2, "table") ||
          IsPunct(i + 2, '(')) {
        continue;
      }
      out_.replace(static_cast<size_t>(toks_[i].start), 5, "_arr_");
    }
  }

  // PartiQL's `FROM t c, UNPIVOT c.obj AS v AT k`: "UNPIVOT " becomes "_unpvt_(" and the blank
  // before AS a ")", making the function call _unpvt_(c.obj) AS v(k) (AT k is rewritten by
  // RewriteUnnestIndex), which the binder unpivots. Only after FROM, a comma or JOIN, and not
  // before "(" (Redshift's UNPIVOT of a table's columns).
  void RewriteUnpivot() {
    end_ = toks_.size();
    for (size_t i = 1; i + 2 < toks_.size(); ++i) {
      if (!IsWord(i, "unpivot") || IsPunct(i + 1, '(')) continue;
      if (!IsPunct(i - 1, ',') && !IsWord(i - 1, "from") && !IsWord(i - 1, "join")) continue;
      if (toks_[i + 1].start - toks_[i].start < 8) continue;
      int depth = 0;
      size_t as = 0;
      for (size_t k = i + 1; k < toks_.size() && as == 0; ++k) {
        if (IsPunct(k, '(') || IsPunct(k, '[')) ++depth;
        if (IsPunct(k, ')') || IsPunct(k, ']')) --depth;
        if (depth < 0 || IsPunct(k, ';')) break;
        if (depth == 0 && IsWord(k, "as")) as = k;
      }
      if (as == 0 || toks_[as].start == toks_[as - 1].end) continue;
      out_.replace(static_cast<size_t>(toks_[i].start), 8, "_unpvt_(");
      out_[static_cast<size_t>(toks_[as].start) - 1] = ')';
    }
  }

  // Redshift's CONVERT(type, expression): PostgreSQL's grammar takes no type as an argument, so
  // "convert(integer, x)" becomes "_cvt_('integer', x)" in the same bytes (the two quote marks
  // take the place of the two letters "convert" has more), which the binder reads as a cast.
  void RewriteConvert() {
    end_ = toks_.size();
    for (size_t i = 0; i + 3 < toks_.size(); ++i) {
      if (!IsWord(i, "convert") || !IsPunct(i + 1, '(') || (i > 0 && IsPunct(i - 1, '.'))) continue;
      const size_t close = MatchingClose(i + 1);
      if (close == kNone) continue;
      std::vector<std::pair<size_t, size_t>> args = SplitTopLevel(i + 2, close - 1);
      if (args.size() != 2 || args[0].first == args[0].second || !IsWordToken(args[0].first)) continue;
      bool type_like = true;  // words, numbers, parentheses and commas only
      for (size_t k = args[0].first; k < args[0].second && type_like; ++k) {
        type_like = toks_[k].cls == SqlTokenClass::kWord || toks_[k].cls == SqlTokenClass::kNumber ||
                    IsPunct(k, '(') || IsPunct(k, ')') || IsPunct(k, ',');
      }
      if (!type_like) continue;
      const size_t from = static_cast<size_t>(toks_[i].start);
      const size_t type_begin = static_cast<size_t>(toks_[args[0].first].start);
      const size_t type_end = static_cast<size_t>(toks_[args[0].second - 1].end);
      if (type_begin != from + 8) continue;  // "convert(" then the type, with no blank between
      std::string type = out_.substr(type_begin, type_end - type_begin);
      out_.replace(from, type_end - from, "_cvt_('" + type + "'");
    }
  }

  // ---- Redshift's PIVOT / UNPIVOT of a table reference ------------------------------------
  //
  //   FROM (SELECT partname, price FROM part) p PIVOT (avg(price) FOR partname IN ('prop', 'wing')) AS x
  //                                           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  //   becomes `FROM (SELECT ...) _pvt0_` and blanks: the reference's own alias and the clause with
  //   its alias turn into the alias _pvtN_, and result->pivots[N] holds what the clause says.

  // The index one past the ')' matching the '(' at `open`; kNone when it is not closed.
  size_t MatchingClose(size_t open) const {
    int depth = 0;
    for (size_t k = open; k < toks_.size(); ++k) {
      if (IsPunct(k, '(')) ++depth;
      if (IsPunct(k, ')') && --depth == 0) return k + 1;
      if (IsPunct(k, ';')) return kNone;
    }
    return kNone;
  }

  // [begin, end) split at the commas outside parentheses.
  std::vector<std::pair<size_t, size_t>> SplitTopLevel(size_t begin, size_t end) const {
    std::vector<std::pair<size_t, size_t>> parts;
    int depth = 0;
    size_t from = begin;
    for (size_t k = begin; k < end; ++k) {
      if (IsPunct(k, '(') || IsPunct(k, '[')) ++depth;
      if (IsPunct(k, ')') || IsPunct(k, ']')) --depth;
      if (depth == 0 && IsPunct(k, ',')) {
        parts.push_back({from, k});
        from = k + 1;
      }
    }
    parts.push_back({from, end});
    return parts;
  }

  std::string TextOf(size_t begin, size_t end) const {
    if (begin >= end) return "";
    return std::string(sql_.substr(toks_[begin].start, toks_[end - 1].end - toks_[begin].start));
  }

  // The first top-level token in [begin, end) that is the word `w`; kNone when there is none.
  size_t FindTopLevelWord(size_t begin, size_t end, std::string_view w) const {
    int depth = 0;
    for (size_t k = begin; k < end; ++k) {
      if (IsPunct(k, '(')) ++depth;
      if (IsPunct(k, ')')) --depth;
      if (depth == 0 && IsWord(k, w)) return k;
    }
    return kNone;
  }

  // An item `expr [[AS] alias]` in [begin, end): where the expression ends, and the alias.
  size_t SplitAlias(size_t begin, size_t end, bool bare_alias_after_any, std::string* alias) const {
    if (end - begin >= 2 && IsWord(end - 2, "as") && (IsIdent(end - 1) || toks_[end - 1].cls == SqlTokenClass::kString)) {
      *alias = toks_[end - 1].cls == SqlTokenClass::kString ? StringContent(end - 1) : NormalizeIdentifier(Text(end - 1));
      return end - 2;
    }
    if (end - begin >= 2 && IsIdent(end - 1) &&
        (bare_alias_after_any || IsPunct(end - 2, ')') || toks_[end - 2].cls == SqlTokenClass::kString ||
         toks_[end - 2].cls == SqlTokenClass::kNumber)) {
      *alias = NormalizeIdentifier(Text(end - 1));
      return end - 1;
    }
    return end;
  }

  // A plain 'string' token's value (doubled quotes collapsed); its text otherwise.
  std::string StringContent(size_t i) const {
    std::string_view t = Text(i);
    if (t.size() < 2 || t.front() != '\'' || t.back() != '\'') return std::string(t);
    std::string out;
    for (size_t k = 1; k + 1 < t.size(); ++k) {
      out += t[k];
      if (t[k] == '\'') ++k;
    }
    return out;
  }

  // The column name a PIVOT IN value gives when it has no alias: a constant's value, else
  // PostgreSQL's ?column?.
  std::string DefaultPivotName(size_t begin, size_t end) const {
    if (end - begin == 1 && toks_[begin].cls == SqlTokenClass::kString) return StringContent(begin);
    if (end - begin == 1 && (toks_[begin].cls == SqlTokenClass::kNumber || IsWord(begin, "null") ||
                             IsWord(begin, "true") || IsWord(begin, "false"))) {
      return AsciiLower(Text(begin));
    }
    if (end - begin == 2 && Text(begin) == "-" && toks_[begin + 1].cls == SqlTokenClass::kNumber) {
      return "-" + std::string(Text(begin + 1));
    }
    return "?column?";
  }

  // Words that may follow a table reference and so are never its alias.
  bool FollowsTableRef(size_t i) const {
    static constexpr std::array<std::string_view, 24> kWords = {
        "where", "group", "order", "having", "limit", "offset", "union", "intersect", "except", "join",
        "inner", "left", "right", "full", "cross", "natural", "on", "using", "window", "qualify",
        "fetch", "for", "returning", "into"};
    for (std::string_view w : kWords) {
      if (IsWord(i, w)) return true;
    }
    return false;
  }

  void RewritePivotClauses(DialectResult* result) {
    end_ = toks_.size();
    for (size_t i = 1; i + 3 < toks_.size(); ++i) {
      const bool unpivot = IsWord(i, "unpivot");
      if (!unpivot && !IsWord(i, "pivot")) continue;
      size_t open = i + 1;
      bool include_nulls = false;
      if (unpivot && (IsWord(open, "include") || IsWord(open, "exclude")) && IsWord(open + 1, "nulls")) {
        include_nulls = IsWord(open, "include");
        open += 2;
      }
      if (!IsPunct(open, '(')) continue;
      // After a table reference: a name, a quoted name or a closing parenthesis.
      if (!IsIdent(i - 1) && !IsPunct(i - 1, ')')) continue;
      if (IsWord(i - 1, "from") || IsWord(i - 1, "join") || IsWord(i - 1, "select")) continue;
      size_t close = MatchingClose(open);
      if (close == kNone) continue;
      const size_t body = open + 1, body_end = close - 1;
      const size_t for_at = FindTopLevelWord(body, body_end, "for");
      if (for_at == kNone) continue;
      const size_t in_at = FindTopLevelWord(for_at + 1, body_end, "in");
      if (in_at == kNone || !IsPunct(in_at + 1, '(')) continue;
      const size_t list_close = MatchingClose(in_at + 1);
      if (list_close != body_end) continue;  // nothing may follow the IN list
      ast::PivotSpec spec;
      spec.unpivot = unpivot;
      spec.include_nulls = include_nulls;
      spec.location = PositionOf(i);
      if (unpivot) {
        if (for_at != body + 1 || !IsIdent(body) || in_at != for_at + 2 || !IsIdent(for_at + 1)) {
          Fail(sqlstate::kSyntaxError, "UNPIVOT takes (value_column FOR name_column IN (column, ...))", body);
        }
        spec.value_column = NormalizeIdentifier(Text(body));
        spec.name_column = NormalizeIdentifier(Text(for_at + 1));
        for (const auto& [b, e] : SplitTopLevel(in_at + 2, list_close - 1)) {
          std::string alias;
          size_t expr_end = SplitAlias(b, e, /*bare_alias_after_any=*/true, &alias);
          if (expr_end != b + 1 || !IsIdent(b)) Fail(sqlstate::kSyntaxError, "UNPIVOT's IN list takes column names", b);
          spec.in_columns.push_back(std::string(Text(b)));
          spec.in_names.push_back(alias.empty() ? NormalizeIdentifier(Text(b)) : alias);
        }
      } else {
        std::string items;
        std::vector<std::pair<size_t, size_t>> values = SplitTopLevel(in_at + 2, list_close - 1);
        const std::string for_text = TextOf(for_at + 1, in_at);
        if (for_text.empty()) Fail(sqlstate::kSyntaxError, "PIVOT needs a column after FOR", for_at);
        struct Aggregate {
          std::string func, args, rest, alias;
          bool distinct = false;
        };
        std::vector<Aggregate> aggs;
        for (const auto& [b, e] : SplitTopLevel(body, for_at)) {
          Aggregate a;
          size_t expr_end = SplitAlias(b, e, /*bare_alias_after_any=*/false, &a.alias);
          // name ( [DISTINCT] arg [, more] ) — the first argument is the one made conditional.
          if (expr_end < b + 3 || !IsIdent(b) || !IsPunct(b + 1, '(') || MatchingClose(b + 1) != expr_end) {
            Fail(sqlstate::kSyntaxError, "PIVOT takes an aggregate function call before FOR", b);
          }
          a.func = std::string(Text(b));
          size_t arg = b + 2;
          if (IsWord(arg, "distinct")) {
            a.distinct = true;
            ++arg;
          }
          std::vector<std::pair<size_t, size_t>> args = SplitTopLevel(arg, expr_end - 1);
          a.args = args[0].first + 1 == args[0].second && Text(args[0].first) == "*" ? "1" : TextOf(args[0].first, args[0].second);
          if (a.args.empty()) Fail(sqlstate::kSyntaxError, "PIVOT's aggregate needs an argument", b);
          for (size_t k = 1; k < args.size(); ++k) a.rest += ", " + TextOf(args[k].first, args[k].second);
          aggs.push_back(std::move(a));
        }
        if (aggs.size() > 1 && std::any_of(aggs.begin(), aggs.end(), [](const Aggregate& a) { return a.alias.empty(); })) {
          Fail(sqlstate::kSyntaxError, "PIVOT with more than one aggregate needs an alias for each", body);
        }
        for (const auto& [b, e] : values) {
          std::string alias;
          size_t expr_end = SplitAlias(b, e, /*bare_alias_after_any=*/false, &alias);
          if (expr_end == b) Fail(sqlstate::kSyntaxError, "PIVOT's IN list needs values", b);
          const std::string name = alias.empty() ? DefaultPivotName(b, expr_end) : alias;
          const std::string value = TextOf(b, expr_end);
          for (const Aggregate& a : aggs) {
            if (!items.empty()) items += ", ";
            items += StrCat(a.func, "(", a.distinct ? "DISTINCT " : "", "CASE WHEN (", for_text, ") IS NOT DISTINCT FROM (",
                            value, ") THEN ", a.args, " END", a.rest, ") AS ",
                            QuoteIdentifier(a.alias.empty() ? name : name + "_" + a.alias));
          }
        }
        spec.items_sql = std::move(items);
      }
      // The reference's own alias goes (the clause's output has its own).
      size_t from = i;
      if (IsIdent(i - 1) && i >= 2 && (IsPunct(i - 2, ')') || IsWord(i - 2, "as") ||
                                       (IsIdent(i - 2) && !IsWord(i - 2, "from") && !IsWord(i - 2, "join") &&
                                        !IsWord(i - 2, "lateral") && !IsWord(i - 2, "only")))) {
        from = IsWord(i - 2, "as") ? i - 2 : i - 1;
      }
      // The clause's alias.
      size_t to = close;
      if (IsWord(close, "as") && IsIdent(close + 1)) {
        spec.alias = NormalizeIdentifier(Text(close + 1));
        to = close + 2;
      } else if (IsIdent(close) && !FollowsTableRef(close)) {
        spec.alias = NormalizeIdentifier(Text(close));
        to = close + 1;
      }
      const std::string marker = StrCat(" _pvt", result->pivots.size(), "_");
      const size_t begin_byte = static_cast<size_t>(toks_[from].start);
      const size_t end_byte = static_cast<size_t>(toks_[to - 1].end);
      if (end_byte - begin_byte < marker.size()) continue;
      for (size_t b = begin_byte; b < end_byte; ++b) {
        if (out_[b] != '\n') out_[b] = ' ';
      }
      out_.replace(begin_byte, marker.size(), marker);
      result->pivots.push_back(std::move(spec));
      i = to - 1;
    }
  }

  static constexpr size_t kNone = static_cast<size_t>(-1);
  std::string_view sql_;
  std::vector<SqlToken> toks_;  // without comments
  std::string out_;
  size_t end_ = 0;  // one past the current statement's last token
  size_t diststyle_token_ = kNone, distkey_token_ = kNone, sortkey_token_ = kNone;
  size_t column_distkey_token_ = kNone, column_sortkey_token_ = kNone;
};

}  // namespace

bool IsKnownEncoding(std::string_view name) {
  static constexpr std::array<std::string_view, 14> kEncodings = {
      "raw", "az64", "bytedict", "delta", "delta32k", "lzo", "mostly8",
      "mostly16", "mostly32", "runlength", "text255", "text32k", "zstd", "auto"};
  for (std::string_view e : kEncodings) {
    if (IEquals(e, name)) return true;
  }
  return false;
}

std::string QuoteIdentifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

std::string NormalizeIdentifier(std::string_view text) {
  std::string out;
  if (!text.empty() && text.front() == '"') {
    for (size_t i = 1; i + 1 < text.size(); ++i) {
      out += text[i];
      if (text[i] == '"') ++i;  // a doubled quote stands for one
    }
  } else {
    out = AsciiLower(text);
  }
  if (out.size() > kMaxIdentifierBytes) {
    size_t cut = kMaxIdentifierBytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
  }
  return out;
}

int CharPositionAt(std::string_view text, int byte_offset) {
  size_t limit = byte_offset < 0 ? 0 : std::min(text.size(), static_cast<size_t>(byte_offset));
  int chars = 0;
  for (size_t i = 0; i < limit; ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++chars;
  }
  return chars + 1;
}

DialectResult LiftRedshiftClauses(std::string_view sql) {
  // Every statement text passes here first (ParseSql and SplitSql): the one place to refuse
  // bytes that are not UTF-8 before libpg_query sees them.
  CheckUtf8(sql);
  std::string text(sql);
  std::vector<SqlToken> tokens;
  if (!ScanSqlTokens(text, &tokens)) {
    DialectResult unchanged;
    unchanged.pg_text = std::move(text);
    return unchanged;
  }
  return Lifter(sql, std::move(tokens)).Run();
}

}  // namespace strata
