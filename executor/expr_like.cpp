// LikeMatcher (see executor/expr_like.h), the case mapping ILIKE shares with lower()/upper(),
// and the LIKE / NOT LIKE / ILIKE / NOT ILIKE node. A pattern that reads no columns is compiled
// once, on the first batch; a per-row pattern is recompiled per row into a reused matcher.
// CHAR(n) text is matched with its padding, as PostgreSQL's bpchar LIKE does.
#include "executor/expr_like.h"

#include <cstring>

#include "executor/expr_node.h"
#include "sql/error.h"

namespace strata {

namespace {

inline size_t Utf8CharLength(uint8_t lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 1;  // a stray continuation byte counts as one character
}

template <bool kToLower>
void AppendCaseMapped(std::string_view s, std::string* out) {
  size_t start = out->size();
  out->append(s);
  char* p = out->data() + start;
  size_t n = s.size();
  for (size_t i = 0; i < n; ++i) {
    uint8_t c = uint8_t(p[i]);
    if (kToLower ? (c >= 'A' && c <= 'Z') : (c >= 'a' && c <= 'z')) {
      p[i] = char(c ^ 0x20);
    } else if (c == 0xC3 && i + 1 < n) {  // Latin-1 letters: U+00C0..U+00DE <-> U+00E0..U+00FE
      uint8_t d = uint8_t(p[i + 1]);
      if (kToLower && d >= 0x80 && d <= 0x9E && d != 0x97) p[i + 1] = char(d + 0x20);
      if (!kToLower && d >= 0xA0 && d <= 0xBE && d != 0xB7) p[i + 1] = char(d - 0x20);
      ++i;
    }
  }
}

}  // namespace

void AppendLower(std::string_view s, std::string* out) { AppendCaseMapped<true>(s, out); }
void AppendUpper(std::string_view s, std::string* out) { AppendCaseMapped<false>(s, out); }

void LikeMatcher::Compile(std::string_view pattern) {
  tokens_.clear();
  literal_.clear();
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\') {
      if (++i == pattern.size()) {
        STRATA_USER_ERROR(sqlstate::kInvalidEscapeSequence, "LIKE pattern must not end with escape character");
      }
      tokens_.push_back(int16_t(uint8_t(pattern[i])));
    } else if (c == '%') {
      if (tokens_.empty() || tokens_.back() != kAnyRun) tokens_.push_back(kAnyRun);
    } else if (c == '_') {
      tokens_.push_back(kAnyChar);
    } else {
      tokens_.push_back(int16_t(uint8_t(c)));
    }
  }
  // Classify: count runs, and reject shapes with `_` or an inner `%`.
  size_t runs = 0;
  bool any_char = false;
  for (int16_t t : tokens_) {
    runs += t == kAnyRun;
    any_char |= t == kAnyChar;
  }
  bool leading = !tokens_.empty() && tokens_.front() == kAnyRun;
  bool trailing = !tokens_.empty() && tokens_.back() == kAnyRun;
  shape_ = Shape::kGeneral;
  if (any_char) return;
  if (runs == 1 && tokens_.size() == 1) shape_ = Shape::kMatchAll;
  else if (runs == 0) shape_ = Shape::kExact;
  else if (runs == 1 && trailing) shape_ = Shape::kPrefix;
  else if (runs == 1 && leading) shape_ = Shape::kSuffix;
  else if (runs == 2 && leading && trailing) shape_ = Shape::kContains;
  else {
    shape_ = Shape::kSegments;
    std::vector<std::string> literals(1);
    for (int16_t t : tokens_) {
      if (t == kAnyRun) {
        if (!literals.back().empty()) literals.emplace_back();
      } else {
        literals.back().push_back(char(t));
      }
    }
    if (literals.back().empty()) literals.pop_back();
    segments_.clear();
    for (std::string& l : literals) segments_.emplace_back(std::move(l));
    leading_run_ = leading;
    trailing_run_ = trailing;
    return;
  }
  for (int16_t t : tokens_) {
    if (t >= 0) literal_.push_back(char(t));
  }
  contains_ = SubstringFinder(literal_);
}

bool LikeMatcher::Match(std::string_view text) const {
  switch (shape_) {
    case Shape::kExact: return text == literal_;
    case Shape::kPrefix: return text.starts_with(literal_);
    case Shape::kSuffix: return text.ends_with(literal_);
    case Shape::kContains: return contains_.Find(text) != SubstringFinder::npos;
    case Shape::kMatchAll: return true;
    case Shape::kSegments: return MatchSegments(text);
    case Shape::kGeneral: return MatchGeneral(text);
  }
  return false;
}

bool LikeMatcher::MatchSegments(std::string_view text) const {
  size_t first = 0, last = segments_.size();
  size_t pos = 0, end = text.size();
  if (!leading_run_) {  // the first literal is a prefix
    const std::string& s = segments_[0].needle();
    if (!text.starts_with(s)) return false;
    pos = s.size();
    first = 1;
  }
  if (!trailing_run_) {  // the last literal is a suffix, after what the prefix took
    const std::string& s = segments_[last - 1].needle();
    if (end - pos < s.size() || !text.ends_with(s)) return false;
    end -= s.size();
    --last;
  }
  const std::string_view within = text.substr(0, end);
  for (size_t i = first; i < last; ++i) {
    const size_t at = segments_[i].Find(within, pos);
    if (at == SubstringFinder::npos) return false;
    pos = at + segments_[i].needle().size();
  }
  return true;
}

bool LikeMatcher::MatchGeneral(std::string_view text) const {
  const size_t n = text.size(), m = tokens_.size();
  size_t si = 0, pi = 0;
  size_t star_pi = SIZE_MAX, star_si = 0;
  while (si < n) {
    if (pi < m && tokens_[pi] == kAnyRun) {
      star_pi = ++pi;
      star_si = si;
      continue;
    }
    if (pi < m && tokens_[pi] == kAnyChar) {
      si += Utf8CharLength(uint8_t(text[si]));
      ++pi;
      continue;
    }
    if (pi < m && tokens_[pi] == int16_t(uint8_t(text[si]))) {
      ++si;
      ++pi;
      continue;
    }
    if (star_pi == SIZE_MAX) return false;
    // Let the last `%` swallow one more character and retry from there.
    star_si += Utf8CharLength(uint8_t(text[star_si]));
    si = star_si;
    pi = star_pi;
  }
  while (pi < m && tokens_[pi] == kAnyRun) ++pi;
  return pi == m && si == n;
}

namespace {

class LikeNode final : public ExprNode {
 public:
  LikeNode(plan::Op op, NodePtr text, NodePtr pattern)
      : ExprNode(SqlType::Bool()), text_(std::move(text)), pattern_(std::move(pattern)) {
    negate_ = op == plan::NOT_LIKE || op == plan::NOT_ILIKE;
    fold_case_ = op == plan::ILIKE || op == plan::NOT_ILIKE;
    pad_to_ = text_->type().id == TypeId::kChar ? text_->type().length : -1;
    constant_pattern_ = pattern_->columns().empty();
  }

  const Vector& Eval(const Batch& input) override {
    size_t n = input.rows;
    const Vector& text = text_->Eval(input);
    Vector& r = ResetResult(n);
    uint8_t* rv = r.data<uint8_t>();
    uint8_t* rn = r.nulls();
    std::memcpy(rn, text.nulls(), n);
    const std::string_view* tv = text.data<std::string_view>();
    const Vector* pattern = nullptr;
    if (!constant_pattern_) {
      pattern = &pattern_->Eval(input);
    } else if (!compiled_) {
      Batch one;
      one.rows = 1;
      const Vector& p = pattern_->Eval(one);
      pattern_is_null_ = p.IsNull(0);
      if (!pattern_is_null_) CompilePattern(p.data<std::string_view>()[0]);
      compiled_ = true;
    }
    if (constant_pattern_ && pattern_is_null_) {
      std::memset(rn, 1, n);
      return r;
    }
    for (size_t i = 0; i < n; ++i) {
      if (pattern != nullptr) {
        rn[i] |= pattern->nulls()[i];
        if (rn[i]) continue;
        CompilePattern(pattern->data<std::string_view>()[i]);
      }
      if (rn[i]) continue;
      rv[i] = matcher_.Match(Prepare(tv[i])) != negate_;
    }
    return r;
  }

 private:
  void CompilePattern(std::string_view p) {
    if (fold_case_) {
      lowered_pattern_.clear();
      AppendLower(p, &lowered_pattern_);
      p = lowered_pattern_;
    }
    matcher_.Compile(p);
  }

  // The text as LIKE sees it: padded for CHAR(n), lower-cased for ILIKE.
  std::string_view Prepare(std::string_view s) {
    if (pad_to_ < 0 && !fold_case_) return s;
    scratch_.clear();
    if (fold_case_) AppendLower(s, &scratch_);
    else scratch_.append(s);
    if (pad_to_ >= 0) {
      size_t chars = 0;
      for (char c : s) chars += (uint8_t(c) & 0xC0) != 0x80;
      if (chars < size_t(pad_to_)) scratch_.append(size_t(pad_to_) - chars, ' ');
    }
    return scratch_;
  }

  NodePtr text_;
  NodePtr pattern_;
  bool negate_ = false;
  bool fold_case_ = false;
  int pad_to_ = -1;
  bool constant_pattern_ = false;
  bool compiled_ = false;
  bool pattern_is_null_ = false;
  LikeMatcher matcher_;
  std::string lowered_pattern_;
  std::string scratch_;
};

}  // namespace

NodePtr MakeLikeNode(const plan::Expr& expr, NodeList args) {
  if (args.size() != 2) STRATA_INTERNAL_ERROR("LIKE with ", args.size(), " args");
  for (auto& a : args) {
    if (!a->type().is_string()) a = MakeCastNode(SqlType::Text(), std::move(a));
  }
  return std::make_unique<LikeNode>(expr.call().op(), std::move(args[0]), std::move(args[1]));
}

}  // namespace strata
