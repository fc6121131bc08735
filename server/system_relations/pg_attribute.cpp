// pg_attribute: one row per column of every user table and view, then one per column of every
// system relation with an oid. Redshift's attencodingtype, attisdistkey and attsortkeyord come
// after PostgreSQL's columns, as Redshift places them.
#include "planner/expr_builder.h"
#include "planner/pg_catalog_tables.h"
#include "planner/physical_planner.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/shared_rows.h"
#include "server/system_relations/system_relation_context.h"
#include "storage/encoding.h"
#include "catalog/catalog_privileges.h"
#include "catalog/table_styles.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  RowWriter w(out);
  auto add = [&](int64_t rel, const std::string& name, const SqlType& type, int num, bool not_null, bool has_def,
                 int encoding, bool distkey, int sortkey, const char* identity = "", CatalogValue acl = kNullValue) {
    int64_t collation = type.is_string() ? 100 : 0;
    w.Add({I(rel), S(name), I(type.pg_oid()), I(-1), I(type.pg_typlen()), I(num), I(0), I(-1), I(type.pg_typmod()),
           B(type.pg_typlen() > 0 && type.pg_typlen() <= 8), S(std::string(1, PgTypeAlign(type.pg_oid()))),
           S(std::string(1, PgTypeStorage(type.pg_oid()))), S(""), B(not_null), B(has_def), B(false), S(identity), S(""), B(false),
           B(true), I(0), I(collation), std::move(acl), kNullValue, kNullValue, kNullValue, I(encoding), B(distkey),
           I(sortkey)});
  };
  for (const auto& t : ctx.cat.tables()) {
    std::vector<int> enc;
    if (!t.is_view()) enc = ColumnEncodings(t);
    for (int i = 0; i < t.columns_size(); ++i) {
      const auto& c = t.columns(i);
      int encoding = t.is_view() ? 0 : RedshiftEncodingId(EncodingName(static_cast<Encoding>(enc[i])));
      bool distkey = !t.is_view() && t.dist_style() == catalog::DIST_KEY && t.distkey() == i;
      add(TableOid(t.id()), c.name(), FromProtoType(c.type()), i + 1, c.not_null(), ShowsDefault(c), encoding,
          distkey, t.is_view() ? 0 : SortKeyOrdinal(t, i), IdentityKind(c),
          c.acl().empty() ? kNullValue : S(AclText(c.acl(), t.owner(), 0, false)));
    }
  }
  for (const SystemRelation* rel : AllSystemRelations()) {
    if (rel->oid == kNotInPgClass) continue;
    for (size_t i = 0; i < rel->columns.size(); ++i) {
      add(rel->oid, rel->columns[i].name, rel->columns[i].type, i + 1, false, false, 0, false, 0);
    }
  }
}

const SystemRelationRegistrar kPgAttribute(
    "pg_attribute", 1249,
    "attrelid:o attname:n atttypid:o attstattarget:i attlen:s attnum:s attndims:i attcacheoff:i atttypmod:i "
    "attbyval:b attalign:c attstorage:c attcompression:t attnotnull:b atthasdef:b atthasmissing:b "
    "attidentity:t attgenerated:t attisdropped:b attislocal:b attinhcount:i attcollation:o attacl:A "
    "attoptions:a attfdwoptions:a attmissingval:a attencodingtype:s attisdistkey:b attsortkeyord:i",
    Rows);

}  // namespace
}  // namespace strata
