// GRANT / REVOKE, groups and roles, default privileges, and the ownership checks of DDL, on the
// leader. Table and column privileges live on the table (Table.acl, Column.acl) and change under
// the table's write lock like any edit of it; schema privileges on the schema entry; groups,
// roles, database privileges and default privileges in the catalog's meta, which commits whole
// (catalog_store.cpp: a concurrent change of them fails one transaction with 40001). What a
// statement may read or write is checked by the binder (planner/privilege_check.h); what only
// an owner may do (DROP, ALTER, TRUNCATE without the privilege, VACUUM, ANALYZE, COMMENT) here.
#include <algorithm>

#include "catalog/catalog_privileges.h"
#include "catalog/catalog_store.h"
#include "planner/binder.h"
#include "planner/name_resolution.h"
#include "server/leader_session.h"
#include "sql/error.h"

namespace strata {
namespace {

using Stmt = ast::PrivilegeStmt;
using Acl = google::protobuf::RepeatedPtrField<catalog::AclEntry>;

[[noreturn]] void Denied(const std::string& what) {
  throw SqlError(sqlstate::kInsufficientPrivilege, StrCat("permission denied for ", what));
}

[[noreturn]] void NotOwner(const catalog::Table& t) {
  throw SqlError(sqlstate::kInsufficientPrivilege, StrCat("must be owner of ", t.is_view() ? "view " : "table ", t.name()));
}

// The privilege bits a GRANT or REVOKE names for an object that can hold `allowed`; 0LP01 for one
// it cannot hold, as PostgreSQL.
uint32_t NamedPrivileges(const Stmt& p, size_t i, uint32_t allowed, const char* object_kind) {
  const std::string& name = p.privileges[i];
  uint32_t bit = PrivilegeByName(name);
  if (name == "DROP" || name == "ALTER") {
    throw SqlError(sqlstate::kFeatureNotSupported, StrCat("the ", name, " privilege is not supported yet: only owners may ", name, " objects"));
  }
  if (bit == 0 || (bit & allowed) == 0) {
    throw SqlError(sqlstate::kInvalidGrantOperation, StrCat("invalid privilege type ", name, " for ", object_kind));
  }
  return bit;
}

std::string GranteeName(const std::string& grantee) { return grantee.empty() ? "PUBLIC" : grantee; }

// What an ACL looks like after a REVOKE with its cascade: true when grants that depended on the
// revoked grant options are gone too (they must be, or the REVOKE fails without CASCADE).
bool RevokeWithDependents(Acl* acl, const catalog::Catalog& meta, const std::string& owner, const std::string& grantee,
                          uint32_t bits, bool only_grant_option, const std::string* grantor) {
  RevokeOn(acl, grantee, bits, only_grant_option, grantor);
  Acl after_revoke = *acl;
  DropOrphanGrants(acl, meta, owner);
  return acl->size() != after_revoke.size() ||
         !std::equal(acl->begin(), acl->end(), after_revoke.begin(), [](const catalog::AclEntry& a, const catalog::AclEntry& b) {
           return a.SerializeAsString() == b.SerializeAsString();
         });
}

}  // namespace

void LeaderSession::CheckGrantees(const std::vector<std::string>& grantees) {
  const catalog::Catalog& meta = txn_->catalog.Read().meta();
  for (const std::string& g : grantees) {
    if (g.empty() || IsUserName(meta, g) || FindRole(meta, g) != nullptr) continue;
    throw SqlError(sqlstate::kUndefinedObject, StrCat("role \"", g, "\" does not exist"));
  }
}

// GRANT / REVOKE on one ACL of an object owned by `owner`. The owner (and a superuser) grants
// anything, recorded as the owner's grant; anyone else only what it holds with grant option
// (on the table too, for a column: `table_acl`), recorded as its own.
void LeaderSession::ApplyAclChange(const Stmt& p, Acl* acl, const std::string& owner, uint32_t bits,
                                   const std::string& object, const Acl* table_acl) {
  const catalog::Catalog& meta = txn_->catalog.Read().meta();
  const bool owns = OwnsObject(meta, owner, user_);
  const std::string grantor = owns ? owner : user_;
  if (!owns) {
    const std::set<std::string> principals = PrincipalsOf(meta, user_);
    uint32_t grantable = GrantableIn(*acl, principals) | (table_acl ? GrantableIn(*table_acl, principals) : 0);
    uint32_t held = GrantedIn(*acl, principals) | (table_acl ? GrantedIn(*table_acl, principals) : 0);
    if ((grantable & bits) == 0) {
      if (held == 0) Denied(object);
      throw SqlError(sqlstate::kInsufficientPrivilege, StrCat("no privileges could be ", p.is_grant ? "granted" : "revoked",
                                                              " for \"", object.substr(object.find(' ') + 1), "\""));
    }
    bits &= grantable;
  }
  for (const std::string& grantee : p.grantees) {
    if (p.is_grant) {
      if (p.with_grant_option && grantee.empty()) {
        throw SqlError(sqlstate::kInvalidGrantOperation, "grant options can only be granted to roles");
      }
      if (grantee == OwnerName(owner)) continue;  // the owner holds everything already
      GrantOn(acl, grantee, grantor, bits, p.with_grant_option ? bits : 0);
    } else {
      const std::string* only = owns ? nullptr : &grantor;
      if (RevokeWithDependents(acl, meta, owner, grantee, bits, p.grant_option_for, only) && !p.cascade) {
        throw SqlError(sqlstate::kDependentObjectsStillExist, "dependent privileges exist")
            .WithHint("Use CASCADE to revoke them too.");
      }
    }
  }
}

void LeaderSession::GrantOnTable(const Stmt& p, const catalog::Table& found) {
  catalog::Table* t = LockForWrite(found.id(), found.name(), /*reads_table=*/false);
  t->set_acl_set(true);
  const std::string object = StrCat(t->is_view() ? "view " : "table ", t->name());
  // Table-wide privileges, then each privilege given with columns on those columns.
  uint32_t table_bits = p.all_privileges && (p.privilege_columns.empty() || p.privilege_columns[0].empty()) ? kTablePrivileges : 0;
  std::map<int, uint32_t> column_bits;
  auto columns_of = [&](const std::vector<std::string>& names, uint32_t bits) {
    if (bits & ~kColumnPrivileges) {
      throw SqlError(sqlstate::kInvalidGrantOperation, StrCat("invalid privilege type ", PrivilegeName(bits & ~kColumnPrivileges & -(bits & ~kColumnPrivileges)), " for column"));
    }
    for (const std::string& n : names) {
      int c = -1;
      for (int i = 0; i < t->columns_size(); ++i) if (t->columns(i).name() == n) c = i;
      if (c < 0) throw SqlError(sqlstate::kUndefinedColumn, StrCat("column \"", n, "\" of relation \"", t->name(), "\" does not exist"));
      column_bits[c] |= bits;
    }
  };
  if (p.all_privileges && !p.privilege_columns.empty() && !p.privilege_columns[0].empty()) {
    columns_of(p.privilege_columns[0], kColumnPrivileges);
  }
  for (size_t i = 0; i < p.privileges.size(); ++i) {
    uint32_t bit = NamedPrivileges(p, i, kTablePrivileges, "table");
    if (p.privilege_columns[i].empty()) table_bits |= bit;
    else columns_of(p.privilege_columns[i], bit);
  }
  if (table_bits != 0) ApplyAclChange(p, t->mutable_acl(), t->owner(), table_bits, object);
  for (const auto& [c, bits] : column_bits) {
    // A grantor's column grant options come from the table's grant options too.
    ApplyAclChange(p, t->mutable_columns(c)->mutable_acl(), t->owner(), bits, object, &t->acl());
  }
  // REVOKE of a table-wide privilege takes the column grants of it too, as PostgreSQL.
  if (!p.is_grant && table_bits != 0 && OwnsObject(txn_->catalog.Read().meta(), t->owner(), user_)) {
    for (auto& col : *t->mutable_columns()) {
      for (const std::string& grantee : p.grantees) RevokeOn(col.mutable_acl(), grantee, table_bits & kColumnPrivileges, p.grant_option_for);
    }
  }
}

void LeaderSession::GrantOnSchema(const Stmt& p, const std::string& name) {
  const CatalogVersion& cat = txn_->catalog.Read();
  if (!SchemaExists(cat, name)) throw SqlError(sqlstate::kUndefinedSchema, StrCat("schema \"", name, "\" does not exist"));
  uint32_t bits = p.all_privileges ? kSchemaPrivileges : 0;
  for (size_t i = 0; i < p.privileges.size(); ++i) bits |= NamedPrivileges(p, i, kSchemaPrivileges, "schema");
  std::vector<catalog::AclEntry> current = EffectiveSchemaAcl(cat.meta(), name);
  catalog::Catalog* meta = txn_->catalog.EditMeta();
  catalog::Schema* entry = nullptr;
  for (auto& s : *meta->mutable_schemas()) if (s.name() == name) entry = &s;
  if (entry == nullptr) {  // public, or a schema only its tables named so far
    entry = meta->add_schemas();
    entry->set_name(name);
    if (name != "public") entry->set_owner(user_);
  }
  if (!entry->acl_set()) {
    entry->clear_acl();
    for (auto& e : current) *entry->add_acl() = e;
    entry->set_acl_set(true);
  }
  const std::string owner = entry->owner();
  ApplyAclChange(p, entry->mutable_acl(), owner, bits, "schema " + name);
  txn_->catalog.SchemaChanged(name);
}

void LeaderSession::GrantOnDatabase(const Stmt& p, const std::string& name) {
  if (name != database_) throw SqlError(sqlstate::kInvalidCatalogName, StrCat("database \"", name, "\" does not exist"));
  uint32_t bits = p.all_privileges ? kDatabasePrivileges : 0;
  for (size_t i = 0; i < p.privileges.size(); ++i) bits |= NamedPrivileges(p, i, kDatabasePrivileges, "database");
  std::vector<catalog::AclEntry> current = EffectiveDatabaseAcl(txn_->catalog.Read().meta());
  catalog::Catalog* meta = txn_->catalog.EditMeta();
  if (!meta->database_acl_set()) {
    meta->clear_database_acl();
    for (auto& e : current) *meta->add_database_acl() = e;
    meta->set_database_acl_set(true);
  }
  ApplyAclChange(p, meta->mutable_database_acl(), "", bits, "database " + name);
  txn_->catalog.SecurityChanged();
}

void LeaderSession::GrantOnFunction(const Stmt& p, const std::string& key) {
  uint32_t bits = p.all_privileges ? kPrivExecute : 0;
  for (size_t i = 0; i < p.privileges.size(); ++i) bits |= NamedPrivileges(p, i, kPrivExecute, "function");
  catalog::Catalog* meta = txn_->catalog.EditMeta();
  catalog::Function* f = nullptr;
  for (auto& x : *meta->mutable_functions()) {
    if (FunctionKey(x) == key) f = &x;
  }
  if (f == nullptr) return;
  if (!f->acl_set()) {
    std::vector<catalog::AclEntry> current = EffectiveFunctionAcl(*f);
    f->clear_acl();
    for (auto& e : current) *f->add_acl() = e;
    f->set_acl_set(true);
  }
  const std::string owner = f->owner();
  ApplyAclChange(p, f->mutable_acl(), owner, bits, StrCat(f->is_procedure() ? "procedure " : "function ", f->name()));
  txn_->catalog.FunctionChanged(key);
  // A function's record commits whole: two transactions granting on it at once conflict (40001)
  // under the security version rather than one losing the other's grant.
  txn_->catalog.SecurityChanged();
}

void LeaderSession::GrantRoles(const Stmt& p) {
  catalog::Catalog* meta = txn_->catalog.EditMeta();
  CheckGrantees(p.grantees);
  for (const std::string& name : p.names) {
    catalog::Role* role = FindMutableRole(meta, name);
    if (role == nullptr) throw SqlError(sqlstate::kUndefinedObject, StrCat("role \"", name, "\" does not exist"));
    if (!IsSuperuserName(*meta, user_) && OwnerName(role->owner()) != user_) {
      throw SqlError(sqlstate::kInsufficientPrivilege, StrCat("permission denied to grant role \"", name, "\""));
    }
    for (const std::string& member : p.grantees) {
      if (member.empty()) throw SqlError(sqlstate::kInvalidGrantOperation, "a role cannot be granted to PUBLIC");
      auto& members = *role->mutable_members();
      auto at = std::find(members.begin(), members.end(), member);
      if (p.action == Stmt::Action::kGrantRole) {
        if (member == name || (FindRole(*meta, member) != nullptr && PrincipalsOf(*meta, name).count(member))) {
          throw SqlError(sqlstate::kInvalidGrantOperation, StrCat("role \"", member, "\" is a member of role \"", name, "\""));
        }
        if (at == members.end()) *role->add_members() = member;
      } else if (at != members.end()) {
        members.erase(at);
      }
    }
  }
  txn_->catalog.SecurityChanged();
}

void LeaderSession::RunGroupOrRole(const Stmt& p, StatementResult* r) {
  using A = Stmt::Action;
  catalog::Catalog* meta = txn_->catalog.EditMeta();
  const bool group = p.action == A::kCreateGroup || p.action == A::kAlterGroupAdd || p.action == A::kAlterGroupDrop ||
                     p.action == A::kRenameGroup || p.action == A::kDropGroup;
  const char* kind = group ? "group" : "role";
  if (!IsSuperuserName(*meta, user_)) {
    throw SqlError(sqlstate::kInsufficientPrivilege, StrCat("permission denied: only a superuser may manage ", kind, "s"));
  }
  auto name_taken = [&](const std::string& n) { return IsUserName(*meta, n) || FindRole(*meta, n) != nullptr; };
  auto find = [&](const std::string& n) {
    catalog::Role* role = FindMutableRole(meta, n);
    if (role == nullptr || role->is_group() != group) {
      throw SqlError(sqlstate::kUndefinedObject, StrCat(kind, " \"", n, "\" does not exist"));
    }
    return role;
  };
  switch (p.action) {
    case A::kCreateGroup:
    case A::kCreateRole: {
      const std::string& n = p.names[0];
      if (name_taken(n)) throw SqlError(sqlstate::kDuplicateObject, StrCat("role \"", n, "\" already exists"));
      for (const std::string& m : p.members) {
        if (!IsUserName(*meta, m)) throw SqlError(sqlstate::kUndefinedObject, StrCat("user \"", m, "\" does not exist"));
      }
      catalog::Role* role = meta->add_roles();
      role->set_id(NextRoleId(*meta));
      role->set_name(n);
      role->set_is_group(group);
      role->set_owner(user_);
      for (const std::string& m : p.members) *role->add_members() = m;
      r->command_tag = group ? "CREATE GROUP" : "CREATE ROLE";
      break;
    }
    case A::kAlterGroupAdd:
    case A::kAlterGroupDrop: {
      catalog::Role* role = find(p.names[0]);
      for (const std::string& m : p.members) {
        if (!IsUserName(*meta, m)) throw SqlError(sqlstate::kUndefinedObject, StrCat("user \"", m, "\" does not exist"));
        auto& members = *role->mutable_members();
        auto at = std::find(members.begin(), members.end(), m);
        if (p.action == A::kAlterGroupAdd && at == members.end()) *role->add_members() = m;
        if (p.action == A::kAlterGroupDrop && at != members.end()) members.erase(at);
      }
      r->command_tag = "ALTER GROUP";
      break;
    }
    case A::kRenameGroup:
    case A::kRenameRole: {
      catalog::Role* role = find(p.names[0]);
      if (name_taken(p.new_name)) throw SqlError(sqlstate::kDuplicateObject, StrCat("role \"", p.new_name, "\" already exists"));
      role->set_name(p.new_name);
      for (auto& other : *meta->mutable_roles()) {
        for (auto& m : *other.mutable_members()) if (m == p.names[0]) m = p.new_name;
      }
      RenameGrantee(p.names[0], p.new_name);
      r->command_tag = group ? "ALTER GROUP" : "ALTER ROLE";
      break;
    }
    case A::kDropGroup:
    case A::kDropRole: {
      for (const std::string& n : p.names) {
        catalog::Role* role = FindMutableRole(meta, n);
        if (role == nullptr || role->is_group() != group) {
          if (p.if_exists) {
            r->notices.push_back(StrCat(kind, " \"", n, "\" does not exist, skipping"));
            continue;
          }
          find(n);
        }
        std::string holds = PrivilegesHeldBy(n);
        if (!holds.empty()) {
          throw SqlError(sqlstate::kDependentObjectsStillExist,
                         StrCat(kind, " \"", n, "\" cannot be dropped because some objects depend on it"))
              .WithDetail(StrCat("privileges for ", holds));
        }
        auto* roles = meta->mutable_roles();
        for (int i = 0; i < roles->size(); ++i) {
          if (roles->Get(i).name() == n) {
            roles->DeleteSubrange(i, 1);
            break;
          }
        }
        for (auto& other : *roles) {
          auto& members = *other.mutable_members();
          members.erase(std::remove(members.begin(), members.end(), n), members.end());
        }
      }
      r->command_tag = group ? "DROP GROUP" : "DROP ROLE";
      break;
    }
    default:
      break;
  }
  txn_->catalog.SecurityChanged();
}

std::string LeaderSession::PrivilegesHeldBy(const std::string& name) {
  const CatalogVersion& cat = txn_->catalog.Read();
  auto in = [&](const Acl& acl) {
    return std::any_of(acl.begin(), acl.end(), [&](const catalog::AclEntry& e) { return e.grantee() == name || e.grantor() == name; });
  };
  for (const auto& t : cat.tables()) {
    if (in(t.acl())) return StrCat(t.is_view() ? "view " : "table ", t.name());
    for (const auto& c : t.columns()) if (in(c.acl())) return StrCat("column ", c.name(), " of table ", t.name());
  }
  for (const auto& s : cat.schemas()) if (in(s.acl())) return "schema " + s.name();
  for (const auto& f : cat.functions()) if (in(f.acl())) return StrCat(f.is_procedure() ? "procedure " : "function ", f.name());
  if (in(cat.meta().database_acl())) return "database " + database_;
  for (const auto& d : cat.meta().default_acls()) if (d.owner() == name || in(d.acl())) return "default privileges";
  // A policy attached to the user (or role) would otherwise outlive it, pointing at nobody.
  for (const auto& a : cat.meta().policy_attachments()) {
    if (a.grantee() != name) continue;
    const catalog::Table* t = FindTableById(cat, a.table_id());
    return StrCat(a.masking() ? "masking policy " : "RLS policy ", a.policy(), " attached on table ",
                  t != nullptr ? t->name() : std::to_string(a.table_id()));
  }
  return "";
}

void LeaderSession::RenameGrantee(const std::string& from, const std::string& to) {
  auto rename = [&](Acl* acl) {
    bool changed = false;
    for (auto& e : *acl) {
      if (e.grantee() == from) e.set_grantee(to), changed = true;
      if (e.grantor() == from) e.set_grantor(to), changed = true;
    }
    return changed;
  };
  auto names = [&](const Acl& acl) {
    return std::any_of(acl.begin(), acl.end(), [&](const catalog::AclEntry& e) { return e.grantee() == from || e.grantor() == from; });
  };
  std::vector<std::pair<int64_t, std::string>> tables;
  for (const auto& t : txn_->catalog.Read().tables()) {
    bool hit = names(t.acl()) || t.owner() == from;
    for (const auto& c : t.columns()) hit = hit || names(c.acl());
    if (hit) tables.push_back({t.id(), t.name()});
  }
  for (const auto& [id, tname] : tables) {
    catalog::Table* t = LockForWrite(id, tname, /*reads_table=*/false);
    rename(t->mutable_acl());
    for (auto& c : *t->mutable_columns()) rename(c.mutable_acl());
    if (t->owner() == from) t->set_owner(to);
  }
  catalog::Catalog* meta = txn_->catalog.EditMeta();
  for (auto& s : *meta->mutable_schemas()) {
    if (rename(s.mutable_acl()) || s.owner() == from) {
      if (s.owner() == from) s.set_owner(to);
      txn_->catalog.SchemaChanged(s.name());
    }
  }
  rename(meta->mutable_database_acl());
  for (auto& d : *meta->mutable_default_acls()) {
    rename(d.mutable_acl());
    if (d.owner() == from) d.set_owner(to);
  }
  txn_->catalog.SecurityChanged();
}

void LeaderSession::RunDefaultPrivileges(const Stmt& p) {
  const bool functions = p.object != Stmt::Object::kTables;
  catalog::Catalog* meta = txn_->catalog.EditMeta();
  std::vector<std::string> owners = p.default_for.empty() ? std::vector<std::string>{user_} : p.default_for;
  for (const std::string& o : owners) {
    if (!IsUserName(*meta, o) && FindRole(*meta, o) == nullptr) throw SqlError(sqlstate::kUndefinedObject, StrCat("role \"", o, "\" does not exist"));
    if (o != user_ && !IsSuperuserName(*meta, user_)) Denied("default privileges of role " + o);
  }
  CheckGrantees(p.grantees);
  const uint32_t kinds = functions ? kPrivExecute : kTablePrivileges;
  uint32_t bits = p.all_privileges ? kinds : 0;
  for (size_t i = 0; i < p.privileges.size(); ++i) bits |= NamedPrivileges(p, i, kinds, functions ? "function" : "table");
  std::vector<std::string> schemas = p.default_in.empty() ? std::vector<std::string>{""} : p.default_in;
  for (const std::string& o : owners) {
    for (const std::string& s : schemas) {
      if (!s.empty() && !SchemaExists(txn_->catalog.Read(), s)) throw SqlError(sqlstate::kUndefinedSchema, StrCat("schema \"", s, "\" does not exist"));
      catalog::DefaultAcl* d = nullptr;
      for (auto& e : *meta->mutable_default_acls()) {
        if (e.owner() == o && e.schema() == s && e.functions() == functions) d = &e;
      }
      if (d == nullptr) {
        d = meta->add_default_acls();
        d->set_owner(o);
        d->set_schema(s);
        d->set_functions(functions);
        if (functions && s.empty()) GrantOn(d->mutable_acl(), "", o, kPrivExecute, 0);  // the built-in default
      }
      for (const std::string& g : p.grantees) {
        if (p.is_grant) GrantOn(d->mutable_acl(), g, o, bits, p.with_grant_option ? bits : 0);
        else RevokeOn(d->mutable_acl(), g, bits, p.grant_option_for);
      }
    }
  }
  // Entries that say nothing go: a table or schema default with no grants; a function default of
  // every schema that is the built-in one again.
  auto* all = meta->mutable_default_acls();
  all->erase(std::remove_if(all->begin(), all->end(),
                            [](const catalog::DefaultAcl& d) {
                              if (d.functions() && d.schema().empty()) {
                                return d.acl_size() == 1 && d.acl(0).grantee().empty() && d.acl(0).privileges() == kPrivExecute &&
                                       d.acl(0).grant_options() == 0;
                              }
                              return d.acl().empty();
                            }),
             all->end());
  txn_->catalog.SecurityChanged();
}

StatementResult LeaderSession::RunPrivilege(const Stmt& p) {
  using A = Stmt::Action;
  return InTransaction([&](StatementResult& r) {
    switch (p.action) {
      case A::kGrant:
      case A::kRevoke: {
        r.command_tag = p.is_grant ? "GRANT" : "REVOKE";
        CheckGrantees(p.grantees);
        const CatalogVersion& cat = txn_->catalog.Read();
        switch (p.object) {
          case Stmt::Object::kTable:
          case Stmt::Object::kTables:
            for (const auto& q : p.objects) {
              const catalog::Table* t = LookupTable(cat, &session_values_, q.schema, q.name);
              if (t == nullptr) throw SqlError(sqlstate::kUndefinedTable, StrCat("relation \"", q.name, "\" does not exist"));
              GrantOnTable(p, *t);
            }
            break;
          case Stmt::Object::kAllTablesInSchema:
            for (const auto& q : p.objects) {
              if (!SchemaExists(cat, q.name)) throw SqlError(sqlstate::kUndefinedSchema, StrCat("schema \"", q.name, "\" does not exist"));
              std::vector<int64_t> ids;
              for (const auto& t : txn_->catalog.Read().tables()) {
                if (t.schema() == q.name && !t.temporary()) ids.push_back(t.id());
              }
              for (int64_t id : ids) GrantOnTable(p, *FindTableById(txn_->catalog.Read(), id));
            }
            break;
          case Stmt::Object::kSchema:
            for (const auto& q : p.objects) GrantOnSchema(p, q.name);
            break;
          case Stmt::Object::kDatabase:
            for (const auto& q : p.objects) GrantOnDatabase(p, q.name);
            break;
          case Stmt::Object::kFunction:
          case Stmt::Object::kAllFunctionsInSchema: {
            // FUNCTION f(...): every overload of f (argument types are not told apart here);
            // ALL FUNCTIONS IN SCHEMA s: every function and procedure in s.
            std::vector<std::string> keys;
            for (const auto& q : p.objects) {
              const size_t before = keys.size();
              for (const auto& f : cat.functions()) {
                const bool named = p.object == Stmt::Object::kFunction
                                       ? f.name() == q.name && (q.schema.empty() || f.schema() == q.schema)
                                       : f.schema() == q.name;
                if (named) keys.push_back(FunctionKey(f));
              }
              if (keys.size() == before && p.object == Stmt::Object::kFunction) {
                throw SqlError(sqlstate::kUndefinedFunction, StrCat("function ", q.name, " does not exist"));
              }
              if (p.object == Stmt::Object::kAllFunctionsInSchema && !SchemaExists(cat, q.name)) {
                throw SqlError(sqlstate::kUndefinedSchema, StrCat("schema \"", q.name, "\" does not exist"));
              }
            }
            for (const std::string& key : keys) GrantOnFunction(p, key);
            break;
          }
        }
        return;
      }
      case A::kGrantRole:
      case A::kRevokeRole:
        r.command_tag = p.action == A::kGrantRole ? "GRANT ROLE" : "REVOKE ROLE";
        GrantRoles(p);
        return;
      case A::kDefaultPrivileges:
        r.command_tag = "ALTER DEFAULT PRIVILEGES";
        RunDefaultPrivileges(p);
        return;
      default:
        RunGroupOrRole(p, &r);
        return;
    }
  });
}

void LeaderSession::CheckOwnership(const ast::Statement& st, BoundStatement& b) {
  using K = ast::StatementKind;
  const CatalogVersion& cat = ReadCatalog();
  const catalog::Catalog& meta = cat.meta();
  if (IsSuperuserName(meta, user_) && st.kind != K::kCreateTable && st.kind != K::kCreateView) return;
  auto owner_of = [&](int64_t id) {
    const catalog::Table* t = FindTableById(cat, id);
    if (t != nullptr && !OwnsObject(meta, t->owner(), user_)) NotOwner(*t);
  };
  switch (st.kind) {
    case K::kDrop:
      for (int64_t id : b.drop_ids) owner_of(id);
      break;
    case K::kAlterTable:
      if (b.table.name().empty()) break;
      owner_of(b.table.id());
      if (st.alter->action == ast::AlterTableStmt::Action::kOwner && !IsSuperuserName(meta, user_) &&
          PrincipalsOf(meta, user_).count(st.alter->new_name) == 0) {
        throw SqlError(sqlstate::kInsufficientPrivilege, StrCat("must be able to SET ROLE \"", st.alter->new_name, "\""));
      }
      break;
    case K::kAppend:
      owner_of(b.table.id());
      owner_of(b.append_source.id());
      break;
    case K::kTruncate:
      for (const auto& q : st.truncate_tables) {
        const catalog::Table* t = LookupTable(cat, &session_values_, q.schema, q.name);
        if (t != nullptr && (TablePrivilegesOf(cat, *t, user_) & kPrivTruncate) == 0) Denied("table " + t->name());
      }
      break;
    case K::kCreateTable:
    case K::kCreateView: {
      if (b.table.name().empty()) break;  // IF NOT EXISTS, and it does
      if (user_ != kBootstrapUserName) b.table.set_owner(user_);
      if (!b.table.temporary() && (SchemaPrivilegesOf(cat, b.table.schema(), user_) & kPrivCreate) == 0) {
        Denied("schema " + b.table.schema());
      }
      if (b.table.temporary() && (DatabasePrivilegesOf(meta, user_) & kPrivTemporary) == 0) {
        throw SqlError(sqlstate::kInsufficientPrivilege, StrCat("permission denied to create temporary tables in database \"", database_, "\""));
      }
      // ALTER DEFAULT PRIVILEGES of the new owner: everywhere, then in the table's schema.
      for (const auto& d : meta.default_acls()) {
        if (d.functions()) continue;
        if (OwnerName(d.owner()) != OwnerName(b.table.owner()) || (!d.schema().empty() && d.schema() != b.table.schema())) continue;
        for (const auto& e : d.acl()) GrantOn(b.table.mutable_acl(), e.grantee(), b.table.owner(), e.privileges(), e.grant_options());
      }
      break;
    }
    default:
      break;
  }
}

bool LeaderSession::MayMaintain(const catalog::Table& t) const {
  return OwnsObject(ReadCatalog().meta(), t.owner(), user_);
}

}  // namespace strata
