// Passwords and TLS: the SCRAM-SHA-256 and MD5 formats against known vectors (RFC 7677's
// example exchange), then PgServer over real sockets with libpq and a raw client: SCRAM and MD5
// logins, wrong passwords and unknown users failing alike with 28P01, TLS with sslmode=require
// (a self-signed certificate made with the openssl CLI), refusal of plain connections when TLS
// is required (28000), Stop() waking a connection blocked in a TLS read, and TLS 1.2 offering
// forward-secret (ECDHE/DHE) suites only.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>

#include <openssl/evp.h>
#include <openssl/ssl.h>

#include "server/pgwire/password_verifiers.h"
#include "server/pgwire/pg_server.h"
#include "server/pgwire/scram_exchange.h"
#include "server/pgwire/tls_byte_stream.h"
#include "tests/unit/pgwire/wire_test_support.h"

namespace strata::pgwire::testing {
namespace {

// RFC 7677, section 3: user "user", password "pencil".
constexpr char kRfcSalt[] = "W22ZaJ0SNY7soEsUEjb6gQ==";
constexpr char kRfcClientFirst[] = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
constexpr char kRfcServerNonce[] = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
constexpr char kRfcServerFirst[] =
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
constexpr char kRfcClientFinal[] =
    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
    "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
constexpr char kRfcServerFinal[] = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

ScramSecret RfcSecret() { return ComputeScramSecret("pencil", *Base64Decode(kRfcSalt), 4096); }

TEST(PasswordVerifiers, ScramVerifierOfTheRfcExample) {
  std::string verifier = MakeScramVerifier("pencil", *Base64Decode(kRfcSalt), 4096);
  EXPECT_EQ(verifier,
            "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:"
            "wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=");
  auto parsed = ParseScramVerifier(verifier);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->iterations, 4096);
  EXPECT_EQ(parsed->stored_key, RfcSecret().stored_key);
  EXPECT_EQ(FormatScramVerifier(*parsed), verifier);
  EXPECT_FALSE(ParseScramVerifier("SCRAM-SHA-256$x:abc$def:ghi"));
  EXPECT_FALSE(ParseScramVerifier("md5a2cc14bcc08bcb211f578153967abd6d"));
  // A fresh verifier gets a random 16-byte salt and 4096 iterations.
  auto fresh = ParseScramVerifier(MakeScramVerifier("pencil"));
  ASSERT_TRUE(fresh.has_value());
  EXPECT_EQ(fresh->salt.size(), 16u);
  EXPECT_EQ(fresh->iterations, 4096);
  EXPECT_NE(fresh->salt, ParseScramVerifier(MakeScramVerifier("pencil"))->salt);
}

TEST(PasswordVerifiers, Md5AndBase64) {
  EXPECT_EQ(MakeMd5Password("hunter2", "bob"), "md5a2cc14bcc08bcb211f578153967abd6d");
  EXPECT_TRUE(IsMd5Password("md5a2cc14bcc08bcb211f578153967abd6d"));
  EXPECT_FALSE(IsMd5Password("md5a2cc14bcc08bcb211f578153967abd6"));   // 31 digits
  EXPECT_FALSE(IsMd5Password("md5a2cc14bcc08bcb211f578153967abd6x"));  // not hex
  EXPECT_EQ(Md5SaltedResponse("md5a2cc14bcc08bcb211f578153967abd6d", std::string("\x01\x02\x03\x04", 4)),
            "md52b402547e7beb0ed221f59c23c78c49a");
  for (const std::string& s : std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\0\xff\x10", 3)}) {
    EXPECT_EQ(Base64Decode(Base64Encode(s)), s);
  }
  EXPECT_EQ(Base64Encode("user"), "dXNlcg==");
  EXPECT_FALSE(Base64Decode("dXNlcg="));
  EXPECT_FALSE(Base64Decode("dX=lcg=="));
  EXPECT_FALSE(Base64Decode("dXNl*g=="));
}

TEST(ScramExchange, RunsTheRfc7677Example) {
  ScramExchange exchange(RfcSecret(), "user", kRfcServerNonce);
  EXPECT_EQ(exchange.ServerFirst(kRfcClientFirst), kRfcServerFirst);
  std::string server_final;
  EXPECT_TRUE(exchange.ClientFinal(kRfcClientFinal, &server_final));
  EXPECT_EQ(server_final, kRfcServerFinal);
}

TEST(ScramExchange, RejectsAWrongProofAndMocksUnknownUsers) {
  ScramSecret other = ComputeScramSecret("pencil2", *Base64Decode(kRfcSalt), 4096);
  ScramExchange wrong(other, "user", kRfcServerNonce);
  wrong.ServerFirst(kRfcClientFirst);
  std::string server_final;
  EXPECT_FALSE(wrong.ClientFinal(kRfcClientFinal, &server_final));
  EXPECT_TRUE(server_final.empty());

  // The mock exchange looks like a real one, with a salt that depends only on the name.
  ScramExchange mock(std::nullopt, "ghost", kRfcServerNonce);
  std::string first = mock.ServerFirst(kRfcClientFirst);
  EXPECT_EQ(first, std::string("r=rOprNGfwEbeRWgbNEkqO") + kRfcServerNonce + ",s=" +
                       Base64Encode(ScramExchange::MockSalt("ghost")) + ",i=4096");
  EXPECT_EQ(ScramExchange::MockSalt("ghost"), ScramExchange::MockSalt("ghost"));
  EXPECT_NE(ScramExchange::MockSalt("ghost"), ScramExchange::MockSalt("ghost2"));
  EXPECT_EQ(ScramExchange::MockSalt("ghost").size(), 16u);
  EXPECT_FALSE(mock.ClientFinal(kRfcClientFinal, &server_final));
}

TEST(ScramExchange, MalformedMessagesAreProtocolViolations) {
  ScramExchange a(RfcSecret(), "user", kRfcServerNonce);
  EXPECT_THROW(a.ServerFirst("p=tls-server-end-point,,n=user,r=abc"), ProtocolViolation);
  ScramExchange b(RfcSecret(), "user", kRfcServerNonce);
  EXPECT_THROW(b.ServerFirst("x,,n=user,r=abc"), ProtocolViolation);
  ScramExchange c(RfcSecret(), "user", kRfcServerNonce);
  c.ServerFirst(kRfcClientFirst);
  std::string tampered = kRfcClientFinal;
  tampered.replace(tampered.find("r=rOpr"), 6, "r=XOpr");  // another nonce
  EXPECT_THROW(c.ClientFinal(tampered, nullptr), ProtocolViolation);
  ScramExchange d(RfcSecret(), "user", kRfcServerNonce);
  d.ServerFirst("y,,n=,r=rOprNGfwEbeRWgbNEkqO");  // libpq's shape; "y": no binding offered
  EXPECT_THROW(d.ClientFinal(kRfcClientFinal, nullptr), ProtocolViolation);  // c=biws is "n,,"
}

// A raw client that speaks just enough of the protocol to see the server's errors' SQLSTATEs.
class RawClient {
 public:
  explicit RawClient(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawClient() { ::close(fd_); }
  bool connected() const { return connected_; }
  int fd() const { return fd_; }
  void Send(const std::string& bytes) {
    ASSERT_EQ(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL), static_cast<ssize_t>(bytes.size()));
  }
  std::optional<BackendMessage> ReadMessage() {
    std::string header, body;
    if (!Read(&header, 5)) return std::nullopt;
    size_t len = GetBigEndian(header.data() + 1, 4);
    if (!Read(&body, len - 4)) return std::nullopt;
    return BackendMessage{header[0], body};
  }
  bool AtEof() {
    char c;
    return ::recv(fd_, &c, 1, 0) == 0;
  }

 private:
  bool Read(std::string* out, size_t n) {
    out->resize(n);
    size_t got = 0;
    while (got < n) {
      ssize_t r = ::recv(fd_, out->data() + got, n - got, 0);
      if (r <= 0) return false;
      got += r;
    }
    return true;
  }
  int fd_ = -1;
  bool connected_ = false;
};

int32_t AuthCode(const BackendMessage& m) { return static_cast<int32_t>(GetBigEndian(m.body.data(), 4)); }

std::string SaltedPassword(const std::string& password, const std::string& salt, int iterations) {
  unsigned char out[32];
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                    reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()),
                    iterations, EVP_sha256(), sizeof out, out);
  return std::string(reinterpret_cast<char*>(out), sizeof out);
}

// Runs the client side of SCRAM with `password` over a raw socket; returns the server's answer
// to the client-final-message.
BackendMessage RawScramLogin(RawClient& client, const std::string& user, const std::string& password) {
  client.Send(StartupPacket({{"user", user}, {"database", "dev"}}));
  auto sasl = client.ReadMessage();
  EXPECT_TRUE(sasl && sasl->type == 'R' && AuthCode(*sasl) == 10);
  if (!sasl) return {'?', ""};
  EXPECT_EQ(sasl->body.substr(4), std::string("SCRAM-SHA-256\0\0", 15));
  std::string client_first_bare = "n=,r=clientnonce123";
  std::string client_first = "n,," + client_first_bare;
  client.Send(Frame('p', Cstr("SCRAM-SHA-256") + I32(client_first.size()) + client_first));
  auto cont = client.ReadMessage();
  EXPECT_TRUE(cont && cont->type == 'R' && AuthCode(*cont) == 11);
  if (!cont) return {'?', ""};
  std::string server_first = cont->body.substr(4);
  size_t s_at = server_first.find(",s="), i_at = server_first.find(",i=");
  std::string nonce = server_first.substr(2, s_at - 2);
  EXPECT_EQ(nonce.rfind("clientnonce123", 0), 0u);
  std::string salt = Base64Decode(server_first.substr(s_at + 3, i_at - s_at - 3)).value_or("");
  int iterations = std::atoi(server_first.c_str() + i_at + 3);
  EXPECT_EQ(iterations, 4096);
  std::string without_proof = "c=biws,r=" + nonce;
  std::string auth_message = client_first_bare + "," + server_first + "," + without_proof;
  std::string client_key = HmacSha256(SaltedPassword(password, salt, iterations), "Client Key");
  std::string signature = HmacSha256(Sha256(client_key), auth_message);
  std::string proof(client_key.size(), '\0');
  for (size_t i = 0; i < proof.size(); ++i) proof[i] = static_cast<char>(client_key[i] ^ signature[i]);
  client.Send(Frame('p', without_proof + ",p=" + Base64Encode(proof)));
  auto reply = client.ReadMessage();
  EXPECT_TRUE(reply.has_value());
  return reply.value_or(BackendMessage{'?', ""});
}

// A self-signed certificate and key in a temporary folder, made once for all tests.
class TlsFiles {
 public:
  static const TlsFiles& Get() {
    static TlsFiles files;
    return files;
  }
  std::string cert, key;
  bool ok = false;

 private:
  TlsFiles() {
    char tmpl[] = "/tmp/strata_auth_test_XXXXXX";
    const char* dir = ::mkdtemp(tmpl);
    if (dir == nullptr) return;
    dir_ = dir;
    cert = dir_ + "/server.crt";
    key = dir_ + "/server.key";
    std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 2 -keyout '" + key +
                      "' -out '" + cert + "' > /dev/null 2>&1";
    ok = std::system(cmd.c_str()) == 0;
  }
  ~TlsFiles() {
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }
  std::string dir_;
};

// A PgServer whose users are alice (SCRAM, "secret") and bob (MD5, "hunter2").
class AuthServerTest : public ::testing::Test {
 protected:
  void StartServer(bool tls, bool require_tls) {
    state_->scripts["select 1"] = FakeScript{.columns = {{"one", SqlType::Int32(), {"1"}}}, .tag = "SELECT 1"};
    PgServerOptions options;
    std::map<std::string, std::string> users = {{"alice", MakeScramVerifier("secret")},
                                                {"bob", MakeMd5Password("hunter2", "bob")},
                                                {"carol", ""}};
    options.stored_password = [users](const std::string& user) -> std::optional<std::string> {
      auto it = users.find(user);
      if (it == users.end() || it->second.empty()) return std::nullopt;
      return it->second;
    };
    options.passwords_required = [](const std::string&) { return true; };
    if (tls) {
      ASSERT_TRUE(TlsFiles::Get().ok) << "openssl could not make a certificate";
      options.tls_cert_file = TlsFiles::Get().cert;
      options.tls_key_file = TlsFiles::Get().key;
      options.require_tls = require_tls;
    }
    server_ = std::make_unique<PgServer>(MakeFactory(state_), options);
    std::string error;
    ASSERT_TRUE(server_->Start(&error)) << error;
  }
  void TearDown() override {
    if (server_) server_->Stop();
  }

  // Connects with libpq; returns the connection (check PQstatus) and sets *error.
  PGconn* Connect(const std::string& user, const std::string& password, const std::string& sslmode) {
    std::string conninfo = "host=127.0.0.1 port=" + std::to_string(server_->port()) + " user=" + user +
                           " dbname=dev connect_timeout=5 gssencmode=disable sslmode=" + sslmode;
    if (!password.empty()) conninfo += " password=" + password;
    return PQconnectdb(conninfo.c_str());
  }
  bool SelectOne(PGconn* conn) {
    PGresult* r = PQexec(conn, "select 1");
    bool ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && std::string(PQgetvalue(r, 0, 0)) == "1";
    PQclear(r);
    return ok;
  }
  std::string FailedLogin(const std::string& user, const std::string& password, const std::string& sslmode) {
    PGconn* conn = Connect(user, password, sslmode);
    EXPECT_EQ(PQstatus(conn), CONNECTION_BAD);
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    return message;
  }

  std::shared_ptr<FakeState> state_ = std::make_shared<FakeState>();
  std::unique_ptr<PgServer> server_;
};

TEST_F(AuthServerTest, ScramLoginWithLibpq) {
  StartServer(false, false);
  PGconn* conn = Connect("alice", "secret", "disable");
  ASSERT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  EXPECT_TRUE(SelectOne(conn));
  PQfinish(conn);
}

TEST_F(AuthServerTest, Md5LoginWithLibpq) {
  StartServer(false, false);
  PGconn* conn = Connect("bob", "hunter2", "disable");
  ASSERT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  EXPECT_TRUE(SelectOne(conn));
  PQfinish(conn);
  EXPECT_NE(FailedLogin("bob", "hunter3", "disable").find("FATAL:  password authentication failed for user \"bob\""),
            std::string::npos);
}

TEST_F(AuthServerTest, WrongPasswordAndUnknownUserFailAlike) {
  StartServer(false, false);
  std::string wrong = FailedLogin("alice", "nope", "disable");
  EXPECT_NE(wrong.find("FATAL:  password authentication failed for user \"alice\""), std::string::npos) << wrong;
  std::string unknown = FailedLogin("mallory", "nope", "disable");
  EXPECT_NE(unknown.find("FATAL:  password authentication failed for user \"mallory\""), std::string::npos) << unknown;
  std::string no_password = FailedLogin("carol", "x", "disable");  // a user without a password
  EXPECT_NE(no_password.find("password authentication failed for user \"carol\""), std::string::npos);
  // libpq without a password gives up before answering; the server just ends that connection.
  EXPECT_NE(FailedLogin("alice", "", "disable").find("no password supplied"), std::string::npos);
  EXPECT_EQ(state_->sessions.load(), 0);  // no session was ever made
}

TEST_F(AuthServerTest, RawClientSeesSqlstatesAndScramFinal) {
  StartServer(false, false);
  {
    RawClient client(server_->port());
    BackendMessage final_msg = RawScramLogin(client, "alice", "secret");
    ASSERT_EQ(final_msg.type, 'R');
    EXPECT_EQ(AuthCode(final_msg), 12);
    EXPECT_EQ(final_msg.body.substr(4, 2), "v=");
    auto ok = client.ReadMessage();
    ASSERT_TRUE(ok.has_value());
    EXPECT_EQ(ok->type, 'R');
    EXPECT_EQ(AuthCode(*ok), 0);
  }
  for (const std::string user : {"alice", "mallory"}) {
    RawClient client(server_->port());
    BackendMessage error = RawScramLogin(client, user, "wrong");
    ASSERT_EQ(error.type, 'E');
    auto fields = ErrorFields(error.body);
    EXPECT_EQ(fields['S'], "FATAL");
    EXPECT_EQ(fields['C'], "28P01");
    EXPECT_EQ(fields['M'], "password authentication failed for user \"" + user + "\"");
    EXPECT_TRUE(client.AtEof());
  }
  {
    RawClient client(server_->port());
    client.Send(StartupPacket({{"user", "bob"}, {"database", "dev"}}));
    auto md5 = client.ReadMessage();
    ASSERT_TRUE(md5 && md5->type == 'R');
    EXPECT_EQ(AuthCode(*md5), 5);
    EXPECT_EQ(md5->body.size(), 8u);  // code + 4-byte salt
    std::string salt = md5->body.substr(4);
    client.Send(Frame('p', Cstr(Md5SaltedResponse(MakeMd5Password("hunter2", "bob"), salt))));
    auto ok = client.ReadMessage();
    ASSERT_TRUE(ok && ok->type == 'R');
    EXPECT_EQ(AuthCode(*ok), 0);
  }
  {
    RawClient client(server_->port());
    client.Send(StartupPacket({{"user", "bob"}, {"database", "dev"}}));
    ASSERT_TRUE(client.ReadMessage().has_value());
    client.Send(Frame('p', Cstr("md500000000000000000000000000000000")));
    auto error = client.ReadMessage();
    ASSERT_TRUE(error && error->type == 'E');
    EXPECT_EQ(ErrorFields(error->body)['C'], "28P01");
  }
  {
    RawClient client(server_->port());  // a query instead of the password: 08P01
    client.Send(StartupPacket({{"user", "bob"}, {"database", "dev"}}));
    ASSERT_TRUE(client.ReadMessage().has_value());
    client.Send(QueryMsg("select 1"));
    auto error = client.ReadMessage();
    ASSERT_TRUE(error && error->type == 'E');
    EXPECT_EQ(ErrorFields(error->body)['C'], "08P01");
  }
}

TEST_F(AuthServerTest, TlsWithSslmodeRequire) {
  StartServer(true, false);
  PGconn* conn = Connect("alice", "secret", "require");
  ASSERT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  EXPECT_EQ(PQsslInUse(conn), 1);
  EXPECT_STREQ(PQsslAttribute(conn, "protocol") ? "ok" : "none", "ok");
  EXPECT_TRUE(SelectOne(conn));
  PQfinish(conn);
  // TLS is offered, not required: a plain connection still works.
  conn = Connect("bob", "hunter2", "disable");
  ASSERT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  EXPECT_EQ(PQsslInUse(conn), 0);
  PQfinish(conn);
  EXPECT_NE(FailedLogin("alice", "wrong", "require").find("password authentication failed"), std::string::npos);
}

TEST_F(AuthServerTest, RequireTlsRefusesPlainConnections) {
  StartServer(true, true);
  std::string refused = FailedLogin("alice", "secret", "disable");
  EXPECT_NE(refused.find("FATAL:  no pg_hba.conf entry for host \"127.0.0.1\", user \"alice\", database \"dev\", "
                         "no encryption"),
            std::string::npos)
      << refused;
  RawClient client(server_->port());
  client.Send(StartupPacket({{"user", "alice"}, {"database", "dev"}}));
  auto error = client.ReadMessage();
  ASSERT_TRUE(error && error->type == 'E');
  EXPECT_EQ(ErrorFields(error->body)['C'], "28000");
  PGconn* conn = Connect("alice", "secret", "require");
  ASSERT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  EXPECT_TRUE(SelectOne(conn));
  PQfinish(conn);
}

// A TLS 1.2 handshake after an SSLRequest, the client offering only `ciphers`; true when the
// server agreed to one of them.
bool Tls12HandshakeWith(uint16_t port, const char* ciphers) {
  RawClient client(port);
  client.Send(SslRequest());
  char answer = 0;
  if (::recv(client.fd(), &answer, 1, 0) != 1 || answer != 'S') return false;
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
  bool ok = SSL_CTX_set_cipher_list(ctx, ciphers) == 1;
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, client.fd());
  ok = ok && SSL_connect(ssl) == 1;
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  return ok;
}

TEST_F(AuthServerTest, Tls12OffersForwardSecretSuitesOnly) {
  StartServer(true, false);
  EXPECT_TRUE(Tls12HandshakeWith(server_->port(), "ECDHE-RSA-AES128-GCM-SHA256"));
  EXPECT_TRUE(Tls12HandshakeWith(server_->port(), "DHE-RSA-AES256-GCM-SHA384"));
  // Static RSA key exchange: no forward secrecy, refused.
  EXPECT_FALSE(Tls12HandshakeWith(server_->port(), "AES128-GCM-SHA256:AES256-SHA256:AES128-SHA"));
  // CBC suites, even with ECDHE, are not offered either.
  EXPECT_FALSE(Tls12HandshakeWith(server_->port(), "ECDHE-RSA-AES128-SHA256:ECDHE-RSA-AES128-SHA"));
}

TEST_F(AuthServerTest, StopWakesAnIdleTlsConnection) {
  StartServer(true, false);
  PGconn* conn = Connect("alice", "secret", "require");
  ASSERT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  auto start = std::chrono::steady_clock::now();
  server_->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  EXPECT_EQ(server_->active_connections(), 0u);
  PQfinish(conn);
}

TEST(TlsContext, BadFilesAreRefusedWithTheFileName) {
  std::string error;
  EXPECT_EQ(TlsContext::Load("/nonexistent/cert.pem", "/nonexistent/key.pem", &error), nullptr);
  EXPECT_NE(error.find("/nonexistent/cert.pem"), std::string::npos) << error;
  PgServerOptions options;
  options.tls_cert_file = "/nonexistent/cert.pem";
  options.tls_key_file = "/nonexistent/key.pem";
  PgServer server(MakeFactory(std::make_shared<FakeState>()), options);
  EXPECT_FALSE(server.Start(&error));
  EXPECT_NE(error.find("certificate"), std::string::npos) << error;
}

}  // namespace
}  // namespace strata::pgwire::testing
