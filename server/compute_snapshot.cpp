// A compute node's side of a snapshot (SNAPSHOT_UPLOAD): it uploads what the store lacks of its
// slices' manifests (replication/snapshot_uploader.h) and reports progress to the leader every
// quarter second on the same connection. When the leader goes away the next progress message
// fails and the upload stops.
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "planner/clock_functions.h"
#include "replication/snapshot_uploader.h"
#include "server/compute_node.h"
#include "sql/error.h"

namespace strata {

void ComputeNode::SnapshotUpload(RpcChannel& ch, const RpcFrame& frame) {
  rpc::SnapshotUpload req;
  if (!req.ParseFromString(frame.payload)) throw SqlError(sqlstate::kProtocolViolation, "bad snapshot message");
  ObjectStoreConfig config;
  config.endpoint = req.endpoint();
  if (!req.region().empty()) config.region = req.region();
  config.access_key_id = req.access_key_id();
  config.secret_access_key = req.secret_access_key();
  config.session_token = req.session_token();
  SnapshotStore store(req.location(), config);
  std::vector<std::string> manifests(req.manifests().begin(), req.manifests().end());
  // Tests slow the upload down to stop a cluster in the middle of one.
  const char* delay_env = std::getenv("STRATA_FAULT_SNAPSHOT_DELAY_MS");
  const int delay_ms = delay_env != nullptr ? std::atoi(delay_env) : 0;
  std::mutex mu;
  int64_t pending = 0;
  int64_t last_sent = ClockMicros();
  auto progress = [&](int64_t bytes) {
    if (delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    std::lock_guard<std::mutex> lock(mu);
    pending += bytes;
    int64_t now = ClockMicros();
    if (now - last_sent < 250000) return;
    rpc::SnapshotProgress p;
    p.set_bytes_done(pending);
    ch.Send(rpc::SNAPSHOT_PROGRESS, frame.query_id, p);  // throws when the leader has gone
    pending = 0;
    last_sent = now;
  };
  UploadResult r = UploadSlices(*blocks_, *manifests_, manifests, store, progress);
  rpc::SnapshotUploadReply reply;
  for (const auto& o : r.objects) {
    auto* x = reply.add_objects();
    x->set_id(o.id());
    x->set_size(o.size());
    x->set_manifest(o.manifest());
    x->set_uploaded(o.uploaded());
  }
  reply.set_uploaded_bytes(r.uploaded_bytes);
  reply.set_uploaded_objects(r.uploaded_objects);
  {
    std::lock_guard<std::mutex> lock(mu);
    if (pending > 0) {
      rpc::SnapshotProgress p;
      p.set_bytes_done(pending);
      ch.Send(rpc::SNAPSHOT_PROGRESS, frame.query_id, p);
    }
  }
  ch.Send(rpc::SNAPSHOT_UPLOAD_REPLY, frame.query_id, reply);
}

}  // namespace strata
