// Bounded child processes for the TPC-H differential test (see child_process.h).
#include "tests/tpch/child_process.h"

#include "tests/runner/cluster.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <deque>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace strata::tpch {
namespace {

using Clock = std::chrono::steady_clock;

long long MsSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

}  // namespace

std::optional<RunAs> PostgresAccount() {
  if (geteuid() != 0) return std::nullopt;
  passwd* pw = getpwnam("postgres");
  if (pw == nullptr) throw std::runtime_error("running as root but there is no `postgres` user");
  return RunAs{pw->pw_uid, pw->pw_gid};
}

pid_t Spawn(const std::vector<std::string>& argv, const std::optional<RunAs>& run_as,
            const std::string& log_path, std::string& error) {
  int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    error = "cannot open log " + log_path;
    return -1;
  }
  std::vector<std::string> args = argv;
  std::vector<char*> cargs;
  for (std::string& a : args) cargs.push_back(a.data());
  cargs.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) {
    close(log_fd);
    error = "fork() failed";
    return -1;
  }
  if (pid == 0) {
    setsid();
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0) dup2(null_fd, STDIN_FILENO);
    if (run_as.has_value()) {
      if (setgroups(0, nullptr) != 0 || setgid(run_as->gid) != 0 || setuid(run_as->uid) != 0) {
        _exit(126);
      }
    }
    execv(cargs[0], cargs.data());
    _exit(127);
  }
  close(log_fd);
  setpgid(pid, pid);
  return pid;
}

bool RunToCompletion(const std::vector<std::string>& argv, const std::optional<RunAs>& run_as,
                     const std::string& log_path, int timeout_s, std::string& error) {
  pid_t pid = Spawn(argv, run_as, log_path, error);
  if (pid < 0) return false;
  Clock::time_point start = Clock::now();
  int status = 0;
  while (true) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (MsSince(start) > timeout_s * 1000LL) {
      StopGroup(pid, SIGKILL, 0);
      error = argv[0] + " did not finish within " + std::to_string(timeout_s) + " s";
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return true;
  error = argv[0] + (WIFEXITED(status) ? " exited with status " + std::to_string(WEXITSTATUS(status))
                                       : std::string(" was killed by a signal")) +
          "; log tail:\n" + sqltest::LogFileTail(log_path, 15);
  return false;
}

void StopGroup(pid_t pid, int first_signal, int timeout_ms) {
  if (pid <= 0) return;
  kill(-pid, first_signal);
  Clock::time_point start = Clock::now();
  int status = 0;
  while (MsSince(start) < timeout_ms) {
    if (waitpid(pid, &status, WNOHANG) != 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(-pid, SIGKILL);
  waitpid(pid, &status, 0);
}


}  // namespace strata::tpch
