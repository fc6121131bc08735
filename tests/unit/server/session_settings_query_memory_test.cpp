// The session setting query_memory (issue 15): a size, shown in its largest exact unit, '0' by
// default (the node's default share), 22023 for anything that is not a size, and its value in
// bytes through SessionSettings::query_memory_bytes().
#include <gtest/gtest.h>

#include "server/session_settings.h"
#include "sql/error.h"

namespace strata {
namespace {

TEST(QueryMemorySetting, DefaultsToTheNodesShare) {
  SessionSettings s({}, "alice", "15.0", false);
  EXPECT_EQ(s.Show("query_memory").second, "0");
  EXPECT_EQ(s.query_memory_bytes(), 0);
}

TEST(QueryMemorySetting, AcceptsSizesAndShowsThemNormalised) {
  SessionSettings s({}, "alice", "15.0", false);
  s.Set("query_memory", "64MB", false, false);
  EXPECT_EQ(s.Show("query_memory").second, "64MB");
  EXPECT_EQ(s.query_memory_bytes(), int64_t{64} << 20);
  s.Set("query_memory", "512kB", false, false);
  EXPECT_EQ(s.query_memory_bytes(), int64_t{512} << 10);
  s.Set("query_memory", "1GB", false, false);
  EXPECT_EQ(s.Show("query_memory").second, "1GB");
  EXPECT_EQ(s.query_memory_bytes(), int64_t{1} << 30);
  s.Set("query_memory", "2048MB", false, false);
  EXPECT_EQ(s.Show("query_memory").second, "2GB");
  s.Set("query_memory", "1000", false, false);
  EXPECT_EQ(s.Show("query_memory").second, "1000");
  EXPECT_EQ(s.query_memory_bytes(), 1000);
  s.Set("query_memory", std::nullopt, false, false);  // RESET
  EXPECT_EQ(s.query_memory_bytes(), 0);
}

TEST(QueryMemorySetting, BadValuesAre22023) {
  SessionSettings s({}, "alice", "15.0", false);
  for (const char* bad : {"lots", "-5MB", "12 parsecs", "99999999999999TB", ""}) {
    try {
      s.Set("query_memory", std::string(bad), false, false);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const SqlError& e) {
      EXPECT_EQ(e.sqlstate(), sqlstate::kInvalidParameterValue) << bad;
    }
  }
  EXPECT_EQ(s.query_memory_bytes(), 0);
}

}  // namespace
}  // namespace strata
