// See catalog_transaction.h.
#include "catalog/catalog_transaction.h"

namespace strata {

void CatalogTransaction::StartFrom(CatalogPtr committed) {
  snapshot_ = std::move(committed);
  working_.reset();
  changes_ = CatalogChanges();
}

bool CatalogTransaction::HasChanges() const {
  return !changes_.created.empty() || !changes_.dropped.empty() || !changes_.written.empty() || !changes_.users.empty() ||
         !changes_.schemas.empty() || !changes_.functions.empty();
}

catalog::Catalog* CatalogTransaction::Edit() {
  if (!working_) working_ = std::make_unique<catalog::Catalog>(*snapshot_);
  return working_.get();
}

void CatalogTransaction::CreateTable(catalog::Table table) {
  int64_t id = table.id();
  *Edit()->add_tables() = std::move(table);
  changes_.created.insert(id);
}

bool CatalogTransaction::DropTable(int64_t id, bool keep_write_check) {
  auto* tables = Edit()->mutable_tables();
  bool found = false;
  for (int i = 0; i < tables->size(); ++i) {
    if (tables->Get(i).id() == id) {
      tables->DeleteSubrange(i, 1);
      found = true;
      break;
    }
  }
  if (changes_.created.erase(id) == 0) changes_.dropped.insert(id);
  if (!keep_write_check) changes_.written.erase(id);
  return found;
}

catalog::Table* CatalogTransaction::WriteTable(int64_t id) {
  catalog::Table* t = FindMutableTableById(Edit(), id);
  if (t != nullptr && !Touched(id)) changes_.written[id] = t->version();
  return t;
}

}  // namespace strata
