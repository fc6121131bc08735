// The `strata` command: `serve` (the embedded cluster: a leader plus compute and spectrum child
// processes), and the single roles `leader`, `compute`, `spectrum` for clusters started by hand;
// the client tools `objects`, `crawl`, `resize` and `snapshot`. The server commands' options
// (their defaults, help, a --config file) are the table in server/server_options.h:
//
//   strata --help | --version
//   strata serve    --data DIR [--config FILE] [--port 5439] [--compute-nodes 2] ...   (strata serve --help)
//   strata leader   --data DIR [--rpc-port 6439] ...                                   (strata leader --help)
//   strata compute  --join HOST:PORT --data DIR --cluster-secret-file FILE ...
//   strata spectrum --join HOST:PORT --cluster-secret-file FILE ...
//   strata objects  ls|cp|rm|cat ...   (the object store: local paths and s3://, AWS_* settings)
//   strata crawl    LOCATION --schema S [--table T] [--host H] [--port P] [--user U]  (the crawler, via a leader)
//   strata resize   --nodes N [--host H] [--port P] [--user U]   (elastic resize, via a leader; server/resize.h)
//   strata snapshot list|verify|copy|delete --location LOC ...   (a snapshot store; server/snapshot_cli.h)
#include <csignal>
#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "executor/memory_budget.h"
#include "server/cluster_secret.h"
#include "server/crawl_cli.h"
#include "server/resize_cli.h"
#include "server/rpc_channel.h"
#include "server/snapshot_cli.h"
#include "server/object_cli.h"
#include "server/process_supervisor.h"
#include "server/server_log.h"
#include "server/server_options.h"
#include "sql/error.h"

namespace {

using strata::ServerOptions;

// A bad option value: said on stderr; main then exits 2.
struct BadOption {
  std::string what;
};

int IntArg(const ServerOptions& a, const std::string& k, int def) {
  if (a.Str(k).empty()) return def;
  std::string error;
  const int64_t v = a.Int(k, &error);
  if (!error.empty()) throw BadOption{error};
  return static_cast<int>(v);
}

std::string StrArg(const ServerOptions& a, const std::string& k, const std::string& def = "") {
  const std::string v = a.Str(k);
  return v.empty() ? def : v;
}

// --memory-limit SIZE in bytes; 0 when absent (the node then takes DefaultNodeMemoryLimit()).
int64_t MemoryArg(const ServerOptions& a, const std::string& cmd) {
  if (a.Str("memory-limit").empty()) return 0;
  int64_t bytes = 0;
  try {
    bytes = strata::ParseMemorySize(a.Str("memory-limit"));
  } catch (const strata::SqlError& e) {
    std::fprintf(stderr, "strata %s: --memory-limit: %s\n", cmd.c_str(), e.what());
    std::exit(2);
  }
  if (bytes < (int64_t{1} << 20)) {
    std::fprintf(stderr, "strata %s: --memory-limit must be at least 1MB\n", cmd.c_str());
    std::exit(2);
  }
  return bytes;
}

// --snapshot-location, --snapshot-interval, --snapshot-change-size, --snapshot-retention and
// --snapshot-copy-to; false (after saying why) when one does not parse.
bool SnapshotArgs(const ServerOptions& a, const std::string& cmd, strata::SnapshotSettings* s) {
  s->location = StrArg(a, "snapshot-location");
  s->copy_location = StrArg(a, "snapshot-copy-to");
  try {
    if (!s->location.empty()) s->location = strata::NormalizeSnapshotLocation(s->location);
    if (!s->copy_location.empty()) s->copy_location = strata::NormalizeSnapshotLocation(s->copy_location);
  } catch (const strata::SqlError& e) {
    std::fprintf(stderr, "strata %s: %s\n", cmd.c_str(), e.what());
    return false;
  }
  if (a.Given("snapshot-interval")) {
    s->interval_seconds = strata::ParseDurationSeconds(StrArg(a, "snapshot-interval"));
    if (s->interval_seconds < 1) {
      std::fprintf(stderr, "strata %s: --snapshot-interval: expected a duration such as 8h, 30min or 10s\n", cmd.c_str());
      return false;
    }
  }
  if (a.Given("snapshot-change-size")) {
    try {
      s->change_bytes = strata::ParseMemorySize(StrArg(a, "snapshot-change-size"));
    } catch (const strata::SqlError& e) {
      std::fprintf(stderr, "strata %s: --snapshot-change-size: %s\n", cmd.c_str(), e.what());
      return false;
    }
    if (s->change_bytes < 1) return false;
  }
  if (a.Given("snapshot-retention")) {
    // Days (0 turns automated snapshots off, 1 to 35 as in Redshift), or a duration with a unit.
    std::string v = StrArg(a, "snapshot-retention");
    bool plain = !v.empty() && v.find_first_not_of("0123456789") == std::string::npos;
    int64_t secs = plain ? (v.size() <= 3 ? std::atoll(v.c_str()) * 86400 : -1) : strata::ParseDurationSeconds(v);
    if (secs < 0 || (plain && std::atoll(v.c_str()) > 35)) {
      std::fprintf(stderr, "strata %s: --snapshot-retention: expected 0 to 35 days, or a duration such as 12h\n", cmd.c_str());
      return false;
    }
    s->retention_seconds = secs;
  }
  if (s->location.empty() && !s->copy_location.empty()) {
    std::fprintf(stderr, "strata %s: --snapshot-copy-to needs --snapshot-location\n", cmd.c_str());
    return false;
  }
  return true;
}

int Usage() {
  std::fputs(strata::TopLevelHelp().c_str(), stderr);
  return 2;
}

// The log options every server role takes (server/server_log.h); false after saying why.
bool LogArgs(const ServerOptions& a, const std::string& cmd, strata::LogOptions* log) {
  log->role = cmd == "serve" ? "leader" : cmd;
  log->format = a.Str("log-format");
  log->file = a.Str("log-file");
  log->line_prefix = a.Str("log-line-prefix");
  log->min_duration_ms = IntArg(a, "log-min-duration-statement", -1);
  log->rotation_count = IntArg(a, "log-rotation-count", 5);
  try {
    log->rotation_bytes = strata::ParseMemorySize(a.Str("log-rotation-size"));
  } catch (const strata::SqlError& e) {
    std::fprintf(stderr, "strata %s: --log-rotation-size: %s\n", cmd.c_str(), e.what());
    return false;
  }
  if (log->format != "text" && log->format != "json") {
    std::fprintf(stderr, "strata %s: --log-format must be text or json\n", cmd.c_str());
    return false;
  }
  if (log->rotation_count < 1 || log->rotation_bytes < 1024) {
    std::fprintf(stderr, "strata %s: --log-rotation-count must be at least 1 and --log-rotation-size 1kB\n", cmd.c_str());
    return false;
  }
  return true;
}

bool OnOff(const ServerOptions& a, const std::string& k) {
  const std::string v = a.Str(k);
  if (v == "on" || v == "true" || v == "1" || v == "yes") return true;
  if (v == "off" || v == "false" || v == "0" || v == "no") return false;
  throw BadOption{"--" + k + ": expected on or off, not \"" + v + "\""};
}

}  // namespace

int main(int argc, char** argv) {
  // glibc's malloc maps big blocks (a decoded column block is ~12 MB) with mmap and returns freed
  // memory to the kernel as soon as it can, so scans kept page-faulting fresh, zeroed pages —
  // TPC-H SF 1 ran 14% slower (Q01 2.4x) once queries allocated in more threads. Keep blocks up
  // to 64 MB in the heap and give free memory back only past 1 GB (measured: back to parity).
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  if (argc < 2) return Usage();
  std::string cmd = argv[1];
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    std::fputs(strata::TopLevelHelp().c_str(), stdout);
    return 0;
  }
  if (cmd == "--version" || cmd == "-V" || cmd == "version") {
    std::fputs(strata::VersionText().c_str(), stdout);
    return 0;
  }
  if (cmd == "objects") return strata::RunObjectCli(argc - 1, argv + 1);
  if (cmd == "crawl") return strata::RunCrawlCli(argc - 1, argv + 1);
  if (cmd == "resize") return strata::RunResizeCli(argc - 1, argv + 1);
  if (cmd == "snapshot") return strata::RunSnapshotCli(argc - 1, argv + 1);
  if (strata::ServerRoleOf(cmd) == 0) {
    std::fprintf(stderr, "strata: unknown command \"%s\"\n", cmd.c_str());
    return Usage();
  }
  ServerOptions a;
  std::string error;
  if (!a.Parse(cmd, argc - 2, argv + 2, &error)) {
    std::fprintf(stderr, "strata %s: %s (strata %s --help lists the options)\n", cmd.c_str(), error.c_str(), cmd.c_str());
    return 2;
  }
  if (a.help()) {
    std::fputs(strata::ServerHelp(cmd).c_str(), stdout);
    return 0;
  }
  strata::SetProcessOptions(a.values());
  strata::LogOptions log;
  if (!LogArgs(a, cmd, &log)) return 2;
  try {
    if (cmd == "serve" || cmd == "leader") {
      strata::ServeOptions o;
      o.data_dir = StrArg(a, "data");
      if (o.data_dir.empty()) {
        std::fprintf(stderr, "strata %s: --data DIR is required (strata %s --help lists the options)\n", cmd.c_str(), cmd.c_str());
        return 2;
      }
      o.port = IntArg(a, "port", 5439);
      o.rpc_port = IntArg(a, "rpc-port", cmd == "leader" ? 6439 : 0);
      // --listen ADDR[:PORT] (the PostgreSQL port) and --rpc-listen ADDR[:PORT] (the cluster's).
      if (a.Given("listen") && !strata::SplitHostPort(StrArg(a, "listen"), o.port, &o.listen_address, &o.port)) {
        std::fprintf(stderr, "strata %s: --listen: expected ADDR[:PORT] (0.0.0.0 for every address)\n", cmd.c_str());
        return 2;
      }
      if (a.Given("rpc-listen") &&
          !strata::SplitHostPort(StrArg(a, "rpc-listen"), o.rpc_port, &o.rpc_listen_address, &o.rpc_port)) {
        std::fprintf(stderr, "strata %s: --rpc-listen: expected ADDR[:PORT]\n", cmd.c_str());
        return 2;
      }
      // -1: the shape the data folder's catalog (or a restore's snapshot) has, else 2 x 2.
      o.compute_nodes = IntArg(a, "compute-nodes", -1);
      o.slices_per_node = IntArg(a, "slices-per-node", -1);
      if ((a.Given("compute-nodes") && o.compute_nodes < 1) || (a.Given("slices-per-node") && o.slices_per_node < 1)) {
        std::fprintf(stderr, "strata %s: --compute-nodes and --slices-per-node must be at least 1\n", cmd.c_str());
        return 2;
      }
      o.restore_from = StrArg(a, "restore-from");
      o.restore_snapshot = StrArg(a, "snapshot");
      if (o.restore_from.empty() != o.restore_snapshot.empty()) {
        std::fprintf(stderr, "strata %s: --restore-from and --snapshot go together\n", cmd.c_str());
        return 2;
      }
      if (!SnapshotArgs(a, cmd, &o.snapshots)) return 2;
      o.spectrum_workers = cmd == "serve" ? IntArg(a, "spectrum-workers", 2) : 0;
      o.spawn_children = cmd == "serve";
      o.password = StrArg(a, "password");
      o.tls_cert_file = StrArg(a, "tls-cert");
      o.tls_key_file = StrArg(a, "tls-key");
      o.require_tls = OnOff(a, "require-tls");
      o.allow_paths = a.List("allow-path");
      o.max_connections = IntArg(a, "max-connections", 500);
      o.authentication_timeout_s = IntArg(a, "authentication-timeout", 60);
      o.history_retention_days = IntArg(a, "history-retention-days", 7);
      o.wlm_config = StrArg(a, "wlm-config");
      o.http_port = IntArg(a, "http-port", 0);
      o.http_listen_address = StrArg(a, "http-listen", "127.0.0.1");
      o.log_connections = OnOff(a, "log-connections");
      o.log_disconnections = OnOff(a, "log-disconnections");
      if (o.http_port < 0 || o.http_port > 65535) {
        std::fprintf(stderr, "strata %s: --http-port must be 0 to 65535\n", cmd.c_str());
        return 2;
      }
      if (o.history_retention_days < 1) {
        std::fprintf(stderr, "strata %s: --history-retention-days must be at least 1\n", cmd.c_str());
        return 2;
      }
      o.cluster_secret_file = StrArg(a, "cluster-secret-file");
      o.memory_limit = MemoryArg(a, cmd);  // serve: each compute node's and the leader's; leader: its own
      if (o.max_connections < 1 || o.authentication_timeout_s < 1) {
        std::fprintf(stderr, "strata %s: --max-connections and --authentication-timeout must be at least 1\n", cmd.c_str());
        return 2;
      }
      if (o.tls_cert_file.empty() != o.tls_key_file.empty()) {
        std::fprintf(stderr, "strata %s: --tls-cert and --tls-key go together\n", cmd.c_str());
        return 2;
      }
      if (o.require_tls && o.tls_cert_file.empty()) {
        std::fprintf(stderr, "strata %s: --require-tls needs --tls-cert and --tls-key\n", cmd.c_str());
        return 2;
      }
      strata::StartServerLog(log);
      return strata::RunLeaderProcess(o, argv[0]);
    }
    if (cmd == "compute" || cmd == "spectrum") {
      strata::ComputeOptions o;
      if (!strata::SplitHostPort(StrArg(a, "join"), -1, &o.leader_host, &o.leader_port) || o.leader_port <= 0) {
        std::fprintf(stderr, "strata %s: --join HOST:PORT is required (strata %s --help lists the options)\n", cmd.c_str(), cmd.c_str());
        return 2;
      }
      // --listen ADDR[:PORT]: this node's RPC port; --advertise ADDR: where the others reach it.
      if (a.Given("listen") && !strata::SplitHostPort(StrArg(a, "listen"), 0, &o.listen_address, &o.listen_port)) {
        std::fprintf(stderr, "strata %s: --listen: expected ADDR[:PORT]\n", cmd.c_str());
        return 2;
      }
      o.advertise_address = StrArg(a, "advertise");
      o.data_dir = StrArg(a, "data", cmd == "spectrum" ? "/tmp/strata-spectrum" : "");
      if (o.data_dir.empty()) {
        std::fprintf(stderr, "strata %s: --data DIR is required\n", cmd.c_str());
        return 2;
      }
      o.node_id = IntArg(a, "node-id", -1);
      o.allow_paths = a.List("allow-path");
      o.memory_limit = MemoryArg(a, cmd);
      o.role = cmd;
      std::string secret_file = StrArg(a, "cluster-secret-file");
      if (secret_file.empty()) {
        std::fprintf(stderr,
                     "strata %s: --cluster-secret-file FILE is required: the leader's cluster secret "
                     "(DATA/cluster.secret of its data folder), so that the cluster accepts this node\n",
                     cmd.c_str());
        return 2;
      }
      o.secret = strata::LoadClusterSecret(secret_file);
      strata::StartServerLog(log);
      return strata::RunNodeProcess(o);
    }
  } catch (const BadOption& e) {
    std::fprintf(stderr, "strata %s: %s\n", cmd.c_str(), e.what.c_str());
    return 2;
  } catch (const std::exception& e) {  // SqlError and the configuration's errors (a bad --wlm-config)
    std::fprintf(stderr, "strata %s: %s\n", cmd.c_str(), e.what());
    return 1;
  }
  return Usage();
}
