// The leader's result cache: a SELECT that reads only the cluster's own tables returns, when run
// again with the same text, parameters, user and settings on unchanged data, the rows it
// returned the first time, without running. An entry records the version of every table the
// query read (Table.version, bumped by every commit that changes a table, GRANTs and RLS
// switches included) and is used only while all of them are unchanged, so a commit invalidates
// exactly the results that read what it changed. The user and the catalog's security version
// (groups, roles, policies) are part of the key: a result is never served to another user or
// under other row-level security or masking. Results over kMaxEntryBytes are not kept; the
// oldest entries go past kMaxTotalBytes. Thread-safe.
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sql/vector.h"

namespace strata {

class ResultCache {
 public:
  static constexpr size_t kMaxEntryBytes = size_t{1} << 20;
  static constexpr size_t kMaxTotalBytes = size_t{64} << 20;

  struct Entry {
    std::map<int64_t, int64_t> table_versions;  // table id -> the version read
    std::vector<Batch> batches;
    int64_t rows = 0;
    int64_t source_query = 0;                   // the query that computed the rows
    size_t bytes = 0;
  };

  // The entry for `key` if every table it read still has the version it read; nullptr else.
  std::shared_ptr<const Entry> Lookup(const std::string& key, const std::map<int64_t, int64_t>& versions_now);
  void Store(const std::string& key, std::shared_ptr<const Entry> entry);
  int64_t hits() const;

 private:
  mutable std::mutex mu_;
  std::list<std::pair<std::string, std::shared_ptr<const Entry>>> lru_;  // newest first
  std::map<std::string, decltype(lru_)::iterator> index_;
  size_t bytes_ = 0;
  int64_t hits_ = 0;
};

}  // namespace strata
