// SessionSettings: the run-time configuration parameters of one session, as SET, SET LOCAL,
// RESET, SHOW and current_setting() see them. It knows which names exist (PostgreSQL's
// client-facing ones, Redshift's query_group, enable_result_cache_for_session and
// wlm_query_slot_count, and Strata's own query_memory and stage_pipelining, as listed in
// server/setting_definitions.cpp; any "prefix.name" is a custom placeholder, as in PostgreSQL),
// checks and normalises values the way PostgreSQL 15 prints them (`SET datestyle = 'iso'` shows
// "ISO, MDY", statement_timeout 5000 shows "5s"), and undoes changes at the end of a transaction
// block:
//   * ROLLBACK restores every value the block changed;
//   * COMMIT keeps plain SETs and drops SET LOCALs (the value from before them comes back).
// Settings PostgreSQL marks GUC_REPORT are tracked against what the client was last told, so
// that every change, whichever way it came, yields one ParameterStatus.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace strata {

class SessionSettings {
 public:
  // Known settings among `startup` (the StartupMessage's parameters) become the session's
  // values and what RESET returns to; unknown or invalid ones are ignored.
  // `superuser`: what is_superuser reports.
  SessionSettings(const std::map<std::string, std::string>& startup, const std::string& user,
                  const std::string& server_version, bool superuser);

  // SET name = value, or SET name TO DEFAULT / RESET name when `value` is nullopt. `name` is
  // lowercased. `in_block`: an explicit transaction block is open. Throws SqlError: 42704 for
  // an unknown name, 22023 for a bad value, 55P02 for a read-only parameter. Returns a warning
  // for the client, or "" (SET LOCAL outside a block has no effect).
  std::string Set(const std::string& name, const std::optional<std::string>& value,
                  bool is_local, bool in_block);
  // RESET ALL.
  void ResetAll(bool in_block);
  // SET SESSION AUTHORIZATION: session_authorization and is_superuser become the new user's
  // (reported to the client as PostgreSQL reports them).
  void SetSessionUser(const std::string& user, bool superuser) {
    values_["session_authorization"] = user;
    values_["is_superuser"] = superuser ? "on" : "off";
    ++generation_;
  }
  // SHOW name: the canonical name ("DateStyle") and the value. Throws 42704.
  std::pair<std::string, std::string> Show(const std::string& name) const;
  struct Row {
    std::string name, setting, description;
  };
  // SHOW ALL, ordered by name as PostgreSQL orders it (case-insensitively).
  std::vector<Row> ShowAll() const;
  // The end of a transaction block (see the file comment).
  void EndTransaction(bool committed);

  // Every setting by lowercased name: the map current_setting() reads.
  const std::map<std::string, std::string>& values() const { return values_; }
  // Moves on whenever any value changes: what is derived from the values (the result cache's
  // key, the reports owed) is computed again only then.
  uint64_t generation() const { return generation_; }
  // statement_timeout in milliseconds; 0 = none.
  int64_t statement_timeout_ms() const;
  int64_t lock_timeout_ms() const;
  // query_memory in bytes: the query's memory on each compute node (RunStage.query_memory);
  // 0 = the node's default share of its --memory-limit.
  int64_t query_memory_bytes() const;
  // stage_pipelining: 1 on, 0 off, -1 auto (Cluster::RunOptions::pipelining).
  int stage_pipelining() const;
  // spectrum_enable: external tables are read on the spectrum workers (when there are any).
  bool spectrum_enabled() const;
  // ParameterStatus owed to the client: reported settings whose value differs from the one
  // it was last sent (marks them sent).
  std::vector<std::pair<std::string, std::string>> TakeReports();
  // The ParameterStatus messages after authentication: the reported settings' first values.
  std::vector<std::pair<std::string, std::string>> InitialReports() const;

 private:
  void Store(const std::string& key, std::string value, bool is_local, bool in_block);

  std::map<std::string, std::string> values_;      // lowercased name -> value
  std::map<std::string, std::string> reset_;       // lowercased name -> RESET value
  std::map<std::string, std::string> reported_;    // GUC_REPORT name -> last value sent
  // In a transaction block: each changed setting's value before the block (nullopt: a custom
  // setting that did not exist), and the value COMMIT leaves in place.
  std::map<std::string, std::optional<std::string>> at_begin_;
  std::map<std::string, std::optional<std::string>> after_commit_;
  uint64_t generation_ = 1;
  uint64_t reported_generation_ = 0;  // generation_ when TakeReports last looked
};

}  // namespace strata
