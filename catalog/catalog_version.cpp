// See catalog_version.h: the shared table index of a committed version, and the lookups that see
// a transaction's overlay of edits on top of it.
#include "catalog/catalog_version.h"

#include <algorithm>
#include <unordered_set>

namespace strata {

namespace {

bool NameLess(const catalog::Table* a, const catalog::Table* b) {
  if (a->name() != b->name()) return a->name() < b->name();
  return a->id() < b->id();
}

bool IdLess(const TablePtr& a, int64_t id) { return a->id() < id; }

}  // namespace

CatalogVersion::CatalogVersion()
    : meta_(std::make_shared<catalog::Catalog>()), index_(BuildIndex({})) {}

CatalogPtr CatalogVersion::FromProto(const catalog::Catalog& whole) {
  auto v = std::make_shared<CatalogVersion>();
  auto meta = std::make_shared<catalog::Catalog>(whole);
  meta->clear_tables();
  std::vector<TablePtr> tables;
  tables.reserve(whole.tables_size());
  for (const auto& t : whole.tables()) tables.push_back(std::make_shared<const catalog::Table>(t));
  std::stable_sort(tables.begin(), tables.end(), [](const TablePtr& a, const TablePtr& b) { return a->id() < b->id(); });
  v->meta_ = std::move(meta);
  v->index_ = BuildIndex(std::move(tables));
  return v;
}

catalog::Catalog CatalogVersion::ToProto() const {
  catalog::Catalog whole = *meta_;
  for (const auto& t : tables()) *whole.add_tables() = t;
  return whole;
}

std::shared_ptr<const CatalogVersion::TableIndex> CatalogVersion::BuildIndex(std::vector<TablePtr> by_id) {
  auto index = std::make_shared<TableIndex>();
  index->by_id = std::move(by_id);
  index->raw.reserve(index->by_id.size());
  for (const auto& t : index->by_id) index->raw.push_back(t.get());
  index->by_name = index->raw;
  std::sort(index->by_name.begin(), index->by_name.end(), NameLess);
  for (const catalog::Table* t : index->raw) ++index->per_schema[t->schema()];
  return index;
}

std::shared_ptr<const CatalogVersion::TableIndex> CatalogVersion::PatchIndex(const TableIndex& base,
                                                                             const std::map<int64_t, TablePtr>& replaced,
                                                                             const std::vector<int64_t>& removed) {
  const std::unordered_set<int64_t> removed_ids(removed.begin(), removed.end());
  auto gone = [&](int64_t id) { return replaced.count(id) > 0 || removed_ids.count(id) > 0; };
  auto index = std::make_shared<TableIndex>();
  // By id: one merge of the surviving tables with the replaced ones (both in id order).
  index->by_id.reserve(base.by_id.size() + replaced.size());
  auto next = replaced.begin();
  for (const auto& t : base.by_id) {
    for (; next != replaced.end() && next->first < t->id(); ++next) index->by_id.push_back(next->second);
    if (!gone(t->id())) index->by_id.push_back(t);
  }
  for (; next != replaced.end(); ++next) index->by_id.push_back(next->second);
  index->raw.reserve(index->by_id.size());
  for (const auto& t : index->by_id) index->raw.push_back(t.get());
  // By name: the survivors keep their order; each replaced table goes in at its place.
  index->by_name.reserve(index->by_id.size());
  for (const catalog::Table* t : base.by_name) {
    if (!gone(t->id())) index->by_name.push_back(t);
  }
  for (const auto& [id, t] : replaced) {
    index->by_name.insert(std::lower_bound(index->by_name.begin(), index->by_name.end(), t.get(), NameLess), t.get());
  }
  // Per schema: the base's counts, less what went, plus what came.
  index->per_schema = base.per_schema;
  for (const auto& t : base.by_id) {
    if (!gone(t->id())) continue;
    auto it = index->per_schema.find(t->schema());
    if (--it->second == 0) index->per_schema.erase(it);
  }
  for (const auto& [id, t] : replaced) ++index->per_schema[t->schema()];
  return index;
}

CatalogVersion::TableRange CatalogVersion::tables() const {
  const auto& list = overlay_.empty() ? index_->raw : merged_;
  return TableRange(list.data(), list.data() + list.size());
}

const catalog::Table* CatalogVersion::BaseById(int64_t id) const {
  auto it = std::lower_bound(index_->by_id.begin(), index_->by_id.end(), id, IdLess);
  return it != index_->by_id.end() && (*it)->id() == id ? it->get() : nullptr;
}

const catalog::Table* CatalogVersion::TableById(int64_t id) const {
  if (!overlay_.empty()) {
    auto it = overlay_.find(id);
    if (it != overlay_.end()) return it->second.get();
  }
  return BaseById(id);
}

TablePtr CatalogVersion::SharedTable(int64_t id) const {
  auto it = std::lower_bound(index_->by_id.begin(), index_->by_id.end(), id, IdLess);
  return it != index_->by_id.end() && (*it)->id() == id ? *it : nullptr;
}

const catalog::Table* CatalogVersion::TableByName(const std::string& schema, const std::string& name) const {
  const catalog::Table* found = nullptr;
  auto better = [&](const catalog::Table* t) {
    if (t->name() != name || (!schema.empty() && t->schema() != schema)) return;
    if (found == nullptr || t->id() < found->id()) found = t;
  };
  // The overlay's tables may have been renamed in place: they are looked at one by one (a
  // transaction edits few tables), and their committed entries in the index are skipped.
  for (const auto& [id, t] : overlay_) {
    if (t != nullptr) better(t.get());
  }
  const auto& by_name = index_->by_name;
  auto it = std::lower_bound(by_name.begin(), by_name.end(), name,
                             [](const catalog::Table* t, const std::string& n) { return t->name() < n; });
  for (; it != by_name.end() && (*it)->name() == name; ++it) {
    if (overlay_.count((*it)->id()) == 0) better(*it);
  }
  return found;
}

bool CatalogVersion::HasTablesIn(const std::string& schema) const {
  auto it = index_->per_schema.find(schema);
  int64_t count = it == index_->per_schema.end() ? 0 : it->second;
  for (const auto& [id, t] : overlay_) {
    if (t != nullptr && t->schema() == schema) return true;
    const catalog::Table* base = BaseById(id);
    if (base != nullptr && base->schema() == schema) --count;  // moved, dropped or counted above
  }
  return count > 0;
}

std::vector<std::string> CatalogVersion::SchemasWithTables() const {
  std::vector<std::string> out;
  for (const auto& [schema, count] : index_->per_schema) {
    if (HasTablesIn(schema)) out.push_back(schema);
  }
  for (const auto& [id, t] : overlay_) {
    if (t != nullptr && !index_->per_schema.count(t->schema())) out.push_back(t->schema());
  }
  return out;
}

void CatalogVersion::RemergeOverlay() {
  merged_.clear();
  merged_.reserve(index_->raw.size() + overlay_.size());
  auto next = overlay_.begin();
  for (const catalog::Table* t : index_->raw) {
    for (; next != overlay_.end() && next->first < t->id(); ++next) {
      if (next->second != nullptr) merged_.push_back(next->second.get());
    }
    if (next != overlay_.end() && next->first == t->id()) {
      if (next->second != nullptr) merged_.push_back(next->second.get());
      ++next;
      continue;
    }
    merged_.push_back(t);
  }
  for (; next != overlay_.end(); ++next) {
    if (next->second != nullptr) merged_.push_back(next->second.get());
  }
}

}  // namespace strata
