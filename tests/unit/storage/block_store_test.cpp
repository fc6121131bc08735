// BlockStore and ManifestStore: content addressing, idempotent puts, on-disk layout, corruption
// detection, and the manifest cache.
#include <gtest/gtest.h>
#include <xxhash.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "sql/error.h"
#include "storage/block_format.h"
#include "storage/block_store.h"
#include "io/file_io.h"
#include "storage/manifest_store.h"

namespace strata {
namespace {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/strata_store_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  size_t FilesUnder(const std::string& dir) const {
    size_t n = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) n += e.is_regular_file();
    return n;
  }
  std::string root_;
};

TEST_F(StoreTest, ContentIdIsXxh3_128Hex) {
  std::string id = ContentId("abc");
  ASSERT_EQ(id.size(), 32u);
  XXH128_hash_t h = XXH3_128bits("abc", 3);
  char expect[33];
  snprintf(expect, sizeof(expect), "%016llx%016llx", static_cast<unsigned long long>(h.high64),
           static_cast<unsigned long long>(h.low64));
  EXPECT_EQ(id, expect);
  EXPECT_TRUE(IsContentId(id));
  EXPECT_FALSE(IsContentId("../etc/passwd"));
  EXPECT_FALSE(IsContentId(std::string(32, 'G')));
}

TEST_F(StoreTest, BlocksAreContentAddressedAndIdempotent) {
  BlockStore store(root_);
  Vector v(SqlType::Int32(), 3);
  for (int i = 0; i < 3; ++i) v.data<int32_t>()[i] = i * 10;
  std::string bytes = EncodeBlock(v, 0, 3, nullptr);
  std::string id = store.Put(bytes);
  EXPECT_EQ(id, ContentId(bytes));
  EXPECT_EQ(store.PathOf(id), root_ + "/blocks/" + id.substr(0, 2) + "/" + id);
  EXPECT_TRUE(PathExists(store.PathOf(id)));
  auto mtime = std::filesystem::last_write_time(store.PathOf(id));
  EXPECT_EQ(store.Put(bytes), id);  // no new file, only a fresher time (garbage collection)
  EXPECT_GE(std::filesystem::last_write_time(store.PathOf(id)), mtime);
  EXPECT_EQ(FilesUnder(root_), 1u);
  EXPECT_EQ(store.Get(id), bytes);
  EXPECT_TRUE(store.Contains(id));
  EXPECT_NE(store.Put(bytes + "x"), id);
}

TEST_F(StoreTest, ConcurrentPutsOfTheSameBlocks) {
  BlockStore store(root_);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) store.Put("block " + std::to_string(i));
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(FilesUnder(root_), 50u);  // no temp files left, no duplicates
  EXPECT_EQ(store.Get(ContentId("block 7")), "block 7");
}

TEST_F(StoreTest, CorruptedBlockFileIsXX001) {
  BlockStore store(root_);
  Vector v(SqlType::Text(), 2);
  v.SetString(0, "hello");
  v.SetString(1, "world");
  std::string id = store.Put(EncodeBlock(v, 0, 2, nullptr));
  {
    std::fstream f(store.PathOf(id), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(20);
    char c = 0x5a;
    f.write(&c, 1);
  }
  try {
    store.Get(id);
    FAIL() << "expected XX001";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), "XX001");
    EXPECT_EQ(e.message(), "block " + id + " is corrupted");
  }
  try {
    store.Get(ContentId("never stored"));
    FAIL() << "expected 58030";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), "58030");
  }
}

// Through the cache: a block read once is served from memory (the same bytes object, no file
// read: it still comes back after its file is gone); a damaged file is XX001 on its first read
// and is never cached; the cache stays within its size, the least recently used leaving first.
TEST_F(StoreTest, GetSharedReadsABlockOnceThroughTheCache) {
  BlockStore store(root_);
  store.EnableCache(16 * 64 * 1024);  // 64 kB per shard
  ASSERT_NE(store.cache(), nullptr);
  const std::string a(1000, 'a'), b(2000, 'b');
  const std::string ida = store.Put(a), idb = store.Put(b);
  auto first = store.GetShared(ida);
  ASSERT_EQ(*first, a);
  EXPECT_EQ(store.cache()->misses(), 1);
  std::filesystem::remove(store.PathOf(ida));
  auto again = store.GetShared(ida);
  EXPECT_EQ(again.get(), first.get());
  EXPECT_EQ(store.cache()->hits(), 1);
  EXPECT_THROW(store.Get(ida), SqlError);  // Get itself still reads the file

  {
    std::fstream f(store.PathOf(idb), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(7);
    char c = 'x';
    f.write(&c, 1);
  }
  for (int i = 0; i < 2; ++i) {
    try {
      store.GetShared(idb);
      FAIL() << "expected XX001";
    } catch (const SqlError& e) {
      EXPECT_EQ(e.sqlstate(), "XX001");
    }
  }

  BlockCache cache(16 * 10000);  // 10,000 bytes per shard
  std::vector<std::string> ids;
  for (int i = 0; i < 400; ++i) {
    ids.push_back(ContentId(std::to_string(i)));
    cache.Insert(ids.back(), std::make_shared<const std::string>(3000, 'x'));
    ASSERT_LE(cache.bytes(), cache.capacity());
  }
  EXPECT_NE(cache.Find(ids.back()), nullptr);   // the newest stays
  EXPECT_EQ(cache.Find(ids.front()), nullptr);  // the oldest left
  cache.Insert(ContentId("big"), std::make_shared<const std::string>(20000, 'y'));
  EXPECT_EQ(cache.Find(ContentId("big")), nullptr);  // larger than a shard's share: not kept
  BlockCache none(0);
  none.Insert(ids[0], std::make_shared<const std::string>("z"));
  EXPECT_EQ(none.Find(ids[0]), nullptr);
}

storage::SliceManifest SampleManifest(int64_t rows) {
  storage::SliceManifest m;
  m.set_table_id(100042);
  m.set_slice(3);
  m.set_row_count(rows);
  auto* ref = m.add_columns()->add_blocks();
  ref->set_id(ContentId("b"));
  ref->set_first_row(0);
  ref->set_rows(rows);
  ref->mutable_zone()->set_kind(storage::ZONE_INT64);
  ref->mutable_zone()->set_max_i64(rows);
  return m;
}

TEST_F(StoreTest, ManifestsAreContentAddressedAndCached) {
  std::string id;
  {
    ManifestStore store(root_);
    EXPECT_EQ(store.Get(""), nullptr);
    storage::SliceManifest m = SampleManifest(10);
    id = store.Put(m);
    EXPECT_EQ(id, ManifestStore::IdOf(m));
    EXPECT_EQ(id, ContentId(ReadFileBytes(root_ + "/manifests/" + id)));
    EXPECT_EQ(store.Put(m), id);  // idempotent
    EXPECT_NE(store.Put(SampleManifest(11)), id);
    EXPECT_EQ(FilesUnder(root_ + "/manifests"), 2u);
    auto a = store.Get(id);
    EXPECT_EQ(a.get(), store.Get(id).get());  // cached
    EXPECT_EQ(a->row_count(), 10);
  }
  ManifestStore reopened(root_);  // a fresh process reads it back from disk
  auto m = reopened.Get(id);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->SerializeAsString(), SampleManifest(10).SerializeAsString());
}

TEST_F(StoreTest, CorruptedManifestIsXX001) {
  std::string id;
  {
    ManifestStore store(root_);
    id = store.Put(SampleManifest(5));
  }
  std::string path = root_ + "/manifests/" + id;
  std::string bytes = ReadFileBytes(path);
  bytes.back() ^= 1;
  WriteFileDurably(path, bytes);
  ManifestStore reopened(root_);
  try {
    reopened.Get(id);
    FAIL() << "expected XX001";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), "XX001");
  }
}

}  // namespace
}  // namespace strata
