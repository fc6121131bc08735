// A transaction's view of the catalog, and the typed edits DDL and writes make through it.
// Reads see the committed version the transaction started from — shared with every other
// reader, never copied — until the first edit, which starts the transaction's own version: the
// committed one with an overlay of private copies of just the tables it creates or writes (and
// of the small non-table part when users, schemas or functions change). So a read-only statement
// copies nothing and a write copies one table, whatever the size of the catalog. Each edit
// records what it changed (CatalogChanges), which is what CatalogStore::Commit checks for
// conflicts and applies.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "catalog/catalog_store.h"

namespace strata {

class CatalogTransaction {
 public:
  CatalogTransaction() = default;  // StartFrom() before use
  explicit CatalogTransaction(CatalogPtr committed) { StartFrom(std::move(committed)); }

  // What the transaction sees: its own copy once it has edited, else the committed version.
  const CatalogVersion& Read() const { return working_ ? *working_ : *snapshot_; }
  // The committed version the transaction started from.
  const CatalogPtr& snapshot() const { return snapshot_; }
  // What the transaction sees now, as a version of its own that later edits do not change (a
  // query keeps it to hold the blocks it reads): the committed version when nothing was edited,
  // else copies of just the edited tables over the shared rest.
  CatalogPtr Frozen() const;
  // Starts over from `committed` (a statement restarted on a newer snapshot): edits are dropped.
  void StartFrom(CatalogPtr committed);

  const CatalogChanges& changes() const { return changes_; }
  // True when there is anything to commit.
  bool HasChanges() const;
  // True when a table was created or its rows written (the transaction's reads then see blocks
  // that only its own copy names).
  bool WroteTables() const { return !changes_.created.empty() || !changes_.written.empty(); }
  bool HasWorkingCopy() const { return working_ != nullptr; }

  // Adds a table or view (its id already allocated by CatalogStore::NextTableId).
  void CreateTable(catalog::Table table);
  // Removes a table or view; one created by this transaction simply disappears. Its recorded
  // write is forgotten unless `keep_write_check` (CREATE OR REPLACE VIEW keeps it, so a
  // concurrent change to the view it replaces still fails the commit with 40001). False when
  // there is no such id.
  bool DropTable(int64_t id, bool keep_write_check = false);
  // True when this transaction already wrote or created the table.
  bool Touched(int64_t id) const { return changes_.created.count(id) > 0 || changes_.written.count(id) > 0; }
  // The table to change (its rows or its definition), recording the version the change is
  // based on the first time (for the commit's write-write check); nullptr when there is none.
  // The first time, the change starts from `newest` when given (the newest committed version,
  // read under the table's write lock), else from what the transaction sees.
  catalog::Table* WriteTable(int64_t id, const catalog::Table* newest = nullptr);
  // Records that user `name` is created, altered or dropped here (the change is made in Edit()).
  void UserChanged(const std::string& name) { changes_.users.insert(name); }
  // Records that schema `name` is created, renamed (both names), altered or dropped here (the
  // change is made in Edit()).
  void SchemaChanged(const std::string& name) { changes_.schemas.insert(name); }
  // Records that the function with FunctionKey `key` is created, replaced or dropped here (the
  // change is made in Edit()).
  void FunctionChanged(const std::string& key) { changes_.functions.insert(key); }
  // Records that groups, roles, the database's privileges or default privileges change here.
  void SecurityChanged() {
    if (!changes_.security) changes_.security_base = snapshot_->meta().security_version();
    changes_.security = true;
  }
  // The transaction's copy of everything but the tables (users, schemas, functions), for edits
  // recorded with UserChanged / SchemaChanged / FunctionChanged.
  catalog::Catalog* EditMeta();

 private:
  CatalogVersion* Working();

  CatalogPtr snapshot_;
  std::unique_ptr<CatalogVersion> working_;  // null until the first edit
  catalog::Catalog* own_meta_ = nullptr;     // working_'s meta once EditMeta() copied it
  CatalogChanges changes_;
};

}  // namespace strata
