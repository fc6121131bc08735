// Executes the records of one file and reports each failing record with its SQL.
#include "file_runner.h"

#include <stdexcept>

#include "connection.h"
#include "result_check.h"
#include "test_file.h"

namespace strata::sqltest {
namespace {

std::string Indent(const std::string& text, const std::string& prefix) {
  std::string out = prefix;
  for (char c : text) {
    out += c;
    if (c == '\n') out += prefix;
  }
  return out;
}

void AddFailure(FileResult& result, const RunContext& context, const std::string& where,
                const std::string& sql, const std::string& why) {
  result.passed = false;
  if (static_cast<int>(result.failures.size()) >= context.max_failures_shown) {
    ++result.failures_not_shown;
    return;
  }
  std::string block = "  " + where + "\n";
  if (!sql.empty()) block += Indent(sql, "      ") + "\n";
  block += "  " + why;
  if (block.back() != '\n') block += '\n';
  result.failures.push_back(block);
}

// Crashes the cluster (SIGKILL to the group), starts it on the same data and waits for it.
bool RestartCluster(RunContext& context, std::string& error) {
  if (context.cluster == nullptr) return true;  // external server: a reconnect is all we can do
  context.cluster->Kill();
  return context.cluster->Start(error);
}

}  // namespace

FileResult RunTestFile(const std::string& path, const std::string& display_name, RunContext& context) {
  FileResult result;
  TestFile file;
  try {
    file = LoadTestFile(path);
  } catch (const std::exception& e) {
    AddFailure(result, context, display_name, "", std::string("parse error: ") + e.what());
    return result;
  }
  Connection connection;
  std::string error;
  if (!connection.Open(context.conninfo, error)) {
    AddFailure(result, context, display_name, "", error);
    result.server_suspect = true;
    return result;
  }
  for (const Record& record : file.records) {
    std::string where = display_name + ":" + std::to_string(record.line);
    if (record.kind == RecordKind::kHalt) break;
    ++result.records_run;
    if (record.kind == RecordKind::kRestart) {
      connection.Close();
      if (!RestartCluster(context, error) || !connection.Open(context.conninfo, error)) {
        AddFailure(result, context, where, "restart", error);
        result.server_suspect = true;
        return result;
      }
      continue;
    }
    SqlOutcome outcome = connection.Execute(record.sql, context.statement_timeout_ms);
    bool unusable = outcome.status == OutcomeStatus::kConnectionLost ||
                    outcome.status == OutcomeStatus::kTimeout;
    if (std::optional<std::string> why = CheckOutcome(record, outcome)) {
      if (unusable) *why += "\n  (the rest of this file is skipped: the connection is unusable)";
      AddFailure(result, context, where, record.sql, *why);
    }
    if (unusable) {
      // The rest of the file depends on this session; stop here and let the caller check the
      // server before the next file.
      result.server_suspect = true;
      return result;
    }
  }
  return result;
}

}  // namespace strata::sqltest
