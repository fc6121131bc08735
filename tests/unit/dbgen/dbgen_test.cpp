// Tests of strata-dbgen at SF 0.01: cardinalities, determinism across thread counts, referential
// integrity, value ranges and formats, and the derived order columns.
#include "bench/dbgen/dbgen.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "bench/dbgen/row_buffer.h"
#include "bench/dbgen/word_lists.h"

namespace strata::dbgen {
namespace {

using Row = std::vector<std::string>;

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Splits a .tbl text; every line must end in '|'.
std::vector<Row> ParseTbl(const std::string& text, size_t columns) {
  std::vector<Row> rows;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    EXPECT_NE(nl, std::string::npos);
    std::string_view line(text.data() + pos, nl - pos);
    EXPECT_FALSE(line.empty());
    EXPECT_EQ(line.back(), '|') << line;
    Row row;
    size_t start = 0;
    while (start < line.size()) {
      size_t bar = line.find('|', start);
      row.emplace_back(line.substr(start, bar - start));
      start = bar + 1;
    }
    EXPECT_EQ(row.size(), columns) << line;
    rows.push_back(std::move(row));
    pos = nl + 1;
  }
  return rows;
}

int64_t Cents(const std::string& s) {
  const size_t dot = s.find('.');
  EXPECT_NE(dot, std::string::npos) << s;
  EXPECT_EQ(s.size() - dot, 3u) << s;
  const bool negative = s[0] == '-';
  const int64_t whole = std::llabs(std::stoll(s.substr(0, dot)));
  const int64_t cents = whole * 100 + std::stoll(s.substr(dot + 1));
  return negative ? -cents : cents;
}

int Day(const std::string& s) {
  static const std::map<std::string, int> days = [] {
    std::map<std::string, int> m;
    for (int d = 0; d < kDateTableDays; ++d) m[DateText(d)] = d;
    return m;
  }();
  auto it = days.find(s);
  EXPECT_NE(it, days.end()) << s;
  return it == days.end() ? -1 : it->second;
}

class DbgenTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = std::filesystem::temp_directory_path() /
            ("strata_dbgen_test_" + std::to_string(::getpid()));
    DbgenOptions options;
    options.scale_factor = 0.01;
    options.parallel = 4;
    options.out_dir = root_ / "p4";
    GenerateTpch(options);
    options.parallel = 1;
    options.out_dir = root_ / "p1";
    GenerateTpch(options);
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(root_); }

  static std::string Text(std::string_view table, const char* dir = "p4") {
    return ReadFile(root_ / dir / (std::string(table) + ".tbl"));
  }
  static std::vector<Row> Rows(std::string_view table, size_t columns) {
    return ParseTbl(Text(table), columns);
  }

  static std::filesystem::path root_;
};

std::filesystem::path DbgenTest::root_;

TEST_F(DbgenTest, CardinalitiesAtScaleOneHundredth) {
  EXPECT_EQ(Rows("region", 3).size(), 5u);
  EXPECT_EQ(Rows("nation", 4).size(), 25u);
  EXPECT_EQ(Rows("supplier", 7).size(), 100u);
  EXPECT_EQ(Rows("customer", 8).size(), 1500u);
  EXPECT_EQ(Rows("part", 9).size(), 2000u);
  EXPECT_EQ(Rows("partsupp", 5).size(), 8000u);
  EXPECT_EQ(Rows("orders", 9).size(), 15000u);
  const size_t lines = Rows("lineitem", 16).size();
  EXPECT_GT(lines, 57000u);
  EXPECT_LT(lines, 63000u);
}

TEST_F(DbgenTest, SameBytesForAnyThreadCountAndRun) {
  for (int t = 0; t < kTpchTableCount; ++t) {
    const std::string_view name = TableName(static_cast<TpchTable>(t));
    EXPECT_EQ(Text(name, "p4"), Text(name, "p1")) << name;
  }
  // A third run, two threads, one table pair only.
  DbgenOptions options;
  options.scale_factor = 0.01;
  options.parallel = 2;
  options.out_dir = root_ / "p2";
  options.tables = {TpchTable::kLineitem};
  GenerateTpch(options);
  EXPECT_EQ(Text("lineitem", "p2"), Text("lineitem", "p4"));
  EXPECT_FALSE(std::filesystem::exists(root_ / "p2" / "orders.tbl"));
}

TEST_F(DbgenTest, RegionAndNationAreTheSpecificationLists) {
  const auto regions = Rows("region", 3);
  EXPECT_EQ(regions[3][1], "EUROPE");
  EXPECT_EQ(regions[4][1], "MIDDLE EAST");
  const auto nations = Rows("nation", 4);
  EXPECT_EQ(nations[0][1], "ALGERIA");
  EXPECT_EQ(nations[24][1], "UNITED STATES");
  EXPECT_EQ(nations[24][2], "1");
  EXPECT_EQ(nations[7][1], "GERMANY");
  EXPECT_EQ(nations[7][2], "3");
  std::set<std::string_view> colors(PartColors().begin(), PartColors().end());
  EXPECT_EQ(colors.size(), 92u);
  EXPECT_FALSE(colors.count(""));
  EXPECT_EQ(DateText(0), "1992-01-01");
  EXPECT_EQ(DateText(kCurrentDay), "1995-06-17");
  EXPECT_EQ(DateText(kEndDay), "1998-12-31");
}

TEST_F(DbgenTest, ReferentialIntegrity) {
  std::set<std::pair<int64_t, int64_t>> partsupp;
  for (const Row& r : Rows("partsupp", 5)) {
    EXPECT_TRUE(partsupp.emplace(std::stoll(r[0]), std::stoll(r[1])).second) << "duplicate key";
    EXPECT_GE(std::stoll(r[1]), 1);
    EXPECT_LE(std::stoll(r[1]), 100);
  }
  std::unordered_set<int64_t> order_keys;
  std::unordered_set<int64_t> customers_with_orders;
  for (const Row& r : Rows("orders", 9)) {
    const int64_t key = std::stoll(r[0]);
    EXPECT_LT((key - 1) % 32, 8) << key;
    order_keys.insert(key);
    const int64_t cust = std::stoll(r[1]);
    EXPECT_GE(cust, 1);
    EXPECT_LE(cust, 1500);
    EXPECT_NE(cust % 3, 0);
    customers_with_orders.insert(cust);
  }
  EXPECT_EQ(order_keys.size(), 15000u);
  // About 2/3 of the customers order; a few more have no order at all by chance.
  EXPECT_LE(customers_with_orders.size(), 1000u);
  EXPECT_GT(customers_with_orders.size(), 900u);
  for (const Row& r : Rows("lineitem", 16)) {
    EXPECT_TRUE(order_keys.count(std::stoll(r[0])));
    EXPECT_TRUE(partsupp.count({std::stoll(r[1]), std::stoll(r[2])})) << r[1] << "," << r[2];
  }
}

TEST_F(DbgenTest, PartyFormats) {
  int complaints = 0, recommends = 0;
  for (const Row& r : Rows("supplier", 7)) {
    char name[32];
    std::snprintf(name, sizeof(name), "Supplier#%09d", std::stoi(r[0]));
    EXPECT_EQ(r[1], name);
    EXPECT_EQ(std::stoi(r[4].substr(0, 2)), std::stoi(r[3]) + 10);
    const int64_t bal = Cents(r[5]);
    EXPECT_GE(bal, -99999);
    EXPECT_LE(bal, 999999);
    const size_t c = r[6].find("Customer");
    complaints += c != std::string::npos && r[6].find("Complaints", c) != std::string::npos;
    recommends += c != std::string::npos && r[6].find("Recommends", c) != std::string::npos;
  }
  EXPECT_GE(complaints, 1);
  EXPECT_GE(recommends, 1);
  const auto segments = MarketSegments();
  for (const Row& r : Rows("customer", 8)) {
    char name[32];
    std::snprintf(name, sizeof(name), "Customer#%09d", std::stoi(r[0]));
    EXPECT_EQ(r[1], name);
    EXPECT_GE(r[2].size(), 10u);
    EXPECT_LE(r[2].size(), 40u);
    ASSERT_EQ(r[4].size(), 15u);
    EXPECT_EQ(r[4].substr(0, 3), std::to_string(std::stoi(r[3]) + 10) + "-");
    EXPECT_NE(std::find(segments.begin(), segments.end(), r[6]), segments.end());
    EXPECT_GE(r[7].size(), 29u);
    EXPECT_LE(r[7].size(), 116u);
  }
}

TEST_F(DbgenTest, PartFormats) {
  const auto colors = PartColors();
  for (const Row& r : Rows("part", 9)) {
    const int64_t key = std::stoll(r[0]);
    std::set<std::string> words;
    std::istringstream name(r[1]);
    for (std::string w; name >> w;) {
      EXPECT_NE(std::find(colors.begin(), colors.end(), w), colors.end()) << w;
      words.insert(w);
    }
    EXPECT_EQ(words.size(), 5u) << r[1];
    ASSERT_EQ(r[2].size(), 14u);
    EXPECT_EQ(r[2].substr(0, 13), "Manufacturer#");
    EXPECT_EQ(r[3], "Brand#" + r[2].substr(13) + r[3].substr(7));
    const int size = std::stoi(r[5]);
    EXPECT_GE(size, 1);
    EXPECT_LE(size, 50);
    EXPECT_EQ(Cents(r[7]), 90000 + (key / 10) % 20001 + 100 * (key % 1000));
  }
  for (const Row& r : Rows("partsupp", 5)) {
    EXPECT_GE(std::stoi(r[2]), 1);
    EXPECT_LE(std::stoi(r[2]), 9999);
    EXPECT_GE(Cents(r[3]), 100);
    EXPECT_LE(Cents(r[3]), 100000);
  }
}

TEST_F(DbgenTest, LineitemRulesAndOrderTotals) {
  std::unordered_map<int64_t, int64_t> retail;
  for (const Row& r : Rows("part", 9)) retail[std::stoll(r[0])] = Cents(r[7]);
  struct Sum {
    double total = 0;
    int lines = 0, shipped = 0, max_line = 0;
  };
  std::unordered_map<int64_t, Sum> sums;
  std::unordered_map<int64_t, int> order_day;
  const auto orders = Rows("orders", 9);
  for (const Row& r : orders) order_day[std::stoll(r[0])] = Day(r[4]);
  std::set<char> flags;
  for (const Row& r : Rows("lineitem", 16)) {
    const int64_t key = std::stoll(r[0]);
    const int64_t qty = std::stoll(r[4]);
    EXPECT_GE(qty, 1);
    EXPECT_LE(qty, 50);
    EXPECT_EQ(Cents(r[5]), qty * retail[std::stoll(r[1])]);
    const int64_t disc = Cents(r[6]), tax = Cents(r[7]);
    EXPECT_GE(disc, 0);
    EXPECT_LE(disc, 10);
    EXPECT_GE(tax, 0);
    EXPECT_LE(tax, 8);
    const int od = order_day[key], ship = Day(r[10]), commit = Day(r[11]), receipt = Day(r[12]);
    EXPECT_GE(ship - od, 1);
    EXPECT_LE(ship - od, 121);
    EXPECT_GE(commit - od, 30);
    EXPECT_LE(commit - od, 90);
    EXPECT_GE(receipt - ship, 1);
    EXPECT_LE(receipt - ship, 30);
    if (receipt <= kCurrentDay) {
      EXPECT_TRUE(r[8] == "R" || r[8] == "A") << r[8];
    } else {
      EXPECT_EQ(r[8], "N");
    }
    EXPECT_EQ(r[9], ship > kCurrentDay ? "O" : "F");
    flags.insert(r[8][0]);
    Sum& s = sums[key];
    s.total += Cents(r[5]) / 100.0 * (1 + tax / 100.0) * (1 - disc / 100.0);
    s.lines++;
    s.shipped += r[9] == "F";
    s.max_line = std::max(s.max_line, std::stoi(r[3]));
  }
  EXPECT_EQ(flags, (std::set<char>{'A', 'N', 'R'}));
  std::set<std::string> statuses;
  for (const Row& r : orders) {
    const Sum& s = sums[std::stoll(r[0])];
    EXPECT_GE(s.lines, 1);
    EXPECT_LE(s.lines, 7);
    EXPECT_EQ(s.max_line, s.lines);
    EXPECT_NEAR(Cents(r[3]) / 100.0, s.total, 0.0051) << r[0];
    EXPECT_EQ(r[2], s.shipped == s.lines ? "F" : (s.shipped == 0 ? "O" : "P"));
    statuses.insert(r[2]);
    const int day = Day(r[4]);
    EXPECT_GE(day, 0);
    EXPECT_LE(day, kEndDay - 151);
    EXPECT_EQ(r[6].substr(0, 6), "Clerk#");
    EXPECT_LE(std::stoi(r[6].substr(6)), 10);
    EXPECT_EQ(r[7], "0");
  }
  EXPECT_EQ(statuses, (std::set<std::string>{"F", "O", "P"}));
}

}  // namespace
}  // namespace strata::dbgen
