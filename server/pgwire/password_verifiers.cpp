// Stored password formats and the libcrypto helpers behind them (see password_verifiers.h).
#include "server/pgwire/password_verifiers.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/md5.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <charconv>
#include <stdexcept>

namespace strata::pgwire {
namespace {

constexpr char kScramPrefix[] = "SCRAM-SHA-256$";
constexpr char kBase64Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string Hex(const unsigned char* bytes, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(2 * n, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0xf];
  }
  return out;
}

std::string Md5Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &len, EVP_md5(), nullptr) != 1) {
    throw std::runtime_error("MD5 is not available");
  }
  return Hex(digest, len);
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8) |
                 static_cast<uint8_t>(bytes[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out.push_back(kBase64Alphabet[(v >> s) & 63]);
  }
  size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t v = static_cast<uint8_t>(bytes[i]) << 16;
    if (rest == 2) v |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    out.push_back(kBase64Alphabet[(v >> 18) & 63]);
    out.push_back(kBase64Alphabet[(v >> 12) & 63]);
    out.push_back(rest == 2 ? kBase64Alphabet[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    bool last = i + 4 == text.size();
    int pad = 0;
    uint32_t v = 0;
    for (size_t k = 0; k < 4; ++k) {
      char c = text[i + k];
      int d;
      if (c == '=' && last && k >= 2) {
        ++pad;
        d = 0;
      } else {
        if (pad > 0) return std::nullopt;  // data after padding
        d = Base64Value(c);
        if (d < 0) return std::nullopt;
      }
      v = (v << 6) | static_cast<uint32_t>(d);
    }
    out.push_back(static_cast<char>(v >> 16));
    if (pad < 2) out.push_back(static_cast<char>((v >> 8) & 0xff));
    if (pad < 1) out.push_back(static_cast<char>(v & 0xff));
  }
  return out;
}

std::string Sha256(std::string_view bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  return std::string(reinterpret_cast<char*>(digest), sizeof digest);
}

std::string HmacSha256(std::string_view key, std::string_view message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &len) == nullptr) {
    throw std::runtime_error("HMAC-SHA-256 failed");
  }
  return std::string(reinterpret_cast<char*>(digest), len);
}

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    throw std::runtime_error("cannot get random bytes");
  }
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

ScramSecret ComputeScramSecret(std::string_view password, std::string_view salt, int iterations) {
  unsigned char salted[SHA256_DIGEST_LENGTH];
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()),
                        iterations, EVP_sha256(), sizeof salted, salted) != 1) {
    throw std::runtime_error("PBKDF2 failed");
  }
  std::string_view salted_password(reinterpret_cast<char*>(salted), sizeof salted);
  ScramSecret s;
  s.iterations = iterations;
  s.salt = std::string(salt);
  s.stored_key = Sha256(HmacSha256(salted_password, "Client Key"));
  s.server_key = HmacSha256(salted_password, "Server Key");
  return s;
}

std::string FormatScramVerifier(const ScramSecret& s) {
  return std::string(kScramPrefix) + std::to_string(s.iterations) + ":" + Base64Encode(s.salt) + "$" +
         Base64Encode(s.stored_key) + ":" + Base64Encode(s.server_key);
}

std::string MakeScramVerifier(std::string_view password, std::string_view salt, int iterations) {
  return FormatScramVerifier(ComputeScramSecret(password, salt, iterations));
}

std::string MakeScramVerifier(std::string_view password) {
  return MakeScramVerifier(password, RandomBytes(kScramSaltLength), kScramIterations);
}

std::optional<ScramSecret> ParseScramVerifier(std::string_view stored) {
  constexpr size_t kPrefixLen = sizeof kScramPrefix - 1;
  if (stored.substr(0, kPrefixLen) != kScramPrefix) return std::nullopt;
  std::string_view rest = stored.substr(kPrefixLen);
  size_t colon1 = rest.find(':');
  size_t dollar = rest.find('$');
  if (colon1 == std::string_view::npos || dollar == std::string_view::npos || dollar < colon1) return std::nullopt;
  size_t colon2 = rest.find(':', dollar);
  if (colon2 == std::string_view::npos) return std::nullopt;
  ScramSecret s;
  std::string_view iter_text = rest.substr(0, colon1);
  auto [ptr, ec] = std::from_chars(iter_text.data(), iter_text.data() + iter_text.size(), s.iterations);
  if (ec != std::errc() || ptr != iter_text.data() + iter_text.size() || s.iterations <= 0) return std::nullopt;
  auto salt = Base64Decode(rest.substr(colon1 + 1, dollar - colon1 - 1));
  auto stored_key = Base64Decode(rest.substr(dollar + 1, colon2 - dollar - 1));
  auto server_key = Base64Decode(rest.substr(colon2 + 1));
  if (!salt || salt->empty() || !stored_key || !server_key) return std::nullopt;
  if (stored_key->size() != SHA256_DIGEST_LENGTH || server_key->size() != SHA256_DIGEST_LENGTH) return std::nullopt;
  s.salt = std::move(*salt);
  s.stored_key = std::move(*stored_key);
  s.server_key = std::move(*server_key);
  return s;
}

bool IsMd5Password(std::string_view stored) {
  if (stored.size() != 35 || stored.substr(0, 3) != "md5") return false;
  for (char c : stored.substr(3)) {
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

std::string MakeMd5Password(std::string_view password, std::string_view user) {
  std::string data(password);
  data.append(user);
  return "md5" + Md5Hex(data);
}

std::string Md5SaltedResponse(std::string_view stored_md5, std::string_view salt) {
  std::string data(stored_md5.substr(3));
  for (char& c : data) c = static_cast<char>(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
  data.append(salt);
  return "md5" + Md5Hex(data);
}

}  // namespace strata::pgwire
