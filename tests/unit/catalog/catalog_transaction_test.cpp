// catalog/catalog_transaction.h: reads share the committed version until the first edit, and
// every typed edit records the change the commit checks.
#include "catalog/catalog_transaction.h"

#include <gtest/gtest.h>

#include <memory>

namespace strata {
namespace {

CatalogPtr Committed() {
  auto c = std::make_shared<catalog::Catalog>();
  for (int64_t id : {1, 2}) {
    catalog::Table* t = c->add_tables();
    t->set_id(id);
    t->set_schema("public");
    t->set_name(id == 1 ? "a" : "b");
    t->set_version(7);
  }
  return c;
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

}  // namespace
}  // namespace strata
