// RESIZE CLUSTER TO n [NODES]: the session's side of an elastic resize (server/resize.h).
#include <cstdio>

#include "server/leader_session.h"
#include "server/resize.h"
#include "sql/error.h"

namespace strata {

StatementResult LeaderSession::RunResizeCluster(const ast::ResizeClusterStmt& s) {
  if (!UserIsSuperuser(*ctx_.catalog->Current(), user_)) {
    throw SqlError(sqlstate::kInsufficientPrivilege, "permission denied: only a superuser may resize the cluster");
  }
  if (txn_ && txn_->explicit_block) {
    // It commits a new slice map of its own and waits for older transactions to end.
    throw SqlError(sqlstate::kActiveSqlTransaction, "RESIZE CLUSTER cannot run inside a transaction block");
  }
  if (ctx_.resize == nullptr) {
    throw SqlError(sqlstate::kObjectNotInPrerequisiteState, "this leader cannot resize its cluster");
  }
  ResizeReport rep = ctx_.resize->Resize(s.nodes, &cancelled_);
  StatementResult r;
  r.command_tag = "RESIZE CLUSTER";
  if (rep.from_nodes == rep.to_nodes) {
    r.notices.push_back(StrCat("the cluster has ", rep.to_nodes, " compute nodes already"));
  } else {
    char held[32], total[32];
    std::snprintf(held, sizeof held, "%.0f", rep.held_ms);
    std::snprintf(total, sizeof total, "%.0f", rep.total_ms);
    r.notices.push_back(StrCat("resized from ", rep.from_nodes, " to ", rep.to_nodes, " compute nodes: ", rep.slices_moved,
                               " slices moved (", rep.objects_sent, " objects, ", rep.bytes_sent, " bytes) in ", total,
                               " ms; commits held ", held, " ms"));
  }
  return r;
}

}  // namespace strata
