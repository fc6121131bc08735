// WITH RECURSIVE on the leader: each RecursiveCte of a statement (planner/logical_plan.h) is
// computed round by round before the statement's plan runs. The base query runs once; then the
// step query runs with its working table (the rows the previous round added) until a round
// adds no row. With UNION (not ALL) a round keeps only rows not seen before, so a query over a
// cycle ends. The rows are held here, counted against the query's memory (53200 past it), and
// served to the plans that read them through the same path as the system tables; each round
// is a query of its own, so cancel and statement_timeout stop a recursion that does not end.
#include <unordered_set>

#include "planner/binder.h"
#include "planner/physical_planner.h"
#include "server/leader_session.h"
#include "sql/error.h"
#include "sql/value_text.h"

namespace strata {

namespace {

// Row `r` of `b` as bytes that are equal exactly when the rows are the same values (NULLs equal
// to each other, as UNION compares them).
std::string RowKey(const Batch& b, size_t r) {
  std::string key;
  for (const Vector& v : b.columns) {
    if (v.IsNull(r)) {
      key.push_back('\0');
      continue;
    }
    key.push_back('\1');
    DispatchPhysical(v.physical(), [&]<typename T>() {
      T x = v.data<T>()[r];
      if constexpr (std::is_same_v<T, std::string_view>) {
        if (v.type().id == TypeId::kChar) x = TrimTrailingBlanks(x);
        uint32_t n = static_cast<uint32_t>(x.size());
        key.append(reinterpret_cast<const char*>(&n), sizeof n);
        key.append(x.data(), x.size());
      } else {
        if constexpr (std::is_floating_point_v<T>) {
          if (x == 0) x = 0;  // -0 is 0
        }
        key.append(reinterpret_cast<const char*>(&x), sizeof x);
      }
    });
  }
  return key;
}

}  // namespace

void LeaderSession::ComputeRecursive(const BoundStatement& b) {
  const int64_t budget = QueryMemory();
  for (const RecursiveCte& cte : b.recursive_ctes) {
    std::vector<SqlType> types;
    for (const auto& c : cte.columns) types.push_back(c.type);
    std::vector<std::shared_ptr<const Batch>>& result = leader_relations_[cte.result_name];
    std::unordered_set<std::string> seen;  // UNION: every row kept so far
    int64_t held = 0;
    // Keeps the rows of `out` that are new (all of them for UNION ALL) as one batch; returns it.
    auto keep = [&](QueryOutcome out) {
      auto fresh = std::make_shared<Batch>(types);
      std::vector<uint32_t> sel;
      for (const Batch& batch : out.rows) {
        sel.clear();
        for (size_t r = 0; r < batch.rows; ++r) {
          if (cte.union_all) {
            sel.push_back(static_cast<uint32_t>(r));
            continue;
          }
          std::string key = RowKey(batch, r);
          size_t key_bytes = key.size() + 32;
          if (seen.insert(std::move(key)).second) {
            sel.push_back(static_cast<uint32_t>(r));
            held += static_cast<int64_t>(key_bytes);
          }
        }
        fresh->AppendSelected(batch, sel.data(), sel.size());
      }
      held += static_cast<int64_t>(fresh->EstimatedBytes());
      if (budget > 0 && held > budget) {
        throw SqlError(sqlstate::kOutOfMemory, StrCat("recursive query \"", cte.name, "\" holds more than the query's memory (",
                                                      budget, " bytes); it may not end"));
      }
      std::shared_ptr<const Batch> kept = fresh;
      result.push_back(kept);
      return kept;
    };
    std::shared_ptr<const Batch> added = keep(RunPlan(PlanQuery(*cte.base, ctx_.cluster->shape()), ctx_.cluster->NextQueryId()));
    PhysicalPlan step = PlanQuery(*cte.step, ctx_.cluster->shape());
    while (added->rows > 0) {
      if (cancelled_.load()) throw SqlError(sqlstate::kQueryCanceled, "canceling statement due to user request");
      leader_relations_[cte.working_name] = {added};
      added = keep(RunPlan(step, ctx_.cluster->NextQueryId()));
    }
    leader_relations_.erase(cte.working_name);
  }
}

}  // namespace strata
