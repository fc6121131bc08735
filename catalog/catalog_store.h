// The leader's durable catalog. Readers take an immutable snapshot (shared_ptr to a published
// Catalog version); a transaction works on its own copy and commits it through Commit(), which
// checks for write-write conflicts, writes the whole new catalog durably (temp file, fsync,
// rename) and only then publishes it. The file write is the commit point.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "catalog/catalog.pb.h"

namespace strata {

using CatalogPtr = std::shared_ptr<const catalog::Catalog>;

// What a transaction changed, relative to the catalog version it started from.
struct CatalogChanges {
  std::set<int64_t> created;                 // table ids new in this transaction
  std::set<int64_t> dropped;                 // table ids dropped
  std::map<int64_t, int64_t> written;        // table id -> version it was based on
  std::set<std::string> users;               // user names created, altered or dropped
  std::set<std::string> schemas;             // schema names created, altered or dropped
  std::set<std::string> functions;           // FunctionKey()s created, replaced or dropped
};

class CatalogStore {
 public:
  // Loads `path` if it exists, else starts an empty catalog for the given cluster shape.
  CatalogStore(std::string path, int compute_nodes, int slices_per_node);

  CatalogPtr Current() const;
  // Applies `changes` taken from `working` on top of the current version. Throws SqlError
  // 40001 when a table written here was committed by someone else meanwhile, 42P07 when a
  // created name now exists.
  void Commit(const catalog::Catalog& working, const CatalogChanges& changes);
  // Allocates a new table id (not durable until a commit uses it).
  int64_t NextTableId();

 private:
  void Persist(const catalog::Catalog& c);

  std::string path_;
  mutable std::mutex mu_;
  CatalogPtr current_;
  int64_t next_id_ = 0;
};

const catalog::Table* FindTable(const catalog::Catalog& c, const std::string& schema,
                                const std::string& name);
const catalog::Table* FindTableById(const catalog::Catalog& c, int64_t id);
catalog::Table* FindMutableTableById(catalog::Catalog* c, int64_t id);
// Users (catalog/catalog_users.cpp). The id of the next user to create (ids start at 100).
const catalog::User* FindUser(const catalog::Catalog& c, const std::string& name);
catalog::User* FindMutableUser(catalog::Catalog* c, const std::string& name);
int64_t NextUserId(const catalog::Catalog& c);
// Applies the user changes of `working` (the users named in `names`: created, altered or
// dropped there) on top of `next`, at commit. Throws 42710 when a user created here was created
// by another transaction meanwhile.
void MergeUserChanges(const catalog::Catalog& working, const std::set<std::string>& names, catalog::Catalog* next);
// Schemas (catalog/catalog_schemas.cpp). Whether `name` exists (see catalog.proto's Schema).
bool SchemaExists(const catalog::Catalog& c, const std::string& name);
const catalog::Schema* FindSchema(const catalog::Catalog& c, const std::string& name);
// Every schema that exists other than pg_catalog, public and information_schema, sorted.
std::vector<std::string> OtherSchemas(const catalog::Catalog& c);
// Applies the schema changes of `working` (the names in `names`: created, renamed, altered or
// dropped there) on top of `next`, at commit.
void MergeSchemaChanges(const catalog::Catalog& working, const std::set<std::string>& names, catalog::Catalog* next);
// Functions and procedures (catalog/catalog_functions.cpp). A function's identity for conflicts
// and merging: "schema.name(type ids)"; argument types compare without their modifiers.
std::string FunctionKey(const catalog::Function& f);
const catalog::Function* FindFunctionByKey(const catalog::Catalog& c, const std::string& key);
// The oid the next created function takes (20000 and up).
int64_t NextFunctionOid(const catalog::Catalog& c);
// Applies the function changes of `working` (the keys in `keys`) on top of `next`, at commit.
void MergeFunctionChanges(const catalog::Catalog& working, const std::set<std::string>& keys, catalog::Catalog* next);
// Widens a column's recorded value range (the planner's distinct-value bound) to [min, max].
void WidenValueRange(catalog::Column* c, int64_t min, int64_t max);

}  // namespace strata
