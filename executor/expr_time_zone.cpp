// Time zone conversions (sql/time_zones.h): PostgreSQL's timezone(zone, ts) — what `ts AT TIME
// ZONE zone` becomes — and Redshift's CONVERT_TIMEZONE([source,] target, ts).
//   timezone(zone, timestamp)        the local time in `zone` as an instant (TIMESTAMPTZ)
//   timezone(zone, timestamptz)      the instant's local time in `zone` (TIMESTAMP)
//   convert_timezone(target, ts)     ts read as UTC, shown in `target` (TIMESTAMP)
//   convert_timezone(src, target, ts) ts read in `src`, shown in `target` (TIMESTAMP)
// A constant zone is looked up once; a zone from a column is looked up per row, through the
// zone cache of sql/time_zones.cpp.
#include <optional>

#include "executor/expr_node.h"
#include "sql/error.h"
#include "sql/time_zones.h"

namespace strata {

namespace {

enum class ZoneFn : uint8_t { kLocalToInstant, kInstantToLocal, kConvert };

class TimeZoneNode final : public ExprNode {
 public:
  TimeZoneNode(SqlType type, ZoneFn fn, NodeList args, std::vector<std::optional<TimeZone>> constant_zones)
      : ExprNode(type), fn_(fn), args_(std::move(args)), constant_(std::move(constant_zones)) {}

  const Vector& Eval(const Batch& input) override {
    const size_t n = input.rows;
    std::vector<const Vector*> v;
    for (auto& a : args_) v.push_back(&a->Eval(input));
    Vector& r = ResetResult(n);
    uint8_t* rn = r.nulls();
    for (size_t i = 0; i < n; ++i) {
      uint8_t null = 0;
      for (const Vector* x : v) null |= x->nulls()[i];
      rn[i] = null;
    }
    const size_t zones = args_.size() - 1;  // the zones come first, the timestamp last
    const int64_t* ts = v[zones]->data<int64_t>();
    int64_t* out = r.data<int64_t>();
    for (size_t i = 0; i < n; ++i) {
      if (rn[i]) continue;
      const TimeZone& first = Zone(0, *v[0], i);
      switch (fn_) {
        case ZoneFn::kLocalToInstant: out[i] = first.LocalToUtc(ts[i]); break;
        case ZoneFn::kInstantToLocal: out[i] = first.UtcToLocal(ts[i]); break;
        case ZoneFn::kConvert:
          out[i] = zones == 1 ? first.UtcToLocal(ts[i]) : Zone(1, *v[1], i).UtcToLocal(first.LocalToUtc(ts[i]));
          break;
      }
    }
    return r;
  }

 private:
  const TimeZone& Zone(size_t k, const Vector& names, size_t row) {
    if (constant_[k]) return *constant_[k];
    std::string_view name = names.data<std::string_view>()[row];
    if (!row_zone_[k] || row_name_[k] != name) {
      row_name_[k] = std::string(name);
      row_zone_[k] = TimeZone::Named(row_name_[k]);
    }
    return *row_zone_[k];
  }

  ZoneFn fn_;
  NodeList args_;
  std::vector<std::optional<TimeZone>> constant_;  // per zone argument: looked up once
  std::optional<TimeZone> row_zone_[2];            // the last zone looked up per row
  std::string row_name_[2];
};

}  // namespace

NodePtr MakeTimeZoneFunctionNode(const std::string& name, const plan::Expr& expr, NodeList& args) {
  ZoneFn fn;
  if (name == "timezone" && args.size() == 2) {
    fn = FromProtoType(expr.call().args(1).type()).id == TypeId::kTimestampTz ? ZoneFn::kInstantToLocal
                                                                              : ZoneFn::kLocalToInstant;
  } else if (name == "convert_timezone" && (args.size() == 2 || args.size() == 3)) {
    fn = ZoneFn::kConvert;
  } else {
    return nullptr;
  }
  std::vector<std::optional<TimeZone>> constant;
  for (size_t k = 0; k + 1 < args.size(); ++k) {
    const plan::Expr& z = WithoutCasts(expr.call().args(static_cast<int>(k)));
    if (z.has_literal() && !z.literal().is_null()) constant.push_back(TimeZone::Named(z.literal().str()));
    else constant.push_back(std::nullopt);
  }
  return std::make_unique<TimeZoneNode>(FromProtoType(expr.type()), fn, std::move(args), std::move(constant));
}

}  // namespace strata
