// The leader process: the catalog (system of record, in DIR/leader), the registry of compute
// nodes and spectrum workers (an RPC port they join), and the PostgreSQL front door.
#pragma once

#include <memory>
#include <string>

#include "server/cluster.h"
#include "server/cluster_secret.h"
#include "server/http_server.h"
#include "server/pgwire/pg_server.h"
#include "server/stl_log.h"
#include "server/query_history.h"
#include "server/result_cache.h"
#include "server/wlm.h"
#include "server/snapshot_registry.h"
#include "server/session_directory.h"
#include "executor/memory_budget.h"
#include "server/rpc_channel.h"
#include "server/table_locks.h"
#include "catalog/catalog_store.h"
#include "server/failover.h"
#include "server/resize.h"
#include "server/restore.h"
#include "server/snapshot_service.h"

namespace strata {

struct LeaderOptions {
  std::string data_dir;
  int port = 5439;       // PostgreSQL protocol
  int rpc_port = 0;      // cluster RPC; 0 = any free port
  // Where each listens (--listen, --rpc-listen): an IP address, 0.0.0.0 / :: for all of them.
  std::string listen_address = "127.0.0.1";
  std::string rpc_listen_address = "127.0.0.1";
  int compute_nodes = 2;
  int slices_per_node = 2;
  // The bootstrap user's password (held in memory as a SCRAM verifier, never persisted); empty:
  // none. With it, or once any catalog user has a password, every connection authenticates.
  std::string password;
  std::string tls_cert_file;  // PEM; both set: SSLRequest is answered 'S'
  std::string tls_key_file;
  bool require_tls = false;   // refuse plain connections
  // Client connections beyond this many are refused with 53300; a client that has not finished
  // its startup and authentication after authentication_timeout_s seconds is disconnected.
  int max_connections = 500;
  int authentication_timeout_s = 60;
  int history_retention_days = 7;  // --history-retention-days: how long the query history is kept
  std::string wlm_config;          // --wlm-config: WLM queues as JSON (server/wlm.h); "" = the default
  ClusterSecret secret;       // compute nodes and spectrum workers must prove it to join
  int64_t memory_limit = 0;   // the leader's budget (--memory-limit); 0 = DefaultNodeMemoryLimit()
  SnapshotSettings snapshots; // --snapshot-location and the automated schedule
  // --http-port (0: none) and its address: the console and /metrics (server/http_server.h).
  int http_port = 0;
  std::string http_listen_address = "127.0.0.1";
  bool log_connections = true;     // a line per connection and login (server/server_log.h)
  bool log_disconnections = true;  // a line per disconnection, with the session's time
};

// The server log's lines for the PostgreSQL port's connection events (leader_log.cpp).
std::function<void(const pgwire::ConnectionEvent&)> ConnectionLogger(bool connections, bool disconnections);

class Leader {
 public:
  explicit Leader(LeaderOptions options);
  ~Leader();
  // Opens the catalog and both ports; throws on failure.
  void Start();
  int rpc_port() const { return rpc_->port(); }
  // Where this host reaches the cluster RPC port (the children `serve` starts join there).
  const std::string& rpc_local_host() const { return rpc_->local_host(); }
  int pg_port() const { return pg_->port(); }
  void Stop();
  // A restore this leader was running failed (it printed why): the process should stop.
  bool restore_failed() const { return restore_ && restore_->failed(); }
  // How many compute node processes `serve` should run (a resize changes it).
  int wanted_compute_nodes() const { return resize_->wanted_nodes(); }

 private:
  void HandleRpc(RpcChannel& ch);
  // Passwords and TLS for the PostgreSQL front door; throws when the TLS files are unusable.
  void ConfigureSecurity(pgwire::PgServerOptions* po) const;

  LeaderOptions options_;
  uint64_t incarnation_;  // RegisterReply.leader_incarnation
  std::unique_ptr<CatalogStore> catalog_;
  std::unique_ptr<Cluster> cluster_;
  TableLocks locks_;
  LoadErrorStore load_errors_;
  ScanLog scan_log_;
  StepLog step_log_;
  std::unique_ptr<QueryHistory> history_;  // stl_query, svl_qlog, sys_query_history ...
  ResultCache result_cache_;
  std::unique_ptr<Wlm> wlm_;
  SnapshotRegistry snapshots_;
  SessionDirectory sessions_;
  std::unique_ptr<NodeMemory> memory_;  // the leader's own budget (its stages: final sorts, aggregates)
  std::unique_ptr<RpcServer> rpc_;
  std::unique_ptr<pgwire::PgServer> pg_;
  std::unique_ptr<HttpServer> http_;  // --http-port: the console and /metrics
  std::unique_ptr<SnapshotService> snapshot_service_;
  RestoreGate restore_gate_;
  std::unique_ptr<RestoreRunner> restore_;
  std::unique_ptr<FailoverManager> failover_;
  std::unique_ptr<ResizeManager> resize_;
};

}  // namespace strata
