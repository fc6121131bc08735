// The concurrency ledger test: N sessions each run M randomly chosen writing statements at once
// against a real cluster — INSERT, UPDATE (one row, many rows, and a counter row every session
// shares), DELETE, COPY FROM STDIN, INSERT … SELECT, and explicit transactions that commit or
// roll back — and each keeps a ledger of what the server acknowledged. Afterwards the tables
// must hold exactly what the ledgers say: every acknowledged write present once, nothing that
// was rolled back or refused, no duplicated or invented row. Sessions write their own keys of
// shared tables (so one session's DELETE must never touch another's rows) and all increment one
// shared counter (so lost updates show as a wrong total).
//
// A statement may fail only with 40001 (serialization failure, in an explicit transaction, as
// Redshift answers) or 40P01; those writes are simply not in the ledger. Any other error, a
// lost connection or a mismatch fails the test. Seeded (--seed), bounded in count (--sessions,
// --statements) and time (--timeout-s: a watchdog kills the cluster and fails the run).
//
// Prints `ledger: S sessions x M statements, A acknowledged, R refused (40001/40P01), X mismatches`.
#include <libpq-fe.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "tests/runner/cluster.h"

namespace fs = std::filesystem;
using strata::sqltest::Cluster;
using strata::sqltest::ClusterOptions;

namespace {

struct Options {
  std::string strata;   // start a cluster with this binary, or
  std::string connect;  // use this libpq connection string
  int sessions = 16;
  int statements = 200;
  uint64_t seed = 1;
  int timeout_s = 600;
};

constexpr int kTables = 2;             // t0: DISTKEY(k), t1: DISTSTYLE EVEN
constexpr int64_t kKeysPerSession = 100000000;

// One session's view of what the server acknowledged: per table, key -> value.
struct Ledger {
  std::map<int64_t, int64_t> rows[kTables];
  int64_t counter_increments = 0;
};

// A pending change inside an explicit transaction, applied to the ledger at COMMIT.
struct Change {
  enum Kind { kPut, kErase, kAddAll, kCounter } kind;
  int table = 0;
  int64_t key = 0, value = 0;
};

struct Totals {
  std::atomic<int64_t> acknowledged{0}, refused{0};
  std::mutex mu;
  std::vector<std::string> failures;
  void Fail(const std::string& what) {
    std::lock_guard<std::mutex> lock(mu);
    if (failures.size() < 20) failures.push_back(what);
  }
};

enum class Result { kOk, kRefused, kFailed };

Result Check(PGresult* r, PGconn* c, const std::string& sql, Totals& totals) {
  ExecStatusType st = PQresultStatus(r);
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_COPY_IN) return Result::kOk;
  const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
  std::string code = state ? state : "";
  if (code == "40001" || code == "40P01") return Result::kRefused;
  totals.Fail("`" + sql.substr(0, 120) + "` failed: " + code + " " + PQerrorMessage(c));
  return Result::kFailed;
}

class Session {
 public:
  Session(int id, const std::string& conninfo, uint64_t seed, Totals& totals)
      : id_(id), rng_(seed * 7919 + id), totals_(totals) {
    conn_ = PQconnectdb(conninfo.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) {
      totals_.Fail("session " + std::to_string(id) + " cannot connect: " + PQerrorMessage(conn_));
      PQfinish(conn_);
      conn_ = nullptr;
    }
  }
  ~Session() {
    if (conn_) PQfinish(conn_);
  }
  const Ledger& ledger() const { return ledger_; }

  // Runs `count` random operations; false once something failed beyond 40001/40P01.
  bool Run(int count) {
    if (!conn_) return false;
    for (int i = 0; i < count; ++i) {
      if (!RunOne()) {
        // Close at once: a transaction left open would hold its locks and stall the others.
        PQfinish(conn_);
        conn_ = nullptr;
        return false;
      }
    }
    return true;
  }

 private:
  int64_t NewKey() { return id_ * kKeysPerSession + (next_key_++); }
  std::string Table(int t) const { return "t" + std::to_string(t); }

  // Some key of this session's committed rows that this transaction has not deleted, or -1.
  int64_t SomeKey(int t) {
    const auto& m = ledger_.rows[t];
    if (m.empty()) return -1;
    auto it = m.begin();
    std::advance(it, static_cast<long>(rng_() % m.size()));
    for (const Change& c : *pending_) {
      if (c.kind == Change::kErase && c.table == t && c.key == it->first) return -1;
    }
    return it->first;
  }

  Result Exec(const std::string& sql) {
    PGresult* r = PQexec(conn_, sql.c_str());
    Result out = Check(r, conn_, sql, totals_);
    PQclear(r);
    return out;
  }

  // Each operation appends what it changed to `changes`; they reach the ledger once the
  // statement (autocommit) or the transaction (COMMIT) is acknowledged.
  Result Operation(std::vector<Change>& changes) {
    int t = static_cast<int>(rng_() % kTables);
    std::string tbl = Table(t);
    switch (rng_() % 8) {
      case 0: case 1: {  // INSERT VALUES
        int64_t k = NewKey(), v = static_cast<int64_t>(rng_() % 1000);
        changes.push_back({Change::kPut, t, k, v});
        return Exec("insert into " + tbl + " values (" + std::to_string(k) + ", " + std::to_string(id_) + ", " +
                    std::to_string(v) + ")");
      }
      case 2: {  // UPDATE one row
        int64_t k = SomeKey(t);
        if (k < 0) return Result::kOk;
        changes.push_back({Change::kPut, t, k, Pending(t, k) + 1});
        return Exec("update " + tbl + " set v = v + 1 where k = " + std::to_string(k));
      }
      case 3: {  // UPDATE all of this session's rows
        changes.push_back({Change::kAddAll, t, 0, 2});
        return Exec("update " + tbl + " set v = v + 2 where s = " + std::to_string(id_));
      }
      case 4: {  // DELETE one row
        int64_t k = SomeKey(t);
        if (k < 0) return Result::kOk;
        changes.push_back({Change::kErase, t, k, 0});
        return Exec("delete from " + tbl + " where k = " + std::to_string(k));
      }
      case 5: {  // COPY FROM STDIN, a few rows
        std::string data;
        int n = 1 + static_cast<int>(rng_() % 4);
        for (int i = 0; i < n; ++i) {
          int64_t k = NewKey(), v = static_cast<int64_t>(rng_() % 1000);
          data += std::to_string(k) + "\t" + std::to_string(id_) + "\t" + std::to_string(v) + "\n";
          changes.push_back({Change::kPut, t, k, v});
        }
        return Copy("copy " + tbl + " from stdin", data);
      }
      case 6: {  // INSERT … SELECT of one of its own rows under a new key
        int64_t from = SomeKey(t);
        if (from < 0) return Result::kOk;
        int64_t k = NewKey();
        changes.push_back({Change::kPut, t, k, Pending(t, from)});
        return Exec("insert into " + tbl + " select " + std::to_string(k) + ", s, v from " + tbl +
                    " where k = " + std::to_string(from));
      }
      default: {  // the shared counter
        changes.push_back({Change::kCounter, 0, 0, 1});
        return Exec("update c set v = v + 1 where k = 1");
      }
    }
  }

  Result Copy(const std::string& sql, const std::string& data) {
    PGresult* r = PQexec(conn_, sql.c_str());
    Result out = Check(r, conn_, sql, totals_);
    PQclear(r);
    if (out != Result::kOk) return out;
    if (PQputCopyData(conn_, data.data(), static_cast<int>(data.size())) != 1 || PQputCopyEnd(conn_, nullptr) != 1) {
      totals_.Fail("COPY data could not be sent: " + std::string(PQerrorMessage(conn_)));
      return Result::kFailed;
    }
    out = Result::kOk;
    while (PGresult* end = PQgetResult(conn_)) {
      Result o = Check(end, conn_, sql + " (end)", totals_);
      if (o != Result::kOk) out = o;
      PQclear(end);
    }
    return out;
  }

  // The value of row k as this transaction would see it: the ledger plus `pending_`.
  int64_t Pending(int t, int64_t k) {
    int64_t v = ledger_.rows[t].count(k) ? ledger_.rows[t][k] : 0;
    for (const Change& c : *pending_) {
      if (c.table != t) continue;
      if (c.kind == Change::kPut && c.key == k) v = c.value;
      if (c.kind == Change::kAddAll) v += c.value;
    }
    return v;
  }

  void Apply(const std::vector<Change>& changes) {
    for (const Change& c : changes) {
      auto& m = ledger_.rows[c.table];
      switch (c.kind) {
        case Change::kPut: m[c.key] = c.value; break;
        case Change::kErase: m.erase(c.key); break;
        case Change::kAddAll: for (auto& [k, v] : m) v += c.value; break;
        case Change::kCounter: ledger_.counter_increments += c.value; break;
      }
    }
    totals_.acknowledged += static_cast<int64_t>(changes.size());
  }

  bool RunOne() {
    std::vector<Change> changes;
    pending_ = &changes;
    if (rng_() % 4 != 0) {  // autocommit
      Result r = Operation(changes);
      if (r == Result::kFailed) return false;
      if (r == Result::kOk) Apply(changes);
      else ++totals_.refused;
      return true;
    }
    if (Exec("begin") != Result::kOk) return false;
    int n = 1 + static_cast<int>(rng_() % 3);
    Result r = Result::kOk;
    for (int i = 0; i < n && r == Result::kOk; ++i) r = Operation(changes);
    if (r == Result::kFailed) return false;
    bool commit = r == Result::kOk && rng_() % 5 != 0;
    Result end = Exec(commit ? "commit" : "rollback");
    if (end == Result::kFailed) return false;
    if (commit && end == Result::kOk) Apply(changes);
    else ++totals_.refused;
    return true;
  }

  int id_;
  std::mt19937_64 rng_;
  Totals& totals_;
  PGconn* conn_ = nullptr;
  Ledger ledger_;
  int64_t next_key_ = 1;
  std::vector<Change>* pending_ = nullptr;
};

bool ParseOptions(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--strata") o.strata = next();
    else if (a == "--connect") o.connect = next();
    else if (a == "--sessions") o.sessions = std::atoi(next().c_str());
    else if (a == "--statements") o.statements = std::atoi(next().c_str());
    else if (a == "--seed") o.seed = std::strtoull(next().c_str(), nullptr, 10);
    else if (a == "--timeout-s") o.timeout_s = std::atoi(next().c_str());
    else return false;
  }
  return (!o.strata.empty() || !o.connect.empty()) && o.sessions > 0 && o.statements >= 0 && o.timeout_s > 0;
}

// The cluster this run started, if any: its log's tail is printed when a check cannot run.
Cluster* g_cluster = nullptr;

// Runs one SQL statement for setup or checking; exits on failure.
PGresult* MustExec(PGconn* c, const std::string& sql) {
  PGresult* r = PQexec(c, sql.c_str());
  ExecStatusType st = PQresultStatus(r);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    std::cerr << "ledger: `" << sql << "` failed: " << PQerrorMessage(c);
    if (g_cluster != nullptr) std::cerr << g_cluster->LogTail(40) << "\n";
    std::exit(1);
  }
  return r;
}

std::atomic<bool> g_done{false};

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!ParseOptions(argc, argv, o)) {
    std::cerr << "usage: ledger_test (--strata PATH | --connect CONNINFO) [--sessions N] [--statements M] [--seed S]"
                 " [--timeout-s T]\n";
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  std::unique_ptr<Cluster> cluster;
  std::string temp_dir, conninfo = o.connect;
  if (conninfo.empty()) {
    std::string pattern = "/tmp/strata-ledger-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) return 2;
    temp_dir = pattern;
    ClusterOptions co;
    co.strata_binary = o.strata;
    co.data_dir = temp_dir + "/data";
    co.log_path = temp_dir + "/server.log";
    co.port = strata::sqltest::PickFreePort();
    cluster = std::make_unique<Cluster>(co);
    std::string error;
    if (!cluster->Start(error)) {
      std::cerr << "ledger: cluster did not start: " << error << "\n";
      return 1;
    }
    conninfo = cluster->ConnInfo();
    g_cluster = cluster.get();
  }
  // The watchdog: a run that outlives its time limit is a failure, never a hang.
  std::thread watchdog([&] {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(o.timeout_s);
    while (!g_done && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (!g_done) {
      std::cerr << "ledger: not finished after " << o.timeout_s << " s\n";
      if (cluster) {
        std::cerr << cluster->LogTail(30) << "\n";
        cluster->Kill();  // _exit skips destructors: the cluster must not outlive the run
      }
      _exit(1);
    }
  });

  PGconn* admin = PQconnectdb(conninfo.c_str());
  if (PQstatus(admin) != CONNECTION_OK) {
    std::cerr << "ledger: cannot connect: " << PQerrorMessage(admin);
    return 1;
  }
  PQclear(MustExec(admin, "drop table if exists t0"));
  PQclear(MustExec(admin, "drop table if exists t1"));
  PQclear(MustExec(admin, "drop table if exists c"));
  PQclear(MustExec(admin, "create table t0 (k bigint, s int, v bigint) distkey(k) sortkey(k)"));
  PQclear(MustExec(admin, "create table t1 (k bigint, s int, v bigint) diststyle even"));
  PQclear(MustExec(admin, "create table c (k int, v bigint)"));
  PQclear(MustExec(admin, "insert into c values (1, 0)"));

  Totals totals;
  std::vector<std::unique_ptr<Session>> sessions;
  for (int i = 0; i < o.sessions; ++i) sessions.push_back(std::make_unique<Session>(i + 1, conninfo, o.seed, totals));
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (auto& s : sessions) threads.emplace_back([&, sp = s.get()] { sp->Run(o.statements); });
  for (auto& t : threads) t.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  // Compare the tables with the union of the ledgers, exactly.
  int64_t mismatches = 0;
  auto report = [&](const std::string& what) {
    if (mismatches++ < 20) std::cerr << "ledger mismatch: " << what << "\n";
  };
  for (int t = 0; t < kTables; ++t) {
    std::map<int64_t, std::pair<int64_t, int64_t>> want;  // k -> (s, v)
    for (int i = 0; i < o.sessions; ++i) {
      for (const auto& [k, v] : sessions[i]->ledger().rows[t]) want[k] = {i + 1, v};
    }
    PGresult* r = MustExec(admin, "select k, s, v from t" + std::to_string(t) + " order by k");
    std::map<int64_t, int> seen;
    for (int row = 0; row < PQntuples(r); ++row) {
      int64_t k = std::atoll(PQgetvalue(r, row, 0)), s = std::atoll(PQgetvalue(r, row, 1)),
              v = std::atoll(PQgetvalue(r, row, 2));
      if (++seen[k] > 1) { report("t" + std::to_string(t) + " key " + std::to_string(k) + " appears twice"); continue; }
      auto it = want.find(k);
      if (it == want.end()) {
        report("t" + std::to_string(t) + " key " + std::to_string(k) + " was never acknowledged (or was deleted)");
      } else if (it->second != std::make_pair(s, v)) {
        report("t" + std::to_string(t) + " key " + std::to_string(k) + " is (" + std::to_string(s) + ", " +
               std::to_string(v) + "), acknowledged (" + std::to_string(it->second.first) + ", " +
               std::to_string(it->second.second) + ")");
      }
    }
    for (const auto& [k, sv] : want) {
      if (!seen.count(k)) report("t" + std::to_string(t) + " acknowledged key " + std::to_string(k) + " is missing");
    }
    PQclear(r);
  }
  int64_t increments = 0;
  for (const auto& s : sessions) increments += s->ledger().counter_increments;
  PGresult* r = MustExec(admin, "select count(*), sum(v) from c");
  if (std::atoll(PQgetvalue(r, 0, 0)) != 1 || std::atoll(PQgetvalue(r, 0, 1)) != increments) {
    report(std::string("counter table has ") + PQgetvalue(r, 0, 0) + " rows summing to " + PQgetvalue(r, 0, 1) +
           ", acknowledged increments " + std::to_string(increments));
  }
  PQclear(r);
  PQfinish(admin);
  g_done = true;
  watchdog.join();
  sessions.clear();

  for (const auto& f : totals.failures) std::cerr << "ledger: " << f << "\n";
  std::printf("ledger: %d sessions x %d statements in %.1f s, %lld acknowledged, %lld refused (40001/40P01), %lld mismatches, "
              "%zu unexpected errors\n",
              o.sessions, o.statements, seconds, static_cast<long long>(totals.acknowledged.load()),
              static_cast<long long>(totals.refused.load()), static_cast<long long>(mismatches), totals.failures.size());
  bool ok = mismatches == 0 && totals.failures.empty();
  if (!ok && cluster) std::cerr << cluster->LogTail(30) << "\n";
  if (cluster) cluster->Stop();
  if (!temp_dir.empty() && ok) fs::remove_all(temp_dir);
  return ok ? 0 : 1;
}
