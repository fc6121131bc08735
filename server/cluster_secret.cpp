// Reading and creating the cluster secret file (see cluster_secret.h).
#include "server/cluster_secret.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "io/file_io.h"
#include "sql/error.h"
#include "sql/sqlstate.h"

namespace strata {
namespace {

[[noreturn]] void ThrowFileError(const std::string& what, const std::string& path, int err) {
  throw SqlError(sqlstate::kIoError, StrCat("cannot ", what, " cluster secret file \"", path, "\": ", static_cast<const char*>(std::strerror(err))));
}

std::string NewSecretText() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    throw SqlError(sqlstate::kSystemError, "cannot generate a cluster secret: OpenSSL has no randomness");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  for (unsigned char b : bytes) {
    text.push_back(kHex[b >> 4]);
    text.push_back(kHex[b & 15]);
  }
  return text + "\n";
}

// Writes a fresh secret to a private temporary file and links it into place, so that the file
// at `path` is either absent or complete, and a file that appeared meanwhile is kept.
// A new random secret at `path`, readable by its owner only; a secret another process created
// there first is kept (it is the one every process then loads).
void CreateSecretFile(const std::string& path) {
  DurableWriteOptions options;
  options.mode = 0600;
  options.replace = false;
  WriteFileDurably(path, NewSecretText(), options);
}

}  // namespace

ClusterSecret LoadClusterSecret(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) ThrowFileError("open", path, errno);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    ThrowFileError("stat", path, err);
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    throw SqlError(sqlstate::kInvalidAuthorizationSpecification,
                   StrCat("cluster secret file \"", path, "\" has group or world access; it must be mode 0600"));
  }
  std::string text;
  char buf[4096];
  while (text.size() < 1 << 20) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      ThrowFileError("read", path, err);
    }
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  size_t begin = text.find_first_not_of(" \t\r\n");
  size_t end = text.find_last_not_of(" \t\r\n");
  std::string key = begin == std::string::npos ? "" : text.substr(begin, end - begin + 1);
  if (key.size() < kMinClusterSecretLength) {
    throw SqlError(sqlstate::kInvalidAuthorizationSpecification,
                   StrCat("cluster secret file \"", path, "\" holds ", key.size(), " characters; at least ",
                          kMinClusterSecretLength, " are needed"));
  }
  return ClusterSecret(std::move(key));
}

ClusterSecret LoadOrCreateClusterSecret(const std::string& path) {
  if (!PathExists(path)) CreateSecretFile(path);
  return LoadClusterSecret(path);
}

}  // namespace strata
