// The leader catalog's commit log (see catalog_log.h): append with fdatasync, read back at
// start-up with the torn tail cut off, emptied after a checkpoint.
#include "catalog/catalog_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <cerrno>
#include <cstring>

#include "io/file_io.h"
#include "sql/error.h"
#include "sql/nesting_limit.h"
#include "storage/fault_point.h"

namespace strata {
namespace {

constexpr uint32_t kMagic = 0x314C4353;  // "SCL1"
constexpr int64_t kHeaderBytes = 16;
// A record larger than this is damage, not a commit (a root names every table in a few bytes).
constexpr uint32_t kMaxRecordBytes = uint32_t{1} << 30;

[[noreturn]] void ThrowLogIo(const char* what, const std::string& path, int err) {
  STRATA_USER_ERROR(sqlstate::kIoError, "could not ", what, " catalog log \"", path, "\": ",
                    static_cast<const char*>(std::strerror(err)));
}

void PutLe(uint8_t* p, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

uint64_t GetLe(const uint8_t* p, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = v << 8 | p[i];
  return v;
}

}  // namespace

CatalogLog::CatalogLog(std::string path) : path_(std::move(path)) {
  bool existed = PathExists(path_);
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) ThrowLogIo("open", path_, errno);
  if (!existed) FsyncDirectory(ParentOf(path_));
  struct stat st;
  if (::fstat(fd_, &st) != 0) ThrowLogIo("stat", path_, errno);
  size_ = st.st_size;
}

CatalogLog::~CatalogLog() {
  if (fd_ >= 0) ::close(fd_);
}

std::vector<catalog::CatalogLogRecord> CatalogLog::ReadAll() {
  std::vector<catalog::CatalogLogRecord> out;
  int64_t at = 0;
  std::string payload;
  for (;;) {
    uint8_t header[kHeaderBytes];
    if (!ReadExactlyAt(fd_, at, reinterpret_cast<char*>(header), kHeaderBytes)) break;
    uint64_t length = GetLe(header + 4, 4);
    if (GetLe(header, 4) != kMagic || length > kMaxRecordBytes || at + kHeaderBytes + static_cast<int64_t>(length) > size_) break;
    payload.resize(length);
    if (!ReadExactlyAt(fd_, at + kHeaderBytes, payload.data(), length)) break;
    if (XXH3_64bits(payload.data(), payload.size()) != GetLe(header + 8, 8)) break;
    catalog::CatalogLogRecord record;
    if (!ParseNestedMessage(payload, &record)) break;
    out.push_back(std::move(record));
    at += kHeaderBytes + static_cast<int64_t>(length);
  }
  if (at < size_) {
    // The rest was never acknowledged (or is damaged): it goes, so appends continue after the
    // last good record.
    if (::ftruncate(fd_, at) != 0 || ::fdatasync(fd_) != 0) ThrowLogIo("truncate", path_, errno);
    size_ = at;
  }
  return out;
}

void CatalogLog::Append(const catalog::CatalogLogRecord& record) {
  std::string payload = record.SerializeAsString();
  if (payload.size() > kMaxRecordBytes) STRATA_USER_ERROR(sqlstate::kProgramLimitExceeded, "the catalog grew too large to commit");
  std::string buf(static_cast<size_t>(kHeaderBytes) + payload.size(), '\0');
  auto* h = reinterpret_cast<uint8_t*>(buf.data());
  PutLe(h, kMagic, 4);
  PutLe(h + 4, payload.size(), 4);
  PutLe(h + 8, XXH3_64bits(payload.data(), payload.size()), 8);
  std::memcpy(buf.data() + kHeaderBytes, payload.data(), payload.size());
  int err = WriteAllAt(fd_, size_, buf.data(), buf.size());
  if (err == 0 && ::fdatasync(fd_) != 0) err = errno;
  if (err != 0) {
    // Not committed: the file ends at its last good record again (a later start-up would cut a
    // partial record off anyway).
    if (::ftruncate(fd_, size_) != 0) {
    }
    ThrowLogIo("append to", path_, err);
  }
  size_ += static_cast<int64_t>(buf.size());
  FaultPoint("catalog_log_appended");
}

bool CatalogLog::Clear() {
  if (size_ == 0) return true;
  if (::ftruncate(fd_, 0) != 0 || ::fdatasync(fd_) != 0) return false;
  size_ = 0;
  return true;
}

}  // namespace strata
