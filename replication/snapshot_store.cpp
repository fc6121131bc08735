// The snapshot store: its layout, records, listing, sweep, copy and verify (snapshot_store.h).
#include "replication/snapshot_store.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "io/local_path_policy.h"
#include "planner/clock_functions.h"
#include "sql/error.h"
#include "storage/block_store.h"
#include "storage/object_layout.h"

namespace strata {

void CheckSnapshotName(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 255 && std::isalnum(static_cast<unsigned char>(name[0]));
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) ok = false;
  }
  if (!ok) {
    throw SqlError(sqlstate::kInvalidName, StrCat("invalid snapshot name \"", name, "\""))
        .WithHint("A snapshot name is 1 to 255 letters, digits, '_', '-' or '.', starting with a letter or digit.");
  }
}

std::string NormalizeSnapshotLocation(const std::string& location) {
  std::string l = location;
  if (l.rfind("s3://", 0) == 0) {
    if (l.size() <= 5 || l[5] == '/') {
      throw SqlError(sqlstate::kInvalidParameterValue, StrCat("invalid snapshot location \"", location, "\": no bucket"));
    }
  } else if (l.rfind("file://", 0) == 0 || (!l.empty() && l[0] == '/')) {
    std::string path = l.rfind("file://", 0) == 0 ? l.substr(7) : l;
    if (path.empty() || path[0] != '/') {
      throw SqlError(sqlstate::kInvalidParameterValue,
                     StrCat("invalid snapshot location \"", location, "\": expected file:///absolute/folder"));
    }
    l = "file://" + path;
  } else {
    throw SqlError(sqlstate::kInvalidParameterValue,
                   StrCat("invalid snapshot location \"", location, "\": expected s3://bucket/prefix/ or file:///folder/"));
  }
  if (l.back() != '/') l.push_back('/');
  return l;
}

SnapshotStore::SnapshotStore(const std::string& location, const ObjectStoreConfig& config)
    : location_(NormalizeSnapshotLocation(location)) {
  ObjectStoreConfig c = config;
  c.local_files_allowed = true;
  store_ = OpenObjectStore(location_, c);
}

std::string SnapshotStore::SnapshotUrl(const std::string& name, const char* file) const {
  return JoinObjectUrl(location_, StrCat("snapshots/", name, "/", file));
}

std::optional<std::string> SnapshotStore::ReadOptional(const std::string& url) {
  TrustedLocalAccess trusted;
  try {
    return ReadAllBytes(*store_->OpenRead(url));
  } catch (const SqlError& e) {
    if (e.sqlstate() == std::string(sqlstate::kUndefinedFile)) return std::nullopt;
    throw;
  }
}

namespace {

void WriteObject(ObjectStore& store, const std::string& url, const std::string& bytes) {
  TrustedLocalAccess trusted;
  auto sink = store.OpenWrite(url);
  sink->Append(bytes);
  sink->Finish();
}

}  // namespace

std::vector<SnapshotListing> SnapshotStore::List() {
  std::vector<ObjectInfo> files;
  {
    TrustedLocalAccess trusted;
    files = store_->List(JoinObjectUrl(location_, "snapshots/"));
  }
  std::string prefix = JoinObjectUrl(location_, "snapshots/");
  std::map<std::string, SnapshotListing> by_name;
  for (const auto& f : files) {
    // Local listings give paths; S3 listings give URLs: compare on the part after "snapshots/".
    size_t at = f.url.rfind("/snapshots/");
    if (at == std::string::npos) continue;
    std::string rest = f.url.substr(at + 11);
    size_t slash = rest.find('/');
    if (slash == std::string::npos) continue;
    std::string name = rest.substr(0, slash), file = rest.substr(slash + 1);
    if (file != "started.pb" && file != "snapshot.pb") continue;
    SnapshotListing& l = by_name[name];
    l.name = name;
    auto bytes = ReadOptional(SnapshotUrl(name, file.c_str()));
    if (!bytes) continue;  // removed meanwhile
    if (file == "started.pb") {
      l.has_started = l.started.ParseFromString(*bytes);
    } else if (l.record.ParseFromString(*bytes)) {
      l.complete = true;
      l.record.clear_catalog();
      l.record.clear_objects();
    }
  }
  (void)prefix;
  std::vector<SnapshotListing> out;
  for (auto& [name, l] : by_name) {
    if (l.complete || l.has_started) out.push_back(std::move(l));
  }
  auto start = [](const SnapshotListing& l) { return l.complete ? l.record.start_time() : l.started.start_time(); };
  std::stable_sort(out.begin(), out.end(), [&](const auto& a, const auto& b) { return start(a) < start(b); });
  return out;
}

bool SnapshotStore::Exists(const std::string& name) {
  return ReadOptional(SnapshotUrl(name, "snapshot.pb")).has_value() ||
         ReadOptional(SnapshotUrl(name, "started.pb")).has_value();
}

replication::SnapshotRecord SnapshotStore::Read(const std::string& name) {
  CheckSnapshotName(name);
  auto bytes = ReadOptional(SnapshotUrl(name, "snapshot.pb"));
  if (!bytes) {
    if (ReadOptional(SnapshotUrl(name, "started.pb"))) {
      throw SqlError(sqlstate::kObjectNotInPrerequisiteState,
                     StrCat("snapshot \"", name, "\" in ", location_, " is not complete"))
          .WithDetail("It was started but never finished (it is in progress, or was interrupted).");
    }
    throw SqlError(sqlstate::kUndefinedObject, StrCat("snapshot \"", name, "\" does not exist in ", location_));
  }
  replication::SnapshotRecord r;
  if (!r.ParseFromString(*bytes)) {
    throw SqlError(sqlstate::kDataCorrupted, StrCat("the record of snapshot \"", name, "\" in ", location_, " does not parse"));
  }
  return r;
}

void SnapshotStore::WriteStarted(const replication::SnapshotStarted& s) {
  WriteObject(*store_, SnapshotUrl(s.name(), "started.pb"), s.SerializeAsString());
}

void SnapshotStore::WriteRecord(const replication::SnapshotRecord& r) {
  WriteObject(*store_, SnapshotUrl(r.name(), "snapshot.pb"), r.SerializeAsString());
  TrustedLocalAccess trusted;
  store_->Delete(SnapshotUrl(r.name(), "started.pb"));  // complete now: the marker has served
}

void SnapshotStore::RemoveRecords(const std::string& name) {
  CheckSnapshotName(name);
  if (!Exists(name)) {
    throw SqlError(sqlstate::kUndefinedObject, StrCat("snapshot \"", name, "\" does not exist in ", location_));
  }
  TrustedLocalAccess trusted;
  store_->Delete(SnapshotUrl(name, "snapshot.pb"));  // first: from here on it is not complete
  store_->Delete(SnapshotUrl(name, "started.pb"));
}

std::unordered_set<std::string> SnapshotStore::ExistingIds() {
  TrustedLocalAccess trusted;
  std::unordered_set<std::string> ids;
  for (const char* dir : {"blocks/", "manifests/"}) {
    for (const auto& o : store_->List(JoinObjectUrl(location_, dir))) {
      std::string base = o.url.substr(o.url.rfind('/') + 1);
      if (IsContentId(base)) ids.insert(base);
    }
  }
  return ids;
}

std::string SnapshotStore::UrlOf(const replication::StoredObject& o) const {
  return o.manifest() ? StoredManifestUrl(location_, o.id()) : StoredBlockUrl(location_, o.id());
}

std::string SnapshotStore::Fetch(const replication::StoredObject& o) {
  return FetchVerified(*store_, UrlOf(o), o.id(), StrCat(o.manifest() ? "manifest " : "block ", o.id()));
}

void SnapshotStore::Put(const replication::StoredObject& o, const std::string& bytes) {
  WriteObject(*store_, UrlOf(o), bytes);
}

SweepResult SnapshotStore::Sweep(const std::unordered_set<std::string>& ignore_markers) {
  SweepResult result;
  std::unordered_set<std::string> live;
  int64_t now = ClockMicros();
  for (const SnapshotListing& l : List()) {
    if (!l.complete) {
      if (ignore_markers.count(l.name) == 0 && now - l.started.start_time() < kInProgressHorizonMicros) {
        result.blocked_by = l.name;
        return result;
      }
      continue;
    }
    replication::SnapshotRecord r = Read(l.name);
    for (const auto& o : r.objects()) live.insert(o.id());
  }
  TrustedLocalAccess trusted;
  for (const char* dir : {"blocks/", "manifests/"}) {
    for (const auto& o : store_->List(JoinObjectUrl(location_, dir))) {
      std::string base = o.url.substr(o.url.rfind('/') + 1);
      if (!IsContentId(base) || live.count(base) > 0) continue;
      store_->Delete(o.url);
      ++result.objects_removed;
      result.bytes_removed += o.size;
    }
  }
  return result;
}

void ParallelFor(size_t n, int threads, const std::function<void(size_t)>& fn) {
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr first;
  std::mutex mu;
  auto work = [&] {
    for (;;) {
      size_t i = next++;
      if (i >= n || failed.load()) return;
      try {
        fn(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mu);
        if (!first) first = std::current_exception();
        failed = true;
      }
    }
  };
  int t = static_cast<int>(std::min<size_t>(n, static_cast<size_t>(std::max(threads, 1))));
  std::vector<std::thread> pool;
  for (int i = 1; i < t; ++i) pool.emplace_back(work);
  work();
  for (auto& th : pool) th.join();
  if (first) std::rethrow_exception(first);
}

int64_t CopySnapshot(SnapshotStore& from, SnapshotStore& to, const std::string& name,
                     const std::function<void(int64_t)>& progress, int64_t* total_bytes) {
  replication::SnapshotRecord r = from.Read(name);
  if (total_bytes) *total_bytes = r.total_bytes();
  std::unordered_set<std::string> there = to.ExistingIds();
  std::atomic<int64_t> uploaded{0};
  ParallelFor(r.objects_size(), 8, [&](size_t i) {
    const auto& o = r.objects(static_cast<int>(i));
    if (there.count(o.id()) == 0) {
      to.Put(o, from.Fetch(o));  // checked on the way: a corrupt source object is not copied
      uploaded += o.size();
    }
    if (progress) progress(o.size());
  });
  replication::SnapshotRecord copy = r;
  copy.set_uploaded_bytes(uploaded.load());
  to.WriteRecord(copy);
  return uploaded.load();
}

std::vector<std::string> VerifySnapshot(SnapshotStore& store, const std::string& name,
                                        const std::function<void(int64_t)>& progress, int64_t* total_bytes) {
  replication::SnapshotRecord r = store.Read(name);
  if (total_bytes) *total_bytes = r.total_bytes();
  std::vector<std::string> problems;
  std::mutex mu;
  ParallelFor(r.objects_size(), 8, [&](size_t i) {
    const auto& o = r.objects(static_cast<int>(i));
    try {
      std::string bytes = store.Fetch(o);
      if (static_cast<int64_t>(bytes.size()) != o.size()) {
        std::lock_guard<std::mutex> lock(mu);
        problems.push_back(StrCat(o.manifest() ? "manifest " : "block ", o.id(), ": size ", bytes.size(), ", expected ", o.size()));
      }
    } catch (const SqlError& e) {
      std::lock_guard<std::mutex> lock(mu);
      problems.push_back(StrCat(e.what(), e.detail().empty() ? "" : StrCat(" (", e.detail(), ")")));
    }
    if (progress) progress(o.size());
  });
  std::sort(problems.begin(), problems.end());
  return problems;
}

}  // namespace strata
