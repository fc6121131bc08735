// The object store's routing and configuration, and the local-file store: listing by prefix,
// ranged reads, atomic writes, deletes and errors. (S3 is in s3_object_store_test.cpp.)
#include "io/object_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <functional>

#include "io/local_object_store.h"
#include "io/s3_object_store.h"
#include "sql/error.h"

namespace strata {
namespace {

namespace fs = std::filesystem;

std::string ErrorOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const SqlError& e) {
    return e.sqlstate() + ": " + e.message();
  }
  return "no error";
}

std::string ReadRange(ByteSource& src, int64_t offset, size_t n) {
  std::string buf(n, '\0');
  buf.resize(src.ReadAt(offset, buf.data(), n));
  return buf;
}

void WriteObject(ObjectStore& store, const std::string& url, const std::string& data) {
  auto sink = store.OpenWrite(url);
  sink->Append(data);
  sink->Finish();
}

std::string Pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7 + i / 251) % 26);
  return s;
}

// ---------------------------------------------------------------------------------- local

class LocalStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/strata_local_XXXXXX";
    dir_ = mkdtemp(tmpl);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_;
  LocalObjectStore store_;
};

TEST_F(LocalStoreTest, ListsFilesByPrefixRecursivelyAndSorted) {
  WriteObject(store_, dir_ + "/data/part-2.csv", "22");
  WriteObject(store_, dir_ + "/data/part-1.csv", "1");
  WriteObject(store_, dir_ + "/data/sub/part-3.csv", "333");
  WriteObject(store_, dir_ + "/data/other.txt", "x");
  WriteObject(store_, dir_ + "/database.txt", "y");

  auto all = store_.List(dir_ + "/data/");
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].url, dir_ + "/data/other.txt");
  EXPECT_EQ(all[1].url, dir_ + "/data/part-1.csv");
  EXPECT_EQ(all[3].url, dir_ + "/data/sub/part-3.csv");
  EXPECT_EQ(all[3].size, 3);

  auto parts = store_.List(dir_ + "/data/part-");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[1].url, dir_ + "/data/part-2.csv");
  EXPECT_EQ(parts[1].size, 2);

  // A prefix that is not a directory matches siblings by name; a file names itself.
  EXPECT_EQ(store_.List(dir_ + "/data").size(), 5u);  // data/... and database.txt
  auto one = store_.List("file://" + dir_ + "/data/part-1.csv");
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].url, dir_ + "/data/part-1.csv");
  EXPECT_TRUE(store_.List(dir_ + "/nothing/here").empty());
}

TEST_F(LocalStoreTest, ReadsRanges) {
  std::string data = Pattern(3 << 20);
  WriteObject(store_, dir_ + "/f.bin", data);
  auto src = store_.OpenRead(dir_ + "/f.bin");
  EXPECT_EQ(src->Size(), static_cast<int64_t>(data.size()));
  EXPECT_EQ(src->Name(), dir_ + "/f.bin");
  EXPECT_EQ(ReadRange(*src, 0, 10), data.substr(0, 10));
  EXPECT_EQ(ReadRange(*src, 2000000, 5000), data.substr(2000000, 5000));
  EXPECT_EQ(ReadRange(*src, data.size() - 4, 100), data.substr(data.size() - 4));
  EXPECT_EQ(ReadRange(*src, data.size() + 10, 100), "");
  EXPECT_EQ(ReadRange(*src, 0, data.size()), data);
}

TEST_F(LocalStoreTest, WriteIsInvisibleUntilFinishAndThenAtomic) {
  std::string path = dir_ + "/deep/er/out.csv";
  WriteObject(store_, path, "old contents");
  {
    auto sink = store_.OpenWrite(path);
    std::string chunk = Pattern(100000);
    for (int i = 0; i < 30; ++i) sink->Append(chunk);  // more than the 1 MiB buffer
    sink->Append("tail");
    EXPECT_EQ(sink->BytesWritten(), 3000004);
    // Not yet finished: readers still see the old file, and a temporary sits beside it.
    EXPECT_EQ(ReadRange(*store_.OpenRead(path), 0, 100), "old contents");
    sink->Finish();
  }
  auto src = store_.OpenRead(path);
  EXPECT_EQ(src->Size(), 3000004);
  EXPECT_EQ(ReadRange(*src, 3000000, 10), "tail");
  // No temporary is left behind.
  EXPECT_EQ(store_.List(dir_ + "/deep/er/").size(), 1u);
}

TEST_F(LocalStoreTest, AbandonedWriteLeavesNothing) {
  std::string path = dir_ + "/never.csv";
  {
    auto sink = store_.OpenWrite(path);
    sink->Append("half a file");
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_TRUE(store_.List(dir_ + "/").empty());
}

TEST_F(LocalStoreTest, DeleteAndMissingFileErrors) {
  WriteObject(store_, dir_ + "/gone.txt", "x");
  store_.Delete(dir_ + "/gone.txt");
  EXPECT_FALSE(fs::exists(dir_ + "/gone.txt"));
  store_.Delete(dir_ + "/gone.txt");  // idempotent, as in S3
  EXPECT_EQ(ErrorOf([&] { store_.OpenRead(dir_ + "/gone.txt"); }),
            "58P01: could not open file \"" + dir_ + "/gone.txt\": No such file or directory");
  EXPECT_EQ(ErrorOf([&] { store_.OpenRead(dir_); }).substr(0, 6), "58030:");
  EXPECT_EQ(ErrorOf([&] { store_.OpenRead("relative/path"); }).substr(0, 6), "22023:");
  if (geteuid() != 0) {  // root reads anything
    WriteObject(store_, dir_ + "/secret", "x");
    fs::permissions(dir_ + "/secret", fs::perms::none);
    EXPECT_EQ(ErrorOf([&] { store_.OpenRead(dir_ + "/secret"); }).substr(0, 6), "42501:");
  }
}

TEST(ObjectStoreTest, RoutesUrlsAndJoins) {
  ObjectStoreConfig config;
  EXPECT_NE(dynamic_cast<LocalObjectStore*>(OpenObjectStore("/tmp/x", config).get()), nullptr);
  EXPECT_NE(dynamic_cast<LocalObjectStore*>(OpenObjectStore("file:///tmp/x", config).get()), nullptr);
  EXPECT_NE(dynamic_cast<S3ObjectStore*>(OpenObjectStore("s3://b/k", config).get()), nullptr);
  EXPECT_EQ(ErrorOf([&] { OpenObjectStore("http://x/y", config); }).substr(0, 6), "22023:");
  EXPECT_EQ(ErrorOf([&] { OpenObjectStore("s3://", config)->List("s3://"); }).substr(0, 6), "22023:");
  EXPECT_EQ(JoinObjectUrl("s3://b/p/", "x"), "s3://b/p/x");
  EXPECT_EQ(JoinObjectUrl("s3://b/p", "x"), "s3://b/p/x");
  EXPECT_EQ(JoinObjectUrl("/data/", "/y.csv"), "/data/y.csv");
}

TEST(ObjectStoreTest, ConfigFromEnvironment) {
  setenv("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9", 1);
  setenv("AWS_REGION", "eu-west-2", 1);
  setenv("AWS_ACCESS_KEY_ID", "AK", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "SK", 1);
  ObjectStoreConfig c = ObjectStoreConfig::FromEnvironment();
  EXPECT_EQ(c.endpoint, "http://127.0.0.1:9");
  EXPECT_EQ(c.region, "eu-west-2");
  EXPECT_EQ(c.access_key_id, "AK");
  EXPECT_EQ(c.secret_access_key, "SK");
  for (const char* v : {"AWS_ENDPOINT_URL_S3", "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}) unsetenv(v);
  EXPECT_EQ(ObjectStoreConfig::FromEnvironment().region, "us-east-1");
}

}  // namespace
}  // namespace strata
