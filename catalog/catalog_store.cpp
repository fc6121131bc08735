// The leader's catalog store (see catalog_store.h): load, publish, commit with conflict checks, and
// the lookups by name and id; users are in catalog_users.cpp.
#include "catalog/catalog_store.h"

#include "storage/fault_point.h"

#include <algorithm>

#include "sql/error.h"
#include "sql/nesting_limit.h"
#include "io/file_io.h"

namespace strata {

CatalogStore::CatalogStore(std::string path, int compute_nodes, int slices_per_node)
    : path_(std::move(path)) {
  auto c = std::make_shared<catalog::Catalog>();
  if (PathExists(path_)) {
    std::string bytes = ReadFileBytes(path_);
    // Column defaults are expressions: the catalog nests deeper than protobuf's default limit.
    if (!ParseNestedMessage(bytes, c.get())) {
      throw SqlError(sqlstate::kDataCorrupted, "catalog file " + path_ + " is corrupted");
    }
    // Temporary tables belong to sessions, and no session outlives the leader: the tables of
    // sessions that ended in a crash go now (their blocks become garbage).
    auto* tables = c->mutable_tables();
    for (int i = tables->size() - 1; i >= 0; --i) {
      if (tables->Get(i).temporary()) tables->DeleteSubrange(i, 1);
    }
  } else {
    c->set_next_table_id(100000);
    c->set_compute_nodes(compute_nodes);
    c->set_slices_per_node(slices_per_node);
    Persist(*c);
  }
  next_id_ = c->next_table_id();
  current_ = std::move(c);
}

CatalogPtr CatalogStore::Current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_;
}

int64_t CatalogStore::NextTableId() {
  std::lock_guard<std::mutex> lock(mu_);
  return next_id_++;
}

void CatalogStore::Persist(const catalog::Catalog& c) {
  WriteFileDurably(path_, c.SerializeAsString());
}

namespace {

// True when `schema` exists in `next` only through tables the committing transaction created.
bool SchemaGoneUnder(const catalog::Catalog& next, const CatalogChanges& changes, const std::string& schema) {
  if (schema == "public" || schema == "pg_catalog" || schema == "information_schema") return false;
  if (FindSchema(next, schema) != nullptr) return false;
  for (const auto& t : next.tables()) {
    if (t.schema() == schema && !changes.created.count(t.id())) return false;
  }
  return true;
}

}  // namespace

void CatalogStore::Commit(const catalog::Catalog& working, const CatalogChanges& changes) {
  std::lock_guard<std::mutex> lock(mu_);
  auto next = std::make_shared<catalog::Catalog>(*current_);
  for (const auto& [id, base_version] : changes.written) {
    if (changes.created.count(id)) continue;
    const catalog::Table* now = FindTableById(*next, id);
    if (now == nullptr || now->version() != base_version) {
      const catalog::Table* mine = FindTableById(working, id);
      throw SqlError(sqlstate::kSerializationFailure,
                     StrCat("Serializable isolation violation on table ",
                            mine ? mine->name() : std::to_string(id),
                            ": another transaction committed a change first"));
    }
  }
  for (int64_t id : changes.dropped) {
    auto* tables = next->mutable_tables();
    for (int i = 0; i < tables->size(); ++i) {
      if (tables->Get(i).id() == id) {
        tables->DeleteSubrange(i, 1);
        break;
      }
    }
  }
  for (int64_t id : changes.created) {
    if (changes.dropped.count(id)) continue;
    const catalog::Table* t = FindTableById(working, id);
    if (t == nullptr) continue;
    if (FindTable(*next, t->schema(), t->name()) != nullptr) {
      throw SqlError(sqlstate::kDuplicateTable,
                     StrCat("relation \"", t->name(), "\" already exists"));
    }
    *next->add_tables() = *t;
  }
  for (const auto& [id, base_version] : changes.written) {
    if (changes.created.count(id) || changes.dropped.count(id)) continue;
    const catalog::Table* mine = FindTableById(working, id);
    catalog::Table* dst = FindMutableTableById(next.get(), id);
    if (mine == nullptr || dst == nullptr) continue;
    // The writer held the table's lock and wrote on top of its newest version, so its copy is
    // the whole truth: data, row count, columns and their value ranges, name (ALTER TABLE).
    *dst = *mine;
    dst->set_version(base_version + 1);
  }
  MergeUserChanges(working, changes.users, next.get());
  MergeSchemaChanges(working, changes.schemas, next.get());
  MergeFunctionChanges(working, changes.functions, next.get());
  next->set_next_function_oid(std::max(next->next_function_oid(), working.next_function_oid()));
  // A table created here must still have its schema: another transaction may have dropped or
  // renamed it meanwhile.
  for (int64_t id : changes.created) {
    const catalog::Table* t = changes.dropped.count(id) ? nullptr : FindTableById(*next, id);
    if (t == nullptr || t->temporary() || !SchemaGoneUnder(*next, changes, t->schema())) continue;
    throw SqlError(sqlstate::kUndefinedSchema, StrCat("schema \"", t->schema(), "\" does not exist"));
  }
  next->set_next_table_id(std::max<int64_t>(next_id_, next->next_table_id()));
  next->set_commit_seq(next->commit_seq() + 1);
  FaultPoint("before_commit");
  Persist(*next);
  FaultPoint("after_commit");
  current_ = std::move(next);
}

const catalog::Table* FindTable(const catalog::Catalog& c, const std::string& schema,
                                const std::string& name) {
  for (const auto& t : c.tables()) {
    if (t.name() == name && (schema.empty() || t.schema() == schema)) return &t;
  }
  return nullptr;
}

const catalog::Table* FindTableById(const catalog::Catalog& c, int64_t id) {
  for (const auto& t : c.tables()) {
    if (t.id() == id) return &t;
  }
  return nullptr;
}

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

catalog::Table* FindMutableTableById(catalog::Catalog* c, int64_t id) {
  for (auto& t : *c->mutable_tables()) {
    if (t.id() == id) return &t;
  }
  return nullptr;
}

}  // namespace strata
