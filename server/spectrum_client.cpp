// See spectrum_client.h.
#include "server/spectrum_client.h"

#include <algorithm>
#include <chrono>

#include "executor/batch_codec.h"
#include "planner/plan.pb.h"
#include "server/rpc_channel.h"
#include "sql/error.h"
#include "sql/nesting_limit.h"

namespace strata {
namespace {

// A worker that sends nothing for this long is taken for dead (a large row group decodes in
// well under a second; this is far above any honest pause).
constexpr auto kSilenceLimit = std::chrono::seconds(60);

class RemoteSplitReader : public ExternalSplitReader {
 public:
  RemoteSplitReader(const plan::FileScan& spec, const plan::LoadSplit& split, plan::ScanStat* stat,
                    const ClusterSecret& secret, uint64_t query_id, const std::atomic<bool>* cancelled)
      : spec_(spec), split_(split), stat_(stat), secret_(secret), query_id_(query_id), cancelled_(cancelled),
        next_worker_(split.worker()) {}

  bool Next(Batch* out) override {
    for (;;) {
      if (cancelled_ != nullptr && cancelled_->load()) throw SqlError(sqlstate::kQueryCanceled, "canceling statement due to user request");
      if (done_) return false;
      try {
        if (!ch_) Start();
        RpcFrame f;
        bool got = false;
        try {
          got = WaitForFrame() && ch_->Receive(&f);
        } catch (const SqlError& e) {
          if (e.sqlstate() == sqlstate::kQueryCanceled) throw;
          throw Lost(StrCat("went away: ", e.what()));  // a reset connection: the worker died
        }
        if (!got) throw Lost("closed the connection");
        if (f.type == rpc::EXCHANGE_DATA) {
          rpc::ExchangeData d;
          if (!d.ParseFromString(f.payload)) throw Lost("sent a bad message");
          Batch b = DecodeBatch(d.batch());
          // This batch is rows [received_, received_ + n) of the split; the first returned_ of
          // them reached the slice already, from a worker that failed later.
          int64_t n = static_cast<int64_t>(b.rows);
          int64_t drop = std::clamp<int64_t>(returned_ - received_, 0, n);
          received_ += n;
          if (drop == n) continue;
          if (drop > 0) {
            std::vector<uint32_t> keep;
            for (int64_t r = drop; r < n; ++r) keep.push_back(static_cast<uint32_t>(r));
            Batch rest(b.Types());
            rest.AppendSelected(b, keep.data(), keep.size());
            b = std::move(rest);
          }
          returned_ += static_cast<int64_t>(b.rows);
          *out = std::move(b);
          return true;
        }
        if (f.type == rpc::STAGE_DONE) {
          rpc::StageDone done;
          if (!ParseNestedMessage(f.payload, &done)) throw Lost("sent a bad message");
          if (stat_ != nullptr) {
            for (const auto& s : done.scans()) {
              stat_->set_rows_pre_filter(stat_->rows_pre_filter() + s.rows_pre_filter());
              stat_->set_bytes_scanned(stat_->bytes_scanned() + s.bytes_scanned());
              stat_->set_row_groups_skipped(stat_->row_groups_skipped() + s.row_groups_skipped());
            }
          }
          done_ = true;
          ch_.reset();
          return false;
        }
        if (f.type == rpc::ERROR) {
          rpc::Error e;
          e.ParseFromString(f.payload);
          SqlError err(e.sqlstate(), e.message());
          if (!e.detail().empty()) err.WithDetail(e.detail());
          throw err;  // the file's own error: no retry helps
        }
        throw Lost("sent an unexpected message");
      } catch (const LostWorker& lost) {
        ch_.reset();
        if (++attempts_ > kSpectrumRetries) {
          throw SqlError(sqlstate::kConnectionFailure,
                         StrCat("Spectrum Scan Error: the split of \"", split_.url(), "\" failed on ", attempts_,
                                " spectrum workers; the last ", lost.what));
        }
        if (stat_ != nullptr) stat_->set_retries(stat_->retries() + 1);
        received_ = 0;
        ++next_worker_;
      }
    }
  }

 private:
  struct LostWorker {
    std::string what;
  };
  LostWorker Lost(const std::string& why) const { return LostWorker{StrCat("worker (", address_, ") ", why)}; }

  void Start() {
    const int n = spec_.external().workers_size();
    address_ = spec_.external().workers(((next_worker_ % n) + n) % n);
    size_t colon = address_.rfind(':');
    try {
      ch_ = RpcChannel::Connect(address_.substr(0, colon), std::stoi(address_.substr(colon + 1)), secret_);
      rpc::ScanSplit msg;
      *msg.mutable_scan() = spec_;
      msg.mutable_scan()->clear_splits_by_slice();
      *msg.mutable_split() = split_;
      ch_->Send(rpc::SCAN_SPLIT, query_id_, msg);
    } catch (const SqlError& e) {
      ch_.reset();
      throw Lost(StrCat("could not be reached: ", e.what()));
    }
  }

  // Waits for the worker's next frame in short polls, honouring cancel; false after a silence
  // of kSilenceLimit.
  bool WaitForFrame() {
    auto deadline = std::chrono::steady_clock::now() + kSilenceLimit;
    while (!ch_->WaitReadable(std::chrono::milliseconds(200))) {
      if (cancelled_ != nullptr && cancelled_->load()) throw SqlError(sqlstate::kQueryCanceled, "canceling statement due to user request");
      if (std::chrono::steady_clock::now() >= deadline) return false;
    }
    return true;
  }

  const plan::FileScan& spec_;
  const plan::LoadSplit& split_;
  plan::ScanStat* stat_;
  const ClusterSecret& secret_;
  uint64_t query_id_;
  const std::atomic<bool>* cancelled_;
  int next_worker_;
  std::string address_;
  std::unique_ptr<RpcChannel> ch_;
  int attempts_ = 0;
  bool done_ = false;
  int64_t received_ = 0;  // rows of the split the current worker has sent
  int64_t returned_ = 0;  // rows of the split passed on to the slice, over all attempts
};

}  // namespace

std::unique_ptr<ExternalSplitReader> OpenRemoteSplit(const plan::FileScan& spec, const plan::LoadSplit& split,
                                                     plan::ScanStat* stat, const ClusterSecret& secret, uint64_t query_id,
                                                     const std::atomic<bool>* cancelled) {
  return std::make_unique<RemoteSplitReader>(spec, split, stat, secret, query_id, cancelled);
}

}  // namespace strata
