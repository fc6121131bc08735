// Redshift's workload management views over the leader's Wlm (server/wlm.h):
//   stv_wlm_service_class_config  the queues: slots, memory per slot (query_working_mem, MB),
//                                 query and user groups
//   stv_wlm_query_state           the queries queued or running now
//   stl_wlm_query                 every query that left its queue: queue and execution times
//   stl_wlm_rule_action           what query monitoring rules did
// A user sees its own queries' rows, a superuser everyone's.
#include "server/system_relations/row_writer.h"
#include "server/system_relations/shared_rows.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

void Config(const SystemRelationContext& ctx, Batch* out) {
  if (ctx.wlm == nullptr) return;
  RowBuilder rb(out);
  const auto& queues = ctx.wlm->queues();
  for (size_t i = 0; i < queues.size(); ++i) {
    const WlmQueue& q = queues[i];
    rb.Int(0, q.service_class);
    rb.Str(1, "any");
    rb.Int(2, q.slots);
    rb.Int(3, q.slots);
    rb.Int(4, q.memory_percent);
    rb.Str(5, q.name);
    rb.Str(6, Join(q.user_groups));
    rb.Str(7, Join(q.query_groups));
    rb.Int(8, static_cast<int64_t>(q.rules.size()));
    rb.Str(9, q.short_query ? "true" : "false");
    rb.Int(10, ctx.wlm->SlotMemory(i) >> 20);
    rb.EndRow();
  }
}

void QueryState(const SystemRelationContext& ctx, Batch* out) {
  if (ctx.wlm == nullptr) return;
  RowBuilder rb(out);
  const int64_t now = NowMicros2000();
  for (const auto& s : ctx.wlm->States()) {
    if (!ctx.Shows(s.user)) continue;
    rb.Int(0, s.xid);
    rb.Int(1, s.query);
    rb.Int(2, s.service_class);
    rb.Int(3, s.slots);
    rb.Timestamp(4, s.start_micros);
    rb.Str(5, s.running ? "Running" : "QueuedWaiting");
    rb.Int(6, (s.running ? s.exec_start_micros : now) - s.start_micros);
    rb.Int(7, s.running ? now - s.exec_start_micros : 0);
    rb.Int(8, s.pid);
    rb.EndRow();
  }
}

void Finished(const SystemRelationContext& ctx, Batch* out) {
  if (ctx.wlm == nullptr) return;
  RowBuilder rb(out);
  for (const auto& f : ctx.wlm->FinishedQueries()) {
    if (!ctx.Shows(f.user)) continue;
    rb.Int(0, UserIdOf(ctx.cat, f.user));
    rb.Int(1, f.xid);
    rb.Int(2, f.query);
    rb.Int(3, f.service_class);
    rb.Int(4, f.slots);
    rb.Timestamp(5, f.queue_start);
    rb.Timestamp(6, f.queue_end);
    rb.Int(7, f.queue_end - f.queue_start);
    rb.Timestamp(8, f.exec_start);
    rb.Timestamp(9, f.exec_end);
    rb.Int(10, f.exec_end - f.exec_start);
    rb.Str(11, f.final_state);
    rb.Int(12, f.pid);
    rb.EndRow();
  }
}

void RuleActions(const SystemRelationContext& ctx, Batch* out) {
  if (ctx.wlm == nullptr) return;
  RowBuilder rb(out);
  for (const auto& a : ctx.wlm->RuleActions()) {
    if (!ctx.Shows(a.user)) continue;
    rb.Int(0, UserIdOf(ctx.cat, a.user));
    rb.Int(1, a.query);
    rb.Int(2, a.service_class);
    rb.Str(3, a.rule);
    rb.Str(4, a.action);
    rb.Timestamp(5, a.record_micros);
    rb.Int(6, a.pid);
    rb.EndRow();
  }
}

const SystemRelationRegistrar kConfig("stv_wlm_service_class_config", kNotInPgClass,
                                      {{"service_class", SqlType::Int32()},
                                       {"queueing_strategy", SqlType::Char(32)},
                                       {"num_query_tasks", SqlType::Int32()},
                                       {"target_num_query_tasks", SqlType::Int32()},
                                       {"memory_percent", SqlType::Int32()},
                                       {"name", SqlType::Char(64)},
                                       {"user_group_wild_card", SqlType::Varchar(512)},
                                       {"query_group_wild_card", SqlType::Varchar(512)},
                                       {"rules", SqlType::Int32()},
                                       {"short_query_queue", SqlType::Char(8)},
                                       {"query_working_mem", SqlType::Int32()}},
                                      Config);

const SystemRelationRegistrar kState("stv_wlm_query_state", kNotInPgClass,
                                     {{"xid", SqlType::Int64()},
                                      {"query", SqlType::Int32()},
                                      {"service_class", SqlType::Int32()},
                                      {"slot_count", SqlType::Int32()},
                                      {"wlm_start_time", SqlType::Timestamp()},
                                      {"state", SqlType::Char(16)},
                                      {"queue_time", SqlType::Int64()},
                                      {"exec_time", SqlType::Int64()},
                                      {"pid", SqlType::Int32()}},
                                     QueryState);

const SystemRelationRegistrar kFinished("stl_wlm_query", kNotInPgClass,
                                        {{"userid", SqlType::Int32()},
                                         {"xid", SqlType::Int64()},
                                         {"query", SqlType::Int32()},
                                         {"service_class", SqlType::Int32()},
                                         {"slot_count", SqlType::Int32()},
                                         {"queue_start_time", SqlType::Timestamp()},
                                         {"queue_end_time", SqlType::Timestamp()},
                                         {"total_queue_time", SqlType::Int64()},
                                         {"exec_start_time", SqlType::Timestamp()},
                                         {"exec_end_time", SqlType::Timestamp()},
                                         {"total_exec_time", SqlType::Int64()},
                                         {"final_state", SqlType::Char(16)},
                                         {"pid", SqlType::Int32()}},
                                        Finished);

const SystemRelationRegistrar kRuleAction("stl_wlm_rule_action", kNotInPgClass,
                                          {{"userid", SqlType::Int32()},
                                           {"query", SqlType::Int32()},
                                           {"service_class", SqlType::Int32()},
                                           {"rule", SqlType::Char(256)},
                                           {"action", SqlType::Char(256)},
                                           {"recordtime", SqlType::Timestamp()},
                                           {"pid", SqlType::Int32()}},
                                          RuleActions);

}  // namespace
}  // namespace strata
