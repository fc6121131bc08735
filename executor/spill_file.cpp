// See spill_file.h. Each record is u32 length then the encoded batch (already LZ4-compressed by
// EncodeBatch); the file is read back with one buffered stream (Read) or with pread at the
// offsets of its records (ReadAt), which moves no shared file position.
#include "executor/spill_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "executor/batch_codec.h"
#include "executor/memory_budget.h"
#include "sql/error.h"

namespace strata {

namespace {

[[noreturn]] void FailIo(const char* what, const std::string& path, int err) {
  const char* state = err == ENOSPC || err == EDQUOT ? sqlstate::kDiskFull : sqlstate::kInternalError;
  throw SqlError(state, StrCat("could not ", what, " spill file \"", path, "\": ", std::string(std::strerror(err))));
}

}  // namespace

SpillFile::SpillFile(std::string path, MemoryReservation* owner) : path_(std::move(path)), owner_(owner) {
  // An O_TMPFILE file has no name at all: the space returns to the file system when the last
  // handle closes, so no finish, error or kill -9 can leave it behind, and nobody looking at the
  // folder ever sees it. File systems without O_TMPFILE get a named file unlinked at once (the
  // start-up sweep covers the moment in between).
  std::string dir = path_.substr(0, path_.find_last_of('/') == std::string::npos ? 0 : path_.find_last_of('/'));
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) {
    file_ = ::fdopen(fd, "w+b");
    if (file_ == nullptr) {
      int err = errno;
      ::close(fd);
      FailIo("create", path_, err);
    }
    return;
  }
  if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL) FailIo("create", path_, errno);
  file_ = std::fopen(path_.c_str(), "w+xbe");
  if (file_ == nullptr) FailIo("create", path_, errno);
  ::unlink(path_.c_str());
}

SpillFile::~SpillFile() {
  if (file_ != nullptr) std::fclose(file_);
}

void SpillFile::Write(const Batch& b) {
  if (reading_) STRATA_INTERNAL_ERROR("write to a spill file being read");
  std::string bytes = EncodeBatch(b);
  uint32_t n = static_cast<uint32_t>(bytes.size());
  if (std::fwrite(&n, sizeof n, 1, file_) != 1 || std::fwrite(bytes.data(), 1, n, file_) != n) {
    FailIo("write", path_, errno);
  }
  ++batches_;
  rows_ += static_cast<int64_t>(b.rows);
  bytes_ += n + sizeof n;
  if (owner_ != nullptr) owner_->AddSpilled(n + sizeof n);
}

void SpillFile::FinishWriting() {
  if (std::fflush(file_) != 0) FailIo("write", path_, errno);
  std::rewind(file_);
  reading_ = true;
}

void SpillFile::Flush() {
  if (std::fflush(file_) != 0) FailIo("write", path_, errno);
}

int64_t SpillFile::ReadAt(int64_t offset, Batch* out) const {
  int fd = ::fileno(file_);
  uint32_t n = 0;
  auto read_fully = [&](void* dst, size_t len, int64_t at) {
    char* p = static_cast<char*>(dst);
    while (len > 0) {
      ssize_t got = ::pread(fd, p, len, static_cast<off_t>(at));
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) FailIo("read", path_, got < 0 ? errno : EIO);
      p += got;
      at += got;
      len -= static_cast<size_t>(got);
    }
  };
  read_fully(&n, sizeof n, offset);
  std::string bytes(n, '\0');
  if (n > 0) read_fully(bytes.data(), n, offset + static_cast<int64_t>(sizeof n));
  *out = DecodeBatch(bytes);
  return offset + static_cast<int64_t>(sizeof n) + n;
}

bool SpillFile::Read(Batch* out) {
  if (!reading_) FinishWriting();
  uint32_t n = 0;
  if (std::fread(&n, sizeof n, 1, file_) != 1) {
    if (std::ferror(file_)) FailIo("read", path_, errno);
    return false;
  }
  buffer_.resize(n);
  if (n > 0 && std::fread(buffer_.data(), 1, n, file_) != n) FailIo("read", path_, std::ferror(file_) ? errno : EIO);
  *out = DecodeBatch(buffer_);
  return true;
}

int SweepSpillFolder(const std::string& dir) {
  ::mkdir(dir.c_str(), 0700);
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return 0;
  int removed = 0;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name.size() > 6 && name.compare(name.size() - 6, 6, ".spill") == 0) {
      if (::unlink((dir + "/" + name).c_str()) == 0) ++removed;
    }
  }
  ::closedir(d);
  return removed;
}

}  // namespace strata
