// Stored password formats, as PostgreSQL (and Redshift) keep them in pg_authid.rolpassword:
//
//   SCRAM-SHA-256$<iterations>:<salt base64>$<StoredKey base64>:<ServerKey base64>
//       RFC 5802 / 7677: SaltedPassword = PBKDF2-HMAC-SHA-256(password, salt, iterations),
//       ClientKey = HMAC(SaltedPassword, "Client Key"), StoredKey = SHA-256(ClientKey),
//       ServerKey = HMAC(SaltedPassword, "Server Key"). The password itself cannot be recovered.
//   md5<32 lowercase hex>
//       md5(password || user name). On the wire the client proves it knows that hash by
//       sending "md5" || md5(hex of the hash || 4-byte salt).
//
// Also the small crypto helpers the SCRAM exchange needs (base64, HMAC, SHA-256, random bytes),
// all thin wrappers over OpenSSL's libcrypto. Passwords are used as given (no SASLprep), which
// matches libpq for every ASCII password.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace strata::pgwire {

inline constexpr int kScramIterations = 4096;
inline constexpr size_t kScramSaltLength = 16;

// The parts of a SCRAM verifier, keys and salt as raw bytes.
struct ScramSecret {
  int iterations = 0;
  std::string salt;
  std::string stored_key;  // 32 bytes
  std::string server_key;  // 32 bytes
};

// The SCRAM-SHA-256 verifier of `password` with a fresh random 16-byte salt and 4096 iterations.
std::string MakeScramVerifier(std::string_view password);
// The same with a given salt and iteration count (deterministic: for tests and mock secrets).
std::string MakeScramVerifier(std::string_view password, std::string_view salt, int iterations);
ScramSecret ComputeScramSecret(std::string_view password, std::string_view salt, int iterations);
std::string FormatScramVerifier(const ScramSecret& secret);
// Parses a stored SCRAM verifier; nullopt when `stored` is not one (or is malformed).
std::optional<ScramSecret> ParseScramVerifier(std::string_view stored);

// "md5" followed by exactly 32 hex digits.
bool IsMd5Password(std::string_view stored);
// "md5" || hex(md5(password || user)): how an MD5 password is stored.
std::string MakeMd5Password(std::string_view password, std::string_view user);
// What a client answers to AuthenticationMD5Password(salt) when the stored hash is `stored_md5`:
// "md5" || hex(md5(stored_md5 without its "md5" prefix || salt)).
std::string Md5SaltedResponse(std::string_view stored_md5, std::string_view salt);

// Crypto helpers (OpenSSL libcrypto).
std::string Base64Encode(std::string_view bytes);
// Strict standard base64 (with padding); nullopt on any invalid character or length.
std::optional<std::string> Base64Decode(std::string_view text);
std::string Sha256(std::string_view bytes);
std::string HmacSha256(std::string_view key, std::string_view message);
std::string RandomBytes(size_t n);
// Compares without an early exit, so the time taken does not tell how much matched.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace strata::pgwire
