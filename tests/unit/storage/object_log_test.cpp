// storage/object_log.h through the stores that use it: small blocks and manifests go to the log
// (no file each), read back after a restart, a torn last record is cut off, damaged bytes are
// XX001, garbage collection drops dead objects and rewrites mostly-dead segments, and
// concurrent writers share syncs without losing an object.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "sql/error.h"
#include "storage/block_store.h"
#include "storage/garbage_collector.h"
#include "storage/manifest_store.h"
#include "storage/object_log.h"

namespace strata {
namespace {

class ObjectLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/strata_object_log_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  size_t FilesUnder(const std::string& dir) const {
    size_t n = 0;
    std::error_code ec;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir, ec)) n += e.is_regular_file();
    return n;
  }
  std::vector<std::string> Segments() const {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(root_ + "/log", ec)) out.push_back(e.path().string());
    std::sort(out.begin(), out.end());
    return out;
  }
  static storage::SliceManifest ManifestOf(const std::vector<std::string>& block_ids, int64_t table) {
    storage::SliceManifest m;
    m.set_table_id(table);
    auto* chain = m.add_columns();
    for (const auto& id : block_ids) chain->add_blocks()->set_id(id);
    return m;
  }
  std::string root_;
};

TEST_F(ObjectLogTest, SmallObjectsGoToTheLogAndSurviveARestart) {
  std::vector<std::string> ids;
  std::string manifest_id;
  std::string big(kLogObjectBytes + 1, 'b');
  std::string big_id;
  {
    BlockStore blocks(root_, true);
    ManifestStore manifests(root_, true);
    for (int i = 0; i < 50; ++i) ids.push_back(blocks.Put("block " + std::to_string(i)));
    big_id = blocks.Put(big);  // too large for the log: a file
    manifest_id = manifests.Put(ManifestOf(ids, 7));
    EXPECT_EQ(blocks.Put("block 3"), ids[3]);  // already there: nothing appended
    EXPECT_EQ(blocks.log()->objects(), 51);
    EXPECT_EQ(FilesUnder(root_ + "/blocks"), 1u);  // only the large one
    EXPECT_EQ(FilesUnder(root_ + "/manifests"), 0u);
    EXPECT_EQ(Segments().size(), 1u);
    EXPECT_TRUE(blocks.Contains(ids[10]));
    EXPECT_EQ(blocks.SizeOf(ids[10]), 8);
    EXPECT_TRUE(manifests.Contains(manifest_id));
  }
  BlockStore blocks(root_, true);
  ManifestStore manifests(root_, true);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(blocks.Get(ids[i]), "block " + std::to_string(i));
  EXPECT_EQ(blocks.Get(big_id), big);
  auto m = manifests.Get(manifest_id);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->table_id(), 7);
  EXPECT_EQ(m->columns(0).blocks_size(), 50);
  EXPECT_EQ(manifests.RawBytes(manifest_id).size(), static_cast<size_t>(m->ByteSizeLong()));
  // A store without the log does not see them (and a missing block is 58030).
  BlockStore files_only(root_);
  EXPECT_FALSE(files_only.Contains(ids[0]));
  try {
    files_only.Get(ids[0]);
    FAIL() << "read a block that has no file";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), "58030");
  }
}

// A manifest put under DeferredLogSync (a compute node's write stage whose commit pushes it)
// leaves the log owing a sync, on that thread only; the log's Sync (the push's) pays it. A put
// outside the scope syncs as before.
TEST_F(ObjectLogTest, DeferredSyncLeavesTheSyncToTheLogsNextSync) {
  BlockStore blocks(root_, true);
  ManifestStore manifests(root_, true);
  std::string deferred_id;
  {
    DeferredLogSync defer;
    EXPECT_TRUE(DeferredLogSync::Active());
    bool other_thread_active = true;
    std::thread([&] { other_thread_active = DeferredLogSync::Active(); }).join();
    EXPECT_FALSE(other_thread_active);
    deferred_id = manifests.Put(ManifestOf({blocks.Put("deferred block")}, 8));
    EXPECT_TRUE(blocks.log()->HasUnsynced());
  }
  EXPECT_FALSE(DeferredLogSync::Active());
  EXPECT_TRUE(blocks.log()->HasUnsynced());  // nothing synced it yet
  blocks.log()->Sync();
  EXPECT_FALSE(blocks.log()->HasUnsynced());
  EXPECT_TRUE(manifests.Contains(deferred_id));
  manifests.Put(ManifestOf({blocks.Put("synced block")}, 9));
  EXPECT_FALSE(blocks.log()->HasUnsynced());
}

TEST_F(ObjectLogTest, ATornLastRecordIsCutOffAndAppendsContinue) {
  std::string a, b;
  {
    BlockStore blocks(root_, true);
    ManifestStore manifests(root_, true);
    a = blocks.Put("first block");
    manifests.Put(ManifestOf({a}, 1));
  }
  ASSERT_EQ(Segments().size(), 1u);
  const std::string seg = Segments()[0];
  auto good = std::filesystem::file_size(seg);
  {
    // An append that a crash cut short: a header and part of its payload.
    std::ofstream out(seg, std::ios::binary | std::ios::app);
    out << "SOL1" << '\1' << std::string(3, '\0') << "\x40\0\0\0" << std::string(16, 'z') << "partial";
  }
  {
    BlockStore blocks(root_, true);
    EXPECT_EQ(std::filesystem::file_size(seg), good);  // cut back to the last good record
    EXPECT_EQ(blocks.Get(a), "first block");
    b = blocks.Put("second block");
    blocks.Sync();
  }
  BlockStore blocks(root_, true);
  EXPECT_EQ(blocks.Get(a), "first block");
  EXPECT_EQ(blocks.Get(b), "second block");
}

// Damage in the middle of the last segment loses the damaged record only: the records after it
// are found again and kept, nothing is cut off, and appends go on after the last one.
TEST_F(ObjectLogTest, DamageBetweenRecordsLosesOnlyTheDamagedOne) {
  std::string a, b, c;
  {
    BlockStore blocks(root_, true);
    a = blocks.Put("first block, kept");
    b = blocks.Put("second block, damaged");
    c = blocks.Put("third block, kept");
    blocks.Sync();
  }
  const std::string seg = Segments()[0];
  const auto size = std::filesystem::file_size(seg);
  {
    std::fstream f(seg, std::ios::binary | std::ios::in | std::ios::out);
    f.seekp(28 + 17 + 28 + 3);  // inside the second record's payload
    f.put('#');
  }
  std::string d;
  {
    BlockStore blocks(root_, true);
    EXPECT_EQ(std::filesystem::file_size(seg), size);
    EXPECT_EQ(blocks.Get(a), "first block, kept");
    EXPECT_EQ(blocks.Get(c), "third block, kept");
    EXPECT_FALSE(blocks.Contains(b));
    try {
      blocks.Get(b);
      FAIL() << "a damaged block was read";
    } catch (const SqlError& e) {
      EXPECT_EQ(e.sqlstate(), "58030");
    }
    d = blocks.Put("fourth block");
    blocks.Sync();
  }
  BlockStore blocks(root_, true);
  EXPECT_EQ(blocks.Get(c), "third block, kept");
  EXPECT_EQ(blocks.Get(d), "fourth block");
}

TEST_F(ObjectLogTest, DamagedBytesAreCorruptionNotWrongData) {
  std::string id;
  BlockStore blocks(root_, true);
  id = blocks.Put("a block that will be damaged");
  blocks.Sync();
  {
    std::fstream f(Segments()[0], std::ios::binary | std::ios::in | std::ios::out);
    f.seekp(28 + 5);  // inside the payload of the first record
    f.put('#');
  }
  try {
    blocks.Get(id);
    FAIL() << "damaged bytes were returned";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), "XX001");
  }
}

TEST_F(ObjectLogTest, GarbageCollectionDropsDeadObjectsAndRewritesMostlyDeadSegments) {
  std::vector<std::string> live, dead;
  std::string live_manifest, dead_manifest;
  {
    BlockStore blocks(root_, true);
    ManifestStore manifests(root_, true);
    blocks.log()->set_segment_bytes(4096);
    for (int i = 0; i < 200; ++i) {
      std::string id = blocks.Put("payload " + std::to_string(i) + std::string(100, 'x'));
      (i % 10 == 0 ? live : dead).push_back(id);
    }
    live_manifest = manifests.Put(ManifestOf(live, 1));
    dead_manifest = manifests.Put(ManifestOf(dead, 2));
    size_t before = Segments().size();
    ASSERT_GT(before, 4u);
    // Everything is younger than a fence an hour ago: nothing goes.
    GarbageReport young = CollectGarbage(blocks, manifests, {live_manifest}, 3600 * 1000);
    EXPECT_EQ(young.blocks_removed, 0);
    EXPECT_EQ(Segments().size(), before);
    GarbageReport g = CollectGarbage(blocks, manifests, {live_manifest}, 0);
    EXPECT_EQ(g.blocks_removed, 180);
    EXPECT_EQ(g.manifests_removed, 1);
    EXPECT_EQ(g.blocks_kept, 20);
    EXPECT_LT(Segments().size(), before);
    EXPECT_FALSE(blocks.Contains(dead[0]));
    EXPECT_FALSE(manifests.Contains(dead_manifest));
    for (const auto& id : live) EXPECT_TRUE(blocks.Contains(id));
  }
  // The live objects were moved, not lost: a restart finds every one, and no dead one.
  BlockStore blocks(root_, true);
  ManifestStore manifests(root_, true);
  for (size_t i = 0; i < live.size(); ++i) EXPECT_EQ(blocks.Get(live[i]).substr(0, 8), "payload ");
  EXPECT_EQ(manifests.Get(live_manifest)->columns(0).blocks_size(), 20);
  // Dropped records still in a segment (the one that was active) stay dropped: the dead list.
  EXPECT_EQ(blocks.log()->objects(), 21);
  EXPECT_FALSE(blocks.Contains(dead[0]));
  EXPECT_FALSE(blocks.Contains(dead.back()));
  EXPECT_EQ(ObjectLog::ListFolder(root_).size(), 21u);
  // An object put again after it was dropped is live again, also after a restart.
  std::string again = blocks.Put("payload 1" + std::string(100, 'x'));
  EXPECT_EQ(again, dead[0]);
  manifests.Put(ManifestOf({again}, 3));
  EXPECT_EQ(ObjectLog::ListFolder(root_).size(), 23u);
}

TEST_F(ObjectLogTest, AnObjectPutAgainAfterCollectionSurvivesARestart) {
  std::string id;
  {
    BlockStore blocks(root_, true);
    ManifestStore manifests(root_, true);
    id = blocks.Put("short-lived");
    manifests.Put(ManifestOf({id}, 1));
    CollectGarbage(blocks, manifests, {}, 0);
    EXPECT_FALSE(blocks.Contains(id));
    EXPECT_EQ(blocks.Put("short-lived"), id);
    manifests.Put(ManifestOf({id}, 2));
  }
  BlockStore blocks(root_, true);
  EXPECT_EQ(blocks.Get(id), "short-lived");
}

TEST_F(ObjectLogTest, ConcurrentWritersShareSyncsAndLoseNothing) {
  std::vector<std::vector<std::string>> ids(4);
  auto bytes_of = [](int t, int i) { return "t" + std::to_string(t) + " block " + std::to_string(i) + std::string(300, 'y'); };
  {
    BlockStore blocks(root_, true);
    ManifestStore manifests(root_, true);
    blocks.log()->set_segment_bytes(64 << 10);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 100; ++i) {
          ids[t].push_back(blocks.Put(bytes_of(t, i)));
          manifests.Put(ManifestOf({ids[t].back()}, t * 1000 + i));
        }
      });
    }
    for (auto& th : threads) th.join();
  }
  BlockStore blocks(root_, true);
  for (int t = 0; t < 4; ++t) {
    for (int i = 0; i < 100; ++i) {
      EXPECT_EQ(blocks.Get(ids[t][i]), bytes_of(t, i));
    }
  }
  EXPECT_EQ(blocks.log()->objects(), 800);
}

}  // namespace
}  // namespace strata
