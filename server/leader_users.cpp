// CREATE USER / ALTER USER / DROP USER on the leader, and what the authenticator reads from the
// catalog. Users live in the catalog (catalog.proto's User) and change through the session's
// transaction like tables do: the working copy is edited, the names touched are recorded in
// CatalogChanges::users, and the commit merges them (catalog/catalog_users.cpp), so ROLLBACK
// undoes them. A plain-text password is stored as a SCRAM-SHA-256 verifier; an 'md5' + 32 hex
// string or a SCRAM verifier is stored as given. The bootstrap superuser `strata` is implicit:
// it cannot be created, altered or dropped here.
#include <algorithm>

#include "server/leader_session.h"
#include "server/pgwire/password_verifiers.h"
#include "sql/error.h"

namespace strata {
namespace {

[[noreturn]] void RoleExists(const std::string& name) {
  throw SqlError(sqlstate::kDuplicateObject, StrCat("role \"", name, "\" already exists"));
}
[[noreturn]] void RoleMissing(const std::string& name) {
  throw SqlError(sqlstate::kUndefinedObject, StrCat("role \"", name, "\" does not exist"));
}

// The stored form of a PASSWORD option; empty = no password. `notices` gets PostgreSQL's
// notice for an empty password.
std::string StoredPassword(const std::string& given, std::vector<std::string>* notices) {
  if (given.empty()) {
    notices->push_back("empty string is not a valid password, clearing password");
    return "";
  }
  if (pgwire::IsMd5Password(given)) {
    std::string lower = given;
    for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
    return lower;
  }
  if (pgwire::ParseScramVerifier(given)) return given;
  return pgwire::MakeScramVerifier(given);
}

}  // namespace

std::optional<std::string> StoredPasswordOf(const CatalogVersion& c, const std::string& user) {
  const catalog::User* u = FindUser(c, user);
  if (u == nullptr || u->password().empty()) return std::nullopt;
  return u->password();
}

bool UserExists(const CatalogVersion& c, const std::string& user) {
  return user == kBootstrapUser || FindUser(c, user) != nullptr;
}

bool UserIsSuperuser(const catalog::Catalog& c, const std::string& user) {
  if (user == kBootstrapUser) return true;
  const catalog::User* u = FindUser(c, user);
  return u != nullptr && u->superuser();
}

bool AnyUserHasPassword(const CatalogVersion& c) {
  for (const auto& u : c.users()) {
    if (!u.password().empty()) return true;
  }
  return false;
}

StatementResult LeaderSession::RunUser(const ast::UserStmt& u) {
  using A = ast::UserStmt::Action;
  return InTransaction([&](StatementResult& r) {
    catalog::Catalog* cat = txn_->catalog.EditMeta();
    // Only superusers manage users (a user may change its own password).
    bool superuser = UserIsSuperuser(*cat, user_);
    bool own_password = u.action == A::kAlter && u.names[0] == user_ && u.rename_to.empty() &&
                        !u.superuser && !u.create_db;
    if (!superuser && !own_password) {
      throw SqlError(sqlstate::kInsufficientPrivilege,
                     u.action == A::kCreate ? "permission denied to create role"
                     : u.action == A::kAlter ? "permission denied to alter role" : "permission denied to drop role");
    }
    switch (u.action) {
      case A::kCreate: {
        const std::string& name = u.names[0];
        if (name == kBootstrapUser || FindUser(*cat, name) != nullptr || FindRole(*cat, name) != nullptr) RoleExists(name);
        catalog::User* added = cat->add_users();
        added->set_id(NextUserId(*cat));
        added->set_name(name);
        if (u.password) added->set_password(StoredPassword(*u.password, &r.notices));
        added->set_superuser(u.superuser.value_or(false));
        added->set_create_db(u.create_db.value_or(false));
        cat->set_next_user_id(added->id() + 1);
        txn_->catalog.UserChanged(name);
        r.command_tag = "CREATE USER";
        break;
      }
      case A::kAlter: {
        const std::string& name = u.names[0];
        if (name == kBootstrapUser) {
          throw SqlError(sqlstate::kFeatureNotSupported,
                         StrCat("the bootstrap user \"", name, "\" cannot be altered; its password is set with --password"));
        }
        catalog::User* target = FindMutableUser(cat, name);
        if (target == nullptr) RoleMissing(name);
        if (!u.rename_to.empty()) {
          if (u.rename_to == kBootstrapUser || FindUser(*cat, u.rename_to) != nullptr || FindRole(*cat, u.rename_to) != nullptr) {
            RoleExists(u.rename_to);
          }
          target->set_name(u.rename_to);
          // Its memberships, grants and owned objects follow the new name.
          for (auto& role : *cat->mutable_roles()) {
            for (auto& m : *role.mutable_members()) if (m == name) m = u.rename_to;
          }
          RenameGrantee(name, u.rename_to);
          // An MD5 hash is salted with the user name: it no longer matches (as PostgreSQL).
          if (pgwire::IsMd5Password(target->password())) {
            target->clear_password();
            r.notices.push_back("MD5 password cleared because of role rename");
          }
          txn_->catalog.UserChanged(u.rename_to);
        }
        if (u.password) target->set_password(StoredPassword(*u.password, &r.notices));
        if (u.password_disable) target->clear_password();
        if (u.superuser) target->set_superuser(*u.superuser);
        if (u.create_db) target->set_create_db(*u.create_db);
        txn_->catalog.UserChanged(name);
        r.command_tag = "ALTER USER";
        break;
      }
      case A::kDrop: {
        for (const std::string& name : u.names) {
          if (name == kBootstrapUser) {
            throw SqlError(sqlstate::kDependentObjectsStillExist,
                           StrCat("cannot drop role ", name, " because it is required by the database system"));
          }
          if (name == user_) throw SqlError(sqlstate::kObjectInUse, "current user cannot be dropped");
          auto* users = cat->mutable_users();
          int at = -1;
          for (int i = 0; i < users->size(); ++i) {
            if (users->Get(i).name() == name) at = i;
          }
          if (at < 0) {
            if (!u.if_exists) RoleMissing(name);
            r.notices.push_back(StrCat("role \"", name, "\" does not exist, skipping"));
            continue;
          }
          // As PostgreSQL: a user that owns objects or holds privileges stays until they go.
          std::string holds = PrivilegesHeldBy(name);
          for (const auto& t : txn_->catalog.Read().tables()) {
            if (holds.empty() && t.owner() == name) holds = StrCat("owner of ", t.is_view() ? "view " : "table ", t.name());
          }
          for (const auto& s : txn_->catalog.Read().schemas()) {
            if (holds.empty() && s.owner() == name) holds = StrCat("owner of schema ", s.name());
          }
          if (!holds.empty()) {
            throw SqlError(sqlstate::kDependentObjectsStillExist,
                           StrCat("role \"", name, "\" cannot be dropped because some objects depend on it"))
                .WithDetail(holds.rfind("owner", 0) == 0 ? holds : "privileges for " + holds);
          }
          users->DeleteSubrange(at, 1);
          txn_->catalog.UserChanged(name);
          bool member = false;
          for (const auto& role : cat->roles()) {
            member = member || std::find(role.members().begin(), role.members().end(), name) != role.members().end();
          }
          if (member) {
            for (auto& role : *cat->mutable_roles()) {
              auto& members = *role.mutable_members();
              members.erase(std::remove(members.begin(), members.end(), name), members.end());
            }
            txn_->catalog.SecurityChanged();
          }
        }
        r.command_tag = "DROP USER";
        break;
      }
    }
  });
}

}  // namespace strata
