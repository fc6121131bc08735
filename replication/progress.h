// Progress of long work — replication (a snapshot being taken, copied or verified, a restore)
// and statements (COPY, INSERT … SELECT, CREATE TABLE AS, ANALYZE, VACUUM, UNLOAD, with the
// session and query that run them): units done of a total, kept in a process-wide list that the
// leader's stv_progress, stv_load_state and stv_snapshot_progress views read while the work runs,
// and drawn on a terminal by the CLI (a bar when stderr is a terminal, a plain line every few
// seconds otherwise).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace strata {

struct ProgressRow {
  std::string kind;      // "snapshot", "copy", "verify", "restore"
  std::string name;      // the snapshot's
  std::string location;
  int64_t bytes_done = 0;
  int64_t bytes_total = 0;
  int64_t started_micros = 0;  // since 2000-01-01
  double mb_per_second = 0;
  double seconds_left = -1;    // -1: not known yet
  // A statement's (pid 0: replication work): its session, query, user, and what is counted.
  int64_t pid = 0;
  int64_t query = 0;
  std::string user;
  std::string unit = "bytes";  // bytes | rows
};

// Who runs a statement's meter.
struct ProgressOwner {
  int64_t pid = 0;
  int64_t query = 0;
  std::string user;
  std::string unit = "bytes";
};

// Lives as long as the work; registered while it does.
class ProgressMeter {
 public:
  ProgressMeter(std::string kind, std::string name, std::string location, int64_t total);
  ProgressMeter(std::string kind, std::string name, std::string location, int64_t total, ProgressOwner owner);
  ~ProgressMeter();
  ProgressMeter(const ProgressMeter&) = delete;
  ProgressMeter& operator=(const ProgressMeter&) = delete;

  void Add(int64_t bytes) { done_ += bytes; }
  void Set(int64_t done) { done_ = done; }
  void SetTotal(int64_t total) { total_ = total; }
  // The work starts over (counted again from nothing).
  void Restart() { done_ = 0; }
  ProgressRow Row() const;
  // Draws the meter on stderr: a bar redrawn in place on a terminal; else a line at most every
  // 5 seconds. `final` ends the line / prints the last one.
  void Draw(bool final = false);

  // Every meter alive in this process.
  static std::vector<ProgressRow> All();

 private:
  std::string kind_, name_, location_;
  ProgressOwner owner_;
  std::atomic<int64_t> total_;
  std::atomic<int64_t> done_{0};
  int64_t started_micros_;
  int64_t last_drawn_micros_ = 0;
};

// "12.3 MB" style.
std::string HumanBytes(int64_t bytes);

}  // namespace strata
