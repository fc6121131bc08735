// S3ObjectStore against a real S3-compatible server: s3rver (npm, tests/tools/node_modules),
// started once for this suite as a child process on a free port and stopped by its PID. The
// suite fails (never skips) when s3rver is not installed. s3rver does not check signatures
// (aws_sigv4_test checks the signer against AWS's own examples), but it does check the access
// key, the x-amz-content-sha256 header, ranges, pagination and the multipart protocol.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <filesystem>
#include <thread>

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

std::string Pattern(size_t n, int seed) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7 + i / 251 + seed) % 26);
  return s;
}

std::string RepoRoot() {
  std::string file = __FILE__;  // <root>/tests/unit/io/s3_object_store_test.cpp
  return fs::path(file).parent_path().parent_path().parent_path().parent_path().string();
}

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

bool CanConnect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

class S3StoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string bin = RepoRoot() + "/tests/tools/node_modules/.bin/s3rver";
    if (!fs::exists(bin)) {
      problem_ = "s3rver is not installed at " + bin + " (run `npm install` in tests/tools)";
      return;
    }
    char tmpl[] = "/tmp/strata_s3rver_XXXXXX";
    data_dir_ = mkdtemp(tmpl);
    port_ = FreePort();
    std::string log = data_dir_ + ".log";
    std::fflush(stdout);  // else the child flushes our buffered output a second time
    std::fflush(stderr);
    pid_ = fork();
    if (pid_ == 0) {
      FILE* out = freopen(log.c_str(), "w", stdout);
      (void)out;
      dup2(fileno(stdout), 2);
      std::string port = std::to_string(port_);
      execlp("node", "node", "--openssl-legacy-provider", bin.c_str(), "-d", data_dir_.c_str(), "-a", "127.0.0.1",
             "-p", port.c_str(), "--configure-bucket", "testbucket", static_cast<char*>(nullptr));
      _exit(127);
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        problem_ = "s3rver exited at startup; see " + log;
        return;
      }
      if (CanConnect(port_)) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    problem_ = "s3rver did not listen on port " + std::to_string(port_) + " within 20 s; see " + log;
  }

  static void TearDownTestSuite() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
      pid_ = -1;
    }
    if (!data_dir_.empty()) {
      std::error_code ec;
      fs::remove_all(data_dir_, ec);
      fs::remove(data_dir_ + ".log", ec);
    }
  }

  void SetUp() override { ASSERT_TRUE(problem_.empty()) << problem_; }

  static ObjectStoreConfig Config() {
    ObjectStoreConfig c;
    c.endpoint = "http://127.0.0.1:" + std::to_string(port_);
    c.access_key_id = "S3RVER";
    c.secret_access_key = "S3RVER";
    c.max_retries = 1;
    return c;
  }

  static std::string ReadRange(ByteSource& src, int64_t offset, size_t n) {
    std::string buf(n, '\0');
    buf.resize(src.ReadAt(offset, buf.data(), n));
    return buf;
  }

  static void Put(ObjectStore& store, const std::string& url, const std::string& data) {
    auto sink = store.OpenWrite(url);
    sink->Append(data);
    sink->Finish();
  }

  static inline pid_t pid_ = -1;
  static inline int port_ = 0;
  static inline std::string data_dir_;
  static inline std::string problem_;
};

TEST_F(S3StoreTest, PutHeadAndRangedGets) {
  S3ObjectStore store(Config());
  const std::string url = "s3://testbucket/dir one/a b+c$=d.bin";  // every byte that needs encoding
  std::string data = Pattern(300000, 1);
  Put(store, url, data);
  auto src = store.OpenRead(url);
  EXPECT_EQ(src->Size(), 300000);
  EXPECT_EQ(src->Name(), url);
  EXPECT_EQ(ReadRange(*src, 0, 10), data.substr(0, 10));
  EXPECT_EQ(ReadRange(*src, 123457, 50000), data.substr(123457, 50000));
  EXPECT_EQ(ReadRange(*src, 299990, 100), data.substr(299990));  // clipped at the end
  EXPECT_EQ(ReadRange(*src, 300000, 100), "");
  EXPECT_EQ(ReadRange(*src, 0, 300000), data);

  auto listed = store.List(url);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].url, url);
  EXPECT_EQ(listed[0].size, 300000);

  Put(store, "s3://testbucket/empty", "");
  EXPECT_EQ(store.OpenRead("s3://testbucket/empty")->Size(), 0);
}

TEST_F(S3StoreTest, ListPaginatesWithContinuationTokens) {
  S3ObjectStore store(Config());
  for (int i = 29; i >= 0; --i) {
    char key[64];
    std::snprintf(key, sizeof key, "s3://testbucket/list/k%02d.csv", i);
    Put(store, key, std::string(static_cast<size_t>(i), 'x'));
  }
  Put(store, "s3://testbucket/listing-other", "y");
  store.set_list_page_size(7);  // 5 pages
  auto all = store.List("s3://testbucket/list/");
  ASSERT_EQ(all.size(), 30u);
  for (int i = 0; i < 30; ++i) {
    char key[64];
    std::snprintf(key, sizeof key, "s3://testbucket/list/k%02d.csv", i);
    EXPECT_EQ(all[i].url, key);
    EXPECT_EQ(all[i].size, i);
  }
  EXPECT_EQ(store.List("s3://testbucket/list/k1").size(), 10u);
  EXPECT_EQ(store.List("s3://testbucket/list").size(), 31u);  // a string prefix, as in S3
  EXPECT_TRUE(store.List("s3://testbucket/nothing-here/").empty());
}

TEST_F(S3StoreTest, MultipartUploadAboveThePartSize) {
  ObjectStoreConfig config = Config();
  config.multipart_part_size = 5 << 20;
  S3ObjectStore store(config);
  const std::string url = "s3://testbucket/big/twelve.bin";
  std::string data = Pattern(12 << 20, 3);
  {
    auto sink = store.OpenWrite(url);
    for (size_t i = 0; i < data.size(); i += 1 << 20) sink->Append(std::string_view(data).substr(i, 1 << 20));
    EXPECT_EQ(sink->BytesWritten(), 12 << 20);
    // Parts already went up, but nothing is visible before Finish.
    EXPECT_EQ(ErrorOf([&] { store.OpenRead(url); }).substr(0, 6), "58P01:");
    sink->Finish();
  }
  auto src = store.OpenRead(url);
  ASSERT_EQ(src->Size(), 12 << 20);
  EXPECT_EQ(ReadRange(*src, (5 << 20) - 3, 6), data.substr((5 << 20) - 3, 6));  // across a part boundary
  EXPECT_EQ(ReadRange(*src, 0, data.size()), data);
  // Sequential small reads go through the read-ahead window, across its refills.
  std::string sequential;
  for (int64_t off = 0; off < src->Size(); off += 1000003) sequential += ReadRange(*src, off, 1000003);
  EXPECT_EQ(sequential, data);
  EXPECT_EQ(ReadRange(*src, 7, 5), data.substr(7, 5));  // backwards, outside the window

  // A sink dropped before Finish aborts its upload and leaves no object.
  {
    auto sink = store.OpenWrite("s3://testbucket/big/abandoned.bin");
    sink->Append(Pattern(6 << 20, 4));
  }
  EXPECT_EQ(ErrorOf([&] { store.OpenRead("s3://testbucket/big/abandoned.bin"); }).substr(0, 6), "58P01:");
}

TEST_F(S3StoreTest, MissingObjectsBucketsAndDelete) {
  S3ObjectStore store(Config());
  EXPECT_EQ(ErrorOf([&] { store.OpenRead("s3://testbucket/no/such/key.csv"); }),
            "58P01: S3 object \"s3://testbucket/no/such/key.csv\" does not exist");
  EXPECT_EQ(ErrorOf([&] { store.List("s3://nosuchbucket/x"); }),
            "58P01: S3 bucket \"nosuchbucket\" does not exist");
  EXPECT_EQ(ErrorOf([&] { Put(store, "s3://nosuchbucket/x", "data"); }),
            "58P01: S3 bucket \"nosuchbucket\" does not exist");
  std::string missing_bucket_read = ErrorOf([&] { store.OpenRead("s3://nosuchbucket/x"); });
  EXPECT_EQ(missing_bucket_read.substr(0, 6), "58P01:");
  EXPECT_NE(missing_bucket_read.find("nosuchbucket"), std::string::npos);

  Put(store, "s3://testbucket/doomed", "bye");
  EXPECT_EQ(store.List("s3://testbucket/doomed").size(), 1u);
  store.Delete("s3://testbucket/doomed");
  EXPECT_TRUE(store.List("s3://testbucket/doomed").empty());
  EXPECT_EQ(ErrorOf([&] { store.OpenRead("s3://testbucket/doomed"); }).substr(0, 6), "58P01:");
  store.Delete("s3://testbucket/doomed");  // deleting again is fine, as in S3
}

TEST_F(S3StoreTest, UnknownAccessKeyIsAccessDenied) {
  ObjectStoreConfig config = Config();
  config.access_key_id = "NOT-A-KEY";
  S3ObjectStore store(config);
  std::string err = ErrorOf([&] { store.List("s3://testbucket/"); });
  EXPECT_EQ(err.substr(0, 6), "42501:") << err;
  EXPECT_NE(err.find("access denied to \"s3://testbucket\""), std::string::npos) << err;
}

TEST(S3ClientTest, UnreachableEndpointFailsAfterBoundedRetries) {
  ObjectStoreConfig config;
  config.endpoint = "http://127.0.0.1:1";  // nothing listens on port 1
  config.access_key_id = "A";
  config.secret_access_key = "B";
  config.max_retries = 2;
  S3ObjectStore store(config);
  auto start = std::chrono::steady_clock::now();
  std::string err = ErrorOf([&] { store.OpenRead("s3://b/k"); });
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(err.substr(0, 6), "58030:") << err;
  EXPECT_NE(err.find("after 3 attempts"), std::string::npos) << err;
  EXPECT_GE(elapsed, std::chrono::milliseconds(150));  // 50 ms + 100 ms of backoff at least
  EXPECT_LT(elapsed, std::chrono::seconds(5));
}

TEST(S3ClientTest, ParsesUrlsAndXml) {
  S3Location loc = ParseS3Url("s3://bucket/a/b c.csv");
  EXPECT_EQ(loc.bucket, "bucket");
  EXPECT_EQ(loc.key, "a/b c.csv");
  EXPECT_EQ(ParseS3Url("s3://bucket").key, "");
  EXPECT_EQ(ErrorOf([] { ParseS3Url("s3:///k"); }).substr(0, 6), "22023:");
  std::string xml = "<R><Contents><Key>a&amp;b&#x20;&lt;c&gt;</Key></Contents><Contents><Key>z</Key></Contents>"
                    "<IsTruncated>false</IsTruncated><Prefix/></R>";
  size_t pos = 0;
  EXPECT_EQ(*XmlElement(XmlElement(xml, "Contents", &pos, false).value(), "Key"), "a&b <c>");
  EXPECT_EQ(*XmlElement(XmlElement(xml, "Contents", &pos, false).value(), "Key"), "z");
  EXPECT_FALSE(XmlElement(xml, "Contents", &pos).has_value());
  EXPECT_EQ(XmlElement(xml, "Prefix").value(), "");
  EXPECT_EQ(XmlEscape("\"a\"&<b>"), "&quot;a&quot;&amp;&lt;b&gt;");
}

}  // namespace
}  // namespace strata
