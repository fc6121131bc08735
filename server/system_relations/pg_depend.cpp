// pg_depend: what each view reads (one 'n' row per table or view its query names, found by
// parsing the stored definition and resolving the names along the view's search path). Other
// objects Strata has (keys, columns) depend on their tables in ways pg_dump and psql already
// infer, so only views are listed. pg_dump orders its CREATE VIEWs after their tables by these.
#include <set>

#include "planner/name_resolution.h"
#include "planner/pg_catalog_tables.h"
#include "planner/session_values.h"
#include "planner/view_references.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"
#include "sql/error.h"
#include "sql/parser.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  RowWriter w(out);
  const int64_t pg_class = SystemRelationOid("pg_class");
  for (const auto& view : ctx.cat.tables()) {
    if (!view.is_view()) continue;
    std::vector<ast::Statement> parsed;
    try {
      parsed = ParseSql(view.view_sql());
    } catch (const SqlError&) {
      continue;  // a definition that no longer parses has no dependencies to show
    }
    if (parsed.size() != 1 || parsed[0].select == nullptr) continue;
    std::map<std::string, std::string> settings;
    if (!view.view_search_path().empty()) settings["search_path"] = view.view_search_path();
    SessionValues session;
    session.settings = &settings;
    std::set<int64_t> seen;
    for (const ast::QualifiedName& name : RelationsNamedIn(*parsed[0].select)) {
      const catalog::Table* t = LookupTable(ctx.cat, &session, name.schema, name.name);
      if (t == nullptr || t->id() == view.id() || !seen.insert(t->id()).second) continue;
      w.Add({I(pg_class), I(TableOid(view.id())), I(0), I(pg_class), I(TableOid(t->id())), I(0), S("n")});
    }
  }
}

const SystemRelationRegistrar kPgDepend(
    "pg_depend", 2608, "classid:o objid:o objsubid:i refclassid:o refobjid:o refobjsubid:i deptype:c", Rows);

}  // namespace
}  // namespace strata
