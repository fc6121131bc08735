// The `strata objects` command line (see object_cli.h).
#include "server/object_cli.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <filesystem>

#include "io/object_store.h"
#include "storage/block_store.h"
#include "storage/object_log.h"
#include "replication/progress.h"
#include "sql/error.h"

namespace strata {

namespace {

constexpr size_t kCopyChunk = 8 << 20;

int Usage(FILE* out = stderr, int rc = 2) {
  std::fprintf(out,
               "usage: strata objects ls URL | cp SRC DST | rm URL | cat URL | store DIR\n"
               "  store DIR: the blocks and manifests of a compute node's store folder (its files\n"
               "  and its object log), one \"kind id size file offset\" line each\n"
               "  URL: /absolute/path, file:///path or s3://bucket/key\n"
               "  S3 settings come from AWS_ENDPOINT_URL_S3, AWS_REGION, AWS_ACCESS_KEY_ID,\n"
               "  AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.\n");
  return rc;
}

std::string BaseName(const std::string& url) {
  size_t slash = url.rfind('/');
  return slash == std::string::npos ? url : url.substr(slash + 1);
}

// Streams `src` into `sink` in large chunks; returns the bytes copied. `meter` (may be null)
// counts them and draws the progress on stderr (a bar on a terminal, a line now and then
// otherwise).
int64_t CopyAll(ByteSource& src, ByteSink& sink, ProgressMeter* meter = nullptr) {
  std::vector<char> buf(kCopyChunk);
  int64_t offset = 0;
  for (;;) {
    size_t n = src.ReadAt(offset, buf.data(), buf.size());
    if (n > 0) sink.Append(std::string_view(buf.data(), n));
    offset += static_cast<int64_t>(n);
    if (meter != nullptr) {
      meter->Add(static_cast<int64_t>(n));
      if (n == buf.size()) meter->Draw();  // the last chunk's line is the final one below
    }
    if (n < buf.size()) break;
  }
  sink.Finish();
  if (meter != nullptr) meter->Draw(/*final=*/true);
  return offset;
}

// Writes to stdout as a sink, so `cat` shares the copy loop.
class StdoutSink : public ByteSink {
 public:
  void Append(std::string_view data) override {
    if (std::fwrite(data.data(), 1, data.size(), stdout) != data.size()) {
      STRATA_USER_ERROR(sqlstate::kIoError, "could not write to stdout");
    }
    written_ += static_cast<int64_t>(data.size());
  }
  void Finish() override {
    if (std::fflush(stdout) != 0) STRATA_USER_ERROR(sqlstate::kIoError, "could not write to stdout");
  }
  int64_t BytesWritten() const override { return written_; }

 private:
  int64_t written_ = 0;
};

int Run(const std::vector<std::string>& args) {
  ObjectStoreConfig config = ObjectStoreConfig::FromEnvironment();
  const std::string& verb = args[0];
  if (verb == "ls" && args.size() == 2) {
    for (const ObjectInfo& info : OpenObjectStore(args[1], config)->List(args[1])) {
      std::printf("%lld\t%s\n", static_cast<long long>(info.size), info.url.c_str());
    }
    return 0;
  }
  if (verb == "store" && args.size() == 2) {
    for (const char* kind : {"block", "manifest"}) {
      std::error_code ec;
      std::string sub = args[1] + (kind[0] == 'b' ? "/blocks" : "/manifests");
      for (auto it = std::filesystem::recursive_directory_iterator(sub, ec); !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (it->is_regular_file() && IsContentId(name)) {
          std::printf("%s %s %lld %s 0\n", kind, name.c_str(), static_cast<long long>(it->file_size()), it->path().c_str());
        }
      }
    }
    for (const auto& o : ObjectLog::ListFolder(args[1])) {
      std::printf("%s %s %lld %s %lld\n", o.kind == ObjectLog::Kind::kBlock ? "block" : "manifest", o.id.c_str(),
                  static_cast<long long>(o.size), o.path.c_str(), static_cast<long long>(o.offset));
    }
    return 0;
  }
  if (verb == "cat" && args.size() == 2) {
    auto src = OpenObjectStore(args[1], config)->OpenRead(args[1]);
    StdoutSink out;
    CopyAll(*src, out);
    return 0;
  }
  if (verb == "rm" && args.size() == 2) {
    OpenObjectStore(args[1], config)->Delete(args[1]);
    return 0;
  }
  if (verb == "cp" && args.size() == 3) {
    std::string dst = args[2];
    if (!dst.empty() && dst.back() == '/') dst += BaseName(args[1]);
    auto src = OpenObjectStore(args[1], config)->OpenRead(args[1]);
    auto sink = OpenObjectStore(dst, config)->OpenWrite(dst);
    ProgressMeter meter("cp", BaseName(args[1]), dst, std::max<int64_t>(0, src->Size()));
    int64_t n = CopyAll(*src, *sink, &meter);
    std::fprintf(stderr, "copied %lld bytes to %s\n", static_cast<long long>(n), dst.c_str());
    return 0;
  }
  return Usage();
}

}  // namespace

int RunObjectCli(int argc, char** argv) {
  if (argc < 2) return Usage();
  std::vector<std::string> args(argv + 1, argv + argc);
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") return Usage(stdout, 0);
  }
  try {
    return Run(args);
  } catch (const SqlError& e) {
    std::fprintf(stderr, "ERROR: %s: %s\n", e.sqlstate().c_str(), e.message().c_str());
    if (!e.hint().empty()) std::fprintf(stderr, "HINT: %s\n", e.hint().c_str());
    return 1;
  }
}

}  // namespace strata
