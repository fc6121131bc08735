// The leader's durable catalog. Readers take an immutable CatalogVersion (shared_ptr to a
// published version); a transaction edits its own view of one (CatalogTransaction) and commits it
// through Commit(), which checks for write-write conflicts, writes the tables it changed and then
// the new root durably, and only then publishes the new version. Writing the root is the commit
// point.
//
// On disk, under DIR/leader/catalog/: `root.pb` (CatalogRoot: everything but the tables, and the
// file of each table) and `tables/<id>.<version>.pb`, one per committed table version. A commit
// writes the files of the tables it changed and a root of a few bytes per table, not the whole
// catalog; files no root names any more are removed after the commit (and at start-up, after a
// crash). A catalog written by an earlier Strata as one file (DIR/leader/catalog.pb) is converted
// at start-up.
//
// Between checkpoints a commit does not write those files: it appends its root and changed
// tables to DIR/leader/catalog/commit.log (catalog_log.h), one fdatasync, and that append is the
// commit point. A checkpoint (the log past kCatalogCheckpointBytes, a change of the cluster's
// shape, a start-up that replayed records) writes the files as above and empties the log; the
// files of superseded versions go after it.
#pragma once

#include <functional>

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "catalog/catalog.pb.h"
#include "catalog/catalog_log.h"
#include "catalog/catalog_version.h"

namespace strata {

// What a transaction changed, relative to the catalog version it started from.
struct CatalogChanges {
  std::set<int64_t> created;                 // table ids new in this transaction
  std::set<int64_t> dropped;                 // table ids dropped
  std::map<int64_t, int64_t> written;        // table id -> version it was based on
  std::set<std::string> users;               // user names created, altered or dropped
  std::set<std::string> schemas;             // schema names created, altered or dropped
  std::set<std::string> functions;           // FunctionKey()s created, replaced or dropped
  // Groups, roles, the database's privileges or default privileges changed (catalog.proto's
  // security_version): committed whole, and only over the version the transaction started from.
  bool security = false;
  int64_t security_base = 0;
  // An elastic resize (server/resize.h): the catalog's node count and slice map become these.
  bool reshape = false;
  int reshape_nodes = 0;
  std::vector<int> reshape_slice_node;
};

// The cluster shape recorded in the catalog under the leader's folder `dir`, without loading the
// tables; false when there is no catalog there yet.
bool ReadCatalogShape(const std::string& dir, int* compute_nodes, int* slices_per_node);

class CatalogStore {
 public:
  // Loads the catalog kept under the leader's folder `dir` (converting one written as a single
  // file), else starts an empty catalog for the given cluster shape.
  CatalogStore(std::string dir, int compute_nodes, int slices_per_node);

  CatalogPtr Current() const;
  // Applies `changes` taken from `working` on top of the current version. Throws SqlError
  // 40001 when a table written here was committed by someone else meanwhile, 42P07 when a
  // created name now exists.
  void Commit(const CatalogVersion& working, const CatalogChanges& changes);
  // Runs before every commit that changes something, outside the store's lock (the leader's
  // mirroring, server/failover.h: the new manifests reach their mirrors first). What it returns
  // is held until the commit has ended; it throws to refuse the commit. Set before use.
  using CommitHook = std::function<std::shared_ptr<void>(const CatalogVersion& working, const CatalogChanges& changes)>;
  void SetCommitHook(CommitHook hook) { hook_ = std::move(hook); }
  // Allocates a new table id (not durable until a commit uses it).
  int64_t NextTableId();
  // Tests: the log is checkpointed past this many bytes (default kCatalogCheckpointBytes).
  void set_checkpoint_bytes(int64_t n) { checkpoint_bytes_ = n; }

 private:
  // Writes the files of `changed` tables (fsynced, one folder fsync), then the root of `next`.
  void Persist(const CatalogVersion& next, const std::vector<const catalog::Table*>& changed);
  // Commits `next`: appends it to the log, or (with `checkpoint`, or the log full) writes the
  // files of `changed` and of the tables only the log held, then root.pb, and empties the log.
  // Returns whether it checkpointed.
  bool PersistCommit(const CatalogVersion& next, const std::vector<const catalog::Table*>& changed, bool checkpoint);
  // Removes the table files that `current_`'s root does not name.
  void RemoveUnnamedTableFiles();
  std::string TableFilePath(int64_t id, int64_t version) const;

  std::string root_path_;
  std::string tables_dir_;
  mutable std::mutex mu_;
  CatalogPtr current_;
  int64_t next_id_ = 0;
  std::unique_ptr<CatalogLog> log_;  // GUARDED_BY(mu_) after construction
  std::set<int64_t> unfiled_;        // GUARDED_BY(mu_): tables whose version only the log holds
  int64_t checkpoint_bytes_ = kCatalogCheckpointBytes;
  CommitHook hook_;
};

const catalog::Table* FindTable(const CatalogVersion& c, const std::string& schema, const std::string& name);
const catalog::Table* FindTableById(const CatalogVersion& c, int64_t id);
// Users (catalog/catalog_users.cpp). The id of the next user to create (ids start at 100).
const catalog::User* FindUser(const catalog::Catalog& meta, const std::string& name);
inline const catalog::User* FindUser(const CatalogVersion& c, const std::string& name) { return FindUser(c.meta(), name); }
catalog::User* FindMutableUser(catalog::Catalog* c, const std::string& name);
int64_t NextUserId(const catalog::Catalog& meta);
inline int64_t NextUserId(const CatalogVersion& c) { return NextUserId(c.meta()); }
// Applies the user changes of `working` (the users named in `names`: created, altered or
// dropped there) on top of `next`, at commit. Throws 42710 when a user created here was created
// by another transaction meanwhile.
void MergeUserChanges(const catalog::Catalog& working, const std::set<std::string>& names, catalog::Catalog* next);
// Schemas (catalog/catalog_schemas.cpp). Whether `name` exists (see catalog.proto's Schema).
bool SchemaExists(const CatalogVersion& c, const std::string& name);
const catalog::Schema* FindSchema(const catalog::Catalog& meta, const std::string& name);
inline const catalog::Schema* FindSchema(const CatalogVersion& c, const std::string& name) { return FindSchema(c.meta(), name); }
// Every schema that exists other than pg_catalog, public and information_schema, sorted.
std::vector<std::string> OtherSchemas(const CatalogVersion& c);
// Applies the schema changes of `working` (the names in `names`: created, renamed, altered or
// dropped there) on top of `next`, at commit.
void MergeSchemaChanges(const catalog::Catalog& working, const std::set<std::string>& names, catalog::Catalog* next);
// Functions and procedures (catalog/catalog_functions.cpp). A function's identity for conflicts
// and merging: "schema.name(type ids)"; argument types compare without their modifiers.
std::string FunctionKey(const catalog::Function& f);
const catalog::Function* FindFunctionByKey(const catalog::Catalog& meta, const std::string& key);
inline const catalog::Function* FindFunctionByKey(const CatalogVersion& c, const std::string& key) {
  return FindFunctionByKey(c.meta(), key);
}
// The oid the next created function takes (20000 and up).
int64_t NextFunctionOid(const catalog::Catalog& meta);
inline int64_t NextFunctionOid(const CatalogVersion& c) { return NextFunctionOid(c.meta()); }
// Applies the function changes of `working` (the keys in `keys`) on top of `next`, at commit.
void MergeFunctionChanges(const catalog::Catalog& working, const std::set<std::string>& keys, catalog::Catalog* next);
// Widens a column's recorded value range (the planner's distinct-value bound) to [min, max].
void WidenValueRange(catalog::Column* c, int64_t min, int64_t max);

}  // namespace strata
