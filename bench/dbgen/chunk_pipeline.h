// RunOrderedChunks: produce numbered chunks of output on worker threads and consume them in
// chunk order on the calling thread.
//
// Workers claim chunk numbers from a shared counter; a finished chunk waits in a ring of
// `window` slots until every earlier chunk has been consumed, and a worker may not run more
// than `window` chunks ahead of the consumer, so memory stays bounded by the window however
// slow the disk is. Since a chunk's content depends only on its number, the consumed byte
// stream is the same for any number of threads.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace strata::dbgen {

// A chunk is one text per output file (e.g. orders and lineitem from the same key range).
using ChunkTexts = std::vector<std::string>;
using ChunkProducer = std::function<ChunkTexts(int64_t chunk)>;
using ChunkConsumer = std::function<void(int64_t chunk, ChunkTexts& texts)>;

// Runs producer(0 .. chunk_count-1) on `threads` threads and consumer(i, ...) for i in order.
// The first exception thrown by either stops the run and is rethrown here after all threads
// have joined.
void RunOrderedChunks(int64_t chunk_count, int threads, const ChunkProducer& producer,
                      const ChunkConsumer& consumer);

}  // namespace strata::dbgen
