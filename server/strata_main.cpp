// The `strata` command: `serve` (the embedded cluster: a leader plus compute and spectrum child
// processes), and the single roles `leader`, `compute`, `spectrum` for clusters started by hand.
//
//   strata serve    --data DIR [--port 5439] [--compute-nodes 2] [--slices-per-node 2] [--spectrum-workers 2]
//   strata leader   --data DIR [--port 5439] [--rpc-port 6439] [--compute-nodes 2] [--slices-per-node 2]
//                   serve and leader also take the client security options:
//                   [--password PW] [--tls-cert FILE --tls-key FILE] [--require-tls]
//                   [--max-connections 500] [--authentication-timeout 60] [--history-retention-days 7]
//                   [--cluster-secret-file FILE]   (default DATA/cluster.secret, made if missing)
//   strata compute  --join HOST:PORT --data DIR [--node-id N] --cluster-secret-file FILE
//   serve, leader, compute and spectrum take [--memory-limit SIZE] (2GB, 512MB...): the process's budget
//   strata spectrum --join HOST:PORT --cluster-secret-file FILE
//   strata objects  ls|cp|rm|cat ...   (the object store: local paths and s3://, AWS_* settings)
//   strata crawl    LOCATION --schema S [--table T] [--host H] [--port P] [--user U]  (the crawler, via a leader)
//   strata resize   --nodes N [--host H] [--port P] [--user U]   (elastic resize, via a leader; server/resize.h)
//   strata snapshot list|verify|copy|delete --location LOC ...   (a snapshot store; server/snapshot_cli.h)
//   serve and leader take --snapshot-location and the automated schedule; serve takes --restore-from
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
#include "sql/error.h"

namespace {

using Args = std::map<std::string, std::string>;

Args ParseArgs(int argc, char** argv, int first) {
  Args a;
  for (int i = first; i < argc; ++i) {
    std::string k = argv[i];
    if (k == "--require-tls") {  // the one flag without a value
      a["require-tls"] = "1";
      continue;
    }
    if (k.rfind("--", 0) != 0 || i + 1 >= argc) {
      std::fprintf(stderr, "strata: unexpected argument %s\n", k.c_str());
      std::exit(2);
    }
    std::string& v = a[k.substr(2)];
    // --allow-path may be given several times: its values are kept one per line.
    v = (k == "--allow-path" && !v.empty()) ? v + "\n" + argv[++i] : std::string(argv[++i]);
  }
  return a;
}

std::vector<std::string> ListArg(const Args& a, const std::string& k) {
  std::vector<std::string> out;
  auto it = a.find(k);
  if (it == a.end()) return out;
  size_t start = 0;
  while (start <= it->second.size()) {
    size_t nl = it->second.find('\n', start);
    if (nl == std::string::npos) nl = it->second.size();
    if (nl > start) out.push_back(it->second.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

int IntArg(const Args& a, const std::string& k, int def) {
  auto it = a.find(k);
  return it == a.end() ? def : std::atoi(it->second.c_str());
}

std::string StrArg(const Args& a, const std::string& k, const std::string& def = "") {
  auto it = a.find(k);
  return it == a.end() ? def : it->second;
}

// --memory-limit SIZE in bytes; 0 when absent (the node then takes DefaultNodeMemoryLimit()).
int64_t MemoryArg(const Args& a, const std::string& cmd) {
  auto it = a.find("memory-limit");
  if (it == a.end()) return 0;
  int64_t bytes = 0;
  try {
    bytes = strata::ParseMemorySize(it->second);
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
bool SnapshotArgs(const Args& a, const std::string& cmd, strata::SnapshotSettings* s) {
  s->location = StrArg(a, "snapshot-location");
  s->copy_location = StrArg(a, "snapshot-copy-to");
  try {
    if (!s->location.empty()) s->location = strata::NormalizeSnapshotLocation(s->location);
    if (!s->copy_location.empty()) s->copy_location = strata::NormalizeSnapshotLocation(s->copy_location);
  } catch (const strata::SqlError& e) {
    std::fprintf(stderr, "strata %s: %s\n", cmd.c_str(), e.what());
    return false;
  }
  if (a.count("snapshot-interval")) {
    s->interval_seconds = strata::ParseDurationSeconds(StrArg(a, "snapshot-interval"));
    if (s->interval_seconds < 1) {
      std::fprintf(stderr, "strata %s: --snapshot-interval: expected a duration such as 8h, 30min or 10s\n", cmd.c_str());
      return false;
    }
  }
  if (a.count("snapshot-change-size")) {
    try {
      s->change_bytes = strata::ParseMemorySize(StrArg(a, "snapshot-change-size"));
    } catch (const strata::SqlError& e) {
      std::fprintf(stderr, "strata %s: --snapshot-change-size: %s\n", cmd.c_str(), e.what());
      return false;
    }
    if (s->change_bytes < 1) return false;
  }
  if (a.count("snapshot-retention")) {
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
  std::fprintf(stderr,
               "usage: strata serve --data DIR [--port 5439] [--compute-nodes 2] [--slices-per-node 2] [--spectrum-workers 2]\n"
               "       strata leader --data DIR [--port 5439] [--rpc-port 6439] [--compute-nodes 2] [--slices-per-node 2]\n"
               "         serve and leader: [--password PW] [--tls-cert FILE --tls-key FILE] [--require-tls]\n"
               "           --password: the bootstrap user strata's password; with it (or once any user has a\n"
               "           password) clients authenticate with SCRAM-SHA-256 or MD5. --tls-cert/--tls-key: PEM\n"
               "           files; TLS on SSLRequest. --require-tls: refuse unencrypted connections.\n"
               "           [--max-connections 500] [--authentication-timeout SECONDS (60)]\n"
               "           [--history-retention-days 7] days the query history (stl_query ...) is kept\n"
               "           [--wlm-config FILE] workload management queues, Redshift's JSON form\n"
               "           [--cluster-secret-file FILE]: the cluster's shared secret (default DATA/cluster.secret;\n"
               "           created, mode 0600, when missing); compute nodes and spectrum workers need the same file\n"
               "         every role: [--allow-path DIR]... folders superusers' COPY FROM / UNLOAD TO may use\n"
               "           on this host (none by default; never the data folder)\n"
               "         serve, leader, compute and spectrum: [--memory-limit SIZE] the memory budget of each\n"
               "           process (serve: of the leader and every node it starts; e.g. 2GB, 512MB; default a\n"
               "           quarter of the machine's RAM); queries spill to disk beyond their share of it\n"
               "         serve and leader: [--snapshot-location s3://bucket/prefix/|file:///folder/] where snapshots go;\n"
               "           [--snapshot-interval 8h] [--snapshot-change-size 5GB] automated snapshots every interval\n"
               "           or after that much was written on a node, whichever first; [--snapshot-retention 1]\n"
               "           days automated snapshots are kept (0: none are taken; 30s, 2h... for tests);\n"
               "           [--snapshot-copy-to LOCATION] copy each automated snapshot there too\n"
               "         serve: --restore-from LOCATION --snapshot NAME: a new cluster (in an empty --data) from a\n"
               "           snapshot, with the snapshot's shape or --compute-nodes / --slices-per-node\n"
               "         serve and leader: [--listen ADDR[:PORT]] the PostgreSQL port's address (127.0.0.1; 0.0.0.0 for\n"
               "           every one); [--rpc-listen ADDR[:PORT]] the cluster RPC port's (127.0.0.1)\n"
               "       strata compute --join HOST:PORT --data DIR [--node-id N] --cluster-secret-file FILE\n"
               "       strata spectrum --join HOST:PORT --cluster-secret-file FILE\n"
               "         compute and spectrum: [--listen ADDR[:PORT]] their RPC port (127.0.0.1, any free port);\n"
               "           [--advertise ADDR] the address the leader and the other nodes reach it at (default the\n"
               "           listen address, or the one it reaches the leader from when listening on 0.0.0.0)\n"
               "       strata objects ls URL | cp SRC DST | rm URL | cat URL\n"
               "       strata crawl LOCATION --schema S [--table T] [--host 127.0.0.1] [--port 5439] [--user strata]\n"
               "       strata resize --nodes N [--host 127.0.0.1] [--port 5439] [--user strata]\n"
               "       strata snapshot list|verify|copy|delete --location LOC [--snapshot NAME] [--to LOC]\n");
  return 2;
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
  if (cmd == "objects") return strata::RunObjectCli(argc - 1, argv + 1);
  if (cmd == "crawl") return strata::RunCrawlCli(argc - 1, argv + 1);
  if (cmd == "resize") return strata::RunResizeCli(argc - 1, argv + 1);
  if (cmd == "snapshot") return strata::RunSnapshotCli(argc - 1, argv + 1);
  Args a = ParseArgs(argc, argv, 2);
  try {
    if (cmd == "serve" || cmd == "leader") {
      strata::ServeOptions o;
      o.data_dir = StrArg(a, "data");
      if (o.data_dir.empty()) return Usage();
      o.port = IntArg(a, "port", 5439);
      o.rpc_port = IntArg(a, "rpc-port", cmd == "leader" ? 6439 : 0);
      // --listen ADDR[:PORT] (the PostgreSQL port) and --rpc-listen ADDR[:PORT] (the cluster's).
      if (a.count("listen") && !strata::SplitHostPort(StrArg(a, "listen"), o.port, &o.listen_address, &o.port)) {
        std::fprintf(stderr, "strata %s: --listen: expected ADDR[:PORT] (0.0.0.0 for every address)\n", cmd.c_str());
        return 2;
      }
      if (a.count("rpc-listen") &&
          !strata::SplitHostPort(StrArg(a, "rpc-listen"), o.rpc_port, &o.rpc_listen_address, &o.rpc_port)) {
        std::fprintf(stderr, "strata %s: --rpc-listen: expected ADDR[:PORT]\n", cmd.c_str());
        return 2;
      }
      // -1: the shape the data folder's catalog (or a restore's snapshot) has, else 2 x 2.
      o.compute_nodes = IntArg(a, "compute-nodes", -1);
      o.slices_per_node = IntArg(a, "slices-per-node", -1);
      if ((a.count("compute-nodes") && o.compute_nodes < 1) || (a.count("slices-per-node") && o.slices_per_node < 1)) {
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
      o.require_tls = a.count("require-tls") > 0;
      o.allow_paths = ListArg(a, "allow-path");
      o.max_connections = IntArg(a, "max-connections", 500);
      o.authentication_timeout_s = IntArg(a, "authentication-timeout", 60);
      o.history_retention_days = IntArg(a, "history-retention-days", 7);
      o.wlm_config = StrArg(a, "wlm-config");
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
      return strata::RunLeaderProcess(o, argv[0]);
    }
    if (cmd == "compute" || cmd == "spectrum") {
      strata::ComputeOptions o;
      if (!strata::SplitHostPort(StrArg(a, "join"), -1, &o.leader_host, &o.leader_port) || o.leader_port <= 0) {
        return Usage();
      }
      // --listen ADDR[:PORT]: this node's RPC port; --advertise ADDR: where the others reach it.
      if (a.count("listen") && !strata::SplitHostPort(StrArg(a, "listen"), 0, &o.listen_address, &o.listen_port)) {
        std::fprintf(stderr, "strata %s: --listen: expected ADDR[:PORT]\n", cmd.c_str());
        return 2;
      }
      o.advertise_address = StrArg(a, "advertise");
      o.data_dir = StrArg(a, "data", cmd == "spectrum" ? "/tmp/strata-spectrum" : "");
      if (o.data_dir.empty()) return Usage();
      o.node_id = IntArg(a, "node-id", -1);
      o.allow_paths = ListArg(a, "allow-path");
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
      return strata::RunNodeProcess(o);
    }
  } catch (const std::exception& e) {  // SqlError and the configuration's errors (a bad --wlm-config)
    std::fprintf(stderr, "strata %s: %s\n", cmd.c_str(), e.what());
    return 1;
  }
  return Usage();
}
