// Starting, crashing and stopping `strata serve` as one process group.
#include "cluster.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

namespace strata::sqltest {
namespace {

using Clock = std::chrono::steady_clock;

// The process group the signal handler must kill; 0 when none is running.
volatile std::sig_atomic_t g_active_pgid = 0;

void SleepMs(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

int MsSince(Clock::time_point start) {
  return static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count());
}

}  // namespace

namespace {

// Whether a plain bind (no SO_REUSEADDR) of 127.0.0.1:port succeeds, i.e. no socket of any
// state holds the port; port 0 asks the kernel for one. Returns the bound port or 0.
int TryBindLoopback(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  socklen_t len = sizeof(addr);
  int bound = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    bound = ntohs(addr.sin_port);
  }
  close(fd);
  return bound;
}

// The low end of the kernel's ephemeral port range (32768 when it cannot be read).
int EphemeralPortLow() {
  std::ifstream in("/proc/sys/net/ipv4/ip_local_port_range");
  int low = 0;
  if (!(in >> low) || low <= 12000) low = 32768;
  return low;
}

}  // namespace

// A port below the ephemeral range, so no outgoing connection of a concurrently running test can
// take it between this pick and the server's bind (bounded tries, then any free port).
int PickFreePort() {
  static thread_local std::mt19937 rng(std::random_device{}());
  int low = EphemeralPortLow();
  std::uniform_int_distribution<int> pick(10000, low - 1);
  for (int attempt = 0; attempt < 100; ++attempt) {
    if (int port = TryBindLoopback(pick(rng)); port != 0) return port;
  }
  if (int port = TryBindLoopback(0); port != 0) return port;
  throw std::runtime_error("cannot bind a free port on 127.0.0.1");
}

bool AnswersSelectOne(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  bool ok = false;
  if (PQstatus(conn) == CONNECTION_OK) {
    PGresult* result = PQexec(conn, "select 1");
    ok = PQresultStatus(result) == PGRES_TUPLES_OK && PQntuples(result) == 1;
    PQclear(result);
  }
  PQfinish(conn);
  return ok;
}

void KillActiveClusterFromSignal() {
  pid_t pgid = g_active_pgid;
  if (pgid > 0) kill(-pgid, SIGKILL);
}

Cluster::Cluster(ClusterOptions options) : options_(std::move(options)) {
  if (options_.password.empty()) {
    std::random_device random;
    static constexpr char kDigits[] = "0123456789abcdef";
    options_.password = "pw";
    for (int i = 0; i < 24; ++i) options_.password.push_back(kDigits[random() % 16]);
  }
  std::string dir = std::filesystem::path(options_.data_dir).parent_path().string();
  if (dir.empty()) dir = ".";
  tls_cert_ = dir + "/strata-tls.crt";
  tls_key_ = dir + "/strata-tls.key";
}

bool Cluster::MakeTlsFiles(std::string& error) {
  if (access(tls_cert_.c_str(), R_OK) == 0 && access(tls_key_.c_str(), R_OK) == 0) return true;
  std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 2 -keyout '" + tls_key_ +
                    "' -out '" + tls_cert_ + "' > /dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0) {
    error = "cannot make a TLS certificate with the openssl CLI: " + cmd;
    return false;
  }
  return true;
}

Cluster::~Cluster() {
  if (pid_ > 0) Kill();
}

std::string Cluster::ConnInfo() const {
  // connect_timeout bounds the TCP connect and the startup handshake; the cluster has a password
  // and TLS, as a deployed one would; GSS is off.
  return "host=127.0.0.1 port=" + std::to_string(options_.port) + " user=strata password=" + options_.password +
         " dbname=dev connect_timeout=5 sslmode=require gssencmode=disable";
}

bool Cluster::Start(std::string& error) {
  if (!MakeTlsFiles(error)) return false;
  int log_fd = open(options_.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    error = "cannot open server log " + options_.log_path;
    return false;
  }
  std::string port = std::to_string(options_.port);
  std::vector<std::string> args = {options_.strata_binary, "serve", "--data", options_.data_dir,
                                   "--port", port, "--compute-nodes", "2", "--slices-per-node", "2",
                                   "--spectrum-workers", "2", "--password", options_.password,
                                   "--tls-cert", tls_cert_, "--tls-key", tls_key_};
  for (const auto& p : options_.allow_paths) args.insert(args.end(), {"--allow-path", p});
  args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  pid_t pid = fork();
  if (pid < 0) {
    close(log_fd);
    error = "fork() failed";
    return false;
  }
  if (pid == 0) {
    setsid();  // new session and process group: kill(-pid) reaches the whole cluster
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0) dup2(null_fd, STDIN_FILENO);
    execv(argv[0], argv.data());
    const char kMessage[] = "strata_sqltest: execv of the strata binary failed\n";
    ssize_t ignored = write(STDERR_FILENO, kMessage, sizeof(kMessage) - 1);
    (void)ignored;
    _exit(127);
  }
  close(log_fd);
  setpgid(pid, pid);  // also from the parent, so the group exists before we might kill it
  pid_ = pid;
  g_active_pgid = pid;

  Clock::time_point start = Clock::now();
  while (MsSince(start) < options_.ready_timeout_s * 1000) {
    if (!IsRunning()) {
      error = "the server exited during startup; log tail:\n" + LogTail(40);
      Kill();
      return false;
    }
    if (AnswersSelectOne(ConnInfo())) return true;
    SleepMs(100);
  }
  error = "the server did not answer `select 1` within " + std::to_string(options_.ready_timeout_s) +
          " s; log tail:\n" + LogTail(40);
  Kill();
  return false;
}

bool Cluster::IsRunning() {
  if (pid_ <= 0) return false;
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == 0) return true;
  // The leader is gone (or was never ours); its children may linger: reap them with it.
  kill(-pid_, SIGKILL);
  WaitGroupGone(5000);
  pid_ = -1;
  g_active_pgid = 0;
  return false;
}

void Cluster::WaitGroupGone(int timeout_ms) {
  Clock::time_point start = Clock::now();
  // kill(-pgid, 0) fails with ESRCH once no member of the group is left. Members that are
  // zombies of other parents still count, so this wait is bounded rather than exact.
  while (MsSince(start) < timeout_ms) {
    if (kill(-pid_, 0) != 0 && errno == ESRCH) return;
    SleepMs(20);
  }
}

void Cluster::Kill() {
  if (pid_ <= 0) return;
  kill(-pid_, SIGKILL);
  int status = 0;
  Clock::time_point start = Clock::now();
  while (waitpid(pid_, &status, WNOHANG) == 0 && MsSince(start) < 10000) SleepMs(10);
  WaitGroupGone(5000);
  pid_ = -1;
  g_active_pgid = 0;
}

void Cluster::Stop() {
  if (pid_ <= 0) return;
  kill(-pid_, SIGTERM);
  int status = 0;
  Clock::time_point start = Clock::now();
  while (MsSince(start) < options_.stop_timeout_s * 1000) {
    if (waitpid(pid_, &status, WNOHANG) != 0) break;
    SleepMs(20);
  }
  Kill();  // SIGKILL whatever is left of the group, including the leader if it hung
}

std::string LogFileTail(const std::string& path, int max_lines) {
  std::ifstream in(path);
  std::deque<std::string> tail;
  std::string line;
  while (std::getline(in, line)) {
    tail.push_back(line);
    if (static_cast<int>(tail.size()) > max_lines) tail.pop_front();
  }
  std::string out;
  for (const std::string& l : tail) out += "    | " + l + "\n";
  if (out.empty()) out = "    | (log is empty)\n";
  return out;
}

}  // namespace strata::sqltest
