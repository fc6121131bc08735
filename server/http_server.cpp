// The leader's HTTP port (see http_server.h): routes, logins and sessions, the query API.
#include "server/http_server.h"

#include <httplib.h>
#include <simdjson.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>

#include "io/aws_sigv4.h"
#include "io/file_io.h"
#include "server/console_assets.h"
#include "server/pgwire/password_verifiers.h"
#include "server/server_log.h"
#include "sql/error.h"
#include "sql/json_text.h"
#include "sql/value_text.h"

namespace strata {
namespace {

constexpr auto kSessionIdle = std::chrono::hours(12);
constexpr size_t kMaxSessions = 10000;
constexpr size_t kMaxBody = 16 << 20;            // an SQL text or a dashboards object
constexpr size_t kMaxDashboards = 1 << 20;
constexpr int64_t kMaxRows = 100000;             // rows one /api/query returns at most
constexpr size_t kMaxResultBytes = 64 << 20;     // ... and bytes of their text

void Reply(httplib::Response& res, int status, const std::string& json) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(json, "application/json");
}

void ReplyError(httplib::Response& res, int status, const std::string& message, const std::string& sqlstate = "",
                const SqlError* e = nullptr) {
  std::string out = "{\"error\":" + JsonQuoted(message);
  if (!sqlstate.empty()) out += ",\"sqlstate\":" + JsonQuoted(sqlstate);
  if (e != nullptr) {
    out += ",\"detail\":" + JsonQuoted(e->detail()) + ",\"hint\":" + JsonQuoted(e->hint()) +
           ",\"position\":" + std::to_string(e->position());
  }
  Reply(res, status, out + "}");
}

// A JSON object's string member; nullopt when absent or not a string.
std::optional<std::string> StringField(simdjson::dom::element doc, const char* key) {
  std::string_view v;
  if (doc[key].get_string().get(v) != simdjson::SUCCESS) return std::nullopt;
  return std::string(v);
}

std::string CookieValue(const httplib::Request& req, const std::string& name) {
  const std::string cookies = req.get_header_value("Cookie");
  size_t at = 0;
  while (at < cookies.size()) {
    size_t end = cookies.find(';', at);
    if (end == std::string::npos) end = cookies.size();
    std::string part = cookies.substr(at, end - at);
    while (!part.empty() && part.front() == ' ') part.erase(0, 1);
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
    at = end + 1;
  }
  return "";
}

}  // namespace

struct HttpServer::Impl {
  HttpOptions options;
  std::unique_ptr<httplib::Server> server;
  std::thread thread;

  struct Login {
    std::string user;
    std::chrono::steady_clock::time_point last_used;
  };
  std::mutex mu;
  std::map<std::string, Login> logins;  // token -> login; GUARDED_BY(mu)
  // Running /api/query sessions by (user, tag), for /api/cancel.
  std::map<std::pair<std::string, std::string>, SqlSession*> running;  // GUARDED_BY(mu)
  std::atomic<int32_t> next_pid{1000000000};  // console sessions' backend pids, apart from the port's

  // True when `password` is the user's (or the user needs none): the PostgreSQL port's rule.
  bool CheckPassword(const std::string& user, const std::string& password) {
    if (!options.user_exists || !options.user_exists(user)) return false;
    if (!options.passwords_required || !options.passwords_required(user)) return true;
    std::optional<std::string> stored = options.stored_password ? options.stored_password(user) : std::nullopt;
    if (!stored) return false;
    if (pgwire::IsMd5Password(*stored)) return pgwire::ConstantTimeEquals(pgwire::MakeMd5Password(password, user), *stored);
    std::optional<pgwire::ScramSecret> secret = pgwire::ParseScramVerifier(*stored);
    if (!secret) return false;
    const pgwire::ScramSecret mine = pgwire::ComputeScramSecret(password, secret->salt, secret->iterations);
    return pgwire::ConstantTimeEquals(mine.stored_key, secret->stored_key);
  }

  // The logged-in user of a request (its cookie or Basic credentials); "" when none.
  std::string UserOf(const httplib::Request& req) {
    const std::string token = CookieValue(req, "strata_session");
    if (!token.empty()) {
      std::lock_guard<std::mutex> lock(mu);
      auto it = logins.find(token);
      if (it != logins.end() && std::chrono::steady_clock::now() - it->second.last_used < kSessionIdle) {
        it->second.last_used = std::chrono::steady_clock::now();
        return it->second.user;
      }
    }
    const std::string auth = req.get_header_value("Authorization");
    if (auth.rfind("Basic ", 0) == 0) {
      std::optional<std::string> decoded = pgwire::Base64Decode(auth.substr(6));
      if (decoded) {
        const size_t colon = decoded->find(':');
        if (colon != std::string::npos) {
          std::string user = decoded->substr(0, colon);
          if (CheckPassword(user, decoded->substr(colon + 1))) return user;
        }
      }
    }
    return "";
  }

  std::string NewLogin(const std::string& user) {
    const std::string token = HexEncode(pgwire::RandomBytes(32));
    std::lock_guard<std::mutex> lock(mu);
    const auto now = std::chrono::steady_clock::now();
    if (logins.size() >= kMaxSessions) {
      std::erase_if(logins, [&](const auto& kv) { return now - kv.second.last_used >= kSessionIdle; });
      if (logins.size() >= kMaxSessions) logins.erase(logins.begin());  // bounded: the oldest token goes
    }
    logins[token] = {user, now};
    return token;
  }

  std::string DashboardsPath(const std::string& user) const {
    return options.data_dir + "/leader/console/" + HexEncode(user) + ".json";
  }

  void Login(const httplib::Request& req, httplib::Response& res) {
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(req.body).get(doc) != simdjson::SUCCESS || !doc.is_object()) {
      return ReplyError(res, 400, "the body must be a JSON object {\"user\": ..., \"password\": ...}");
    }
    const std::string user = StringField(doc, "user").value_or("");
    const std::string password = StringField(doc, "password").value_or("");
    if (user.empty() || !CheckPassword(user, password)) {
      LogFields f;
      f.severity = "FATAL";
      f.sqlstate = "28P01";
      f.user = user;
      f.remote_host = req.remote_addr;
      f.remote_port = req.remote_port;
      ServerLog(f, StrCat("console login refused for user \"", user, "\""));
      return ReplyError(res, 401, StrCat("password authentication failed for user \"", user, "\""), "28P01");
    }
    const std::string token = NewLogin(user);
    res.set_header("Set-Cookie", "strata_session=" + token + "; Path=/; HttpOnly; SameSite=Strict");
    LogFields f;
    f.user = user;
    f.remote_host = req.remote_addr;
    f.remote_port = req.remote_port;
    ServerLog(f, StrCat("console login: user=", user));
    Reply(res, 200, Me(user));
  }

  std::string Me(const std::string& user) const {
    const bool super = options.is_superuser && options.is_superuser(user);
    return "{\"user\":" + JsonQuoted(user) + ",\"superuser\":" + (super ? "true" : "false") + "}";
  }

  void Query(const std::string& user, const httplib::Request& req, httplib::Response& res) {
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(req.body).get(doc) != simdjson::SUCCESS || !doc.is_object()) {
      return ReplyError(res, 400, "the body must be a JSON object {\"sql\": ..., \"max_rows\": ..., \"tag\": ...}");
    }
    std::optional<std::string> sql = StringField(doc, "sql");
    if (!sql) return ReplyError(res, 400, "\"sql\" must be a string");
    int64_t max_rows = 1000;
    int64_t given = 0;
    if (doc["max_rows"].get_int64().get(given) == simdjson::SUCCESS) max_rows = std::clamp<int64_t>(given, 0, kMaxRows);
    const std::string tag = StringField(doc, "tag").value_or("");
    const auto started = std::chrono::steady_clock::now();
    std::unique_ptr<SqlSession> session;
    try {
      session = options.sessions(user, "dev", {{"application_name", "strata console"}});
    } catch (const SqlError& e) {
      return ReplyError(res, 403, e.message(), e.sqlstate(), &e);
    }
    session->SetBackendPid(next_pid.fetch_add(1));
    const std::pair<std::string, std::string> key{user, tag};
    if (!tag.empty()) {
      std::lock_guard<std::mutex> lock(mu);
      if (running.count(key)) return ReplyError(res, 409, "a query with this tag is running already");
      running[key] = session.get();
    }
    struct Unlist {
      Impl* impl;
      std::pair<std::string, std::string> key;
      bool listed;
      ~Unlist() {
        if (!listed) return;
        std::lock_guard<std::mutex> lock(impl->mu);
        impl->running.erase(key);
      }
    } unlist{this, key, !tag.empty()};
    try {
      std::vector<std::string> statements = session->Split(*sql);
      if (statements.empty()) return ReplyError(res, 400, "no statement to run", "42601");
      StatementResult result;
      std::vector<std::string> notices;
      for (const std::string& text : statements) {
        result = session->RunSimple(text);
        if (result.copy_in || result.copy_out) {
          throw SqlError(sqlstate::kFeatureNotSupported, "COPY FROM STDIN and COPY TO STDOUT need a client such as psql");
        }
        for (auto& n : result.notices) notices.push_back(n);
      }
      std::string rows = "[";
      int64_t count = 0;
      bool truncated = false;
      auto add_batch = [&](const Batch& b) {
        for (size_t r = 0; r < b.rows; ++r) {
          if (count >= max_rows || rows.size() > kMaxResultBytes) {
            truncated = true;
            return;
          }
          rows += count == 0 ? "[" : ",[";
          for (size_t c = 0; c < b.columns.size(); ++c) {
            if (c > 0) rows += ',';
            if (b.columns[c].IsNull(r)) rows += "null";
            else rows += JsonQuoted(ValueText(b.columns[c], r));
          }
          rows += ']';
          ++count;
        }
      };
      for (const Batch& b : result.batches) {
        if (!truncated) add_batch(b);
      }
      if (result.stream != nullptr) {
        Batch b;
        while (!truncated) {
          const RowSource::Status s = result.stream->Next(&b, std::chrono::milliseconds(100));
          if (s == RowSource::Status::kEnd) break;
          if (s == RowSource::Status::kBatch) add_batch(b);
        }
        result.stream.reset();  // a truncated result's query stops here
      }
      rows += "]";
      std::string out = "{\"columns\":[";
      for (size_t c = 0; c < result.columns.size(); ++c) {
        out += (c ? ",{" : "{") + std::string("\"name\":") + JsonQuoted(result.columns[c].name) +
               ",\"type\":" + JsonQuoted(result.columns[c].type.ToString()) + "}";
      }
      std::string command = result.command_tag;
      if (result.returns_rows && command == "SELECT") command += " " + std::to_string(count);
      const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
      out += "],\"rows\":" + rows + ",\"command\":" + JsonQuoted(command) + ",\"row_count\":" + std::to_string(count) +
             ",\"truncated\":" + (truncated ? "true" : "false") + ",\"query_id\":" +
             std::to_string(session->CurrentQueryId()) + ",\"elapsed_ms\":" + std::to_string(ms) + ",\"notices\":[";
      for (size_t i = 0; i < notices.size(); ++i) out += (i ? "," : "") + JsonQuoted(notices[i]);
      Reply(res, 200, out + "]}");
    } catch (const SqlError& e) {
      ReplyError(res, 400, e.message(), e.sqlstate(), &e);
    } catch (const std::exception& e) {
      ReplyError(res, 500, StrCat("internal error: ", e.what()), sqlstate::kInternalError);
    }
  }

  void Cancel(const std::string& user, const httplib::Request& req, httplib::Response& res) {
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(req.body).get(doc) != simdjson::SUCCESS || !doc.is_object()) {
      return ReplyError(res, 400, "the body must be a JSON object {\"tag\": ...}");
    }
    const std::string tag = StringField(doc, "tag").value_or("");
    bool cancelled = false;
    {
      std::lock_guard<std::mutex> lock(mu);
      auto it = running.find({user, tag});
      if (it != running.end()) {
        it->second->Cancel();  // under mu: the session cannot end meanwhile (Unlist waits)
        cancelled = true;
      }
    }
    Reply(res, 200, std::string("{\"cancelled\":") + (cancelled ? "true" : "false") + "}");
  }

  void GetDashboards(const std::string& user, httplib::Response& res) {
    std::string body = "{}";
    std::error_code ec;
    if (std::filesystem::exists(DashboardsPath(user), ec)) {
      try {
        body = ReadFileBytes(DashboardsPath(user));
      } catch (const std::exception&) {
        return ReplyError(res, 500, "cannot read the saved dashboards");
      }
    }
    Reply(res, 200, body);
  }

  void PutDashboards(const std::string& user, const httplib::Request& req, httplib::Response& res) {
    if (req.body.size() > kMaxDashboards) return ReplyError(res, 413, "dashboards are limited to 1 MB");
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(req.body).get(doc) != simdjson::SUCCESS || !doc.is_object()) {
      return ReplyError(res, 400, "the body must be a JSON object");
    }
    try {
      MakeDirectories(options.data_dir + "/leader/console");
      if (!WriteFileDurably(DashboardsPath(user), req.body)) return ReplyError(res, 500, "cannot save the dashboards");
    } catch (const std::exception& e) {
      return ReplyError(res, 500, StrCat("cannot save the dashboards: ", e.what()));
    }
    Reply(res, 200, "{}");
  }
};

HttpServer::HttpServer(HttpOptions options) : impl_(std::make_unique<Impl>()) { impl_->options = std::move(options); }

HttpServer::~HttpServer() { Stop(); }

bool HttpServer::Start(std::string* error) {
  Impl* impl = impl_.get();
  const HttpOptions& o = impl->options;
  if (!o.tls_cert_file.empty()) {
    auto ssl = std::make_unique<httplib::SSLServer>(o.tls_cert_file.c_str(), o.tls_key_file.c_str());
    if (!ssl->is_valid()) {
      *error = "cannot use the TLS certificate and key for the HTTP port";
      return false;
    }
    impl->server = std::move(ssl);
  } else {
    impl->server = std::make_unique<httplib::Server>();
  }
  httplib::Server& s = *impl->server;
  s.new_task_queue = [] { return new httplib::ThreadPool(16); };
  s.set_payload_max_length(kMaxBody);
  s.set_read_timeout(30, 0);
  s.set_write_timeout(30, 0);
  s.set_keep_alive_max_count(100);
  // The console's own files: public (the page asks for a login itself).
  s.Get(R"(/|/[A-Za-z0-9_./-]*)", [impl](const httplib::Request& req, httplib::Response& res) {
    if (req.path == "/metrics") {
      const std::string user = impl->UserOf(req);
      if (user.empty()) {
        res.set_header("WWW-Authenticate", "Basic realm=\"strata\"");
        return ReplyError(res, 401, "log in first (a session cookie or HTTP Basic credentials)");
      }
      res.set_content(Metrics::Get().Render(impl->options.metrics), "text/plain; version=0.0.4; charset=utf-8");
      return;
    }
    if (req.path.rfind("/api/", 0) == 0) {
      const std::string user = impl->UserOf(req);
      if (user.empty()) return ReplyError(res, 401, "log in first");
      if (req.path == "/api/me") return Reply(res, 200, impl->Me(user));
      if (req.path == "/api/dashboards") return impl->GetDashboards(user, res);
      return ReplyError(res, 404, "no such API: " + req.path);
    }
    std::optional<ConsoleAsset> a = FindConsoleAsset(req.path == "/" ? "/index.html" : req.path);
    if (!a) return ReplyError(res, 404, "not found");
    res.set_header("Cache-Control", "no-cache");
    res.set_content(std::string(a->data), std::string(a->content_type));
  });
  s.Post("/api/login", [impl](const httplib::Request& req, httplib::Response& res) { impl->Login(req, res); });
  s.Post(R"(/api/(logout|query|cancel))", [impl](const httplib::Request& req, httplib::Response& res) {
    const std::string user = impl->UserOf(req);
    if (user.empty()) return ReplyError(res, 401, "log in first");
    if (req.path == "/api/logout") {
      std::lock_guard<std::mutex> lock(impl->mu);
      impl->logins.erase(CookieValue(req, "strata_session"));
      res.set_header("Set-Cookie", "strata_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
      return Reply(res, 200, "{}");
    }
    if (req.path == "/api/query") return impl->Query(user, req, res);
    impl->Cancel(user, req, res);
  });
  s.Put("/api/dashboards", [impl](const httplib::Request& req, httplib::Response& res) {
    const std::string user = impl->UserOf(req);
    if (user.empty()) return ReplyError(res, 401, "log in first");
    impl->PutDashboards(user, req, res);
  });
  s.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "internal error";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = StrCat("internal error: ", e.what());
    } catch (...) {
    }
    ReplyError(res, 500, what, sqlstate::kInternalError);
  });
  if (o.port == 0) {
    port_ = s.bind_to_any_port(o.address.c_str());
    if (port_ <= 0) {
      *error = StrCat("cannot listen on ", o.address, " (HTTP)");
      return false;
    }
  } else {
    if (!s.bind_to_port(o.address.c_str(), o.port)) {
      *error = StrCat("cannot listen on ", o.address, ":", o.port, " (HTTP)");
      return false;
    }
    port_ = o.port;
  }
  impl->thread = std::thread([impl] { impl->server->listen_after_bind(); });
  ServerLogf("console and metrics on %s://%s:%d/", o.tls_cert_file.empty() ? "http" : "https", o.address.c_str(), port_);
  return true;
}

void HttpServer::Stop() {
  if (!impl_ || !impl_->server) return;
  impl_->server->stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

}  // namespace strata
