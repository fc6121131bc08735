// `strata snapshot list|verify|copy|delete` (snapshot_cli.h).
#include "server/snapshot_cli.h"

#include <ctime>
#include <cstdio>
#include <map>
#include <string>

#include "replication/progress.h"
#include "replication/snapshot_store.h"
#include "sql/error.h"

namespace strata {
namespace {

int Usage(FILE* out = stderr, int rc = 2) {
  std::fprintf(out,
               "usage: strata snapshot list   --location LOC\n"
               "       strata snapshot verify --location LOC --snapshot NAME\n"
               "       strata snapshot copy   --location LOC --snapshot NAME --to LOC2\n"
               "       strata snapshot delete --location LOC --snapshot NAME\n"
               "  LOC: s3://bucket/prefix/ or file:///folder/; S3 settings from AWS_ENDPOINT_URL_S3, AWS_REGION,\n"
               "  AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY\n");
  return rc;
}

std::string TimeText(int64_t micros) {
  if (micros == 0) return "-";
  std::time_t t = static_cast<std::time_t>(micros / 1000000 + 946684800);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

}  // namespace

int RunSnapshotCli(int argc, char** argv) {
  if (argc < 2) return Usage();
  std::string verb = argv[1];
  if (verb == "--help" || verb == "-h") return Usage(stdout, 0);
  std::map<std::string, std::string> a;
  for (int i = 2; i < argc; ++i) {
    std::string k = argv[i];
    if (k == "--help") return Usage(stdout, 0);
    if (k.rfind("--", 0) != 0 || i + 1 >= argc) {
      std::fprintf(stderr, "strata snapshot: unexpected argument %s\n", k.c_str());
      return 2;
    }
    a[k.substr(2)] = argv[++i];
  }
  if (a.count("location") == 0) return Usage();
  const bool needs_name = verb != "list";
  if (needs_name && a.count("snapshot") == 0) return Usage();
  try {
    SnapshotStore store(a["location"], ObjectStoreConfig::FromEnvironment());
    const std::string name = a["snapshot"];
    if (verb == "list") {
      std::printf("%-32s %-9s %-11s %-19s %-19s %10s %14s %14s %s\n", "name", "type", "status", "start_time", "end_time",
                  "commit_id", "total_bytes", "uploaded_bytes", "expires_at");
      for (const SnapshotListing& l : store.List()) {
        if (l.complete) {
          const auto& r = l.record;
          std::printf("%-32s %-9s %-11s %-19s %-19s %10lld %14lld %14lld %s\n", r.name().c_str(), r.type().c_str(), "complete",
                      TimeText(r.start_time()).c_str(), TimeText(r.end_time()).c_str(), static_cast<long long>(r.commit_id()),
                      static_cast<long long>(r.total_bytes()), static_cast<long long>(r.uploaded_bytes()),
                      TimeText(r.expires_at()).c_str());
        } else {
          std::printf("%-32s %-9s %-11s %-19s %-19s %10lld %14s %14s %s\n", l.name.c_str(), l.started.type().c_str(),
                      "incomplete", TimeText(l.started.start_time()).c_str(), "-",
                      static_cast<long long>(l.started.commit_id()), "-", "-", "-");
        }
      }
      return 0;
    }
    if (verb == "verify") {
      ProgressMeter meter("verify", name, store.location(), 0);
      int64_t total = 0;
      std::vector<std::string> problems = VerifySnapshot(store, name, [&](int64_t b) { meter.Add(b); }, &total);
      meter.SetTotal(total);
      meter.Draw(true);
      for (const auto& p : problems) std::printf("%s\n", p.c_str());
      if (!problems.empty()) {
        std::fprintf(stderr, "strata snapshot verify: snapshot \"%s\" is damaged: %zu objects missing or corrupt\n",
                     name.c_str(), problems.size());
        return 1;
      }
      std::printf("snapshot \"%s\" is intact: %s checked\n", name.c_str(), HumanBytes(total).c_str());
      return 0;
    }
    if (verb == "copy") {
      if (a.count("to") == 0) return Usage();
      SnapshotStore to(a["to"], ObjectStoreConfig::FromEnvironment());
      if (to.Exists(name)) {
        std::fprintf(stderr, "strata snapshot copy: snapshot \"%s\" already exists in %s\n", name.c_str(), to.location().c_str());
        return 1;
      }
      replication::SnapshotRecord r = store.Read(name);
      ProgressMeter meter("copy", name, to.location(), r.total_bytes());
      int64_t uploaded = CopySnapshot(store, to, name, [&](int64_t b) {
        meter.Add(b);
        meter.Draw();
      });
      meter.Draw(true);
      std::printf("copied snapshot \"%s\" to %s: %lld of %lld bytes uploaded\n", name.c_str(), to.location().c_str(),
                  static_cast<long long>(uploaded), static_cast<long long>(r.total_bytes()));
      return 0;
    }
    if (verb == "delete") {
      store.RemoveRecords(name);
      SweepResult s = store.Sweep();
      std::printf("deleted snapshot \"%s\": %lld objects (%lld bytes) no other snapshot needs were removed\n", name.c_str(),
                  static_cast<long long>(s.objects_removed), static_cast<long long>(s.bytes_removed));
      if (!s.blocked_by.empty()) {
        std::printf("unreferenced objects were kept: snapshot \"%s\" is in progress\n", s.blocked_by.c_str());
      }
      return 0;
    }
    return Usage();
  } catch (const SqlError& e) {
    std::fprintf(stderr, "strata snapshot %s: %s%s%s\n", verb.c_str(), e.what(), e.detail().empty() ? "" : " ",
                 e.detail().c_str());
    return 1;
  }
}

}  // namespace strata
