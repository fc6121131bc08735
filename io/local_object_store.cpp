// Local files behind the ObjectStore interface (see local_object_store.h).
#include "io/local_object_store.h"

#include "io/file_io.h"
#include "io/local_path_policy.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>

#include "sql/error.h"

namespace strata {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void ThrowErrno(int err, const std::string& what, const std::string& path) {
  std::string message = StrCat("could not ", what, " \"", path, "\": ", std::string(std::strerror(err)));
  if (err == ENOENT || err == ENOTDIR) throw SqlError(sqlstate::kUndefinedFile, message);
  if (err == EACCES || err == EPERM) throw SqlError(sqlstate::kInsufficientPrivilege, message);
  throw SqlError(sqlstate::kIoError, message);
}

class LocalFileSource : public ByteSource {
 public:
  LocalFileSource(std::string path, int fd, int64_t size) : path_(std::move(path)), fd_(fd), size_(size) {}
  ~LocalFileSource() override { ::close(fd_); }

  int64_t Size() override { return size_; }

  size_t ReadAt(int64_t offset, char* buf, size_t n) override {
    size_t done = 0;
    while (done < n) {
      ssize_t got = ::pread(fd_, buf + done, n - done, offset + static_cast<int64_t>(done));
      if (got < 0) {
        if (errno == EINTR) continue;
        ThrowErrno(errno, "read file", path_);
      }
      if (got == 0) break;
      done += static_cast<size_t>(got);
    }
    return done;
  }

  const std::string& Name() const override { return path_; }

 private:
  std::string path_;
  int fd_;
  int64_t size_;
};

// Buffers appends (callers often append one row at a time) and writes in large blocks.
class LocalFileSink : public ByteSink {
 public:
  static constexpr size_t kBufferSize = 1 << 20;

  LocalFileSink(std::string path, std::string tmp_path, int fd)
      : path_(std::move(path)), tmp_path_(std::move(tmp_path)), fd_(fd) {
    buffer_.reserve(kBufferSize);
  }

  ~LocalFileSink() override {
    if (fd_ >= 0) {  // never finished: the destination stays untouched
      ::close(fd_);
      ::unlink(tmp_path_.c_str());
    }
  }

  void Append(std::string_view data) override {
    if (fd_ < 0) STRATA_INTERNAL_ERROR("Append after Finish on ", path_);
    written_ += static_cast<int64_t>(data.size());
    if (buffer_.size() + data.size() > kBufferSize) {
      Flush();
      if (data.size() >= kBufferSize) {
        WriteAll(data);
        return;
      }
    }
    buffer_.append(data);
  }

  void Finish() override {
    if (fd_ < 0) return;
    Flush();
    if (::fsync(fd_) != 0) ThrowErrno(errno, "fsync file", tmp_path_);
    int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) {
      int err = errno;
      ::unlink(tmp_path_.c_str());
      ThrowErrno(err, "close file", tmp_path_);
    }
    PublishDurably(tmp_path_, path_);  // rename, then fsync the folder (io/file_io.h)
  }

  int64_t BytesWritten() const override { return written_; }

 private:
  void Flush() {
    WriteAll(buffer_);
    buffer_.clear();
  }

  void WriteAll(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::write(fd_, data.data(), data.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        ThrowErrno(errno, "write file", tmp_path_);
      }
      data.remove_prefix(static_cast<size_t>(n));
    }
  }

  std::string path_;
  std::string tmp_path_;
  int fd_;
  std::string buffer_;
  int64_t written_ = 0;
};

std::string RandomSuffix() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string s(6, 'x');
  for (char& c : s) c = kChars[rng() % 36];
  return s;
}

}  // namespace

std::string LocalPathFromUrl(const std::string& url) {
  std::string path = url.rfind("file://", 0) == 0 ? url.substr(7) : url;
  if (path.empty() || path[0] != '/') {
    STRATA_USER_ERROR(sqlstate::kInvalidParameterValue, "invalid local path \"", url,
                      "\": expected an absolute path or file:///path");
  }
  CheckLocalPathAllowed(path);  // every list, read, write and delete passes here
  return path;
}

std::vector<ObjectInfo> LocalObjectStore::List(const std::string& url_prefix) {
  std::string prefix = LocalPathFromUrl(url_prefix);
  std::vector<ObjectInfo> out;
  std::error_code ec;
  fs::file_status st = fs::status(prefix, ec);
  if (fs::is_regular_file(st)) {
    out.push_back({prefix, static_cast<int64_t>(fs::file_size(prefix, ec))});
    return out;
  }
  // As in S3, the prefix is a string prefix: "/d/data" matches "/d/data/x" and "/d/database".
  // Only the entries of the prefix's parent directory that match are visited, and only the
  // matching subdirectories are walked (all of their files match).
  fs::path parent = fs::path(prefix).parent_path();
  if (!fs::is_directory(parent, ec)) return out;
  auto add = [&](const fs::directory_entry& entry) {
    std::error_code file_ec;  // a file vanishing mid-listing is skipped, not an error
    if (!entry.is_regular_file(file_ec)) return;
    auto size = entry.file_size(file_ec);
    if (!file_ec) out.push_back({entry.path().string(), static_cast<int64_t>(size)});
  };
  fs::directory_iterator it(parent, fs::directory_options::skip_permission_denied, ec);
  if (ec) ThrowErrno(ec.value(), "list directory", parent.string());
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) ThrowErrno(ec.value(), "list directory", parent.string());
    const fs::directory_entry& entry = *it;
    std::string path = entry.path().string();
    if (path.compare(0, prefix.size(), prefix) != 0) continue;
    if (entry.is_directory(ec)) {
      fs::recursive_directory_iterator walk(entry.path(), fs::directory_options::skip_permission_denied, ec);
      for (; !ec && walk != fs::recursive_directory_iterator(); walk.increment(ec)) {
        add(*walk);
      }
      if (ec) ThrowErrno(ec.value(), "list directory", path);
    } else {
      add(entry);
    }
  }
  std::sort(out.begin(), out.end(), [](const ObjectInfo& a, const ObjectInfo& b) { return a.url < b.url; });
  return out;
}

std::unique_ptr<ByteSource> LocalObjectStore::OpenRead(const std::string& url) {
  std::string path = LocalPathFromUrl(url);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) ThrowErrno(errno, "open file", path);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    ThrowErrno(err, "stat file", path);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    STRATA_USER_ERROR(sqlstate::kIoError, "could not read \"", path, "\": not a regular file");
  }
  return std::make_unique<LocalFileSource>(path, fd, static_cast<int64_t>(st.st_size));
}

std::unique_ptr<ByteSink> LocalObjectStore::OpenWrite(const std::string& url) {
  std::string path = LocalPathFromUrl(url);
  fs::path parent = fs::path(path).parent_path();
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) ThrowErrno(ec.value(), "create directory", parent.string());
  for (int attempt = 0;; ++attempt) {
    std::string tmp = path + ".tmp-" + RandomSuffix();
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd >= 0) return std::make_unique<LocalFileSink>(path, tmp, fd);
    if (errno != EEXIST || attempt > 8) ThrowErrno(errno, "create file", tmp);
  }
}

void LocalObjectStore::Delete(const std::string& url) {
  std::string path = LocalPathFromUrl(url);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) ThrowErrno(errno, "remove file", path);
}

}  // namespace strata
