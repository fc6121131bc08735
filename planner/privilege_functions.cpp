// The has_*_privilege() functions (see privilege_functions.h).
#include "planner/privilege_functions.h"

#include <algorithm>
#include <cctype>

#include "catalog/catalog_privileges.h"
#include "catalog/catalog_store.h"
#include "planner/expr_binder.h"
#include "planner/expr_builder.h"
#include "planner/name_resolution.h"
#include "planner/pg_catalog_tables.h"
#include "sql/error.h"

namespace strata {
namespace {

const plan::Literal* ConstantArg(const std::vector<plan::Expr>& args, size_t i) {
  return i < args.size() && args[i].has_literal() ? &args[i].literal() : nullptr;
}

// A constant argument of a string type (a name), as against an oid.
bool IsText(const std::vector<plan::Expr>& args, size_t i) {
  return i < args.size() && args[i].has_literal() && !args[i].literal().is_null() && FromProtoType(args[i].type()).is_string();
}

plan::Expr Bool(bool v) { return CastExpr(Int64Literal(v ? 1 : 0, SqlType::Bool()), SqlType::Bool()); }

// "SELECT, insert WITH GRANT OPTION": the privileges, and whether grant options are asked.
struct Wanted {
  uint32_t bits = 0;
  bool grant_option = false;
};

Wanted ParseWanted(const std::string& text, uint32_t allowed, int location) {
  Wanted w;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? text.size() + 1 : comma + 1;
    std::string upper;
    for (char c : item) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    while (!upper.empty() && std::isspace(static_cast<unsigned char>(upper.front()))) upper.erase(upper.begin());
    while (!upper.empty() && std::isspace(static_cast<unsigned char>(upper.back()))) upper.pop_back();
    const std::string suffix = " WITH GRANT OPTION";
    if (upper.size() > suffix.size() && upper.compare(upper.size() - suffix.size(), suffix.size(), suffix) == 0) {
      upper.resize(upper.size() - suffix.size());
      while (!upper.empty() && std::isspace(static_cast<unsigned char>(upper.back()))) upper.pop_back();
      w.grant_option = true;
    }
    uint32_t bit = PrivilegeByName(upper);
    if (upper == "RULE") continue;  // PostgreSQL still accepts it, and it is never held
    if (bit == 0 || (bit & allowed) == 0) {
      FailAt(sqlstate::kInvalidParameterValue, StrCat("unrecognized privilege type: \"", item, "\""), location);
    }
    w.bits |= bit;
  }
  return w;
}

// The user the call asks about: the first argument when there are `full` arguments (a name or
// an oid), else the session's.
std::string UserArg(const CatalogVersion& cat, const SessionValues* sv, std::vector<plan::Expr>& args, size_t full,
                    int location) {
  if (args.size() < full) return sv != nullptr && !sv->user.empty() ? sv->user : kBootstrapUserName;
  const plan::Literal* l = ConstantArg(args, 0);
  if (l == nullptr || l->is_null()) FailAt(sqlstate::kFeatureNotSupported, "has_*_privilege() needs a constant user", location);
  if (IsText(args, 0)) {
    std::string name = l->str();
    if (!IsUserName(cat.meta(), name) && FindRole(cat.meta(), name) == nullptr) {
      FailAt(sqlstate::kUndefinedObject, StrCat("role \"", name, "\" does not exist"), location);
    }
    return name;
  }
  int64_t oid = l->i64();
  if (oid == kBootstrapUserOid) return kBootstrapUserName;
  for (const auto& u : cat.users()) if (u.id() == oid) return u.name();
  for (const auto& r : cat.meta().roles()) if (r.id() == oid) return r.name();
  FailAt(sqlstate::kUndefinedObject, StrCat("role with OID ", oid, " does not exist"), location);
}

bool Holds(uint32_t held, uint32_t grantable, const Wanted& w) {
  return ((w.grant_option ? grantable : held) & w.bits) != 0;
}

// Privileges and grant options of `user` on table `t` (column `column`, or the table when -1).
std::pair<uint32_t, uint32_t> OnTable(const CatalogVersion& cat, const catalog::Table& t, int column, const std::string& user) {
  if (OwnsObject(cat.meta(), t.owner(), user)) return {kTablePrivileges, kTablePrivileges};
  std::set<std::string> p = PrincipalsOf(cat.meta(), user);
  uint32_t held = GrantedIn(t.acl(), p), grantable = GrantableIn(t.acl(), p);
  if (column >= 0 && column < t.columns_size()) {
    held |= GrantedIn(t.columns(column).acl(), p);
    grantable |= GrantableIn(t.columns(column).acl(), p);
  }
  return {held, grantable};
}

bool AnyColumn(const CatalogVersion& cat, const catalog::Table& t, const std::string& user, const Wanted& w) {
  for (int c = -1; c < t.columns_size(); ++c) {
    auto [held, grantable] = OnTable(cat, t, c, user);
    if (Holds(held, grantable, w)) return true;
  }
  return false;
}

const catalog::Table* TableByOid(const CatalogVersion& cat, int64_t oid) { return FindTableById(cat, oid - kFirstUserOid); }

// The table a constant argument names (a name as regclass reads it, or an oid); nullptr for a
// system relation (everyone may read those).
const catalog::Table* TableArg(const CatalogVersion& cat, const SessionValues* sv, const plan::Expr& e, int location) {
  const plan::Literal& l = e.literal();
  if (FromProtoType(e.type()).is_string()) {
    std::string text = l.str(), schema, name = text;
    size_t dot = text.find('.');
    if (dot != std::string::npos && text.find('"') == std::string::npos) {
      schema = text.substr(0, dot);
      name = text.substr(dot + 1);
    }
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
    else std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    const catalog::Table* t = LookupTable(cat, sv, schema, name);
    if (t == nullptr && !(schema.empty() || schema == "pg_catalog" || schema == "information_schema")) {
      FailAt(sqlstate::kUndefinedTable, StrCat("relation \"", text, "\" does not exist"), location);
    }
    return t;
  }
  return TableByOid(cat, l.i64());
}

// f(x) per row over the user tables' oids: CASE x WHEN oid THEN … ELSE otherwise END = true.
plan::Expr PerTable(const CatalogVersion& cat, plan::Expr key, bool otherwise,
                    const std::function<bool(const catalog::Table&)>& f) {
  std::vector<plan::Expr> args;
  for (const auto& t : cat.tables()) {
    if (f(t) == otherwise) continue;
    args.push_back(CallExpr(plan::EQ, SqlType::Bool(), {CoerceTo(key, SqlType::Int64()), Int64Literal(TableOid(t.id()), SqlType::Int64())}));
    args.push_back(Bool(!otherwise));
  }
  if (args.empty()) return Bool(otherwise);
  args.push_back(Bool(otherwise));
  return CallExpr(plan::CASE, SqlType::Bool(), std::move(args));
}

}  // namespace

std::optional<plan::Expr> BindPrivilegeFunction(const CatalogVersion& cat, const SessionValues* sv, const std::string& name,
                                                std::vector<plan::Expr>& args, int location) {
  if (name.rfind("has_", 0) != 0 || name.size() <= 14 || name.compare(name.size() - 10, 10, "_privilege") != 0) {
    return std::nullopt;
  }
  const size_t n = args.size();
  auto wanted = [&](uint32_t allowed) {
    const plan::Literal* l = ConstantArg(args, n - 1);
    if (!IsText(args, n - 1)) FailAt(sqlstate::kFeatureNotSupported, StrCat(name, "() needs a constant privilege"), location);
    return ParseWanted(l->str(), allowed, location);
  };
  if (name == "has_table_privilege" || name == "has_any_column_privilege") {
    if (n != 2 && n != 3) return std::nullopt;
    const bool any_column = name == "has_any_column_privilege";
    std::string user = UserArg(cat, sv, args, 3, location);
    Wanted w = wanted(any_column ? kColumnPrivileges : kTablePrivileges);
    auto allowed = [&](const catalog::Table& t) {
      if (any_column) return AnyColumn(cat, t, user, w);
      auto [held, grantable] = OnTable(cat, t, -1, user);
      return Holds(held, grantable, w);
    };
    plan::Expr& table = args[n - 2];
    if (table.has_literal()) {
      if (table.literal().is_null()) return NullLiteral(SqlType::Bool());
      const catalog::Table* t = TableArg(cat, sv, table, location);
      return Bool(t == nullptr || allowed(*t));
    }
    return PerTable(cat, table, true, allowed);
  }
  if (name == "has_column_privilege") {
    if (n != 3 && n != 4) return std::nullopt;
    std::string user = UserArg(cat, sv, args, 4, location);
    Wanted w = wanted(kColumnPrivileges);
    const plan::Literal* table = ConstantArg(args, n - 3);
    const plan::Literal* column = ConstantArg(args, n - 2);
    if (table == nullptr || column == nullptr) {
      FailAt(sqlstate::kFeatureNotSupported, "has_column_privilege() needs a constant table and column", location);
    }
    if (table->is_null() || column->is_null()) return NullLiteral(SqlType::Bool());
    const catalog::Table* t = TableArg(cat, sv, args[n - 3], location);
    if (t == nullptr) return Bool(true);
    int c = -1;
    if (IsText(args, n - 2)) {
      for (int i = 0; i < t->columns_size(); ++i) if (t->columns(i).name() == column->str()) c = i;
      if (c < 0) FailAt(sqlstate::kUndefinedColumn, StrCat("column \"", column->str(), "\" of relation \"", t->name(), "\" does not exist"), location);
    } else {
      c = static_cast<int>(column->i64()) - 1;
      if (c < 0 || c >= t->columns_size()) return NullLiteral(SqlType::Bool());
    }
    auto [held, grantable] = OnTable(cat, *t, c, user);
    return Bool(Holds(held, grantable, w));
  }
  if (name == "has_schema_privilege") {
    if (n != 2 && n != 3) return std::nullopt;
    std::string user = UserArg(cat, sv, args, 3, location);
    Wanted w = wanted(kSchemaPrivileges);
    auto allowed = [&](const std::string& schema) {
      uint32_t held = SchemaPrivilegesOf(cat, schema, user);
      // Grant options of a schema: its owner's, or what its ACL gives with them.
      uint32_t grantable = 0;
      const catalog::Schema* s = FindSchema(cat.meta(), schema);
      if (OwnsObject(cat.meta(), s != nullptr ? s->owner() : "", user)) grantable = kSchemaPrivileges;
      else if (s != nullptr) grantable = GrantableIn(s->acl(), PrincipalsOf(cat.meta(), user));
      return Holds(held, grantable, w);
    };
    std::vector<std::string> schemas = UserSchemas(cat);
    std::vector<std::string> all = {"pg_catalog", "public", "information_schema"};
    all.insert(all.end(), schemas.begin(), schemas.end());
    plan::Expr& schema = args[n - 2];
    if (schema.has_literal()) {
      if (schema.literal().is_null()) return NullLiteral(SqlType::Bool());
      if (IsText(args, n - 2)) {
        if (!SchemaExists(cat, schema.literal().str())) {
          FailAt(sqlstate::kUndefinedSchema, StrCat("schema \"", schema.literal().str(), "\" does not exist"), location);
        }
        return Bool(allowed(schema.literal().str()));
      }
      for (const auto& s : all) if (NamespaceOid(s, schemas) == schema.literal().i64()) return Bool(allowed(s));
      return NullLiteral(SqlType::Bool());
    }
    std::vector<plan::Expr> cases;
    for (const auto& s : all) {
      if (allowed(s)) continue;
      cases.push_back(CallExpr(plan::EQ, SqlType::Bool(), {CoerceTo(schema, SqlType::Int64()), Int64Literal(NamespaceOid(s, schemas), SqlType::Int64())}));
      cases.push_back(Bool(false));
    }
    if (cases.empty()) return Bool(true);
    cases.push_back(Bool(true));
    return CallExpr(plan::CASE, SqlType::Bool(), std::move(cases));
  }
  if (name == "has_database_privilege") {
    if (n != 2 && n != 3) return std::nullopt;
    std::string user = UserArg(cat, sv, args, 3, location);
    Wanted w = wanted(kDatabasePrivileges);
    const plan::Literal* db = ConstantArg(args, n - 2);
    if (db != nullptr && IsText(args, n - 2) && sv != nullptr && !sv->database.empty() && db->str() != sv->database) {
      FailAt(sqlstate::kInvalidCatalogName, StrCat("database \"", db->str(), "\" does not exist"), location);
    }
    uint32_t held = DatabasePrivilegesOf(cat.meta(), user);
    uint32_t grantable = IsSuperuserName(cat.meta(), user) ? kDatabasePrivileges : GrantableIn(cat.meta().database_acl(), PrincipalsOf(cat.meta(), user));
    return Bool(Holds(held, grantable, w));
  }
  if (name == "has_function_privilege") {
    if (n != 2 && n != 3) return std::nullopt;
    std::string user = UserArg(cat, sv, args, 3, location);
    Wanted w = wanted(kPrivExecute);
    const plan::Literal* fn = ConstantArg(args, n - 2);
    if (fn == nullptr) return std::nullopt;
    if (fn->is_null()) return NullLiteral(SqlType::Bool());
    // 'name(argument types)' names the overloads of name (types are not told apart); an oid, one.
    std::vector<const catalog::Function*> found;
    if (IsText(args, n - 2)) {
      std::string text = fn->str();
      text = text.substr(0, text.find('('));
      while (!text.empty() && text.back() == ' ') text.pop_back();
      std::string schema;
      const size_t dot = text.find('.');
      if (dot != std::string::npos) {
        schema = text.substr(0, dot);
        text = text.substr(dot + 1);
      }
      for (const auto& f : cat.functions()) {
        if (f.name() == text && (schema.empty() || f.schema() == schema)) found.push_back(&f);
      }
    } else {
      for (const auto& f : cat.functions()) {
        if (f.oid() == fn->i64()) found.push_back(&f);
      }
    }
    if (found.empty()) return Bool(true);  // a built-in function: every user may run it
    for (const catalog::Function* f : found) {
      const uint32_t held = FunctionPrivilegesOf(cat.meta(), *f, user);
      const uint32_t grantable = OwnsObject(cat.meta(), f->owner(), user) || IsSuperuserName(cat.meta(), user)
                                     ? kPrivExecute
                                     : GrantableIn(f->acl(), PrincipalsOf(cat.meta(), user));
      if (!Holds(held, grantable, w)) return Bool(false);
    }
    return Bool(true);
  }
  // Sequences, types, languages, servers, tablespaces: Strata grants nothing on them and every
  // user may use them.
  return Bool(true);
}

}  // namespace strata
