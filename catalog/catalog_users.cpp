// The catalog's users (message User in catalog.proto): look-ups, id allocation and the merge of
// one transaction's user changes at commit. Users are keyed by name: a transaction records the
// names it touched, and at commit each of those names takes the transaction's version (present
// or absent) on top of the newest catalog, so that concurrent transactions changing different
// users never lose each other's changes.
#include <algorithm>

#include "sql/error.h"
#include "catalog/catalog_store.h"

namespace strata {
namespace {

constexpr int64_t kFirstUserId = 100;

}  // namespace

const catalog::User* FindUser(const catalog::Catalog& c, const std::string& name) {
  for (const auto& u : c.users()) {
    if (u.name() == name) return &u;
  }
  return nullptr;
}

catalog::User* FindMutableUser(catalog::Catalog* c, const std::string& name) {
  for (auto& u : *c->mutable_users()) {
    if (u.name() == name) return &u;
  }
  return nullptr;
}

int64_t NextUserId(const catalog::Catalog& c) {
  int64_t id = std::max(kFirstUserId, c.next_user_id());
  for (const auto& u : c.users()) id = std::max(id, u.id() + 1);
  for (const auto& r : c.roles()) id = std::max(id, r.id() + 1);  // groups and roles share the ids
  return id;
}

void MergeUserChanges(const catalog::Catalog& working, const std::set<std::string>& names, catalog::Catalog* next) {
  if (names.empty()) return;
  for (const std::string& name : names) {
    const catalog::User* mine = FindUser(working, name);
    auto* users = next->mutable_users();
    int at = -1;
    for (int i = 0; i < users->size(); ++i) {
      if (users->Get(i).name() == name) at = i;
    }
    if (mine == nullptr) {
      if (at >= 0) users->DeleteSubrange(at, 1);
      continue;
    }
    if (at >= 0) {
      if (users->Get(at).id() != mine->id()) {
        throw SqlError(sqlstate::kDuplicateObject, StrCat("role \"", name, "\" already exists"));
      }
      *users->Mutable(at) = *mine;
      continue;
    }
    catalog::User* added = next->add_users();
    *added = *mine;
    // Another transaction may have taken the same id for a different name meanwhile.
    for (int i = 0; i + 1 < users->size(); ++i) {
      if (users->Get(i).id() == added->id()) {
        added->set_id(NextUserId(*next));
        break;
      }
    }
  }
  next->set_next_user_id(std::max(NextUserId(*next), working.next_user_id()));
}

}  // namespace strata
