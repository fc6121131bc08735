// Append (inputs in turn, relabelled to the output types) and Repeat (each row `count` times,
// across batch boundaries, none for NULL or counts below 1; with an ordinal, numbered).
#include <gtest/gtest.h>

#include "executor/set_operators.h"
#include "planner/expr_builder.h"
#include "tests/unit/executor/batch_source.h"

namespace strata {
namespace {

// One batch of (value int32, count bigint) rows; a count of -1 stands for NULL.
Batch Counted(const std::vector<std::pair<int32_t, int64_t>>& rows) {
  Batch b({SqlType::Int32(), SqlType::Int64()});
  b.SetRows(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    b.columns[0].data<int32_t>()[i] = rows[i].first;
    b.columns[1].data<int64_t>()[i] = rows[i].second;
    b.columns[1].SetNull(i, rows[i].second == -1);
  }
  return b;
}

std::vector<int32_t> Drain(Operator* op, size_t* batches = nullptr) {
  std::vector<int32_t> out;
  Batch b;
  while (op->Next(&b)) {
    EXPECT_GT(b.rows, 0u);
    EXPECT_LE(b.rows, kBatchSize);
    if (batches) ++*batches;
    for (size_t i = 0; i < b.rows; ++i) out.push_back(b.columns[0].data<int32_t>()[i]);
  }
  return out;
}

plan::Repeat RepeatByColumn1() {
  plan::Repeat spec;
  *spec.mutable_count() = ColumnExpr(1, SqlType::Int64());
  return spec;
}

TEST(RepeatOperator, CopiesEachRowCountTimes) {
  std::vector<Batch> in;
  in.push_back(Counted({{1, 2}, {2, 0}, {3, -1}, {4, 1}, {5, -3}}));
  in.push_back(Counted({{6, 3}}));
  plan::Repeat spec = RepeatByColumn1();
  OperatorPtr op = MakeRepeat(spec, std::make_unique<BatchSource>(std::move(in)));
  EXPECT_EQ(Drain(op.get()), (std::vector<int32_t>{1, 1, 4, 6, 6, 6}));
}

TEST(RepeatOperator, ManyCopiesSpanBatches) {
  std::vector<Batch> in;
  in.push_back(Counted({{7, 5000}, {8, 1}}));
  plan::Repeat spec = RepeatByColumn1();
  OperatorPtr op = MakeRepeat(spec, std::make_unique<BatchSource>(std::move(in)));
  size_t batches = 0;
  std::vector<int32_t> out = Drain(op.get(), &batches);
  ASSERT_EQ(out.size(), 5001u);
  EXPECT_EQ(std::count(out.begin(), out.end(), 7), 5000);
  EXPECT_EQ(out.back(), 8);
  EXPECT_EQ(batches, 3u);
}

// With an ordinal (set-returning functions), each copy carries its number, 1..count, also when
// a row's copies continue in the next batch.
TEST(RepeatOperator, NumbersTheCopies) {
  std::vector<Batch> in;
  in.push_back(Counted({{1, 2}, {2, 0}, {3, 1}, {4, 3000}}));
  plan::Repeat spec = RepeatByColumn1();
  spec.set_ordinal(true);
  OperatorPtr op = MakeRepeat(spec, std::make_unique<BatchSource>(std::move(in)));
  std::vector<std::pair<int32_t, int64_t>> out;
  Batch b;
  while (op->Next(&b)) {
    ASSERT_EQ(b.columns.size(), 3u);
    for (size_t i = 0; i < b.rows; ++i) out.push_back({b.columns[0].data<int32_t>()[i], b.columns[2].data<int64_t>()[i]});
  }
  ASSERT_EQ(out.size(), 3003u);
  EXPECT_EQ(out[0], (std::pair<int32_t, int64_t>{1, 1}));
  EXPECT_EQ(out[1], (std::pair<int32_t, int64_t>{1, 2}));
  EXPECT_EQ(out[2], (std::pair<int32_t, int64_t>{3, 1}));
  for (int64_t k = 1; k <= 3000; ++k) EXPECT_EQ(out[static_cast<size_t>(2 + k)], (std::pair<int32_t, int64_t>{4, k}));
}

TEST(AppendOperator, ReadsInputsInTurnAsTheOutputTypes) {
  auto strings = [](const std::vector<std::string>& v, const SqlType& t) {
    Batch b({t});
    b.SetRows(v.size());
    for (size_t i = 0; i < v.size(); ++i) b.columns[0].SetString(i, v[i]);
    return b;
  };
  std::vector<Batch> a, b, empty;
  a.push_back(strings({"x", "y"}, SqlType::Varchar(3)));
  b.push_back(Batch({SqlType::Text()}));  // an empty batch is skipped
  b.push_back(strings({"zzzz"}, SqlType::Text()));
  plan::Append spec;
  *spec.add_types() = ToProtoType(SqlType::Text());
  std::vector<OperatorPtr> inputs;
  inputs.push_back(std::make_unique<BatchSource>(std::move(a)));
  inputs.push_back(std::make_unique<BatchSource>(std::move(empty)));
  inputs.push_back(std::make_unique<BatchSource>(std::move(b)));
  OperatorPtr op = MakeAppend(spec, std::move(inputs));
  std::vector<std::string> got;
  Batch out;
  while (op->Next(&out)) {
    ASSERT_GT(out.rows, 0u);
    EXPECT_EQ(out.columns[0].type(), SqlType::Text());
    for (size_t i = 0; i < out.rows; ++i) got.emplace_back(out.columns[0].data<std::string_view>()[i]);
  }
  EXPECT_EQ(got, (std::vector<std::string>{"x", "y", "zzzz"}));
}

}  // namespace
}  // namespace strata
