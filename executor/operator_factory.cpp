#include "executor/operator_factory.h"

#include "executor/batch_queue.h"
#include "executor/step_profile.h"

#include "executor/basic_operators.h"
#include "executor/file_scan.h"
#include "executor/hash_aggregate.h"
#include "executor/hash_join.h"
#include "executor/identity_fill.h"
#include "executor/set_operators.h"
#include "executor/sort_operator.h"
#include "executor/window_operator.h"
#include "planner/aggregate_layout.h"
#include "planner/expr_builder.h"
#include "planner/join_shape.h"
#include "sql/error.h"

namespace strata {

namespace {


std::vector<SqlType> JoinOutputTypes(plan::JoinType type, const plan::Operator& probe, const plan::Operator& build) {
  std::vector<SqlType> t = OutputTypes(probe);
  switch (ShapeOf(type)) {
    case JoinShape::kProbeOnly: break;
    case JoinShape::kProbeAndFlag: t.push_back(SqlType::Bool()); break;
    case JoinShape::kBuildOnly: return OutputTypes(build);
    case JoinShape::kBothSides: {
      std::vector<SqlType> b = OutputTypes(build);
      t.insert(t.end(), b.begin(), b.end());
      break;
    }
  }
  return t;
}

}  // namespace

std::vector<SqlType> OutputTypes(const plan::Operator& op) {
  std::vector<SqlType> t;
  switch (op.kind_case()) {
    case plan::Operator::kScan:
      for (const auto& x : op.scan().types()) t.push_back(FromProtoType(x));
      return t;
    case plan::Operator::kExchange:
      for (const auto& x : op.exchange().types()) t.push_back(FromProtoType(x));
      return t;
    case plan::Operator::kValues:
      for (const auto& x : op.values().types()) t.push_back(FromProtoType(x));
      return t;
    case plan::Operator::kFileScan:
      for (const auto& x : op.file_scan().types()) t.push_back(FromProtoType(x));
      return t;
    case plan::Operator::kFilter: return OutputTypes(op.filter().input());
    case plan::Operator::kProject:
      for (const auto& e : op.project().exprs()) t.push_back(FromProtoType(e.type()));
      return t;
    case plan::Operator::kAggregate: {
      const auto& a = op.aggregate();
      for (const auto& g : a.groups()) t.push_back(FromProtoType(g.type()));
      for (const auto& s : a.aggs()) {
        if (a.mode() == plan::PARTIAL) {
          for (const auto& x : PartialStateTypes(s)) t.push_back(x);
        } else {
          t.push_back(FromProtoType(s.result_type()));
        }
      }
      return t;
    }
    case plan::Operator::kHashJoin:
      return JoinOutputTypes(op.hash_join().type(), op.hash_join().probe(), op.hash_join().build());
    case plan::Operator::kNestedLoopJoin:
      return JoinOutputTypes(op.nested_loop_join().type(), op.nested_loop_join().probe(),
                             op.nested_loop_join().build());
    case plan::Operator::kSort: return OutputTypes(op.sort().input());
    case plan::Operator::kLimit: return OutputTypes(op.limit().input());
    case plan::Operator::kWindow:
      t = OutputTypes(op.window().input());
      for (const auto& f : op.window().funcs()) t.push_back(FromProtoType(f.result_type()));
      return t;
    case plan::Operator::kAppend:
      for (const auto& x : op.append().types()) t.push_back(FromProtoType(x));
      return t;
    case plan::Operator::kIdentityFill:
      t = OutputTypes(op.identity_fill().input());
      if (op.identity_fill().append_ordinal()) t.push_back(SqlType::Int64());
      return t;
    case plan::Operator::kRepeat: {
      std::vector<SqlType> types = OutputTypes(op.repeat().input());
      if (op.repeat().ordinal()) types.push_back(SqlType::Int64());
      return types;
    }
    default: STRATA_INTERNAL_ERROR("operator without a kind");
  }
}

namespace {

OperatorPtr BuildBareOperator(const plan::Operator& op, const ExecContext& ctx);

}  // namespace

OperatorPtr BuildOperator(const plan::Operator& op, const ExecContext& ctx) {
  if (ctx.profile == nullptr) return BuildBareOperator(op, ctx);
  plan::StepStat* step = ctx.profile->Open(StepLabel(op));
  return MakeProfiled(BuildBareOperator(op, ctx), step);
}

namespace {

OperatorPtr BuildBareOperator(const plan::Operator& op, const ExecContext& ctx) {
  switch (op.kind_case()) {
    case plan::Operator::kScan: return MakeScan(op.scan(), {}, ctx);
    case plan::Operator::kExchange:
      if (ctx.streams != nullptr) {
        auto it = ctx.streams->find(op.exchange().exchange_id());
        if (it != ctx.streams->end()) return MakeQueueSource(it->second, ctx);
      }
      return MakeExchangeSource(op.exchange(), ctx);
    case plan::Operator::kValues: return MakeValues(op.values());
    case plan::Operator::kFileScan: return MakeFileScan(op.file_scan(), ctx);
    case plan::Operator::kFilter: {
      const auto& f = op.filter();
      OperatorPtr input;
      plan::ScanStat* scan_stat = nullptr;
      if (f.input().has_scan()) {
        std::vector<const plan::Expr*> conj;
        ConjunctsOf(f.predicate(), &conj);
        input = MakeScan(f.input().scan(), conj, ctx, &scan_stat);
      } else {
        input = BuildOperator(f.input(), ctx);
      }
      return MakeFilter(f.predicate(), std::move(input), scan_stat);
    }
    case plan::Operator::kProject: return MakeProject(op.project(), BuildOperator(op.project().input(), ctx));
    case plan::Operator::kAggregate:
      return MakeHashAggregate(op.aggregate(), BuildOperator(op.aggregate().input(), ctx), ctx);
    case plan::Operator::kHashJoin: {
      const auto& j = op.hash_join();
      return MakeHashJoin(j, BuildOperator(j.probe(), ctx), BuildOperator(j.build(), ctx), OutputTypes(j.probe()),
                          OutputTypes(j.build()), ctx);
    }
    case plan::Operator::kNestedLoopJoin: {
      const auto& j = op.nested_loop_join();
      return MakeNestedLoopJoin(j, BuildOperator(j.probe(), ctx), BuildOperator(j.build(), ctx), OutputTypes(j.build()),
                                ctx);
    }
    case plan::Operator::kSort:
      return MakeSort(op.sort(), BuildOperator(op.sort().input(), ctx), OutputTypes(op.sort().input()), ctx);
    case plan::Operator::kLimit: return MakeLimit(op.limit(), BuildOperator(op.limit().input(), ctx));
    case plan::Operator::kWindow:
      return MakeWindow(op.window(), BuildOperator(op.window().input(), ctx), OutputTypes(op.window().input()), ctx);
    case plan::Operator::kAppend: {
      std::vector<OperatorPtr> inputs;
      for (const auto& in : op.append().inputs()) inputs.push_back(BuildOperator(in, ctx));
      return MakeAppend(op.append(), std::move(inputs));
    }
    case plan::Operator::kRepeat: return MakeRepeat(op.repeat(), BuildOperator(op.repeat().input(), ctx));
    case plan::Operator::kIdentityFill:
      return MakeIdentityFill(op.identity_fill(), BuildOperator(op.identity_fill().input(), ctx), ctx);
    default: STRATA_INTERNAL_ERROR("operator without a kind");
  }
}

}  // namespace

}  // namespace strata
