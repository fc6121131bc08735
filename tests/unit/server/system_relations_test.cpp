// The system relation registry (planner/system_relation.h) as the files of
// server/system_relations/ fill it: the relations clients rely on are there with PostgreSQL's
// oids and their shapes, names and oids are unique, and every producer writes rows as wide as
// its relation's columns.
#include "planner/system_relation.h"

#include <gtest/gtest.h>

#include <set>

#include "server/system_relations/system_relation_context.h"
#include "planner/expr_builder.h"

namespace strata {
namespace {

TEST(SystemRelations, PgClassHasPostgresOidAndShape) {
  const SystemRelation* r = FindSystemRelation("pg_class");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->oid, 1259);
  EXPECT_EQ(SystemRelationOid("pg_class"), 1259);
  ASSERT_EQ(r->columns.size(), 34u);
  EXPECT_EQ(r->columns[0].name, "oid");
  EXPECT_EQ(r->columns[0].type, SqlType::Int64());
  EXPECT_EQ(r->columns[1].type, SqlType::Varchar(128));
  EXPECT_EQ(r->columns.back().name, "reldiststyle");
  EXPECT_NE(r->produce, nullptr);
  EXPECT_FALSE(r->empty_without_binding);
}

TEST(SystemRelations, InformationSchemaIsFoundQualifiedOnly) {
  const SystemRelation* r = FindSystemRelation("information_schema.columns");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->oid, 12046);
  EXPECT_EQ(r->columns.size(), 44u);
  EXPECT_EQ(FindSystemRelation("columns"), nullptr);
}

TEST(SystemRelations, RedshiftTablesAreNotInPgClass) {
  const SystemRelation* r = FindSystemRelation("stv_slices");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->oid, kNotInPgClass);
  EXPECT_EQ(SystemRelationOid("stv_slices"), -1);
  ASSERT_EQ(r->columns.size(), 4u);
  EXPECT_EQ(r->columns[3].type, SqlType::Varchar(1));
  for (const char* name : {"stv_blocklist", "svv_table_info", "stl_load_errors", "stl_scan", "svl_query_summary",
                           "stv_recents", "stv_inflight", "pg_stat_activity", "pg_stats"}) {
    const SystemRelation* t = FindSystemRelation(name);
    ASSERT_NE(t, nullptr) << name;
    EXPECT_EQ(t->oid, kNotInPgClass) << name;
    EXPECT_NE(t->produce, nullptr) << name;
  }
  EXPECT_EQ(FindSystemRelation("no_such_relation"), nullptr);
  EXPECT_EQ(SystemRelationOid("no_such_relation"), -1);
}

TEST(SystemRelations, RelationsWithoutRows) {
  const SystemRelation* policy = FindSystemRelation("pg_policy");
  ASSERT_NE(policy, nullptr);
  EXPECT_EQ(policy->oid, 12022);
  EXPECT_EQ(policy->produce, nullptr);
  EXPECT_TRUE(policy->empty_without_binding);
  // pg_index has a row per key (the index PostgreSQL would build behind it).
  const SystemRelation* index = FindSystemRelation("pg_index");
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->oid, 2610);
  EXPECT_NE(index->produce, nullptr);
  const SystemRelation* en = FindSystemRelation("pg_enum");
  ASSERT_NE(en, nullptr);
  EXPECT_EQ(en->produce, nullptr);
  EXPECT_FALSE(en->empty_without_binding);
}

TEST(SystemRelations, NamesAndOidsAreUniqueAndListedByOid) {
  const auto& all = AllSystemRelations();
  EXPECT_EQ(all.size(), 113u);  // information_schema.table_privileges and column_privileges are the latest
  std::set<std::string> names;
  std::set<int64_t> oids;
  size_t in_pg_class = 0;
  for (size_t i = 0; i < all.size(); ++i) {
    const SystemRelation* r = all[i];
    EXPECT_TRUE(names.insert(r->name).second) << r->name;
    EXPECT_FALSE(r->columns.empty()) << r->name;
    EXPECT_EQ(FindSystemRelation(r->name), r);
    if (r->empty_without_binding) {
      EXPECT_EQ(r->produce, nullptr) << r->name;
    }
    if (r->oid != kNotInPgClass) {
      ++in_pg_class;
      EXPECT_TRUE(oids.insert(r->oid).second) << r->name;
      EXPECT_LT(r->oid, 16384) << r->name;  // below the first user oid
    }
    if (i > 0) {
      EXPECT_LE(all[i - 1]->oid, r->oid);
    }
  }
  EXPECT_EQ(in_pg_class, 76u);
}

TEST(SystemRelations, CompactColumnCodes) {
  std::vector<OutputColumn> cols =
      ParseSystemColumns("a:o b:n c:c d:b e:s f:i g:l h:f i:t j:a k:T l:Z m:v n:A o:2 p:O q:C r:V s:W");
  std::vector<SqlType> want = {SqlType::Int64(),     SqlType::Varchar(128),   SqlType::Char(1),
                               SqlType::Bool(),      SqlType::Int16(),        SqlType::Int32(),
                               SqlType::Int64(),     SqlType::Float32(),      SqlType::Varchar(65535),
                               SqlType::Array(1009), SqlType::Timestamp(),    SqlType::TimestampTz(),
                               SqlType::Varchar(256), SqlType::Array(1034),   SqlType::Array(1005),
                               SqlType::Array(1028), SqlType::Array(1002),    SqlType::Array(22),
                               SqlType::Array(30)};
  ASSERT_EQ(cols.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(cols[i].type, want[i]) << cols[i].name;
  EXPECT_EQ(cols[0].name, "a");
}

// Every producer that needs no running cluster writes whole rows: each column as long as the
// row count, over a catalog with a table, a key, a default, a comment and a view.
TEST(SystemRelations, ProducersWriteWholeRows) {
  catalog::Catalog cat;
  catalog::Table* t = cat.add_tables();
  t->set_id(1);
  t->set_schema("public");
  t->set_name("t");
  t->set_dist_style(catalog::DIST_EVEN);
  t->set_distkey(-1);
  t->set_comment("a table");
  for (const char* name : {"a", "b"}) {
    catalog::Column* c = t->add_columns();
    c->set_name(name);
    *c->mutable_type() = ToProtoType(SqlType::Int32());
  }
  t->mutable_columns(0)->set_not_null(true);
  catalog::Constraint* k = t->add_constraints();
  k->set_name("t_pkey");
  k->set_kind(catalog::PRIMARY_KEY);
  k->add_columns(0);
  catalog::Table* v = cat.add_tables();
  v->set_id(2);
  v->set_schema("s");
  v->set_name("v");
  v->set_is_view(true);
  v->set_view_sql("select a from t");
  *v->add_columns() = t->columns(0);
  CatalogPtr version = CatalogVersion::FromProto(cat);
  SystemRelationContext ctx{*version};
  for (const SystemRelation* r : AllSystemRelations()) {
    if (r->name == "stv_slices" || r->name == "stv_blocklist") continue;  // ask the cluster
    Batch rows = SystemRelationRows(*r, ctx);
    ASSERT_EQ(rows.columns.size(), r->columns.size()) << r->name;
    for (const Vector& col : rows.columns) EXPECT_EQ(col.size(), rows.rows) << r->name;
  }
  EXPECT_GT(SystemRelationRows(*FindSystemRelation("pg_class"), ctx).rows, 50u);
  EXPECT_EQ(SystemRelationRows(*FindSystemRelation("information_schema.key_column_usage"), ctx).rows, 1u);
}

}  // namespace
}  // namespace strata
