// Tests of executor/exchange_inbox: under a tiny budget the inbox spills and still gives every
// batch back in the order added (memory first, then the file); node-wide batches (slice -1) are
// read whole by several slices at once; the memory goes back when the inbox is destroyed; and
// ExchangeSourceOperator reads through it. Live readers (pipelined stages) get batches while
// their producers still add them, spilled ones included, and end at the last end marker or a
// cancel. Also SpillFile's positional reads.
#include "executor/exchange_inbox.h"
#include "tests/unit/executor/spill_files.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <thread>

#include <gtest/gtest.h>

#include "executor/basic_operators.h"
#include "executor/spill_file.h"
#include "sql/error.h"

namespace strata {
namespace {

// A batch of `rows` rows: (int64 id, varchar "row <id>"), ids from `first`.
std::shared_ptr<const Batch> MakeBatch(int64_t first, int rows) {
  auto b = std::make_shared<Batch>(std::vector<SqlType>{SqlType::Int64(), SqlType::Varchar(-1)});
  b->SetRows(rows);
  for (int k = 0; k < rows; ++k) {
    b->columns[0].data<int64_t>()[k] = first + k;
    b->columns[1].SetString(k, "row " + std::to_string(first + k));
  }
  return b;
}

// Reads everything and checks ids are first, first+1, ...; returns how many rows.
int64_t ReadAllInOrder(ExchangeInbox::Reader& r, int64_t first) {
  Batch out;
  int64_t next = first;
  while (r.Next(&out)) {
    for (size_t k = 0; k < out.rows; ++k, ++next) {
      EXPECT_EQ(out.columns[0].data<int64_t>()[k], next);
      EXPECT_EQ(out.columns[1].data<std::string_view>()[k], "row " + std::to_string(next));
    }
  }
  return next - first;
}

class ExchangeInboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = "/tmp/strata_inbox_test_" + std::to_string(::getpid());
    ::mkdir(dir_.c_str(), 0700);
  }
  void TearDown() override {
    EXPECT_EQ(FilesIn(dir_), 0);  // spill files are unlinked at creation
    ::rmdir(dir_.c_str());
  }
  std::string dir_;
};

TEST_F(ExchangeInboxTest, UnlimitedKeepsEverythingInMemory) {
  ExchangeInbox inbox;
  for (int i = 0; i < 20; ++i) inbox.Add(1, 0, MakeBatch(i * 100, 100));
  EXPECT_EQ(inbox.spilled_batches(), 0);
  auto r = inbox.Read(1, 0);
  EXPECT_EQ(ReadAllInOrder(*r, 0), 2000);
  auto none = inbox.Read(2, 0);
  Batch out;
  EXPECT_FALSE(none->Next(&out));
}

TEST_F(ExchangeInboxTest, TinyBudgetSpillsAndGivesTheSameBatchesInOrder) {
  NodeMemory node(1 << 30, dir_);
  auto q = std::make_unique<QueryMemory>(&node, 64 * 1024, 1, dir_);
  {
    ExchangeInbox inbox(q.get());
    for (int i = 0; i < 200; ++i) {
      inbox.Add(1, 3, MakeBatch(i * 100, 100));
      inbox.Add(1, 4, MakeBatch(1000000 + i * 50, 50));
    }
    EXPECT_GT(inbox.spilled_batches(), 300);
    EXPECT_GT(inbox.spilled_bytes(), 0);
    EXPECT_LE(inbox.held_bytes(), 64 * 1024 / ExchangeInbox::kInboxShareDivisor);
    EXPECT_GT(inbox.held_bytes(), 0);
    EXPECT_EQ(q->used(), inbox.held_bytes());
    EXPECT_EQ(q->spilled(), inbox.spilled_bytes());
    auto r3 = inbox.Read(1, 3);
    EXPECT_EQ(ReadAllInOrder(*r3, 0), 20000);
    auto r4 = inbox.Read(1, 4);
    EXPECT_EQ(ReadAllInOrder(*r4, 1000000), 10000);
    // A second pass over the same queue sees the same batches again.
    auto again = inbox.Read(1, 3);
    EXPECT_EQ(ReadAllInOrder(*again, 0), 20000);
  }
  EXPECT_EQ(q->used(), 0);  // given back with the inbox
  EXPECT_EQ(node.used(), 0);
}

// Dropping an exchange whose last reader has finished gives its memory back at once and leaves
// the other exchanges as they were; a reader still holding the dropped queue reads it whole.
TEST_F(ExchangeInboxTest, DropGivesAnExchangesMemoryBackAndKeepsTheOthers) {
  NodeMemory node(1 << 30, dir_);
  QueryMemory q(&node, 1 << 20, 3, dir_);
  ExchangeInbox inbox(&q);
  for (int i = 0; i < 10; ++i) {
    inbox.Add(1, 0, MakeBatch(i * 100, 100));
    inbox.Add(1, -1, MakeBatch(1000 + i * 100, 100));
    inbox.Add(2, 0, MakeBatch(i * 100, 100));
  }
  const int64_t all = inbox.held_bytes();
  auto late = inbox.Read(1, 0);  // made before the drop
  inbox.Drop(1);
  EXPECT_GT(inbox.held_bytes(), 0);
  EXPECT_LT(inbox.held_bytes(), all / 2);  // exchange 1 held two thirds
  EXPECT_EQ(q.used(), inbox.held_bytes());
  auto gone = inbox.Read(1, 0);
  Batch out;
  EXPECT_FALSE(gone->Next(&out));
  EXPECT_EQ(ReadAllInOrder(*late, 0), 2000);  // its own slice, then the node-wide part
  auto two = inbox.Read(2, 0);
  EXPECT_EQ(ReadAllInOrder(*two, 0), 1000);
  inbox.Drop(2);
  inbox.Drop(7);  // never added: nothing happens
  EXPECT_EQ(inbox.held_bytes(), 0);
  EXPECT_EQ(q.used(), 0);
}

TEST_F(ExchangeInboxTest, NodeWideBatchesAreReadWholeBySeveralSlicesAtOnce) {
  QueryMemory q(nullptr, 64 * 1024, 2, dir_);
  ExchangeInbox inbox(&q);
  // Two producers at once, as peers' EXCHANGE_DATA connections do; one writes node-wide
  // batches, the other a slice's own.
  std::thread a([&] { for (int i = 0; i < 300; ++i) inbox.Add(7, -1, MakeBatch(i * 100, 100)); });
  std::thread b([&] { for (int i = 0; i < 100; ++i) inbox.Add(7, 2, MakeBatch(-10000 + i * 100, 100)); });
  a.join();
  b.join();
  ASSERT_GT(inbox.spilled_batches(), 0);
  constexpr int kReaders = 6;
  std::vector<int64_t> rows(kReaders, 0);
  std::vector<std::thread> readers;
  for (int t = 0; t < kReaders; ++t) {
    readers.emplace_back([&, t] {
      // Slice 2 gets its own batches first, then the node-wide ones; the others just those.
      int slice = t == 0 ? 2 : 10 + t;
      auto r = inbox.Read(7, slice);
      rows[t] = ReadAllInOrder(*r, slice == 2 ? -10000 : 0);
    });
  }
  for (auto& t : readers) t.join();
  EXPECT_EQ(rows[0], 40000);
  for (int t = 1; t < kReaders; ++t) EXPECT_EQ(rows[t], 30000) << "reader " << t;
}

TEST_F(ExchangeInboxTest, ReadersSeeWhatWasAddedBeforeThem) {
  QueryMemory q(nullptr, 16 * 1024, 3, dir_);
  ExchangeInbox inbox(&q);
  for (int i = 0; i < 50; ++i) inbox.Add(1, -1, MakeBatch(i * 100, 100));
  auto early = inbox.Read(1, 0);
  for (int i = 50; i < 80; ++i) inbox.Add(1, -1, MakeBatch(i * 100, 100));
  EXPECT_EQ(ReadAllInOrder(*early, 0), 5000);
  auto late = inbox.Read(1, 0);
  EXPECT_EQ(ReadAllInOrder(*late, 0), 8000);
}

TEST_F(ExchangeInboxTest, ExchangeSourceReadsThroughTheInboxAndSkipsEmptyBatches) {
  QueryMemory q(nullptr, 32 * 1024, 4, dir_);
  ExchangeInbox inbox(&q);
  int64_t next = 0;
  for (int i = 0; i < 100; ++i) {
    inbox.Add(5, 1, MakeBatch(next, 64));
    next += 64;
    inbox.Add(5, 1, MakeBatch(next, 0));
  }
  std::atomic<bool> cancelled{false};
  ExecContext ctx;
  ctx.slice = 1;
  ctx.inbox = &inbox;
  ctx.cancelled = &cancelled;
  ctx.memory = &q;
  plan::ExchangeSource spec;
  spec.set_exchange_id(5);
  OperatorPtr op = MakeExchangeSource(spec, ctx);
  Batch out;
  int64_t expect = 0;
  while (op->Next(&out)) {
    ASSERT_GT(out.rows, 0u);
    for (size_t k = 0; k < out.rows; ++k) EXPECT_EQ(out.columns[0].data<int64_t>()[k], expect++);
  }
  EXPECT_EQ(expect, 6400);
  // Cancellation stops the reader at its next batch.
  OperatorPtr again = MakeExchangeSource(spec, ctx);
  ASSERT_TRUE(again->Next(&out));
  cancelled = true;
  EXPECT_THROW(again->Next(&out), SqlError);
}

// Two producers add to a slice's queue and the node-wide one while two live readers read; the
// budget is tiny, so both queues spill mid-stream. The readers get their first rows before any
// producer has finished, every row once, each producer's rows in its order, and end only after
// both end markers.
TEST_F(ExchangeInboxTest, LiveReadersGetBatchesAsTheyComeAndEndAtTheLastMarker) {
  NodeMemory node(1 << 30, dir_);
  QueryMemory q(&node, 64 * 1024, 6, dir_);
  ExchangeInbox inbox(&q);
  std::atomic<bool> cancelled{false};
  auto r_own = inbox.ReadLive(4, 1, 2, &cancelled);   // slice 1: its own batches and node-wide ones
  auto r_other = inbox.ReadLive(4, 9, 2, &cancelled); // slice 9: the node-wide ones only
  std::atomic<int64_t> first_rows_seen{0};
  std::atomic<int> readers_done{0};
  std::vector<std::vector<int64_t>> seen(2);
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&, t] {
      auto& r = t == 0 ? *r_own : *r_other;
      Batch out;
      while (r.Next(&out)) {
        for (size_t k = 0; k < out.rows; ++k) seen[t].push_back(out.columns[0].data<int64_t>()[k]);
        if (out.rows > 0 && seen[t].size() == out.rows) first_rows_seen.fetch_add(1);  // its first rows
      }
      readers_done.fetch_add(1);
    });
  }
  // One batch each, then wait (bounded) until both readers have rows: they did not wait for the end.
  inbox.Add(4, 1, MakeBatch(0, 10));
  inbox.Add(4, -1, MakeBatch(1000000, 10));
  for (int i = 0; i < 500 && first_rows_seen.load() < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_GE(first_rows_seen.load(), 2);
  std::thread own([&] { for (int i = 1; i < 300; ++i) inbox.Add(4, 1, MakeBatch(i * 10, 10)); });
  std::thread wide([&] { for (int i = 1; i < 300; ++i) inbox.Add(4, -1, MakeBatch(1000000 + i * 10, 10)); });
  own.join();
  inbox.End(4);
  wide.join();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  // One marker of two: the readers still wait.
  EXPECT_EQ(readers_done.load(), 0);
  inbox.End(4);
  for (auto& t : readers) t.join();
  EXPECT_GT(inbox.spilled_batches(), 0);
  ASSERT_EQ(seen[0].size(), 6000u);
  ASSERT_EQ(seen[1].size(), 3000u);
  // Each source's rows in the order added, every row once.
  int64_t next_own = 0, next_wide = 1000000;
  for (int64_t v : seen[0]) {
    if (v < 1000000) EXPECT_EQ(v, next_own++);
    else EXPECT_EQ(v, next_wide++);
  }
  EXPECT_EQ(next_own, 3000);
  EXPECT_EQ(next_wide, 1003000);
  for (size_t k = 0; k < seen[1].size(); ++k) EXPECT_EQ(seen[1][k], 1000000 + static_cast<int64_t>(k));
}

// A live reader waiting for a producer that never ends stops at a cancel, promptly.
TEST_F(ExchangeInboxTest, LiveReaderWaitingForProducersStopsAtCancel) {
  QueryMemory q(nullptr, 1 << 20, 7, dir_);
  ExchangeInbox inbox(&q);
  std::atomic<bool> cancelled{false};
  auto r = inbox.ReadLive(2, 0, 2, &cancelled);
  inbox.Add(2, 0, MakeBatch(0, 5));
  inbox.End(2);  // one producer of two
  Batch out;
  ASSERT_TRUE(r->Next(&out));
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    cancelled = true;
  });
  auto start = std::chrono::steady_clock::now();
  try {
    r->Next(&out);
    ADD_FAILURE() << "Next returned instead of throwing 57014";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), "57014");
  }
  canceller.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

// Once every reader of an exchange has ended (Drop), batches a producer still adds are thrown
// away instead of held until the query ends.
TEST_F(ExchangeInboxTest, BatchesAddedAfterADropAreThrownAway) {
  NodeMemory node(1 << 30, dir_);
  QueryMemory q(&node, 1 << 20, 8, dir_);
  ExchangeInbox inbox(&q);
  inbox.Add(3, 0, MakeBatch(0, 100));
  inbox.Add(5, 0, MakeBatch(0, 100));
  inbox.Drop(3);
  const int64_t held = inbox.held_bytes();
  for (int i = 0; i < 20; ++i) inbox.Add(3, 0, MakeBatch(i * 100, 100));
  EXPECT_EQ(inbox.held_bytes(), held);
  Batch out;
  EXPECT_FALSE(inbox.Read(3, 0)->Next(&out));
  EXPECT_TRUE(inbox.Read(5, 0)->Next(&out));
}

TEST(SpillFilePositional, ConcurrentReadersEachKeepTheirOffset) {
  QueryMemory q(nullptr, 1 << 20, 5, "/tmp");
  SpillFile f(q.NextSpillPath(), nullptr);
  for (int i = 0; i < 40; ++i) f.Write(*MakeBatch(i * 10, 10));
  f.Flush();
  int64_t end = f.bytes();
  std::vector<std::thread> ts;
  std::vector<int64_t> seen(4, 0);
  for (int t = 0; t < 4; ++t) {
    ts.emplace_back([&, t] {
      Batch out;
      for (int64_t at = 0; at < end;) {
        at = f.ReadAt(at, &out);
        for (size_t k = 0; k < out.rows; ++k) EXPECT_EQ(out.columns[0].data<int64_t>()[k], seen[t]++);
      }
    });
  }
  for (auto& t : ts) t.join();
  for (int64_t s : seen) EXPECT_EQ(s, 400);
  // Writing may continue after a flush; the sequential reader still reads everything.
  f.Write(*MakeBatch(400, 10));
  Batch out;
  int64_t n = 0;
  while (f.Read(&out)) n += static_cast<int64_t>(out.rows);
  EXPECT_EQ(n, 410);
}

}  // namespace
}  // namespace strata
