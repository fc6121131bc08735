// A compute node's side of a snapshot (SNAPSHOT_UPLOAD): it uploads what the store lacks of its
// slices' manifests (replication/snapshot_uploader.h) and reports progress to the leader every
// quarter second on the same connection. When the leader goes away the next progress message
// fails and the upload stops. And of a same-shape restore (RESTORE_SOURCE, RESTORE_FETCH;
// replication/snapshot_downloader.h): missing objects come from the store on demand, and the
// rest is brought over in the background.
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "planner/clock_functions.h"
#include "replication/snapshot_downloader.h"
#include "replication/snapshot_uploader.h"
#include "server/compute_node.h"
#include "sql/error.h"

namespace strata {
namespace {

ObjectStoreConfig ConfigOf(const rpc::SnapshotUpload& req) {
  ObjectStoreConfig config;
  config.endpoint = req.endpoint();
  if (!req.region().empty()) config.region = req.region();
  config.access_key_id = req.access_key_id();
  config.secret_access_key = req.secret_access_key();
  config.session_token = req.session_token();
  return config;
}

// Reports progress to the leader at most every quarter second; thread-safe.
class ProgressReporter {
 public:
  ProgressReporter(RpcChannel& ch, uint64_t query_id) : ch_(ch), query_id_(query_id), last_sent_(ClockMicros()) {}
  void Add(int64_t bytes, bool flush = false) {
    std::lock_guard<std::mutex> lock(mu_);
    pending_ += bytes;
    int64_t now = ClockMicros();
    if (pending_ == 0 || (!flush && now - last_sent_ < 250000)) return;
    rpc::SnapshotProgress p;
    p.set_bytes_done(pending_);
    ch_.Send(rpc::SNAPSHOT_PROGRESS, query_id_, p);  // throws when the leader has gone
    pending_ = 0;
    last_sent_ = now;
  }

 private:
  RpcChannel& ch_;
  uint64_t query_id_;
  std::mutex mu_;
  int64_t pending_ = 0;
  int64_t last_sent_;
};

int FaultDelayMs(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::atoi(v) : 0;
}

}  // namespace

void ComputeNode::RestoreSource(RpcChannel& ch, const RpcFrame& frame) {
  rpc::SnapshotUpload req;
  if (!req.ParseFromString(frame.payload)) throw SqlError(sqlstate::kProtocolViolation, "bad restore message");
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!restore_source_) {
      restore_source_ = std::make_shared<SnapshotStore>(req.location(), ConfigOf(req));
      AttachSnapshotSource(restore_source_, blocks_.get(), manifests_.get());
    }
  }
  ch.SendRaw(rpc::ACK, frame.query_id, "");
}

void ComputeNode::RestoreFetch(RpcChannel& ch, const RpcFrame& frame) {
  rpc::SnapshotUpload req;
  if (!req.ParseFromString(frame.payload)) throw SqlError(sqlstate::kProtocolViolation, "bad restore message");
  std::vector<std::string> manifests(req.manifests().begin(), req.manifests().end());
  ProgressReporter reporter(ch, frame.query_id);
  DownloadSlices(blocks_.get(), manifests_.get(), manifests, [&](int64_t b) { reporter.Add(b); },
                 FaultDelayMs("STRATA_FAULT_RESTORE_DELAY_MS"));
  reporter.Add(0, /*flush=*/true);
  ch.SendRaw(rpc::ACK, frame.query_id, "");
}

void ComputeNode::SnapshotUpload(RpcChannel& ch, const RpcFrame& frame) {
  rpc::SnapshotUpload req;
  if (!req.ParseFromString(frame.payload)) throw SqlError(sqlstate::kProtocolViolation, "bad snapshot message");
  SnapshotStore store(req.location(), ConfigOf(req));
  std::vector<std::string> manifests(req.manifests().begin(), req.manifests().end());
  // Tests slow the upload down to stop a cluster in the middle of one.
  const int delay_ms = FaultDelayMs("STRATA_FAULT_SNAPSHOT_DELAY_MS");
  ProgressReporter reporter(ch, frame.query_id);
  auto progress = [&](int64_t bytes) {
    if (delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    reporter.Add(bytes);
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
  reporter.Add(0, /*flush=*/true);
  ch.Send(rpc::SNAPSHOT_UPLOAD_REPLY, frame.query_id, reply);
}

}  // namespace strata
