// PgConnection's password authentication, run during startup when passwords are required
// (PostgreSQL 15's messages and behaviour):
//
//   stored SCRAM verifier  -> AuthenticationSASL ["SCRAM-SHA-256"], SASLInitialResponse,
//                             AuthenticationSASLContinue, SASLResponse, AuthenticationSASLFinal
//   stored "md5..." hash   -> AuthenticationMD5Password (4-byte random salt), PasswordMessage
//   unknown user, or none  -> the SCRAM exchange with a mock secret (scram_exchange.h), which
//                             fails at the end like a wrong password
//
// A wrong password ends the connection with FATAL 28P01 `password authentication failed for
// user "NAME"`; malformed authentication messages with FATAL 08P01.
#include "server/pgwire/backend_messages.h"
#include "server/pgwire/pg_connection.h"
#include "server/pgwire/scram_exchange.h"

namespace strata::pgwire {
namespace {

constexpr int32_t kAuthMd5Password = 5;
constexpr int32_t kAuthSasl = 10;
constexpr int32_t kAuthSaslContinue = 11;
constexpr int32_t kAuthSaslFinal = 12;
// Authentication messages are small; a longer one is refused before it is read
// (PostgreSQL's PG_MAX_AUTH_TOKEN_LENGTH).
constexpr int32_t kMaxAuthMessage = 65535;

}  // namespace

bool PgConnection::Authenticate(const std::string& user) {
  std::optional<std::string> stored;
  if (security_.stored_password) stored = security_.stored_password(user);
  if (stored && IsMd5Password(*stored)) return AuthenticateMd5(user, *stored);
  std::optional<ScramSecret> secret;
  if (stored) secret = ParseScramVerifier(*stored);
  return AuthenticateScram(user, std::move(secret));
}

bool PgConnection::AuthenticateScram(const std::string& user, std::optional<ScramSecret> secret) {
  ScramExchange exchange(std::move(secret), user);
  writer_.Begin('R');
  writer_.Int32(kAuthSasl);
  writer_.CString(kScramMechanism);
  writer_.Int8(0);
  writer_.End();
  if (!FlushOutput()) return false;

  std::string body;
  if (!ReadPasswordMessage(&body, "SASL response")) return false;
  MessageReader initial(body);
  std::string_view mechanism = initial.CString();
  if (mechanism != kScramMechanism) {
    throw ProtocolViolation("client selected an invalid SASL authentication mechanism");
  }
  int32_t len = initial.Int32();
  if (len < 0) throw ProtocolViolation("malformed SCRAM message (empty message)");
  std::string client_first(initial.Bytes(static_cast<size_t>(len)));
  initial.ExpectEnd();
  std::string server_first = exchange.ServerFirst(client_first);
  writer_.Begin('R');
  writer_.Int32(kAuthSaslContinue);
  writer_.Bytes(server_first);
  writer_.End();
  if (!FlushOutput()) return false;

  if (!ReadPasswordMessage(&body, "SASL response")) return false;
  std::string server_final;
  if (!exchange.ClientFinal(body, &server_final)) return AuthenticationFailed(user);
  writer_.Begin('R');
  writer_.Int32(kAuthSaslFinal);
  writer_.Bytes(server_final);
  writer_.End();
  return true;  // AuthenticationOk follows in FinishStartup
}

bool PgConnection::AuthenticateMd5(const std::string& user, const std::string& stored) {
  std::string salt = RandomBytes(4);
  writer_.Begin('R');
  writer_.Int32(kAuthMd5Password);
  writer_.Bytes(salt);
  writer_.End();
  if (!FlushOutput()) return false;
  std::string body;
  if (!ReadPasswordMessage(&body, "password response")) return false;
  MessageReader reader(body);
  std::string_view answer = reader.CString();
  reader.ExpectEnd();
  if (!ConstantTimeEquals(answer, Md5SaltedResponse(stored, salt))) return AuthenticationFailed(user);
  return true;
}

bool PgConnection::ReadPasswordMessage(std::string* body, const char* expected) {
  char header[5];
  if (!stream_->ReadExact(header, 1)) return false;  // the client gave up (no password to give)
  if (header[0] != 'p') {
    throw ProtocolViolation(StrCat("expected ", expected, ", got message type ", static_cast<int>(header[0])));
  }
  if (!stream_->ReadExact(header + 1, 4)) return false;
  int32_t len = static_cast<int32_t>(GetBigEndian(header + 1, 4));
  if (len < 4 || len > kMaxAuthMessage) throw ProtocolViolation("invalid password packet size");
  if (!ReadBody(body, len - 4)) return false;
  return true;
}

bool PgConnection::AuthenticationFailed(const std::string& user) {
  SendFatal(sqlstate::kInvalidPassword, StrCat("password authentication failed for user \"", user, "\""));
  return false;
}

}  // namespace strata::pgwire
