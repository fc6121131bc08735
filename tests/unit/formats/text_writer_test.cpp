// TextWriter: the exact bytes of each format (Redshift text with ESCAPE / ADDQUOTES, PostgreSQL
// COPY text, CSV, JSON lines), and round trips of written files through DelimitedReader.
#include "formats/text_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "sql/value_text.h"
#include "formats/delimited_reader.h"

namespace strata {
namespace {

// A batch of (id INT, name VARCHAR, price DECIMAL(10,2), ok BOOLEAN, day DATE) from text rows;
// "NULL" makes a NULL.
Batch MakeBatch(const std::vector<SqlType>& types, const std::vector<std::vector<std::string>>& rows) {
  Batch b(types);
  b.SetRows(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t c = 0; c < types.size(); ++c) {
      if (rows[r][c] == "NULL") {
        b.columns[c].SetNull(r, true);
      } else {
        ParseValueText(rows[r][c], &b.columns[c], r);
        b.columns[c].SetNull(r, false);
      }
    }
  }
  return b;
}

const std::vector<SqlType> kTypes = {SqlType::Int32(), SqlType::Varchar(50), SqlType::Decimal(10, 2),
                                     SqlType::Bool(), SqlType::Date()};
const std::vector<std::string> kNames = {"id", "name", "price", "ok", "day"};

std::string WriteAll(const Batch& batch, TextWriterOptions options,
                     std::vector<std::string> names = kNames) {
  MemorySink sink;
  TextWriter writer(&sink, std::move(names), std::move(options));
  writer.Write(batch);
  writer.Finish();
  return sink.data();
}

TEST(TextWriterTest, RedshiftTextDefaults) {
  Batch b = MakeBatch(kTypes, {{"1", "plain", "2.5", "true", "2024-03-01"},
                               {"-7", "NULL", "NULL", "false", "NULL"}});
  EXPECT_EQ(WriteAll(b, TextWriterOptions::Text()), "1|plain|2.50|t|2024-03-01\n-7|||f|\n");
  TextWriterOptions header = TextWriterOptions::Text(',');
  header.header = true;
  header.null_as = "null";
  EXPECT_EQ(WriteAll(b, header), "id,name,price,ok,day\n1,plain,2.50,t,2024-03-01\n-7,null,null,f,null\n");
}

TEST(TextWriterTest, RedshiftEscapeAndAddQuotes) {
  Batch b = MakeBatch(kTypes, {{"1", "a|b\nc\\d\re\"f'", "1", "true", "2024-03-01"}});
  // Without ESCAPE the value is written as it is.
  EXPECT_EQ(WriteAll(b, TextWriterOptions::Text()), "1|a|b\nc\\d\re\"f'|1.00|t|2024-03-01\n");
  TextWriterOptions escape = TextWriterOptions::Text();
  escape.escape = true;
  EXPECT_EQ(WriteAll(b, escape), "1|a\\|b\\\nc\\\\d\\\re\"f'|1.00|t|2024-03-01\n");
  escape.add_quotes = true;
  EXPECT_EQ(WriteAll(b, escape), "\"1\"|\"a\\|b\\\nc\\\\d\\\re\\\"f\\'\"|\"1.00\"|\"t\"|\"2024-03-01\"\n");
}

TEST(TextWriterTest, PostgresCopyText) {
  Batch b = MakeBatch(kTypes, {{"1", "a\tb\nc\\d\x01", "NULL", "true", "2024-03-01"}});
  TextWriterOptions pg = TextWriterOptions::PgText();
  pg.header = false;
  EXPECT_EQ(WriteAll(b, pg), "1\ta\\tb\\nc\\\\d\x01\t\\N\tt\t2024-03-01\n");
  pg.delimiter = '|';
  Batch pipe = MakeBatch(kTypes, {{"2", "x|y", "0.5", "NULL", "2000-01-01"}});
  EXPECT_EQ(WriteAll(pipe, pg), "2|x\\|y|0.50|\\N|2000-01-01\n");
}

TEST(TextWriterTest, CsvQuoting) {
  Batch b = MakeBatch(kTypes, {{"1", "a,b", "1", "true", "2024-03-01"},
                               {"2", "say \"hi\"", "2", "true", "2024-03-01"},
                               {"3", "two\nlines", "3", "false", "2024-03-01"},
                               {"4", "", "NULL", "NULL", "NULL"},
                               {"5", "cr\rhere", "5", "true", "2024-03-01"}});
  TextWriterOptions csv = TextWriterOptions::Csv();
  csv.header = true;
  EXPECT_EQ(WriteAll(b, csv),
            "id,name,price,ok,day\n"
            "1,\"a,b\",1.00,t,2024-03-01\n"
            "2,\"say \"\"hi\"\"\",2.00,t,2024-03-01\n"
            "3,\"two\nlines\",3.00,f,2024-03-01\n"
            "4,\"\",,,\n"
            "5,\"cr\rhere\",5.00,t,2024-03-01\n");
  // Header names are quoted by the same rule.
  EXPECT_EQ(WriteAll(MakeBatch({SqlType::Int32()}, {{"1"}}), csv, {"a,b"}), "\"a,b\"\n1\n");
}

TEST(TextWriterTest, JsonLines) {
  std::vector<SqlType> types = {SqlType::Int64(), SqlType::Text(), SqlType::Decimal(10, 2),
                                SqlType::Bool(), SqlType::Float64(), SqlType::Timestamp()};
  Batch b = MakeBatch(types, {{"1", "x\"y\\z\n\x01", "2.5", "true", "0.25", "2024-01-02 03:04:05"},
                              {"2", "NULL", "NULL", "false", "NaN", "NULL"}});
  std::string out = WriteAll(b, TextWriterOptions::Json(), {"id", "name", "price", "ok", "f", "ts"});
  EXPECT_EQ(out,
            "{\"id\":1,\"name\":\"x\\\"y\\\\z\\n\\u0001\",\"price\":2.50,\"ok\":true,\"f\":0.25,"
            "\"ts\":\"2024-01-02 03:04:05\"}\n"
            "{\"id\":2,\"ok\":false,\"f\":\"NaN\"}\n");
}

TEST(TextWriterTest, HeaderWithoutRowsAndLargeOutput) {
  MemorySink sink;
  TextWriterOptions csv = TextWriterOptions::Csv();
  csv.header = true;
  {
    TextWriter writer(&sink, {"a", "b"}, csv);
    writer.Finish();
  }
  EXPECT_EQ(sink.data(), "a,b\n");

  // Several batches and more than the 1 MB flush size.
  MemorySink big;
  TextWriter writer(&big, {"n", "s"}, TextWriterOptions::Text());
  Batch b({SqlType::Int64(), SqlType::Text()});
  b.SetRows(kBatchSize);
  const std::string pad(200, 'p');
  int64_t total = 0;
  for (int batch = 0; batch < 5; ++batch) {
    for (size_t r = 0; r < kBatchSize; ++r) {
      b.columns[0].data<int64_t>()[r] = static_cast<int64_t>(batch * kBatchSize + r);
      b.columns[0].SetNull(r, false);
      b.columns[1].SetString(r, pad);
      b.columns[1].SetNull(r, false);
    }
    writer.Write(b);
    total += kBatchSize;
  }
  writer.Finish();
  EXPECT_EQ(writer.rows_written(), total);
  size_t lines = 0;
  for (char c : big.data()) lines += c == '\n';
  EXPECT_EQ(lines, static_cast<size_t>(total));
  EXPECT_EQ(big.data().substr(0, 5 + pad.size()), "0|" + pad + "\n1|");
}

// Reads `data` back with DelimitedReader.
std::vector<std::vector<std::string>> ReadBack(const std::string& data, const std::vector<SqlType>& types,
                                               DelimitedOptions options) {
  DelimitedReader reader(std::make_unique<MemorySource>("roundtrip", data), 0, -1, types, options);
  std::vector<std::vector<std::string>> rows;
  Batch batch;
  while (reader.Next(&batch)) {
    for (size_t r = 0; r < batch.rows; ++r) {
      std::vector<std::string> row;
      for (const Vector& v : batch.columns) row.push_back(v.IsNull(r) ? "NULL" : ValueText(v, r));
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

const std::vector<SqlType> kRoundTripTypes = {SqlType::Int64(), SqlType::Text(), SqlType::Decimal(38, 6),
                                              SqlType::Float64(), SqlType::Timestamp(), SqlType::Bool()};
const std::vector<std::vector<std::string>> kRoundTripRows = {
    {"1", "a,b|c", "12345678901234567890.123456", "0.1", "2024-01-02 03:04:05.5", "t"},
    {"2", "quote \" and \"\" twice", "-1.000001", "-1e+300", "1999-12-31 23:59:59", "f"},
    {"3", "new\nline and\r\ncrlf", "0.000000", "Infinity", "2000-01-01 00:00:00", "NULL"},
    {"4", "", "NULL", "NULL", "NULL", "t"},
    {"5", "back\\slash\tand tab", "7.000000", "3.25", "2038-01-19 03:14:08", "f"},
    {"NULL", "NULL", "1.000000", "0", "NULL", "NULL"},
};

TEST(TextWriterTest, CsvRoundTripsThroughDelimitedReader) {
  Batch b = MakeBatch(kRoundTripTypes, kRoundTripRows);
  std::string csv = WriteAll(b, TextWriterOptions::Csv(), {"a", "b", "c", "d", "e", "f"});
  DelimitedOptions options;
  options.csv = true;
  options.delimiter = ',';
  options.null_as = "";
  EXPECT_EQ(ReadBack(csv, kRoundTripTypes, options), kRoundTripRows);
}

TEST(TextWriterTest, EscapedTextRoundTripsThroughDelimitedReader) {
  Batch b = MakeBatch(kRoundTripTypes, kRoundTripRows);
  TextWriterOptions text = TextWriterOptions::Text();
  text.escape = true;
  text.null_as = "\\N";
  std::string out = WriteAll(b, text, {"a", "b", "c", "d", "e", "f"});
  DelimitedOptions options;
  options.escape = true;
  EXPECT_EQ(ReadBack(out, kRoundTripTypes, options), kRoundTripRows);
}

TEST(TextWriterTest, PostgresTextRoundTripsThroughDelimitedReader) {
  Batch b = MakeBatch(kRoundTripTypes, kRoundTripRows);
  std::string out = WriteAll(b, TextWriterOptions::PgText(), {"a", "b", "c", "d", "e", "f"});
  DelimitedOptions options;
  options.delimiter = '\t';
  options.escape = true;
  options.pg_escapes = true;
  EXPECT_EQ(ReadBack(out, kRoundTripTypes, options), kRoundTripRows);
}

}  // namespace
}  // namespace strata
