// Who may do what: the privileges of users, groups and roles on tables, columns, schemas and the
// database, as PostgreSQL and Redshift define them. Grants are AclEntry lists on the objects
// (catalog.proto); an object's owner and superusers hold every privilege. A user holds what is
// granted to it, to PUBLIC, and to every group or role it belongs to (roles granted to roles
// included). The binder (planner/privilege_check.h) and the leader's statements ask here; GRANT
// and REVOKE edit the lists with GrantOn / RevokeOn. The text forms are PostgreSQL's aclitem
// ("grantee=arwdDxt*/grantor"), so psql's \dp and pg_dump read them.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "catalog/catalog.pb.h"
#include "catalog/catalog_version.h"

namespace strata {

inline constexpr char kBootstrapUserName[] = "strata";

// One bit per privilege, in PostgreSQL's aclitem letter order.
enum Privilege : uint32_t {
  kPrivInsert = 1u << 0,      // a
  kPrivSelect = 1u << 1,      // r
  kPrivUpdate = 1u << 2,      // w
  kPrivDelete = 1u << 3,      // d
  kPrivTruncate = 1u << 4,    // D
  kPrivReferences = 1u << 5,  // x
  kPrivTrigger = 1u << 6,     // t
  kPrivExecute = 1u << 7,     // X
  kPrivUsage = 1u << 8,       // U
  kPrivCreate = 1u << 9,      // C
  kPrivConnect = 1u << 10,    // c
  kPrivTemporary = 1u << 11,  // T
};

// What each kind of object can be granted (ALL PRIVILEGES means these).
inline constexpr uint32_t kTablePrivileges =
    kPrivInsert | kPrivSelect | kPrivUpdate | kPrivDelete | kPrivTruncate | kPrivReferences | kPrivTrigger;
inline constexpr uint32_t kColumnPrivileges = kPrivInsert | kPrivSelect | kPrivUpdate | kPrivReferences;
inline constexpr uint32_t kSchemaPrivileges = kPrivUsage | kPrivCreate;
inline constexpr uint32_t kDatabasePrivileges = kPrivCreate | kPrivConnect | kPrivTemporary;

// "SELECT" -> kPrivSelect ... (upper or lower case; TEMP = TEMPORARY); 0 when unknown.
uint32_t PrivilegeByName(const std::string& name);
// The SQL name of one privilege bit ("SELECT").
std::string PrivilegeName(uint32_t bit);
// The aclitem letters of `privileges`, each followed by '*' when in `grant_options`.
std::string PrivilegeLetters(uint32_t privileges, uint32_t grant_options = 0);
// The bits of aclitem letters ("arwd"), for has_*_privilege's and aclitem's text; 0 when a
// letter is unknown.
uint32_t PrivilegesFromLetters(const std::string& letters);

// An ACL as PostgreSQL's aclitem[] text: {grantee=letters/grantor,...}, PUBLIC as an empty name.
// `owner`'s own entry comes first (every privilege of the kind, as PostgreSQL shows an object
// whose ACL was set), as it is implicit here. Empty when `acl` is empty and `shown_when_empty`
// is false (the column then reads NULL: default privileges).
std::string AclText(const google::protobuf::RepeatedPtrField<catalog::AclEntry>& acl, const std::string& owner,
                    uint32_t owner_privileges, bool show_owner);

// Names of users, groups and roles (one name space).
bool IsUserName(const catalog::Catalog& meta, const std::string& name);
const catalog::Role* FindRole(const catalog::Catalog& meta, const std::string& name);
catalog::Role* FindMutableRole(catalog::Catalog* meta, const std::string& name);
bool IsSuperuserName(const catalog::Catalog& meta, const std::string& user);
// `user` and every group and role it belongs to, directly or through other roles; "" (PUBLIC)
// included.
std::set<std::string> PrincipalsOf(const catalog::Catalog& meta, const std::string& user);

// The privileges `user` holds from an ACL (owner and superuser rights aside).
uint32_t GrantedIn(const google::protobuf::RepeatedPtrField<catalog::AclEntry>& acl, const std::set<std::string>& principals);
uint32_t GrantableIn(const google::protobuf::RepeatedPtrField<catalog::AclEntry>& acl, const std::set<std::string>& principals);

// The owner's name ("" means the bootstrap superuser).
inline std::string OwnerName(const std::string& owner) { return owner.empty() ? kBootstrapUserName : owner; }
// True when `user` owns the object: is its owner, a superuser, or a member of the role that owns it.
bool OwnsObject(const catalog::Catalog& meta, const std::string& owner, const std::string& user);

// What `user` may do with table (or view) `t` as a whole, and with its column `column`.
uint32_t TablePrivilegesOf(const CatalogVersion& cat, const catalog::Table& t, const std::string& user);
uint32_t ColumnPrivilegesOf(const CatalogVersion& cat, const catalog::Table& t, int column, const std::string& user);
// What `user` may do in schema `name` (USAGE, CREATE).
uint32_t SchemaPrivilegesOf(const CatalogVersion& cat, const std::string& name, const std::string& user);
// What `user` may do in the database (CREATE, CONNECT, TEMPORARY).
uint32_t DatabasePrivilegesOf(const catalog::Catalog& meta, const std::string& user);
// kPrivExecute when `user` may run the function or procedure (owner, superuser, a grant, or the
// default PUBLIC one); else 0.
uint32_t FunctionPrivilegesOf(const catalog::Catalog& meta, const catalog::Function& f, const std::string& user);
// The function's ACL as it stands (the default PUBLIC entry when none was set).
std::vector<catalog::AclEntry> EffectiveFunctionAcl(const catalog::Function& f);
// A new function's ACL from its owner's ALTER DEFAULT PRIVILEGES ... ON FUNCTIONS (every schema's,
// replacing the built-in PUBLIC EXECUTE, then its schema's grants); untouched when there is none.
void ApplyDefaultFunctionAcl(const catalog::Catalog& meta, catalog::Function* f);
// The ACL of schema `name` as it applies now: its own once set, else the default (public:
// USAGE and CREATE for PUBLIC; others: none beyond the owner's).
std::vector<catalog::AclEntry> EffectiveSchemaAcl(const catalog::Catalog& meta, const std::string& name);
std::vector<catalog::AclEntry> EffectiveDatabaseAcl(const catalog::Catalog& meta);

// GRANT `privileges` (with `grant_options` of them grantable) to `grantee` by `grantor`: merged
// into the grantee's entry from that grantor.
void GrantOn(google::protobuf::RepeatedPtrField<catalog::AclEntry>* acl, const std::string& grantee,
             const std::string& grantor, uint32_t privileges, uint32_t grant_options);
// REVOKE: takes `privileges` (or, with `only_grant_option`, just their grant option) from the
// entries of `grantee` — those `grantor` made, when given, else all; entries left empty go.
// What others granted on the strength of those grant options is DropOrphanGrants' to remove.
void RevokeOn(google::protobuf::RepeatedPtrField<catalog::AclEntry>* acl, const std::string& grantee,
              uint32_t privileges, bool only_grant_option, const std::string* grantor = nullptr);
// Removes what grantors other than `owner` granted on privileges they no longer hold with
// grant option (REVOKE ... CASCADE, done until nothing changes).
void DropOrphanGrants(google::protobuf::RepeatedPtrField<catalog::AclEntry>* acl, const catalog::Catalog& meta,
                      const std::string& owner);

// Roles and groups: the next id (after every user's and role's), and the commit's merge of the
// names a transaction created, altered or dropped (as users are merged).
int64_t NextRoleId(const catalog::Catalog& meta);

}  // namespace strata
