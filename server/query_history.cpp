// See query_history.h.
#include "server/query_history.h"

#include "planner/clock_functions.h"

#include <algorithm>
#include <filesystem>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <google/protobuf/util/delimited_message_util.h>

namespace strata {
namespace {

constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000000;

// A day file's name: its day number since 2000-01-01, zero-padded so names sort by day.
std::string DayFile(int64_t day) {
  std::string digits = std::to_string(day);
  return std::string(8 - std::min<size_t>(8, digits.size()), '0') + digits + ".log";
}

}  // namespace

QueryHistory::QueryHistory(std::string dir, int retention_days) : dir_(std::move(dir)), retention_days_(retention_days) {
  if (dir_.empty()) return;
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  int64_t today = ClockMicros() / kMicrosPerDay;
  RemoveExpired(today);
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    if (entry.path().extension() == ".log") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  int64_t max_xid = 0;
  for (const std::string& f : files) {
    std::ifstream in(f, std::ios::binary);
    google::protobuf::io::IstreamInputStream stream(&in);
    for (;;) {
      rpc::QueryRecord r;
      bool clean_eof = false;
      if (!google::protobuf::util::ParseDelimitedFromZeroCopyStream(&r, &stream, &clean_eof)) break;  // the end, or a torn last record
      max_xid = std::max(max_xid, r.xid());
      last_query_ = std::max(last_query_, r.query());
      Keep(std::move(r));
    }
  }
  next_xid_ = max_xid + 1;
}

void QueryHistory::RemoveExpired(int64_t today) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".log") continue;
    int64_t day = std::atoll(name.c_str());
    if (day < today - retention_days_) std::filesystem::remove(entry.path(), ec);
  }
}

void QueryHistory::OpenDay(int64_t day) {
  if (out_.is_open()) out_.close();
  RemoveExpired(day);
  // Records a day's file still holds in memory past the retention go too.
  const int64_t oldest = (day - retention_days_) * kMicrosPerDay;
  while (!rows_.empty() && rows_.front().end_micros() < oldest) {
    bytes_ -= rows_.front().ByteSizeLong();
    rows_.pop_front();
  }
  out_.open(dir_ + "/" + DayFile(day), std::ios::binary | std::ios::app);
  out_day_ = day;
}

void QueryHistory::Record(rpc::QueryRecord r) {
  // The record as the day file holds it (its length as a varint, then its bytes), made before
  // taking the lock.
  std::string framed;
  if (!dir_.empty()) {
    const size_t size = r.ByteSizeLong();
    {
      google::protobuf::io::StringOutputStream stream(&framed);
      google::protobuf::io::CodedOutputStream coded(&stream);
      coded.WriteVarint32(static_cast<uint32_t>(size));
    }
    const size_t at = framed.size();
    framed.resize(at + size);
    r.SerializeWithCachedSizesToArray(reinterpret_cast<uint8_t*>(framed.data() + at));
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (!dir_.empty()) {
    int64_t day = r.end_micros() / kMicrosPerDay;
    if (day != out_day_) OpenDay(day);
    if (out_.is_open()) {
      out_.write(framed.data(), static_cast<std::streamsize>(framed.size()));
      out_.flush();
    }
  }
  Keep(std::move(r));
}

void QueryHistory::Keep(rpc::QueryRecord r) {
  bytes_ += r.ByteSizeLong();
  rows_.push_back(std::move(r));
  while (!rows_.empty() && (rows_.size() > kMemoryLimit || bytes_ > kMemoryBytes)) {
    bytes_ -= rows_.front().ByteSizeLong();
    rows_.pop_front();
  }
}

std::vector<rpc::QueryRecord> QueryHistory::Rows() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {rows_.begin(), rows_.end()};
}

}  // namespace strata
