// catalog/catalog_transaction.h: reads share the committed version until the first edit, and
// every typed edit records the change the commit checks.
#include "catalog/catalog_transaction.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace strata {
namespace {

CatalogPtr Committed() {
  catalog::Catalog c;
  for (int64_t id : {1, 2}) {
    catalog::Table* t = c.add_tables();
    t->set_id(id);
    t->set_schema("public");
    t->set_name(id == 1 ? "a" : "b");
    t->set_version(7);
  }
  return CatalogVersion::FromProto(c);
}

TEST(CatalogTransaction, ReadsShareTheCommittedVersionUntilTheFirstEdit) {
  CatalogPtr committed = Committed();
  CatalogTransaction txn(committed);
  EXPECT_EQ(&txn.Read(), committed.get());
  EXPECT_FALSE(txn.HasWorkingCopy());
  EXPECT_FALSE(txn.HasChanges());
  catalog::Table* t = txn.WriteTable(1);
  ASSERT_NE(t, nullptr);
  EXPECT_TRUE(txn.HasWorkingCopy());
  EXPECT_NE(&txn.Read(), committed.get());
  t->set_rows(5);
  EXPECT_EQ(FindTableById(txn.Read(), 1)->rows(), 5);
  EXPECT_EQ(FindTableById(*committed, 1)->rows(), 0);  // the committed version is untouched
}

TEST(CatalogTransaction, WriteRecordsTheVersionItIsBasedOnOnce) {
  CatalogTransaction txn(Committed());
  txn.WriteTable(2)->set_version(8);
  txn.WriteTable(2);
  ASSERT_EQ(txn.changes().written.count(2), 1u);
  EXPECT_EQ(txn.changes().written.at(2), 7);
  EXPECT_TRUE(txn.Touched(2));
  EXPECT_TRUE(txn.WroteTables());
  EXPECT_EQ(txn.WriteTable(99), nullptr);
}

TEST(CatalogTransaction, DropOfATableCreatedHereLeavesNoTrace) {
  CatalogTransaction txn(Committed());
  catalog::Table t;
  t.set_id(3);
  t.set_schema("public");
  t.set_name("c");
  txn.CreateTable(t);
  EXPECT_NE(FindTable(txn.Read(), "public", "c"), nullptr);
  EXPECT_TRUE(txn.DropTable(3));
  EXPECT_EQ(FindTable(txn.Read(), "public", "c"), nullptr);
  EXPECT_TRUE(txn.changes().created.empty());
  EXPECT_TRUE(txn.changes().dropped.empty());
}

TEST(CatalogTransaction, DropOfACommittedTableIsRecordedAndForgetsItsWrites) {
  CatalogTransaction txn(Committed());
  txn.WriteTable(1);
  EXPECT_TRUE(txn.DropTable(1));
  EXPECT_EQ(txn.changes().dropped.count(1), 1u);
  EXPECT_EQ(txn.changes().written.count(1), 0u);
  EXPECT_EQ(FindTableById(txn.Read(), 1), nullptr);
  EXPECT_FALSE(txn.DropTable(42));
}

TEST(CatalogTransaction, StartFromDropsEditsAndUsersCount) {
  CatalogTransaction txn(Committed());
  txn.UserChanged("alice");
  EXPECT_TRUE(txn.HasChanges());
  CatalogPtr newer = Committed();
  txn.StartFrom(newer);
  EXPECT_FALSE(txn.HasChanges());
  EXPECT_EQ(&txn.Read(), newer.get());
}

TEST(CatalogTransaction, AWriteCopiesOnlyThatTable) {
  CatalogPtr committed = Committed();
  CatalogTransaction txn(committed);
  txn.WriteTable(1)->set_rows(3);
  // The untouched table is the committed object itself, shared.
  EXPECT_EQ(FindTableById(txn.Read(), 2), FindTableById(*committed, 2));
  EXPECT_NE(FindTableById(txn.Read(), 1), FindTableById(*committed, 1));
}

TEST(CatalogTransaction, NamesFollowARenameMadeThroughTheWrittenTable) {
  CatalogTransaction txn(Committed());
  txn.WriteTable(1)->set_name("renamed");
  EXPECT_EQ(FindTable(txn.Read(), "public", "a"), nullptr);
  ASSERT_NE(FindTable(txn.Read(), "public", "renamed"), nullptr);
  EXPECT_EQ(FindTable(txn.Read(), "public", "renamed")->id(), 1);
  EXPECT_EQ(FindTable(txn.Read(), "", "b")->id(), 2);
}

TEST(CatalogTransaction, SchemasFollowTablesMovedCreatedAndDropped) {
  CatalogTransaction txn(Committed());
  EXPECT_TRUE(txn.Read().HasTablesIn("public"));
  txn.WriteTable(1)->set_schema("s1");
  EXPECT_TRUE(txn.Read().HasTablesIn("s1"));
  EXPECT_TRUE(txn.Read().HasTablesIn("public"));  // b is still there
  txn.DropTable(2);
  EXPECT_FALSE(txn.Read().HasTablesIn("public"));
  catalog::Table t;
  t.set_id(5);
  t.set_schema("s2");
  t.set_name("c");
  txn.CreateTable(t);
  std::vector<std::string> schemas = txn.Read().SchemasWithTables();
  std::sort(schemas.begin(), schemas.end());
  EXPECT_EQ(schemas, (std::vector<std::string>{"s1", "s2"}));
}

TEST(CatalogTransaction, TablesIterateInIdOrderWithTheEditsInPlace) {
  CatalogTransaction txn(Committed());
  catalog::Table t;
  t.set_id(0);
  t.set_schema("public");
  t.set_name("first");
  txn.CreateTable(t);
  txn.WriteTable(2)->set_rows(9);
  std::vector<int64_t> ids;
  for (const auto& table : txn.Read().tables()) ids.push_back(table.id());
  EXPECT_EQ(ids, (std::vector<int64_t>{0, 1, 2}));
  EXPECT_EQ(txn.Read().tables_size(), 3u);
}

TEST(CatalogTransaction, AFrozenViewDoesNotSeeLaterEdits) {
  CatalogTransaction txn(Committed());
  txn.WriteTable(1)->set_rows(1);
  CatalogPtr frozen = txn.Frozen();
  txn.WriteTable(1)->set_rows(2);
  txn.DropTable(2);
  EXPECT_EQ(FindTableById(*frozen, 1)->rows(), 1);
  EXPECT_NE(FindTableById(*frozen, 2), nullptr);
  EXPECT_EQ(FindTableById(txn.Read(), 1)->rows(), 2);
}

}  // namespace
}  // namespace strata
