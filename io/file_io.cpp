#include "io/file_io.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <vector>

#include "sql/error.h"

namespace strata {
namespace {

[[noreturn]] void ThrowIo(const char* what, const std::string& path, int err) {
  STRATA_USER_ERROR(sqlstate::kIoError, "could not ", what, " file \"", path, "\": ", static_cast<const char*>(std::strerror(err)));
}

// True for a name TempPathFor makes: it ends in ".tmp.<digits>.<digits>".
bool IsTempName(const std::string& name) {
  size_t at = name.size();
  for (int part = 0; part < 2; ++part) {
    size_t digits = 0;
    while (at > 0 && name[at - 1] >= '0' && name[at - 1] <= '9') --at, ++digits;
    if (digits == 0 || at == 0 || name[at - 1] != '.') return false;
    --at;
  }
  return at >= 4 && name.compare(at - 4, 4, ".tmp") == 0;
}

}  // namespace

std::string ParentOf(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

void FsyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) ThrowIo("open directory", dir, errno);
  if (::fsync(fd) != 0) {
    int err = errno;
    ::close(fd);
    ThrowIo("fsync directory", dir, err);
  }
  ::close(fd);
}

// A name no other writer (thread or process) uses at the same time; IsTempName recognises it.
std::string TempPathFor(const std::string& path) {
  static std::atomic<uint64_t> counter{0};
  return path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter.fetch_add(1));
}

void PublishDurably(const std::string& tmp, const std::string& path) {
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    ThrowIo("rename", path, err);
  }
  FsyncDirectory(ParentOf(path));
}

bool WriteFileDurably(const std::string& path, std::string_view bytes, DurableWriteOptions options) {
  std::string tmp = TempPathFor(path);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, options.mode);
  // A crashed process with our pid may have left this very name behind: take the next one.
  for (int tries = 0; fd < 0 && errno == EEXIST && tries < 1000; ++tries) {
    tmp = TempPathFor(path);
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, options.mode);
  }
  if (fd < 0) ThrowIo("create", tmp, errno);
  auto fail = [&](const char* what) {
    int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    ThrowIo(what, tmp, err);
  };
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write");
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) fail("fsync");
  if (::close(fd) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    ThrowIo("close", tmp, err);
  }
  if (options.replace) {
    if (options.sync_folder) {
      PublishDurably(tmp, path);
    } else if (::rename(tmp.c_str(), path.c_str()) != 0) {
      int err = errno;
      ::unlink(tmp.c_str());
      ThrowIo("rename", path, err);
    }
    return true;
  }
  bool linked = ::link(tmp.c_str(), path.c_str()) == 0;
  int err = errno;
  ::unlink(tmp.c_str());
  if (!linked && err == EEXIST) return false;
  if (!linked) ThrowIo("link", path, err);
  if (options.sync_folder) FsyncDirectory(ParentOf(path));
  return true;
}

std::string ReadFileBytes(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) ThrowIo("open", path, errno);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    ThrowIo("stat", path, err);
  }
  std::string out;
  out.resize(static_cast<size_t>(st.st_size));
  size_t done = 0;
  char more[4096];  // the file may have grown: what is past its stat size is read here
  while (true) {
    const bool full = done == out.size();
    ssize_t n = full ? ::read(fd, more, sizeof more) : ::read(fd, out.data() + done, out.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      ThrowIo("read", path, err);
    }
    if (n == 0) break;
    if (full) out.append(more, static_cast<size_t>(n));
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  out.resize(done);
  return out;
}

bool PathExists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

void MakeDirectories(const std::string& path) {
  if (path.empty()) return;
  size_t pos = 0;
  while (pos != std::string::npos) {
    pos = path.find('/', pos + 1);
    std::string prefix = path.substr(0, pos);
    if (prefix.empty() || PathExists(prefix)) continue;
    if (::mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) ThrowIo("create directory", prefix, errno);
    FsyncDirectory(ParentOf(prefix));
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) ThrowIo("stat", path, errno);
  if (!S_ISDIR(st.st_mode)) ThrowIo("create directory", path, ENOTDIR);
}

int RemoveStaleTempFiles(const std::string& dir, bool recursive) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) {
    if (errno == ENOENT) return 0;
    ThrowIo("open directory", dir, errno);
  }
  int removed = 0;
  std::vector<std::string> subdirs;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    std::string path = dir + "/" + name;
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      if (recursive) subdirs.push_back(path);
    } else if (S_ISREG(st.st_mode) && IsTempName(name)) {
      if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
        int err = errno;
        ::closedir(d);
        ThrowIo("remove", path, err);
      }
      ++removed;
    }
  }
  ::closedir(d);
  if (removed > 0) FsyncDirectory(dir);
  for (const auto& sub : subdirs) removed += RemoveStaleTempFiles(sub, true);
  return removed;
}

bool ReadExactlyAt(int fd, int64_t offset, char* out, size_t n) {
  size_t done = 0;
  while (done < n) {
    ssize_t r = ::pread(fd, out + done, n - done, offset + static_cast<int64_t>(done));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    done += static_cast<size_t>(r);
  }
  return true;
}

int WriteAllAt(int fd, int64_t offset, const char* data, size_t n) {
  size_t done = 0;
  while (done < n) {
    ssize_t w = ::pwrite(fd, data + done, n - done, offset + static_cast<int64_t>(done));
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return w < 0 ? errno : ENOSPC;
    done += static_cast<size_t>(w);
  }
  return 0;
}

}  // namespace strata
