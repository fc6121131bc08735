// The leader's catalog store (see catalog_store.h): load (and convert a single-file catalog),
// commit with conflict checks, write a commit's table files and root, and remove the files of
// replaced versions; users, schemas and functions merge in their own files.
#include "catalog/catalog_store.h"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "catalog/catalog_log.h"
#include "catalog/table_styles.h"
#include "storage/fault_point.h"

#include "sql/error.h"
#include "sql/nesting_limit.h"
#include "io/file_io.h"

namespace strata {

namespace {

constexpr const char* kLegacyFile = "/catalog.pb";  // the whole catalog, before tables had files

// Functions of a catalog written before Function.arg_modes: a procedure's modes followed the
// "v" of its volatility.
void ConvertLegacyFunctions(catalog::Catalog* meta) {
  for (auto& f : *meta->mutable_functions()) {
    if (f.volatility().size() <= 1) continue;
    f.set_arg_modes(f.volatility().substr(1));
    f.set_volatility(f.volatility().substr(0, 1));
  }
}

template <typename Message>
Message ParseCatalogFile(const std::string& path) {
  Message m;
  // Column defaults are expressions: the catalog nests deeper than protobuf's default limit.
  if (!ParseNestedMessage(ReadFileBytes(path), &m)) {
    throw SqlError(sqlstate::kDataCorrupted, "catalog file " + path + " is corrupted");
  }
  return m;
}

}  // namespace

bool ReadCatalogShape(const std::string& dir, int* compute_nodes, int* slices_per_node) {
  catalog::Catalog meta;
  if (PathExists(dir + "/catalog/root.pb")) {
    meta = ParseCatalogFile<catalog::CatalogRoot>(dir + "/catalog/root.pb").meta();
  } else if (PathExists(dir + kLegacyFile)) {
    meta = ParseCatalogFile<catalog::Catalog>(dir + kLegacyFile);
  } else {
    return false;
  }
  *compute_nodes = meta.compute_nodes();
  *slices_per_node = meta.slices_per_node();
  return true;
}

CatalogStore::CatalogStore(std::string dir, int compute_nodes, int slices_per_node)
    : root_path_(dir + "/catalog/root.pb"), tables_dir_(dir + "/catalog/tables") {
  MakeDirectories(tables_dir_);
  const std::string legacy = dir + kLegacyFile;
  std::vector<TablePtr> tables;
  auto meta = std::make_shared<catalog::Catalog>();
  bool write_all = false;
  if (PathExists(root_path_)) {
    auto root = ParseCatalogFile<catalog::CatalogRoot>(root_path_);
    *meta = root.meta();
    for (const auto& f : root.tables()) {
      tables.push_back(std::make_shared<const catalog::Table>(ParseCatalogFile<catalog::Table>(TableFilePath(f.id(), f.version()))));
    }
  } else if (PathExists(legacy)) {
    auto whole = ParseCatalogFile<catalog::Catalog>(legacy);
    for (auto& t : *whole.mutable_tables()) {
      ConvertLegacyStyles(&t);
      tables.push_back(std::make_shared<const catalog::Table>(std::move(t)));
    }
    whole.clear_tables();
    *meta = std::move(whole);
    write_all = true;
  } else {
    meta->set_next_table_id(100000);
    meta->set_compute_nodes(compute_nodes);
    meta->set_slices_per_node(slices_per_node);
    write_all = true;
  }
  // Commits made since root.pb was last written (catalog_log.h), in order.
  log_ = std::make_unique<CatalogLog>(dir + "/catalog/commit.log");
  bool replayed = false;
  for (auto& record : log_->ReadAll()) {
    if (record.root().meta().commit_seq() <= meta->commit_seq()) continue;  // already in root.pb
    std::map<std::pair<int64_t, int64_t>, TablePtr> known;
    for (const auto& t : tables) known[{t->id(), t->version()}] = t;
    for (auto& t : *record.mutable_tables()) {
      unfiled_.insert(t.id());
      const std::pair<int64_t, int64_t> key{t.id(), t.version()};  // before t is moved
      known[key] = std::make_shared<const catalog::Table>(std::move(t));
    }
    tables.clear();
    for (const auto& f : record.root().tables()) {
      auto it = known.find({f.id(), f.version()});
      tables.push_back(it != known.end() ? it->second
                                         : std::make_shared<const catalog::Table>(ParseCatalogFile<catalog::Table>(TableFilePath(f.id(), f.version()))));
    }
    *meta = record.root().meta();
    replayed = true;
  }
  ConvertLegacyFunctions(meta.get());
  // Temporary tables belong to sessions, and no session outlives the leader: the tables of
  // sessions that ended in a crash go now (their blocks become garbage).
  size_t before = tables.size();
  tables.erase(std::remove_if(tables.begin(), tables.end(), [](const TablePtr& t) { return t->temporary(); }), tables.end());
  std::stable_sort(tables.begin(), tables.end(), [](const TablePtr& a, const TablePtr& b) { return a->id() < b->id(); });
  auto version = std::make_shared<CatalogVersion>();
  version->meta_ = std::move(meta);
  version->index_ = CatalogVersion::BuildIndex(std::move(tables));
  if (write_all || replayed || before != version->tables_size()) {
    // Also the checkpoint of replayed commits: their tables get files, root.pb names them.
    std::vector<const catalog::Table*> changed;
    for (const auto& t : version->tables()) {
      if (write_all || unfiled_.count(t.id())) changed.push_back(&t);
    }
    Persist(*version, changed);
    log_->Clear();  // when it cannot, the records are skipped next time (root.pb has them)
    unfiled_.clear();
  }
  next_id_ = version->next_table_id();
  current_ = std::move(version);
  RemoveUnnamedTableFiles();
  // The single-file catalog has been converted: the root now holds it.
  if (PathExists(legacy)) {
    ::unlink(legacy.c_str());
    FsyncDirectory(dir);
  }
}

CatalogPtr CatalogStore::Current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_;
}

int64_t CatalogStore::NextTableId() {
  std::lock_guard<std::mutex> lock(mu_);
  return next_id_++;
}

std::string CatalogStore::TableFilePath(int64_t id, int64_t version) const {
  return StrCat(tables_dir_, "/", id, ".", version, ".pb");
}

namespace {

catalog::CatalogRoot RootOf(const CatalogVersion& v) {
  catalog::CatalogRoot root;
  *root.mutable_meta() = v.meta();
  for (const auto& t : v.tables()) {
    auto* f = root.add_tables();
    f->set_id(t.id());
    f->set_version(t.version());
  }
  return root;
}

}  // namespace

void CatalogStore::Persist(const CatalogVersion& next, const std::vector<const catalog::Table*>& changed) {
  DurableWriteOptions many;
  many.sync_folder = false;
  for (const catalog::Table* t : changed) WriteFileDurably(TableFilePath(t->id(), t->version()), t->SerializeAsString(), many);
  if (!changed.empty()) FsyncDirectory(tables_dir_);
  WriteFileDurably(root_path_, RootOf(next).SerializeAsString());
}

bool CatalogStore::PersistCommit(const CatalogVersion& next, const std::vector<const catalog::Table*>& changed, bool checkpoint) {
  if (!checkpoint && log_->bytes() < checkpoint_bytes_) {
    catalog::CatalogLogRecord record;
    *record.mutable_root() = RootOf(next);
    for (const catalog::Table* t : changed) *record.add_tables() = *t;
    log_->Append(record);  // the commit point
    for (const catalog::Table* t : changed) unfiled_.insert(t->id());
    return false;
  }
  // A checkpoint: files for this commit's tables and for those only the log held, then the
  // root (the commit point), then the log goes.
  std::vector<const catalog::Table*> files = changed;
  std::set<int64_t> here;
  for (const catalog::Table* t : changed) here.insert(t->id());
  for (int64_t id : unfiled_) {
    const catalog::Table* t = next.TableById(id);
    if (t != nullptr && !here.count(id)) files.push_back(t);
  }
  Persist(next, files);  // the commit point
  if (!log_->Clear()) std::fprintf(stderr, "catalog: could not empty the commit log after a checkpoint; it is kept\n");
  unfiled_.clear();
  return true;
}

void CatalogStore::RemoveUnnamedTableFiles() {
  std::set<std::string> named;
  for (const auto& t : current_->tables()) named.insert(StrCat(t.id(), ".", t.version(), ".pb"));
  std::vector<std::string> gone;
  if (DIR* d = ::opendir(tables_dir_.c_str())) {
    while (const dirent* e = ::readdir(d)) {
      std::string name = e->d_name;
      // Only finished table files: a temporary file belongs to RemoveStaleTempFiles.
      if (name.size() > 3 && name.compare(name.size() - 3, 3, ".pb") == 0 && !named.count(name)) gone.push_back(name);
    }
    ::closedir(d);
  }
  for (const auto& name : gone) ::unlink((tables_dir_ + "/" + name).c_str());
}

namespace {

// True when `schema` exists in `next` only through tables the committing transaction created.
bool SchemaGoneUnder(const CatalogVersion& next, const CatalogChanges& changes, const std::string& schema) {
  if (schema == "public" || schema == "pg_catalog" || schema == "information_schema") return false;
  if (FindSchema(next.meta(), schema) != nullptr) return false;
  for (const auto& t : next.tables()) {
    if (t.schema() == schema && !changes.created.count(t.id())) return false;
  }
  return true;
}

}  // namespace

void CatalogStore::Commit(const CatalogVersion& working, const CatalogChanges& changes) {
  std::shared_ptr<void> hooked = hook_ ? hook_(working, changes) : nullptr;
  std::lock_guard<std::mutex> lock(mu_);
  const CatalogVersion& now = *current_;
  for (const auto& [id, base_version] : changes.written) {
    if (changes.created.count(id)) continue;
    const catalog::Table* committed = now.TableById(id);
    if (committed == nullptr || committed->version() != base_version) {
      const catalog::Table* mine = working.TableById(id);
      throw SqlError(sqlstate::kSerializationFailure,
                     StrCat("Serializable isolation violation on table ",
                            mine ? mine->name() : std::to_string(id),
                            ": another transaction committed a change first"));
    }
  }
  std::vector<int64_t> removed;
  for (int64_t id : changes.dropped) {
    if (now.TableById(id) != nullptr) removed.push_back(id);
  }
  std::map<int64_t, TablePtr> replaced;
  for (int64_t id : changes.created) {
    if (changes.dropped.count(id)) continue;
    const catalog::Table* t = working.TableById(id);
    if (t == nullptr) continue;
    const catalog::Table* clash = now.TableByName(t->schema(), t->name());
    if (clash != nullptr && !changes.dropped.count(clash->id())) {
      throw SqlError(sqlstate::kDuplicateTable, StrCat("relation \"", t->name(), "\" already exists"));
    }
    replaced[id] = std::make_shared<const catalog::Table>(*t);
  }
  for (const auto& [id, base_version] : changes.written) {
    if (changes.created.count(id) || changes.dropped.count(id)) continue;
    const catalog::Table* mine = working.TableById(id);
    const catalog::Table* committed = now.TableById(id);
    if (mine == nullptr || committed == nullptr) continue;
    // The writer held the table's lock and wrote on top of its newest version, so its copy is
    // the whole truth: data, row count, columns and their value ranges, name (ALTER TABLE).
    auto next_table = std::make_shared<catalog::Table>(*mine);
    next_table->set_version(base_version + 1);
    replaced[id] = std::move(next_table);
  }
  auto meta = std::make_shared<catalog::Catalog>(now.meta());
  MergeUserChanges(working.meta(), changes.users, meta.get());
  MergeSchemaChanges(working.meta(), changes.schemas, meta.get());
  MergeFunctionChanges(working.meta(), changes.functions, meta.get());
  if (changes.security) {
    if (now.meta().security_version() != changes.security_base) {
      throw SqlError(sqlstate::kSerializationFailure,
                     "could not serialize access due to a concurrent change of groups, roles or privileges");
    }
    *meta->mutable_roles() = working.meta().roles();
    *meta->mutable_database_acl() = working.meta().database_acl();
    meta->set_database_acl_set(working.meta().database_acl_set());
    *meta->mutable_default_acls() = working.meta().default_acls();
    *meta->mutable_policies() = working.meta().policies();
    *meta->mutable_policy_attachments() = working.meta().policy_attachments();
    meta->set_security_version(changes.security_base + 1);
  }
  meta->set_next_function_oid(std::max(meta->next_function_oid(), working.next_function_oid()));
  meta->set_next_table_id(std::max<int64_t>(next_id_, meta->next_table_id()));
  meta->set_commit_seq(meta->commit_seq() + 1);
  if (changes.reshape) {
    meta->set_compute_nodes(changes.reshape_nodes);
    meta->clear_slice_node();
    for (int n : changes.reshape_slice_node) meta->add_slice_node(n);
  }
  auto next = std::make_shared<CatalogVersion>();
  next->meta_ = std::move(meta);
  next->index_ = CatalogVersion::PatchIndex(*now.index_, replaced, removed);
  // A table created here must still have its schema: another transaction may have dropped or
  // renamed it meanwhile.
  for (int64_t id : changes.created) {
    const catalog::Table* t = changes.dropped.count(id) ? nullptr : next->TableById(id);
    if (t == nullptr || t->temporary() || !SchemaGoneUnder(*next, changes, t->schema())) continue;
    throw SqlError(sqlstate::kUndefinedSchema, StrCat("schema \"", t->schema(), "\" does not exist"));
  }
  std::vector<const catalog::Table*> changed;
  for (const auto& [id, t] : replaced) changed.push_back(t.get());
  FaultPoint("before_commit");
  // A change of the cluster's shape is checkpointed at once: ReadCatalogShape reads root.pb.
  bool checkpointed = PersistCommit(*next, changed, changes.reshape);
  FaultPoint("after_commit");
  current_ = std::move(next);
  // The files of the versions replaced since the last checkpoint: root.pb no longer names them.
  // (A crash before this leaves them for RemoveUnnamedTableFiles at the next start.)
  if (checkpointed) RemoveUnnamedTableFiles();
}

const catalog::Table* FindTable(const CatalogVersion& c, const std::string& schema, const std::string& name) {
  return c.TableByName(schema, name);
}

const catalog::Table* FindTableById(const CatalogVersion& c, int64_t id) { return c.TableById(id); }

void WidenValueRange(catalog::Column* c, int64_t min, int64_t max) {
  if (!c->has_range()) {
    c->set_has_range(true);
    c->set_min_value(min);
    c->set_max_value(max);
    return;
  }
  c->set_min_value(std::min(c->min_value(), min));
  c->set_max_value(std::max(c->max_value(), max));
}

}  // namespace strata
