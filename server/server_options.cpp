// The server commands' option table, the configuration file reader and the help and version
// texts (see server_options.h).
#include "server/server_options.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <mutex>
#include <sstream>

#ifndef STRATA_VERSION
#define STRATA_VERSION "0.0.0"
#endif
#ifndef STRATA_GIT_COMMIT
#define STRATA_GIT_COMMIT "unknown"
#endif
#ifndef STRATA_BUILD_TYPE
#define STRATA_BUILD_TYPE "unknown"
#endif

namespace strata {
namespace {

constexpr int kSL = kRoleServe | kRoleLeader;
constexpr int kAll = kRoleServe | kRoleLeader | kRoleCompute | kRoleSpectrum;
constexpr int kNodes = kRoleCompute | kRoleSpectrum;

// The table. A default that differs by command is given in the help text and applied by the
// command (strata_main.cpp); the table's `def` is what SHOW prints when the option is not set.
const std::vector<OptionDef> kOptions = {
    {"config", "FILE", "", kAll, "read options from FILE (PostgreSQL's `name = value` lines); the command line overrides it"},
    {"data", "DIR", "", kRoleServe | kRoleLeader | kRoleCompute | kRoleSpectrum,
     "the data folder (required; spectrum: /tmp/strata-spectrum)"},
    {"port", "PORT", "5439", kSL, "the PostgreSQL port"},
    {"listen", "ADDR[:PORT]", "127.0.0.1", kAll,
     "serve, leader: the PostgreSQL port's address (0.0.0.0 for every one); compute, spectrum: their RPC port's "
     "(any free port)"},
    {"rpc-port", "PORT", "", kSL, "the cluster RPC port (serve: any free port; leader: 6439)"},
    {"rpc-listen", "ADDR[:PORT]", "127.0.0.1", kSL, "the cluster RPC port's address"},
    {"compute-nodes", "N", "", kSL, "compute nodes (the data folder's, or a restored snapshot's, else 2)"},
    {"slices-per-node", "N", "", kSL, "slices per compute node (the data folder's, else 2)"},
    {"spectrum-workers", "N", "2", kRoleServe, "spectrum workers serve starts"},
    {"password", "PW", "", kSL,
     "the bootstrap user strata's password; with it (or once any user has one) clients authenticate with "
     "SCRAM-SHA-256 or MD5",
     false, true},
    {"tls-cert", "FILE", "", kSL, "PEM certificate: TLS on SSLRequest (with --tls-key), also for the HTTP port"},
    {"tls-key", "FILE", "", kSL, "PEM private key of --tls-cert"},
    {"require-tls", nullptr, "off", kSL, "refuse unencrypted connections"},
    {"max-connections", "N", "500", kSL, "client connections at once"},
    {"authentication-timeout", "SECONDS", "60", kSL, "time a client has to log in"},
    {"history-retention-days", "DAYS", "7", kSL, "days the query history (stl_query ...) is kept"},
    {"wlm-config", "FILE", "", kSL, "workload management queues in Redshift's JSON form (default: 5 slots and SQA)"},
    {"cluster-secret-file", "FILE", "", kAll,
     "the cluster's shared secret (serve, leader: DATA/cluster.secret, made mode 0600 when missing; compute and "
     "spectrum need the same file)"},
    {"allow-path", "DIR", "", kAll, "a folder superusers' COPY FROM / UNLOAD TO may use on this host (none by default)",
     true},
    {"memory-limit", "SIZE", "", kAll,
     "the process's memory budget, e.g. 2GB (default a quarter of the machine's RAM; serve: of the leader and of "
     "each node it starts); queries spill past their share"},
    {"snapshot-location", "LOCATION", "", kSL, "where snapshots go: s3://bucket/prefix/ or file:///folder/"},
    {"snapshot-interval", "DURATION", "8h", kSL, "automated snapshots every DURATION"},
    {"snapshot-change-size", "SIZE", "5GB", kSL, "... or after SIZE was written on a node, whichever first"},
    {"snapshot-retention", "DAYS", "1", kSL, "days automated snapshots are kept (0: none taken; 30s, 2h... for tests)"},
    {"snapshot-copy-to", "LOCATION", "", kSL, "copy each automated snapshot there too"},
    {"restore-from", "LOCATION", "", kRoleServe, "a new cluster (in an empty --data) from a snapshot at LOCATION"},
    {"snapshot", "NAME", "", kRoleServe, "the snapshot --restore-from restores"},
    {"join", "HOST:PORT", "", kNodes, "the leader's cluster RPC address (required)"},
    {"node-id", "N", "", kNodes, "this node's id (the leader assigns one when absent)"},
    {"advertise", "ADDR", "", kNodes,
     "the address the leader and other nodes reach this node at (the listen address, or the one it reaches the "
     "leader from)"},
    {"http-port", "PORT", "0", kSL, "the web console and Prometheus /metrics (0: none)"},
    {"http-listen", "ADDR", "127.0.0.1", kSL, "the HTTP port's address"},
    {"log-format", "text|json", "text", kAll, "log lines in log_line_prefix style, or JSON lines"},
    {"log-file", "FILE", "", kAll, "log to FILE, rotated (default: stderr)"},
    {"log-rotation-size", "SIZE", "10MB", kAll, "rotate the log file past SIZE"},
    {"log-rotation-count", "N", "5", kAll, "rotated log files kept (FILE.1 ... FILE.N)"},
    {"log-line-prefix", "PREFIX", "%m [%p] %b ", kAll,
     "text lines' prefix: %m time, %p pid, %u user, %d database, %r host:port, %a application, %e SQLSTATE, "
     "%Q query id, %b role and node, %%"},
    {"log-min-duration-statement", "MS", "-1", kAll,
     "log statements (compute, spectrum: query steps) that ran at least MS milliseconds (0: all; -1: none)"},
    {"log-connections", "on|off", "on", kSL, "log each connection"},
    {"log-disconnections", "on|off", "on", kSL, "log each disconnection with the session's time"},
};

std::string Trim(const std::string& s) {
  size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return s.substr(a, b - a);
}

std::string Dashed(std::string name) {
  std::replace(name.begin(), name.end(), '_', '-');
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

std::string Underscored(std::string name) {
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

std::mutex process_mu;
std::vector<OptionValue>* process_options = nullptr;

}  // namespace

const std::vector<OptionDef>& ServerOptionDefs() { return kOptions; }

int ServerRoleOf(const std::string& command) {
  if (command == "serve") return kRoleServe;
  if (command == "leader") return kRoleLeader;
  if (command == "compute") return kRoleCompute;
  if (command == "spectrum") return kRoleSpectrum;
  return 0;
}

OptionValue* ServerOptions::Find(const std::string& name) {
  const std::string u = Underscored(Dashed(name));
  for (auto& v : values_) {
    if (v.name == u) return &v;
  }
  return nullptr;
}

const OptionValue* ServerOptions::Find(const std::string& name) const {
  return const_cast<ServerOptions*>(this)->Find(name);
}

bool ServerOptions::Set(const std::string& name, const std::string& value, const std::string& source,
                        const std::string& file, int line, std::string* error) {
  OptionValue* v = Find(name);
  if (v == nullptr) {
    *error = "unknown option " + (source == "command line" ? "--" + name : "\"" + name + "\"");
    return false;
  }
  if (v->def->repeatable && v->source == source && !v->value.empty()) {
    v->value += "\n" + value;
  } else {
    v->value = value;
  }
  v->source = source;
  v->file = file;
  v->line = line;
  return true;
}

bool ServerOptions::Parse(const std::string& command, int argc, char** argv, std::string* error) {
  role_ = ServerRoleOf(command);
  values_.clear();
  for (const OptionDef& d : kOptions) {
    if (d.roles & role_) values_.push_back({Underscored(d.name), d.def, "default", "", 0, &d});
  }
  // The command line first as a list of (name, value), so the file can be read before it applies.
  std::vector<std::pair<std::string, std::string>> given;
  for (int i = 0; i < argc; ++i) {
    std::string k = argv[i];
    if (k == "--help" || k == "-h") {
      help_ = true;
      return true;
    }
    if (k.rfind("--", 0) != 0 || k.size() < 3) {
      *error = "unexpected argument " + k;
      return false;
    }
    std::string name = k.substr(2), value;
    const size_t eq = name.find('=');
    if (eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const OptionValue* v = Find(name);
    if (v == nullptr) {
      *error = "unknown option --" + name;
      return false;
    }
    if (eq == std::string::npos) {
      if (v->def->arg == nullptr) {
        value = "on";
      } else {
        if (i + 1 >= argc) {
          *error = "option --" + name + " needs a value (" + v->def->arg + ")";
          return false;
        }
        value = argv[++i];
      }
    }
    given.emplace_back(name, value);
  }
  for (const auto& [name, value] : given) {
    if (Dashed(name) == "config" && !ReadFile(value, error)) return false;
  }
  for (const auto& [name, value] : given) {
    if (!Set(name, value, "command line", "", 0, error)) return false;
  }
  return true;
}

bool ServerOptions::ReadFile(const std::string& path, std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = "cannot read the configuration file " + path;
    return false;
  }
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    // PostgreSQL's form: name = value (the '=' optional), # comments, values in '' with '' for '.
    std::string key, value;
    size_t i = 0;
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    if (i == line.size() || line[i] == '#') continue;
    while (i < line.size() && (std::isalnum(static_cast<unsigned char>(line[i])) || line[i] == '_' || line[i] == '-' ||
                               line[i] == '.')) {
      key += line[i++];
    }
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    if (i < line.size() && line[i] == '=') ++i;
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    bool ok = !key.empty();
    if (ok && i < line.size() && line[i] == '\'') {
      bool closed = false;
      for (++i; i < line.size(); ++i) {
        if (line[i] == '\'') {
          if (i + 1 < line.size() && line[i + 1] == '\'') {
            value += '\'';
            ++i;
            continue;
          }
          closed = true;
          ++i;
          break;
        }
        value += line[i];
      }
      ok = closed;
    } else {
      while (i < line.size() && line[i] != '#' && !std::isspace(static_cast<unsigned char>(line[i]))) value += line[i++];
    }
    while (ok && i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    ok = ok && (i == line.size() || line[i] == '#');
    const std::string where = path + ":" + std::to_string(n);
    if (!ok) {
      *error = where + ": syntax error (expected name = value)";
      return false;
    }
    if (Dashed(key) == "config") {
      *error = where + ": a configuration file cannot name another";
      return false;
    }
    std::string why;
    if (!Set(key, value, "configuration file", path, n, &why)) {
      *error = where + ": " + why;
      return false;
    }
  }
  return true;
}

bool ServerOptions::Given(const std::string& name) const {
  const OptionValue* v = Find(name);
  return v != nullptr && v->source != "default";
}

std::string ServerOptions::Str(const std::string& name) const {
  const OptionValue* v = Find(name);
  return v != nullptr ? v->value : "";
}

int64_t ServerOptions::Int(const std::string& name, std::string* error) const {
  const std::string s = Str(name);
  try {
    size_t used = 0;
    const long long n = std::stoll(s, &used);
    if (used == s.size()) return n;
  } catch (...) {
  }
  *error = "--" + Dashed(name) + ": expected an integer, not \"" + s + "\"";
  return 0;
}

std::vector<std::string> ServerOptions::List(const std::string& name) const {
  std::vector<std::string> out;
  std::stringstream in(Str(name));
  std::string item;
  while (std::getline(in, item)) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

std::string ServerHelp(const std::string& command) {
  const int role = ServerRoleOf(command);
  std::ostringstream out;
  out << "usage: strata " << command << " [--config FILE] [OPTION VALUE]...\n\n";
  out << "Options (--name VALUE or --name=VALUE; in a --config file: name = value):\n";
  for (const OptionDef& d : kOptions) {
    if (!(d.roles & role)) continue;
    std::string head = std::string("  --") + d.name + (d.arg != nullptr ? std::string(" ") + d.arg : "");
    out << head;
    out << std::string(head.size() < 34 ? 34 - head.size() : 1, ' ') << d.help;
    if (d.def[0] != '\0') out << " (default: " << d.def << ")";
    out << "\n";
  }
  out << "  --help                            this text\n";
  return out.str();
}

std::string TopLevelHelp() {
  return "usage: strata COMMAND [OPTIONS]   (strata COMMAND --help for a command's options)\n\n"
         "Commands:\n"
         "  serve      a whole cluster on this host: the leader, compute nodes and spectrum workers\n"
         "  leader     the leader alone, for compute nodes started by hand (strata compute)\n"
         "  compute    a compute node that joins a leader\n"
         "  spectrum   a spectrum worker (external tables) that joins a leader\n"
         "  objects    ls | cp | rm | cat in an object store (local paths and s3://)\n"
         "  crawl      make external tables from files, through a leader\n"
         "  resize     change the number of compute nodes, through a leader\n"
         "  snapshot   list | verify | copy | delete the snapshots of a snapshot store\n\n"
         "  --version  the version, git commit and build type\n"
         "  --help     this text\n";
}

std::string VersionText() {
  return std::string("strata ") + STRATA_VERSION + " (commit " + STRATA_GIT_COMMIT + ", " + STRATA_BUILD_TYPE +
         " build)\n";
}

void SetProcessOptions(std::vector<OptionValue> values) {
  std::lock_guard<std::mutex> lock(process_mu);
  // Set once at start; an earlier list is left in place (readers may hold it).
  process_options = new std::vector<OptionValue>(std::move(values));
}

const std::vector<OptionValue>& ProcessOptions() {
  static const std::vector<OptionValue> none;
  std::lock_guard<std::mutex> lock(process_mu);
  return process_options != nullptr ? *process_options : none;
}

const OptionValue* FindProcessOption(const std::string& name) {
  const std::string u = Underscored(Dashed(name));
  for (const OptionValue& v : ProcessOptions()) {
    if (v.name == u) return &v;
  }
  return nullptr;
}

std::string ShownValue(const OptionValue& v) {
  if (v.def != nullptr && v.def->secret && !v.value.empty()) return "********";
  std::string out = v.value;
  std::replace(out.begin(), out.end(), '\n', ',');
  return out;
}

}  // namespace strata
