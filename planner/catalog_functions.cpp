// See catalog_functions.h. Everything here folds at bind time: the values come from the session
// (planner/session_values.h) and the catalog version the statement reads, so a prepared
// statement sees the catalog of its own execution (the binder runs again at each Execute).
#include "planner/catalog_functions.h"
#include "planner/privilege_functions.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "planner/expr_binder.h"
#include "planner/expr_builder.h"
#include "planner/pg_catalog_tables.h"
#include "planner/table_constraints.h"
#include "planner/session_values.h"
#include "planner/sql_functions.h"
#include "planner/system_relation.h"
#include "planner/name_resolution.h"
#include "sql/array_types.h"
#include "sql/error.h"
#include "sql/value_text.h"
#include "sql/sqlstate.h"
#include "catalog/catalog_store.h"
#include "catalog/table_styles.h"

namespace strata {
namespace {

const SqlType kName = SqlType::Varchar(128);
const SqlType kText = SqlType::Varchar(65535);

std::string Setting(const SessionValues* sv, const std::string& name) {
  if (sv == nullptr || sv->settings == nullptr) return "";
  auto it = sv->settings->find(name);
  return it == sv->settings->end() ? "" : it->second;
}

const plan::Literal* Constant(const std::vector<plan::Expr>& args, size_t i) {
  return i < args.size() && args[i].has_literal() ? &args[i].literal() : nullptr;
}

std::string ConstantText(const std::vector<plan::Expr>& args, size_t i, const std::string& fn, int location) {
  const plan::Literal* l = Constant(args, i);
  if (l == nullptr) FailAt(sqlstate::kFeatureNotSupported, StrCat(fn, "() needs a constant argument"), location);
  return l->str();
}

plan::Expr Text(const std::string& s) { return StringLiteral(s, kText); }

plan::Expr BoolConst(bool v) {
  plan::Expr e = Int64Literal(v ? 1 : 0, SqlType::Bool());
  return CastExpr(std::move(e), SqlType::Bool());
}

// CASE key WHEN k1 THEN v1 ... ELSE otherwise END over a small map known at bind time.
plan::Expr Lookup(plan::Expr key, const std::vector<std::pair<int64_t, std::string>>& map, plan::Expr otherwise,
                  const SqlType& result) {
  std::vector<plan::Expr> args;
  for (const auto& [k, v] : map) {
    plan::Expr eq = CallExpr(plan::EQ, SqlType::Bool(), {CoerceTo(key, SqlType::Int64()), Int64Literal(k, SqlType::Int64())});
    args.push_back(std::move(eq));
    args.push_back(StringLiteral(v, result));
  }
  args.push_back(std::move(otherwise));
  if (args.size() == 1) return std::move(args[0]);
  return CallExpr(plan::CASE, result, std::move(args));
}

// A relation name as regclass input: "t", "s.t", "\"T\"" -> its oid; digits are an oid already.
int64_t RelationOidByName(const CatalogVersion& cat, const SessionValues* sv, const std::string& text, int location) {
  if (!text.empty() && text.size() < 19 && std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) {
    return std::stoll(text);
  }
  std::string schema, name = text;
  size_t dot = text.find('.');
  if (dot != std::string::npos && text.find('"') == std::string::npos) {
    schema = text.substr(0, dot);
    name = text.substr(dot + 1);
  }
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
    name = name.substr(1, name.size() - 2);
  } else {
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  }
  if (schema.empty() || schema == "pg_catalog") {
    int64_t oid = SystemRelationOid(name);
    if (oid >= 0) return oid;
  }
  if (schema == "information_schema") {
    int64_t oid = SystemRelationOid("information_schema." + name);
    if (oid >= 0) return oid;
  }
  const catalog::Table* t = LookupTable(cat, sv, schema, name);
  if (t == nullptr) FailAt(sqlstate::kUndefinedTable, StrCat("relation \"", text, "\" does not exist"), location);
  return TableOid(t->id());
}

// pg_database_size(name | oid): Strata's one database is `dev` (oid 1). Strata keeps no byte
// count a statement could read at bind time, so its size is 0, as pg_relation_size's is; another
// name is 3D000, another oid NULL (PostgreSQL's answers).
plan::Expr DatabaseSize(const SessionValues* sv, plan::Expr arg, int location) {
  std::string db = sv != nullptr && !sv->database.empty() ? sv->database : "dev";
  const int64_t kSize = 0;
  if (ExprType(arg).is_string() || IsUntypedStringLiteral(arg)) {
    if (arg.has_literal()) {
      if (arg.literal().is_null()) return NullLiteral(SqlType::Int64());
      if (arg.literal().str() != db) {
        FailAt(sqlstate::kInvalidCatalogName, StrCat("database \"", arg.literal().str(), "\" does not exist"), location);
      }
      return Int64Literal(kSize, SqlType::Int64());
    }
    plan::Expr is_db = CallExpr(plan::EQ, SqlType::Bool(), {CoerceTo(std::move(arg), kText), Text(db)});
    return CallExpr(plan::CASE, SqlType::Int64(), {std::move(is_db), Int64Literal(kSize, SqlType::Int64()),
                                                    NullLiteral(SqlType::Int64())});
  }
  if (!ExprType(arg).is_integer() && ExprType(arg).id != TypeId::kNull) {
    FailAt(sqlstate::kUndefinedFunction, StrCat("function pg_database_size(", ExprType(arg).ToString(), ") does not exist"),
         location);
  }
  plan::Expr is_db = CallExpr(plan::EQ, SqlType::Bool(), {CoerceTo(std::move(arg), SqlType::Int64()),
                                                          Int64Literal(1, SqlType::Int64())});
  return CallExpr(plan::CASE, SqlType::Int64(), {std::move(is_db), Int64Literal(kSize, SqlType::Int64()),
                                                  NullLiteral(SqlType::Int64())});
}

// pg_get_serial_sequence(table, column): the sequence behind a serial or identity column.
// Strata has no sequence objects (an identity column numbers itself, planner/identity_columns.h),
// so NULL, once the table (42P01) and, when given as constants, its
// column (42703, the name taken as written, as PostgreSQL does) are found.
plan::Expr SerialSequence(const CatalogVersion& cat, const SessionValues* sv, const std::vector<plan::Expr>& args,
                          int location) {
  const plan::Literal* table = Constant(args, 0);
  const plan::Literal* column = Constant(args, 1);
  if (table == nullptr || table->is_null() || column == nullptr || column->is_null()) return NullLiteral(kText);
  int64_t oid = RelationOidByName(cat, sv, table->str(), location);
  std::vector<std::string> columns;
  std::string relation;
  for (const auto& t : cat.tables()) {
    if (TableOid(t.id()) != oid) continue;
    relation = t.name();
    for (const auto& c : t.columns()) columns.push_back(c.name());
  }
  for (const SystemRelation* rel : AllSystemRelations()) {
    if (rel->oid != oid) continue;
    relation = rel->name.substr(rel->name.find('.') + 1);
    for (const auto& c : rel->columns) columns.push_back(c.name);
  }
  if (std::find(columns.begin(), columns.end(), column->str()) == columns.end()) {
    FailAt(sqlstate::kUndefinedColumn, StrCat("column \"", column->str(), "\" of relation \"", relation, "\" does not exist"),
           location);
  }
  return NullLiteral(kText);
}

}  // namespace

std::optional<plan::Expr> BindCatalogFunction(const CatalogVersion& cat, const SessionValues* sv, const std::string& name,
                                              std::vector<plan::Expr>& args, int location) {
  const size_t n = args.size();
  if (name.rfind("(operator)", 0) == 0) {
    FailAt(sqlstate::kFeatureNotSupported, StrCat("operator ", name.substr(10), " is not supported yet"), location);
  }
  if (name.rfind("(field).", 0) == 0) {
    FailAt(sqlstate::kFeatureNotSupported, StrCat("field selection (", name.substr(7), ") is not supported yet"), location);
  }
  if (name == "current_database" || name == "current_catalog") {
    return StringLiteral(sv != nullptr && !sv->database.empty() ? sv->database : "dev", kName);
  }
  if ((name == "current_user" || name == "session_user" || name == "user" || name == "current_role") && n == 0) {
    return StringLiteral(sv != nullptr && !sv->user.empty() ? sv->user : "strata", kName);
  }
  if (name == "current_user_id" && n == 0) {  // Redshift's: the session user's id (the bootstrap user's is 1)
    const std::string user = sv != nullptr && !sv->user.empty() ? sv->user : "strata";
    const catalog::User* u = FindUser(cat, user);
    return Int64Literal(u != nullptr ? u->id() : 1, SqlType::Int32());
  }
  if (name == "current_schema" && n == 0) {
    std::string current = CurrentSchema(cat, sv);
    return current.empty() ? NullLiteral(kName) : StringLiteral(current, kName);
  }
  if (name == "current_schemas" && n == 1) {
    const plan::Literal* l = Constant(args, 0);
    bool implicit = l != nullptr && l->i64() != 0;
    std::vector<std::string> path = SearchPath(cat, sv);
    if (implicit) path.insert(path.begin(), "pg_catalog");
    std::string text = "{";
    for (size_t i = 0; i < path.size(); ++i) text += (i ? "," : "") + path[i];
    return StringLiteral(text + "}", SqlType::Array(1003));  // name[]
  }
  if (name == "version" && n == 0) {
    return Text("PostgreSQL 15.0 on x86_64-pc-linux-gnu, compiled by g++, 64-bit (Strata 0.1)");
  }
  if (name == "pg_backend_pid" && n == 0) {
    return Int64Literal(sv != nullptr ? sv->backend_pid : 0, SqlType::Int32());
  }
  if ((name == "pg_cancel_backend" || name == "pg_terminate_backend") && (n == 1 || n == 2)) {
    // Folded when bound for execution, as set_config is: the signal goes out then, once.
    const plan::Literal* pid = Constant(args, 0);
    if (pid == nullptr) {
      // From rows (`from pg_stat_activity where ...`): signalled per row as the leader runs it.
      std::vector<plan::Expr> call;
      call.push_back(std::move(args[0]));
      call.push_back(BoolConst(name == "pg_terminate_backend"));
      return FunctionExpr("pg_signal_backend", SqlType::Bool(), std::move(call));
    }
    if (pid->is_null()) return NullLiteral(SqlType::Bool());
    bool done = sv != nullptr && sv->signal_backend && sv->signal_backend(pid->i64(), name == "pg_terminate_backend");
    return BoolConst(done);
  }
  if (name == "current_setting" && (n == 1 || n == 2)) {
    std::string key = ConstantText(args, 0, name, location);
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
    const plan::Literal* missing_ok = Constant(args, 1);
    if (sv != nullptr && sv->settings != nullptr && sv->settings->count(key) == 0 && key != "server_version" &&
        key != "server_version_num" && !(missing_ok != nullptr && missing_ok->i64() != 0)) {
      FailAt(sqlstate::kUndefinedObject, StrCat("unrecognized configuration parameter \"", key, "\""), location);
    }
    if (key == "server_version") return Text("15.0");
    if (key == "server_version_num") return Text("150000");
    return Text(Setting(sv, key));
  }
  if (name == "set_config" && n == 3 && (Constant(args, 0) == nullptr || Constant(args, 1) == nullptr)) {
    // From rows (pg_dump: `select set_config(name, ..., false) from pg_settings where ...`): set
    // per row as the leader runs it (executor/backend_signal.h). SET LOCAL semantics need a
    // constant is_local, so only session-wide changes are made this way.
    const plan::Literal* is_local = Constant(args, 2);
    if (is_local == nullptr || is_local->is_null() || is_local->i64() != 0) {
      FailAt(sqlstate::kFeatureNotSupported, "set_config() over rows needs is_local to be the constant false", location);
    }
    std::vector<plan::Expr> call;
    call.push_back(std::move(args[0]));
    call.push_back(std::move(args[1]));
    return FunctionExpr("pg_set_config", kText, std::move(call));
  }
  if (name == "set_config" && n == 3) {
    std::string key = ConstantText(args, 0, name, location);
    std::string value = ConstantText(args, 1, name, location);
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
    if (sv != nullptr && sv->apply_setting) sv->apply_setting(key, value);
    return Text(value);
  }
  if (name == "acldefault" && n == 2) {
    // The built-in privileges of an object of kind `type` owned by `owner`, as aclitem[] text:
    // the owner holds every privilege of the kind, and PUBLIC some of functions, languages and
    // types (PostgreSQL's acldefault). Strata grants nothing else yet, so these are every
    // object's privileges and pg_dump writes no GRANT.
    const plan::Literal* type = Constant(args, 0);
    if (type == nullptr || type->is_null() || type->str().size() != 1) return NullLiteral(kText);
    std::string privileges, to_public;
    switch (type->str()[0]) {
      case 'c': privileges = "rwU"; break;        // sequence
      case 'd': privileges = "CTc"; to_public = "Tc"; break;  // database
      case 'f': privileges = "X"; to_public = "X"; break;     // function
      case 'l': privileges = "U"; to_public = "U"; break;     // language
      case 'L': privileges = "rw"; break;         // large object
      case 'n': privileges = "UC"; break;         // schema
      case 'p': privileges = "sA"; break;         // parameter
      case 'r': privileges = "arwdDxt"; break;    // relation
      case 's': case 'F': case 'S': privileges = "U"; break;  // sequence usage, foreign data wrapper, server
      case 't': privileges = "C"; break;          // tablespace
      case 'T': privileges = "U"; to_public = "U"; break;     // type
      default: FailAt(sqlstate::kInvalidParameterValue, StrCat("unrecognized object type abbreviation: ", type->str()), location);
    }
    std::vector<std::pair<int64_t, std::string>> acls;
    auto add = [&](int64_t oid, const std::string& user) {
      std::string acl = "{";
      if (!to_public.empty()) acl += "=" + to_public + "/" + user + ",";
      acls.push_back({oid, acl + user + "=" + privileges + "/" + user + "}"});
    };
    add(kBootstrapUserOid, "strata");
    for (const auto& u : cat.users()) add(u.id(), u.name());
    return Lookup(std::move(args[1]), acls, NullLiteral(kText), kText);
  }
  if (name == "pg_get_userbyid" && n == 1) {
    std::vector<std::pair<int64_t, std::string>> users = {{kBootstrapUserOid, "strata"}};
    for (const auto& u : cat.users()) users.push_back({u.id(), u.name()});
    return Lookup(std::move(args[0]), users, NullLiteral(kName), kName);
  }
  if (name == "pg_get_viewdef" && (n == 1 || n == 2)) {
    std::vector<std::pair<int64_t, std::string>> views;
    for (const auto& t : cat.tables()) {
      // Ending with ';', as PostgreSQL's does (pg_dump drops the last character before adding its own).
      if (t.is_view()) views.push_back({TableOid(t.id()), t.view_sql() + ";"});
    }
    return Lookup(std::move(args[0]), views, NullLiteral(kText), kText);
  }
  if (name == "pg_table_is_visible" && n == 1) {
    // A table is visible when its name, unqualified, finds it along the search path.
    std::vector<plan::Expr> hidden;
    hidden.push_back(CoerceTo(std::move(args[0]), SqlType::Int64()));
    for (const auto& t : cat.tables()) {
      if (LookupTable(cat, sv, "", t.name()) != &t) hidden.push_back(Int64Literal(TableOid(t.id()), SqlType::Int64()));
    }
    // information_schema is not on the search path: its views are found only qualified.
    for (const SystemRelation* rel : AllSystemRelations()) {
      if (rel->oid != kNotInPgClass && rel->name.rfind("information_schema.", 0) == 0) {
        hidden.push_back(Int64Literal(rel->oid, SqlType::Int64()));
      }
    }
    if (hidden.size() == 1) return BoolConst(true);
    return CallExpr(plan::NOT, SqlType::Bool(), {CallExpr(plan::IN_LIST, SqlType::Bool(), std::move(hidden))});
  }
  if (auto privilege = BindPrivilegeFunction(cat, sv, name, args, location)) return privilege;
  if (name == "pg_function_is_visible" || name == "pg_type_is_visible" || name == "pg_collation_is_visible") {
    return BoolConst(true);
  }
  if (name == "pg_relation_is_publishable" || name == "pg_is_in_recovery") return BoolConst(false);
  if (name == "pg_get_expr" && (n == 2 || n == 3)) return CoerceTo(std::move(args[0]), kText);
  if (name == "pg_get_serial_sequence" && n == 2) return SerialSequence(cat, sv, args, location);
  if (name == "pg_tablespace_location" && n == 1) return Text("");  // pg_default / pg_global: the data folder
  if (name == "pg_partition_ancestors" && n == 1) {
    // Strata has no partitioned tables: a relation's only ancestor is itself (one row).
    ast::TypeName regclass;
    regclass.name = "regclass";
    return BindCatalogCast(cat, sv, std::move(args[0]), regclass, location);
  }
  if (name == "pg_get_indexdef" && (n == 1 || n == 3)) {
    // The CREATE INDEX PostgreSQL would show for a key's index (pg_index.cpp); with a column
    // number k > 0, the k-th key column's name.
    const plan::Literal* column = n == 3 ? Constant(args, 1) : nullptr;
    if (n == 3 && (column == nullptr || column->is_null())) return NullLiteral(kText);
    int64_t k = column != nullptr ? column->i64() : 0;
    std::vector<std::pair<int64_t, std::string>> defs;
    for (const auto& t : cat.tables()) {
      for (int i = 0; i < t.constraints_size(); ++i) {
        const catalog::Constraint& c = t.constraints(i);
        if (IsForeignKey(c)) continue;
        std::string names;
        for (int col : c.columns()) names += (names.empty() ? "" : ", ") + t.columns(col).name();
        if (k > 0) {
          if (k <= c.columns_size()) defs.push_back({KeyIndexOid(t.id(), i), t.columns(c.columns(static_cast<int>(k - 1))).name()});
          continue;
        }
        defs.push_back({KeyIndexOid(t.id(), i), StrCat("CREATE UNIQUE INDEX ", c.name(), " ON ", t.schema(), ".", t.name(),
                                                       " USING btree (", names, ")")});
      }
    }
    return Lookup(std::move(args[0]), defs, NullLiteral(kText), kText);
  }
  if (name == "pg_get_constraintdef" && (n == 1 || n == 2)) {
    std::vector<std::pair<int64_t, std::string>> defs;
    for (const auto& t : cat.tables()) {
      for (int i = 0; i < t.constraints_size(); ++i) {
        defs.push_back({ConstraintOid(t.id(), i), ConstraintDefinition(cat, t, t.constraints(i))});
      }
    }
    return Lookup(std::move(args[0]), defs, NullLiteral(kText), kText);
  }
  if (name == "obj_description" && (n == 1 || n == 2)) {
    // Comments are on relations only, so obj_description(oid, 'pg_class') is the one with rows.
    if (n == 2 && !(args[1].has_literal() && !args[1].literal().is_null() && args[1].literal().str() == "pg_class")) {
      return NullLiteral(kText);
    }
    std::vector<std::pair<int64_t, std::string>> comments;
    for (const auto& t : cat.tables()) {
      if (!t.comment().empty()) comments.push_back({TableOid(t.id()), t.comment()});
    }
    return Lookup(std::move(args[0]), comments, NullLiteral(kText), kText);
  }
  if (name == "col_description" && n == 2) {
    // CASE WHEN oid = t AND attnum = c THEN comment ... END over the commented columns.
    std::vector<plan::Expr> whens;
    for (const auto& t : cat.tables()) {
      for (int i = 0; i < t.columns_size(); ++i) {
        if (t.columns(i).comment().empty()) continue;
        plan::Expr same_table = CallExpr(plan::EQ, SqlType::Bool(), {CoerceTo(args[0], SqlType::Int64()),
                                                                      Int64Literal(TableOid(t.id()), SqlType::Int64())});
        plan::Expr same_column = CallExpr(plan::EQ, SqlType::Bool(), {CoerceTo(args[1], SqlType::Int64()),
                                                                       Int64Literal(i + 1, SqlType::Int64())});
        whens.push_back(CallExpr(plan::AND, SqlType::Bool(), {std::move(same_table), std::move(same_column)}));
        whens.push_back(StringLiteral(t.columns(i).comment(), kText));
      }
    }
    if (whens.empty()) return NullLiteral(kText);
    whens.push_back(NullLiteral(kText));
    return CallExpr(plan::CASE, kText, std::move(whens));
  }
  if (name == "pg_get_functiondef" && n == 1) {  // psql's \sf
    std::vector<std::pair<int64_t, std::string>> texts;
    for (const catalog::Function& f : cat.functions()) {
      const char* kind = f.is_procedure() ? "procedure" : "function";
      std::string def = StrCat("CREATE OR REPLACE ", f.is_procedure() ? "PROCEDURE " : "FUNCTION ", f.schema(), ".",
                               f.name(), "(", FunctionArgumentsText(f, true), ")\n");
      if (!f.is_procedure()) def += StrCat(" RETURNS ", DeclaredTypeText(FromProtoType(f.return_type())), "\n");
      def += StrCat(" LANGUAGE ", f.language(), "\n");
      if (f.volatility() == "i") def += " IMMUTABLE\n";
      if (f.volatility() == "s") def += " STABLE\n";
      def += StrCat("AS $", kind, "$", f.body(), "$", kind, "$\n");
      texts.push_back({f.oid(), def});
    }
    return Lookup(std::move(args[0]), texts, NullLiteral(kText), kText);
  }
  if ((name == "pg_get_function_result" || name == "pg_get_function_arguments" ||
       name == "pg_get_function_identity_arguments") && n == 1) {
    // The users' functions (planner/sql_functions.h); the built-in ones show NULL.
    std::vector<std::pair<int64_t, std::string>> texts;
    for (const catalog::Function& f : cat.functions()) {
      std::string text = name == "pg_get_function_result"
                             ? (f.is_procedure() ? std::string() : DeclaredTypeText(FromProtoType(f.return_type())))
                             : FunctionArgumentsText(f, true);
      if (name == "pg_get_function_result" && f.is_procedure()) continue;
      texts.push_back({f.oid(), text});
    }
    return Lookup(std::move(args[0]), texts, NullLiteral(kText), kText);
  }
  if (name == "shobj_description" || name == "pg_get_indexdef" || name == "pg_get_triggerdef" ||
      name == "pg_get_ruledef" || name == "pg_get_function_result" || name == "pg_get_function_arguments" ||
      name == "pg_get_function_identity_arguments" || name == "pg_get_statisticsobjdef_columns" ||
      name == "pg_get_function_sqlbody" ||
      name == "pg_get_partkeydef") {
    // Strata has no other indexes, no triggers or rules; its functions' bodies are text (prosrc).
    return NullLiteral(kText);
  }
  if (name == "pg_size_pretty" && n == 1) {
    if (args[0].has_literal()) return args[0].literal().is_null() ? NullLiteral(kText) : Text(PrettySize(args[0].literal().i64()));
    std::vector<plan::Expr> call;
    call.push_back(CoerceTo(std::move(args[0]), SqlType::Int64()));
    return FunctionExpr("pg_size_pretty", kText, std::move(call));
  }
  if ((name == "pg_total_relation_size" || name == "pg_relation_size" || name == "pg_table_size" ||
       name == "pg_indexes_size") && (n == 1 || (n == 2 && name == "pg_relation_size"))) {
    // A table's blocks on the compute nodes (its only fork: a fork other than 'main' is 0 bytes;
    // keys have no index structures, so pg_indexes_size is 0). A view or catalog is 0 bytes.
    bool other_fork = n == 2 && !(args[1].has_literal() && !args[1].literal().is_null() && args[1].literal().str() == "main");
    if (IsUntypedStringLiteral(args[0]) || (args[0].has_literal() && ExprType(args[0]).is_string())) {
      // pg_table_size('t'): the name as regclass input (42P01 when there is no such relation).
      args[0] = Int64Literal(RelationOidByName(cat, sv, args[0].literal().str(), location), SqlType::Int64());
    }
    if (name == "pg_indexes_size" || other_fork || sv == nullptr || !sv->table_bytes) return Int64Literal(0, SqlType::Int64());
    std::map<int64_t, int64_t> bytes = sv->table_bytes();
    std::vector<plan::Expr> whens;
    for (const auto& t : cat.tables()) {
      auto b = bytes.find(t.id());
      if (b == bytes.end() || b->second == 0) continue;
      whens.push_back(CallExpr(plan::EQ, SqlType::Bool(), {CoerceTo(args[0], SqlType::Int64()), Int64Literal(TableOid(t.id()), SqlType::Int64())}));
      whens.push_back(Int64Literal(b->second, SqlType::Int64()));
    }
    if (whens.empty()) return Int64Literal(0, SqlType::Int64());
    whens.push_back(Int64Literal(0, SqlType::Int64()));
    return CallExpr(plan::CASE, SqlType::Int64(), std::move(whens));
  }
  if (name == "pg_database_size" && n == 1) return DatabaseSize(sv, args[0], location);
  if (name == "pg_stat_get_numscans" && n == 1) return Int64Literal(0, SqlType::Int64());
  if (name == "format_encoding" && n == 1) {
    std::vector<std::pair<int64_t, std::string>> names;
    for (int64_t id : {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 128}) names.push_back({id, RedshiftEncodingName(id)});
    return Lookup(std::move(args[0]), names, NullLiteral(kText), kText);
  }
  if (name == "format" && n >= 1) {
    // format(text, VARIADIC "any"): every argument as its text (executor/expr_string_parts.cpp).
    for (plan::Expr& a : args) {
      if (!ExprType(a).is_string() || IsUntypedStringLiteral(a)) a = CastExpr(std::move(a), SqlType::Text());
    }
    return FunctionExpr("format", SqlType::Text(), std::move(args));
  }
  return std::nullopt;
}

std::optional<plan::Expr> BindCatalogCast(const CatalogVersion& cat, const SessionValues* sv, plan::Expr arg, const ast::TypeName& type, int location) {
  const std::string& t = type.name;
  bool literal_text = IsUntypedStringLiteral(arg) || (arg.has_literal() && ExprType(arg).is_string());
  if (t == "regclass") {
    if (literal_text) return Int64Literal(RelationOidByName(cat, sv, arg.literal().str(), location), SqlType::Int64());
    // A column of oids shows as relation names, as regclass output does (psql prints them); an
    // oid that names no relation shows as its number.
    std::vector<std::pair<int64_t, std::string>> names = {{0, "-"}};  // PostgreSQL's "no relation"
    for (const auto& rel : cat.tables()) {
      names.push_back({TableOid(rel.id()), rel.schema() == "public" ? rel.name() : rel.schema() + "." + rel.name()});
    }
    for (const SystemRelation* rel : AllSystemRelations()) {
      if (rel->oid != kNotInPgClass) names.push_back({rel->oid, rel->name});
    }
    plan::Expr number = CoerceTo(arg, kText);
    return Lookup(std::move(arg), names, std::move(number), kText);
  }
  if (t == "regtype") {
    if (literal_text) {
      int64_t oid = TypeOidByName(arg.literal().str());
      if (oid < 0) FailAt(sqlstate::kUndefinedObject, StrCat("type \"", arg.literal().str(), "\" does not exist"), location);
      return Int64Literal(oid, SqlType::Int64());
    }
    return CoerceTo(std::move(arg), SqlType::Int64());
  }
  if (t == "regnamespace") {
    if (literal_text) {
      int64_t oid = NamespaceOid(arg.literal().str(), UserSchemas(cat));
      if (oid < 0) FailAt(sqlstate::kUndefinedSchema, StrCat("schema \"", arg.literal().str(), "\" does not exist"), location);
      return Int64Literal(oid, SqlType::Int64());
    }
    return CoerceTo(std::move(arg), SqlType::Int64());
  }
  if (t == "regrole" && literal_text) {
    std::string user = arg.literal().str();
    if (user == "strata") return Int64Literal(kBootstrapUserOid, SqlType::Int64());
    for (const auto& u : cat.users()) {
      if (u.name() == user) return Int64Literal(u.id(), SqlType::Int64());
    }
    FailAt(sqlstate::kUndefinedObject, StrCat("role \"", user, "\" does not exist"), location);
  }
  if ((t == "regproc" || t == "regprocedure") && literal_text) {
    // 'name' or 'name(type, ...)' (psql's \sf): a user's function; 42883 when there is none.
    std::string text = arg.literal().str();
    size_t open = text.find('(');
    std::string name = text.substr(0, open);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    if (size_t dot = name.rfind('.'); dot != std::string::npos) name = name.substr(dot + 1);
    std::vector<int64_t> want;
    bool with_args = open != std::string::npos && t == "regprocedure";
    if (with_args) {
      std::string list = text.substr(open + 1, text.rfind(')') == std::string::npos ? std::string::npos : text.rfind(')') - open - 1);
      size_t start = 0;
      while (start < list.size()) {
        size_t comma = list.find(',', start);
        std::string one = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        while (!one.empty() && one.front() == ' ') one.erase(0, 1);
        while (!one.empty() && one.back() == ' ') one.pop_back();
        if (!one.empty()) want.push_back(TypeOidByName(one));
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    }
    std::vector<int64_t> found;
    for (const catalog::Function& f : cat.functions()) {
      if (f.name() != name) continue;
      bool same = !with_args || f.arg_types_size() == static_cast<int>(want.size());
      for (int i = 0; same && with_args && i < f.arg_types_size(); ++i) {
        same = static_cast<int64_t>(FromProtoType(f.arg_types(i)).pg_oid()) == want[static_cast<size_t>(i)];
      }
      if (same) found.push_back(f.oid());
    }
    if (found.empty() && t == "regproc") {
      // 'pg_catalog.array_in'::regproc: a built-in function by its name (digits are an oid already).
      if (!text.empty() && text.size() < 19 &&
          std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) {
        return Int64Literal(std::stoll(text), SqlType::Int64());
      }
      int64_t oid = ProcOidByName(text.rfind("pg_catalog.", 0) == 0 ? text.substr(11) : text);
      if (oid >= 0) return Int64Literal(oid, SqlType::Int64());
    }
    if (found.empty()) FailAt(sqlstate::kUndefinedFunction, StrCat("function \"", text, "\" does not exist"), location);
    if (found.size() > 1) FailAt(sqlstate::kAmbiguousFunction, StrCat("more than one function named \"", name, "\""), location);
    return Int64Literal(found[0], SqlType::Int64());
  }
  if (t == "oid" || t == "regproc" || t == "regprocedure" || t == "regrole" || t == "xid" || t == "regoper") {
    return CoerceTo(std::move(arg), SqlType::Int64());
  }
  if (t == "name") return CastExpr(std::move(arg), kName);
  // Arrays are carried as their text, typed as the array type when Strata knows it.
  if (const ArrayTypeInfo* array = FindArrayTypeByName(t)) return CastExpr(std::move(arg), SqlType::Array(array->oid));
  if (!t.empty() && t[0] == '_') return CastExpr(std::move(arg), kText);
  return std::nullopt;
}

}  // namespace strata
