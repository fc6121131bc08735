// Streaming (de)compression: round trips through every codec, the system gzip/bzip2/zstd
// tools' output, concatenated gzip members, forward skips, backward reads and truncated or
// corrupt streams.
#include "io/compressed_source.h"

#include <gtest/gtest.h>
#include <stdio.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>

#include "sql/error.h"

namespace strata {
namespace {

// Text-like data that compresses but is not trivially repetitive.
std::string SampleData(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  static const char* kWords[] = {"alpha", "beta", "gamma", "delta", "|", "\n", "42", "3.14", "NULL"};
  std::string out;
  while (out.size() < n) out += kWords[rng() % 9];
  out.resize(n);
  return out;
}

std::string Compress(const std::string& data, Compression c, int level = 0, size_t append_chunk = 1000) {
  auto sink = std::make_unique<MemorySink>();
  MemorySink* mem = sink.get();
  auto out = OpenCompressed(std::move(sink), c, level);
  for (size_t i = 0; i < data.size(); i += append_chunk) out->Append(std::string_view(data).substr(i, append_chunk));
  out->Finish();
  EXPECT_EQ(out->BytesWritten(), static_cast<int64_t>(data.size()));
  return mem->data();
}

// Reads a whole decompressed stream in `step`-byte reads at increasing offsets.
std::string ReadAll(const std::string& compressed, Compression c, size_t step = 7777) {
  auto src = OpenDecompressed(std::make_unique<MemorySource>("mem.bin", compressed), c);
  EXPECT_EQ(src->Size(), -1);
  std::string out;
  std::string buf(step, '\0');
  for (;;) {
    size_t n = src->ReadAt(static_cast<int64_t>(out.size()), buf.data(), step);
    out.append(buf.data(), n);
    if (n < step) break;
  }
  return out;
}

std::string SqlStateOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const SqlError& e) {
    return e.sqlstate() + ": " + e.message();
  }
  return "no error";
}

class CodecTest : public ::testing::TestWithParam<Compression> {};

TEST_P(CodecTest, RoundTripsSmallEmptyAndLarge) {
  for (size_t size : {size_t{0}, size_t{1}, size_t{1000}, size_t{3} << 20}) {
    std::string data = SampleData(size, static_cast<uint32_t>(size));
    std::string packed = Compress(data, GetParam(), 0, 4099);
    if (size >= 1000) {
      EXPECT_LT(packed.size(), data.size()) << CompressionName(GetParam());
    }
    EXPECT_EQ(ReadAll(packed, GetParam()), data) << CompressionName(GetParam()) << " size " << size;
  }
}

TEST_P(CodecTest, TruncatedStreamThrows22P04) {
  std::string packed = Compress(SampleData(500000, 7), GetParam());
  std::string cut = packed.substr(0, packed.size() * 2 / 3);
  std::string err = SqlStateOf([&] { ReadAll(cut, GetParam()); });
  EXPECT_EQ(err, StrCat("22P04: unexpected end of ", CompressionName(GetParam()), " stream in \"mem.bin\""));
  // Cut inside the very last bytes (the trailer) too.
  std::string err2 = SqlStateOf([&] { ReadAll(packed.substr(0, packed.size() - 1), GetParam()); });
  EXPECT_EQ(err2.substr(0, 6), "22P04:") << err2;
}

TEST_P(CodecTest, CorruptStreamThrows22P04) {
  std::string packed = Compress(SampleData(200000, 9), GetParam());
  std::string bad = packed;
  for (size_t i = 0; i < 16; ++i) bad[i] ^= 0x5A;  // break the header
  std::string err = SqlStateOf([&] { ReadAll(bad, GetParam()); });
  EXPECT_EQ(err.substr(0, 6), "22P04:") << err;
}

TEST_P(CodecTest, SkipsForwardButRefusesBackwardReads) {
  std::string data = SampleData(1 << 20, 3);
  auto src = OpenDecompressed(std::make_unique<MemorySource>("m", Compress(data, GetParam())), GetParam());
  char buf[100];
  ASSERT_EQ(src->ReadAt(10, buf, 100), 100u);
  EXPECT_EQ(std::string(buf, 100), data.substr(10, 100));
  ASSERT_EQ(src->ReadAt(700000, buf, 100), 100u);  // gap: decompressed and skipped
  EXPECT_EQ(std::string(buf, 100), data.substr(700000, 100));
  EXPECT_EQ(src->ReadAt((1 << 20) - 30, buf, 100), 30u);
  EXPECT_EQ(SqlStateOf([&] { src->ReadAt(5, buf, 10); }).substr(0, 6), "58030:");
}

TEST_P(CodecTest, ConcatenatedStreamsReadThrough) {
  std::string a = SampleData(300000, 1), b = SampleData(5, 2), c = SampleData(200000, 3);
  std::string packed = Compress(a, GetParam()) + Compress(b, GetParam()) + Compress(c, GetParam());
  EXPECT_EQ(ReadAll(packed, GetParam(), 65536), a + b + c);
}

INSTANTIATE_TEST_SUITE_P(AllCodecs, CodecTest,
                         ::testing::Values(Compression::kGzip, Compression::kBzip2, Compression::kZstd,
                                           Compression::kLz4),
                         [](const auto& info) { return std::string(CompressionName(info.param)); });

TEST(CompressionTest, NoneIsThePassThrough) {
  auto src = OpenDecompressed(std::make_unique<MemorySource>("m", "abc"), Compression::kNone);
  EXPECT_EQ(src->Size(), 3);
  EXPECT_EQ(Compress("abc", Compression::kNone), "abc");
}

TEST(CompressionTest, NamesAndExtensions) {
  EXPECT_EQ(CompressionFromName("GZIP"), Compression::kGzip);
  EXPECT_EQ(CompressionFromName("bz2"), Compression::kBzip2);
  EXPECT_EQ(CompressionFromName("Zstd"), Compression::kZstd);
  EXPECT_EQ(CompressionFromName("lz4"), Compression::kLz4);
  EXPECT_EQ(CompressionFromName(""), Compression::kNone);
  EXPECT_EQ(SqlStateOf([] { CompressionFromName("rar"); }).substr(0, 6), "22023:");
  EXPECT_EQ(CompressionFromExtension("/d/x.csv.gz"), Compression::kGzip);
  EXPECT_EQ(CompressionFromExtension("s3://b/part-0001.zst"), Compression::kZstd);
  EXPECT_EQ(CompressionFromExtension("/d.gz/file"), Compression::kNone);
  EXPECT_EQ(CompressionFromExtension("/d/x.csv"), Compression::kNone);
}

// The files real tools write: gzip(1) with a file name in its header, concatenated members
// (`cat a.gz b.gz`), bzip2(1) and zstd(1).
TEST(CompressionTest, ReadsWhatTheSystemToolsWrite) {
  for (const char* tool : {"gzip", "bzip2"}) {
    ASSERT_EQ(std::system(StrCat("command -v ", tool, " > /dev/null").c_str()), 0) << tool << " is not installed";
  }
  char dir_template[] = "/tmp/strata_gz_XXXXXX";
  std::string dir = mkdtemp(dir_template);
  std::string a = SampleData(100000, 11), b = SampleData(70000, 12);
  std::ofstream(dir + "/a.txt") << a;
  std::ofstream(dir + "/b.txt") << b;
  std::string cmd = StrCat("cd ", dir, " && cp a.txt a2.txt && gzip -k a.txt && gzip -k -1 b.txt && cat a.txt.gz b.txt.gz > ab.gz",
                           " && bzip2 -k a2.txt");
  if (std::system("command -v zstd > /dev/null") == 0) cmd += " && zstd -q -k b.txt -o b.zst";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  auto slurp = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  EXPECT_EQ(ReadAll(slurp(dir + "/a.txt.gz"), Compression::kGzip), a);
  EXPECT_EQ(ReadAll(slurp(dir + "/ab.gz"), Compression::kGzip), a + b);
  EXPECT_EQ(ReadAll(slurp(dir + "/a2.txt.bz2"), Compression::kBzip2), a);
  if (std::system("command -v zstd > /dev/null") == 0) {
    EXPECT_EQ(ReadAll(slurp(dir + "/b.zst"), Compression::kZstd), b);
  }
  // And the other way: gzip -d reads what we write.
  std::ofstream(dir + "/ours.gz", std::ios::binary) << Compress(a, Compression::kGzip, 6);
  ASSERT_EQ(std::system(StrCat("cd ", dir, " && gzip -d ours.gz").c_str()), 0);
  EXPECT_EQ(slurp(dir + "/ours"), a);
  std::system(StrCat("rm -rf ", dir).c_str());
}

}  // namespace
}  // namespace strata
