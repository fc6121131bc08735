// SessionSettings and the setting rules: normalised values as PostgreSQL 15 shows them,
// the error SQLSTATEs, startup parameters, RESET values, SET LOCAL and transaction undo,
// SHOW ALL, and ParameterStatus bookkeeping.
#include "server/session_settings.h"

#include <gtest/gtest.h>

#include <functional>

#include "server/setting_definitions.h"
#include "sql/error.h"

namespace strata {
namespace {

std::string StateOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const SqlError& e) {
    return e.sqlstate();
  }
  return "";
}

class SessionSettingsTest : public ::testing::Test {
 protected:
  std::string Show(const std::string& name) { return s_.Show(name).second; }
  void Set(const std::string& name, const std::string& value) { s_.Set(name, value, false, false); }

  SessionSettings s_{{{"application_name", "psql"}, {"DateStyle", "ISO"}, {"bogus", "x"},
                      {"extra_float_digits", "99"}, {"TimeZone", "Europe/Berlin"}},
                     "alice", "15.0 (Strata)", /*superuser=*/false};
};

TEST_F(SessionSettingsTest, StartupParametersBecomeValuesAndResetTargets) {
  EXPECT_EQ(Show("application_name"), "psql");
  EXPECT_EQ(Show("datestyle"), "ISO, MDY");
  EXPECT_EQ(Show("timezone"), "Europe/Berlin");
  EXPECT_EQ(Show("extra_float_digits"), "1");  // invalid startup value ignored
  EXPECT_EQ(Show("server_version"), "15.0 (Strata)");
  EXPECT_EQ(Show("session_authorization"), "alice");
  EXPECT_EQ(Show("is_superuser"), "off");  // alice is no superuser
  EXPECT_EQ(StateOf([&] { s_.Show("bogus"); }), "42704");
  Set("application_name", "other");
  s_.Set("application_name", std::nullopt, false, false);
  EXPECT_EQ(Show("application_name"), "psql");
}

TEST_F(SessionSettingsTest, ValuesAreNormalised) {
  Set("datestyle", "postgres");
  EXPECT_EQ(Show("datestyle"), "Postgres, MDY");
  Set("datestyle", "dmy");
  EXPECT_EQ(Show("datestyle"), "Postgres, DMY");
  Set("datestyle", "ISO, US");
  EXPECT_EQ(Show("datestyle"), "ISO, MDY");
  EXPECT_EQ(s_.Show("datestyle").first, "DateStyle");
  Set("statement_timeout", "90s");
  EXPECT_EQ(Show("statement_timeout"), "90s");
  EXPECT_EQ(s_.statement_timeout_ms(), 90000);
  Set("statement_timeout", "120000");
  EXPECT_EQ(Show("statement_timeout"), "2min");
  Set("statement_timeout", "1.5s");
  EXPECT_EQ(Show("statement_timeout"), "1500ms");
  EXPECT_EQ(s_.statement_timeout_ms(), 1500);
  Set("statement_timeout", "2 h");
  EXPECT_EQ(s_.statement_timeout_ms(), 7200000);
  Set("statement_timeout", "0");
  EXPECT_EQ(s_.statement_timeout_ms(), 0);
  Set("client_encoding", "Unicode");
  EXPECT_EQ(Show("client_encoding"), "UTF8");
  Set("enable_result_cache_for_session", "FALSE");
  EXPECT_EQ(Show("enable_result_cache_for_session"), "off");
  Set("enable_result_cache_for_session", "y");
  EXPECT_EQ(Show("enable_result_cache_for_session"), "on");
  Set("intervalstyle", "SQL_Standard");
  EXPECT_EQ(Show("intervalstyle"), "sql_standard");
  Set("timezone", "utc");
  EXPECT_EQ(Show("timezone"), "UTC");
}

TEST_F(SessionSettingsTest, BadValuesAndNames) {
  EXPECT_EQ(StateOf([&] { Set("no_such", "1"); }), "42704");
  EXPECT_EQ(StateOf([&] { s_.Show("no_such"); }), "42704");
  EXPECT_EQ(StateOf([&] { Set("extra_float_digits", "4"); }), "22023");
  EXPECT_EQ(StateOf([&] { Set("extra_float_digits", "1.5"); }), "22023");
  EXPECT_EQ(StateOf([&] { Set("statement_timeout", "5S"); }), "22023");  // units are case-sensitive
  EXPECT_EQ(StateOf([&] { Set("statement_timeout", "-5"); }), "22023");
  EXPECT_EQ(StateOf([&] { Set("datestyle", "iso, german"); }), "22023");
  EXPECT_EQ(StateOf([&] { Set("datestyle", "mdy, ymd"); }), "22023");
  EXPECT_EQ(StateOf([&] { Set("client_encoding", "LATIN1"); }), "22023");
  EXPECT_EQ(StateOf([&] { Set("standard_conforming_strings", "off"); }), "22023");
  EXPECT_EQ(StateOf([&] { Set("server_version", "9"); }), "55P02");
  EXPECT_EQ(StateOf([&] { s_.Set("integer_datetimes", std::nullopt, false, false); }), "55P02");
  EXPECT_EQ(Show("extra_float_digits"), "1");  // failed SETs change nothing
  try {
    Set("statement_timeout", "soon");
  } catch (const SqlError& e) {
    EXPECT_EQ(e.message(), "invalid value for parameter \"statement_timeout\": \"soon\"");
    EXPECT_NE(e.hint().find("\"min\""), std::string::npos);
  }
}

TEST_F(SessionSettingsTest, TransactionBlocksUndoAndSetLocal) {
  Set("query_group", "a");
  EXPECT_EQ(s_.Set("query_group", "ignored", true, false), "SET LOCAL can only be used in transaction blocks");
  EXPECT_EQ(Show("query_group"), "a");
  // Block 1: plain SET then SET LOCAL; COMMIT keeps the plain value.
  s_.Set("query_group", "b", false, true);
  s_.Set("query_group", "c", true, true);
  s_.Set("extra_float_digits", "2", true, true);
  EXPECT_EQ(Show("query_group"), "c");
  s_.EndTransaction(true);
  EXPECT_EQ(Show("query_group"), "b");
  EXPECT_EQ(Show("extra_float_digits"), "1");
  // Block 2: ROLLBACK restores everything, custom settings created in it disappear.
  s_.Set("query_group", "d", false, true);
  s_.Set("my.flag", "x", false, true);
  s_.ResetAll(true);
  s_.EndTransaction(false);
  EXPECT_EQ(Show("query_group"), "b");
  EXPECT_EQ(StateOf([&] { s_.Show("my.flag"); }), "42704");
  // Outside a block a change stays.
  Set("my.flag", "y");
  s_.EndTransaction(false);
  EXPECT_EQ(Show("my.flag"), "y");
  EXPECT_EQ(s_.values().at("my.flag"), "y");
}

TEST_F(SessionSettingsTest, ShowAllListsEverySettingSorted) {
  Set("zz.custom", "1");
  std::vector<SessionSettings::Row> rows = s_.ShowAll();
  ASSERT_EQ(rows.size(), SettingDefinitions().size() + 1);
  EXPECT_EQ(rows.front().name, "application_name");
  EXPECT_EQ(rows.back().name, "zz.custom");
  bool found = false;
  for (const auto& row : rows) {
    if (row.name == "DateStyle") {
      found = true;
      EXPECT_EQ(row.setting, "ISO, MDY");
      EXPECT_FALSE(row.description.empty());
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(SessionSettingsTest, ReportsOnlyChangedReportedSettings) {
  auto initial = s_.InitialReports();
  bool has_app = false;
  for (const auto& [name, value] : initial) has_app |= name == "application_name" && value == "psql";
  EXPECT_TRUE(has_app);
  EXPECT_TRUE(s_.TakeReports().empty());
  Set("extra_float_digits", "3");  // not a reported setting
  EXPECT_TRUE(s_.TakeReports().empty());
  Set("application_name", "psql");  // unchanged
  EXPECT_TRUE(s_.TakeReports().empty());
  Set("application_name", "etl");
  Set("datestyle", "german");
  auto reports = s_.TakeReports();
  EXPECT_EQ(reports, (std::vector<std::pair<std::string, std::string>>{{"application_name", "etl"},
                                                                       {"DateStyle", "German, DMY"}}));
  EXPECT_TRUE(s_.TakeReports().empty());
  s_.Set("timezone", "UTC", false, true);
  s_.EndTransaction(false);  // back to Europe/Berlin: nothing changed for the client
  EXPECT_TRUE(s_.TakeReports().empty());
}

}  // namespace
}  // namespace strata
