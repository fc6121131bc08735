// Durable file helpers: atomic replace via temp file + rename (or link, never replacing), no temp
// leftovers, 58030 errors.
#include "io/file_io.h"

#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "sql/error.h"

namespace strata {
namespace {

class FileIoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/strata_file_io_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::vector<std::string> Entries() const {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(dir_)) out.push_back(e.path().filename());
    return out;
  }

  std::string dir_;
};

TEST_F(FileIoTest, WritesAndReadsBack) {
  std::string path = dir_ + "/a";
  std::string bytes("hello\0world", 11);
  WriteFileDurably(path, bytes);
  EXPECT_TRUE(PathExists(path));
  EXPECT_EQ(ReadFileBytes(path), bytes);
  EXPECT_EQ(Entries(), std::vector<std::string>{"a"});  // no temp file left behind
}

TEST_F(FileIoTest, WithoutReplaceAnExistingFileIsKeptAndTheModeIsGiven) {
  std::string path = dir_ + "/secret";
  DurableWriteOptions once;
  once.mode = 0600;
  once.replace = false;
  EXPECT_TRUE(WriteFileDurably(path, "first", once));
  EXPECT_FALSE(WriteFileDurably(path, "second", once));
  EXPECT_EQ(ReadFileBytes(path), "first");
  EXPECT_EQ(std::filesystem::status(path).permissions() & std::filesystem::perms::all, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_EQ(Entries(), std::vector<std::string>{"secret"});  // the second write's temp file is gone
}

TEST_F(FileIoTest, ReplacesByRenameNotInPlace) {
  std::string path = dir_ + "/f";
  WriteFileDurably(path, "old contents");
  // A reader holding the old file keeps seeing the old bytes: the new file is a new inode that
  // was renamed over the name, never a truncate-and-rewrite of the old one.
  int fd = ::open(path.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  WriteFileDurably(path, "new");
  char buf[64] = {};
  ssize_t n = ::pread(fd, buf, sizeof(buf), 0);
  ::close(fd);
  EXPECT_EQ(std::string(buf, n), "old contents");
  EXPECT_EQ(ReadFileBytes(path), "new");
  EXPECT_EQ(Entries().size(), 1u);
}

TEST_F(FileIoTest, EmptyAndLargeFiles) {
  WriteFileDurably(dir_ + "/empty", "");
  EXPECT_EQ(ReadFileBytes(dir_ + "/empty"), "");
  std::string big(3 << 20, 'x');
  for (size_t i = 0; i < big.size(); i += 4099) big[i] = static_cast<char>(i);
  WriteFileDurably(dir_ + "/big", big);
  EXPECT_EQ(ReadFileBytes(dir_ + "/big"), big);
}

TEST_F(FileIoTest, ErrorsAreIoErrorsWithThePath) {
  try {
    ReadFileBytes(dir_ + "/missing");
    FAIL() << "expected an error";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), "58030");
    EXPECT_NE(e.message().find(dir_ + "/missing"), std::string::npos);
    EXPECT_NE(e.message().find("No such file"), std::string::npos);
  }
  try {
    WriteFileDurably(dir_ + "/no/such/dir/file", "x");
    FAIL() << "expected an error";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), "58030");
  }
  EXPECT_TRUE(Entries().empty());
}

TEST_F(FileIoTest, MakeDirectoriesIsMkdirP) {
  std::string deep = dir_ + "/x/y/z";
  MakeDirectories(deep);
  EXPECT_TRUE(std::filesystem::is_directory(deep));
  MakeDirectories(deep);  // already there: fine
  WriteFileDurably(dir_ + "/file", "x");
  try {
    MakeDirectories(dir_ + "/file");
    FAIL() << "expected an error";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), "58030");
  }
}

// Stale temporary files of a crashed process that had our pid do not block a write.
TEST_F(FileIoTest, StaleTempNamesOfTheSamePidAreSkipped) {
  // A write that cannot create its temporary file names it: that tells the next number.
  std::string marker = ".tmp." + std::to_string(::getpid()) + ".";
  uint64_t next = 0;
  try {
    WriteFileDurably(dir_ + "/missing/x", "x");
    FAIL() << "expected an error";
  } catch (const SqlError& e) {
    std::string m = e.what();
    size_t at = m.find(marker);
    ASSERT_NE(at, std::string::npos) << m;
    next = std::stoull(m.substr(at + marker.size())) + 1;
  }
  std::string path = dir_ + "/catalog.pb";
  for (uint64_t n = next; n < next + 50; ++n) {
    int fd = ::open((path + marker + std::to_string(n)).c_str(), O_WRONLY | O_CREAT, 0644);
    ASSERT_GE(fd, 0);
    ::close(fd);
  }
  WriteFileDurably(path, "new");
  EXPECT_EQ(ReadFileBytes(path), "new");
}

TEST_F(FileIoTest, RemoveStaleTempFilesTakesOnlyTempNames) {
  std::filesystem::create_directories(dir_ + "/sub/deeper");
  for (const char* name : {"catalog.pb.tmp.4242.0", "sub/block.tmp.1.17", "sub/deeper/m.tmp.99.3",
                           "keep", "keep.tmp", "keep.tmp.12", "keep.tmp.x.1", "keep.tmp.1.x", "sub/tmp.1.2"}) {
    WriteFileDurably(dir_ + "/" + name, "x");
  }
  EXPECT_EQ(RemoveStaleTempFiles(dir_, false), 1);  // the top folder only
  EXPECT_FALSE(PathExists(dir_ + "/catalog.pb.tmp.4242.0"));
  EXPECT_TRUE(PathExists(dir_ + "/sub/block.tmp.1.17"));
  EXPECT_EQ(RemoveStaleTempFiles(dir_, true), 2);
  EXPECT_FALSE(PathExists(dir_ + "/sub/block.tmp.1.17"));
  EXPECT_FALSE(PathExists(dir_ + "/sub/deeper/m.tmp.99.3"));
  for (const char* name : {"keep", "keep.tmp", "keep.tmp.12", "keep.tmp.x.1", "keep.tmp.1.x", "sub/tmp.1.2"}) {
    EXPECT_TRUE(PathExists(dir_ + "/" + name)) << name;
  }
  EXPECT_EQ(RemoveStaleTempFiles(dir_ + "/missing", true), 0);
}

}  // namespace
}  // namespace strata
