// See external_tables.h.
#include "server/external_tables.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include "io/hive_partitions.h"
#include "planner/clock_functions.h"

namespace strata {

std::vector<std::string> PartitionKeyNames(const catalog::Table& t) {
  std::vector<std::string> keys;
  int n = t.external().partition_keys();
  for (int i = t.columns_size() - n; i < t.columns_size(); ++i) keys.push_back(t.columns(i).name());
  return keys;
}

void AddPartition(catalog::ExternalTable* x, const std::vector<std::string>& values, const std::string& location, int64_t now) {
  auto* p = x->add_partitions();
  for (const auto& v : values) {
    p->add_values(v);
    p->add_nulls(v == kHiveNullPartition);
  }
  p->set_location(location);
  p->set_created_at(now);
}

void ApplyTableProperties(catalog::Table* t) {
  auto rows = t->external().table_properties().find("numRows");
  if (rows != t->external().table_properties().end()) t->set_rows(std::max<int64_t>(0, std::atoll(rows->second.c_str())));
}

namespace {

// The part of `url` after `location` ("" when it is not below it).
std::string RelativeTo(const std::string& url, const std::string& location) {
  // Local stores list absolute paths for file:/// locations.
  if (url.rfind(location, 0) != 0) return "";
  return url.substr(location.size());
}

bool IsHidden(const std::string& relative) {
  size_t pos = 0;
  while (pos < relative.size()) {
    size_t slash = relative.find('/', pos);
    std::string seg = relative.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos);
    if (!seg.empty() && (seg[0] == '.' || seg[0] == '_')) return true;
    if (seg.size() > 8 && seg.substr(seg.size() - 8) == "$folder$") return true;
    if (slash == std::string::npos) break;
    pos = slash + 1;
  }
  return false;
}

}  // namespace

std::vector<ObjectInfo> ListDataFiles(const std::string& location, const ObjectStoreConfig& cfg) {
  auto store = OpenObjectStore(location, cfg);
  std::string folder = WithTrailingSlash(location);
  std::vector<ObjectInfo> found = store->List(folder);
  // A local store lists absolute paths: as file:// URLs they read back through the same store
  // and show as such in "$path".
  if (location.rfind("file://", 0) == 0) {
    for (auto& o : found) {
      if (!o.url.empty() && o.url[0] == '/') o.url = "file://" + o.url;
    }
  }
  std::vector<ObjectInfo> out;
  for (auto& o : found) {
    std::string rel = RelativeTo(o.url, folder);
    if (rel.empty() || rel.back() == '/' || IsHidden(rel)) continue;
    out.push_back(std::move(o));
  }
  if (out.empty() && !location.empty() && location.back() != '/') {
    // A location naming one file.
    for (auto& o : store->List(location)) {
      if (location.rfind("file://", 0) == 0 && !o.url.empty() && o.url[0] == '/') o.url = "file://" + o.url;
      if (o.url == location) out.push_back(o);
    }
  }
  return out;
}

int RepairPartitions(catalog::Table* t, const ObjectStoreConfig& cfg) {
  catalog::ExternalTable* x = t->mutable_external();
  std::vector<std::string> keys = PartitionKeyNames(*t);
  for (auto& k : keys) {
    for (char& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  std::set<std::vector<std::string>> known;
  for (const auto& p : x->partitions()) known.insert({p.values().begin(), p.values().end()});
  std::string folder = WithTrailingSlash(x->location());
  std::map<std::vector<std::string>, std::string> found;
  for (const auto& o : ListDataFiles(folder, cfg)) {
    std::string rel = RelativeTo(o.url, folder);
    auto values = HivePartitionValues(rel, keys);
    if (!values || known.count(*values) > 0 || found.count(*values) > 0) continue;
    // The folders as the files name them (writers differ in what they escape).
    size_t end = 0;
    for (size_t i = 0; i < keys.size(); ++i) end = rel.find('/', end) + 1;
    found[*values] = folder + rel.substr(0, end);
  }
  int64_t now = ClockMicros();
  for (const auto& [values, location] : found) AddPartition(x, values, location, now);
  return static_cast<int>(found.size());
}

}  // namespace strata
