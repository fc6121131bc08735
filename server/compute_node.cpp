#include "server/compute_node.h"
#include "server/server_log.h"

#include "storage/garbage_collector.h"

#include "executor/load_log.h"
#include "executor/worker_pool.h"

#include <chrono>
#include <filesystem>
#include <optional>
#include <random>
#include <cstdio>
#include <thread>

#include <sys/eventfd.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "executor/append_blocks.h"
#include "planner/expr_builder.h"
#include "executor/batch_codec.h"
#include "executor/spill_file.h"
#include "executor/stage_runner.h"
#include "server/exchange_router.h"
#include "server/spectrum_client.h"
#include "executor/external_scan.h"
#include "executor/operator_factory.h"
#include "executor/scan_stats.h"
#include "sql/error.h"
#include "sql/nesting_limit.h"
#include "io/file_io.h"
#include "storage/zone_map.h"

namespace strata {

namespace {

// The block cache's size: the node's memory limit over this.
constexpr int64_t kBlockCacheShareDivisor = 8;
constexpr int64_t kDecodedCacheShareDivisor = 32;

rpc::Error ToRpcError(const SqlError& e) {
  rpc::Error r;
  r.set_sqlstate(e.sqlstate());
  r.set_message(e.message());
  r.set_detail(e.detail());
  r.set_hint(e.hint());
  return r;
}

}  // namespace

ComputeNode::ComputeNode(ComputeOptions options) : options_(std::move(options)) {
  MakeDirectories(options_.data_dir);
  std::string id_file = options_.data_dir + "/node_id";
  fresh_ = options_.role == "compute" && !options_.standin && !PathExists(id_file);
  incarnation_ = std::random_device{}() * 0x100000001ull ^
                 static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  node_id_ = options_.node_id;
  if (node_id_ < 0 && PathExists(id_file)) node_id_ = std::stoi(ReadFileBytes(id_file));
  blocks_ = std::make_unique<BlockStore>(options_.data_dir, /*small_objects_in_log=*/true);
  manifests_ = std::make_unique<ManifestStore>(options_.data_dir, /*small_objects_in_log=*/true);
  std::string temp_dir = options_.data_dir + "/tmp";
  // Spill files are unlinked as soon as they are made, so only an older build's crash can have
  // left some; a compute node owns its folder and sweeps it (spectrum workers may share theirs).
  if (options_.role == "compute") {
    int swept = SweepSpillFolder(temp_dir);
    if (swept > 0) ServerLogf("removed %d spill files left by a crash\n", swept);
  } else {
    MakeDirectories(temp_dir);
  }
  memory_ = options_.shared_memory != nullptr
                ? options_.shared_memory
                : std::make_shared<NodeMemory>(options_.memory_limit > 0 ? options_.memory_limit : DefaultNodeMemoryLimit(), temp_dir);
  // Recently read blocks stay in memory beside the queries' budget: an eighth of it, so a
  // node's working set of hot columns is read and verified once (storage/block_cache.h).
  // String blocks decoded whole are kept too, in a smaller share of their own: repeated point
  // lookups decode a block once (storage/block_cache.h).
  if (options_.role == "compute" && !options_.standin) {
    blocks_->EnableCache(memory_->limit() / kBlockCacheShareDivisor);
    blocks_->EnableDecodedCache(memory_->limit() / kDecodedCacheShareDivisor);
  }
}

// A quarter of the node: a few queries at once can each have their share before the node's
// limit says no, and one query alone cannot take memory the others need. The session setting
// query_memory asks for more (or less) per query; WLM slots will set it later.
int64_t ComputeNode::DefaultQueryShare() const { return memory_->limit() / 4; }

std::shared_ptr<ComputeNode::QueryState> ComputeNode::Query(uint64_t id, int64_t query_memory) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& q = queries_[id];
  // The first message of a query fixes its share: its first RunStage, or a peer's exchange rows
  // that overtook it (they carry the share too). A cancel that comes first gives the default.
  if (!q) q = std::make_shared<QueryState>(memory_.get(), query_memory > 0 ? query_memory : DefaultQueryShare(), id);
  return q;
}

void ComputeNode::Run() {
  Start();
  while (true) std::this_thread::sleep_for(std::chrono::hours(1));
}

void ComputeNode::Start() {
  server_ = std::make_unique<RpcServer>(options_.listen_address, options_.listen_port, options_.secret,
                                        [this](RpcChannel& ch) { Handle(ch); });
  // Register with the leader; it may still be starting, so retry for a bounded time.
  rpc::RegisterNode reg;
  reg.set_role(options_.role);
  reg.set_node_id(node_id_);
  reg.set_port(server_->port());
  reg.set_incarnation(incarnation_);
  reg.set_standin(options_.standin);
  reg.set_fresh(fresh_);
  for (int attempt = 0;; ++attempt) {
    try {
      auto ch = RpcChannel::Connect(options_.leader_host, options_.leader_port, options_.secret);
      std::string advertise = options_.advertise_address;
      if (advertise.empty()) {
        advertise = IsWildcardAddress(options_.listen_address) ? ch->local_address() : options_.listen_address;
      }
      reg.set_host(advertise);
      advertised_host_ = advertise;
      FillUsage(reg.mutable_usage());  // known from the first moment, not the first heartbeat
      ch->Send(rpc::REGISTER, 0, reg);
      RpcFrame f = ch->Expect(rpc::REGISTER_REPLY, std::chrono::milliseconds(10000));
      rpc::RegisterReply reply;
      reply.ParseFromString(f.payload);
      node_id_ = reply.node_id();
      slices_per_node_ = reply.slices_per_node();
      compute_nodes_ = reply.compute_nodes();
      leader_incarnation_ = reply.leader_incarnation();
      if (reply.retire()) {
        server_->Stop();
        retired_ = true;
        throw SqlError(sqlstate::kCannotConnectNow, StrCat("the leader no longer wants a stand-in for node ", node_id_));
      }
      break;
    } catch (const SqlError& e) {
      if (options_.standin) {
        if (attempt >= 20 || retired_) {
          server_->Stop();
          retired_ = true;
          throw;
        }
      } else if (attempt >= (e.sqlstate() == sqlstate::kCannotConnectNow ? 6000 : 300) ||
                 e.sqlstate() == sqlstate::kInvalidAuthorizationSpecification) {
        // Not let in (57P03: a node added by hand before the resize that adds it) waits up to
        // 10 minutes; a leader that does not answer, 30 s.
        // A leader with another secret will not change its mind: stop at once, and say why.
        ServerLogf("cannot register with the leader: %s\n", e.what());
        std::exit(1);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  if (options_.role == "compute" && !options_.standin) {
    WriteFileDurably(options_.data_dir + "/node_id", std::to_string(node_id_));
  }
  reg.set_node_id(node_id_);
  reg.set_fresh(false);  // the leader has heard it once; a resync it asks for is its own business
  std::thread([this, reg] { Heartbeats(reg); }).detach();
  if (options_.standin) return;
  // Two lines: scripts take the port from the end of the "serving on" one.
  SetServerLogNodeId(node_id_);
  ServerLogf("node %d memory limit %s (a query's default share %s, spill folder %s; block cache %s)\n", node_id_,
             FormatMemorySize(memory_->limit()).c_str(), FormatMemorySize(DefaultQueryShare()).c_str(),
             memory_->temp_dir().c_str(), FormatMemorySize(blocks_->cache() ? blocks_->cache()->capacity() : 0).c_str());
  ServerLogf("node %d serving on %s:%d\n", node_id_,
               options_.listen_address.c_str(), server_->port());
}

// Heartbeats: the same REGISTER every second, so the leader knows within seconds when this node
// is gone, and a restarted leader learns of it again without a restart here.
void ComputeNode::FillUsage(rpc::NodeUsage* u) {
  u->set_memory_used(memory_->used());
  u->set_memory_limit(memory_->limit());
  struct statvfs fs;
  if (statvfs(options_.data_dir.c_str(), &fs) == 0) {
    u->set_disk_capacity(static_cast<int64_t>(fs.f_blocks) * static_cast<int64_t>(fs.f_frsize));
    u->set_disk_free(static_cast<int64_t>(fs.f_bavail) * static_cast<int64_t>(fs.f_frsize));
  }
  // The data folder's size: a walk of its files, at most every 30 s (bounded cost per beat).
  const auto now = std::chrono::steady_clock::now();
  if (data_bytes_at_ == std::chrono::steady_clock::time_point{} || now - data_bytes_at_ > std::chrono::seconds(30)) {
    int64_t total = 0;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(options_.data_dir, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      std::error_code size_ec;
      if (it->is_regular_file(size_ec)) {
        const auto size = it->file_size(size_ec);
        if (!size_ec) total += static_cast<int64_t>(size);
      }
    }
    data_bytes_ = total;
    data_bytes_at_ = now;
  }
  u->set_data_bytes(data_bytes_);
  std::lock_guard<std::mutex> lock(mu_);
  u->set_queries(static_cast<int32_t>(queries_.size()));
}

void ComputeNode::Heartbeats(rpc::RegisterNode reg) {
  for (;;) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    try {
      auto ch = RpcChannel::Connect(options_.leader_host, options_.leader_port, options_.secret);
      FillUsage(reg.mutable_usage());
      ch->Send(rpc::REGISTER, 0, reg);
      rpc::RegisterReply reply;
      reply.ParseFromString(ch->Expect(rpc::REGISTER_REPLY, std::chrono::milliseconds(5000)).payload);
      ch->Close();
      if (reply.compute_nodes() > 0) compute_nodes_ = reply.compute_nodes();
      if (reply.retire()) {
        // A stand-in whose node's own process serves again: nothing new comes; the queries that
        // started here finish (bounded), then it stops listening.
        retired_ = true;
        ServerLogf("the stand-in for node %d retires\n", node_id_);
        for (int waited = 0; waited < 600; ++waited) {
          {
            std::lock_guard<std::mutex> lock(mu_);
            if (queries_.empty()) break;
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
        server_->Stop();
        return;
      }
      if (reply.leader_incarnation() != leader_incarnation_) {
        // A new leader: the queries of the old one are gone, and their ids will be reused.
        std::lock_guard<std::mutex> lock(mu_);
        for (auto& [id, q] : queries_) q->cancelled = true;
        queries_.clear();
        leader_incarnation_ = reply.leader_incarnation();
        ServerLogf("node %d joined a restarted leader\n", node_id_);
      }
    } catch (const std::exception&) {
      // The leader is away (restarting): the next beat tries again.
    }
  }
}

void ComputeNode::Handle(RpcChannel& ch) {
  RpcFrame f;
  while (ch.Receive(&f)) {
    try {
      switch (f.type) {
        case rpc::RUN_STAGE: RunStage(ch, f); break;
        case rpc::EXCHANGE_DATA: {
          rpc::ExchangeData msg;
          if (!msg.ParseFromString(f.payload)) throw SqlError(sqlstate::kProtocolViolation, "bad exchange message");
          if (msg.end()) {
            Query(f.query_id, msg.query_memory())->inbox.End(msg.exchange_id());
          } else {
            auto batch = std::make_shared<const Batch>(DecodeBatch(msg.batch()));
            Query(f.query_id, msg.query_memory())->inbox.Add(msg.exchange_id(), msg.slice(), std::move(batch));
          }
          ch.SendRaw(rpc::ACK, f.query_id, "");
          break;
        }
        case rpc::DROP_EXCHANGES: {
          rpc::DropExchanges msg;
          if (!msg.ParseFromString(f.payload)) throw SqlError(sqlstate::kProtocolViolation, "bad drop message");
          std::shared_ptr<QueryState> qs;
          {
            std::lock_guard<std::mutex> lock(mu_);
            auto it = queries_.find(f.query_id);
            if (it != queries_.end()) qs = it->second;
          }
          if (qs) for (int e : msg.exchanges()) qs->inbox.Drop(e);
          ch.SendRaw(rpc::ACK, f.query_id, "");
          break;
        }
        case rpc::RELEASE_QUERY: {
          std::lock_guard<std::mutex> lock(mu_);
          queries_.erase(f.query_id);
          ch.SendRaw(rpc::ACK, f.query_id, "");
          break;
        }
        case rpc::CANCEL_QUERY:
          if (bool gone = [&] {
                std::lock_guard<std::mutex> lock(mu_);
                return released_.count(f.query_id) > 0;
              }();
              !gone) {
            Query(f.query_id)->cancelled = true;
          }
          ch.SendRaw(rpc::ACK, f.query_id, "");
          break;
        case rpc::BLOCK_LIST: BlockList(ch, f); break;
        case rpc::SCAN_SPLIT: ScanSplit(ch, f); break;
        case rpc::APPEND_BLOCKS: AppendBlocks(ch, f); break;
        case rpc::COLLECT_GARBAGE: {
          rpc::GarbageRequest req;
          req.ParseFromString(f.payload);
          std::vector<std::string> live(req.live_manifests().begin(), req.live_manifests().end());
          GarbageReport g = CollectGarbage(*blocks_, *manifests_, live, req.keep_newer_than_ms());
          // The mirrors this process keeps of other nodes: the same live set (manifest ids are
          // the same everywhere). A stand-in's store is one of them; it is collected twice.
          if (!options_.standin) {
            for (int n : MirrorsOnDisk()) {
              rpc::StoreRef ref;
              ref.set_mirror_of(n);
              Stores st = StoresOf(ref);
              std::vector<std::string> mirror_live = live;
              if (req.per_store()) {
                auto it = req.mirror_live().find(n);
                mirror_live.clear();
                if (it != req.mirror_live().end()) mirror_live.assign(it->second.ids().begin(), it->second.ids().end());
              }
              GarbageReport gm = CollectGarbage(*st.blocks, *st.manifests, mirror_live, req.keep_newer_than_ms());
              g.blocks_removed += gm.blocks_removed;
              g.manifests_removed += gm.manifests_removed;
              g.bytes_removed += gm.bytes_removed;
            }
          }
          rpc::GarbageReply reply;
          reply.set_blocks_removed(g.blocks_removed);
          reply.set_manifests_removed(g.manifests_removed);
          reply.set_bytes_removed(g.bytes_removed);
          reply.set_blocks_kept(g.blocks_kept);
          ch.Send(rpc::GARBAGE_REPLY, f.query_id, reply);
          break;
        }
        case rpc::SNAPSHOT_UPLOAD: SnapshotUpload(ch, f); break;
        case rpc::RESTORE_SOURCE: RestoreSource(ch, f); break;
        case rpc::RESTORE_FETCH: RestoreFetch(ch, f); break;
        case rpc::STORAGE_STATS: {
          rpc::StorageStatsReply reply;
          reply.set_bytes_written(blocks_->bytes_written());
          ch.Send(rpc::STORAGE_STATS_REPLY, f.query_id, reply);
          break;
        }
        case rpc::PUSH_OBJECTS: PushObjects(ch, f); break;
        case rpc::OBJECTS_MISSING: ObjectsMissing(ch, f); break;
        case rpc::PUT_OBJECTS: PutObjects(ch, f); break;
        case rpc::TAKE_OVER: TakeOver(ch, f); break;
        case rpc::RESLICE_MANIFESTS: ResliceManifests(ch, f); break;
        case rpc::PING: ch.SendRaw(rpc::ACK, f.query_id, ""); break;
        default: throw SqlError(sqlstate::kProtocolViolation, "unexpected message type");
      }
    } catch (const SqlError& e) {
      ch.Send(rpc::ERROR, f.query_id, ToRpcError(e));
    }
  }
}

// The server log's line for a stage: its errors always, the rest past log_min_duration_statement,
// with the query id (so a query is followed from the leader's statement line to every node).
static void LogStage(uint64_t query_id, int stage, const std::string& label, const rpc::StageDone& done, int slices, double ms) {
  LogFields f;
  f.query_id = static_cast<int64_t>(query_id);
  f.duration_ms = ms;
  char took[48];
  std::snprintf(took, sizeof took, "%.3f ms", ms);
  const std::string what = StrCat("query ", query_id, " stage ", stage, label.empty() ? "" : " (" + label + ")", " on ",
                                  slices, " slices");
  if (!done.ok() && done.error().sqlstate() != sqlstate::kQueryCanceled) {
    f.severity = "ERROR";
    f.sqlstate = done.error().sqlstate();
    ServerLog(f, StrCat(what, " failed after ", took, ": ", done.error().message()));
  } else if (LogsDuration(ms)) {
    ServerLog(f, StrCat("duration: ", took, "  ", what, ": ", done.rows(), " rows", done.ok() ? "" : " (cancelled)"));
  }
}

void ComputeNode::RunStage(RpcChannel& ch, const RpcFrame& frame) {
  rpc::RunStage msg;
  // Plan fragments nest as deep as their expressions: past protobuf's default of 100 levels.
  if (!ParseNestedMessage(frame.payload, &msg)) throw SqlError(sqlstate::kProtocolViolation, "bad stage message");
  auto qs = Query(frame.query_id, msg.query_memory());
  const auto stage_started = std::chrono::steady_clock::now();
  // The slices this node runs: those the query's slice map gives it.
  std::vector<int> slice_node(msg.slice_node().begin(), msg.slice_node().end());
  if (slice_node.empty()) slice_node = DefaultSliceNodes(msg.nodes_size(), std::max(1, msg.slices_per_node()));
  std::vector<int> mine;
  for (size_t s = 0; s < slice_node.size(); ++s) {
    if (slice_node[s] == node_id_) mine.push_back(static_cast<int>(s));
  }
  const int spn = static_cast<int>(mine.size());
  const int total = static_cast<int>(slice_node.size());
  std::mutex reply_mu;  // slice threads share the reply stream for gathered rows
  std::vector<SliceResult> results(spn);
  std::vector<std::optional<SqlError>> errors(spn);
  TaskGroup threads;  // one job per slice, on reused threads (executor/worker_pool.h)
  LoadLog load_log;
  std::atomic<int64_t> rows_scanned{0};  // the stage's progress (RunStage.report_progress)
  const std::map<int, int> live(msg.streamed_exchanges().begin(), msg.streamed_exchanges().end());
  std::atomic<int> finished{0};
  const int wake = ::eventfd(0, EFD_CLOEXEC);  // the last slice to finish wakes the watch below
  for (int local = 0; local < spn; ++local) {
    threads.Spawn([&, local] {
      int slice = mine[local];
      std::optional<DeferredLogSync> deferred;
      if (msg.defer_sync()) deferred.emplace();
      try {
        ExecContext ctx;
        ctx.slice = slice;
        ctx.slices_per_node = spn;
        ctx.total_slices = total;
        ctx.slice_node = &slice_node;
        ctx.blocks = blocks_.get();
        ctx.manifests = manifests_.get();
        ctx.inbox = &qs->inbox;
        ctx.cancelled = &qs->cancelled;
        ctx.load_log = &load_log;
        if (msg.report_progress()) ctx.rows_scanned = &rows_scanned;
        ctx.memory = &qs->memory;
        ctx.live_exchanges = live.empty() ? nullptr : &live;
        ctx.memory_operators = msg.memory_operators();
        ctx.announce_end = msg.announce_end();
        // External splits go to the spectrum workers the leader named in the scan.
        ctx.open_remote_split = [this, qs, qid = frame.query_id](const plan::FileScan& s, const plan::LoadSplit& sp,
                                                                 plan::ScanStat* st) {
          return OpenRemoteSplit(s, sp, st, options_.secret, qid, &qs->cancelled);
        };
        std::vector<rpc::NodeAddress> nodes(msg.nodes().begin(), msg.nodes().end());
        ExchangeRouter router(frame.query_id, node_id_, &qs->inbox, nodes, &options_.secret, [&](int exchange, Batch b) {
          rpc::ExchangeData d;
          d.set_exchange_id(exchange);
          d.set_slice(-1);
          d.set_batch(EncodeBatch(b));
          std::lock_guard<std::mutex> lock(reply_mu);
          ch.Send(rpc::EXCHANGE_DATA, frame.query_id, d);
        });
        router.set_query_memory(msg.query_memory());
        results[local] = RunStageOnSlice(msg.stage(), ctx, &router, blocks_.get(), manifests_.get());
      } catch (const SqlError& e) {
        errors[local] = e;
        qs->cancelled = true;  // stop the sibling slices early
      } catch (const std::exception& e) {
        errors[local] = SqlError(sqlstate::kInternalError, std::string("internal error: ") + e.what());
        qs->cancelled = true;
      }
      if (finished.fetch_add(1) + 1 == spn && wake >= 0) {
        uint64_t one = 1;
        ssize_t n = ::write(wake, &one, sizeof one);
        (void)n;
      }
    });
  }
  // The leader sends nothing more on this connection until the stage is done: if it becomes
  // readable, the leader has gone (or given up on the stage), and the stage stops. A pipelined
  // stage may otherwise wait for producers that nobody will stop.
  while (wake >= 0 && finished.load() < spn) {
    // A stage that reports progress does so four times a second; the others look every second.
    if (ch.WaitReadable(std::chrono::milliseconds(msg.report_progress() ? 250 : 1000), wake)) {
      qs->cancelled = true;
      break;
    }
    if (msg.report_progress() && finished.load() < spn) {
      rpc::StageProgress p;
      p.set_rows_scanned(rows_scanned.load(std::memory_order_relaxed));
      p.set_bytes_loaded(load_log.bytes_loaded());
      try {
        std::lock_guard<std::mutex> lock(reply_mu);
        ch.Send(rpc::STAGE_PROGRESS, frame.query_id, p);
      } catch (const std::exception&) {
        qs->cancelled = true;  // the leader has gone: the slices stop, then the stage ends
        break;
      }
    }
  }
  threads.Wait();
  if (wake >= 0) ::close(wake);
  // The slices' readers are gone: what this stage was the last to read goes now.
  for (int e : msg.drop_exchanges()) qs->inbox.Drop(e);
  rpc::StageDone done;
  done.set_ok(true);
  // Report the first real error rather than the cancellations it caused.
  for (auto& e : errors) {
    if (e && (done.ok() || done.error().sqlstate() == sqlstate::kQueryCanceled)) {
      done.set_ok(false);
      *done.mutable_error() = ToRpcError(*e);
    }
  }
  for (auto& e : load_log.errors()) *done.add_load_errors() = std::move(e);
  done.set_rejected(load_log.rejected());
  for (int local = 0; local < spn; ++local) {
    for (const auto& f : results[local].unloaded) *done.add_unloaded() = f;
    for (const auto& st : results[local].scans) *done.add_scans() = st;
    for (const auto& st : results[local].steps) *done.add_steps() = st;
    done.set_rows_deleted(done.rows_deleted() + results[local].rows_deleted);
    done.set_rows_inserted(done.rows_inserted() + results[local].rows_inserted);
    done.set_rows_merged(done.rows_merged() + results[local].rows_merged);
    done.set_rows(done.rows() + results[local].rows);
    if (results[local].wrote) {
      auto* w = done.add_writes();
      w->set_slice(mine[local]);
      w->set_manifest_id(results[local].manifest_id);
      w->set_rows(results[local].rows);
      for (const auto& r : results[local].ranges) {
        auto* cr = w->add_ranges();
        cr->set_has_range(r.has_range);
        cr->set_min(r.min);
        cr->set_max(r.max);
      }
    }
  }
  LogStage(frame.query_id, msg.stage().id(), msg.stage().label(), done, spn,
           std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - stage_started).count());
  if (msg.release_when_done()) {
    // The query's only stage here: nothing more will come for it (the leader sends no release).
    std::lock_guard<std::mutex> lock(mu_);
    queries_.erase(frame.query_id);
    if (released_.insert(frame.query_id).second) released_order_.push_back(frame.query_id);
    if (released_order_.size() > kReleasedKept) {
      released_.erase(released_order_.front());
      released_order_.pop_front();
    }
  }
  std::lock_guard<std::mutex> lock(reply_mu);
  ch.Send(rpc::STAGE_DONE, frame.query_id, done);
}

// A spectrum worker's job (server/spectrum_client.h): read one split of an external table and
// stream its rows back on this connection. A slice that stops reading (LIMIT, cancel) closes
// the connection, and the next send fails, which ends the read.
void ComputeNode::ScanSplit(RpcChannel& ch, const RpcFrame& frame) {
  rpc::ScanSplit msg;
  if (!ParseNestedMessage(frame.payload, &msg) || !msg.scan().has_external()) {
    throw SqlError(sqlstate::kProtocolViolation, "bad scan message");
  }
  // The operators to run: those the leader pushed down over the scan, or the scan alone; its
  // leaf reads this one split here (slice 0 of a one-slice "stage").
  plan::Operator root;
  if (msg.scan().external().has_pushed()) root = msg.scan().external().pushed();
  else *root.mutable_file_scan() = msg.scan();
  std::function<void(plan::Operator*)> give_split = [&](plan::Operator* op) {
    if (op->has_file_scan()) {
      plan::FileScan* fs = op->mutable_file_scan();
      fs->mutable_external()->clear_workers();
      fs->mutable_external()->clear_pushed();
      fs->clear_splits_by_slice();
      *(*fs->mutable_splits_by_slice())[0].add_splits() = msg.split();
    } else if (op->has_filter()) {
      give_split(op->mutable_filter()->mutable_input());
    } else if (op->has_project()) {
      give_split(op->mutable_project()->mutable_input());
    } else if (op->has_aggregate()) {
      give_split(op->mutable_aggregate()->mutable_input());
    }
  };
  give_split(&root);
  std::atomic<bool> cancelled{false};
  QueryMemory memory(memory_.get(), DefaultQueryShare(), frame.query_id);
  ScanStatsLog scans;
  const auto started = std::chrono::steady_clock::now();
  ExecContext ctx;
  ctx.slice = 0;
  ctx.cancelled = &cancelled;
  ctx.memory = &memory;
  ctx.scan_stats = &scans;
  // Fault injection for tests: STRATA_FAULT_SPECTRUM_EXIT_AFTER=N makes spectrum worker 0 die
  // after sending N batches of a split, as a worker lost in the middle of a query.
  static const int exit_after = [] {
    const char* v = std::getenv("STRATA_FAULT_SPECTRUM_EXIT_AFTER");
    return v != nullptr ? std::atoi(v) : 0;
  }();
  {
    OperatorPtr op = BuildOperator(root, ctx);
    Batch b;
    int sent = 0;
    while (op->Next(&b)) {
      if (b.rows == 0) continue;
      rpc::ExchangeData d;
      d.set_slice(-1);
      d.set_batch(EncodeBatch(b));
      ch.Send(rpc::EXCHANGE_DATA, frame.query_id, d);
      if (exit_after > 0 && node_id_ == 0 && ++sent >= exit_after) std::_Exit(3);
    }
  }
  rpc::StageDone done;
  done.set_ok(true);
  for (const auto& s : scans.stats()) *done.add_scans() = s;
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  if (LogsDuration(ms)) {
    int64_t rows = 0, bytes = 0;
    for (const auto& s : scans.stats()) {
      rows += s.rows();
      bytes += s.bytes_scanned();
    }
    LogFields f;
    f.query_id = static_cast<int64_t>(frame.query_id);
    f.duration_ms = ms;
    char took[48];
    std::snprintf(took, sizeof took, "%.3f ms", ms);
    ServerLog(f, StrCat("duration: ", took, "  query ", frame.query_id, " split ", msg.split().url(), ": ", rows,
                        " rows, ", bytes, " bytes read"));
  }
  ch.Send(rpc::STAGE_DONE, frame.query_id, done);
}

void ComputeNode::AppendBlocks(RpcChannel& ch, const RpcFrame& frame) {
  rpc::AppendBlocksRequest req;
  if (!ParseNestedMessage(frame.payload, &req)) throw SqlError(sqlstate::kProtocolViolation, "bad append message");
  AppendLayout layout;
  layout.table_id = req.table_id();
  for (const auto& t : req.types()) layout.types.push_back(FromProtoType(t));
  layout.encodings.assign(req.encodings().begin(), req.encodings().end());
  layout.source_columns.assign(req.source_columns().begin(), req.source_columns().end());
  layout.fill.assign(req.fill().begin(), req.fill().end());
  layout.sorted = req.sorted();
  if (layout.encodings.size() != layout.types.size() || layout.source_columns.size() != layout.types.size() ||
      layout.fill.size() != layout.types.size()) {
    throw SqlError(sqlstate::kProtocolViolation, "bad append message");
  }
  rpc::AppendBlocksReply reply;
  for (const auto& s : req.slices()) {
    if (!Holds(req.slice_node(), s.slice()) || s.source_manifest().empty()) continue;
    std::shared_ptr<const storage::SliceManifest> target = manifests_->Get(s.target_manifest());
    std::shared_ptr<const storage::SliceManifest> source = manifests_->Get(s.source_manifest());
    storage::SliceManifest m = AppendSlice(blocks_.get(), layout, s.slice(), target.get(), *source);
    (*reply.mutable_manifest_by_slice())[s.slice()] = manifests_->Put(m);
  }
  ch.Send(rpc::APPEND_BLOCKS_REPLY, frame.query_id, reply);
}

void ComputeNode::BlockList(RpcChannel& ch, const RpcFrame& frame) {
  rpc::BlockListRequest req;
  req.ParseFromString(frame.payload);
  rpc::BlockListReply reply;
  for (const auto& t : req.tables()) {
    for (const auto& [slice, id] : t.manifest_by_slice()) {
      if (id.empty() || !Holds(req.slice_node(), slice)) continue;
      auto m = manifests_->Get(id);
      auto* info = reply.add_slices();
      info->set_slice(slice);
      info->set_tbl(t.table_id());
      info->set_rows(m->row_count());
      info->set_sorted_rows(m->sorted_rows());
      info->set_deleted_rows(m->deleted_rows());
      for (int c = 0; c < m->columns_size(); ++c) {
        const auto& chain = m->columns(c);
        for (int b = 0; b < chain.blocks_size(); ++b) {
          const auto& ref = chain.blocks(b);
          auto* row = reply.add_rows();
          row->set_slice(slice);
          row->set_col(c);
          row->set_tbl(t.table_id());
          row->set_blocknum(b);
          row->set_num_values(ref.rows());
          row->set_minvalue(ZoneMapAsBigint(ref.zone(), false));
          row->set_maxvalue(ZoneMapAsBigint(ref.zone(), true));
          row->set_size_bytes(ref.byte_size());
          row->set_has_int_range(ref.zone().kind() == storage::ZONE_INT64);
        }
      }
    }
  }
  ch.Send(rpc::BLOCK_LIST_REPLY, frame.query_id, reply);
}

}  // namespace strata
