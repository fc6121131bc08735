// CREATE [OR REPLACE] FUNCTION ... LANGUAGE sql, CREATE [OR REPLACE] PROCEDURE ... LANGUAGE
// plpgsql and DROP FUNCTION | PROCEDURE [IF EXISTS] name[(types)]: users' scalar SQL functions
// and stored procedures (run by CALL, server/leader_procedures.cpp), kept in the catalog
// (catalog.proto's Function) through the transaction's edits, so that ROLLBACK undoes them and
// they persist once committed. A function's body is checked here (planner/sql_functions.h) and
// inlined by the binder at every call; a procedure's is parsed here (sql/plpgsql.h) and run by CALL.
#include "catalog/catalog_privileges.h"
#include "catalog/catalog_store.h"
#include "planner/expr_builder.h"
#include "planner/name_resolution.h"
#include "planner/sql_functions.h"
#include "server/leader_session.h"
#include "sql/error.h"
#include "sql/plpgsql.h"

namespace strata {

namespace {

std::string Signature(const std::string& name, const std::vector<SqlType>& types) {
  std::string out = name + "(";
  for (size_t i = 0; i < types.size(); ++i) out += StrCat(i ? ", " : "", DeclaredTypeText(types[i]));
  return out + ")";
}

bool SameArgumentTypes(const catalog::Function& f, const std::vector<SqlType>& types) {
  if (f.arg_types_size() != static_cast<int>(types.size())) return false;
  for (size_t i = 0; i < types.size(); ++i) {
    if (FromProtoType(f.arg_types(static_cast<int>(i))).id != types[i].id) return false;
  }
  return true;
}

}  // namespace

StatementResult LeaderSession::RunFunction(const ast::FunctionStmt& s) {
  StatementResult r;
  const CatalogVersion& cat = ReadCatalog();
  const char* what = s.procedure ? "procedure" : "function";
  if (s.action == ast::FunctionStmt::Action::kDrop) {
    r.command_tag = s.procedure ? "DROP PROCEDURE" : "DROP FUNCTION";
    std::vector<std::string> keys;
    for (const auto& sig : s.drops) {
      std::vector<const catalog::Function*> named = FunctionsNamed(cat, sig.schema, sig.name, s.procedure);
      std::vector<SqlType> types;
      for (const auto& t : sig.arg_types) types.push_back(DeclaredFunctionType(t));
      const catalog::Function* found = nullptr;
      if (!sig.args_given) {
        if (named.size() > 1) {
          throw SqlError(sqlstate::kAmbiguousFunction, StrCat(what, " name \"", sig.name, "\" is not unique"))
              .WithHint(StrCat("Specify the argument list to select the ", what, " unambiguously."));
        }
        if (!named.empty()) found = named[0];
      } else {
        for (const catalog::Function* f : named) {
          if (SameArgumentTypes(*f, types)) found = f;
        }
      }
      if (found == nullptr) {
        if (s.if_exists) {
          r.notices.push_back(StrCat(what, " ", Signature(sig.name, types), " does not exist, skipping"));
          continue;
        }
        if (!sig.args_given) {
          throw SqlError(sqlstate::kUndefinedFunction, StrCat("could not find a ", what, " named \"", sig.name, "\""));
        }
        throw SqlError(sqlstate::kUndefinedFunction, StrCat(what, " ", Signature(sig.name, types), " does not exist"));
      }
      keys.push_back(FunctionKey(*found));
    }
    catalog::Catalog* edit = txn_->catalog.EditMeta();
    for (const std::string& key : keys) {
      auto* functions = edit->mutable_functions();
      for (int i = functions->size() - 1; i >= 0; --i) {
        if (FunctionKey(functions->Get(i)) == key) functions->DeleteSubrange(i, 1);
      }
      txn_->catalog.FunctionChanged(key);
    }
    return r;
  }

  r.command_tag = s.procedure ? "CREATE PROCEDURE" : "CREATE FUNCTION";
  if (s.language.empty()) throw SqlError(sqlstate::kInvalidFunctionDefinition, "no language specified");
  if (s.language != "sql" && s.language != "plpgsql") {
    if (s.language == "plpythonu" || s.language == "plpython3u" || s.language == "c" || s.language == "internal") {
      throw SqlError(sqlstate::kFeatureNotSupported, StrCat("LANGUAGE ", s.language, " is not supported yet"));
    }
    throw SqlError(sqlstate::kUndefinedObject, StrCat("language \"", s.language, "\" does not exist"));
  }
  if (s.procedure && s.language != "plpgsql") {
    throw SqlError(sqlstate::kFeatureNotSupported, "procedures in LANGUAGE sql are not supported yet (LANGUAGE plpgsql is)");
  }
  if (!s.procedure && s.language != "sql") {
    throw SqlError(sqlstate::kFeatureNotSupported, "functions in LANGUAGE plpgsql are not supported yet (procedures are)");
  }
  if (!s.procedure && !s.return_type) throw SqlError(sqlstate::kInvalidFunctionDefinition, "function result type must be specified");
  catalog::Function f;
  f.set_schema(CreationSchema(cat, &session_values_, s.schema));
  f.set_name(s.name);
  f.set_is_procedure(s.procedure);
  std::vector<SqlType> types;
  std::string modes;
  for (size_t i = 0; i < s.arg_types.size(); ++i) {
    modes += static_cast<char>(s.arg_modes[i]);
    if (s.arg_modes[i] != 'i' && !s.procedure) throw SqlError(sqlstate::kFeatureNotSupported, "OUT arguments of functions are not supported yet");
    const std::string& name = s.arg_names[i];
    for (size_t j = 0; j < i && !name.empty(); ++j) {
      if (s.arg_names[j] == name) {
        throw SqlError(sqlstate::kInvalidFunctionDefinition, StrCat("parameter name \"", name, "\" used more than once"));
      }
    }
    types.push_back(DeclaredFunctionType(s.arg_types[i]));
    *f.add_arg_types() = ToProtoType(types.back());
    f.add_arg_names(name);
  }
  SqlType result;
  if (!s.procedure) {
    result = DeclaredFunctionType(*s.return_type);
    *f.mutable_return_type() = ToProtoType(result);
    f.set_volatility(s.volatility.empty() ? "v" : s.volatility);
  } else {
    f.set_volatility("v");
    f.set_arg_modes(modes);
  }
  f.set_language(s.language);
  f.set_body(s.body);
  f.set_owner(user_);
  const std::string key = FunctionKey(f);
  const catalog::Function* existing = FindFunctionByKey(cat, key);
  if (existing != nullptr) {
    if (!s.or_replace) {
      throw SqlError(sqlstate::kDuplicateFunction,
                     StrCat(what, " \"", s.name, "\" already exists with same argument types"));
    }
    if (existing->is_procedure() != s.procedure) {
      throw SqlError(sqlstate::kWrongObjectType, "cannot change routine kind")
          .WithDetail(StrCat("\"", s.name, "\" is a ", existing->is_procedure() ? "procedure." : "function."));
    }
    if (!s.procedure && FromProtoType(existing->return_type()).id != result.id) {
      throw SqlError(sqlstate::kInvalidFunctionDefinition, "cannot change return type of existing function")
          .WithHint(StrCat("Use DROP FUNCTION ", Signature(s.name, types), " first."));
    }
    f.set_oid(existing->oid());
    f.set_owner(existing->owner());
  }
  if (s.procedure) {
    plpgsql::ParseRoutine(ProcedureSourceText(f), NamedArguments(f));  // 42601, 0A000
  } else {
    CheckSqlFunctionBody(f, cat, &session_values_);
  }
  catalog::Catalog* edit = txn_->catalog.EditMeta();
  if (existing == nullptr) {
    f.set_oid(NextFunctionOid(*edit));
    edit->set_next_function_oid(f.oid() + 1);
    ApplyDefaultFunctionAcl(*edit, &f);
  } else {
    *f.mutable_acl() = existing->acl();  // CREATE OR REPLACE keeps the grants
    f.set_acl_set(existing->acl_set());
  }
  auto* functions = edit->mutable_functions();
  bool replaced = false;
  for (auto& g : *functions) {
    if (FunctionKey(g) == key) {
      g = f;
      replaced = true;
    }
  }
  if (!replaced) *edit->add_functions() = f;
  txn_->catalog.FunctionChanged(key);
  return r;
}

}  // namespace strata
