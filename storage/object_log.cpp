// The segment files of a store's small objects (see object_log.h): appending with group
// commit, recovery at start-up, reads, and garbage collection that rewrites mostly-dead segments.
//
// A record is a 28-byte header -- magic "SOL1", kind (1 block, 2 manifest), three zero bytes,
// the payload's length (u32, little-endian), the id as 16 binary bytes -- then the payload.
#include "storage/object_log.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <algorithm>
#include <cstring>
#include <vector>

#include "io/file_io.h"
#include "sql/error.h"
#include "storage/block_store.h"
#include "storage/fault_point.h"

namespace strata {
namespace {

constexpr uint32_t kMagic = 0x314C4F53;  // "SOL1"
constexpr int64_t kHeaderBytes = 28;

[[noreturn]] void ThrowLogIo(const char* what, const std::string& path, int err) {
  STRATA_USER_ERROR(sqlstate::kIoError, "could not ", what, " object log \"", path, "\": ",
                    static_cast<const char*>(std::strerror(err)));
}

int HexDigit(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

void IdToBinary(const std::string& id, uint8_t* out) {
  for (int i = 0; i < 16; ++i) out[i] = static_cast<uint8_t>(HexDigit(id[2 * i]) << 4 | HexDigit(id[2 * i + 1]));
}

std::string IdFromBinary(const uint8_t* in) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(32, '0');
  for (int i = 0; i < 16; ++i) {
    id[2 * i] = kHex[in[i] >> 4];
    id[2 * i + 1] = kHex[in[i] & 15];
  }
  return id;
}

void PutU32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

uint32_t GetU32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

std::mutex registry_mu;
std::map<std::string, std::weak_ptr<ObjectLog>>& Registry() {
  static auto* registry = new std::map<std::string, std::weak_ptr<ObjectLog>>();
  return *registry;
}

}  // namespace

struct ObjectLog::Segment {
  int64_t seq = 0;
  std::string path;
  int fd = -1;
  int64_t size = 0;        // bytes of good records
  int64_t live_bytes = 0;  // of records an index entry points to
  bool dirty = false;      // written since its last fdatasync
  ~Segment() {
    if (fd >= 0) ::close(fd);
  }
};

std::shared_ptr<ObjectLog> ObjectLog::Open(const std::string& root) {
  std::string dir = root + "/log";
  std::lock_guard<std::mutex> lock(registry_mu);
  auto& slot = Registry()[dir];
  if (auto log = slot.lock()) return log;
  std::shared_ptr<ObjectLog> log(new ObjectLog(dir));
  slot = log;
  return log;
}

ObjectLog::ObjectLog(std::string dir) : dir_(std::move(dir)) { Recover(); }

ObjectLog::~ObjectLog() = default;

namespace {

// The sequence numbers of the segment files in `dir`, in order.
std::vector<int64_t> SegmentSeqs(const std::string& dir) {
  std::vector<int64_t> seqs;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (const dirent* e = ::readdir(d)) {
      std::string name = e->d_name;
      if (name.size() != 12 || name.compare(8, 4, ".seg") != 0) continue;
      if (name.find_first_not_of("0123456789") != 8) continue;
      seqs.push_back(std::stoll(name.substr(0, 8)));
    }
    ::closedir(d);
  }
  std::sort(seqs.begin(), seqs.end());
  return seqs;
}

// The record at `at` of the segment open at `fd`, checked against its id: its kind, id and
// payload; false when there is none (end of file, a torn or damaged record).
bool ReadRecord(int fd, int64_t at, ObjectLog::Kind* kind, std::string* id, std::string* payload) {
  uint8_t header[kHeaderBytes];
  if (!ReadExactlyAt(fd, at, reinterpret_cast<char*>(header), kHeaderBytes)) return false;
  uint32_t length = GetU32(header + 8);
  if (GetU32(header) != kMagic || (header[4] != 1 && header[4] != 2) || length > kLogObjectBytes) return false;
  payload->resize(length);
  if (!ReadExactlyAt(fd, at + kHeaderBytes, payload->data(), length)) return false;
  *id = IdFromBinary(header + 12);
  if (ContentId(*payload) != *id) return false;
  *kind = static_cast<ObjectLog::Kind>(header[4]);
  return true;
}

// The offset of the next good record after `from`, or -1: after damage in the middle of a
// segment, the records behind it are found again by their magic and checked against their ids.
int64_t NextRecordAfter(int fd, int64_t from) {
  constexpr size_t kChunk = size_t{1} << 20;
  std::string buf(kChunk + 3, '\0');
  ObjectLog::Kind kind;
  std::string id, payload;
  for (int64_t at = from;;) {
    ssize_t n = ::pread(fd, buf.data(), buf.size(), at);
    if (n < 0 && errno == EINTR) continue;
    if (n < 4) return -1;
    for (ssize_t i = 0; i + 4 <= n; ++i) {
      if (GetU32(reinterpret_cast<const uint8_t*>(buf.data()) + i) != kMagic) continue;
      if (ReadRecord(fd, at + i, &kind, &id, &payload)) return at + i;
    }
    at += n - 3;  // a magic across the chunk's end is found in the next one
  }
}

// Calls `each(kind, id, size, offset of the payload)` for the good records of the segment open
// at `fd`, skipping damaged bytes between good records (counted in *damaged); returns the end of
// the last good record.
template <typename Each>
int64_t ScanSegment(int fd, Each each, int64_t* damaged = nullptr) {
  int64_t at = 0, end = 0;
  ObjectLog::Kind kind;
  std::string id, payload;
  for (;;) {
    if (!ReadRecord(fd, at, &kind, &id, &payload)) {
      int64_t next = NextRecordAfter(fd, at + 1);
      if (next < 0) return end;
      if (damaged != nullptr) *damaged += next - at;
      at = next;
      continue;
    }
    each(kind, id, static_cast<int64_t>(payload.size()), at + kHeaderBytes);
    at += kHeaderBytes + static_cast<int64_t>(payload.size());
    end = at;
  }
}

}  // namespace

constexpr uint32_t kDeadMagic = 0x31444F53;  // "SOD1"
constexpr size_t kDeadEntryBytes = 1 + 8 + 8 + 16;

std::vector<ObjectLog::Dead> ObjectLog::ReadDeadFile(const std::string& dir) {
  std::vector<Dead> out;
  const std::string path = dir + "/dead";
  if (!PathExists(path)) return out;
  std::string bytes = ReadFileBytes(path);  // written whole (WriteFileDurably): never torn
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  if (bytes.size() < 4 || GetU32(p) != kDeadMagic || (bytes.size() - 4) % kDeadEntryBytes != 0) {
    std::fprintf(stderr, "object log %s: the list of dropped records is damaged; ignored\n", path.c_str());
    return out;
  }
  for (size_t at = 4; at < bytes.size(); at += kDeadEntryBytes) {
    uint64_t seq = 0, offset = 0;
    for (int i = 7; i >= 0; --i) seq = seq << 8 | p[at + 1 + i];
    for (int i = 7; i >= 0; --i) offset = offset << 8 | p[at + 9 + i];
    out.push_back(Dead{static_cast<Kind>(p[at]), static_cast<int64_t>(seq), static_cast<int64_t>(offset), IdFromBinary(p + at + 17)});
  }
  return out;
}

void ObjectLog::WriteDeadFileLocked() {
  std::string bytes(4 + dead_.size() * kDeadEntryBytes, '\0');
  auto* p = reinterpret_cast<uint8_t*>(bytes.data());
  PutU32(p, kDeadMagic);
  size_t at = 4;
  for (const Dead& d : dead_) {
    p[at] = static_cast<uint8_t>(d.kind);
    for (int i = 0; i < 8; ++i) p[at + 1 + i] = static_cast<uint8_t>(static_cast<uint64_t>(d.seq) >> (8 * i));
    for (int i = 0; i < 8; ++i) p[at + 9 + i] = static_cast<uint8_t>(static_cast<uint64_t>(d.offset) >> (8 * i));
    IdToBinary(d.id, p + at + 17);
    at += kDeadEntryBytes;
  }
  WriteFileDurably(dir_ + "/dead", bytes);
}

std::vector<ObjectLog::Listed> ObjectLog::ListFolder(const std::string& root) {
  const std::string dir = root + "/log";
  struct Where {
    int64_t seq, offset, size;
  };
  std::map<std::pair<int, std::string>, Where> seen;
  for (int64_t seq : SegmentSeqs(dir)) {
    char name[32];
    std::snprintf(name, sizeof(name), "/%08lld.seg", static_cast<long long>(seq));
    int fd = ::open((dir + name).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;  // collected meanwhile
    ScanSegment(fd, [&](Kind kind, const std::string& id, int64_t size, int64_t offset) {
      seen[{static_cast<int>(kind), id}] = Where{seq, offset, size};
    });
    ::close(fd);
  }
  for (const Dead& d : ReadDeadFile(dir)) {
    auto it = seen.find({static_cast<int>(d.kind), d.id});
    if (it != seen.end() && it->second.seq == d.seq && it->second.offset == d.offset) seen.erase(it);
  }
  std::vector<Listed> out;
  for (const auto& [key, where] : seen) {
    char name[32];
    std::snprintf(name, sizeof(name), "/%08lld.seg", static_cast<long long>(where.seq));
    out.push_back(Listed{static_cast<Kind>(key.first), key.second, where.size, dir + name, where.offset});
  }
  return out;
}

void ObjectLog::Recover() {
  std::vector<int64_t> seqs = SegmentSeqs(dir_);
  for (size_t i = 0; i < seqs.size(); ++i) {
    auto seg = std::make_shared<Segment>();
    seg->seq = seqs[i];
    char name[32];
    std::snprintf(name, sizeof(name), "/%08lld.seg", static_cast<long long>(seqs[i]));
    seg->path = dir_ + name;
    seg->fd = ::open(seg->path.c_str(), O_RDWR | O_CLOEXEC);
    if (seg->fd < 0) ThrowLogIo("open", seg->path, errno);
    struct stat st;
    if (::fstat(seg->fd, &st) != 0) ThrowLogIo("stat", seg->path, errno);
    int64_t damaged = 0;
    int64_t good = Load(seg, &damaged);
    if (damaged > 0) {
      // Damage between good records: the objects in it are missing (a read of one is 58030, a
      // mirror or a snapshot has it), the records around it are kept.
      std::fprintf(stderr, "object log %s: %lld damaged bytes skipped\n", seg->path.c_str(), static_cast<long long>(damaged));
    }
    if (good < st.st_size) {
      // After the last good record: appends a crash cut short, never acknowledged. Only the
      // last segment is appended to; an earlier one's tail is damage, left as it is.
      if (i + 1 != seqs.size()) {
        std::fprintf(stderr, "object log %s: %lld damaged bytes after offset %lld ignored\n", seg->path.c_str(),
                     static_cast<long long>(st.st_size - good), static_cast<long long>(good));
      } else if (::ftruncate(seg->fd, good) != 0 || ::fdatasync(seg->fd) != 0) {
        ThrowLogIo("truncate", seg->path, errno);
      }
    }
    seg->size = good;
    segments_[seg->seq] = seg;
    active_ = seg;
  }
  // Records garbage collection dropped stay dropped.
  for (Dead& d : ReadDeadFile(dir_)) {
    if (!segments_.count(d.seq)) continue;
    Index& index = IndexOf(d.kind);
    auto it = index.find(d.id);
    if (it != index.end() && it->second.segment->seq == d.seq && it->second.offset == d.offset) {
      it->second.segment->live_bytes -= kHeaderBytes + it->second.size;
      index.erase(it);
    }
    dead_.push_back(std::move(d));
  }
}

int64_t ObjectLog::Load(const std::shared_ptr<Segment>& seg, int64_t* damaged) {
  auto now = std::chrono::steady_clock::now();
  return ScanSegment(
      seg->fd,
      [&](Kind kind, const std::string& id, int64_t size, int64_t offset) {
        Index& index = IndexOf(kind);
        auto [it, fresh] = index.try_emplace(id);
        if (!fresh) it->second.segment->live_bytes -= kHeaderBytes + it->second.size;  // a copy made by Collect
        it->second = Entry{seg, offset, size, now};
        seg->live_bytes += kHeaderBytes + size;
      },
      damaged);
}

bool ObjectLog::Contains(Kind kind, const std::string& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  return IndexOf(kind).count(id) > 0;
}

std::optional<int64_t> ObjectLog::SizeOf(Kind kind, const std::string& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = IndexOf(kind).find(id);
  if (it == IndexOf(kind).end()) return std::nullopt;
  return it->second.size;
}

std::optional<std::string> ObjectLog::Read(Kind kind, const std::string& id) const {
  Entry e;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = IndexOf(kind).find(id);
    if (it == IndexOf(kind).end()) return std::nullopt;
    e = it->second;  // the segment stays open while we hold it, even if Collect drops it
  }
  std::string bytes(static_cast<size_t>(e.size), '\0');
  if (!ReadExactlyAt(e.segment->fd, e.offset, bytes.data(), bytes.size()) || ContentId(bytes) != id) {
    throw SqlError(sqlstate::kDataCorrupted, StrCat(kind == Kind::kBlock ? "block " : "manifest ", id, " is corrupted"))
        .WithDetail(StrCat("Its record in \"", e.segment->path, "\" does not match its id."));
  }
  return bytes;
}

void ObjectLog::RollLocked() {
  if (active_) active_->dirty = true;  // synced by the next Sync with the rest
  int64_t seq = active_ ? active_->seq + 1 : 1;
  if (!active_) MakeDirectories(dir_);
  auto seg = std::make_shared<Segment>();
  seg->seq = seq;
  char name[32];
  std::snprintf(name, sizeof(name), "/%08lld.seg", static_cast<long long>(seq));
  seg->path = dir_ + name;
  seg->fd = ::open(seg->path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (seg->fd < 0) ThrowLogIo("create", seg->path, errno);
  FsyncDirectory(dir_);  // the new segment's name survives a crash
  segments_[seq] = seg;
  active_ = seg;
}

void ObjectLog::AppendLocked(Kind kind, const std::string& id, std::string_view bytes) {
  const int64_t record = kHeaderBytes + static_cast<int64_t>(bytes.size());
  if (!active_ || (active_->size > 0 && active_->size + record > segment_bytes_)) RollLocked();
  std::string buf(static_cast<size_t>(record), '\0');
  auto* h = reinterpret_cast<uint8_t*>(buf.data());
  PutU32(h, kMagic);
  h[4] = static_cast<uint8_t>(kind);
  PutU32(h + 8, static_cast<uint32_t>(bytes.size()));
  IdToBinary(id, h + 12);
  std::memcpy(buf.data() + kHeaderBytes, bytes.data(), bytes.size());
  if (int err = WriteAllAt(active_->fd, active_->size, buf.data(), buf.size()); err != 0) {
    // Nothing after the last good record: a later append writes over it.
    if (::ftruncate(active_->fd, active_->size) != 0) {
    }
    ThrowLogIo("append to", active_->path, err);
  }
  Entry& e = IndexOf(kind)[id];
  if (e.segment) e.segment->live_bytes -= kHeaderBytes + e.size;  // moved by Collect
  e = Entry{active_, active_->size + kHeaderBytes, static_cast<int64_t>(bytes.size()), std::chrono::steady_clock::now()};
  active_->size += record;
  active_->live_bytes += record;
  active_->dirty = true;
  ++appended_;
}

void ObjectLog::Append(Kind kind, const std::string& id, std::string_view bytes) {
  if (bytes.size() > kLogObjectBytes) STRATA_INTERNAL_ERROR("object of ", bytes.size(), " bytes appended to an object log");
  if (!IsContentId(id)) STRATA_INTERNAL_ERROR("malformed object id \"", id, "\"");
  std::lock_guard<std::mutex> lock(mu_);
  auto it = IndexOf(kind).find(id);
  if (it != IndexOf(kind).end()) {
    it->second.touched = std::chrono::steady_clock::now();  // young again for Collect
    return;
  }
  AppendLocked(kind, id, bytes);
}

std::vector<std::shared_ptr<ObjectLog::Segment>> ObjectLog::DirtySegmentsLocked() {
  std::vector<std::shared_ptr<Segment>> out;
  for (auto& [seq, seg] : segments_) {
    if (!seg->dirty) continue;
    seg->dirty = false;
    out.push_back(seg);
  }
  return out;
}

void ObjectLog::Sync() {
  uint64_t target;
  {
    std::lock_guard<std::mutex> lock(mu_);
    target = appended_;
  }
  std::lock_guard<std::mutex> sync_lock(sync_mu_);
  if (synced_ >= target) return;  // a sync that started after our appends covered them
  uint64_t upto;
  std::vector<std::shared_ptr<Segment>> dirty;
  {
    std::lock_guard<std::mutex> lock(mu_);
    upto = appended_;
    dirty = DirtySegmentsLocked();
  }
  for (size_t i = 0; i < dirty.size(); ++i) {
    if (::fdatasync(dirty[i]->fd) != 0) {
      int err = errno;
      std::lock_guard<std::mutex> lock(mu_);
      for (size_t j = i; j < dirty.size(); ++j) dirty[j]->dirty = true;
      ThrowLogIo("sync", dirty[i]->path, err);
    }
  }
  synced_ = upto;
  FaultPoint("object_log_synced");
}

ObjectLog::Collected ObjectLog::Collect(const std::unordered_set<std::string>& live_blocks,
                                        const std::unordered_set<std::string>& live_manifests,
                                        std::chrono::steady_clock::time_point fence) {
  Collected out;
  std::vector<std::shared_ptr<Segment>> emptied;
  bool moved = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (Kind kind : {Kind::kBlock, Kind::kManifest}) {
      const auto& live = kind == Kind::kBlock ? live_blocks : live_manifests;
      Index& index = IndexOf(kind);
      for (auto it = index.begin(); it != index.end();) {
        if (live.count(it->first) || it->second.touched >= fence) {
          if (kind == Kind::kBlock) ++out.blocks_kept;
          ++it;
          continue;
        }
        it->second.segment->live_bytes -= kHeaderBytes + it->second.size;
        dead_.push_back(Dead{kind, it->second.segment->seq, it->second.offset, it->first});
        out.bytes_removed += it->second.size;
        ++(kind == Kind::kBlock ? out.blocks_removed : out.manifests_removed);
        it = index.erase(it);
      }
    }
    // Sealed segments that are mostly dead: their live objects move to the active segment.
    for (auto& [seq, seg] : segments_) {
      if (seg == active_) continue;
      if (seg->live_bytes > 0 && seg->live_bytes * 2 >= seg->size) continue;
      if (seg->live_bytes > 0) {
        std::vector<std::pair<Kind, std::string>> here;
        for (Kind kind : {Kind::kBlock, Kind::kManifest}) {
          for (const auto& [id, e] : IndexOf(kind)) {
            if (e.segment == seg) here.emplace_back(kind, id);
          }
        }
        for (const auto& [kind, id] : here) {
          const Entry e = IndexOf(kind)[id];
          std::string bytes(static_cast<size_t>(e.size), '\0');
          if (!ReadExactlyAt(seg->fd, e.offset, bytes.data(), bytes.size())) ThrowLogIo("read", seg->path, EIO);
          AppendLocked(kind, id, bytes);
        }
        moved = true;
        ++out.segments_rewritten;
      }
      emptied.push_back(seg);
    }
  }
  // The copies are durable before the segments that held them go; and every record the dead
  // list will name is durable, so that no crash can cut it off and let a new record take its
  // place (which the list would then drop).
  if (moved || out.blocks_removed + out.manifests_removed > 0) Sync();
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& seg : emptied) {
    if (seg->live_bytes > 0 || seg == active_) continue;
    ::unlink(seg->path.c_str());
    segments_.erase(seg->seq);
  }
  if (out.blocks_removed + out.manifests_removed > 0 || !emptied.empty()) {
    dead_.erase(std::remove_if(dead_.begin(), dead_.end(), [&](const Dead& d) { return !segments_.count(d.seq); }), dead_.end());
    WriteDeadFileLocked();
  }
  return out;
}

bool ObjectLog::HasUnsynced() const {
  uint64_t appended;
  {
    std::lock_guard<std::mutex> lock(mu_);
    appended = appended_;
  }
  std::lock_guard<std::mutex> sync_lock(sync_mu_);
  return synced_ < appended;
}

int64_t ObjectLog::objects() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int64_t>(blocks_.size() + manifests_.size());
}

}  // namespace strata
