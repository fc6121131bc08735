// A compute process's side of mirrors and failover (server/failover.h has the leader's).
//
// Besides its own store (DATA/blocks, DATA/manifests) a process keeps a mirror store for each
// node whose slices it mirrors: DATA/mirror-<node>/, laid out the same way. Stores are
// content-addressed, so bringing one up to date is sending it the objects it lacks:
// PUSH_OBJECTS makes this process (the one holding the data) ask the target which of the
// named manifests' objects it lacks (OBJECTS_MISSING) and send those (PUT_OBJECTS); the
// target checks every object against its id before keeping it. The leader uses it at every
// commit (the writer's new manifests go to its mirror) and to resync a store that missed
// commits (a restarted node, a replaced disk).
//
// TAKE_OVER makes this process a stand-in for a failed node: a second ComputeNode, in this
// process, serving that node's slices from the mirror store on a port of its own and
// registering with the leader as that node. It stops when the leader answers a heartbeat with
// `retire` (the node's own process is back and resynced).
//
// RESLICE_MANIFESTS (an elastic resize, server/resize.h) stores a copy of a manifest made for
// another slice: a DISTSTYLE ALL table's copy for a node whose first slice is a different one.
#include <filesystem>
#include <thread>

#include "executor/worker_pool.h"
#include "server/compute_node.h"
#include "server/server_log.h"
#include "server/rpc_pool.h"
#include "sql/error.h"
#include "storage/fault_point.h"
#include "storage/storage.pb.h"

namespace strata {
namespace {

// Objects go to the target in messages of about this many bytes.
constexpr size_t kPutBatchBytes = size_t{4} << 20;
// Ids asked about in one OBJECTS_MISSING.
constexpr int kAskBatch = 20000;
// A commit's push sends what its manifests add to their bases without asking first when that
// is at most this much (PushObjects.base_manifests).
constexpr int64_t kDeltaPushBytes = int64_t{1} << 20;
// PUT_OBJECTS' answer when the target lacks a required base manifest.
constexpr const char* kMissingBase = "missing base";

// The blocks and delete vector a manifest names.
std::unordered_set<std::string> ObjectsOf(const storage::SliceManifest& m) {
  std::unordered_set<std::string> out;
  for (const auto& chain : m.columns()) {
    for (const auto& b : chain.blocks()) out.insert(b.id());
  }
  if (!m.delete_vector_id().empty()) out.insert(m.delete_vector_id());
  return out;
}

}  // namespace

ComputeNode::Stores ComputeNode::StoresOf(const rpc::StoreRef& ref) {
  if (ref.mirror_of() < 0) return {blocks_.get(), manifests_.get()};
  if (ref.mirror_of() >= 1 << 16) throw SqlError(sqlstate::kProtocolViolation, "bad mirror store");
  std::lock_guard<std::mutex> lock(mu_);
  auto& m = mirrors_[ref.mirror_of()];
  if (!m.blocks) {
    std::string dir = MirrorDir(ref.mirror_of());
    m.blocks = std::make_unique<BlockStore>(dir, /*small_objects_in_log=*/true);
    m.manifests = std::make_unique<ManifestStore>(dir, /*small_objects_in_log=*/true);
  }
  return {m.blocks.get(), m.manifests.get()};
}

std::string ComputeNode::MirrorDir(int node) const { return options_.data_dir + "/mirror-" + std::to_string(node); }

std::vector<int> ComputeNode::MirrorsOnDisk() const {
  std::vector<int> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(options_.data_dir, ec)) {
    std::string name = e.path().filename().string();
    if (name.rfind("mirror-", 0) != 0 || !e.is_directory()) continue;
    try {
      out.push_back(std::stoi(name.substr(7)));
    } catch (const std::exception&) {
    }
  }
  return out;
}

void ComputeNode::SyncAllLogs() {
  std::vector<ObjectLog*> logs;
  if (blocks_->log() != nullptr) logs.push_back(blocks_->log());
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [node, m] : mirrors_) {
      if (m.blocks && m.blocks->log() != nullptr) logs.push_back(m.blocks->log());
    }
  }
  for (ObjectLog* log : logs) log->Sync();  // nothing to do for a log with nothing new
}

void ComputeNode::PushObjects(RpcChannel& ch, const RpcFrame& frame) {
  FaultPoint("push_objects");  // tests/server/resize_test.sh: a node lost in the middle of a resize
  rpc::PushObjects req;
  if (!req.ParseFromString(frame.payload)) throw SqlError(sqlstate::kProtocolViolation, "bad push message");
  Stores from = StoresOf(req.from());
  // Write stages of the committing statement appended their objects without syncing
  // (RunStage.defer_sync): the logs are synced here, while the mirror writes its copy, and the
  // reply waits for both.
  std::exception_ptr sync_error;
  PooledThread sync([this, &sync_error] {
    try {
      SyncAllLogs();
    } catch (...) {
      sync_error = std::current_exception();
    }
  });
  auto synced = [&] {
    sync.join();
    if (sync_error) std::rethrow_exception(sync_error);
  };
  try {
    rpc::PushReply delta;
    if (PushDelta(req, from, frame.query_id, &delta)) {
      synced();
      ch.Send(rpc::PUSH_REPLY, frame.query_id, delta);
      return;
    }
    // Every object the manifests need, once; each must be here (a manifest is checked against its id).
    rpc::ObjectSet want;
    *want.mutable_store() = req.to();
    std::unordered_set<std::string> seen;
    std::unordered_set<std::string> absent;  // tolerate_missing: offered, but not here
    auto add = [&](const std::string& id, bool manifest) {
      if (id.empty() || !seen.insert(id).second) return;
      if (!(manifest ? from.manifests->Contains(id) : from.blocks->Contains(id))) {
        if (!req.tolerate_missing()) {
          throw SqlError(sqlstate::kIoError, StrCat("node ", node_id_, " lacks ", manifest ? "manifest " : "block ", id));
        }
        absent.insert(id);
      }
      want.add_ids(id);
      want.add_manifest(manifest);
    };
    for (const std::string& id : req.manifests()) {
      if (id.empty()) continue;
      add(id, true);
      if (absent.count(id)) continue;  // its blocks are unknown here; the target may hold them all
      auto m = from.manifests->Get(id);  // checked against its id
      for (const auto& chain : m->columns()) {
        for (const auto& b : chain.blocks()) add(b.id(), false);
      }
      add(m->delete_vector_id(), false);
    }
    rpc::PushReply reply;
    reply.set_objects(want.ids_size());
    if (req.host().empty()) reply.set_unavailable(static_cast<int64_t>(absent.size()));
    if (!req.host().empty() && want.ids_size() > 0) {
      // A failure on the target's side is 08006, so that the leader can tell it from a source
      // that lacks what it should hold.
      try {
        PooledChannel target = RpcPool::Shared().Acquire(req.host(), req.port(), options_.secret);
        // Asked in parts, so that no message grows with the size of the data.
        rpc::ObjectSet missing;
        for (int at = 0; at < want.ids_size(); at += kAskBatch) {
          rpc::ObjectSet part;
          *part.mutable_store() = req.to();
          for (int i = at; i < std::min(want.ids_size(), at + kAskBatch); ++i) {
            part.add_ids(want.ids(i));
            part.add_manifest(want.manifest(i));
          }
          target->Send(rpc::OBJECTS_MISSING, frame.query_id, part);
          rpc::ObjectSet got;
          got.ParseFromString(target->Expect(rpc::OBJECTS_MISSING_REPLY, std::chrono::milliseconds(60000)).payload);
          missing.MergeFrom(got);
        }
        rpc::PutObjects put;
        size_t bytes = 0;
        auto flush = [&] {
          if (put.objects_size() == 0) return;
          *put.mutable_store() = req.to();
          target->Send(rpc::PUT_OBJECTS, frame.query_id, put);
          target->Expect(rpc::ACK, std::chrono::milliseconds(60000));
          put.Clear();
          bytes = 0;
        };
        // Blocks before manifests, so that a target holding a manifest holds what it names (a
        // later commit's push relies on that: PushDelta).
        std::vector<int> order;
        for (int pass = 0; pass < 2; ++pass) {
          for (int i = 0; i < missing.ids_size(); ++i) {
            bool manifest = i < missing.manifest_size() && missing.manifest(i);
            if (manifest == (pass == 1)) order.push_back(i);
          }
        }
        for (int i : order) {
          const std::string& id = missing.ids(i);
          bool manifest = i < missing.manifest_size() && missing.manifest(i);
          if (!seen.count(id)) throw SqlError(sqlstate::kProtocolViolation, "the target asked for an object not offered");
          if (absent.count(id)) {
            reply.set_unavailable(reply.unavailable() + 1);
            continue;
          }
          auto* o = put.add_objects();
          o->set_id(id);
          o->set_manifest(manifest);
          o->set_data(manifest ? from.manifests->RawBytes(id) : from.blocks->Get(id));
          bytes += o->data().size();
          reply.set_sent_objects(reply.sent_objects() + 1);
          reply.set_sent_bytes(reply.sent_bytes() + static_cast<int64_t>(o->data().size()));
          if (bytes >= kPutBatchBytes) flush();
        }
        flush();
        target.Keep();
      } catch (const SqlError& e) {
        throw SqlError(sqlstate::kConnectionFailure, StrCat("the target store at ", req.host(), ":", req.port(), ": ", e.message()));
      }
    }
    synced();
    ch.Send(rpc::PUSH_REPLY, frame.query_id, reply);
  } catch (...) {
    // A failure of this node's own sync is the source's failure (the commit must not go on
    // without the copy), whatever else failed meanwhile.
    sync.join();
    if (sync_error) std::rethrow_exception(sync_error);
    throw;
  }
}

bool ComputeNode::PushDelta(const rpc::PushObjects& req, const Stores& from, uint64_t query_id, rpc::PushReply* reply) {
  if (req.host().empty() || req.tolerate_missing() || req.base_manifests_size() != req.manifests_size()) return false;
  rpc::PutObjects put;
  *put.mutable_store() = req.to();
  std::unordered_set<std::string> added;
  int64_t bytes = 0;
  std::vector<std::string> manifests;
  for (int i = 0; i < req.manifests_size(); ++i) {
    const std::string& id = req.manifests(i);
    const std::string& base = req.base_manifests(i);
    if (id.empty()) continue;
    if (base.empty() || !from.manifests->Contains(base) || !from.manifests->Contains(id)) return false;
    auto m = from.manifests->Get(id);
    std::unordered_set<std::string> had = ObjectsOf(*from.manifests->Get(base));
    for (const auto& chain : m->columns()) {
      for (const auto& b : chain.blocks()) {
        if (had.count(b.id()) || !added.insert(b.id()).second) continue;
        bytes += b.byte_size();
      }
    }
    const std::string& dv = m->delete_vector_id();
    if (!dv.empty() && !had.count(dv)) added.insert(dv);
    if (bytes > kDeltaPushBytes) return false;
    manifests.push_back(id);
    put.add_require_manifests(base);
  }
  if (manifests.empty()) return false;
  for (const auto& id : added) {
    auto* o = put.add_objects();
    o->set_id(id);
    o->set_data(from.blocks->Get(id));
  }
  for (const auto& id : manifests) {  // after the blocks they name
    auto* o = put.add_objects();
    o->set_id(id);
    o->set_manifest(true);
    o->set_data(from.manifests->RawBytes(id));
  }
  int64_t sent_bytes = 0;
  for (const auto& o : put.objects()) sent_bytes += static_cast<int64_t>(o.data().size());
  if (sent_bytes > 2 * kDeltaPushBytes) return false;  // a delete vector larger than expected
  try {
    PooledChannel target = RpcPool::Shared().Acquire(req.host(), req.port(), options_.secret);
    target->Send(rpc::PUT_OBJECTS, query_id, put);
    RpcFrame ack = target->Expect(rpc::ACK, std::chrono::milliseconds(60000));
    target.Keep();
    if (!ack.payload.empty()) return false;  // the target lacks a base: ask what it lacks
  } catch (const SqlError& e) {
    throw SqlError(sqlstate::kConnectionFailure, StrCat("the target store at ", req.host(), ":", req.port(), ": ", e.message()));
  }
  reply->set_objects(put.objects_size());
  reply->set_sent_objects(put.objects_size());
  reply->set_sent_bytes(sent_bytes);
  return true;
}

void ComputeNode::ObjectsMissing(RpcChannel& ch, const RpcFrame& frame) {
  rpc::ObjectSet req;
  if (!req.ParseFromString(frame.payload)) throw SqlError(sqlstate::kProtocolViolation, "bad object set");
  Stores s = StoresOf(req.store());
  rpc::ObjectSet missing;
  for (int i = 0; i < req.ids_size(); ++i) {
    bool manifest = i < req.manifest_size() && req.manifest(i);
    const std::string& id = req.ids(i);
    if (!IsContentId(id)) throw SqlError(sqlstate::kProtocolViolation, "bad object id");
    if (manifest ? s.manifests->Contains(id) : s.blocks->Contains(id)) continue;
    missing.add_ids(id);
    missing.add_manifest(manifest);
  }
  ch.Send(rpc::OBJECTS_MISSING_REPLY, frame.query_id, missing);
}

void ComputeNode::PutObjects(RpcChannel& ch, const RpcFrame& frame) {
  rpc::PutObjects req;
  if (!req.ParseFromString(frame.payload)) throw SqlError(sqlstate::kProtocolViolation, "bad object message");
  Stores s = StoresOf(req.store());
  for (const auto& id : req.require_manifests()) {
    if (!IsContentId(id)) throw SqlError(sqlstate::kProtocolViolation, "bad object id");
    if (!s.manifests->Contains(id)) {
      ch.SendRaw(rpc::ACK, frame.query_id, kMissingBase);
      return;
    }
  }
  for (const auto& o : req.objects()) {
    if (!IsContentId(o.id()) || ContentId(o.data()) != o.id()) {
      throw SqlError(sqlstate::kDataCorrupted, StrCat("object ", o.id(), " arrived corrupted"));
    }
  }
  // Blocks first, then manifests: a manifest's Put syncs the blocks put before it (one sync).
  std::vector<const rpc::StoredBytes*> ordered;
  for (const auto& o : req.objects()) {
    if (!o.manifest()) ordered.push_back(&o);
  }
  for (const auto& o : req.objects()) {
    if (o.manifest()) ordered.push_back(&o);
  }
  for (const auto* object : ordered) {
    const auto& o = *object;
    if (o.manifest()) {
      storage::SliceManifest m;
      if (!m.ParseFromString(o.data())) throw SqlError(sqlstate::kDataCorrupted, StrCat("manifest ", o.id(), " does not parse"));
      if (s.manifests->Put(m) != o.id()) throw SqlError(sqlstate::kDataCorrupted, StrCat("manifest ", o.id(), " is not canonical"));
    } else {
      s.blocks->Put(o.data());
    }
  }
  s.blocks->Sync();  // blocks kept in the object log are durable before the ACK
  ch.SendRaw(rpc::ACK, frame.query_id, "");
}

void ComputeNode::ResliceManifests(RpcChannel& ch, const RpcFrame& frame) {
  rpc::ResliceManifests req;
  if (!req.ParseFromString(frame.payload) || req.manifests_size() != req.slices_size()) {
    throw SqlError(sqlstate::kProtocolViolation, "bad reslice message");
  }
  rpc::ResliceReply reply;
  for (int i = 0; i < req.manifests_size(); ++i) {
    if (req.slices(i) < 0) throw SqlError(sqlstate::kProtocolViolation, "bad reslice message");
    storage::SliceManifest m = *manifests_->Get(req.manifests(i));  // 58030 when it is not here
    m.set_slice(req.slices(i));
    reply.add_manifests(manifests_->Put(m));
  }
  ch.Send(rpc::RESLICE_REPLY, frame.query_id, reply);
}

void ComputeNode::TakeOver(RpcChannel& ch, const RpcFrame& frame) {
  rpc::TakeOver req;
  if (!req.ParseFromString(frame.payload)) throw SqlError(sqlstate::kProtocolViolation, "bad take-over message");
  if (req.node_id() < 0 || req.node_id() >= compute_nodes_ || req.node_id() == node_id_ || options_.standin) {
    throw SqlError(sqlstate::kProtocolViolation, StrCat("node ", node_id_, " cannot stand in for node ", req.node_id()));
  }
  std::lock_guard<std::mutex> lock(standin_mu_);
  auto it = standins_.find(req.node_id());
  if (it == standins_.end() || it->second->retired()) {
    ComputeOptions o = options_;
    o.data_dir = MirrorDir(req.node_id());
    o.node_id = req.node_id();
    o.listen_port = 0;
    o.standin = true;
    o.shared_memory = memory_;
    if (o.advertise_address.empty()) o.advertise_address = advertised_host_;
    auto standin = std::make_unique<ComputeNode>(o);
    standin->Start();  // registers as the node; throws when it cannot
    ServerLogf("node %d stands in for node %d on port %d\n", node_id_, req.node_id(),
                 standin->port());
    // A retired stand-in may still be finishing a stage: it is kept, never destroyed.
    if (it != standins_.end()) retired_standins_.push_back(std::move(it->second));
    standins_[req.node_id()] = std::move(standin);
  }
  ch.SendRaw(rpc::ACK, frame.query_id, "");
}

}  // namespace strata
