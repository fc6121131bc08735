// See stage_waves.h.
#include "server/stage_waves.h"

#include <algorithm>
#include <set>

#include "executor/stage_runner.h"

namespace strata {

namespace {

// Sinks whose rows stay on the compute nodes for a later stage: the wave may go on past them.
bool StaysOnComputeNodes(plan::SinkKind kind) {
  switch (kind) {
    case plan::SINK_HASH:
    case plan::SINK_BROADCAST:
    case plan::SINK_ROUND_ROBIN:
    case plan::SINK_TO_NODE_COPY:
    case plan::SINK_MODIFY_ROUTE: return true;
    default: return false;
  }
}

}  // namespace

void CollectExchangeReads(const google::protobuf::Message& m, std::vector<int>* out) {
  if (const auto* e = dynamic_cast<const plan::ExchangeSource*>(&m)) {
    if (std::find(out->begin(), out->end(), e->exchange_id()) == out->end()) out->push_back(e->exchange_id());
    return;
  }
  const google::protobuf::Reflection* r = m.GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const auto* f : fields) {
    if (f->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (f->is_repeated()) {
      for (int i = 0; i < r->FieldSize(m, f); ++i) CollectExchangeReads(r->GetRepeatedMessage(m, f, i), out);
    } else {
      CollectExchangeReads(r->GetMessage(m, f), out);
    }
  }
}

WavePlan PlanWaves(const google::protobuf::RepeatedPtrField<plan::Stage>& stages, bool pipelined) {
  const int n = stages.size();
  WavePlan w;
  w.streamed_reads.resize(n);
  w.announce_end.assign(n, false);
  w.memory_operators.assign(n, 0);
  w.drop_at_end.resize(n);
  std::vector<std::vector<int>> reads(n);
  std::map<int, int> producer;  // exchange -> stage whose sink it is
  for (int k = 0; k < n; ++k) {
    CollectExchangeReads(stages[k].root(), &reads[k]);
    if (StaysOnComputeNodes(stages[k].sink().kind())) producer[stages[k].sink().exchange_id()] = k;
  }
  for (int k = 0; k < n;) {
    StageWave wave;
    wave.first = k;
    wave.on_leader = stages[k].on_leader();
    if (!wave.on_leader && pipelined) {
      while (k + 1 < n && !stages[k + 1].on_leader() && StaysOnComputeNodes(stages[k].sink().kind())) ++k;
    }
    wave.last = k;
    w.waves.push_back(wave);
    ++k;
  }
  std::vector<int> wave_of(n);
  for (int i = 0; i < static_cast<int>(w.waves.size()); ++i) {
    const StageWave& wave = w.waves[i];
    int operators = 0;
    for (int k = wave.first; k <= wave.last; ++k) {
      wave_of[k] = i;
      operators += StageMemoryOperators(stages[k]);
    }
    if (wave.last == wave.first) continue;  // alone: its own count, nothing streamed
    for (int k = wave.first; k <= wave.last; ++k) {
      w.memory_operators[k] = std::max(1, operators);
      for (int e : reads[k]) {
        auto it = producer.find(e);
        if (it == producer.end() || it->second < wave.first) continue;
        w.streamed_reads[k].push_back(e);
        w.announce_end[it->second] = true;
      }
    }
  }
  // When each exchange may go: after its last reader, and in a wave of several stages only once
  // every stage of that wave touching it has ended (a reader may end early, while another
  // reader or the producer still goes on).
  std::map<int, int> last_reader;
  for (int k = 0; k < n; ++k) {
    for (int e : reads[k]) last_reader[e] = k;
  }
  for (const auto& [e, last] : last_reader) {
    const StageWave& wave = w.waves[wave_of[last]];
    std::set<int> touching;
    for (int k = wave.first; k <= wave.last; ++k) {
      if (std::find(reads[k].begin(), reads[k].end(), e) != reads[k].end()) touching.insert(k);
    }
    auto p = producer.find(e);
    if (p != producer.end() && p->second >= wave.first && p->second <= wave.last) touching.insert(p->second);
    bool compute_after = false;
    for (int k = wave.last + 1; k < n; ++k) compute_after = compute_after || !stages[k].on_leader();
    if (touching.size() <= 1) {
      w.drop_at_end[last].push_back(e);
    } else if (compute_after) {
      w.drop_after[e] = std::vector<int>(touching.begin(), touching.end());
    }
  }
  return w;
}

}  // namespace strata
