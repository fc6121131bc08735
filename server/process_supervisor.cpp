#include "server/process_supervisor.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "server/leader.h"
#include "storage/file_io.h"

namespace strata {

namespace {

std::atomic<bool> stop_requested{false};
void OnStopSignal(int) { stop_requested = true; }

std::string SelfExe(const char* argv0) {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n > 0) return std::string(buf, n);
  return argv0;
}

pid_t Spawn(const std::string& exe, std::vector<std::string> args) {
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);  // the parent died before prctl took effect
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(exe.c_str()));
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(exe.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

}  // namespace

int RunLeaderProcess(const ServeOptions& o, const char* argv0) {
  signal(SIGPIPE, SIG_IGN);
  signal(SIGINT, OnStopSignal);
  signal(SIGTERM, OnStopSignal);
  MakeDirectories(o.data_dir);
  LeaderOptions lo;
  lo.data_dir = o.data_dir;
  lo.port = o.port;
  lo.rpc_port = o.rpc_port;
  lo.compute_nodes = o.compute_nodes;
  lo.slices_per_node = o.slices_per_node;
  lo.password = o.password;
  lo.tls_cert_file = o.tls_cert_file;
  lo.tls_key_file = o.tls_key_file;
  lo.require_tls = o.require_tls;
  Leader leader(lo);
  leader.Start();
  // A child that dies (a crash, an OOM kill, kill -9) is started again with the same
  // arguments; a compute node comes back with its node id and data folder and re-registers.
  struct Child {
    std::vector<std::string> args;
    pid_t pid = -1;
    int restarts = 0;
  };
  std::vector<Child> children;
  std::string exe = SelfExe(argv0);
  if (o.spawn_children) {
    std::string join = "127.0.0.1:" + std::to_string(leader.rpc_port());
    for (int i = 0; i < o.compute_nodes; ++i) {
      children.push_back({{"compute", "--join", join, "--data", o.data_dir + "/compute-" + std::to_string(i),
                           "--node-id", std::to_string(i)}});
    }
    for (int i = 0; i < o.spectrum_workers; ++i) {
      children.push_back({{"spectrum", "--join", join, "--data", o.data_dir + "/spectrum-" + std::to_string(i),
                           "--node-id", std::to_string(i)}});
    }
    for (auto& c : children) c.pid = Spawn(exe, c.args);
  }
  std::fprintf(stderr, "strata: leader listening on 127.0.0.1:%d (cluster rpc on 127.0.0.1:%d), %d compute nodes x %d slices\n",
               leader.pg_port(), leader.rpc_port(), o.compute_nodes, o.slices_per_node);
  constexpr int kMaxRestarts = 100;
  while (!stop_requested) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    int status;
    pid_t dead = waitpid(-1, &status, WNOHANG);
    if (dead <= 0 || stop_requested) continue;
    for (auto& c : children) {
      if (c.pid != dead) continue;
      std::fprintf(stderr, "strata: %s process %d exited; ", c.args[0].c_str(), static_cast<int>(dead));
      if (c.restarts >= kMaxRestarts) {
        std::fprintf(stderr, "not restarting it again after %d restarts\n", c.restarts);
        c.pid = -1;
        break;
      }
      ++c.restarts;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      c.pid = Spawn(exe, c.args);
      std::fprintf(stderr, "restarted as %d\n", static_cast<int>(c.pid));
      break;
    }
  }
  std::fprintf(stderr, "strata: shutting down\n");
  for (const auto& c : children) if (c.pid > 0) kill(c.pid, SIGTERM);
  leader.Stop();
  for (const auto& c : children) {
    if (c.pid <= 0) continue;
    for (int i = 0; i < 50; ++i) {
      if (waitpid(c.pid, nullptr, WNOHANG) != 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    kill(c.pid, SIGKILL);
    waitpid(c.pid, nullptr, WNOHANG);
  }
  return 0;
}

int RunNodeProcess(const ComputeOptions& o) {
  signal(SIGPIPE, SIG_IGN);
  ComputeNode node(o);
  node.Run();
  return 0;
}

}  // namespace strata
