// Privileges of users, groups and roles (see catalog_privileges.h).
#include "catalog/catalog_privileges.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "catalog/catalog_store.h"

namespace strata {
namespace {

constexpr char kLetters[] = "arwdDxtXUCcT";  // bit k's aclitem letter
constexpr int kPrivilegeBits = 12;

// An aclitem name: quoted when it is not a plain lower-case identifier (as PostgreSQL's putid).
std::string AclName(const std::string& name) {
  bool plain = !name.empty();
  for (char c : name) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_')) plain = false;
  }
  if (plain || name.empty()) return name;
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string EntryText(const std::string& grantee, const std::string& grantor, uint32_t privileges, uint32_t grant_options) {
  return AclName(grantee) + "=" + PrivilegeLetters(privileges, grant_options) + "/" + AclName(OwnerName(grantor));
}

}  // namespace

uint32_t PrivilegeByName(const std::string& name) {
  std::string n;
  for (char c : name) n += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (n == "INSERT") return kPrivInsert;
  if (n == "SELECT") return kPrivSelect;
  if (n == "UPDATE") return kPrivUpdate;
  if (n == "DELETE") return kPrivDelete;
  if (n == "TRUNCATE") return kPrivTruncate;
  if (n == "REFERENCES") return kPrivReferences;
  if (n == "TRIGGER") return kPrivTrigger;
  if (n == "EXECUTE") return kPrivExecute;
  if (n == "USAGE") return kPrivUsage;
  if (n == "CREATE") return kPrivCreate;
  if (n == "CONNECT") return kPrivConnect;
  if (n == "TEMPORARY" || n == "TEMP") return kPrivTemporary;
  return 0;
}

std::string PrivilegeName(uint32_t bit) {
  static const char* const kNames[kPrivilegeBits] = {"INSERT", "SELECT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES",
                                                     "TRIGGER", "EXECUTE", "USAGE", "CREATE", "CONNECT", "TEMPORARY"};
  for (int k = 0; k < kPrivilegeBits; ++k) {
    if (bit == (1u << k)) return kNames[k];
  }
  return "";
}

std::string PrivilegeLetters(uint32_t privileges, uint32_t grant_options) {
  std::string out;
  for (int k = 0; k < kPrivilegeBits; ++k) {
    if ((privileges & (1u << k)) == 0) continue;
    out += kLetters[k];
    if (grant_options & (1u << k)) out += '*';
  }
  return out;
}

uint32_t PrivilegesFromLetters(const std::string& letters) {
  uint32_t out = 0;
  for (char c : letters) {
    if (c == '*') continue;
    const char* at = std::strchr(kLetters, c);
    if (at == nullptr || c == 0) return 0;
    out |= 1u << (at - kLetters);
  }
  return out;
}

std::string AclText(const google::protobuf::RepeatedPtrField<catalog::AclEntry>& acl, const std::string& owner,
                    uint32_t owner_privileges, bool show_owner) {
  if (acl.empty() && !show_owner) return "";
  std::string out = "{";
  bool first = true;
  auto add = [&](const std::string& item) {
    if (!first) out += ",";
    first = false;
    out += item;
  };
  if (owner_privileges != 0) add(EntryText(OwnerName(owner), owner, owner_privileges, 0));
  for (const auto& e : acl) {
    if (e.privileges() == 0) continue;
    add(EntryText(e.grantee(), e.grantor(), e.privileges(), e.grant_options()));
  }
  return out + "}";
}

bool IsUserName(const catalog::Catalog& meta, const std::string& name) {
  return name == kBootstrapUserName || FindUser(meta, name) != nullptr;
}

const catalog::Role* FindRole(const catalog::Catalog& meta, const std::string& name) {
  for (const auto& r : meta.roles()) {
    if (r.name() == name) return &r;
  }
  return nullptr;
}

catalog::Role* FindMutableRole(catalog::Catalog* meta, const std::string& name) {
  for (auto& r : *meta->mutable_roles()) {
    if (r.name() == name) return &r;
  }
  return nullptr;
}

bool IsSuperuserName(const catalog::Catalog& meta, const std::string& user) {
  if (user == kBootstrapUserName) return true;
  const catalog::User* u = FindUser(meta, user);
  return u != nullptr && u->superuser();
}

std::set<std::string> PrincipalsOf(const catalog::Catalog& meta, const std::string& user) {
  std::set<std::string> out = {"", user};
  // Roles hold roles: repeat until no role adds a new member of the set.
  bool grew = true;
  for (int round = 0; grew && round <= meta.roles_size(); ++round) {
    grew = false;
    for (const auto& r : meta.roles()) {
      if (out.count(r.name())) continue;
      for (const auto& m : r.members()) {
        if (out.count(m)) {
          out.insert(r.name());
          grew = true;
          break;
        }
      }
    }
  }
  return out;
}

uint32_t GrantedIn(const google::protobuf::RepeatedPtrField<catalog::AclEntry>& acl, const std::set<std::string>& principals) {
  uint32_t out = 0;
  for (const auto& e : acl) {
    if (principals.count(e.grantee())) out |= e.privileges();
  }
  return out;
}

uint32_t GrantableIn(const google::protobuf::RepeatedPtrField<catalog::AclEntry>& acl, const std::set<std::string>& principals) {
  uint32_t out = 0;
  for (const auto& e : acl) {
    if (principals.count(e.grantee())) out |= e.grant_options();
  }
  return out;
}

bool OwnsObject(const catalog::Catalog& meta, const std::string& owner, const std::string& user) {
  const std::string name = OwnerName(owner);
  if (name == user || IsSuperuserName(meta, user)) return true;
  return FindRole(meta, name) != nullptr && PrincipalsOf(meta, user).count(name) > 0;
}

uint32_t TablePrivilegesOf(const CatalogVersion& cat, const catalog::Table& t, const std::string& user) {
  if (OwnsObject(cat.meta(), t.owner(), user)) return kTablePrivileges;
  return GrantedIn(t.acl(), PrincipalsOf(cat.meta(), user));
}

uint32_t ColumnPrivilegesOf(const CatalogVersion& cat, const catalog::Table& t, int column, const std::string& user) {
  if (OwnsObject(cat.meta(), t.owner(), user)) return kTablePrivileges;
  std::set<std::string> principals = PrincipalsOf(cat.meta(), user);
  uint32_t out = GrantedIn(t.acl(), principals) & kColumnPrivileges;
  if (column >= 0 && column < t.columns_size()) out |= GrantedIn(t.columns(column).acl(), principals);
  return out;
}

std::vector<catalog::AclEntry> EffectiveSchemaAcl(const catalog::Catalog& meta, const std::string& name) {
  const catalog::Schema* s = FindSchema(meta, name);
  if (s != nullptr && s->acl_set()) return {s->acl().begin(), s->acl().end()};
  std::vector<catalog::AclEntry> out;
  if (name == "public" || name == "pg_catalog" || name == "information_schema") {
    catalog::AclEntry e;
    e.set_privileges(name == "public" ? (kPrivUsage | kPrivCreate) : kPrivUsage);
    out.push_back(e);
  }
  return out;
}

uint32_t SchemaPrivilegesOf(const CatalogVersion& cat, const std::string& name, const std::string& user) {
  // A session's temporary schema is its own.
  if (name.rfind("pg_temp", 0) == 0) return kSchemaPrivileges;
  const catalog::Schema* s = FindSchema(cat.meta(), name);
  if (OwnsObject(cat.meta(), s != nullptr ? s->owner() : "", user)) return kSchemaPrivileges;
  std::set<std::string> principals = PrincipalsOf(cat.meta(), user);
  uint32_t out = 0;
  for (const auto& e : EffectiveSchemaAcl(cat.meta(), name)) {
    if (principals.count(e.grantee())) out |= e.privileges();
  }
  return out;
}

std::vector<catalog::AclEntry> EffectiveDatabaseAcl(const catalog::Catalog& meta) {
  if (meta.database_acl_set()) return {meta.database_acl().begin(), meta.database_acl().end()};
  catalog::AclEntry e;
  e.set_privileges(kPrivConnect | kPrivTemporary);
  return {e};
}

uint32_t DatabasePrivilegesOf(const catalog::Catalog& meta, const std::string& user) {
  if (IsSuperuserName(meta, user)) return kDatabasePrivileges;
  std::set<std::string> principals = PrincipalsOf(meta, user);
  uint32_t out = 0;
  for (const auto& e : EffectiveDatabaseAcl(meta)) {
    if (principals.count(e.grantee())) out |= e.privileges();
  }
  // A user with CREATEDB may create schemas, as Redshift lets it create databases.
  const catalog::User* u = FindUser(meta, user);
  if (u != nullptr && u->create_db()) out |= kPrivCreate;
  return out;
}

void GrantOn(google::protobuf::RepeatedPtrField<catalog::AclEntry>* acl, const std::string& grantee,
             const std::string& grantor, uint32_t privileges, uint32_t grant_options) {
  for (auto& e : *acl) {
    if (e.grantee() == grantee && e.grantor() == grantor) {
      e.set_privileges(e.privileges() | privileges);
      e.set_grant_options(e.grant_options() | grant_options);
      return;
    }
  }
  catalog::AclEntry* e = acl->Add();
  e->set_grantee(grantee);
  e->set_grantor(grantor);
  e->set_privileges(privileges);
  e->set_grant_options(grant_options);
}

void RevokeOn(google::protobuf::RepeatedPtrField<catalog::AclEntry>* acl, const std::string& grantee,
              uint32_t privileges, bool only_grant_option, const std::string* grantor) {
  for (auto& e : *acl) {
    if (e.grantee() != grantee || (grantor != nullptr && e.grantor() != *grantor)) continue;
    e.set_grant_options(e.grant_options() & ~privileges);
    if (!only_grant_option) e.set_privileges(e.privileges() & ~privileges);
  }
  acl->erase(std::remove_if(acl->begin(), acl->end(), [](const catalog::AclEntry& e) { return e.privileges() == 0; }),
             acl->end());
}

void DropOrphanGrants(google::protobuf::RepeatedPtrField<catalog::AclEntry>* acl, const catalog::Catalog& meta,
                      const std::string& owner) {
  for (int round = 0; round <= acl->size(); ++round) {
    bool changed = false;
    for (auto& e : *acl) {
      if (OwnsObject(meta, owner, OwnerName(e.grantor()))) continue;
      uint32_t held = GrantableIn(*acl, PrincipalsOf(meta, OwnerName(e.grantor())));
      uint32_t keep = e.privileges() & held;
      if (keep != e.privileges()) {
        e.set_privileges(keep);
        e.set_grant_options(e.grant_options() & keep);
        changed = true;
      }
    }
    acl->erase(std::remove_if(acl->begin(), acl->end(), [](const catalog::AclEntry& e) { return e.privileges() == 0; }),
               acl->end());
    if (!changed) return;
  }
}

int64_t NextRoleId(const catalog::Catalog& meta) {
  int64_t id = NextUserId(meta);
  for (const auto& r : meta.roles()) id = std::max(id, r.id() + 1);
  return id;
}

uint32_t FunctionPrivilegesOf(const catalog::Catalog& meta, const catalog::Function& f, const std::string& user) {
  if (IsSuperuserName(meta, user) || OwnsObject(meta, f.owner(), user) || !f.acl_set()) return kPrivExecute;
  return GrantedIn(f.acl(), PrincipalsOf(meta, user)) & kPrivExecute;
}

std::vector<catalog::AclEntry> EffectiveFunctionAcl(const catalog::Function& f) {
  if (f.acl_set()) return {f.acl().begin(), f.acl().end()};
  catalog::AclEntry e;
  e.set_grantee("");
  e.set_grantor(OwnerName(f.owner()));
  e.set_privileges(kPrivExecute);
  return {e};
}

void ApplyDefaultFunctionAcl(const catalog::Catalog& meta, catalog::Function* f) {
  const std::string owner = OwnerName(f->owner());
  const catalog::DefaultAcl* everywhere = nullptr;
  std::vector<const catalog::DefaultAcl*> in_schema;
  for (const auto& d : meta.default_acls()) {
    if (!d.functions() || OwnerName(d.owner()) != owner) continue;
    if (d.schema().empty()) everywhere = &d;
    else if (d.schema() == f->schema()) in_schema.push_back(&d);
  }
  if (everywhere == nullptr && in_schema.empty()) return;
  std::vector<catalog::AclEntry> start =
      everywhere != nullptr ? std::vector<catalog::AclEntry>(everywhere->acl().begin(), everywhere->acl().end())
                            : EffectiveFunctionAcl(*f);
  f->clear_acl();
  for (auto& e : start) *f->add_acl() = e;
  for (const catalog::DefaultAcl* d : in_schema) {
    for (const auto& e : d->acl()) GrantOn(f->mutable_acl(), e.grantee(), owner, e.privileges(), e.grant_options());
  }
  f->set_acl_set(true);
}

}  // namespace strata
