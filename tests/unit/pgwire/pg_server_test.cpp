// PgServer over real sockets: a tiny hand-written client (SSLRequest, startup, simple and
// extended queries), libpq (text and binary results, prepared statements, errors), a
// CancelRequest reaching the running session, many concurrent sessions, a clean Stop(), and the
// limits: max_connections (53300), the flood cap at accept and the authentication timeout.
#include "server/pgwire/pg_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "tests/unit/pgwire/wire_test_support.h"

namespace strata::pgwire::testing {
namespace {

// A blocking client on a plain POSIX socket with a receive timeout, so a broken server fails
// the test instead of hanging it.
class TinyClient {
 public:
  explicit TinyClient(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~TinyClient() { ::close(fd_); }
  bool connected() const { return connected_; }

  void Send(const std::string& bytes) {
    ASSERT_EQ(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(bytes.size()));
  }
  // Reads exactly n bytes; false on EOF, error or timeout.
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
  std::optional<BackendMessage> ReadMessage() {
    std::string header, body;
    if (!Read(&header, 5)) return std::nullopt;
    size_t len = GetBigEndian(header.data() + 1, 4);
    if (!Read(&body, len - 4)) return std::nullopt;
    return BackendMessage{header[0], body};
  }
  std::vector<BackendMessage> ReadUntilReady() {
    std::vector<BackendMessage> msgs;
    while (auto m = ReadMessage()) {
      msgs.push_back(*m);
      if (m->type == 'Z' || (m->type == 'E' && ErrorFields(m->body)['S'] == "FATAL")) break;
    }
    return msgs;
  }
  bool AtEof() {
    char c;
    return ::recv(fd_, &c, 1, 0) == 0;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

class PgServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    state_->scripts["select a, b"] =
        FakeScript{.columns = {{"a", SqlType::Int32(), {"1", std::nullopt}},
                               {"b", SqlType::Text(), {"x", "yz"}}},
                   .tag = "SELECT 2"};
    state_->scripts["select $1, $2"] = FakeScript{.param_oids = {23, 25}, .echo_params = true};
    state_->scripts["select typed"] =
        FakeScript{.columns = {{"i4", SqlType::Int32(), {"70000"}},
                               {"num", SqlType::Decimal(10, 2), {"3.25"}}},
                   .tag = "SELECT 1"};
    state_->scripts["boom"] = FakeScript{.execute_error = SqlError("22012", "division by zero")};
    state_->scripts["sleep"] = FakeScript{.tag = "SELECT 0", .wait_for_cancel = true};
    server_ = std::make_unique<PgServer>(MakeFactory(state_));
    std::string error;
    ASSERT_TRUE(server_->Start(&error)) << error;
    ASSERT_NE(server_->port(), 0);
  }
  void TearDown() override { server_->Stop(); }

  PGconn* Connect() {
    std::string conninfo = "host=127.0.0.1 port=" + std::to_string(server_->port()) +
                           " user=alice dbname=dev connect_timeout=5 gssencmode=disable";
    PGconn* conn = PQconnectdb(conninfo.c_str());
    EXPECT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
    return conn;
  }

  std::shared_ptr<FakeState> state_ = std::make_shared<FakeState>();
  std::unique_ptr<PgServer> server_;
};

TEST_F(PgServerTest, TinyClientRunsTheProtocol) {
  TinyClient client(server_->port());
  ASSERT_TRUE(client.connected());
  client.Send(SslRequest());
  std::string answer;
  ASSERT_TRUE(client.Read(&answer, 1));
  EXPECT_EQ(answer, "N");
  client.Send(StartupPacket({{"user", "alice"}, {"database", "dev"}}));
  EXPECT_EQ(Types(client.ReadUntilReady()), "RSSKZ");
  client.Send(QueryMsg("select a, b; boom; select a, b"));
  auto msgs = client.ReadUntilReady();
  ASSERT_EQ(Types(msgs), "TDDCEZ");
  EXPECT_EQ(DataRowValues(msgs[2].body)[1], "yz");
  client.Send(ParseMsg("", "select a, b") + BindMsg("", "", {}, {}, {}) + ExecuteMsg("", 1) +
              SyncMsg());
  EXPECT_EQ(Types(client.ReadUntilReady()), "12DsZ");
  client.Send(TerminateMsg());
  EXPECT_TRUE(client.AtEof());
}

TEST_F(PgServerTest, BadMessageClosesTheConnection) {
  TinyClient client(server_->port());
  client.Send(StartupPacket({{"user", "alice"}}));
  client.ReadUntilReady();
  client.Send(std::string("Q\xff\xff\xff\xff", 5));
  auto msgs = client.ReadUntilReady();
  ASSERT_EQ(Types(msgs), "E");
  EXPECT_EQ(ErrorFields(msgs[0].body)['C'], "08P01");
  EXPECT_TRUE(client.AtEof());
}

TEST_F(PgServerTest, LibpqSimpleQueryAndErrors) {
  PGconn* conn = Connect();
  EXPECT_STREQ(PQparameterStatus(conn, "server_version"), "15.0");
  EXPECT_NE(PQbackendPID(conn), 0);
  PGresult* res = PQexec(conn, "select a, b");
  ASSERT_EQ(PQresultStatus(res), PGRES_TUPLES_OK) << PQerrorMessage(conn);
  ASSERT_EQ(PQntuples(res), 2);
  EXPECT_STREQ(PQfname(res, 1), "b");
  EXPECT_EQ(PQftype(res, 0), 23u);
  EXPECT_STREQ(PQgetvalue(res, 0, 0), "1");
  EXPECT_TRUE(PQgetisnull(res, 1, 0));
  EXPECT_STREQ(PQgetvalue(res, 1, 1), "yz");
  EXPECT_STREQ(PQcmdTuples(res), "2");
  PQclear(res);
  res = PQexec(conn, "boom");
  EXPECT_EQ(PQresultStatus(res), PGRES_FATAL_ERROR);
  EXPECT_STREQ(PQresultErrorField(res, PG_DIAG_SQLSTATE), "22012");
  EXPECT_STREQ(PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY), "division by zero");
  PQclear(res);
  EXPECT_EQ(PQtransactionStatus(conn), PQTRANS_IDLE);
  PQfinish(conn);
}

TEST_F(PgServerTest, LibpqBinaryResultsAndPreparedStatements) {
  PGconn* conn = Connect();
  PGresult* res = PQexecParams(conn, "select typed", 0, nullptr, nullptr, nullptr, nullptr, 1);
  ASSERT_EQ(PQresultStatus(res), PGRES_TUPLES_OK) << PQerrorMessage(conn);
  ASSERT_EQ(PQgetlength(res, 0, 0), 4);
  EXPECT_EQ(GetBigEndian(PQgetvalue(res, 0, 0), 4), 70000u);
  EXPECT_EQ(std::string(PQgetvalue(res, 0, 1), PQgetlength(res, 0, 1)),
            I16(2) + I16(0) + I16(0) + I16(2) + I16(3) + I16(2500));  // 3.25
  EXPECT_EQ(PQfformat(res, 0), 1);
  PQclear(res);

  res = PQprepare(conn, "s1", "select $1, $2", 0, nullptr);
  ASSERT_EQ(PQresultStatus(res), PGRES_COMMAND_OK) << PQerrorMessage(conn);
  PQclear(res);
  res = PQdescribePrepared(conn, "s1");
  ASSERT_EQ(PQnparams(res), 2);
  EXPECT_EQ(PQparamtype(res, 0), 23u);
  EXPECT_EQ(PQnfields(res), 2);
  PQclear(res);
  std::string int4 = I32(-7);
  const char* values[2] = {int4.data(), "hello"};
  int lengths[2] = {4, 5};
  int formats[2] = {1, 0};
  for (int i = 0; i < 6; ++i) {  // more than pgjdbc's prepareThreshold, for good measure
    res = PQexecPrepared(conn, "s1", 2, values, lengths, formats, 0);
    ASSERT_EQ(PQresultStatus(res), PGRES_TUPLES_OK) << PQerrorMessage(conn);
    EXPECT_STREQ(PQgetvalue(res, 0, 0), "-7");
    EXPECT_STREQ(PQgetvalue(res, 0, 1), "hello");
    PQclear(res);
  }
  res = PQexecPrepared(conn, "nope", 0, nullptr, nullptr, nullptr, 0);
  EXPECT_STREQ(PQresultErrorField(res, PG_DIAG_SQLSTATE), "26000");
  PQclear(res);
  PQfinish(conn);
}

TEST_F(PgServerTest, CancelRequestCancelsTheRunningStatement) {
  PGconn* conn = Connect();
  std::string sqlstate;
  std::thread runner([&] {
    PGresult* res = PQexec(conn, "sleep");
    const char* s = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    sqlstate = s ? s : "";
    PQclear(res);
  });
  for (int i = 0; i < 500 && !state_->executing.load(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(state_->executing.load());
  PGcancel* cancel = PQgetCancel(conn);
  char errbuf[256];
  EXPECT_EQ(PQcancel(cancel, errbuf, sizeof errbuf), 1) << errbuf;
  PQfreeCancel(cancel);
  runner.join();
  EXPECT_EQ(state_->cancels.load(), 1);
  EXPECT_EQ(sqlstate, "57014");
  PGresult* res = PQexec(conn, "select a, b");  // the session is still usable
  EXPECT_EQ(PQresultStatus(res), PGRES_TUPLES_OK);
  PQclear(res);
  PQfinish(conn);
}

TEST_F(PgServerTest, ManyConcurrentSessions) {
  constexpr int kClients = 8;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&] {
      PGconn* conn = Connect();
      for (int q = 0; q < 20; ++q) {
        PGresult* res = PQexec(conn, "select a, b");
        if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 2) ++ok;
        PQclear(res);
      }
      PQfinish(conn);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kClients * 20);
}

TEST_F(PgServerTest, StopEndsIdleAndBusyConnections) {
  TinyClient idle(server_->port());
  idle.Send(StartupPacket({{"user", "alice"}}));
  EXPECT_EQ(Types(idle.ReadUntilReady()), "RSSKZ");
  TinyClient busy(server_->port());
  busy.Send(StartupPacket({{"user", "alice"}}));
  busy.ReadUntilReady();
  busy.Send(QueryMsg("sleep"));
  for (int i = 0; i < 500 && !state_->executing.load(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(server_->active_connections(), 2u);
  auto start = std::chrono::steady_clock::now();
  server_->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  EXPECT_EQ(state_->sessions.load(), 0);
  EXPECT_EQ(state_->cancels.load(), 2);  // Stop() cancels every session's statement
  EXPECT_TRUE(idle.AtEof());
  TinyClient late(server_->port());
  EXPECT_FALSE(late.connected());
}

TEST(PgServerStart, PortInUseIsReported) {
  auto state = std::make_shared<FakeState>();
  PgServer first(MakeFactory(state));
  ASSERT_TRUE(first.Start());
  PgServer second(MakeFactory(state), PgServerOptions{"127.0.0.1", first.port()});
  std::string error;
  EXPECT_FALSE(second.Start(&error));
  EXPECT_NE(error.find("cannot bind"), std::string::npos) << error;
  PgServer bad_address(MakeFactory(state), PgServerOptions{"not-an-address", 0});
  EXPECT_FALSE(bad_address.Start(&error));
}

// max_connections: the extra client gets FATAL 53300 after its StartupMessage; a CancelRequest
// still gets through; once a session leaves there is room again.
TEST(PgServerLimits, MaxConnectionsRefusesTheExtraClient) {
  auto state = std::make_shared<FakeState>();
  PgServerOptions options;
  options.max_connections = 2;
  PgServer server(MakeFactory(state), options);
  ASSERT_TRUE(server.Start());
  TinyClient a(server.port()), b(server.port()), c(server.port());
  a.Send(StartupPacket({{"user", "alice"}}));
  EXPECT_EQ(Types(a.ReadUntilReady()), "RSSKZ");
  b.Send(StartupPacket({{"user", "alice"}}));
  EXPECT_EQ(Types(b.ReadUntilReady()), "RSSKZ");
  c.Send(StartupPacket({{"user", "alice"}}));
  auto msgs = c.ReadUntilReady();
  ASSERT_EQ(Types(msgs), "E");
  EXPECT_EQ(ErrorFields(msgs[0].body)['C'], "53300");
  EXPECT_EQ(ErrorFields(msgs[0].body)['M'], "sorry, too many clients already");
  EXPECT_TRUE(c.AtEof());
  a.Send(TerminateMsg());
  EXPECT_TRUE(a.AtEof());
  bool admitted = false;
  for (int i = 0; i < 100 && !admitted; ++i) {  // the server counts a's departure asynchronously
    TinyClient d(server.port());
    d.Send(StartupPacket({{"user", "alice"}}));
    admitted = Types(d.ReadUntilReady()) == "RSSKZ";
    if (!admitted) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(admitted);
  server.Stop();
}

// Beyond 2 x max_connections + 10 connections that have not even sent a StartupMessage, the
// next socket is refused at once, without a thread.
TEST(PgServerLimits, ConnectionFloodIsRefusedAtAccept) {
  auto state = std::make_shared<FakeState>();
  PgServerOptions options;
  options.max_connections = 1;
  PgServer server(MakeFactory(state), options);
  ASSERT_TRUE(server.Start());
  std::vector<std::unique_ptr<TinyClient>> silent;
  for (int i = 0; i < 12; ++i) silent.push_back(std::make_unique<TinyClient>(server.port()));
  bool refused = false;
  for (int i = 0; i < 100 && !refused; ++i) {  // accepts happen on the server's own thread
    TinyClient extra(server.port());
    auto m = extra.ReadMessage();
    refused = m && m->type == 'E' && ErrorFields(m->body)['C'] == "53300";
    if (!refused) silent.push_back(std::make_unique<TinyClient>(server.port()));
  }
  EXPECT_TRUE(refused);
  server.Stop();
}

// authentication_timeout: a client that sends nothing (or stops half-way through its startup
// packet) is disconnected; one that logged in in time stays.
TEST(PgServerLimits, AuthenticationTimeoutClosesSilentClients) {
  auto state = std::make_shared<FakeState>();
  state->scripts["select a, b"] = FakeScript{.columns = {{"a", SqlType::Int32(), {"1"}}}, .tag = "SELECT 1"};
  PgServerOptions options;
  options.authentication_timeout = std::chrono::milliseconds(300);
  PgServer server(MakeFactory(state), options);
  ASSERT_TRUE(server.Start());
  auto start = std::chrono::steady_clock::now();
  TinyClient silent(server.port()), partial(server.port()), good(server.port());
  partial.Send(StartupPacket({{"user", "alice"}}).substr(0, 6));
  good.Send(StartupPacket({{"user", "alice"}}));
  EXPECT_EQ(Types(good.ReadUntilReady()), "RSSKZ");
  EXPECT_TRUE(silent.AtEof());
  EXPECT_TRUE(partial.AtEof());
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, std::chrono::milliseconds(250));
  EXPECT_LT(took, std::chrono::seconds(4));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  good.Send(QueryMsg("select a, b"));
  EXPECT_EQ(Types(good.ReadUntilReady()), "TDCZ");
  auto stop_start = std::chrono::steady_clock::now();
  server.Stop();  // pending timers do not hold Stop() up
  EXPECT_LT(std::chrono::steady_clock::now() - stop_start, std::chrono::seconds(3));
}

}  // namespace
}  // namespace strata::pgwire::testing
