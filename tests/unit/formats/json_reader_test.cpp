// JsonReader and jsonpaths: 'auto' and 'auto ignorecase' key matching, jsonpaths navigation,
// exact numbers, nested values, NULLs, malformed records with and without a reject hook, and
// records that cross the reader's buffer.
#include "formats/json_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sql/value_text.h"

namespace strata {
namespace {

// A source that hides its size, as a decompressing source does, and answers in small pieces
// no larger than asked.
class UnsizedSource : public ByteSource {
 public:
  explicit UnsizedSource(std::string data) : inner_("unsized", std::move(data)) {}
  int64_t Size() override { return -1; }
  size_t ReadAt(int64_t offset, char* buf, size_t n) override { return inner_.ReadAt(offset, buf, n); }
  const std::string& Name() const override { return inner_.Name(); }

 private:
  MemorySource inner_;
};

// All rows as text ("NULL" for NULL), row-major.
std::vector<std::vector<std::string>> ReadAll(JsonReader* reader) {
  std::vector<std::vector<std::string>> rows;
  Batch batch;
  while (reader->Next(&batch)) {
    EXPECT_LE(batch.rows, kBatchSize);
    for (size_t r = 0; r < batch.rows; ++r) {
      std::vector<std::string> row;
      for (const Vector& v : batch.columns) row.push_back(v.IsNull(r) ? "NULL" : ValueText(v, r));
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

std::vector<std::vector<std::string>> Load(const std::string& data, std::vector<std::string> names,
                                           std::vector<SqlType> types, JsonOptions options = {},
                                           RejectHook hook = nullptr) {
  MemorySource source("test.json", data);
  JsonReader reader(&source, std::move(names), std::move(types), std::move(options), std::move(hook));
  return ReadAll(&reader);
}

using Rows = std::vector<std::vector<std::string>>;

TEST(JsonReaderTest, AutoMatchesLowercaseKeysExactly) {
  const std::string data =
      "{\"id\": 1, \"name\": \"alice\", \"price\": 12345678901234567.89, \"ok\": true, \"extra\": [1,2]}\n"
      "{\"name\": \"bob\", \"id\": -2, \"ok\": false, \"price\": null}\n"
      "{\"ID\": 3, \"id\": 4, \"Name\": \"ignored\"}\n";
  Rows rows = Load(data, {"id", "name", "price", "ok"},
                   {SqlType::Int64(), SqlType::Varchar(10), SqlType::Decimal(38, 2), SqlType::Bool()});
  Rows want = {{"1", "alice", "12345678901234567.89", "t"},
               {"-2", "bob", "NULL", "f"},
               {"4", "NULL", "NULL", "NULL"}};
  EXPECT_EQ(rows, want);
}

TEST(JsonReaderTest, IgnoreCaseMatchesAnyCase) {
  JsonOptions options;
  options.mode = JsonMode::kAutoIgnoreCase;
  Rows rows = Load("{\"ID\": 7, \"NaMe\": \"x\"}\n{\"id\": 8}\n", {"id", "name"},
                   {SqlType::Int32(), SqlType::Text()}, options);
  Rows want = {{"7", "x"}, {"8", "NULL"}};
  EXPECT_EQ(rows, want);
}

TEST(JsonReaderTest, TypesFromStringsNumbersAndEscapes) {
  const std::string data =
      "{\"d\": \"2024-02-29\", \"ts\": \"2024-01-02 03:04:05\", \"f\": 1.5e3, \"s\": \"a\\\"b\\\\c\\u00e9\\n\","
      " \"n\": \"42\", \"b\": 1}\n";
  Rows rows = Load(data, {"d", "ts", "f", "s", "n", "b"},
                   {SqlType::Date(), SqlType::Timestamp(), SqlType::Float64(), SqlType::Text(),
                    SqlType::Int16(), SqlType::Bool()});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "2024-02-29");
  EXPECT_EQ(rows[0][1], "2024-01-02 03:04:05");
  EXPECT_EQ(rows[0][2], "1500");
  EXPECT_EQ(rows[0][3], "a\"b\\c\xc3\xa9\n");
  EXPECT_EQ(rows[0][4], "42");
  EXPECT_EQ(rows[0][5], "t");
}

TEST(JsonReaderTest, NestedValuesBecomeMinifiedTextOnlyInStrings) {
  Rows rows = Load("{\"obj\": { \"a\" : [1, 2 ,{\"b\": \"x y\"}] }, \"arr\": [ ]}\n", {"obj", "arr"},
                   {SqlType::Varchar(100), SqlType::Text()});
  Rows want = {{"{\"a\":[1,2,{\"b\":\"x y\"}]}", "[]"}};
  EXPECT_EQ(rows, want);

  try {
    Load("{\"id\": 1}\n{\"id\": {\"x\": 1}}\n", {"id"}, {SqlType::Int32()});
    FAIL() << "expected an error";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), "22P02");
    EXPECT_NE(e.message().find("object"), std::string::npos) << e.message();
    EXPECT_NE(e.detail().find("line 2, column 1"), std::string::npos) << e.detail();
  }
}

TEST(JsonReaderTest, ConcatenatedAndPrettyPrintedRecords) {
  std::vector<int64_t> lines;
  JsonOptions options;
  Rows rows = Load("{\"id\":1}{\"id\":2} {\n  \"id\":\n 3\n}\n\n{\"id\": \"x\"}\n", {"id"},
                   {SqlType::Int32()}, options, [&](const RejectedRow& row) {
                     lines.push_back(row.line_number);
                     return true;
                   });
  Rows want = {{"1"}, {"2"}, {"3"}};
  EXPECT_EQ(rows, want);
  EXPECT_EQ(lines, std::vector<int64_t>{6});
}

TEST(JsonReaderTest, BracketsAndEscapedQuotesInsideStrings) {
  // s is x"}{[ and t ends in one backslash; the splitter must not end or nest on them.
  const std::string data = "{\"s\": \"x\\\"}{[\", \"t\": \"end\\\\\"}{\"s\":\"y\"}\n";
  Rows rows = Load(data, {"s", "t"}, {SqlType::Text(), SqlType::Text()});
  Rows want = {{"x\"}{[", "end\\"}, {"y", "NULL"}};
  EXPECT_EQ(rows, want);
}

TEST(JsonReaderTest, JsonPaths) {
  std::vector<JsonPath> paths = ParseJsonPaths(R"({"jsonpaths": ["$.a.b", "$['x y']", "$.arr[1]",
      "$[\"q\"]", "$.missing.deep", "$.a"]})");
  ASSERT_EQ(paths.size(), 6u);
  EXPECT_EQ(paths[0].ToJsonPointer(), "/a/b");
  EXPECT_EQ(paths[1].steps[0].name, "x y");
  EXPECT_TRUE(paths[2].steps[1].is_index);
  EXPECT_EQ(paths[2].steps[1].index, 1u);
  JsonOptions options;
  options.mode = JsonMode::kPaths;
  options.paths = paths;
  const std::string data =
      "{\"arr\": [10, 20, 30], \"a\": {\"b\": 5, \"c\": true}, \"x y\": \"sp\", \"q\": 1.25}\n"
      "{\"a\": 3, \"arr\": [1]}\n";
  Rows rows = Load(data, {"c1", "c2", "c3", "c4", "c5", "c6"},
                   {SqlType::Int32(), SqlType::Varchar(5), SqlType::Int64(), SqlType::Decimal(5, 2),
                    SqlType::Text(), SqlType::Text()},
                   options);
  Rows want = {{"5", "sp", "20", "1.25", "NULL", "{\"b\":5,\"c\":true}"},
               {"NULL", "NULL", "NULL", "NULL", "NULL", "3"}};
  EXPECT_EQ(rows, want);

  // A top-level array is addressed by index.
  options.paths = {ParseJsonPath("$[1]"), ParseJsonPath("$[0].k")};
  EXPECT_EQ(Load("[{\"k\": \"v\"}, 9]\n", {"a", "b"}, {SqlType::Int32(), SqlType::Text()}, options),
            (Rows{{"9", "v"}}));

  options.paths.pop_back();
  EXPECT_THROW(Load("[1]", {"a", "b"}, {SqlType::Int32(), SqlType::Text()}, options), SqlError);
}

TEST(JsonReaderTest, BadJsonPathsAreInvalidParameterValue) {
  for (const char* text : {R"({"jsonpaths": ["a.b"]})", R"({"jsonpaths": ["$.a["]})",
                           R"({"jsonpaths": ["$."]})", R"({"jsonpaths": ["$[x]"]})",
                           R"({"jsonpaths": ["$['a"]})", R"({"jsonpaths": ["$.*"]})",
                           R"({"paths": ["$.a"]})", R"({"jsonpaths": [1]})", R"({"jsonpaths": []})",
                           R"(["$.a"])", "{\"jsonpaths\": [\"$.a\""}) {
    try {
      ParseJsonPaths(text);
      ADD_FAILURE() << "accepted " << text;
    } catch (const SqlError& e) {
      EXPECT_EQ(e.sqlstate(), "22023") << text;
    }
  }
}

TEST(JsonReaderTest, MalformedRecordsGoToTheHook) {
  const std::string data =
      "{\"id\": 1, \"v\": \"a\"}\n"        // 1 ok
      "{\"id\": 2, \"v\": \n"               // 2 unterminated: only this line is lost
      "{\"id\": 3, \"v\": \"c\"}\n"        // 3 ok
      "hello\n"                              // 4 not JSON
      "{\"id\": tru, \"v\": \"e\"}\n"      // 5 bad atom
      "{\"id\": 6 \"v\": \"f\"}\n"         // 6 missing comma
      "{\"id\": \"x6\", \"v\": \"g\"}\n"   // 7 bad integer
      "{\"zz\": [1, }, \"id\": 8}\n"       // 8 bad JSON in an unmatched member
      "{\"id\": 9, \"v\": \"i\"}";          // 9 ok, no final newline
  std::vector<RejectedRow> rejected;
  Rows rows = Load(data, {"id", "v"}, {SqlType::Int32(), SqlType::Text()}, {},
                   [&](const RejectedRow& row) {
                     rejected.push_back(row);
                     return row.line_number != 7;  // keep line 7 with its bad field NULL
                   });
  Rows want = {{"1", "a"}, {"3", "c"}, {"NULL", "g"}, {"9", "i"}};
  EXPECT_EQ(rows, want);
  ASSERT_EQ(rejected.size(), 6u);
  std::vector<int64_t> lines;
  for (const RejectedRow& r : rejected) lines.push_back(r.line_number);
  EXPECT_EQ(lines, (std::vector<int64_t>{2, 4, 5, 6, 7, 8}));
  EXPECT_EQ(rejected[0].raw_line, "{\"id\": 2, \"v\": ");
  EXPECT_EQ(rejected[1].raw_line, "hello");
  EXPECT_EQ(rejected[1].column, 0);
  for (size_t i = 0; i < rejected.size(); ++i) {
    EXPECT_EQ(rejected[i].error.sqlstate(), "22P02") << i;
    if (i != 4) {
      EXPECT_NE(rejected[i].error.message().find("invalid JSON"), std::string::npos) << i;
    }
  }
  EXPECT_EQ(rejected[4].column, 1);
  EXPECT_EQ(rejected[4].raw_field, "x6");
  EXPECT_NE(rejected[4].error.detail().find("line 7, column 1"), std::string::npos);
}

TEST(JsonReaderTest, WithoutHookTheFirstErrorIsThrown) {
  try {
    Load("{\"id\": 1}\n{\"id\": \"bad\"}\n{\"id\" 3}\n", {"id"}, {SqlType::Int32()});
    FAIL();
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), "22P02");
    EXPECT_NE(e.message().find("bad"), std::string::npos) << e.message();
    EXPECT_NE(e.detail().find("line 2"), std::string::npos) << e.detail();
  }
  try {
    Load("{\"id\": 1}\n[1, 2]\n", {"id"}, {SqlType::Int32()});
    FAIL();
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), "22P02");
    EXPECT_NE(e.message().find("object"), std::string::npos) << e.message();
    EXPECT_NE(e.detail().find("line 2"), std::string::npos) << e.detail();
  }
}

TEST(JsonReaderTest, LongRawLineIsCut) {
  std::string data = "{\"id\": 1, \"pad\": \"" + std::string(3000, 'x') + "\", oops}\n";
  std::vector<RejectedRow> rejected;
  Rows rows = Load(data, {"id"}, {SqlType::Int32()}, {}, [&](const RejectedRow& r) {
    rejected.push_back(r);
    return true;
  });
  EXPECT_TRUE(rows.empty());
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0].raw_line.size(), 1024u);
}

TEST(JsonReaderTest, ManyRecordsAcrossBufferRefills) {
  // About 11 MB: more than the reader's 8 MB buffer, so records cross refills.
  std::string data;
  const int n = 150000;
  int64_t want_sum = 0;
  for (int i = 0; i < n; ++i) {
    data += "{\"k\": " + std::to_string(i) + ", \"s\": \"" + std::string(i % 97, 'a') + "\"}\n";
    want_sum += i;
  }
  UnsizedSource source(data);
  JsonReader reader(&source, {"k", "s"}, {SqlType::Int64(), SqlType::Text()}, {});
  Batch batch;
  int64_t sum = 0, count = 0, len_sum = 0, want_len = 0;
  while (reader.Next(&batch)) {
    ASSERT_LE(batch.rows, kBatchSize);
    const int64_t* k = batch.columns[0].data<int64_t>();
    const std::string_view* s = batch.columns[1].data<std::string_view>();
    for (size_t r = 0; r < batch.rows; ++r) {
      ASSERT_EQ(static_cast<int64_t>(s[r].size()), k[r] % 97);
      sum += k[r];
      len_sum += static_cast<int64_t>(s[r].size());
      ++count;
    }
  }
  for (int i = 0; i < n; ++i) want_len += i % 97;
  EXPECT_EQ(count, n);
  EXPECT_EQ(sum, want_sum);
  EXPECT_EQ(len_sum, want_len);
  EXPECT_EQ(reader.rows_read(), n);
  EXPECT_EQ(reader.bytes_read(), static_cast<int64_t>(data.size()));
}

TEST(JsonReaderTest, EmptyAndBlankInput) {
  EXPECT_TRUE(Load("", {"a"}, {SqlType::Int32()}).empty());
  EXPECT_TRUE(Load(" \n\n  \t\n", {"a"}, {SqlType::Int32()}).empty());
}

}  // namespace
}  // namespace strata
