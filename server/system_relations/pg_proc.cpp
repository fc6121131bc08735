// pg_proc: the functions Strata's binder knows, for tools that list them (\df shows only
// non-pg_catalog ones): scalar functions from oid 9000, then the aggregates; then the users'
// functions and procedures (catalog.proto's Function) with their own oids from 20000.
#include "catalog/catalog_store.h"
#include "planner/expr_builder.h"
#include "planner/pg_catalog_tables.h"
#include "planner/sql_functions.h"
#include "catalog/catalog_privileges.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

// pg_language oids: sql is 14 as in PostgreSQL; plpgsql's is fixed here (PostgreSQL's depends on
// the installation).
constexpr int64_t kSqlLanguageOid = 14;
constexpr int64_t kPlpgsqlLanguageOid = 13000 + 576;

void UserFunctionRows(const SystemRelationContext& ctx, RowWriter* w) {
  std::vector<std::string> schemas = UserSchemas(ctx.cat);
  for (const catalog::Function& f : ctx.cat.functions()) {
    std::string argtypes, argnames;
    bool named = false;
    for (int i = 0; i < f.arg_types_size(); ++i) {
      argtypes += StrCat(i ? " " : "", FromProtoType(f.arg_types(i)).pg_oid());
      const std::string& n = i < f.arg_names_size() ? f.arg_names(i) : "";
      named = named || !n.empty();
      argnames += StrCat(i ? "," : "{", n.empty() ? "\"\"" : n);
    }
    argnames += f.arg_types_size() ? "}" : "";
    // OUT / INOUT arguments: every argument's type and mode (PostgreSQL fills both only then).
    const bool all_in = f.arg_modes().find_first_not_of('i') == std::string::npos;
    std::string alltypes, modes;
    for (int i = 0; i < f.arg_types_size() && !all_in; ++i) {
      alltypes += StrCat(i ? "," : "{", FromProtoType(f.arg_types(i)).pg_oid());
      modes += StrCat(i ? "," : "{", std::string(1, i < static_cast<int>(f.arg_modes().size()) ? f.arg_modes()[i] : 'i'));
    }
    const catalog::User* owner = FindUser(ctx.cat, f.owner());
    int64_t rettype = f.is_procedure() ? 0 : FromProtoType(f.return_type()).pg_oid();
    w->Add({I(f.oid()), S(f.name()), I(NamespaceOid(f.schema(), schemas)), I(owner ? owner->id() : kBootstrapUserOid),
            I(f.language() == "sql" ? kSqlLanguageOid : kPlpgsqlLanguageOid), F(100), F(0), I(0), I(0),
            S(f.is_procedure() ? "p" : "f"), B(false), B(false), B(false), B(false), S(f.volatility().substr(0, 1)), S("u"),
            I(f.arg_types_size()), I(0), I(rettype), S(argtypes), all_in ? kNullValue : S(alltypes + "}"),
            all_in ? kNullValue : S(modes + "}"),
            named ? S(argnames) : kNullValue, kNullValue, kNullValue, S(f.body()), kNullValue, kNullValue, kNullValue,
            f.acl_set() ? S(AclText(f.acl(), OwnerName(f.owner()), kPrivExecute, true)) : kNullValue});
  }
}

void Rows(const SystemRelationContext& ctx, Batch* out) {
  RowWriter w(out);
  int64_t oid = 9000;
  for (const char* f : {"lower", "upper", "length", "substring", "trim", "abs", "round", "coalesce", "nullif",
                        "date_part", "format_type", "version", "current_database", "current_schema"}) {
    w.Add({I(oid++), S(f), I(kPgCatalogNamespaceOid), I(kBootstrapUserOid), I(12), F(1), F(0), I(0), I(0), S("f"),
           B(false), B(false), B(false), B(false), S("i"), S("s"), I(0), I(0), I(25)});
  }
  for (const char* f : {"count", "sum", "avg", "min", "max"}) {
    w.Add({I(oid++), S(f), I(kPgCatalogNamespaceOid), I(kBootstrapUserOid), I(12), F(1), F(0), I(0), I(0), S("a"),
           B(false), B(false), B(false), B(false), S("i"), S("s"), I(1), I(0), I(20)});
  }
  UserFunctionRows(ctx, &w);
}

const SystemRelationRegistrar kPgProc(
    "pg_proc", 1255,
    "oid:o proname:n pronamespace:o proowner:o prolang:o procost:f prorows:f provariadic:o prosupport:o "
    "prokind:c prosecdef:b proleakproof:b proisstrict:b proretset:b provolatile:c proparallel:c pronargs:s "
    "pronargdefaults:s prorettype:o proargtypes:W proallargtypes:O proargmodes:C proargnames:a "
    "proargdefaults:t protrftypes:O prosrc:t probin:t prosqlbody:t proconfig:a proacl:A",
    Rows);

}  // namespace
}  // namespace strata
