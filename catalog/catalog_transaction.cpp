// See catalog_transaction.h.
#include "catalog/catalog_transaction.h"

namespace strata {

void CatalogTransaction::StartFrom(CatalogPtr committed) {
  snapshot_ = std::move(committed);
  working_.reset();
  own_meta_ = nullptr;
  changes_ = CatalogChanges();
}

bool CatalogTransaction::HasChanges() const {
  return !changes_.created.empty() || !changes_.dropped.empty() || !changes_.written.empty() || !changes_.users.empty() ||
         !changes_.schemas.empty() || !changes_.functions.empty() || changes_.security;
}

CatalogPtr CatalogTransaction::Frozen() const {
  if (!working_) return snapshot_;
  auto v = std::make_shared<CatalogVersion>();
  v->meta_ = own_meta_ != nullptr ? std::make_shared<const catalog::Catalog>(*own_meta_) : working_->meta_;
  v->index_ = working_->index_;
  for (const auto& [id, t] : working_->overlay_) v->overlay_[id] = t ? std::make_shared<catalog::Table>(*t) : nullptr;
  v->RemergeOverlay();
  return v;
}

CatalogVersion* CatalogTransaction::Working() {
  if (!working_) {
    working_ = std::make_unique<CatalogVersion>();
    working_->meta_ = snapshot_->meta_;
    working_->index_ = snapshot_->index_;
  }
  return working_.get();
}

catalog::Catalog* CatalogTransaction::EditMeta() {
  CatalogVersion* w = Working();
  if (own_meta_ == nullptr) {
    auto copy = std::make_shared<catalog::Catalog>(*w->meta_);
    own_meta_ = copy.get();
    w->meta_ = std::move(copy);
  }
  return own_meta_;
}

void CatalogTransaction::CreateTable(catalog::Table table) {
  int64_t id = table.id();
  CatalogVersion* w = Working();
  w->overlay_[id] = std::make_shared<catalog::Table>(std::move(table));
  w->RemergeOverlay();
  changes_.created.insert(id);
}

bool CatalogTransaction::DropTable(int64_t id, bool keep_write_check) {
  CatalogVersion* w = Working();
  bool found = w->TableById(id) != nullptr;
  if (changes_.created.erase(id) > 0) {
    w->overlay_.erase(id);  // created here: it simply disappears
  } else {
    changes_.dropped.insert(id);
    w->overlay_[id] = nullptr;
  }
  w->RemergeOverlay();
  if (!keep_write_check) changes_.written.erase(id);
  return found;
}

catalog::Table* CatalogTransaction::WriteTable(int64_t id, const catalog::Table* newest) {
  CatalogVersion* w = Working();
  auto it = w->overlay_.find(id);
  if (it != w->overlay_.end()) {
    if (it->second != nullptr && !Touched(id)) changes_.written[id] = it->second->version();
    return it->second.get();
  }
  const catalog::Table* seen = w->BaseById(id);
  if (seen == nullptr) return nullptr;
  auto copy = std::make_shared<catalog::Table>(newest != nullptr ? *newest : *seen);
  catalog::Table* t = copy.get();
  w->overlay_[id] = std::move(copy);
  w->RemergeOverlay();
  changes_.written[id] = t->version();
  return t;
}

}  // namespace strata
