// Tests of server/stage_waves: which stages of a plan run at once, which exchanges they read
// while their producers still run, and when each exchange may be dropped.
#include "server/stage_waves.h"

#include <gtest/gtest.h>

namespace strata {
namespace {

using Stages = google::protobuf::RepeatedPtrField<plan::Stage>;

plan::Operator Scan() {
  plan::Operator op;
  op.mutable_scan()->set_table_id(1);
  return op;
}

plan::Operator Exchange(int id) {
  plan::Operator op;
  op.mutable_exchange()->set_exchange_id(id);
  return op;
}

plan::Operator Join(plan::Operator probe, plan::Operator build) {
  plan::Operator op;
  *op.mutable_hash_join()->mutable_probe() = std::move(probe);
  *op.mutable_hash_join()->mutable_build() = std::move(build);
  return op;
}

void AddStage(Stages* stages, bool on_leader, plan::Operator root, plan::SinkKind sink, int exchange) {
  plan::Stage* s = stages->Add();
  s->set_id(stages->size() - 1);
  s->set_on_leader(on_leader);
  *s->mutable_root() = std::move(root);
  s->mutable_sink()->set_kind(sink);
  s->mutable_sink()->set_exchange_id(exchange);
}

// scan -> hash(1); scan -> broadcast(2); join(1, 2) -> gather(3); the leader reads 3 and
// broadcasts 4; a compute stage reads 4 and gathers 5; the leader returns 5.
TEST(StageWaves, ComputeStagesUpToTheGatherRunAsOneWave) {
  Stages st;
  AddStage(&st, false, Scan(), plan::SINK_HASH, 1);
  AddStage(&st, false, Scan(), plan::SINK_BROADCAST, 2);
  AddStage(&st, false, Join(Exchange(1), Exchange(2)), plan::SINK_GATHER, 3);
  AddStage(&st, true, Exchange(3), plan::SINK_BROADCAST, 4);
  AddStage(&st, false, Join(Scan(), Exchange(4)), plan::SINK_GATHER, 5);
  AddStage(&st, true, Exchange(5), plan::SINK_RESULT, 0);
  WavePlan w = PlanWaves(st);
  ASSERT_EQ(w.waves.size(), 4u);
  EXPECT_EQ(w.waves[0].first, 0);
  EXPECT_EQ(w.waves[0].last, 2);
  EXPECT_FALSE(w.waves[0].on_leader);
  EXPECT_EQ(w.waves[1].first, 3);
  EXPECT_TRUE(w.waves[1].on_leader);
  EXPECT_EQ(w.streamed_reads[2], (std::vector<int>{1, 2}));
  EXPECT_TRUE(w.announce_end[0]);
  EXPECT_TRUE(w.announce_end[1]);
  EXPECT_FALSE(w.announce_end[2]);
  EXPECT_EQ(w.memory_operators[2], 1);  // the join
  // 1 and 2 go once the join and their producer have both ended (a compute stage follows);
  // 3 with the leader's stage, 4 with its one reader.
  EXPECT_EQ(w.drop_after.at(1), (std::vector<int>{0, 2}));
  EXPECT_EQ(w.drop_after.at(2), (std::vector<int>{1, 2}));
  EXPECT_EQ(w.drop_at_end[3], (std::vector<int>{3}));
  EXPECT_EQ(w.drop_at_end[4], (std::vector<int>{4}));
  EXPECT_TRUE(w.drop_at_end[2].empty());
  EXPECT_EQ(w.drop_after.size(), 2u);
}

// In the last compute wave nothing is dropped early: the query's end releases it.
TEST(StageWaves, TheLastComputeWaveDropsNothingEarly) {
  Stages st;
  AddStage(&st, false, Scan(), plan::SINK_HASH, 1);
  AddStage(&st, false, Exchange(1), plan::SINK_GATHER, 2);
  AddStage(&st, true, Exchange(2), plan::SINK_RESULT, 0);
  WavePlan w = PlanWaves(st);
  ASSERT_EQ(w.waves.size(), 2u);
  EXPECT_TRUE(w.drop_after.empty());
  EXPECT_TRUE(w.announce_end[0]);
  EXPECT_EQ(w.streamed_reads[1], (std::vector<int>{1}));
}

// A gather to the leader ends a wave; a leader stage runs alone; a write ends its wave; an
// exchange made in an earlier wave is read whole, not streamed.
TEST(StageWaves, GathersLeaderStagesAndWritesEndAWave) {
  Stages st;
  AddStage(&st, false, Scan(), plan::SINK_HASH, 1);                  // 0
  AddStage(&st, false, Exchange(1), plan::SINK_GATHER, 2);           // 1: ends the wave
  AddStage(&st, true, Exchange(2), plan::SINK_BROADCAST, 3);         // 2: the leader, alone
  AddStage(&st, false, Join(Exchange(1), Exchange(3)), plan::SINK_WRITE, 0);  // 3: alone
  WavePlan w = PlanWaves(st);
  ASSERT_EQ(w.waves.size(), 3u);
  EXPECT_EQ(w.waves[0].last, 1);
  EXPECT_EQ(w.waves[1].first, 2);
  EXPECT_EQ(w.waves[2].first, 3);
  EXPECT_EQ(w.waves[2].last, 3);
  EXPECT_EQ(w.streamed_reads[1], (std::vector<int>{1}));
  EXPECT_TRUE(w.streamed_reads[3].empty());
  EXPECT_EQ(w.memory_operators[3], 0);  // alone: its own count
  // Exchange 1's last reader is stage 3, alone in its wave: it drops 1 and 3 when it ends.
  EXPECT_EQ(w.drop_at_end[3], (std::vector<int>{1, 3}));
  EXPECT_EQ(w.drop_at_end[2], (std::vector<int>{2}));
  EXPECT_TRUE(w.drop_after.empty());
}

// Not pipelined: each stage alone, nothing streamed, each exchange dropped by its last reader.
TEST(StageWaves, WithoutPipeliningEveryStageIsItsOwnWave) {
  Stages st;
  AddStage(&st, false, Scan(), plan::SINK_HASH, 1);
  AddStage(&st, false, Scan(), plan::SINK_BROADCAST, 2);
  AddStage(&st, false, Join(Exchange(1), Exchange(2)), plan::SINK_GATHER, 3);
  AddStage(&st, true, Exchange(3), plan::SINK_RESULT, 0);
  WavePlan w = PlanWaves(st, false);
  ASSERT_EQ(w.waves.size(), 4u);
  for (int k = 0; k < 4; ++k) {
    EXPECT_EQ(w.waves[k].first, k);
    EXPECT_EQ(w.waves[k].last, k);
    EXPECT_TRUE(w.streamed_reads[k].empty());
    EXPECT_FALSE(w.announce_end[k]);
    EXPECT_EQ(w.memory_operators[k], 0);
  }
  EXPECT_EQ(w.drop_at_end[2], (std::vector<int>{1, 2}));
  EXPECT_TRUE(w.drop_after.empty());
}

TEST(StageWaves, ASingleStagePlanIsOneWave) {
  Stages st;
  AddStage(&st, true, Scan(), plan::SINK_RESULT, 0);
  WavePlan w = PlanWaves(st);
  ASSERT_EQ(w.waves.size(), 1u);
  EXPECT_TRUE(w.waves[0].on_leader);
}

}  // namespace
}  // namespace strata
