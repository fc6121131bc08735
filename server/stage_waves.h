// Which stages of a distributed plan run at once. A wave is a run of consecutive compute stages
// whose rows stay on the compute nodes until its last stage: they all start together and each
// reads the exchanges of the wave's earlier stages as the batches come (pipelined), so only
// the operators that need all their input (hash builds, sorts, aggregates) wait for it. A wave
// ends at a stage that sends its rows to the leader (SINK_GATHER, SINK_RESULT) or has an effect
// of its own (SINK_WRITE, SINK_MODIFY, SINK_UNLOAD), and before a leader stage, which runs
// alone once everything it reads is complete. Producers never wait for their readers (the
// inbox spills instead of blocking), so running a wave at once cannot deadlock.
#pragma once

#include <map>
#include <vector>

#include "planner/plan.pb.h"

namespace strata {

struct StageWave {
  int first = 0;  // stage indexes, both included
  int last = 0;
  bool on_leader = false;  // a single leader stage
};

struct WavePlan {
  std::vector<StageWave> waves;
  // Per stage: the exchanges it reads from a producer in its own wave (RunStage.streamed_exchanges
  // without the producer count, which is the number of slices: each sends an end marker).
  std::vector<std::vector<int>> streamed_reads;
  // Per stage: a later stage of its wave reads its sink exchange (RunStage.announce_end).
  std::vector<bool> announce_end;
  // Per stage: the memory-holding operators of its whole wave (RunStage.memory_operators).
  std::vector<int> memory_operators;
  // Per stage: exchanges it alone can let go when it ends (RunStage.drop_exchanges): it is their
  // last reader, and no other stage of its wave reads or produces them.
  std::vector<std::vector<int>> drop_at_end;
  // Per exchange whose last reader is in a wave of several stages followed by more compute
  // stages: the stages of that wave that must all have ended before the exchange may go (its
  // readers there, and its producer if there). After the last compute wave nothing needs to go
  // early: the query's end releases it all.
  std::map<int, std::vector<int>> drop_after;
};

// `pipelined` false: every compute stage is a wave of its own (they run one after another).
WavePlan PlanWaves(const google::protobuf::RepeatedPtrField<plan::Stage>& stages, bool pipelined = true);

// The exchanges an operator tree reads (its ExchangeSource nodes, wherever they sit).
void CollectExchangeReads(const google::protobuf::Message& m, std::vector<int>* out);

}  // namespace strata
