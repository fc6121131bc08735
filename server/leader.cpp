#include "server/leader.h"

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>

#include "executor/spill_file.h"

#include "server/leader_session.h"
#include "server/pgwire/password_verifiers.h"
#include "server/pgwire/tls_byte_stream.h"
#include "sql/error.h"
#include "io/file_io.h"

namespace strata {

Leader::Leader(LeaderOptions options) : options_(std::move(options)), incarnation_(std::random_device{}() * 0x100000001ull ^ static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count())) {}

Leader::~Leader() { Stop(); }

void Leader::Start() {
  std::string dir = options_.data_dir + "/leader";
  MakeDirectories(dir);
  catalog_ = std::make_unique<CatalogStore>(dir, options_.compute_nodes, options_.slices_per_node);
  CatalogPtr cat = catalog_->Current();
  // The cluster's shape is fixed when it is created; a restart keeps it.
  if (cat->compute_nodes() > 0) options_.compute_nodes = cat->compute_nodes();
  if (cat->slices_per_node() > 0) options_.slices_per_node = cat->slices_per_node();
  cluster_ = std::make_unique<Cluster>(options_.compute_nodes, options_.slices_per_node, options_.secret,
                                       std::vector<int>(cat->meta().slice_node().begin(), cat->meta().slice_node().end()));
  std::string temp = dir + "/tmp";
  SweepSpillFolder(temp);
  memory_ = std::make_unique<NodeMemory>(options_.memory_limit > 0 ? options_.memory_limit : DefaultNodeMemoryLimit(), temp);
  cluster_->SetLeaderMemory(memory_.get());
  // Mirrors and failover: its commit hook is in place before any session can commit.
  failover_ = std::make_unique<FailoverManager>(cluster_.get(), catalog_.get(), &snapshots_, dir + "/mirrors_behind");
  failover_->Start();
  resize_ = std::make_unique<ResizeManager>(cluster_.get(), catalog_.get(), failover_.get(), &snapshots_);
  rpc_ = std::make_unique<RpcServer>(options_.rpc_listen_address, options_.rpc_port, options_.secret, [this](RpcChannel& ch) { HandleRpc(ch); });
  LeaderContext ctx;
  ctx.catalog = catalog_.get();
  ctx.cluster = cluster_.get();
  ctx.locks = &locks_;
  ctx.load_errors = &load_errors_;
  ctx.scan_log = &scan_log_;
  ctx.step_log = &step_log_;
  history_ = std::make_unique<QueryHistory>(dir + "/history", options_.history_retention_days);
  ctx.history = history_.get();
  ctx.result_cache = &result_cache_;
  {
    std::vector<WlmQueue> queues = Wlm::DefaultConfig();
    if (!options_.wlm_config.empty()) {
      std::ifstream in(options_.wlm_config);
      if (!in) throw std::runtime_error("cannot read the WLM configuration " + options_.wlm_config);
      std::stringstream text;
      text << in.rdbuf();
      try {
        queues = Wlm::ParseConfig(text.str());
      } catch (const std::exception& e) {
        throw std::runtime_error("WLM configuration " + options_.wlm_config + ": " + e.what());
      }
    }
    ctx.node_memory_bytes = options_.memory_limit > 0 ? options_.memory_limit : DefaultNodeMemoryLimit();
    wlm_ = std::make_unique<Wlm>(std::move(queues), ctx.node_memory_bytes);
    ctx.wlm = wlm_.get();
  }
  cluster_->StartQueryIdsAfter(static_cast<uint64_t>(history_->LastQueryId()));
  ctx.snapshots = &snapshots_;
  ctx.sessions = &sessions_;
  snapshot_service_ = std::make_unique<SnapshotService>(options_.snapshots, catalog_.get(), cluster_.get(), &snapshots_,
                                                        options_.data_dir);
  if (snapshot_service_->configured()) ctx.snapshot_service = snapshot_service_.get();
  ctx.restore_gate = &restore_gate_;
  ctx.resize = resize_.get();
  pgwire::PgServerOptions po;
  po.address = options_.listen_address;
  po.port = static_cast<uint16_t>(options_.port);
  po.max_connections = options_.max_connections;
  po.authentication_timeout = std::chrono::seconds(options_.authentication_timeout_s);
  po.on_event = ConnectionLogger(options_.log_connections, options_.log_disconnections);
  ConfigureSecurity(&po);
  SessionFactory sessions =
      [ctx](const std::string& user, const std::string& database, const std::map<std::string, std::string>& params)
          -> std::unique_ptr<SqlSession> {
        if (database != "dev") {
          throw SqlError(sqlstate::kInvalidCatalogName, StrCat("database \"", database, "\" does not exist"));
        }
        if (!UserExists(*ctx.catalog->Current(), user)) {  // as PostgreSQL: no session for an unknown role
          throw SqlError(sqlstate::kInvalidAuthorizationSpecification, StrCat("role \"", user, "\" does not exist"));
        }
        return std::make_unique<LeaderSession>(ctx, user, database, params);
      };
  pg_ = std::make_unique<pgwire::PgServer>(sessions, po);
  std::string error;
  if (!pg_->Start(&error)) {
    throw SqlError(sqlstate::kSystemError, StrCat("cannot listen on ", options_.listen_address, ":", options_.port, ": ", error));
  }
  if (options_.http_port > 0) {
    HttpOptions ho;
    ho.address = options_.http_listen_address;
    ho.port = options_.http_port;
    ho.tls_cert_file = options_.tls_cert_file;
    ho.tls_key_file = options_.tls_key_file;
    ho.data_dir = options_.data_dir;
    ho.stored_password = po.stored_password;
    ho.passwords_required = po.passwords_required;
    CatalogStore* store = catalog_.get();
    ho.user_exists = [store](const std::string& user) { return UserExists(*store->Current(), user); };
    ho.is_superuser = [store](const std::string& user) { return UserIsSuperuser(*store->Current(), user); };
    ho.sessions = sessions;
    ho.metrics.cluster = cluster_.get();
    ho.metrics.wlm = wlm_.get();
    ho.metrics.sessions = &sessions_;
    ho.metrics.leader_memory = memory_.get();
    http_ = std::make_unique<HttpServer>(std::move(ho));
    if (!http_->Start(&error)) throw SqlError(sqlstate::kSystemError, error);
  }
  snapshot_service_->Start();
  restore_ = std::make_unique<RestoreRunner>(ctx, options_.data_dir, &restore_gate_);
  restore_->Start();
}

void Leader::ConfigureSecurity(pgwire::PgServerOptions* po) const {
  // Bad TLS files stop the leader before it listens, with the file and OpenSSL's reason.
  if (!options_.tls_cert_file.empty() || !options_.tls_key_file.empty()) {
    std::string error;
    if (!pgwire::TlsContext::Load(options_.tls_cert_file, options_.tls_key_file, &error)) {
      throw SqlError(sqlstate::kSystemError, error);
    }
  }
  po->tls_cert_file = options_.tls_cert_file;
  po->tls_key_file = options_.tls_key_file;
  po->require_tls = options_.require_tls;
  std::optional<std::string> bootstrap;
  if (!options_.password.empty()) bootstrap = pgwire::MakeScramVerifier(options_.password);
  CatalogStore* store = catalog_.get();
  // Both read the committed catalog at connect time.
  po->stored_password = [store, bootstrap](const std::string& user) -> std::optional<std::string> {
    if (user == kBootstrapUser) return bootstrap;
    return StoredPasswordOf(*store->Current(), user);
  };
  // With --password every login authenticates. Without it, the bootstrap superuser keeps
  // trust (it has no password to give), and every other login authenticates once some user
  // has a password.
  po->passwords_required = [store, has_bootstrap = bootstrap.has_value()](const std::string& user) {
    if (has_bootstrap) return true;
    if (user == kBootstrapUser) return false;
    return AnyUserHasPassword(*store->Current());
  };
}

void Leader::Stop() {
  if (snapshot_service_) snapshot_service_->Stop();
  if (http_) http_->Stop();
  if (pg_) pg_->Stop();
  if (rpc_) rpc_->Stop();
  if (failover_) failover_->Stop();
}

void Leader::HandleRpc(RpcChannel& ch) {
  RpcFrame f;
  while (ch.Receive(&f)) {
    if (f.type == rpc::REGISTER) {
      rpc::RegisterNode reg;
      reg.ParseFromString(f.payload);
      try {
        int id = cluster_->Register(reg);
        if (reg.has_usage()) cluster_->NoteUsage(reg.role(), id, reg.usage());
        rpc::RegisterReply reply;
        reply.set_node_id(id);
        reply.set_compute_nodes(cluster_->shape().compute_nodes);
        reply.set_slices_per_node(options_.slices_per_node);
        reply.set_leader_incarnation(incarnation_);
        ch.Send(rpc::REGISTER_REPLY, 0, reply);
      } catch (const StandinRetired&) {
        rpc::RegisterReply reply;
        reply.set_node_id(reg.node_id());
        reply.set_compute_nodes(cluster_->shape().compute_nodes);
        reply.set_slices_per_node(options_.slices_per_node);
        reply.set_leader_incarnation(incarnation_);
        reply.set_retire(true);
        ch.Send(rpc::REGISTER_REPLY, 0, reply);
      } catch (const SqlError& e) {
        rpc::Error err;
        err.set_sqlstate(e.sqlstate());
        err.set_message(e.message());
        ch.Send(rpc::ERROR, 0, err);
      }
    } else if (f.type == rpc::PING) {
      ch.SendRaw(rpc::ACK, f.query_id, "");
    } else {
      rpc::Error err;
      err.set_sqlstate(sqlstate::kProtocolViolation);
      err.set_message("unexpected message for the leader");
      ch.Send(rpc::ERROR, f.query_id, err);
    }
  }
}

}  // namespace strata
