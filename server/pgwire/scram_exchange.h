// The server side of one SCRAM-SHA-256 exchange (RFC 5802 with RFC 7677's hash), as PostgreSQL
// runs it inside AuthenticationSASL / SASLContinue / SASLFinal, without channel binding:
//
//   client-first   n,,n=<user>,r=<client nonce>        gs2 header "n,," or "y,," only
//   server-first   r=<client nonce><server nonce>,s=<salt b64>,i=<iterations>
//   client-final   c=<b64 of the gs2 header>,r=<the whole nonce>,p=<ClientProof b64>
//   server-final   v=<ServerSignature b64>
//
// AuthMessage = client-first-bare "," server-first "," client-final-without-proof. The proof
// is checked by recovering ClientKey = ClientProof XOR HMAC(StoredKey, AuthMessage) and
// comparing SHA-256(ClientKey) with StoredKey. Like PostgreSQL, the user name inside the SCRAM
// message is ignored (the startup packet's is used), and an unknown user, or one without a SCRAM
// secret, gets a mock exchange with a salt derived from the name, which fails at the final step
// exactly as a wrong password does, so that the exchange does not reveal whether the user exists.
// Malformed messages throw ProtocolViolation (FATAL 08P01).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "server/pgwire/password_verifiers.h"

namespace strata::pgwire {

inline constexpr char kScramMechanism[] = "SCRAM-SHA-256";

class ScramExchange {
 public:
  // `secret` null: a mock exchange for `user`. `server_nonce` empty: 18 random bytes, base64.
  ScramExchange(std::optional<ScramSecret> secret, std::string_view user, std::string server_nonce = {});

  // Takes the client-first-message, returns the server-first-message.
  std::string ServerFirst(std::string_view client_first);
  // Takes the client-final-message; true when the proof is right, with the server-final-message
  // in *server_final. Always false for a mock exchange.
  bool ClientFinal(std::string_view client_final, std::string* server_final);

  // The mock salt of `user`: deterministic, so that repeated attempts see the same one.
  static std::string MockSalt(std::string_view user);

 private:
  ScramSecret secret_;
  bool mock_ = false;
  std::string server_nonce_;
  std::string gs2_header_;
  std::string client_first_bare_;
  std::string client_nonce_;
  std::string server_first_;
  bool started_ = false;
};

}  // namespace strata::pgwire
