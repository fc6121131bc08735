// Redshift's functions that turn a value into a code: SHA1 / FUNC_SHA1 (hex), SHA2(s, bits)
// (224, 256, 384, 512; 0 is 256), CRC32 (8 lowercase hex digits), TO_HEX(integer) (PostgreSQL's:
// the two's complement of a negative value), STRTOL(string, base) (a string of digits in base
// 2..36, an optional sign and, in base 16, 0x), SOUNDEX (American Soundex: a letter and three
// digits, as PostgreSQL's fuzzystrmatch codes it) and DIFFERENCE (how many of two Soundex codes' four characters agree). One node per
// expression, the function chosen once; each row is one call on its own values.
#include <openssl/evp.h>
#include <zlib.h>

#include <cctype>
#include <cstring>

#include "executor/expr_node.h"
#include "sql/error.h"
#include "sql/sqlstate.h"

namespace strata {

namespace {

enum class CodeFn : uint8_t { kSha1, kSha2, kCrc32, kToHex, kStrtol, kSoundex, kDifference };

constexpr char kHex[] = "0123456789abcdef";

void DigestHex(const EVP_MD* md, std::string_view s, std::string* out) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(s.data(), s.size(), digest, &len, md, nullptr) != 1) STRATA_INTERNAL_ERROR("digest failed");
  for (unsigned int i = 0; i < len; ++i) {
    out->push_back(kHex[digest[i] >> 4]);
    out->push_back(kHex[digest[i] & 15]);
  }
}

const EVP_MD* Sha2Digest(int64_t bits) {
  switch (bits) {
    case 0: case 256: return EVP_sha256();
    case 224: return EVP_sha224();
    case 384: return EVP_sha384();
    case 512: return EVP_sha512();
    default:
      STRATA_USER_ERROR(sqlstate::kInvalidParameterValue, "SHA2's bit length must be 0, 224, 256, 384 or 512");
  }
}

void HexOf(uint64_t v, std::string* out) {
  char buf[16];
  int n = 0;
  do {
    buf[n++] = kHex[v & 15];
    v >>= 4;
  } while (v != 0);
  while (n > 0) out->push_back(buf[--n]);
}

int64_t Strtol(std::string_view s, int64_t base) {
  if (base < 2 || base > 36) STRATA_USER_ERROR(sqlstate::kInvalidParameterValue, "STRTOL's base must be between 2 and 36");
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  if (base == 16 && i + 1 < s.size() && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) i += 2;
  const size_t digits_from = i;
  unsigned __int128 v = 0;
  for (; i < s.size(); ++i) {
    const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
    const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'z' ? c - 'a' + 10 : 99;
    if (d >= base) break;
    v = v * static_cast<unsigned>(base) + static_cast<unsigned>(d);
    if (v > static_cast<unsigned __int128>(INT64_MAX) + 1) {
      STRATA_USER_ERROR(sqlstate::kNumericValueOutOfRange, "value \"", s, "\" is out of range for type bigint");
    }
  }
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  if (i == digits_from || i != s.size()) {
    STRATA_USER_ERROR(sqlstate::kInvalidTextRepresentation, "invalid input for STRTOL in base ", base, ": \"", s, "\"");
  }
  if (!negative && v > static_cast<unsigned __int128>(INT64_MAX)) {
    STRATA_USER_ERROR(sqlstate::kNumericValueOutOfRange, "value \"", s, "\" is out of range for type bigint");
  }
  return negative ? static_cast<int64_t>(-static_cast<__int128>(v)) : static_cast<int64_t>(v);
}

// American Soundex of the ASCII letters of s ("" when it has none).
std::string Soundex(std::string_view s) {
  static constexpr char kCodes[] = "01230120022455012623010202";  // a..z
  std::string out;
  char last = 0;
  for (char raw : s) {
    const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(raw)));
    if (c < 'A' || c > 'Z') continue;
    const char code = kCodes[c - 'A'];
    if (out.empty()) {
      out.push_back(c);
      last = code;
      continue;
    }
    if (code != '0' && code != last) out.push_back(code);
    if (out.size() == 4) break;
    last = code;  // a vowel, H or W separates two letters of the same code (PostgreSQL's rule)
  }
  if (!out.empty()) out.resize(4, '0');
  return out;
}

class TextCodeNode final : public ExprNode {
 public:
  TextCodeNode(SqlType type, CodeFn fn, NodeList args) : ExprNode(type), fn_(fn), args_(std::move(args)) {}

  const Vector& Eval(const Batch& input) override {
    const size_t n = input.rows;
    Vector& r = ResetResult(n);
    uint8_t* rn = r.nulls();
    std::vector<const Vector*> in;
    for (auto& a : args_) in.push_back(&a->Eval(input));
    for (size_t i = 0; i < n; ++i) {
      for (const Vector* v : in) rn[i] |= v->nulls()[i];
    }
    auto text = [&](size_t k, size_t i) { return in[k]->data<std::string_view>()[i]; };
    auto integer = [&](size_t k, size_t i) { return IntegerAt(*in[k], i); };
    for (size_t i = 0; i < n; ++i) {
      if (rn[i]) continue;
      scratch_.clear();
      switch (fn_) {
        case CodeFn::kSha1: DigestHex(EVP_sha1(), text(0, i), &scratch_); break;
        case CodeFn::kSha2: DigestHex(Sha2Digest(integer(1, i)), text(0, i), &scratch_); break;
        case CodeFn::kCrc32: {
          std::string_view s = text(0, i);
          uLong c = crc32(0L, reinterpret_cast<const Bytef*>(s.data()), static_cast<uInt>(s.size()));
          char buf[9];
          std::snprintf(buf, sizeof(buf), "%08lx", c & 0xffffffffUL);
          scratch_ = buf;
          break;
        }
        case CodeFn::kToHex: {
          const int64_t v = integer(0, i);
          const uint64_t bits = in[0]->type().physical() == PhysicalType::kInt64 ? static_cast<uint64_t>(v)
                                                                                  : static_cast<uint32_t>(v);
          HexOf(bits, &scratch_);
          break;
        }
        case CodeFn::kStrtol: r.data<int64_t>()[i] = Strtol(text(0, i), integer(1, i)); continue;
        case CodeFn::kSoundex: scratch_ = Soundex(text(0, i)); break;
        case CodeFn::kDifference: {
          const std::string a = Soundex(text(0, i)), b = Soundex(text(1, i));
          int same = 0;
          for (size_t k = 0; k < a.size() && k < b.size(); ++k) same += a[k] == b[k];
          r.data<int32_t>()[i] = same;
          continue;
        }
      }
      r.SetString(i, scratch_);
    }
    return r;
  }

 private:
  CodeFn fn_;
  NodeList args_;
  std::string scratch_;
};

}  // namespace

NodePtr MakeTextCodeFunctionNode(const std::string& name, const plan::Expr& expr, NodeList& args) {
  static const std::pair<const char*, CodeFn> kNames[] = {
      {"sha1", CodeFn::kSha1},     {"func_sha1", CodeFn::kSha1}, {"sha2", CodeFn::kSha2},
      {"crc32", CodeFn::kCrc32},   {"to_hex", CodeFn::kToHex},   {"strtol", CodeFn::kStrtol},
      {"soundex", CodeFn::kSoundex}, {"difference", CodeFn::kDifference}};
  for (const auto& [n, fn] : kNames) {
    if (name != n) continue;
    const size_t want = fn == CodeFn::kSha2 || fn == CodeFn::kStrtol || fn == CodeFn::kDifference ? 2 : 1;
    if (args.size() != want) STRATA_INTERNAL_ERROR(name, " with ", args.size(), " args");
    return std::make_unique<TextCodeNode>(FromProtoType(expr.type()), fn, std::move(args));
  }
  return nullptr;
}

}  // namespace strata
