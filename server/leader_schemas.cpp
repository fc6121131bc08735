// Schemas: CREATE SCHEMA [IF NOT EXISTS] s [AUTHORIZATION u], ALTER SCHEMA s RENAME TO t | OWNER
// TO u, DROP SCHEMA [IF EXISTS] s, ... [CASCADE | RESTRICT], as PostgreSQL has them; and the
// end of a session's temporary tables. A schema is a catalog entry (catalog.proto's Schema);
// its tables name it. Renaming a schema rewrites the schema of each of its tables, under their
// write locks, so that a concurrent write to one of them fails one of the two with 40001.
#include "catalog/catalog_store.h"
#include "server/leader_session.h"
#include "planner/view_references.h"
#include "sql/error.h"

namespace strata {

namespace {

bool IsSystemSchema(const std::string& name) { return name == "pg_catalog" || name == "information_schema"; }

std::string Quoted(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

StatementResult LeaderSession::RunSchema(const ast::SchemaStmt& s) {
  using A = ast::SchemaStmt::Action;
  StatementResult r;
  const CatalogVersion& cat = ReadCatalog();
  auto check_owner = [&](const std::string& owner) {
    if (!owner.empty() && !UserExists(cat, owner)) throw SqlError(sqlstate::kUndefinedObject, StrCat("role \"", owner, "\" does not exist"));
  };
  // Only a schema's owner (or a superuser) alters or drops it; CREATE SCHEMA needs CREATE on the
  // database, and AUTHORIZATION of another user a superuser.
  auto check_schema_owner = [&](const std::string& name) {
    const catalog::Schema* entry = FindSchema(cat, name);
    if (!OwnsObject(cat.meta(), entry != nullptr ? entry->owner() : "", user_)) {
      throw SqlError(sqlstate::kInsufficientPrivilege, StrCat("must be owner of schema ", name));
    }
  };
  auto check_new_name = [&](const std::string& name) {
    if (name.rfind("pg_", 0) == 0) {
      throw SqlError(sqlstate::kReservedName, StrCat("unacceptable schema name \"", name, "\""));
    }
  };
  switch (s.action) {
    case A::kCreate: {
      r.command_tag = "CREATE SCHEMA";
      if (SchemaExists(cat, s.name)) {
        if (s.if_not_exists) {
          r.notices.push_back(StrCat("schema \"", s.name, "\" already exists, skipping"));
          return r;
        }
        throw SqlError(sqlstate::kDuplicateSchema, StrCat("schema \"", s.name, "\" already exists"));
      }
      check_new_name(s.name);
      check_owner(s.owner);
      if ((DatabasePrivilegesOf(cat.meta(), user_) & kPrivCreate) == 0) {
        throw SqlError(sqlstate::kInsufficientPrivilege, StrCat("permission denied for database ", database_));
      }
      if (!s.owner.empty() && s.owner != user_ && !IsSuperuserName(cat.meta(), user_)) {
        throw SqlError(sqlstate::kInsufficientPrivilege, StrCat("must be able to SET ROLE \"", s.owner, "\""));
      }
      catalog::Schema* added = txn_->catalog.EditMeta()->add_schemas();
      added->set_name(s.name);
      added->set_owner(s.owner.empty() ? user_ : s.owner);
      txn_->catalog.SchemaChanged(s.name);
      return r;
    }
    case A::kOwner: {
      r.command_tag = "ALTER SCHEMA";
      if (!SchemaExists(cat, s.name) || IsSystemSchema(s.name)) {
        throw SqlError(sqlstate::kUndefinedSchema, StrCat("schema \"", s.name, "\" does not exist"));
      }
      check_owner(s.owner);
      check_schema_owner(s.name);
      if (!IsSuperuserName(cat.meta(), user_) && s.owner != user_) {
        throw SqlError(sqlstate::kInsufficientPrivilege, StrCat("must be able to SET ROLE \"", s.owner, "\""));
      }
      catalog::Catalog* edit = txn_->catalog.EditMeta();
      catalog::Schema* entry = nullptr;
      for (auto& e : *edit->mutable_schemas()) {
        if (e.name() == s.name) entry = &e;
      }
      if (entry == nullptr) {  // a schema that only its tables named so far
        entry = edit->add_schemas();
        entry->set_name(s.name);
      }
      entry->set_owner(s.owner.empty() ? user_ : s.owner);
      txn_->catalog.SchemaChanged(s.name);
      return r;
    }
    case A::kRename: {
      r.command_tag = "ALTER SCHEMA";
      if (!SchemaExists(cat, s.name) || IsSystemSchema(s.name)) {
        throw SqlError(sqlstate::kUndefinedSchema, StrCat("schema \"", s.name, "\" does not exist"));
      }
      if (s.name == "public" || s.name.rfind("pg_temp_", 0) == 0) {
        throw SqlError(sqlstate::kFeatureNotSupported, StrCat("schema \"", s.name, "\" cannot be renamed"));
      }
      if (SchemaExists(cat, s.new_name)) throw SqlError(sqlstate::kDuplicateSchema, StrCat("schema \"", s.new_name, "\" already exists"));
      check_new_name(s.new_name);
      check_schema_owner(s.name);
      std::vector<std::pair<int64_t, std::string>> tables;
      for (const auto& t : cat.tables()) {
        if (t.schema() == s.name) tables.push_back({t.id(), t.name()});
      }
      for (const auto& [id, name] : tables) LockForWrite(id, name)->set_schema(s.new_name);
      catalog::Catalog* edit = txn_->catalog.EditMeta();
      bool found = false;
      for (auto& e : *edit->mutable_schemas()) {
        if (e.name() == s.name) {
          e.set_name(s.new_name);
          found = true;
        }
      }
      if (!found) {
        catalog::Schema* entry = edit->add_schemas();
        entry->set_name(s.new_name);
        entry->set_owner(user_);
      }
      txn_->catalog.SchemaChanged(s.name);
      txn_->catalog.SchemaChanged(s.new_name);
      return r;
    }
  }
  return r;
}

StatementResult LeaderSession::RunDropSchema(const ast::DropStmt& d) {
  StatementResult r;
  r.command_tag = "DROP SCHEMA";
  const CatalogVersion& cat = ReadCatalog();
  int cascaded = 0;
  for (const auto& n : d.names) {
    const std::string& name = n.name;
    if (IsSystemSchema(name) || name == "public") {
      throw SqlError(sqlstate::kDependentObjectsStillExist,
                     StrCat("cannot drop schema ", name, " because it is required by the database system"));
    }
    if (!SchemaExists(cat, name)) {
      if (d.if_exists) {
        r.notices.push_back(StrCat("schema \"", name, "\" does not exist, skipping"));
        continue;
      }
      throw SqlError(sqlstate::kUndefinedSchema, StrCat("schema \"", name, "\" does not exist"));
    }
    const catalog::Schema* entry = FindSchema(cat, name);
    if (!OwnsObject(cat.meta(), entry != nullptr ? entry->owner() : "", user_)) {
      throw SqlError(sqlstate::kInsufficientPrivilege, StrCat("must be owner of schema ", name));
    }
    std::vector<int64_t> ids;
    std::string first;
    for (const auto& t : cat.tables()) {
      if (t.schema() != name) continue;
      ids.push_back(t.id());
      if (first.empty()) first = StrCat(t.is_view() ? "view " : "table ", name, ".", t.name());
    }
    std::vector<std::string> function_keys;  // its functions and procedures go with it
    for (const auto& f : cat.functions()) {
      if (f.schema() != name) continue;
      function_keys.push_back(FunctionKey(f));
      if (first.empty()) first = StrCat(f.is_procedure() ? "procedure " : "function ", name, ".", f.name());
    }
    if ((!ids.empty() || !function_keys.empty()) && !d.cascade) {
      SqlError e(sqlstate::kDependentObjectsStillExist, StrCat("cannot drop schema ", name, " because other objects depend on it"));
      e.WithDetail(StrCat(first, " depends on schema ", name)).WithHint("Use DROP ... CASCADE to drop the dependent objects too.");
      throw e;
    }
    // Views elsewhere that read what goes go too (the schema's own are among `ids`).
    for (int64_t id : DependentViews(txn_->catalog.Read(), ids)) ids.push_back(id);
    for (int64_t id : ids) {
      AcquireTableLock(id);
      txn_->catalog.DropTable(id);
    }
    cascaded += static_cast<int>(ids.size() + function_keys.size());
    for (const std::string& key : function_keys) {
      auto* functions = txn_->catalog.EditMeta()->mutable_functions();
      for (int i = functions->size() - 1; i >= 0; --i) {
        if (FunctionKey(functions->Get(i)) == key) functions->DeleteSubrange(i, 1);
      }
      txn_->catalog.FunctionChanged(key);
    }
    auto* schemas = txn_->catalog.EditMeta()->mutable_schemas();
    for (int i = schemas->size() - 1; i >= 0; --i) {
      if (schemas->Get(i).name() == name) schemas->DeleteSubrange(i, 1);
    }
    txn_->catalog.SchemaChanged(name);
  }
  if (cascaded == 1) r.notices.push_back("drop cascades to 1 other object");
  if (cascaded > 1) r.notices.push_back(StrCat("drop cascades to ", cascaded, " other objects"));
  return r;
}

void LeaderSession::DropTemporaryTables() noexcept {
  try {
    CatalogPtr cat = ctx_.catalog->Current();
    std::string names;
    for (const auto& t : cat->tables()) {
      if (!t.temporary() || t.schema() != session_values_.temp_schema) continue;
      names += StrCat(names.empty() ? "" : ", ", Quoted(t.schema()), ".", Quoted(t.name()));
    }
    if (!names.empty()) RunSimple("drop table " + names);
  } catch (...) {
    // The tables stay until the leader restarts, which removes every temporary table.
  }
}

}  // namespace strata
