// AWS Signature Version 4 for S3 requests (the "Authorization header" form).
//
// Signing a request takes four steps, each a pure function here so that the tests can compare
// every intermediate value with AWS's published examples:
//   1. CanonicalRequest: METHOD \n URI \n QUERY \n HEADERS \n SIGNED-HEADER-NAMES \n PAYLOAD-HASH,
//      with the URI already percent-encoded per segment, the query parameters sorted by encoded
//      name (then value) and encoded, and the header names lowercased, sorted, values trimmed.
//   2. StringToSign: "AWS4-HMAC-SHA256" \n AMZ-DATE \n SCOPE \n hex(SHA-256(canonical request)),
//      where SCOPE is DATE/REGION/SERVICE/aws4_request.
//   3. SigningKey: HMAC chain "AWS4"+secret -> date -> region -> service -> "aws4_request".
//   4. Signature: hex(HMAC(signing key, string to sign)), put into the Authorization header.
// Strata always signs the payload: x-amz-content-sha256 carries the real SHA-256 of the body
// (never UNSIGNED-PAYLOAD), and the caller includes that header among the signed ones.
#pragma once

#include <ctime>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace strata {

using HttpFields = std::vector<std::pair<std::string, std::string>>;

struct SigV4Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // "" unless temporary credentials
};

struct SigV4Request {
  std::string method;         // "GET", "PUT", ...
  std::string canonical_uri;  // already encoded: "/bucket/dir/my%20file"
  HttpFields query;           // raw (not encoded) name/value pairs, any order
  HttpFields headers;         // every header to sign, including host and x-amz-date
  std::string payload_sha256; // lowercase hex SHA-256 of the body
};

// Lowercase hex of SHA-256(data).
std::string Sha256Hex(std::string_view data);
// Raw 32-byte HMAC-SHA256(key, data).
std::string HmacSha256(std::string_view key, std::string_view data);
std::string HexEncode(std::string_view bytes);

// SigV4's UriEncode: every byte except A-Z a-z 0-9 - . _ ~ becomes %XX (uppercase hex); '/' is
// kept as is unless encode_slash (query parameters encode it, object key paths do not).
std::string UriEncode(std::string_view s, bool encode_slash);
// "a=1&b=&c=x%2Fy": encoded pairs sorted by encoded name, then value.
std::string CanonicalQueryString(const HttpFields& query);

std::string CanonicalRequest(const SigV4Request& request);
// "host;range;x-amz-date": lowercase names, sorted.
std::string SignedHeaderNames(const HttpFields& headers);
std::string StringToSign(const std::string& amz_date, const std::string& scope,
                         const std::string& canonical_request);
// "20130524/us-east-1/s3/aws4_request" (the date is the first 8 chars of amz_date).
std::string CredentialScope(const std::string& amz_date, const std::string& region,
                            const std::string& service);
std::string SigningKey(const std::string& secret, const std::string& date, const std::string& region,
                       const std::string& service);
// The full header value "AWS4-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..".
// `signature_out`, when given, receives the hex signature alone.
std::string AuthorizationHeader(const SigV4Request& request, const SigV4Credentials& credentials,
                                const std::string& region, const std::string& service,
                                const std::string& amz_date, std::string* signature_out = nullptr);

// "20130524T000000Z" for a UTC time.
std::string AmzDate(std::time_t t);

}  // namespace strata
