// The ordered chunk pipeline: claim counter, bounded ring of finished chunks, in-order consumer.
#include "bench/dbgen/chunk_pipeline.h"

#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

namespace strata::dbgen {

void RunOrderedChunks(int64_t chunk_count, int threads, const ChunkProducer& producer,
                      const ChunkConsumer& consumer) {
  if (chunk_count <= 0) return;
  if (threads < 1) threads = 1;
  const int64_t window = 2 * static_cast<int64_t>(threads) + 2;

  std::mutex mu;
  std::condition_variable ready_cv;  // a slot was filled, or the run stopped
  std::condition_variable space_cv;  // the consumer advanced, or the run stopped
  std::vector<std::optional<ChunkTexts>> slots(static_cast<size_t>(window));
  int64_t next_to_claim = 0;
  int64_t next_to_consume = 0;
  bool stop = false;
  std::exception_ptr error;

  auto fail = [&](std::exception_ptr e) {
    std::lock_guard<std::mutex> lock(mu);
    if (!error) error = e;
    stop = true;
    ready_cv.notify_all();
    space_cv.notify_all();
  };

  auto worker = [&] {
    for (;;) {
      int64_t chunk;
      {
        std::unique_lock<std::mutex> lock(mu);
        space_cv.wait(lock, [&] {
          return stop || next_to_claim >= chunk_count || next_to_claim < next_to_consume + window;
        });
        if (stop || next_to_claim >= chunk_count) return;
        chunk = next_to_claim++;
      }
      try {
        ChunkTexts texts = producer(chunk);
        std::lock_guard<std::mutex> lock(mu);
        slots[static_cast<size_t>(chunk % window)] = std::move(texts);
        ready_cv.notify_all();
      } catch (...) {
        fail(std::current_exception());
        return;
      }
    }
  };

  std::vector<std::thread> pool;
  pool.reserve(static_cast<size_t>(threads));
  for (int i = 0; i < threads; ++i) pool.emplace_back(worker);

  for (int64_t chunk = 0; chunk < chunk_count; ++chunk) {
    ChunkTexts texts;
    {
      std::unique_lock<std::mutex> lock(mu);
      auto& slot = slots[static_cast<size_t>(chunk % window)];
      ready_cv.wait(lock, [&] { return stop || slot.has_value(); });
      if (stop) break;
      texts = std::move(*slot);
      slot.reset();
      next_to_consume = chunk + 1;
      space_cv.notify_all();
    }
    try {
      consumer(chunk, texts);
    } catch (...) {
      fail(std::current_exception());
      break;
    }
  }
  for (std::thread& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace strata::dbgen
