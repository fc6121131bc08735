// Process lifetimes: `strata serve` runs the leader in its own process and starts the compute
// nodes and spectrum workers as children (fork + exec of the same binary) on 127.0.0.1; SIGINT
// or SIGTERM stops them all, a child that dies is started again, and a child dies with its
// parent (PR_SET_PDEATHSIG) so that no orphan outlives a crashed leader.
#pragma once

#include <string>

#include "server/compute_node.h"

namespace strata {

struct ServeOptions {
  std::string data_dir;
  int port = 5439;
  int rpc_port = 0;
  int compute_nodes = 2;
  int slices_per_node = 2;
  int spectrum_workers = 2;
  bool spawn_children = true;
  std::string password;       // the bootstrap user's (see LeaderOptions)
  std::string tls_cert_file;
  std::string tls_key_file;
  bool require_tls = false;
};

int RunLeaderProcess(const ServeOptions& options, const char* argv0);
int RunNodeProcess(const ComputeOptions& options);

}  // namespace strata
