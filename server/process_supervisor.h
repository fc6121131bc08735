// Process lifetimes: `strata serve` runs the leader in its own process and starts the compute
// nodes and spectrum workers as children (fork + exec of the same binary) on 127.0.0.1; SIGINT
// or SIGTERM stops them all, a child that dies is started again (with exponential back-off,
// forever), and a child dies with its parent (PR_SET_PDEATHSIG) so that no orphan outlives a
// crashed leader. Children inherit no descriptor beyond stdio and get the cluster secret as a
// file name (DATA/cluster.secret, made at first start). Leader and compute nodes remove the
// temporary files a crash left in their data folders before they start.
#pragma once

#include <string>
#include <vector>

#include "server/compute_node.h"
#include "server/snapshot_service.h"

namespace strata {

struct ServeOptions {
  std::string data_dir;
  int port = 5439;
  int rpc_port = 0;
  std::string listen_address = "127.0.0.1";      // the PostgreSQL port's (--listen ADDR[:PORT])
  std::string rpc_listen_address = "127.0.0.1";  // the cluster RPC port's (--rpc-listen ADDR[:PORT])
  int compute_nodes = 2;
  int slices_per_node = 2;
  int spectrum_workers = 2;
  bool spawn_children = true;
  std::string password;       // the bootstrap user's (see LeaderOptions)
  std::string tls_cert_file;
  std::string tls_key_file;
  bool require_tls = false;
  int max_connections = 500;         // the PostgreSQL port's; see LeaderOptions
  int authentication_timeout_s = 60;
  int history_retention_days = 7;  // the leader's --history-retention-days
  std::string wlm_config;          // the leader's --wlm-config
  int http_port = 0;               // --http-port: the console and /metrics (0: none)
  std::string http_listen_address = "127.0.0.1";
  bool log_connections = true;     // --log-connections, --log-disconnections (server/server_log.h)
  bool log_disconnections = true;
  std::string cluster_secret_file;   // empty: DATA/cluster.secret
  // Folders that superusers' COPY and UNLOAD may read and write on this host (--allow-path,
  // repeatable; see io/local_path_policy.h); passed on to the children.
  std::vector<std::string> allow_paths;
  // --memory-limit of each compute node `serve` starts, in bytes (0: DefaultNodeMemoryLimit()).
  int64_t memory_limit = 0;
  SnapshotSettings snapshots;   // --snapshot-location, --snapshot-interval, ... (server/snapshot_service.h)
  // --restore-from LOCATION --snapshot NAME: a new cluster from a snapshot (server/restore.h);
  // compute_nodes / slices_per_node -1 then take the snapshot's.
  std::string restore_from;
  std::string restore_snapshot;
};

int RunLeaderProcess(const ServeOptions& options, const char* argv0);
int RunNodeProcess(const ComputeOptions& options);

}  // namespace strata
