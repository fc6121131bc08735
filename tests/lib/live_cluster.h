// A real cluster for GoogleTest suites that need several sessions at once (lock waits, users
// and their rights): one `strata serve` per suite (tests/runner/cluster.h: password, TLS, its
// own process group), libpq connections as any user, and small helpers that return what a
// statement answered (its SQLSTATE, or "" on success) so that tests assert on it directly.
#pragma once

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "tests/lib/test_watchdog.h"
#include "tests/runner/cluster.h"

namespace strata::testing {

// The cluster binary comes from STRATA_BINARY (set by CMake for the test).
class LiveCluster {
 public:
  explicit LiveCluster(std::vector<std::string> allow_paths = {}, std::vector<std::string> extra_args = {}) {
    std::string pattern = "/tmp/strata-live-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    dir_ = pattern;
    sqltest::ClusterOptions o;
    const char* bin = std::getenv("STRATA_BINARY");
    o.strata_binary = bin ? bin : "strata";
    o.data_dir = dir_ + "/data";
    o.log_path = dir_ + "/server.log";
    o.port = sqltest::PickFreePort();
    o.password = "Cluster-Pw-1";
    for (auto& p : allow_paths) o.allow_paths.push_back(p.empty() ? dir_ : p);
    o.extra_args = std::move(extra_args);
    cluster_ = std::make_unique<sqltest::Cluster>(o);
    std::string error;
    started_ = cluster_->Start(error);
    error_ = error;
  }
  ~LiveCluster() {
    cluster_->Stop();
    std::filesystem::remove_all(dir_);
  }
  bool started() const { return started_; }
  const std::string& error() const { return error_; }
  const std::string& dir() const { return dir_; }
  std::string LogTail() const { return cluster_->LogTail(30); }
  pid_t leader_pid() const { return cluster_->pid(); }
  // kill -9 of the whole cluster, then a start on the same data; false (and error()) if it
  // does not come back.
  bool CrashAndRestart() {
    cluster_->Kill();
    std::string error;
    started_ = cluster_->Start(error);
    error_ = error;
    return started_;
  }

  // A connection as `user` (nullptr-safe: check PQstatus).
  PGconn* Connect(const std::string& user = "strata", const std::string& password = "Cluster-Pw-1") const {
    std::string info = "host=127.0.0.1 port=" + std::to_string(cluster_->options().port) + " user=" + user +
                       " password=" + password + " dbname=dev connect_timeout=5 sslmode=require gssencmode=disable";
    return PQconnectdb(info.c_str());
  }

 private:
  std::string dir_, error_;
  bool started_ = false;
  std::unique_ptr<sqltest::Cluster> cluster_;
};

// A GoogleTest fixture base with one LiveCluster per suite (`Derived` is the fixture itself, so
// every suite gets its own cluster). A fixture that needs more in SetUp calls this SetUp first.
template <typename Derived>
class LiveClusterSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { cluster_ = new LiveCluster(); }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(cluster_->started()) << cluster_->error(); }

  static inline LiveCluster* cluster_ = nullptr;
};

// Runs `sql`; returns "" on success or the SQLSTATE of the error ("conn" if the connection broke).
inline std::string StateOf(PGconn* c, const std::string& sql, std::string* message = nullptr) {
  PGresult* r = PQexec(c, sql.c_str());
  ExecStatusType st = PQresultStatus(r);
  std::string out;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    out = s ? s : "conn";
    if (message) *message = PQerrorMessage(c);
  }
  PQclear(r);
  return out;
}

// The first column of the first row of `sql` ("<error SQLSTATE>" when it fails).
inline std::string ValueOf(PGconn* c, const std::string& sql) {
  PGresult* r = PQexec(c, sql.c_str());
  std::string out;
  if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0) {
    out = PQgetisnull(r, 0, 0) ? "NULL" : PQgetvalue(r, 0, 0);
  } else {
    const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    out = std::string("<error ") + (s ? s : "?") + ">";
  }
  PQclear(r);
  return out;
}

// Waits (at most `timeout_s`) for the answer to what PQsendQuery sent on `c`: "" for success,
// the first error's SQLSTATE, "conn" when the connection broke, "still running" on timeout.
inline std::string FinishSent(PGconn* c, int timeout_s = 120) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  std::string state;
  while (std::chrono::steady_clock::now() < deadline) {
    if (PQconsumeInput(c) == 0) return state.empty() ? "conn" : state;
    if (PQisBusy(c)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      continue;
    }
    PGresult* r = PQgetResult(c);
    if (r == nullptr) return state;
    if (PQresultStatus(r) == PGRES_FATAL_ERROR && state.empty()) {
      const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
      state = s ? s : "?";
    }
    PQclear(r);
  }
  return "still running";
}

// Sends a CancelRequest for what runs on `c` and waits for its answer (FinishSent). Returns the
// answer's SQLSTATE ("57014" when the cancel stopped it) and sets `*seconds` to how long the
// cancel took, from the request to the answer; "cancel: ..." when the request could not be sent.
inline std::string CancelSent(PGconn* c, double* seconds) {
  auto start = std::chrono::steady_clock::now();
  PGcancel* cancel = PQgetCancel(c);
  char err[256] = {};
  int sent = cancel == nullptr ? 0 : PQcancel(cancel, err, sizeof err);
  if (cancel != nullptr) PQfreeCancel(cancel);
  if (sent != 1) return std::string("cancel: ") + err;
  std::string state = FinishSent(c);
  *seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return state;
}

}  // namespace strata::testing
