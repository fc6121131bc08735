// PostgreSQL's string functions that build a new string out of their arguments: lpad / rpad,
// reverse, repeat, ascii, chr, initcap, translate, concat_ws, md5, and btrim / ltrim / rtrim
// with a set of characters (also TRIM(BOTH | LEADING | TRAILING x FROM s)). Lengths and
// positions count UTF-8 characters, as PostgreSQL's do in a UTF8 database. All are strict (NULL
// in, NULL out) except concat_ws, which skips NULL arguments and is NULL only for a NULL
// separator. initcap changes ASCII letters only (a word starts after any character that is not
// an ASCII letter or digit), as PostgreSQL does in the C locale.
#include <openssl/evp.h>

#include <cstring>

#include "executor/expr_node.h"
#include "executor/utf8_text.h"
#include "sql/error.h"
#include "sql/sqlstate.h"
#include "sql/utf8_validation.h"

namespace strata {

namespace {

// The largest string these functions build (repeat, lpad, rpad), as PostgreSQL's 1 GB limit
// is for a row; past it 54000.
constexpr size_t kMaxResultBytes = size_t{256} << 20;

enum class EditFn : uint8_t { kLpad, kRpad, kReverse, kRepeat, kAscii, kChr, kInitcap, kTranslate, kConcatWs, kMd5,
                              kBtrim, kLtrim, kRtrim };

// The byte length of the UTF-8 character starting with byte c (1 for a stray continuation byte).
size_t CharBytes(uint8_t c) { return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4; }

// The characters of s, each as a view.
void SplitChars(std::string_view s, std::vector<std::string_view>* out) {
  out->clear();
  for (size_t i = 0; i < s.size();) {
    size_t k = std::min(CharBytes(uint8_t(s[i])), s.size() - i);
    out->push_back(s.substr(i, k));
    i += k;
  }
}

void CheckLength(size_t bytes) {
  if (bytes > kMaxResultBytes) {
    STRATA_USER_ERROR(sqlstate::kProgramLimitExceeded, "requested length too large");
  }
}

// lpad / rpad: s cut or filled with `fill` (repeated) to `length` characters.
void Pad(std::string_view s, int64_t length, std::string_view fill, bool left, std::string* out) {
  out->clear();
  if (length <= 0) return;
  size_t chars = Utf8Chars(s);
  if (static_cast<int64_t>(chars) >= length || fill.empty()) {
    out->assign(s.substr(0, Utf8Offset(s, length)));
    return;
  }
  int64_t missing = length - static_cast<int64_t>(chars);
  CheckLength(s.size() + static_cast<size_t>(missing) * 4);
  std::string pad;
  size_t fill_chars = Utf8Chars(fill);
  while (missing > 0) {
    int64_t take = std::min<int64_t>(missing, static_cast<int64_t>(fill_chars));
    pad.append(fill.substr(0, Utf8Offset(fill, take)));
    missing -= take;
  }
  if (left) {
    *out = pad;
    out->append(s);
  } else {
    out->assign(s);
    out->append(pad);
  }
}

// The code point of the first character of s (0 for the empty string).
int32_t FirstCodePoint(std::string_view s) {
  if (s.empty()) return 0;
  uint8_t c = uint8_t(s[0]);
  size_t n = std::min(CharBytes(c), s.size());
  if (n == 1) return c;
  uint32_t cp = c & (0xFF >> (n + 1));
  for (size_t i = 1; i < n; ++i) cp = (cp << 6) | (uint8_t(s[i]) & 0x3F);
  return static_cast<int32_t>(cp);
}

bool IsAsciiAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

void Initcap(std::string_view s, std::string* out) {
  out->assign(s);
  bool in_word = false;
  for (char& c : *out) {
    if (in_word) {
      if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    } else if (c >= 'a' && c <= 'z') {
      c = char(c - 'a' + 'A');
    }
    in_word = IsAsciiAlnum(c);
  }
}

void Md5Hex(std::string_view s, std::string* out) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(s.data(), s.size(), digest, &len, EVP_md5(), nullptr) != 1) {
    STRATA_INTERNAL_ERROR("md5 failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out->clear();
  for (unsigned int i = 0; i < len; ++i) {
    out->push_back(kHex[digest[i] >> 4]);
    out->push_back(kHex[digest[i] & 15]);
  }
}

class StringEditNode final : public ExprNode {
 public:
  StringEditNode(SqlType type, EditFn fn, NodeList args) : ExprNode(type), fn_(fn), args_(std::move(args)) {
    inputs_.resize(args_.size());
  }

  const Vector& Eval(const Batch& input) override {
    const size_t n = input.rows;
    Vector& r = ResetResult(n);
    uint8_t* rn = r.nulls();
    for (size_t k = 0; k < args_.size(); ++k) {
      inputs_[k] = &args_[k]->Eval(input);
      // concat_ws is NULL only for a NULL separator; its other NULLs are skipped.
      if (fn_ == EditFn::kConcatWs && k > 0) continue;
      const uint8_t* an = inputs_[k]->nulls();
      for (size_t i = 0; i < n; ++i) rn[i] |= an[i];
    }
    switch (fn_) {
      case EditFn::kLpad:
      case EditFn::kRpad: {
        const auto* s = Strings(0);
        const int32_t* len = inputs_[1]->data<int32_t>();
        const auto* fill = args_.size() > 2 ? Strings(2) : nullptr;
        const bool left = fn_ == EditFn::kLpad;
        EachString(n, rn, r, [&](size_t i, std::string* out) {
          Pad(s[i], len[i], fill ? fill[i] : std::string_view(" "), left, out);
        });
        break;
      }
      case EditFn::kReverse: {
        const auto* s = Strings(0);
        EachString(n, rn, r, [&](size_t i, std::string* out) {
          SplitChars(s[i], &chars_);
          for (size_t k = chars_.size(); k-- > 0;) out->append(chars_[k]);
        });
        break;
      }
      case EditFn::kRepeat: {
        const auto* s = Strings(0);
        const int32_t* count = inputs_[1]->data<int32_t>();
        EachString(n, rn, r, [&](size_t i, std::string* out) {
          if (count[i] <= 0) return;
          CheckLength(s[i].size() * static_cast<size_t>(count[i]));
          for (int32_t k = 0; k < count[i]; ++k) out->append(s[i]);
        });
        break;
      }
      case EditFn::kAscii: {
        const auto* s = Strings(0);
        int32_t* d = r.data<int32_t>();
        for (size_t i = 0; i < n; ++i) d[i] = rn[i] ? 0 : FirstCodePoint(s[i]);
        break;
      }
      case EditFn::kChr: {
        const int32_t* cp = inputs_[0]->data<int32_t>();
        EachString(n, rn, r, [&](size_t i, std::string* out) {
          if (cp[i] == 0) STRATA_USER_ERROR(sqlstate::kProgramLimitExceeded, "null character not permitted");
          if (cp[i] < 0 || cp[i] > 0x10FFFF || (cp[i] >= 0xD800 && cp[i] <= 0xDFFF)) {
            STRATA_USER_ERROR(sqlstate::kProgramLimitExceeded, "requested character too large for encoding: ", cp[i]);
          }
          AppendUtf8(static_cast<uint32_t>(cp[i]), out);
        });
        break;
      }
      case EditFn::kInitcap: {
        const auto* s = Strings(0);
        EachString(n, rn, r, [&](size_t i, std::string* out) { Initcap(s[i], out); });
        break;
      }
      case EditFn::kTranslate: {
        const auto* s = Strings(0);
        const auto* from = Strings(1);
        const auto* to = Strings(2);
        std::vector<std::string_view> from_chars, to_chars;
        EachString(n, rn, r, [&](size_t i, std::string* out) {
          SplitChars(from[i], &from_chars);
          SplitChars(to[i], &to_chars);
          SplitChars(s[i], &chars_);
          for (std::string_view c : chars_) {
            size_t at = 0;
            while (at < from_chars.size() && from_chars[at] != c) ++at;
            if (at == from_chars.size()) out->append(c);                // not translated
            else if (at < to_chars.size()) out->append(to_chars[at]);  // else deleted
          }
        });
        break;
      }
      case EditFn::kConcatWs: {
        const auto* sep = Strings(0);
        EachString(n, rn, r, [&](size_t i, std::string* out) {
          bool first = true;
          for (size_t k = 1; k < inputs_.size(); ++k) {
            if (inputs_[k]->nulls()[i]) continue;
            if (!first) out->append(sep[i]);
            out->append(inputs_[k]->data<std::string_view>()[i]);
            first = false;
          }
        });
        break;
      }
      case EditFn::kMd5: {
        const auto* s = Strings(0);
        EachString(n, rn, r, [&](size_t i, std::string* out) { Md5Hex(s[i], out); });
        break;
      }
      case EditFn::kBtrim:
      case EditFn::kLtrim:
      case EditFn::kRtrim: {
        const auto* s = Strings(0);
        const auto* set = Strings(1);
        std::vector<std::string_view> set_chars;
        auto in_set = [&](std::string_view c) {
          for (std::string_view x : set_chars) {
            if (x == c) return true;
          }
          return false;
        };
        for (size_t i = 0; i < n; ++i) {
          if (rn[i]) continue;
          SplitChars(set[i], &set_chars);
          SplitChars(s[i], &chars_);
          size_t begin = 0, end = chars_.size();
          if (fn_ != EditFn::kRtrim) {
            while (begin < end && in_set(chars_[begin])) ++begin;
          }
          if (fn_ != EditFn::kLtrim) {
            while (end > begin && in_set(chars_[end - 1])) --end;
          }
          std::string_view kept;
          if (begin < end) {
            size_t from = static_cast<size_t>(chars_[begin].data() - s[i].data());
            size_t to = static_cast<size_t>(chars_[end - 1].data() + chars_[end - 1].size() - s[i].data());
            kept = s[i].substr(from, to - from);
          }
          r.SetString(i, kept);
        }
        break;
      }
    }
    return r;
  }

 private:
  const std::string_view* Strings(size_t k) const { return inputs_[k]->data<std::string_view>(); }

  // Sets every non-NULL row i of r to the string `make(i, out)` appends to an empty `out`
  // (a lambda, inlined: no call per row through a pointer).
  template <typename Make>
  void EachString(size_t n, const uint8_t* rn, Vector& r, Make make) {
    for (size_t i = 0; i < n; ++i) {
      if (rn[i]) continue;
      scratch_.clear();
      make(i, &scratch_);
      r.SetString(i, scratch_);
    }
  }

  EditFn fn_;
  NodeList args_;
  std::vector<const Vector*> inputs_;
  std::string scratch_;
  std::vector<std::string_view> chars_;
};

}  // namespace

NodePtr MakeStringEditFunctionNode(const std::string& name, const plan::Expr& expr, NodeList& args) {
  EditFn fn;
  size_t min_args = 1, max_args = 1;
  if (name == "lpad" || name == "rpad") {
    fn = name == "lpad" ? EditFn::kLpad : EditFn::kRpad;
    min_args = 2;
    max_args = 3;
  } else if (name == "reverse") {
    fn = EditFn::kReverse;
  } else if (name == "repeat") {
    fn = EditFn::kRepeat;
    min_args = max_args = 2;
  } else if (name == "ascii") {
    fn = EditFn::kAscii;
  } else if (name == "chr") {
    fn = EditFn::kChr;
  } else if (name == "initcap") {
    fn = EditFn::kInitcap;
  } else if (name == "translate") {
    fn = EditFn::kTranslate;
    min_args = max_args = 3;
  } else if (name == "concat_ws") {
    fn = EditFn::kConcatWs;
    min_args = 2;
    max_args = SIZE_MAX;
  } else if (name == "md5") {
    fn = EditFn::kMd5;
  } else if ((name == "btrim" || name == "trim" || name == "ltrim" || name == "rtrim") && args.size() == 2) {
    fn = name == "ltrim" ? EditFn::kLtrim : name == "rtrim" ? EditFn::kRtrim : EditFn::kBtrim;
    min_args = max_args = 2;
  } else {
    return nullptr;
  }
  if (args.size() < min_args || args.size() > max_args) STRATA_INTERNAL_ERROR(name, " with ", args.size(), " args");
  return std::make_unique<StringEditNode>(FromProtoType(expr.type()), fn, std::move(args));
}

}  // namespace strata
