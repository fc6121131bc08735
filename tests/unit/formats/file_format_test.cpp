// formats/file_format.h: every format written and read back through the one RecordWriter /
// RecordReader interface (NULLs included), rejected rows and Parquet's column-count check; and
// loading compressed files: io/compressed_source.h under the JSON reader and against the
// system's own gzip / bzip2 / zstd (when installed), concatenated gzip members, a truncated
// stream, and the compressing sink under TextWriter.
#include "formats/file_format.h"

#include "io/compressed_source.h"

#include <gtest/gtest.h>
#include <zlib.h>
#include <zstd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>
#include <string>

#include "formats/json_reader.h"
#include "formats/text_writer.h"
#include "sql/error.h"

namespace strata {
namespace {

std::string Gzip(const std::string& data, int level = 6) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&z, data.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// Reads a source to its end at increasing offsets, in odd-sized pieces.
std::string ReadWhole(ByteSource* source) {
  std::string out;
  char buf[70001];
  while (true) {
    size_t got = source->ReadAt(static_cast<int64_t>(out.size()), buf, sizeof(buf));
    out.append(buf, got);
    if (got < sizeof(buf)) return out;
  }
}

std::string Decompress(const std::string& compressed, Compression c) {
  auto source = OpenDecompressed(std::make_unique<MemorySource>("x", compressed), c);
  return ReadWhole(source.get());
}

std::string Ndjson(int n, int64_t* sum) {
  std::string data;
  *sum = 0;
  for (int i = 0; i < n; ++i) {
    data += "{\"id\": " + std::to_string(i) + ", \"tag\": \"t" + std::to_string(i % 13) + "\"}\n";
    *sum += i;
  }
  return data;
}

TEST(CompressedSourceTest, JsonReaderOverGzip) {
  int64_t want_sum = 0;
  const std::string data = Ndjson(50000, &want_sum);
  auto source = OpenDecompressed(std::make_unique<MemorySource>("data.json.gz", Gzip(data)), Compression::kGzip);
  EXPECT_EQ(source->Size(), -1);
  JsonReader reader(source.get(), {"id", "tag"}, {SqlType::Int64(), SqlType::Varchar(3)}, {});
  Batch batch;
  int64_t sum = 0, rows = 0;
  while (reader.Next(&batch)) {
    for (size_t r = 0; r < batch.rows; ++r) sum += batch.columns[0].data<int64_t>()[r];
    rows += static_cast<int64_t>(batch.rows);
  }
  EXPECT_EQ(rows, 50000);
  EXPECT_EQ(sum, want_sum);
  EXPECT_EQ(reader.bytes_read(), static_cast<int64_t>(data.size()));
}

TEST(CompressedSourceTest, ConcatenatedGzipMembersAreOneStream) {
  const std::string a = "first member\n", b(100000, 'b');
  EXPECT_EQ(Decompress(Gzip(a) + Gzip(b, 1) + Gzip(a, 9), Compression::kGzip), a + b + a);
}

TEST(CompressedSourceTest, TruncatedGzipIsAnError) {
  int64_t sum;
  const std::string gz = Gzip(Ndjson(20000, &sum));
  try {
    Decompress(gz.substr(0, gz.size() / 2), Compression::kGzip);
    FAIL() << "a truncated stream was accepted";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), "22P04") << e.message();
  }
}

// Compresses with the system's tool, when it is installed, and checks the decompression.
void CheckSystemTool(const std::string& tool, Compression c) {
  if (std::system(("command -v " + tool + " >/dev/null 2>&1").c_str()) != 0) {
    GTEST_SKIP() << tool << " is not installed";
  }
  int64_t sum;
  const std::string data = Ndjson(30000, &sum);
  const auto dir = std::filesystem::temp_directory_path() /
                   ("strata_formats_" + tool + "_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto plain = dir / "data.json";
  std::ofstream(plain, std::ios::binary) << data;
  const std::string command = tool + " -c -q " + plain.string() + " > " + plain.string() + ".z";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  std::ifstream in(plain.string() + ".z", std::ios::binary);
  std::stringstream compressed;
  compressed << in.rdbuf();
  std::filesystem::remove_all(dir);
  EXPECT_EQ(Decompress(compressed.str(), c), data);
}

TEST(CompressedSourceTest, SystemGzip) { CheckSystemTool("gzip", Compression::kGzip); }
TEST(CompressedSourceTest, SystemBzip2) { CheckSystemTool("bzip2", Compression::kBzip2); }
TEST(CompressedSourceTest, SystemZstd) { CheckSystemTool("zstd", Compression::kZstd); }

TEST(CompressedSourceTest, LibzstdFrames) {
  const std::string a(300000, 'z'), b = "tail\n";
  auto compress = [](const std::string& s) {
    std::string out(ZSTD_compressBound(s.size()), '\0');
    size_t n = ZSTD_compress(out.data(), out.size(), s.data(), s.size(), 3);
    EXPECT_FALSE(ZSTD_isError(n));
    out.resize(n);
    return out;
  };
  EXPECT_EQ(Decompress(compress(a) + compress(b), Compression::kZstd), a + b);
}

TEST(CompressedSourceTest, TextWriterThroughCompressedSink) {
  auto memory = std::make_unique<MemorySink>();
  MemorySink* raw = memory.get();
  auto sink = OpenCompressed(std::move(memory), Compression::kGzip, 0);
  TextWriter writer(sink.get(), {"n"}, TextWriterOptions::Csv());
  Batch b({SqlType::Int32()});
  b.SetRows(1000);
  std::string want;
  for (int i = 0; i < 1000; ++i) {
    b.columns[0].data<int32_t>()[i] = i;
    b.columns[0].SetNull(i, false);
    want += std::to_string(i) + "\n";
  }
  writer.Write(b);
  writer.Finish();
  EXPECT_EQ(Decompress(raw->data(), Compression::kGzip), want);
}

// Two columns (int32 with every third row NULL, int64) of `rows` rows.
Batch Numbers(int rows) {
  Batch b({SqlType::Int32(), SqlType::Int64()});
  b.SetRows(rows);
  for (int i = 0; i < rows; ++i) {
    b.columns[0].data<int32_t>()[i] = i;
    b.columns[0].SetNull(i, i % 3 == 0);
    b.columns[1].data<int64_t>()[i] = int64_t{1} << 40 | i;
    b.columns[1].SetNull(i, false);
  }
  return b;
}

// Every row of the reader, as "n|m" text (NULL as N).
std::vector<std::string> ReadAllRows(RecordReader& reader) {
  std::vector<std::string> rows;
  Batch b;
  while (reader.Next(&b)) {
    for (size_t r = 0; r < b.rows; ++r) {
      std::string n = b.columns[0].IsNull(r) ? "N" : std::to_string(b.columns[0].data<int32_t>()[r]);
      std::string m = b.columns[1].IsNull(r) ? "N" : std::to_string(b.columns[1].data<int64_t>()[r]);
      rows.push_back(n + "|" + m);
    }
  }
  return rows;
}

struct FormatCase {
  FileFormat format;
  TextWriterOptions::Format text;
};

class RecordRoundTrip : public ::testing::TestWithParam<FormatCase> {};

TEST_P(RecordRoundTrip, WritesAndReadsBackEveryRowThroughTheInterface) {
  const std::vector<SqlType> types = {SqlType::Int32(), SqlType::Int64()};
  RecordWriterOptions w;
  w.format = GetParam().format;
  w.text.format = GetParam().text;
  if (GetParam().text == TextWriterOptions::Format::kCsv) w.text.delimiter = ',';
  MemorySink sink;
  std::unique_ptr<RecordWriter> writer = OpenRecordWriter(&sink, {"n", "m"}, types, w);
  Batch b = Numbers(5000);
  writer->Write(b);
  writer->Write(Numbers(7));
  writer->Finish();

  RecordReaderOptions r;
  r.format = GetParam().format;
  r.column_names = {"n", "m"};
  r.delimited.csv = GetParam().text == TextWriterOptions::Format::kCsv;
  r.delimited.delimiter = r.delimited.csv ? ',' : '|';
  r.delimited.null_as = "";  // what the writers write for NULL by default
  int rejected = 0;
  std::unique_ptr<RecordReader> reader = OpenRecordReader(std::make_unique<MemorySource>("f", sink.data()), 0, -1, types,
                                                          r, [&](const RejectedRow&) { return ++rejected, true; });
  std::vector<std::string> rows = ReadAllRows(*reader);
  EXPECT_EQ(rejected, 0);
  ASSERT_EQ(rows.size(), 5007u);
  EXPECT_EQ(rows[0], "N|" + std::to_string(int64_t{1} << 40));
  EXPECT_EQ(rows[4999], "4999|" + std::to_string(int64_t{1} << 40 | 4999));
  EXPECT_EQ(rows[5005], "5|" + std::to_string(int64_t{1} << 40 | 5));
  EXPECT_EQ(rows[5006], "N|" + std::to_string(int64_t{1} << 40 | 6));
}

INSTANTIATE_TEST_SUITE_P(Formats, RecordRoundTrip,
                         ::testing::Values(FormatCase{FileFormat::kDelimited, TextWriterOptions::Format::kText},
                                           FormatCase{FileFormat::kDelimited, TextWriterOptions::Format::kCsv},
                                           FormatCase{FileFormat::kJson, TextWriterOptions::Format::kJson},
                                           FormatCase{FileFormat::kParquet, TextWriterOptions::Format::kText}));

TEST(RecordReaderTest, DelimitedRejectsGoToTheHookAndTheRestLoads) {
  RecordReaderOptions r;
  std::vector<RejectedRow> rejected;
  auto reader = OpenRecordReader(std::make_unique<MemorySource>("f", "1|2\nx|3\n4|5\n"), 0, -1,
                                 {SqlType::Int32(), SqlType::Int64()}, r, [&](const RejectedRow& row) {
                                   rejected.push_back(row);
                                   return true;
                                 });
  EXPECT_EQ(ReadAllRows(*reader), (std::vector<std::string>{"1|2", "4|5"}));
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0].line_number, 2);
  EXPECT_EQ(rejected[0].column, 1);
}

TEST(RecordReaderTest, ParquetWithAnotherColumnCountIs22P04) {
  MemorySink sink;
  RecordWriterOptions w;
  w.format = FileFormat::kParquet;
  auto writer = OpenRecordWriter(&sink, {"n", "m"}, {SqlType::Int32(), SqlType::Int64()}, w);
  writer->Write(Numbers(3));
  writer->Finish();
  RecordReaderOptions r;
  r.format = FileFormat::kParquet;
  r.file_name = "s3://b/one.parquet";
  try {
    OpenRecordReader(std::make_unique<MemorySource>("f", sink.data()), 0, -1, {SqlType::Int32()}, r, nullptr);
    FAIL() << "a 2-column file read as 1 column must fail";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), "22P04");
    EXPECT_NE(std::string(e.what()).find("s3://b/one.parquet"), std::string::npos);
  }
}

}  // namespace
}  // namespace strata
