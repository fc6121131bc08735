// The server log (see server_log.h): formatting, the file and its rotation.
#include "server/server_log.h"

#include <unistd.h>

#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <mutex>

#include "sql/json_text.h"

namespace strata {
namespace {

std::mutex log_mu;
LogOptions log_options;     // GUARDED_BY(log_mu) once started
FILE* log_file = nullptr;   // GUARDED_BY(log_mu); nullptr = stderr
int64_t log_file_bytes = 0;

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// "2026-12-06 22:50:00.123 UTC" (PostgreSQL's %m).
std::string Timestamp(int64_t micros, bool iso) {
  const time_t secs = static_cast<time_t>(micros / 1000000);
  struct tm tm_utc;
  gmtime_r(&secs, &tm_utc);
  char buf[64];
  std::strftime(buf, sizeof buf, iso ? "%Y-%m-%dT%H:%M:%S" : "%Y-%m-%d %H:%M:%S", &tm_utc);
  char out[96];
  std::snprintf(out, sizeof out, iso ? "%s.%03dZ" : "%s.%03d UTC", buf, static_cast<int>((micros / 1000) % 1000));
  return out;
}

std::string RoleName(const LogOptions& o) {
  return o.node_id >= 0 && o.role != "leader" ? o.role + " " + std::to_string(o.node_id) : o.role;
}

// Opens the file (appending) or rotates it when it is past its size; under log_mu.
void Rotate() {
  if (log_options.file.empty()) return;
  if (log_file != nullptr && log_file_bytes < log_options.rotation_bytes) return;
  if (log_file != nullptr) {
    std::fclose(log_file);
    log_file = nullptr;
    std::error_code ec;
    const std::string& f = log_options.file;
    std::filesystem::remove(f + "." + std::to_string(log_options.rotation_count), ec);
    for (int i = log_options.rotation_count - 1; i >= 1; --i) {
      std::filesystem::rename(f + "." + std::to_string(i), f + "." + std::to_string(i + 1), ec);
    }
    std::filesystem::rename(f, f + ".1", ec);
  }
  log_file = std::fopen(log_options.file.c_str(), "a");
  log_file_bytes = 0;
  if (log_file != nullptr) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(log_options.file, ec);
    if (!ec) log_file_bytes = static_cast<int64_t>(size);
  }
}

}  // namespace

void StartServerLog(const LogOptions& options) {
  std::lock_guard<std::mutex> lock(log_mu);
  log_options = options;
  if (log_file != nullptr) std::fclose(log_file);
  log_file = nullptr;
  log_file_bytes = 0;
  Rotate();
  if (!options.file.empty() && log_file == nullptr) {
    std::fprintf(stderr, "strata %s: cannot open the log file %s; logging to stderr\n", options.role.c_str(),
                 options.file.c_str());
  }
}

const LogOptions& ServerLogOptions() { return log_options; }

void SetServerLogNodeId(int node_id) {
  std::lock_guard<std::mutex> lock(log_mu);
  log_options.node_id = node_id;
}

void ServerLogf(const char* format, ...) {
  char buf[2048];
  va_list args;
  va_start(args, format);
  std::vsnprintf(buf, sizeof buf, format, args);
  va_end(args);
  std::string message = buf;
  while (!message.empty() && message.back() == '\n') message.pop_back();
  ServerLog(LogFields{}, message);
}

bool LogsDuration(double ms) {
  const int64_t min = log_options.min_duration_ms;
  return min >= 0 && ms >= static_cast<double>(min);
}

std::string FormatLogText(const LogOptions& o, const LogFields& f, const std::string& message, int64_t now) {
  const int64_t pid = f.pid != 0 ? f.pid : static_cast<int64_t>(getpid());
  auto prefix = [&]() {
    std::string out;
    const std::string& p = o.line_prefix;
    for (size_t i = 0; i < p.size(); ++i) {
      if (p[i] != '%' || i + 1 >= p.size()) {
        out += p[i];
        continue;
      }
      switch (p[++i]) {
        case 'm': out += Timestamp(now, false); break;
        case 't': out += Timestamp(now, false).substr(0, 19) + " UTC"; break;
        case 'p': out += std::to_string(pid); break;
        case 'u': out += f.user; break;
        case 'd': out += f.database; break;
        case 'a': out += f.application; break;
        case 'h': out += f.remote_host; break;
        case 'r': out += f.remote_host + (f.remote_port > 0 ? "(" + std::to_string(f.remote_port) + ")" : ""); break;
        case 'e': out += f.sqlstate.empty() ? "00000" : f.sqlstate; break;
        case 'Q': out += std::to_string(f.query_id); break;
        case 'b': out += RoleName(o); break;
        case '%': out += '%'; break;
        default: out += '%'; out += p[i]; break;
      }
    }
    return out;
  };
  const std::string head = prefix();
  // Errors carry their SQLSTATE as PostgreSQL's verbose error lines do ("ERROR:  42P01: ...").
  std::string line = head + f.severity + ":  " + (f.sqlstate.empty() ? "" : f.sqlstate + ": ") + message;
  if (!f.detail.empty()) line += "\n" + head + "DETAIL:  " + f.detail;
  if (!f.hint.empty()) line += "\n" + head + "HINT:  " + f.hint;
  if (!f.statement.empty()) line += "\n" + head + "STATEMENT:  " + f.statement;
  return line;
}

std::string FormatLogJson(const LogOptions& o, const LogFields& f, const std::string& message, int64_t now) {
  const int64_t pid = f.pid != 0 ? f.pid : static_cast<int64_t>(getpid());
  std::string out = "{\"timestamp\":" + JsonQuoted(Timestamp(now, true));
  auto text = [&](const char* k, const std::string& v) {
    if (!v.empty()) out += std::string(",\"") + k + "\":" + JsonQuoted(v);
  };
  if (!f.user.empty()) text("user", f.user);
  text("dbname", f.database);
  out += ",\"pid\":" + std::to_string(pid);
  text("remote_host", f.remote_host);
  if (f.remote_port > 0) out += ",\"remote_port\":" + std::to_string(f.remote_port);
  text("backend_type", o.role);
  if (o.node_id >= 0 && o.role != "leader") out += ",\"node_id\":" + std::to_string(o.node_id);
  text("error_severity", f.severity);
  text("state_code", f.sqlstate);
  text("message", message);
  text("detail", f.detail);
  text("hint", f.hint);
  text("statement", f.statement);
  text("application_name", f.application);
  if (f.query_id != 0) out += ",\"query_id\":" + std::to_string(f.query_id);
  if (f.duration_ms >= 0) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.3f", f.duration_ms);
    out += std::string(",\"duration_ms\":") + buf;
  }
  return out + "}";
}

namespace {

void WriteLine(std::string line) {  // under log_mu
  line += '\n';
  Rotate();
  FILE* out = log_file != nullptr ? log_file : stderr;
  std::fwrite(line.data(), 1, line.size(), out);
  std::fflush(out);
  log_file_bytes += static_cast<int64_t>(line.size());
}

}  // namespace

void ServerLog(const LogFields& fields, const std::string& message) {
  const int64_t now = NowMicros();
  std::lock_guard<std::mutex> lock(log_mu);
  WriteLine(log_options.format == "json" ? FormatLogJson(log_options, fields, message, now)
                                         : FormatLogText(log_options, fields, message, now));
}

void ServerLogRaw(const std::string& line) {
  std::lock_guard<std::mutex> lock(log_mu);
  WriteLine(line);
}

}  // namespace strata
