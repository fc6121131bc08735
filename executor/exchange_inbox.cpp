// See exchange_inbox.h. Locks: the inbox's mutex guards the map of queues and the memory
// reservation; each queue has its own mutex for its batches and its spill file, so that
// spilling one queue (encode, compress, write) does not stop the others. A thread holding a
// queue's lock may take the inbox's, never the other way round.
#include "executor/exchange_inbox.h"

#include "executor/operator.h"
#include "executor/spill_file.h"
#include "sql/error.h"

namespace strata {

void ExecContext::CheckCancelled() const {
  if (cancelled != nullptr && cancelled->load(std::memory_order_relaxed)) {
    throw SqlError(sqlstate::kQueryCanceled, "canceling statement due to user request");
  }
}

struct ExchangeInbox::Queue {
  std::mutex mu;
  std::vector<std::shared_ptr<const Batch>> kept;  // in memory, before any spilled batch
  std::unique_ptr<SpillFile> spill;                // the later batches, once memory ran out
  int64_t flushed = 0;                             // spill bytes readers may pread
  int64_t kept_bytes = 0;                          // of `kept`, counted in the reservation
};

ExchangeInbox::ExchangeInbox(QueryMemory* memory) : memory_(memory), reservation_(memory, "exchange queue") {}

// Queues (and their spill files) may live on in readers; the memory goes back now.
ExchangeInbox::~ExchangeInbox() = default;

std::shared_ptr<ExchangeInbox::Queue> ExchangeInbox::QueueFor(int exchange, int slice, bool create) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = queues_.find({exchange, slice});
  if (it != queues_.end()) return it->second;
  if (!create) return nullptr;
  auto q = std::make_shared<Queue>();
  queues_[{exchange, slice}] = q;
  return q;
}

bool ExchangeInbox::TryKeep(int64_t bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  if (memory_ == nullptr) return reservation_.TryGrow(bytes);
  if (reservation_.held() + bytes > memory_->limit() / kInboxShareDivisor) return false;
  return reservation_.TryGrow(bytes);
}

int64_t ExchangeInbox::held_bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return reservation_.held();
}

void ExchangeInbox::Add(int exchange, int slice, std::shared_ptr<const Batch> batch) {
  auto q = QueueFor(exchange, slice, true);
  int64_t bytes = static_cast<int64_t>(batch->EstimatedBytes());
  std::lock_guard<std::mutex> lock(q->mu);
  // Once a queue spills it keeps spilling: its readers want memory first, then the file.
  if (q->spill == nullptr && TryKeep(bytes)) {
    q->kept.push_back(std::move(batch));
    q->kept_bytes += bytes;
    return;
  }
  if (q->spill == nullptr) q->spill = std::make_unique<SpillFile>(memory_->NextSpillPath(), nullptr);
  int64_t before = q->spill->bytes();
  q->spill->Write(*batch);
  int64_t written = q->spill->bytes() - before;
  memory_->AddSpilled(written);
  spilled_bytes_.fetch_add(written, std::memory_order_relaxed);
  spilled_batches_.fetch_add(1, std::memory_order_relaxed);
}

std::unique_ptr<ExchangeInbox::Reader> ExchangeInbox::Read(int exchange, int slice) {
  auto reader = std::make_unique<Reader>();
  auto add_part = [&](std::shared_ptr<Queue> q) {
    if (q == nullptr) return;
    Reader::Part part;
    {
      std::lock_guard<std::mutex> lock(q->mu);
      part.kept = q->kept.size();
      if (q->spill != nullptr) {
        if (q->flushed != q->spill->bytes()) {
          q->spill->Flush();
          q->flushed = q->spill->bytes();
        }
        part.spill_end = q->flushed;
      }
    }
    part.queue = std::move(q);
    reader->parts_.push_back(std::move(part));
  };
  add_part(QueueFor(exchange, slice, false));
  if (slice != -1) add_part(QueueFor(exchange, -1, false));
  return reader;
}

void ExchangeInbox::Drop(int exchange) {
  std::vector<std::shared_ptr<Queue>> dropped;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = queues_.begin(); it != queues_.end();) {
      if (it->first.first == exchange) {
        dropped.push_back(std::move(it->second));
        it = queues_.erase(it);
      } else {
        ++it;
      }
    }
  }
  int64_t bytes = 0;
  for (const auto& q : dropped) {  // a queue's lock before the inbox's, as everywhere
    std::lock_guard<std::mutex> lock(q->mu);
    bytes += q->kept_bytes;
    q->kept_bytes = 0;
  }
  if (bytes > 0) {
    std::lock_guard<std::mutex> lock(mu_);
    reservation_.Shrink(bytes);
  }
}

bool ExchangeInbox::Reader::Next(Batch* out) {
  while (part_ < parts_.size()) {
    Part& p = parts_[part_];
    if (pos_ < p.kept) {
      std::shared_ptr<const Batch> b;
      {
        // `kept` may grow (and move) under a later Add; the batches themselves never change.
        std::lock_guard<std::mutex> lock(p.queue->mu);
        b = p.queue->kept[pos_++];
      }
      *out = Batch(b->Types());
      out->AppendAll(*b);
      return true;
    }
    if (offset_ < p.spill_end) {
      // The file's flushed part does not change; pread needs no lock.
      offset_ = p.queue->spill->ReadAt(offset_, out);
      return true;
    }
    ++part_;
    pos_ = 0;
    offset_ = 0;
  }
  return false;
}

}  // namespace strata
