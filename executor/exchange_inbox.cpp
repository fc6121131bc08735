// See exchange_inbox.h. Locks: the inbox's mutex guards the map of queues and the memory
// reservation; each queue has its own mutex for its batches and its spill file, so that
// spilling one queue (encode, compress, write) does not stop the others. A thread holding a
// queue's lock may take the inbox's, never the other way round. Live readers wait on the
// Signal, whose lock is taken alone (never while holding another).
#include "executor/exchange_inbox.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>

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

// What live readers wait on: a count bumped by every Add and End, and each exchange's end
// markers so far.
struct ExchangeInbox::Signal {
  std::mutex mu;
  std::condition_variable cv;
  uint64_t generation = 0;
  std::map<int, int> ends;

  void Bump(int end_of = -1) {
    {
      std::lock_guard<std::mutex> lock(mu);
      ++generation;
      if (end_of >= 0) ++ends[end_of];
    }
    cv.notify_all();
  }
};

ExchangeInbox::ExchangeInbox(QueryMemory* memory)
    : memory_(memory), reservation_(memory, "exchange queue"), signal_(std::make_shared<Signal>()) {}

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
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (dropped_.count(exchange)) return;  // every reader has gone
  }
  auto q = QueueFor(exchange, slice, true);
  int64_t bytes = static_cast<int64_t>(batch->EstimatedBytes());
  {
    std::lock_guard<std::mutex> lock(q->mu);
    // Once a queue spills it keeps spilling: its readers want memory first, then the file.
    if (q->spill == nullptr && TryKeep(bytes)) {
      q->kept.push_back(std::move(batch));
      q->kept_bytes += bytes;
    } else {
      if (q->spill == nullptr) q->spill = std::make_unique<SpillFile>(memory_->NextSpillPath(), nullptr);
      int64_t before = q->spill->bytes();
      q->spill->Write(*batch);
      int64_t written = q->spill->bytes() - before;
      memory_->AddSpilled(written);
      spilled_bytes_.fetch_add(written, std::memory_order_relaxed);
      spilled_batches_.fetch_add(1, std::memory_order_relaxed);
    }
  }
  signal_->Bump();
}

void ExchangeInbox::End(int exchange) { signal_->Bump(exchange); }

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

std::unique_ptr<ExchangeInbox::Reader> ExchangeInbox::ReadLive(int exchange, int slice, int producers,
                                                               const std::atomic<bool>* cancelled) {
  auto reader = std::make_unique<Reader>();
  // The queues are made now if no batch has come yet, so that the reader sees the later ones.
  reader->parts_.push_back(Reader::Part{QueueFor(exchange, slice, true)});
  if (slice != -1) reader->parts_.push_back(Reader::Part{QueueFor(exchange, -1, true)});
  reader->signal_ = signal_;
  reader->exchange_ = exchange;
  reader->producers_ = std::max(1, producers);
  reader->cancelled_ = cancelled;
  return reader;
}

void ExchangeInbox::Drop(int exchange) {
  std::vector<std::shared_ptr<Queue>> dropped;
  {
    std::lock_guard<std::mutex> lock(mu_);
    dropped_.insert(exchange);
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

bool ExchangeInbox::Reader::Take(Part& p, Batch* out) {
  const bool live = producers_ > 0;
  Queue& q = *p.queue;
  std::shared_ptr<const Batch> b;
  {
    // `kept` may grow (and move) under a later Add; the batches themselves never change.
    std::lock_guard<std::mutex> lock(q.mu);
    if (p.pos < (live ? q.kept.size() : p.kept)) {
      b = q.kept[p.pos++];
    } else if (q.spill != nullptr) {
      // A spilling queue no longer grows in memory: the file follows the kept batches.
      int64_t end = p.spill_end;
      if (live) {
        if (q.flushed != q.spill->bytes()) {
          q.spill->Flush();
          q.flushed = q.spill->bytes();
        }
        end = q.flushed;
      }
      if (p.offset >= end) return false;
    } else {
      return false;
    }
  }
  if (b != nullptr) {
    *out = Batch(b->Types());
    out->AppendAll(*b);
    return true;
  }
  // The file's flushed part does not change; pread needs no lock.
  p.offset = q.spill->ReadAt(p.offset, out);
  return true;
}

bool ExchangeInbox::Reader::Next(Batch* out) {
  if (producers_ > 0) return NextLive(out);
  while (part_ < parts_.size()) {
    if (Take(parts_[part_], out)) return true;
    ++part_;
  }
  return false;
}

bool ExchangeInbox::Reader::NextLive(Batch* out) {
  constexpr auto kPoll = std::chrono::milliseconds(50);
  while (true) {
    // Looked at before the queues: every batch of a producer is added before its end marker,
    // and a batch or marker that comes after this look changes the generation.
    uint64_t generation;
    bool ended;
    {
      std::lock_guard<std::mutex> lock(signal_->mu);
      generation = signal_->generation;
      auto it = signal_->ends.find(exchange_);
      ended = it != signal_->ends.end() && it->second >= producers_;
    }
    // Take in turn from the slice's own queue and the node-wide one.
    for (size_t i = 0; i < parts_.size(); ++i) {
      size_t k = (part_ + i) % parts_.size();
      if (Take(parts_[k], out)) {
        part_ = (k + 1) % parts_.size();
        return true;
      }
    }
    if (ended) return false;
    if (cancelled_ != nullptr && cancelled_->load(std::memory_order_relaxed)) {
      throw SqlError(sqlstate::kQueryCanceled, "canceling statement due to user request");
    }
    std::unique_lock<std::mutex> lock(signal_->mu);
    signal_->cv.wait_for(lock, kPoll, [&] { return signal_->generation != generation; });
  }
}

}  // namespace strata
