// SliceWriter + SliceReader: multi-block round trips, appending to a base version, and pruning
// that skips blocks yet returns every matching row (random data vs a brute-force filter).
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <random>

#include "storage/manifest_store.h"
#include "storage/slice_reader.h"
#include "storage/slice_writer.h"

namespace strata {
namespace {

using Cmp = ZonePredicate::Cmp;

// Table used throughout: id BIGINT, k INTEGER (slowly rising, so zone maps prune), name VARCHAR,
// price DECIMAL(38,2) (NULL every 5th row), flag BOOLEAN, score DOUBLE, day DATE, small SMALLINT.
std::vector<SqlType> TableTypes() {
  return {SqlType::Int64(), SqlType::Int32(), SqlType::Varchar(64), SqlType::Decimal(38, 2),
          SqlType::Bool(),  SqlType::Float64(), SqlType::Date(), SqlType::Int16()};
}

// All rows of the table, generated column by column from a seed; row i has id first_id + i.
Batch MakeRows(size_t n, int64_t first_id, uint32_t seed) {
  std::mt19937_64 rng(seed);
  Batch b(TableTypes());
  b.SetRows(n);
  for (size_t i = 0; i < n; ++i) {
    int64_t id = first_id + static_cast<int64_t>(i);
    b.columns[0].data<int64_t>()[i] = id;
    b.columns[1].data<int32_t>()[i] = static_cast<int32_t>(id / 50 + rng() % 7);
    std::string name = "n" + std::to_string(id / 1000) + "_" + std::string(rng() % 20, 'x');
    if (i % 11 == 3) name = "";
    b.columns[2].SetString(i, name);
    b.columns[3].data<int128>()[i] = static_cast<int128>(id) * 100 + 5;
    b.columns[3].SetNull(i, i % 5 == 0);
    b.columns[4].data<uint8_t>()[i] = (id / 3000) % 2;
    b.columns[5].data<double>()[i] = static_cast<double>(rng() % 100000) / 8;
    b.columns[6].data<int32_t>()[i] = static_cast<int32_t>(id / 400);
    b.columns[7].data<int16_t>()[i] = static_cast<int16_t>(rng() % 1000);
  }
  return b;
}

// Feeds `rows` to the writer in kBatchSize slices; `after` (if any) runs after each.
void AppendInBatches(SliceWriter& w, const Batch& rows, const std::function<void()>& after = nullptr) {
  for (size_t at = 0; at < rows.rows; at += kBatchSize) {
    size_t n = std::min(kBatchSize, rows.rows - at);
    std::vector<uint32_t> sel(n);
    for (size_t i = 0; i < n; ++i) sel[i] = static_cast<uint32_t>(at + i);
    Batch part(TableTypes());
    part.AppendSelected(rows, sel.data(), n);
    w.Append(part);
    if (after) after();
  }
}

// Reads the selected columns of `m` into one batch.
Batch ReadAll(const BlockStore& store, std::shared_ptr<const storage::SliceManifest> m, std::vector<int> cols,
              std::vector<ZonePredicate> preds = {}, int64_t* skipped = nullptr, int64_t* read = nullptr) {
  std::vector<SqlType> types;
  for (int c : cols) types.push_back(TableTypes()[c]);
  SliceReader reader(&store, std::move(m), cols, types, std::move(preds));
  Batch all(types), batch;
  while (reader.Next(&batch)) {
    EXPECT_LE(batch.rows, kBatchSize);
    EXPECT_EQ(batch.columns.size(), cols.size());
    all.AppendAll(batch);
  }
  EXPECT_EQ(batch.rows, 0u);
  if (skipped) *skipped = reader.blocks_skipped();
  if (read) *read = reader.blocks_read();
  return all;
}

bool SameValue(const Vector& a, size_t i, const Vector& b, size_t j) {
  if (a.IsNull(i) != b.IsNull(j)) return false;
  if (a.IsNull(i)) return true;
  return DispatchPhysical(a.physical(), [&]<typename T>() { return a.data<T>()[i] == b.data<T>()[j]; });
}

class SliceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // tmpfs when there is one: these tests write hundreds of blocks, each fsynced twice.
    std::string base = std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "/tmp";
    std::string tmpl = base + "/strata_slice_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    root_ = tmpl;
    store_ = std::make_unique<BlockStore>(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  std::string root_;
  std::unique_ptr<BlockStore> store_;
};

TEST_F(SliceTest, LargeColumnsSplitIntoBlocksAndRoundTrip) {
  const size_t n = 300000;  // BIGINT: 2.4 MB -> 3 blocks; SMALLINT: 0.6 MB -> 1 block
  Batch rows = MakeRows(n, 0, 1);
  SliceWriter w(store_.get(), TableTypes(), 7, 2, nullptr);
  AppendInBatches(w, rows);
  auto m = std::make_shared<const storage::SliceManifest>(w.Finish());
  EXPECT_EQ(m->table_id(), 7);
  EXPECT_EQ(m->slice(), 2);
  EXPECT_EQ(m->row_count(), static_cast<int64_t>(n));
  ASSERT_EQ(m->columns_size(), 8);
  EXPECT_EQ(m->columns(0).blocks_size(), 3);
  EXPECT_EQ(m->columns(3).blocks_size(), 5);  // 16-byte decimals: 4.8 MB
  EXPECT_EQ(m->columns(7).blocks_size(), 1);
  for (const auto& chain : m->columns()) {
    int64_t next = 0;
    for (const auto& ref : chain.blocks()) {
      EXPECT_EQ(ref.first_row(), next);
      EXPECT_GT(ref.byte_size(), 0);
      EXPECT_TRUE(store_->Contains(ref.id()));
      next += ref.rows();
    }
    EXPECT_EQ(next, static_cast<int64_t>(n));
  }
  // Zone map of the first id block: 0 .. rows-1.
  const auto& first = m->columns(0).blocks(0);
  EXPECT_EQ(first.zone().min_i64(), 0);
  EXPECT_EQ(first.zone().max_i64(), first.rows() - 1);
  EXPECT_EQ(m->columns(3).blocks(0).zone().null_count(), (m->columns(3).blocks(0).rows() + 4) / 5);

  int64_t skipped = -1, read = -1;
  Batch out = ReadAll(*store_, m, {7, 0, 2, 3, 4, 5, 6, 1}, {}, &skipped, &read);
  ASSERT_EQ(out.rows, n);
  EXPECT_EQ(skipped, 0);
  int64_t total_blocks = 0;
  for (const auto& chain : m->columns()) total_blocks += chain.blocks_size();
  EXPECT_EQ(read, total_blocks);  // every block decoded exactly once
  const int order[] = {7, 0, 2, 3, 4, 5, 6, 1};
  for (size_t c = 0; c < 8; ++c) {
    for (size_t i = 0; i < n; ++i) {
      ASSERT_TRUE(SameValue(rows.columns[order[c]], i, out.columns[c], i)) << "column " << order[c] << " row " << i;
    }
  }
}

// With the block store's decoded cache, a string block decoded by one reader is shared with the
// next: its rows come back the same (from either), a reader that asks for the column as another
// type decodes its own, and the cache holds no more than its capacity.
TEST_F(SliceTest, DecodedStringBlocksAreSharedBetweenReaders) {
  const size_t n = 50000;
  Batch rows = MakeRows(n, 0, 5);
  SliceWriter w(store_.get(), TableTypes(), 7, 2, nullptr);
  AppendInBatches(w, rows);
  auto m = std::make_shared<const storage::SliceManifest>(w.Finish());
  store_->EnableDecodedCache(int64_t{64} << 20);  // 4 MB a shard: a block of these strings fits
  ASSERT_NE(store_->decoded_cache(), nullptr);
  auto check = [&](const Batch& out, const char* what) {
    ASSERT_EQ(out.rows, n) << what;
    for (size_t i = 0; i < n; ++i) {
      ASSERT_TRUE(SameValue(rows.columns[2], i, out.columns[0], i)) << what << " row " << i;
      ASSERT_TRUE(SameValue(rows.columns[1], i, out.columns[1], i)) << what << " row " << i;
    }
  };
  check(ReadAll(*store_, m, {2, 1}), "first read");
  EXPECT_EQ(store_->decoded_cache()->hits(), 0);
  EXPECT_GT(store_->decoded_cache()->bytes(), 0);
  EXPECT_LE(store_->decoded_cache()->bytes(), store_->decoded_cache()->capacity());
  check(ReadAll(*store_, m, {2, 1}), "second read");
  const int64_t hits = store_->decoded_cache()->hits();
  EXPECT_EQ(hits, m->columns(2).blocks_size());  // every string block came from the cache
  // The same blocks read as TEXT: not served the VARCHAR(64) vectors.
  SliceReader as_text(store_.get(), m, {2}, {SqlType::Text()}, {});
  Batch all({SqlType::Text()}), batch;
  while (as_text.Next(&batch)) all.AppendAll(batch);
  ASSERT_EQ(all.rows, n);
  for (size_t i = 0; i < n; ++i) ASSERT_TRUE(SameValue(rows.columns[2], i, all.columns[0], i)) << "row " << i;
  EXPECT_EQ(all.columns[0].type(), SqlType::Text());
  // A point read (zone maps keep one block's range) after a full one: the same rows.
  std::vector<ZonePredicate> preds(1);
  preds[0].column = 1;
  preds[0].cmp = Cmp::kEq;
  preds[0].i64 = 300;
  Batch point = ReadAll(*store_, m, {2, 1}, preds);
  size_t expected = 0;
  for (size_t i = 0; i < n; ++i) expected += rows.columns[1].data<int32_t>()[i] == 300;
  size_t found = 0;
  for (size_t i = 0; i < point.rows; ++i) found += point.columns[1].data<int32_t>()[i] == 300;
  EXPECT_EQ(found, expected);
  EXPECT_GT(expected, 0u);
}

// Under a memory budget (set_memory) the buffers never hold more than it allows: the writer cuts
// the fullest columns early, into smaller blocks, and every row still comes back in order.
// ENCODE AUTO strings (kAdaptiveEncodingFlag): a block whose values fit a 255-entry dictionary
// is BYTEDICT, one with more is the column's own encoding (LZO); without the flag LZO always.
// Every value (NULLs and empty strings included) reads back.
TEST_F(SliceTest, AdaptiveStringColumnsAreBytedictWhereTheyHaveFewValues) {
  const size_t n = 120000;
  Batch few = MakeRows(n, 0, 3);
  const std::string words[] = {"MAIL", "SHIP", "AIR", "TRUCK", "", "RAIL", "FOB"};
  for (size_t i = 0; i < n; ++i) {
    few.columns[2].SetString(i, words[(i * 7 + i / 13) % 7]);
    few.columns[2].SetNull(i, i % 17 == 0);
  }
  Batch many = MakeRows(n, 0, 4);
  const int lzo = static_cast<int>(Encoding::kLzo);
  auto write = [&](const Batch& rows, int encoding) {
    SliceWriter w(store_.get(), TableTypes(), 9, 0, nullptr);
    std::vector<int> encodings(TableTypes().size(), static_cast<int>(Encoding::kRaw));
    encodings[2] = encoding;
    w.set_encodings(encodings);
    AppendInBatches(w, rows);
    return std::make_shared<const storage::SliceManifest>(w.Finish());
  };
  struct Case {
    const Batch* rows;
    int encoding;
    storage::Encoding expect;
  };
  for (const Case& c : {Case{&few, lzo | kAdaptiveEncodingFlag, storage::ENCODING_BYTEDICT},
                        Case{&many, lzo | kAdaptiveEncodingFlag, storage::ENCODING_LZO},
                        Case{&few, lzo, storage::ENCODING_LZO}}) {
    auto m = write(*c.rows, c.encoding);
    ASSERT_GT(m->columns(2).blocks_size(), 0);
    for (const auto& ref : m->columns(2).blocks()) EXPECT_EQ(ref.encoding(), c.expect);
    for (const auto& ref : m->columns(0).blocks()) EXPECT_EQ(ref.encoding(), storage::ENCODING_RAW);
    Batch out = ReadAll(*store_, m, {2});
    ASSERT_EQ(out.rows, n);
    for (size_t i = 0; i < n; ++i) ASSERT_TRUE(SameValue(out.columns[0], i, c.rows->columns[2], i)) << i;
  }
}

TEST_F(SliceTest, BuffersKeepToTheirMemoryBudget) {
  const size_t n = 300000;
  const int64_t limit = 256 << 10;
  Batch rows = MakeRows(n, 0, 3);
  SliceWriter w(store_.get(), TableTypes(), 7, 2, nullptr);
  int64_t asked_max = 0, refused = 0;
  w.set_memory([&](int64_t bytes) {
    asked_max = std::max(asked_max, bytes);
    if (bytes > limit) ++refused;
    return bytes <= limit;
  });
  int64_t most_held = 0;
  AppendInBatches(w, rows, [&] { most_held = std::max(most_held, w.pending_bytes()); });
  EXPECT_LE(most_held, limit);
  EXPECT_GT(refused, 0);
  auto m = std::make_shared<const storage::SliceManifest>(w.Finish());
  EXPECT_EQ(w.pending_bytes(), 0);
  EXPECT_EQ(m->row_count(), static_cast<int64_t>(n));
  EXPECT_GT(m->columns(7).blocks_size(), 1);  // SMALLINT: one block without the budget
  Batch out = ReadAll(*store_, m, {0, 1, 2, 3, 4, 5, 6, 7});
  ASSERT_EQ(out.rows, n);
  for (size_t c = 0; c < 8; ++c) {
    for (size_t i = 0; i < n; ++i) {
      ASSERT_TRUE(SameValue(rows.columns[c], i, out.columns[c], i)) << "column " << c << " row " << i;
    }
  }
}

TEST_F(SliceTest, AppendingToABaseKeepsOldRows) {
  ManifestStore manifests(root_);
  Batch first = MakeRows(5000, 0, 2), second = MakeRows(3000, 5000, 3);
  SliceWriter w1(store_.get(), TableTypes(), 9, 0, nullptr);
  w1.set_block_target_bytes(8192);
  AppendInBatches(w1, first);
  std::string v1 = manifests.Put(w1.Finish());

  SliceWriter w2(store_.get(), TableTypes(), 9, 0, manifests.Get(v1));
  w2.set_block_target_bytes(8192);
  AppendInBatches(w2, second);
  storage::SliceManifest m2 = w2.Finish();
  std::string v2 = manifests.Put(m2);
  EXPECT_NE(v1, v2);
  EXPECT_EQ(m2.row_count(), 8000);
  // The base's blocks are reused as they are, but for a small last block of a column that
  // took too few rows to cut a block of its own: that one is merged with the new rows.
  auto m1 = manifests.Get(v1);
  for (int c = 0; c < 8; ++c) {
    int n1 = m1->columns(c).blocks_size();
    for (int b = 0; b + 1 < n1; ++b) EXPECT_EQ(m2.columns(c).blocks(b).id(), m1->columns(c).blocks(b).id());
    EXPECT_EQ(m2.columns(c).blocks(n1 - 1).first_row(), m1->columns(c).blocks(n1 - 1).first_row());
  }
  Batch old_version = ReadAll(*store_, manifests.Get(v1), {0, 2});
  EXPECT_EQ(old_version.rows, 5000u);  // the old version is still readable as it was
  Batch out = ReadAll(*store_, manifests.Get(v2), {0, 2});
  ASSERT_EQ(out.rows, 8000u);
  for (size_t i = 0; i < 8000; ++i) {
    const Batch& src = i < 5000 ? first : second;
    size_t j = i < 5000 ? i : i - 5000;
    ASSERT_TRUE(SameValue(src.columns[0], j, out.columns[0], i)) << i;
    ASSERT_TRUE(SameValue(src.columns[2], j, out.columns[1], i)) << i;
  }
}

// Single-row appends (INSERT ... VALUES one row at a time) keep one growing tail block per
// column instead of adding a block per statement; every version reads back whole, and a tail in
// the sorted region of a table with a sort key is left as it is.
TEST_F(SliceTest, SmallAppendsGrowOneTailBlock) {
  ManifestStore manifests(root_);
  Batch base_rows = MakeRows(3000, 0, 5);
  SliceWriter w0(store_.get(), TableTypes(), 9, 0, nullptr);
  w0.set_input_order(SliceWriter::InputOrder::kSorted);
  AppendInBatches(w0, base_rows);
  std::string v = manifests.Put(w0.Finish());
  auto base = manifests.Get(v);
  ASSERT_EQ(base->sorted_rows(), 3000);
  std::vector<std::string> versions{v};
  Batch all = MakeRows(3000, 0, 5);
  for (int i = 0; i < 60; ++i) {
    Batch one = MakeRows(1, 3000 + i, 100 + i);
    SliceWriter w(store_.get(), TableTypes(), 9, 0, manifests.Get(versions.back()));
    w.set_input_order(SliceWriter::InputOrder::kUnsorted);
    w.Append(one);
    versions.push_back(manifests.Put(w.Finish()));
    all.AppendAll(one);
  }
  auto last = manifests.Get(versions.back());
  EXPECT_EQ(last->row_count(), 3060);
  EXPECT_EQ(last->sorted_rows(), 3000);
  for (int c = 0; c < 8; ++c) {
    // The sorted base's blocks, then one block for the 60 rows after it.
    ASSERT_EQ(last->columns(c).blocks_size(), base->columns(c).blocks_size() + 1) << c;
    for (int b = 0; b < base->columns(c).blocks_size(); ++b) {
      EXPECT_EQ(last->columns(c).blocks(b).id(), base->columns(c).blocks(b).id());
    }
    EXPECT_EQ(last->columns(c).blocks(base->columns(c).blocks_size()).first_row(), 3000);
    EXPECT_EQ(last->columns(c).blocks(base->columns(c).blocks_size()).rows(), 60);
  }
  // Every version still reads as it was written (the replaced tails are still stored).
  for (size_t k = 0; k < versions.size(); k += 13) {
    Batch out = ReadAll(*store_, manifests.Get(versions[k]), {0, 1, 2, 3, 4, 5, 6, 7});
    ASSERT_EQ(out.rows, 3000 + k);
    for (size_t c = 0; c < 8; ++c) {
      for (size_t i = 0; i < out.rows; ++i) {
        ASSERT_TRUE(SameValue(all.columns[c], i, out.columns[c], i)) << "version " << k << " column " << c << " row " << i;
      }
    }
  }
  // Without a sort key the base's own small tail takes the new rows too.
  SliceWriter w1(store_.get(), TableTypes(), 10, 0, nullptr);
  w1.set_input_order(SliceWriter::InputOrder::kNoSortKey);
  w1.Append(MakeRows(5, 0, 7));
  auto m1 = manifests.Get(manifests.Put(w1.Finish()));
  SliceWriter w2(store_.get(), TableTypes(), 10, 0, m1);
  w2.set_input_order(SliceWriter::InputOrder::kNoSortKey);
  w2.Append(MakeRows(1, 5, 8));
  storage::SliceManifest m2 = w2.Finish();
  for (int c = 0; c < 8; ++c) {
    ASSERT_EQ(m2.columns(c).blocks_size(), 1);
    EXPECT_EQ(m2.columns(c).blocks(0).rows(), 6);
  }
}

TEST_F(SliceTest, NoDataAndCountOnlyScans) {
  Batch b;
  SliceReader empty(store_.get(), nullptr, {0}, {SqlType::Int64()}, {});
  EXPECT_FALSE(empty.Next(&b));
  EXPECT_EQ(b.rows, 0u);

  SliceWriter w(store_.get(), TableTypes(), 1, 0, nullptr);
  AppendInBatches(w, MakeRows(5000, 0, 4));
  auto m = std::make_shared<const storage::SliceManifest>(w.Finish());
  SliceReader count_only(store_.get(), m, {}, {}, {});
  size_t rows = 0;
  while (count_only.Next(&b)) rows += b.rows;
  EXPECT_EQ(rows, 5000u);
  EXPECT_EQ(count_only.blocks_read(), 0);
}

// The brute-force truth for one predicate on one row.
bool RowMatches(const Batch& rows, size_t i, const ZonePredicate& p, int table_column) {
  const Vector& v = rows.columns[table_column];
  if (v.IsNull(i)) return false;
  auto cmp = [&](auto a, auto b) {
    switch (p.cmp) {
      case Cmp::kEq: return a == b;
      case Cmp::kLt: return a < b;
      case Cmp::kLe: return a <= b;
      case Cmp::kGt: return a > b;
      case Cmp::kGe: return a >= b;
      default: return false;  // kIsNull / kAnyOf: not generated by this test
    }
  };
  switch (v.physical()) {
    case PhysicalType::kInt32: return cmp(static_cast<int64_t>(v.data<int32_t>()[i]), p.i64);
    case PhysicalType::kInt16: return cmp(static_cast<int64_t>(v.data<int16_t>()[i]), p.i64);
    case PhysicalType::kInt64: return cmp(v.data<int64_t>()[i], p.i64);
    case PhysicalType::kInt128: return cmp(v.data<int128>()[i], p.i128);
    case PhysicalType::kFloat64: return cmp(v.data<double>()[i], p.f64);
    case PhysicalType::kString: return cmp(v.data<std::string_view>()[i], std::string_view(p.str));
    default: return cmp(static_cast<int64_t>(v.data<uint8_t>()[i]), p.i64);
  }
}

// NextFiltered (a runtime filter's columns read first, the others for the kept rows alone)
// returns exactly the rows Next does that the filter keeps, whole and in order, whether it keeps
// none, a scattered few (read run by run), many (whole pieces decoded, then picked) or all;
// with zone-map ranges and with a row-id column; rows_returned() counts rows before the filter.
TEST_F(SliceTest, FilteredReadsReturnTheKeptRowsWhole) {
  const size_t n = 30000;
  Batch rows = MakeRows(n, 0, 9);
  SliceWriter w(store_.get(), TableTypes(), 3, 1, nullptr);
  w.set_block_target_bytes(8192);
  AppendInBatches(w, rows);
  auto m = std::make_shared<const storage::SliceManifest>(w.Finish());
  const std::vector<int> cols = {0, 1, 2, 3, kRowIdColumn, 6, 7};
  std::vector<SqlType> types;
  for (int c : cols) types.push_back(c == kRowIdColumn ? SqlType::Int64() : TableTypes()[c]);
  for (int64_t every : {int64_t{0}, int64_t{997}, int64_t{61}, int64_t{3}, int64_t{1}}) {
    for (bool pruned : {false, true}) {
      std::vector<ZonePredicate> preds;
      if (pruned) {
        ZonePredicate p;
        p.column = 1;  // k
        p.cmp = Cmp::kGt;
        p.i64 = 300;
        preds.push_back(p);
      }
      SliceReader plain(store_.get(), m, cols, types, preds), filtered(store_.get(), m, cols, types, preds);
      // Keeps rows whose id is a multiple of `every` (none when 0), reading only column 0.
      auto keep = [&](const Batch& b, std::vector<uint32_t>* sel) {
        EXPECT_EQ(b.columns[0].size(), b.rows);
        for (size_t i = 0; i < b.rows; ++i) {
          const int64_t id = b.columns[0].data<int64_t>()[i];
          if (every != 0 && id % every == 0) sel->push_back(static_cast<uint32_t>(i));
        }
        return sel->size();
      };
      Batch expect(types), got(types), b;
      while (plain.Next(&b)) {
        for (size_t i = 0; i < b.rows; ++i) {
          const int64_t id = b.columns[0].data<int64_t>()[i];
          if (every != 0 && id % every == 0) {
            uint32_t r = static_cast<uint32_t>(i);
            expect.AppendSelected(b, &r, 1);
          }
        }
      }
      while (filtered.NextFiltered(&b, {0}, keep)) {
        ASSERT_EQ(b.columns.size(), cols.size());
        for (const auto& c : b.columns) ASSERT_EQ(c.size(), b.rows);
        got.AppendAll(b);
      }
      ASSERT_EQ(got.rows, expect.rows) << every << " " << pruned;
      for (size_t c = 0; c < cols.size(); ++c) {
        for (size_t i = 0; i < got.rows; ++i) {
          ASSERT_TRUE(SameValue(expect.columns[c], i, got.columns[c], i)) << every << " column " << c << " row " << i;
        }
      }
      EXPECT_EQ(filtered.rows_returned(), plain.rows_returned());
      if (every == 0) EXPECT_LT(filtered.blocks_read(), plain.blocks_read());  // only column 0 decoded
    }
  }
}

TEST_F(SliceTest, PruningSkipsBlocksButNeverAMatchingRow) {
  const size_t n = 60000;
  Batch rows = MakeRows(n, 0, 5);
  SliceWriter w(store_.get(), TableTypes(), 3, 1, nullptr);
  w.set_block_target_bytes(8192);  // many small blocks with different boundaries per column
  AppendInBatches(w, rows);
  auto m = std::make_shared<const storage::SliceManifest>(w.Finish());

  // Output columns: 0 id, 1 k, 2 name, 3 price, 4 flag, 5 score, 6 day; predicates name them.
  const std::vector<int> cols = {0, 1, 2, 3, 4, 5, 6};
  std::mt19937_64 rng(77);
  int64_t total_skipped = 0;
  for (int trial = 0; trial < 60; ++trial) {
    std::vector<ZonePredicate> preds;
    int npreds = 1 + static_cast<int>(rng() % 2);
    for (int k = 0; k < npreds; ++k) {
      ZonePredicate p;
      p.column = 1 + static_cast<int>(rng() % 6);
      p.cmp = static_cast<Cmp>(rng() % 5);
      int64_t id = static_cast<int64_t>(rng() % n);
      p.i64 = p.column == 1 ? id / 50 : p.column == 6 ? id / 400 : static_cast<int64_t>(rng() % 2);
      p.i128 = static_cast<int128>(id) * 100 + 5;
      p.f64 = static_cast<double>(rng() % 100000) / 8;
      p.str = "n" + std::to_string(id / 1000) + "_" + std::string(rng() % 20, 'x');
      preds.push_back(p);
    }
    int64_t skipped = 0, read = 0;
    Batch out = ReadAll(*store_, m, cols, preds, &skipped, &read);
    total_skipped += skipped;
    // Every matching row is returned, in order; returned rows are real rows.
    std::vector<int64_t> expected, got;
    for (size_t i = 0; i < n; ++i) {
      bool all = true;
      for (const auto& p : preds) all = all && RowMatches(rows, i, p, cols[p.column]);
      if (all) expected.push_back(static_cast<int64_t>(i));
    }
    int64_t last = -1;
    for (size_t i = 0; i < out.rows; ++i) {
      int64_t id = out.columns[0].data<int64_t>()[i];
      ASSERT_GT(id, last);
      last = id;
      for (int c = 1; c < 7; ++c) ASSERT_TRUE(SameValue(rows.columns[c], id, out.columns[c], i));
      bool all = true;
      for (const auto& p : preds) all = all && RowMatches(rows, id, p, cols[p.column]);
      if (all) got.push_back(id);
    }
    ASSERT_EQ(got, expected) << "trial " << trial;
    int64_t total_blocks = 0;
    for (int c : cols) total_blocks += m->columns(c).blocks_size();
    EXPECT_EQ(read + skipped, total_blocks);
  }
  EXPECT_GT(total_skipped, 1000);  // the zone maps do prune
}

}  // namespace
// Evaluate-on-encoded: with RUNLENGTH and dictionary encodings the reader narrows the ranges to
// the runs and rows whose values may match (and the few rows between matches under 16 rows
// apart), inside the blocks the zone maps keep; it never drops a matching row, and on a
// RUNLENGTH column without NULLs returns exactly the matching rows.
TEST_F(SliceTest, PredicatesOnEncodedBlocksNarrowRowsButNeverDropAMatch) {
  const size_t n = 60000;
  Batch rows = MakeRows(n, 0, 9);
  SliceWriter w(store_.get(), TableTypes(), 3, 1, nullptr);
  auto id = [](Encoding e) { return static_cast<int>(e); };
  // id RAW, k BYTEDICT, name TEXT255, price RAW, flag RUNLENGTH, score RAW, day RUNLENGTH, small BYTEDICT
  w.set_encodings({id(Encoding::kRaw), id(Encoding::kBytedict), id(Encoding::kText255), id(Encoding::kRaw),
                   id(Encoding::kRunlength), id(Encoding::kRaw), id(Encoding::kRunlength), id(Encoding::kBytedict)});
  w.set_block_target_bytes(4096);  // TEXT255 blocks of ~4K rows: under 245 distinct names each
  AppendInBatches(w, rows);
  auto m = std::make_shared<const storage::SliceManifest>(w.Finish());
  EXPECT_EQ(static_cast<Encoding>(m->columns(6).blocks(0).encoding()), Encoding::kRunlength);

  const std::vector<int> cols = {0, 1, 2, 3, 4, 5, 6, 7};
  std::mt19937_64 rng(31);
  for (int trial = 0; trial < 80; ++trial) {
    ZonePredicate p;
    p.column = std::vector<int>{1, 2, 4, 6, 7}[rng() % 5];
    p.cmp = p.column == 2 ? Cmp::kEq : static_cast<Cmp>(rng() % 5);
    int64_t row = static_cast<int64_t>(rng() % n);
    p.i64 = p.column == 1 ? row / 50 : p.column == 6 ? row / 400 : p.column == 7 ? static_cast<int64_t>(rng() % 1000)
                                                                                  : static_cast<int64_t>(rng() % 2);
    p.str = std::string(rows.columns[2].data<std::string_view>()[row]);
    Batch out = ReadAll(*store_, m, cols, {p});
    std::vector<int64_t> expected, got;
    for (size_t i = 0; i < n; ++i) if (RowMatches(rows, i, p, cols[p.column])) expected.push_back(static_cast<int64_t>(i));
    for (size_t i = 0; i < out.rows; ++i) {
      int64_t r = out.columns[0].data<int64_t>()[i];
      for (int c = 1; c < 8; ++c) ASSERT_TRUE(SameValue(rows.columns[c], r, out.columns[c], i));
      if (RowMatches(rows, r, p, cols[p.column])) got.push_back(r);
    }
    ASSERT_EQ(got, expected) << "trial " << trial << " column " << p.column;
    if (p.column == 6) {
      EXPECT_EQ(out.rows, expected.size()) << "RUNLENGTH day: only the matching runs";
    }
    if (p.column == 2 && expected.size() < n / 100) {
      // A name other than "" (every 11th row) is in one window of 1000 ids: the rows read stay
      // there (matches a few rows apart are read with the rows between them).
      EXPECT_LT(out.rows, n / 10) << "a dictionary test keeps only the rows of matching entries";
    }
  }
  // An IN list of strings on TEXT255, blanks at the end ignored as Redshift compares.
  ZonePredicate in;
  in.column = 2;
  in.cmp = Cmp::kAnyOf;
  for (std::string v : {"n3_xx", "n7_  "}) {
    ZonePredicate e;
    e.cmp = Cmp::kEq;
    e.str = v;
    in.any_of.push_back(e);
  }
  Batch out = ReadAll(*store_, m, cols, {in});
  size_t want = 0;
  for (size_t i = 0; i < n; ++i) {
    std::string_view s = rows.columns[2].data<std::string_view>()[i];
    if (s == "n3_xx" || s == "n7_") ++want;
  }
  ASSERT_GT(want, 0u);
  // Every match is read; besides them only rows between matches fewer than 16 rows apart, all
  // in the two windows of 1000 ids that hold the names.
  EXPECT_GT(out.rows, want);  // "n7_" is in every 20th row or so: some matches are that close
  EXPECT_LE(out.rows, 2000u);
  for (size_t i = 0; i < out.rows; ++i) {
    const int64_t id = out.columns[0].data<int64_t>()[i];
    EXPECT_TRUE((id >= 3000 && id < 4000) || (id >= 7000 && id < 8000)) << id;
  }
}

}  // namespace strata
