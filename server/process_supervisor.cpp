#include "server/process_supervisor.h"
#include "server/server_log.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <thread>
#include <set>
#include <vector>

#include "io/local_path_policy.h"
#include "server/leader.h"
#include "io/file_io.h"

namespace strata {

namespace {

using Clock = std::chrono::steady_clock;

std::atomic<bool> stop_requested{false};
void OnStopSignal(int) { stop_requested = true; }

std::string SelfExe(const char* argv0) {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n > 0) return std::string(buf, n);
  return argv0;
}

// Starts `exe args` as a child that dies with this process. The child closes every descriptor
// above stderr before exec: sockets are close-on-exec already, but a descriptor some thread
// opened between its socket() and fcntl(FD_CLOEXEC) must not leak into a child either.
// `stderr_fd` >= 0 becomes the child's stderr. Returns -1 when fork fails.
pid_t Spawn(const std::string& exe, std::vector<std::string> args, int stderr_fd) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(exe.c_str()));
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  rlimit lim{};
  int max_fd = getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY
                   ? static_cast<int>(std::min<rlim_t>(lim.rlim_cur, 1 << 20)) : 65536;
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid == 0) {  // only async-signal-safe calls from here to exec
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);  // the parent died before prctl took effect
    if (stderr_fd >= 0 && dup2(stderr_fd, 2) < 0) _exit(1);
#ifdef SYS_close_range
    if (syscall(SYS_close_range, 3u, ~0u, 0u) != 0)
#endif
      for (int fd = 3; fd < max_fd; ++fd) close(fd);
    execv(exe.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

// With a --log-file, a child's stderr is a pipe whose lines (already formatted by the child,
// with its role) this process writes into its own log, so that one file, rotated by one writer,
// has the whole cluster's lines. Returns the pipe's write end for Spawn, or -1 (stderr is then
// inherited); the reading thread ends when the child's end closes.
int ChildLogPipe() {
  if (ServerLogOptions().file.empty()) return -1;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return -1;
  std::thread([fd = fds[0]] {
    std::string pending;
    char buf[4096];
    for (;;) {
      const ssize_t n = read(fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      pending.append(buf, static_cast<size_t>(n));
      size_t nl;
      while ((nl = pending.find('\n')) != std::string::npos) {
        ServerLogRaw(pending.substr(0, nl));
        pending.erase(0, nl + 1);
      }
      if (pending.size() > (1 << 20)) {  // a line without an end: written as it is
        ServerLogRaw(pending);
        pending.clear();
      }
    }
    if (!pending.empty()) ServerLogRaw(pending);
    close(fd);
  }).detach();
  return fds[1];
}

// Restart delays: the first restart waits kFirstBackoff, each further one twice as long up to
// kMaxBackoff; a child that stayed up for kStableRun starts again from kFirstBackoff. There is
// no limit on restarts: a cluster that cannot start a node keeps trying at a slow pace.
constexpr std::chrono::milliseconds kFirstBackoff{100};
constexpr std::chrono::milliseconds kMaxBackoff{5000};
constexpr std::chrono::seconds kStableRun{10};

struct Child {
  std::vector<std::string> args;
  pid_t pid = -1;
  int starts = 0;
  std::chrono::milliseconds backoff = kFirstBackoff;
  Clock::time_point started;
  Clock::time_point start_at;  // when pid < 0: the next attempt
  bool retiring = false;       // a compute node a resize removed: stopped, not restarted
};

std::string ExitReason(int status) {
  if (WIFSIGNALED(status)) return "was killed by signal " + std::to_string(WTERMSIG(status));
  if (WIFEXITED(status)) return "exited with code " + std::to_string(WEXITSTATUS(status));
  return "ended with status " + std::to_string(status);
}

// Records that `c` ended and when to start it again.
void ScheduleRestart(Child& c, const std::string& reason) {
  Clock::time_point now = Clock::now();
  if (now - c.started >= kStableRun) c.backoff = kFirstBackoff;
  auto up_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - c.started).count();
  ServerLogf("%s process %d %s after %lld ms; restarting it in %lld ms\n", c.args[0].c_str(),
               static_cast<int>(c.pid), reason.c_str(), static_cast<long long>(up_ms),
               static_cast<long long>(c.backoff.count()));
  c.pid = -1;
  c.start_at = now + c.backoff;
  c.backoff = std::min(c.backoff * 2, kMaxBackoff);
}

}  // namespace

int RunLeaderProcess(const ServeOptions& options, const char* argv0) {
  ServeOptions o = options;
  signal(SIGPIPE, SIG_IGN);
  signal(SIGINT, OnStopSignal);
  signal(SIGTERM, OnStopSignal);
  MakeDirectories(o.data_dir);
  ConfigureLocalPathPolicy(o.allow_paths, {o.data_dir});  // what COPY / UNLOAD may touch here
  // Nothing else runs in these folders yet (a previous leader's children died with it).
  int stale = RemoveStaleTempFiles(o.data_dir, false) + RemoveStaleTempFiles(o.data_dir + "/leader", true);
  if (stale > 0) ServerLogf("removed %d temporary files left by a crash\n", stale);
  std::string secret_file = o.cluster_secret_file.empty() ? o.data_dir + "/cluster.secret" : o.cluster_secret_file;
  // A restore writes the snapshot's catalog (and its shape) before the leader opens it.
  PrepareRestore(o.data_dir, o.restore_from, o.restore_snapshot, &o.compute_nodes, &o.slices_per_node);
  // The shape is the catalog's once there is one: the nodes to start, whatever the flags say
  // when they say nothing; a different shape asked for is refused (a running cluster is resized
  // with RESIZE CLUSTER, server/resize.h).
  int nodes = 0, slices = 0;
  if (ReadCatalogShape(o.data_dir + "/leader", &nodes, &slices) && nodes > 0 && slices > 0) {
    if ((o.compute_nodes > 0 && o.compute_nodes != nodes) || (o.slices_per_node > 0 && o.slices_per_node != slices)) {
      ServerLogf("%s holds a cluster of %d compute nodes x %d slices; start it with "
                   "that shape, then resize it while it runs (RESIZE CLUSTER TO n, or strata resize --nodes n), or "
                   "restore a snapshot onto a new shape\n",
                   o.data_dir.c_str(), nodes, slices);
      return 2;
    }
    o.compute_nodes = nodes;
    o.slices_per_node = slices;
  }
  if (o.compute_nodes <= 0) o.compute_nodes = 2;
  if (o.slices_per_node <= 0) o.slices_per_node = 2;
  LeaderOptions lo;
  lo.data_dir = o.data_dir;
  lo.port = o.port;
  lo.rpc_port = o.rpc_port;
  lo.listen_address = o.listen_address;
  lo.rpc_listen_address = o.rpc_listen_address;
  lo.compute_nodes = o.compute_nodes;
  lo.slices_per_node = o.slices_per_node;
  lo.password = o.password;
  lo.tls_cert_file = o.tls_cert_file;
  lo.tls_key_file = o.tls_key_file;
  lo.require_tls = o.require_tls;
  lo.max_connections = o.max_connections;
  lo.authentication_timeout_s = o.authentication_timeout_s;
  lo.history_retention_days = o.history_retention_days;
  lo.wlm_config = o.wlm_config;
  lo.secret = LoadOrCreateClusterSecret(secret_file);
  lo.memory_limit = o.memory_limit;
  lo.snapshots = o.snapshots;
  lo.http_port = o.http_port;
  lo.http_listen_address = o.http_listen_address;
  lo.log_connections = o.log_connections;
  lo.log_disconnections = o.log_disconnections;
  Leader leader(lo);
  leader.Start();
  // A child that dies (a crash, an OOM kill, kill -9) is started again with the same
  // arguments, after a back-off; a compute node comes back with its node id and data folder and
  // re-registers. Children read the secret from its file: it never appears in their argv.
  std::vector<Child> children;
  std::string exe = SelfExe(argv0);
  // The children run on this host: they join where this host reaches the RPC port.
  std::string host = leader.rpc_local_host();
  std::string join = (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(leader.rpc_port());
  // Every role enforces the same --allow-path folders and memory budget.
  auto common_args = [&](Child c) {
    if (o.memory_limit > 0) {
      c.args.push_back("--memory-limit");
      c.args.push_back(std::to_string(o.memory_limit));
    }
    for (const auto& p : o.allow_paths) {
      c.args.push_back("--allow-path");
      c.args.push_back(p);
    }
    // The children log as this process does (into its file through a pipe: ChildLogPipe).
    const LogOptions& log = ServerLogOptions();
    for (auto [k, v] : {std::pair<const char*, std::string>{"--log-format", log.format},
                        {"--log-line-prefix", log.line_prefix},
                        {"--log-min-duration-statement", std::to_string(log.min_duration_ms)}}) {
      c.args.push_back(k);
      c.args.push_back(v);
    }
    return c;
  };
  auto compute_child = [&](int i) {
    return common_args({{"compute", "--join", join, "--data", o.data_dir + "/compute-" + std::to_string(i), "--node-id",
                         std::to_string(i), "--cluster-secret-file", secret_file}});
  };
  auto compute_id = [](const Child& c) { return c.args[0] == "compute" ? std::stoi(c.args[6]) : -1; };
  if (o.spawn_children) {
    for (int i = 0; i < o.compute_nodes; ++i) children.push_back(compute_child(i));
    for (int i = 0; i < o.spectrum_workers; ++i) {
      children.push_back(common_args({{"spectrum", "--join", join, "--data", o.data_dir + "/spectrum-" + std::to_string(i),
                                       "--node-id", std::to_string(i), "--cluster-secret-file", secret_file}}));
    }
  }
  ServerLogf("leader listening on %s:%d (cluster rpc on %s:%d), %d compute nodes x %d slices\n",
               o.listen_address.c_str(), leader.pg_port(), o.rpc_listen_address.c_str(), leader.rpc_port(), o.compute_nodes,
               o.slices_per_node);
  int exit_code = 0;
  while (!stop_requested) {
    if (leader.restore_failed()) {  // it said why; a half-restored cluster must not serve on
      exit_code = 1;
      break;
    }
    Clock::time_point now = Clock::now();
    if (o.spawn_children) {
      // A resize (server/resize.h) adds compute nodes before it moves slices to them, and
      // removes them once nothing reads them any more.
      const int wanted = leader.wanted_compute_nodes();
      std::set<int> present;  // a node being stopped counts until it has ended: one process per folder
      for (auto& c : children) {
        int id = compute_id(c);
        if (id < 0) continue;
        present.insert(id);
        if (id >= wanted && !c.retiring) {
          c.retiring = true;
          ServerLogf("stopping compute node %d (the cluster was resized to %d nodes)\n", id, wanted);
          if (c.pid > 0) kill(c.pid, SIGTERM);
        }
      }
      for (int id = 0; id < wanted; ++id) {
        if (present.count(id)) continue;
        ServerLogf("starting compute node %d (the cluster is being resized to %d nodes)\n", id, wanted);
        children.push_back(compute_child(id));
      }
    }
    for (auto& c : children) {
      if (c.retiring || c.pid > 0 || now < c.start_at) continue;
      c.started = now;
      const int log_fd = ChildLogPipe();
      c.pid = Spawn(exe, c.args, log_fd);
      if (log_fd >= 0) close(log_fd);
      if (c.pid < 0) {
        ScheduleRestart(c, "could not be forked");
        continue;
      }
      if (c.starts++ > 0) {
        ServerLogf("%s restarted as process %d (restart %d)\n", c.args[0].c_str(),
                     static_cast<int>(c.pid), c.starts - 1);
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    int status;
    pid_t dead;
    while ((dead = waitpid(-1, &status, WNOHANG)) > 0) {
      for (auto& c : children) {
        if (c.pid != dead) continue;
        if (c.retiring) c.pid = -1;
        else ScheduleRestart(c, ExitReason(status));
      }
    }
    // Removed nodes that have stopped are forgotten (a later resize may start them again).
    children.erase(std::remove_if(children.begin(), children.end(), [](const Child& c) { return c.retiring && c.pid <= 0; }),
                   children.end());
  }
  ServerLogf("shutting down\n");
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
  return exit_code;
}

int RunNodeProcess(const ComputeOptions& o) {
  signal(SIGPIPE, SIG_IGN);
  ConfigureLocalPathPolicy(o.allow_paths, {o.data_dir});
  // A compute node owns its data folder; spectrum workers write nothing durable and may share
  // theirs, so only a compute node sweeps it.
  if (o.role == "compute") {
    int stale = RemoveStaleTempFiles(o.data_dir, true);
    if (stale > 0) ServerLogf("removed %d temporary files left by a crash\n", stale);
  }
  ComputeNode node(o);
  node.Run();
  return 0;
}

}  // namespace strata
