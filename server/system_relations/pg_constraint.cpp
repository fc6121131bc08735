// pg_constraint: one row per declared PRIMARY KEY, UNIQUE and FOREIGN KEY constraint (oid
// ConstraintOid(table, index)), built from the catalog::Constraint entries of each table
// (planner/table_constraints.cpp binds them).
#include <algorithm>

#include "planner/pg_catalog_tables.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/shared_rows.h"
#include "server/system_relations/system_relation_context.h"
#include "catalog/table_styles.h"

namespace strata {
namespace {

// PostgreSQL's int2[] text of 1-based column numbers: {1,3}.
std::string AttnumArray(const google::protobuf::RepeatedField<int32_t>& ordinals) {
  std::string out = "{";
  for (int o : ordinals) {
    if (out.size() > 1) out += ",";
    out += std::to_string(o + 1);
  }
  return out + "}";
}

// A foreign key's conindid: the index of the referenced table's key on the referenced columns.
int64_t ReferencedKeyIndex(const CatalogVersion& cat, const catalog::Constraint& fk) {
  const catalog::Table* ref = TableById(cat, fk.ref_table_id());
  if (ref == nullptr) return 0;
  std::vector<int> wanted(fk.ref_columns().begin(), fk.ref_columns().end());
  std::sort(wanted.begin(), wanted.end());
  for (int i = 0; i < ref->constraints_size(); ++i) {
    const catalog::Constraint& k = ref->constraints(i);
    if (IsForeignKey(k)) continue;
    std::vector<int> have(k.columns().begin(), k.columns().end());
    std::sort(have.begin(), have.end());
    if (have == wanted) return KeyIndexOid(ref->id(), i);
  }
  return 0;
}

void Rows(const SystemRelationContext& ctx, Batch* out) {
  const CatalogVersion& cat = ctx.cat;
  RowWriter w(out);
  std::vector<std::string> schemas = UserSchemas(cat);
  for (const auto& t : cat.tables()) {
    for (int i = 0; i < t.constraints_size(); ++i) {
      const catalog::Constraint& c = t.constraints(i);
      const bool fk = IsForeignKey(c);
      // Foreign keys: ON UPDATE / ON DELETE NO ACTION ('a'), MATCH SIMPLE ('s'); blank otherwise.
      const char* action = fk ? "a" : " ";
      w.Add({I(ConstraintOid(t.id(), i)), S(c.name()), I(NamespaceOid(t.schema(), schemas)), S(ContypeOf(c.kind())), B(false),
             B(false), B(true), I(TableOid(t.id())), I(0), I(fk ? ReferencedKeyIndex(cat, c) : KeyIndexOid(t.id(), i)),
             I(0), I(fk ? TableOid(c.ref_table_id()) : 0),
             S(action), S(action), S(fk ? "s" : " "), B(true), I(0), B(true), S(AttnumArray(c.columns())),
             fk ? S(AttnumArray(c.ref_columns())) : kNullValue});
    }
  }
}

const SystemRelationRegistrar kPgConstraint(
    "pg_constraint", 2606,
    "oid:o conname:n connamespace:o contype:c condeferrable:b condeferred:b convalidated:b conrelid:o "
    "contypid:o conindid:o conparentid:o confrelid:o confupdtype:c confdeltype:c confmatchtype:c "
    "conislocal:b coninhcount:i connoinherit:b conkey:2 confkey:2 conpfeqop:O conppeqop:O conffeqop:O "
    "confdelsetcols:2 conexclop:O conbin:t",
    Rows);

}  // namespace
}  // namespace strata
