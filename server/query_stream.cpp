// See query_stream.h.
#include "server/query_stream.h"
#include "catalog/slice_map.h"

#include "sql/error.h"

namespace strata {

namespace {

// Streams register their snapshots under keys no session id reaches.
std::atomic<uint64_t> next_stream_key{uint64_t{1} << 62};

}  // namespace

QueryStream::QueryStream(Params params) : params_(std::move(params)), registry_key_(next_stream_key.fetch_add(1)) {
  if (params_.timeout_ms > 0) {
    deadline_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(params_.timeout_ms);
  }
  if (params_.snapshots != nullptr && params_.snapshot != nullptr) params_.snapshots->Register(registry_key_, params_.snapshot);
  thread_ = PooledThread([this] { RunQuery(); });
}

QueryStream::~QueryStream() {
  if (!finished_.load()) Cancel();
  queue_.Abandon();
  thread_.join();
  if (params_.snapshots != nullptr && params_.snapshot != nullptr) params_.snapshots->Unregister(registry_key_);
}

void QueryStream::RunQuery() {
  int64_t rows = 0;
  std::string state, message;
  std::vector<Batch> captured;
  size_t captured_bytes = 0;
  bool capturing = params_.capture_limit > 0 && params_.on_captured != nullptr;
  try {
    Cluster::ResultSink sink = [&](Batch b) {
      rows += static_cast<int64_t>(b.rows);
      if (capturing) {
        captured_bytes += b.EstimatedBytes();
        if (captured_bytes > params_.capture_limit) {
          capturing = false;
          captured.clear();
        } else {
          captured.push_back(b);
        }
      }
      return queue_.Push(std::move(b), &cancelled_);
    };
    Cluster::RunOptions options;
    options.sink = &sink;
    options.query_memory = params_.query_memory;
    options.pipelining = params_.pipelining;
    options.routing_epoch = params_.routing_epoch;
    if (params_.snapshot != nullptr) options.slice_node = SliceNodesOf(params_.snapshot->meta());
    QueryOutcome out = params_.cluster->Run(
        params_.plan, params_.query_id, &cancelled_,
        [](int, const std::string& name, ExchangeInbox*) {
          STRATA_INTERNAL_ERROR("a streamed query reads system table ", name);
        },
        options);
    if (params_.on_success) params_.on_success(out);
    if (capturing) params_.on_captured(std::move(captured), rows, captured_bytes);
    queue_.Finish();
  } catch (const SqlError& e) {
    state = e.sqlstate();
    message = e.message();
    queue_.Fail(std::current_exception());
  } catch (...) {
    state = sqlstate::kInternalError;
    message = "internal error";
    queue_.Fail(std::current_exception());
  }
  finished_ = true;
  if (params_.on_end) params_.on_end(state, message, rows);
  if (params_.on_finish) params_.on_finish();
}

void QueryStream::Cancel() {
  cancelled_ = true;
  if (!finished_.load()) params_.cluster->Cancel(params_.query_id);
}

RowSource::Status QueryStream::Next(Batch* out, std::chrono::milliseconds wait) {
  if (deadline_ && std::chrono::steady_clock::now() >= *deadline_ && !finished_.load()) {
    timed_out_ = true;
    Cancel();
  }
  try {
    switch (queue_.Pop(out, wait)) {
      case BatchQueue::PopStatus::kBatch: return Status::kBatch;
      case BatchQueue::PopStatus::kEnd: return Status::kEnd;
      case BatchQueue::PopStatus::kTimeout: return Status::kWaiting;
    }
  } catch (const SqlError& e) {
    if (timed_out_ && e.sqlstate() == sqlstate::kQueryCanceled) {
      throw SqlError(sqlstate::kQueryCanceled, "canceling statement due to statement timeout");
    }
    throw;
  }
  return Status::kWaiting;
}

}  // namespace strata
