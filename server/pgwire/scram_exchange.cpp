// SCRAM-SHA-256 server exchange (see scram_exchange.h).
#include "server/pgwire/scram_exchange.h"

#include "server/pgwire/wire_buffer.h"

namespace strata::pgwire {
namespace {

[[noreturn]] void Malformed(const std::string& detail) {
  throw ProtocolViolation("malformed SCRAM message (" + detail + ")");
}

// Reads "<letter>=<value>" up to the next ',' (or the end) from *rest.
std::string_view Attribute(std::string_view* rest, char letter) {
  if (rest->size() < 2 || (*rest)[0] != letter || (*rest)[1] != '=') {
    Malformed(std::string("attribute \"") + letter + "\" expected");
  }
  size_t comma = rest->find(',');
  std::string_view value = rest->substr(2, comma == std::string_view::npos ? std::string_view::npos : comma - 2);
  *rest = comma == std::string_view::npos ? std::string_view() : rest->substr(comma + 1);
  return value;
}

bool PrintableNonce(std::string_view nonce) {
  if (nonce.empty()) return false;
  for (char c : nonce) {
    if (c < 0x21 || c > 0x7e || c == ',') return false;
  }
  return true;
}

}  // namespace

ScramExchange::ScramExchange(std::optional<ScramSecret> secret, std::string_view user, std::string server_nonce)
    : server_nonce_(std::move(server_nonce)) {
  if (secret) {
    secret_ = std::move(*secret);
  } else {
    mock_ = true;
    secret_.iterations = kScramIterations;
    secret_.salt = MockSalt(user);
    secret_.stored_key = RandomBytes(32);
    secret_.server_key = RandomBytes(32);
  }
  if (server_nonce_.empty()) server_nonce_ = Base64Encode(RandomBytes(18));
}

std::string ScramExchange::MockSalt(std::string_view user) {
  std::string seed = "strata mock SCRAM salt:";
  seed.append(user);
  return Sha256(seed).substr(0, kScramSaltLength);
}

std::string ScramExchange::ServerFirst(std::string_view client_first) {
  if (started_) Malformed("unexpected client-first-message");
  started_ = true;
  std::string_view rest = client_first;
  if (rest.substr(0, 2) == "p=") {
    throw ProtocolViolation("channel binding is not supported: the server offers SCRAM-SHA-256 only");
  }
  if (rest.substr(0, 2) != "n," && rest.substr(0, 2) != "y,") Malformed("unexpected channel-binding flag");
  rest.remove_prefix(2);
  if (rest.substr(0, 2) == "a=") throw ProtocolViolation("client uses authorization identity, but it is not supported");
  if (rest.empty() || rest[0] != ',') Malformed("comma expected after the channel-binding flag");
  rest.remove_prefix(1);
  gs2_header_ = std::string(client_first.substr(0, client_first.size() - rest.size()));
  client_first_bare_ = std::string(rest);
  if (rest.substr(0, 2) == "m=") throw ProtocolViolation("client requires an unsupported SCRAM extension");
  Attribute(&rest, 'n');  // the startup packet's user name is the one that counts
  client_nonce_ = std::string(Attribute(&rest, 'r'));
  if (!PrintableNonce(client_nonce_)) Malformed("invalid client nonce");
  server_first_ = "r=" + client_nonce_ + server_nonce_ + ",s=" + Base64Encode(secret_.salt) +
                  ",i=" + std::to_string(secret_.iterations);
  return server_first_;
}

bool ScramExchange::ClientFinal(std::string_view client_final, std::string* server_final) {
  if (!started_) Malformed("client-final-message before client-first-message");
  size_t proof_at = client_final.rfind(",p=");
  if (proof_at == std::string_view::npos) Malformed("proof expected");
  std::string_view without_proof = client_final.substr(0, proof_at);
  std::string_view rest = without_proof;
  std::optional<std::string> binding = Base64Decode(Attribute(&rest, 'c'));
  if (!binding || *binding != gs2_header_) Malformed("unexpected channel-binding data");
  std::string_view nonce = Attribute(&rest, 'r');
  if (nonce != client_nonce_ + server_nonce_) Malformed("nonce does not match");
  std::optional<std::string> proof = Base64Decode(client_final.substr(proof_at + 3));
  if (!proof || proof->size() != secret_.stored_key.size()) Malformed("invalid proof");

  std::string auth_message = client_first_bare_ + "," + server_first_ + "," + std::string(without_proof);
  std::string client_signature = HmacSha256(secret_.stored_key, auth_message);
  std::string client_key(proof->size(), '\0');
  for (size_t i = 0; i < client_key.size(); ++i) client_key[i] = static_cast<char>((*proof)[i] ^ client_signature[i]);
  bool ok = ConstantTimeEquals(Sha256(client_key), secret_.stored_key) && !mock_;
  if (ok && server_final != nullptr) {
    *server_final = "v=" + Base64Encode(HmacSha256(secret_.server_key, auth_message));
  }
  return ok;
}

}  // namespace strata::pgwire
