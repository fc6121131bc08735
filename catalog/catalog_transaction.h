// A transaction's view of the catalog, and the typed edits DDL and writes make through it.
// Reads see the committed version the transaction started from — shared with every other
// reader, never copied — until the first edit, which takes the transaction's private copy; so a
// read-only statement copies nothing. Each edit records what it changed (CatalogChanges), which
// is what CatalogStore::Commit checks for conflicts and applies.
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
  const catalog::Catalog& Read() const { return working_ ? *working_ : *snapshot_; }
  // The committed version the transaction started from.
  const CatalogPtr& snapshot() const { return snapshot_; }
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
  catalog::Table* WriteTable(int64_t id);
  // Records that user `name` is created, altered or dropped here (the change is made in Edit()).
  void UserChanged(const std::string& name) { changes_.users.insert(name); }
  // Records that schema `name` is created, renamed (both names), altered or dropped here (the
  // change is made in Edit()).
  void SchemaChanged(const std::string& name) { changes_.schemas.insert(name); }
  // Records that the function with FunctionKey `key` is created, replaced or dropped here (the
  // change is made in Edit()).
  void FunctionChanged(const std::string& key) { changes_.functions.insert(key); }
  // The transaction's copy of the whole catalog, for edits with no typed form yet (users,
  // constraints that name a dropped column); record them with WriteTable / UserChanged.
  catalog::Catalog* Edit();

 private:
  CatalogPtr snapshot_;
  std::unique_ptr<catalog::Catalog> working_;  // null until the first edit
  CatalogChanges changes_;
};

}  // namespace strata
