// The COPY text reader: byte ranges that tile a file read every line once, CSV quoting, NULL
// rules, trailing delimiters, errors naming real line numbers, the reject hook, IGNOREHEADER,
// and a throughput measurement on a generated lineitem-like file (printed, not asserted).
#include "formats/delimited_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include "sql/value_text.h"

namespace strata {
namespace {

class DelimitedReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/strata_delimited_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& content, const std::string& name = "data.txt") {
    std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  // Every row of the range as "v1,v2,..." with NULL for NULLs.
  static std::vector<std::string> ReadRows(const std::string& path, std::vector<SqlType> types,
                                           DelimitedOptions options = {}, int64_t begin = 0,
                                           int64_t end = -1, RejectHook hook = nullptr) {
    DelimitedReader reader(path, begin, end, std::move(types), std::move(options), std::move(hook));
    std::vector<std::string> rows;
    Batch batch;
    while (reader.Next(&batch)) {
      EXPECT_GT(batch.rows, 0u);
      EXPECT_LE(batch.rows, kBatchSize);
      for (size_t r = 0; r < batch.rows; ++r) {
        std::string row;
        for (size_t c = 0; c < batch.columns.size(); ++c) {
          if (c > 0) row += ",";
          row += batch.columns[c].IsNull(r) ? "NULL" : ValueText(batch.columns[c], r);
        }
        rows.push_back(row);
      }
    }
    EXPECT_EQ(reader.rows_read(), static_cast<int64_t>(rows.size()));
    return rows;
  }

  // The SqlError that reading the whole file raises.
  static SqlError ReadError(const std::string& path, std::vector<SqlType> types,
                            DelimitedOptions options = {}, int64_t begin = 0) {
    try {
      ReadRows(path, std::move(types), std::move(options), begin);
    } catch (const SqlError& e) {
      return e;
    }
    ADD_FAILURE() << "no error";
    return SqlError("00000", "");
  }

  std::string dir_;
};

const std::vector<SqlType> kIntText = {SqlType::Int32(), SqlType::Varchar(20)};

TEST_F(DelimitedReaderTest, RangesThatTileTheFileReadEveryLineOnce) {
  std::mt19937_64 rng(2024);
  std::string content;
  std::vector<std::string> expected;
  for (int i = 0; i < 20000; ++i) {
    std::string text(rng() % 40, 'a' + i % 26);
    if (i % 997 == 0) text.assign(70000, 'z');  // longer than the smallest buffer
    content += std::to_string(i) + "|" + text + "\n";
    expected.push_back(std::to_string(i) + "," + text);
  }
  content.pop_back();  // the last line has no newline
  std::string path = Write(content);
  const std::vector<SqlType> types = {SqlType::Int32(), SqlType::Varchar(100000)};
  for (int trial = 0; trial < 6; ++trial) {
    std::vector<int64_t> cuts = {0, static_cast<int64_t>(content.size())};
    int parts = trial == 0 ? 1 : 1 + static_cast<int>(rng() % 40);
    for (int k = 1; k < parts; ++k) cuts.push_back(static_cast<int64_t>(rng() % content.size()));
    if (trial == 5) cuts.push_back(content.find('\n') + 1);  // exactly at a line start
    std::sort(cuts.begin(), cuts.end());
    std::vector<std::string> got;
    int64_t bytes = 0;
    for (size_t k = 0; k + 1 < cuts.size(); ++k) {
      DelimitedReader reader(path, cuts[k], k + 2 == cuts.size() ? -1 : cuts[k + 1], types, {});
      Batch batch;
      while (reader.Next(&batch)) {
        for (size_t r = 0; r < batch.rows; ++r) {
          got.push_back(ValueText(batch.columns[0], r) + "," + ValueText(batch.columns[1], r));
        }
      }
      bytes += reader.bytes_read();
    }
    ASSERT_EQ(got.size(), expected.size()) << "trial " << trial;
    EXPECT_EQ(got, expected) << "trial " << trial;
    EXPECT_EQ(bytes, static_cast<int64_t>(content.size()));
  }
}

TEST_F(DelimitedReaderTest, SplitRangesTilesTheFile) {
  auto small = SplitRanges(1000, 16);
  ASSERT_EQ(small.size(), 1u);
  EXPECT_EQ(small[0], (std::pair<int64_t, int64_t>{0, 1000}));
  const int64_t size = 725LL << 20;
  auto ranges = SplitRanges(size, 16);
  ASSERT_EQ(ranges.size(), 16u);
  int64_t at = 0;
  for (auto [b, e] : ranges) {
    EXPECT_EQ(b, at);
    EXPECT_GE(e - b, 8LL << 20);
    at = e;
  }
  EXPECT_EQ(at, size);
  EXPECT_EQ(SplitRanges(20LL << 20, 16).size(), 3u);  // at least ~8 MB each
}

TEST_F(DelimitedReaderTest, NullsEmptiesAndBlanks) {
  std::string path = Write("1|\\N\n\\N|x\n|\n 7 |  \n");
  EXPECT_EQ(ReadRows(path, kIntText),
            (std::vector<std::string>{"1,NULL", "NULL,x", "NULL,", "7,  "}));
  DelimitedOptions options;
  options.empty_as_null = true;
  options.blanks_as_null = true;
  EXPECT_EQ(ReadRows(path, kIntText, options),
            (std::vector<std::string>{"1,NULL", "NULL,x", "NULL,NULL", "7,NULL"}));
  options = {};
  options.null_as = "NULL";
  path = Write("NULL|\\N\n", "b.txt");
  EXPECT_EQ(ReadRows(path, kIntText, options), (std::vector<std::string>{"NULL,\\N"}));
}

TEST_F(DelimitedReaderTest, TrailingDelimiterAndFieldCounts) {
  std::string path = Write("1|a|\n2|b\r\n");
  EXPECT_EQ(ReadRows(path, kIntText), (std::vector<std::string>{"1,a", "2,b"}));
  DelimitedOptions strict;
  strict.allow_trailing_delimiter = false;
  SqlError extra = ReadError(path, kIntText, strict);
  EXPECT_EQ(extra.sqlstate(), sqlstate::kBadCopyFileFormat);
  EXPECT_EQ(extra.message(), "extra data after last expected column");
  EXPECT_EQ(extra.detail(), "line 1, column 3");

  path = Write("1|a\n2|b|c\n", "extra.txt");
  EXPECT_EQ(ReadError(path, kIntText).detail(), "line 2, column 3");
  path = Write("1|a\n2|b\n3\n", "missing.txt");
  SqlError missing = ReadError(path, kIntText);
  EXPECT_EQ(missing.sqlstate(), sqlstate::kBadCopyFileFormat);
  EXPECT_EQ(missing.message(), "missing data for column 2");
  EXPECT_EQ(missing.detail(), "line 3, column 2");
}

TEST_F(DelimitedReaderTest, CsvQuoting) {
  DelimitedOptions csv;
  csv.csv = true;
  csv.delimiter = ',';
  csv.null_as = "";
  std::string path = Write(
      "1,plain\n"
      "2,\"with, comma\"\n"
      "3,\"say \"\"hi\"\"\"\n"
      "4,\"two\nlines\"\n"
      "5,\"\"\n"
      "6,\n"
      "7,a\"b\"c\r\n"
      "8,\"crlf\"\r\n");
  const std::vector<SqlType> types = {SqlType::Int32(), SqlType::Text()};
  EXPECT_EQ(ReadRows(path, types, csv),
            (std::vector<std::string>{"1,plain", "2,with, comma", "3,say \"hi\"", "4,two\nlines",
                                      "5,", "6,NULL", "7,abc", "8,crlf"}));
  // Line numbers after a record with an embedded newline still count physical lines.
  path = Write("1,\"a\nb\"\nx,y\n", "bad.csv");
  SqlError e = ReadError(path, types, csv);
  EXPECT_EQ(e.sqlstate(), sqlstate::kInvalidTextRepresentation);
  EXPECT_EQ(e.detail(), "line 3, column 1");
  path = Write("1,\"never closed\n2,x\n", "open.csv");
  e = ReadError(path, types, csv);
  EXPECT_EQ(e.sqlstate(), sqlstate::kBadCopyFileFormat);
  EXPECT_EQ(e.message(), "unterminated CSV quoted field");
}

TEST_F(DelimitedReaderTest, TypedColumns) {
  std::string path = Write(
      "1|17.50|1996-03-13|N|1998-01-01 10:20:30|2.5|t\n"
      "-2|-0.005|1992-02-29|AB  |1998-01-01 10:20:30.5|1e3|0\n");
  std::vector<SqlType> types = {SqlType::Int64(), SqlType::Decimal(15, 2), SqlType::Date(),
                                SqlType::Char(3), SqlType::Timestamp(), SqlType::Float64(),
                                SqlType::Bool()};
  EXPECT_EQ(ReadRows(path, types),
            (std::vector<std::string>{"1,17.50,1996-03-13,N  ,1998-01-01 10:20:30,2.5,t",
                                      "-2,-0.01,1992-02-29,AB ,1998-01-01 10:20:30.5,1000,f"}));
}

TEST_F(DelimitedReaderTest, ErrorsNameRealLineNumbers) {
  std::string content;
  for (int i = 1; i <= 30000; ++i) {
    content += std::to_string(i) + "|ok|" + (i == 17000 ? "x" : "5") + "\n";
  }
  std::string path = Write(content);
  const std::vector<SqlType> types = {SqlType::Int32(), SqlType::Varchar(2), SqlType::Int32()};
  SqlError e = ReadError(path, types);
  EXPECT_EQ(e.sqlstate(), sqlstate::kInvalidTextRepresentation);
  EXPECT_EQ(e.message(), "invalid input syntax for type integer: \"x\"");
  EXPECT_EQ(e.detail(), "line 17000, column 3");
  // A range that starts later counts the lines before it.
  e = ReadError(path, types, {}, static_cast<int64_t>(content.size() / 2));
  EXPECT_EQ(e.detail(), "line 17000, column 3");

  // The first bad line wins even when a later line is bad in an earlier column.
  path = Write("1|ok|1\n2|ok|bad\nx|ok|3\n", "two.txt");
  EXPECT_EQ(ReadError(path, types).detail(), "line 2, column 3");
  path = Write("1|toolong|1\n", "long.txt");
  e = ReadError(path, types);
  EXPECT_EQ(e.sqlstate(), sqlstate::kStringDataRightTruncation);
  EXPECT_EQ(e.detail(), "line 1, column 2");
  path = Write("1|ok|99999999999\n", "range.txt");
  EXPECT_EQ(ReadError(path, types).sqlstate(), sqlstate::kNumericValueOutOfRange);
  path = Write("1996-02-30\n", "date.txt");
  EXPECT_EQ(ReadError(path, {SqlType::Date()}).sqlstate(), sqlstate::kDatetimeFieldOverflow);
  path = Write("1|1.5e\n", "dec.txt");
  EXPECT_EQ(ReadError(path, {SqlType::Int32(), SqlType::Decimal(5, 1)}).detail(), "line 1, column 2");
}

TEST_F(DelimitedReaderTest, MissingFileIsUndefinedFile) {
  try {
    DelimitedReader reader(dir_ + "/nope.tbl", 0, -1, kIntText, {});
    FAIL() << "opened a missing file";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), sqlstate::kUndefinedFile);
    EXPECT_NE(e.message().find(dir_ + "/nope.tbl"), std::string::npos);
  }
}

TEST_F(DelimitedReaderTest, RejectHookSkipsKeepsOrStops) {
  std::string path = Write("1|a\nx|b\n3|c|d\n4\n5|toolongtoolongtoolong1\n6|f\n");
  std::vector<RejectedRow> rejected;
  auto record = [&](bool skip) {
    return [&rejected, skip](const RejectedRow& row) {
      rejected.push_back(row);
      return skip;
    };
  };
  EXPECT_EQ(ReadRows(path, kIntText, {}, 0, -1, record(true)), (std::vector<std::string>{"1,a", "6,f"}));
  ASSERT_EQ(rejected.size(), 4u);
  EXPECT_EQ(rejected[0].line_number, 2);
  EXPECT_EQ(rejected[0].column, 1);
  EXPECT_EQ(rejected[0].raw_line, "x|b");
  EXPECT_EQ(rejected[0].raw_field, "x");
  EXPECT_EQ(rejected[0].error.sqlstate(), sqlstate::kInvalidTextRepresentation);
  EXPECT_EQ(rejected[0].error.detail(), "line 2, column 1");
  EXPECT_EQ(rejected[1].line_number, 3);
  EXPECT_EQ(rejected[1].column, 3);
  EXPECT_EQ(rejected[1].error.sqlstate(), sqlstate::kBadCopyFileFormat);
  EXPECT_EQ(rejected[2].line_number, 4);
  EXPECT_EQ(rejected[2].error.message(), "missing data for column 2");
  EXPECT_EQ(rejected[3].line_number, 5);
  EXPECT_EQ(rejected[3].error.sqlstate(), sqlstate::kStringDataRightTruncation);

  rejected.clear();
  EXPECT_EQ(ReadRows(path, kIntText, {}, 0, -1, record(false)),
            (std::vector<std::string>{"1,a", "NULL,b", "3,c", "4,NULL", "5,NULL", "6,f"}));
  EXPECT_EQ(rejected.size(), 4u);

  // MAXERROR 1: the hook throws on the second rejected row.
  int count = 0;
  auto max_error = [&count](const RejectedRow& row) -> bool {
    if (++count > 1) throw SqlError(sqlstate::kDataException, "too many errors");
    return true;
  };
  try {
    ReadRows(path, kIntText, {}, 0, -1, max_error);
    FAIL() << "hook did not stop the load";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.message(), "too many errors");
  }
  EXPECT_EQ(count, 2);
}

TEST_F(DelimitedReaderTest, IgnoreHeaderAcrossRanges) {
  std::string content = "id|name\n--|--\n";
  for (int i = 0; i < 100; ++i) content += std::to_string(i) + "|n\n";
  std::string path = Write(content);
  DelimitedOptions options;
  options.ignore_header = 2;
  std::vector<std::string> all;
  // Cuts inside the first header line, inside the second, and in the data.
  std::vector<int64_t> cuts = {0, 3, 10, 40, static_cast<int64_t>(content.size())};
  for (size_t k = 0; k + 1 < cuts.size(); ++k) {
    auto part = ReadRows(path, kIntText, options, cuts[k], cuts[k + 1]);
    all.insert(all.end(), part.begin(), part.end());
  }
  ASSERT_EQ(all.size(), 100u);
  EXPECT_EQ(all.front(), "0,n");
  EXPECT_EQ(all.back(), "99,n");
}

TEST_F(DelimitedReaderTest, ThroughputOnLineitemLikeFile) {
  // 16 columns shaped like TPC-H lineitem, ~50 MB.
  std::mt19937_64 rng(99);
  std::string content;
  content.reserve(52 << 20);
  char line[512];
  for (int64_t i = 0; content.size() < (50u << 20); ++i) {
    int n = std::snprintf(
        line, sizeof(line),
        "%lld|%d|%d|%d|%d.00|%d.%02d|0.0%d|0.0%d|%c|%c|1996-%02d-%02d|1996-%02d-%02d|1997-%02d-%02d|"
        "DELIVER IN PERSON|TRUCK|carefully final deposits detect slyly agai|\n",
        static_cast<long long>(i / 4 + 1), static_cast<int>(rng() % 200000),
        static_cast<int>(rng() % 10000), static_cast<int>(i % 7 + 1), static_cast<int>(rng() % 50 + 1),
        static_cast<int>(rng() % 100000), static_cast<int>(rng() % 100), static_cast<int>(rng() % 10),
        static_cast<int>(rng() % 9), "NRA"[rng() % 3], "OF"[rng() % 2], static_cast<int>(rng() % 12 + 1),
        static_cast<int>(rng() % 28 + 1), static_cast<int>(rng() % 12 + 1), static_cast<int>(rng() % 28 + 1),
        static_cast<int>(rng() % 12 + 1), static_cast<int>(rng() % 28 + 1));
    content.append(line, n);
  }
  std::string path = Write(content, "lineitem.tbl");
  const std::vector<SqlType> types = {
      SqlType::Int64(),        SqlType::Int32(),        SqlType::Int32(),        SqlType::Int32(),
      SqlType::Decimal(15, 2), SqlType::Decimal(15, 2), SqlType::Decimal(15, 2), SqlType::Decimal(15, 2),
      SqlType::Char(1),        SqlType::Char(1),        SqlType::Date(),         SqlType::Date(),
      SqlType::Date(),         SqlType::Char(25),       SqlType::Char(10),       SqlType::Varchar(44)};
  auto start = std::chrono::steady_clock::now();
  DelimitedReader reader(path, 0, -1, types, {});
  Batch batch;
  int64_t rows = 0;
  while (reader.Next(&batch)) rows += static_cast<int64_t>(batch.rows);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(reader.bytes_read(), static_cast<int64_t>(content.size()));
  EXPECT_EQ(rows, std::count(content.begin(), content.end(), '\n'));
  std::printf("[ perf ] delimited reader: %.1f MB in %.3f s = %.0f MB/s, %.2f M rows/s\n",
              content.size() / 1048576.0, seconds, content.size() / 1048576.0 / seconds,
              rows / seconds / 1e6);
}

}  // namespace
}  // namespace strata
