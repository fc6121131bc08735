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
  Leader leader(lo);
  leader.Start();
  std::vector<pid_t> children;
  if (o.spawn_children) {
    std::string exe = SelfExe(argv0);
    std::string join = "127.0.0.1:" + std::to_string(leader.rpc_port());
    for (int i = 0; i < o.compute_nodes; ++i) {
      children.push_back(Spawn(exe, {"compute", "--join", join, "--data", o.data_dir + "/compute-" + std::to_string(i),
                                     "--node-id", std::to_string(i)}));
    }
    for (int i = 0; i < o.spectrum_workers; ++i) {
      children.push_back(Spawn(exe, {"spectrum", "--join", join, "--data", o.data_dir + "/spectrum-" + std::to_string(i),
                                     "--node-id", std::to_string(i)}));
    }
  }
  std::fprintf(stderr, "strata: leader listening on 127.0.0.1:%d (cluster rpc on 127.0.0.1:%d), %d compute nodes x %d slices\n",
               leader.pg_port(), leader.rpc_port(), o.compute_nodes, o.slices_per_node);
  while (!stop_requested) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    // A child that died is restarted? Not yet: report it and keep serving what we can.
    int status;
    pid_t dead = waitpid(-1, &status, WNOHANG);
    if (dead > 0) std::fprintf(stderr, "strata: child process %d exited\n", static_cast<int>(dead));
  }
  std::fprintf(stderr, "strata: shutting down\n");
  for (pid_t c : children) kill(c, SIGTERM);
  leader.Stop();
  for (pid_t c : children) {
    for (int i = 0; i < 50; ++i) {
      if (waitpid(c, nullptr, WNOHANG) != 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    kill(c, SIGKILL);
    waitpid(c, nullptr, WNOHANG);
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
