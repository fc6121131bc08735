// catalog/catalog_store.h: a commit writes the files of the tables it changed and a new root,
// a restart reads back what was committed, a single-file catalog of an earlier Strata is
// converted (styles and constraint kinds included), and files no root names are removed.
#include "catalog/catalog_store.h"

#include <dirent.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "catalog/catalog_transaction.h"
#include "io/file_io.h"
#include "sql/error.h"

namespace strata {
namespace {

class CatalogStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/catalog_store_test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }

  std::set<std::string> TableFiles() const {
    std::set<std::string> names;
    if (DIR* d = ::opendir((dir_ + "/catalog/tables").c_str())) {
      while (const dirent* e = ::readdir(d)) {
        std::string n = e->d_name;
        if (n != "." && n != "..") names.insert(n);
      }
      ::closedir(d);
    }
    return names;
  }

  // Creates table `name` in its own committed transaction; returns its id.
  int64_t Create(CatalogStore* store, const std::string& name) {
    CatalogTransaction txn(store->Current());
    catalog::Table t;
    t.set_id(store->NextTableId());
    t.set_schema("public");
    t.set_name(name);
    t.set_dist_style(catalog::DIST_KEY);
    txn.CreateTable(t);
    store->Commit(txn.Read(), txn.changes());
    return t.id();
  }

  std::string dir_;
};

TEST_F(CatalogStoreTest, ACommitWritesOnlyTheTablesItChangedAndARestartReadsThemBack) {
  int64_t a = 0, b = 0;
  {
    CatalogStore store(dir_, 2, 2);
    store.set_checkpoint_bytes(0);  // every commit writes files (the log is tested below)
    a = Create(&store, "a");
    b = Create(&store, "b");
    EXPECT_EQ(TableFiles(), (std::set<std::string>{StrCat(a, ".0.pb"), StrCat(b, ".0.pb")}));
    CatalogTransaction txn(store.Current());
    txn.WriteTable(a)->set_rows(42);
    store.Commit(txn.Read(), txn.changes());
    // a's new version replaced its file; b's file was not rewritten.
    EXPECT_EQ(TableFiles(), (std::set<std::string>{StrCat(a, ".1.pb"), StrCat(b, ".0.pb")}));
  }
  CatalogStore again(dir_, 2, 2);
  CatalogPtr c = again.Current();
  ASSERT_NE(FindTableById(*c, a), nullptr);
  EXPECT_EQ(FindTableById(*c, a)->rows(), 42);
  EXPECT_EQ(FindTableById(*c, a)->version(), 1);
  EXPECT_EQ(FindTable(*c, "public", "b")->dist_style(), catalog::DIST_KEY);
  EXPECT_EQ(c->compute_nodes(), 2);
  EXPECT_GT(again.NextTableId(), b);
}

TEST_F(CatalogStoreTest, AConflictingWriteFailsAndChangesNothing) {
  CatalogStore store(dir_, 1, 1);
  store.set_checkpoint_bytes(0);
  int64_t a = Create(&store, "a");
  CatalogTransaction first(store.Current()), second(store.Current());
  first.WriteTable(a)->set_rows(1);
  second.WriteTable(a)->set_rows(2);
  store.Commit(first.Read(), first.changes());
  try {
    store.Commit(second.Read(), second.changes());
    FAIL() << "the second commit should conflict";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), "40001");
  }
  EXPECT_EQ(FindTableById(*store.Current(), a)->rows(), 1);
  EXPECT_EQ(TableFiles(), (std::set<std::string>{StrCat(a, ".1.pb")}));
}

TEST_F(CatalogStoreTest, ADuplicateNameAndADroppedTableLeaveNoFiles) {
  CatalogStore store(dir_, 1, 1);
  int64_t a = Create(&store, "a");
  EXPECT_THROW(Create(&store, "a"), SqlError);
  CatalogTransaction txn(store.Current());
  txn.DropTable(a);
  store.Commit(txn.Read(), txn.changes());
  EXPECT_TRUE(TableFiles().empty());
  EXPECT_EQ(store.Current()->tables_size(), 0u);
}

// Between checkpoints a commit is one record appended to commit.log: no table file, no new
// root. A restart replays the records after root.pb's commit, checkpoints them into files and
// empties the log; a torn last record (a crash in the middle of an append) is cut off.
TEST_F(CatalogStoreTest, CommitsBetweenCheckpointsAreLogRecordsThatARestartReplays) {
  int64_t a = 0, b = 0;
  const std::string log = dir_ + "/catalog/commit.log";
  {
    CatalogStore store(dir_, 2, 2);
    auto root_before = ReadFileBytes(dir_ + "/catalog/root.pb");
    a = Create(&store, "a");
    b = Create(&store, "b");
    for (int i = 1; i <= 5; ++i) {
      CatalogTransaction txn(store.Current());
      txn.WriteTable(a)->set_rows(i);
      store.Commit(txn.Read(), txn.changes());
    }
    CatalogTransaction drop(store.Current());
    drop.DropTable(b);
    store.Commit(drop.Read(), drop.changes());
    EXPECT_TRUE(TableFiles().empty());
    EXPECT_EQ(ReadFileBytes(dir_ + "/catalog/root.pb"), root_before);
    EXPECT_GT(std::filesystem::file_size(log), 0u);
  }
  {
    std::ofstream out(log, std::ios::binary | std::ios::app);
    out << "SCL1" << std::string(12, '\x7f') << "half a record";
  }
  {
    CatalogStore again(dir_, 2, 2);
    CatalogPtr c = again.Current();
    ASSERT_NE(FindTableById(*c, a), nullptr);
    EXPECT_EQ(FindTableById(*c, a)->rows(), 5);
    EXPECT_EQ(FindTableById(*c, a)->version(), 5);
    EXPECT_EQ(FindTableById(*c, b), nullptr);
    EXPECT_GT(again.NextTableId(), b);
    // Checkpointed at start-up: the log is empty and the files name what was replayed.
    EXPECT_EQ(std::filesystem::file_size(log), 0u);
    EXPECT_EQ(TableFiles(), (std::set<std::string>{StrCat(a, ".5.pb")}));
    CatalogTransaction txn(again.Current());
    txn.WriteTable(a)->set_rows(6);
    again.Commit(txn.Read(), txn.changes());
  }
  CatalogStore third(dir_, 2, 2);
  EXPECT_EQ(FindTableById(*third.Current(), a)->rows(), 6);
}

// A log past its size is checkpointed by the commit that finds it so: the commit's tables and
// those only the log held get files, superseded files go, and the log is emptied.
TEST_F(CatalogStoreTest, AFullLogIsCheckpointedByTheNextCommit) {
  const std::string log = dir_ + "/catalog/commit.log";
  CatalogStore store(dir_, 1, 1);
  store.set_checkpoint_bytes(600);
  int64_t a = Create(&store, "a");
  int64_t b = Create(&store, "b");
  bool checkpointed = false;
  for (int i = 1; i <= 20 && !checkpointed; ++i) {
    CatalogTransaction txn(store.Current());
    txn.WriteTable(a)->set_rows(i);
    store.Commit(txn.Read(), txn.changes());
    checkpointed = std::filesystem::file_size(log) == 0;
  }
  ASSERT_TRUE(checkpointed);
  int64_t va = FindTableById(*store.Current(), a)->version();
  EXPECT_EQ(TableFiles(), (std::set<std::string>{StrCat(a, ".", va, ".pb"), StrCat(b, ".0.pb")}));
}

TEST_F(CatalogStoreTest, ASingleFileCatalogIsConvertedWithItsStyles) {
  catalog::Catalog whole;
  whole.set_next_table_id(200);
  whole.set_compute_nodes(3);
  catalog::Table* t = whole.add_tables();
  t->set_id(150);
  t->set_schema("public");
  t->set_name("old");
  t->set_legacy_diststyle("ALL");
  t->add_sortkey(0);  // an empty sort style with a sort key was compound
  catalog::Constraint* k = t->add_constraints();
  k->set_legacy_type("u");
  catalog::Table* temp = whole.add_tables();  // a crashed session's temporary table goes
  temp->set_id(151);
  temp->set_schema("pg_temp_9");
  temp->set_name("tmp");
  temp->set_temporary(true);
  catalog::Function* proc = whole.add_functions();  // argument modes after the "v"
  proc->set_name("p");
  proc->set_is_procedure(true);
  proc->set_volatility("vib");
  WriteFileDurably(dir_ + "/catalog.pb", whole.SerializeAsString());
  // A table file no root names (a commit that crashed before its root) is removed.
  MakeDirectories(dir_ + "/catalog/tables");
  WriteFileDurably(dir_ + "/catalog/tables/999.0.pb", "x");

  CatalogStore store(dir_, 1, 1);
  CatalogPtr c = store.Current();
  EXPECT_FALSE(PathExists(dir_ + "/catalog.pb"));
  EXPECT_EQ(c->compute_nodes(), 3);
  ASSERT_EQ(c->tables_size(), 1u);
  const catalog::Table* old = FindTable(*c, "public", "old");
  ASSERT_NE(old, nullptr);
  EXPECT_EQ(old->dist_style(), catalog::DIST_ALL);
  EXPECT_EQ(old->sort_style(), catalog::SORT_COMPOUND);
  EXPECT_TRUE(old->legacy_diststyle().empty());
  EXPECT_EQ(old->constraints(0).kind(), catalog::UNIQUE);
  EXPECT_EQ(TableFiles(), (std::set<std::string>{"150.0.pb"}));
  ASSERT_EQ(c->functions_size(), 1);
  EXPECT_EQ(c->meta().functions(0).volatility(), "v");
  EXPECT_EQ(c->meta().functions(0).arg_modes(), "ib");
  CatalogStore again(dir_, 1, 1);
  EXPECT_EQ(FindTable(*again.Current(), "public", "old")->dist_style(), catalog::DIST_ALL);
}

}  // namespace
}  // namespace strata
