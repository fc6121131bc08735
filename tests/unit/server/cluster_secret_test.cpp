// The cluster secret file: created once with mode 0600 and read back unchanged; a missing,
// group-readable or short file is refused with a message naming it.
#include "server/cluster_secret.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "sql/error.h"

namespace strata {
namespace {

class ClusterSecretTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/strata_secret_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // The SQLSTATE LoadClusterSecret throws for `path` ("" when it succeeds).
  static std::string LoadError(const std::string& path) {
    try {
      LoadClusterSecret(path);
      return "";
    } catch (const SqlError& e) {
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
      return e.sqlstate();
    }
  }

  std::string dir_;
};

TEST_F(ClusterSecretTest, CreatedOncePrivateAndStable) {
  std::string path = dir_ + "/cluster.secret";
  ClusterSecret a = LoadOrCreateClusterSecret(path);
  EXPECT_GE(a.key().size(), kMinClusterSecretLength);
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(LoadOrCreateClusterSecret(path).key(), a.key());  // never replaced
  EXPECT_EQ(LoadClusterSecret(path).key(), a.key());
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_), {}), 1);  // no temp file left
  EXPECT_NE(LoadOrCreateClusterSecret(dir_ + "/other.secret").key(), a.key());
}

TEST_F(ClusterSecretTest, RefusesMissingOpenOrShortFiles) {
  EXPECT_EQ(LoadError(dir_ + "/missing"), "58030");
  std::string open = dir_ + "/open.secret";
  std::ofstream(open) << "0123456789abcdef0123456789abcdef0123456789\n";
  chmod(open.c_str(), 0640);
  EXPECT_EQ(LoadError(open), "28000");
  chmod(open.c_str(), 0600);
  EXPECT_EQ(LoadError(open), "");
  std::string short_file = dir_ + "/short.secret";
  std::ofstream(short_file) << "  tooshort  \n";
  chmod(short_file.c_str(), 0600);
  EXPECT_EQ(LoadError(short_file), "28000");
}

}  // namespace
}  // namespace strata
