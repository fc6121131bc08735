// Explicit window frames: each row's frame as a range of rows (see window_frame.h).
#include "executor/window_frame.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

#include "executor/calendar_math.h"
#include "executor/expression.h"
#include "sql/error.h"

namespace strata {

FrameBounds::FrameBounds(const plan::GeneralFrame& frame) : frame_(frame) {}

// The offsets are constants; they are evaluated (and checked) when the first rows arrive, so an
// empty input fails on none of them, as in PostgreSQL.
void FrameBounds::Prepare() {
  if (prepared_) return;
  start_ = Evaluate(frame_.start(), true);
  end_ = Evaluate(frame_.end(), false);
  prepared_ = true;
}

FrameBounds::Bound FrameBounds::Evaluate(const plan::FrameBound& b, bool start) const {
  Bound out;
  out.kind = b.kind();
  if (b.kind() != plan::BOUND_PRECEDING && b.kind() != plan::BOUND_FOLLOWING) return out;
  const char* which = start ? "starting" : "ending";
  bool range = frame_.mode() == plan::FRAME_RANGE;
  auto negative = [&] {
    if (range) throw SqlError(sqlstate::kInvalidPrecedingOrFollowingSize, "invalid preceding or following size in window function");
    throw SqlError(sqlstate::kInvalidPrecedingOrFollowingSize, StrCat("frame ", which, " offset must not be negative"));
  };
  if (!b.has_offset()) {  // an interval
    out.interval = true;
    out.months = b.months();
    out.days = b.days();
    out.micros = b.micros();
    if (out.months < 0 || out.days < 0 || out.micros < 0) negative();
    return out;
  }
  Vector v = EvaluateConstant(b.offset());
  if (v.IsNull(0)) throw SqlError(sqlstate::kNullValueNotAllowed, StrCat("frame ", which, " offset must not be null"));
  switch (v.physical()) {
    case PhysicalType::kInt64: out.count = v.data<int64_t>()[0]; out.wide = out.count; out.real = static_cast<double>(out.count); break;
    case PhysicalType::kInt128: out.wide = v.data<int128>()[0]; break;
    case PhysicalType::kFloat64: out.real = v.data<double>()[0]; break;
    default: STRATA_INTERNAL_ERROR("frame offset of an unexpected type");
  }
  if (out.count < 0 || out.wide < 0 || out.real < 0 || std::isnan(out.real)) negative();
  return out;
}

namespace {

// A key value widened for adding an offset without overflow.
template <typename T>
auto Widen(T v) {
  if constexpr (std::is_floating_point_v<T>) return static_cast<double>(v);
  else return static_cast<int128>(v);
}

}  // namespace

namespace {

// a < b where NaN is greater than every number (how the keys are sorted, as in PostgreSQL).
bool NanLastLess(double a, double b) {
  if (std::isnan(a)) return false;
  if (std::isnan(b)) return true;
  return a < b;
}

// The first row of [lo, hi) for which before(row) is false (before is true, then false).
template <typename Before>
size_t FirstNotBefore(size_t lo, size_t hi, Before before) {
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

}  // namespace

// A RANGE edge over a float key, by PostgreSQL's in_range for floats: a NaN key's frame is the
// NaN rows (NaNs are peers, greater than every number); infinite offsets reach every number,
// also from an infinite key where key ± offset would be NaN.
template <typename T>
size_t FrameBounds::FloatRangeEdge(const T* d, double offset, int dir, bool desc, bool start, size_t i, size_t from,
                                   size_t to) const {
  auto is_nan = [&](size_t j) { return std::isnan(static_cast<double>(d[j])); };
  // The non-NaN rows are [from, nan_at) ascending, [nan_end, to) descending.
  auto numbers_begin = [&] { return desc ? FirstNotBefore(from, to, is_nan) : from; };
  auto numbers_end = [&] { return desc ? to : FirstNotBefore(from, to, [&](size_t j) { return !is_nan(j); }); };
  const double base = static_cast<double>(d[i]);
  if (std::isnan(base)) {
    size_t nan_begin = desc ? from : numbers_end();
    size_t nan_end = desc ? numbers_begin() : to;
    return start ? nan_begin : nan_end;
  }
  if (std::isinf(offset) && std::isinf(base) && (base > 0) != (dir > 0)) {
    return start ? numbers_begin() : numbers_end();  // base ± offset is NaN: every number is in range
  }
  const double target = base + dir * offset;
  return FirstNotBefore(from, to, [&](size_t j) {
    double v = static_cast<double>(d[j]);
    if (start) return desc ? NanLastLess(target, v) : NanLastLess(v, target);
    return desc ? !NanLastLess(v, target) : !NanLastLess(target, v);
  });
}

size_t FrameBounds::RangeEdge(const Bound& b, bool start, const Vector& key, bool desc, size_t i, size_t from, size_t to) const {
  // target = key[i] -/+ offset, toward "preceding" or "following" in the sort's direction.
  int dir = (b.kind == plan::BOUND_FOLLOWING ? 1 : -1) * (desc ? -1 : 1);
  bool is_date = key.type().id == TypeId::kDate;
  // A time key moves by the interval's time part without wrapping at midnight (PostgreSQL's
  // in_range_time_interval).
  bool is_time = key.type().is_time();
  return DispatchPhysical(key.physical(), [&]<typename T>() -> size_t {
    if constexpr (std::is_same_v<T, std::string_view> || std::is_same_v<T, uint8_t>) {
      STRATA_INTERNAL_ERROR("RANGE offset over a key of an unexpected type");
    } else {
      const T* d = key.data<T>();
      if constexpr (std::is_floating_point_v<T>) {
        if (!b.interval) return FloatRangeEdge(d, b.real, dir, desc, start, i, from, to);
      }
      using W = decltype(Widen(T{}));
      auto value = [&](size_t j) -> W {
        if (b.interval && is_date) return static_cast<W>(static_cast<int128>(d[j]) * kMicrosPerDayCal);
        return Widen(d[j]);
      };
      W target;
      if (b.interval && is_time) {
        target = static_cast<W>(static_cast<int128>(d[i]) + dir * static_cast<int128>(b.micros));
      } else if (b.interval) {
        int64_t micros = is_date ? static_cast<int64_t>(d[i]) * kMicrosPerDayCal : static_cast<int64_t>(d[i]);
        target = static_cast<W>(AddIntervalMicros(micros, dir * static_cast<int64_t>(b.months), dir * static_cast<int64_t>(b.days), dir * b.micros));
      } else if constexpr (std::is_floating_point_v<T>) {
        target = Widen(d[i]) + dir * b.real;
      } else {
        int128 off = key.physical() == PhysicalType::kInt128 || key.type().id == TypeId::kDecimal ? b.wide : static_cast<int128>(b.count);
        int128 t;
        if (__builtin_add_overflow(static_cast<int128>(d[i]), dir > 0 ? off : -off, &t)) {
          t = dir > 0 ? std::numeric_limits<int128>::max() : std::numeric_limits<int128>::min();
        }
        target = t;
      }
      // Rows before the edge: for a start, those the frame does not reach yet; for an end, those
      // it holds.
      auto before = [&](size_t j) {
        W v = value(j);
        if (start) return desc ? v > target : v < target;
        return desc ? v >= target : v <= target;
      };
      size_t lo = from, hi = to;
      while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (before(mid)) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    }
  });
}

void FrameBounds::Compute(size_t n, const uint8_t* part_flags, const uint8_t* peer_flags, const Vector* key, bool desc,
                          std::vector<uint32_t>* lo, std::vector<uint32_t>* hi) {
  lo->resize(n);
  hi->resize(n);
  if (n == 0) return;
  Prepare();
  const plan::FrameMode mode = frame_.mode();
  for (size_t ps = 0; ps < n;) {
    size_t pe = ps + 1;
    while (pe < n && !part_flags[pe]) ++pe;
    // Peer groups of the partition (GROUPS, and CURRENT ROW in RANGE / GROUPS).
    group_start_.clear();
    for (size_t i = ps; i < pe; ++i) {
      if (i == ps || peer_flags[i]) group_start_.push_back(static_cast<uint32_t>(i));
    }
    size_t groups = group_start_.size();
    auto group_end = [&](size_t g) { return g + 1 < groups ? group_start_[g + 1] : pe; };
    // RANGE with offsets: the partition's non-NULL keys, [nn_lo, nn_hi) (NULLs sort together at
    // one end).
    size_t nn_lo = ps, nn_hi = pe;
    if (key != nullptr && mode == plan::FRAME_RANGE) {
      while (nn_lo < pe && key->IsNull(nn_lo)) ++nn_lo;
      while (nn_hi > nn_lo && key->IsNull(nn_hi - 1)) --nn_hi;
    }
    size_t g = 0;
    for (size_t i = ps; i < pe; ++i) {
      while (g + 1 < groups && group_start_[g + 1] <= i) ++g;
      auto edge = [&](const Bound& b, bool start) -> size_t {
        switch (b.kind) {
          case plan::BOUND_UNBOUNDED_PRECEDING: return ps;
          case plan::BOUND_UNBOUNDED_FOLLOWING: return pe;
          case plan::BOUND_CURRENT_ROW:
            if (mode == plan::FRAME_ROWS) return start ? i : i + 1;
            return start ? group_start_[g] : group_end(g);
          default: break;
        }
        bool preceding = b.kind == plan::BOUND_PRECEDING;
        if (mode == plan::FRAME_ROWS) {
          // The row `count` rows away, and for an end the row after it; clamped to the partition.
          int128 r = static_cast<int128>(i) + (preceding ? -static_cast<int128>(b.count) : static_cast<int128>(b.count)) + (start ? 0 : 1);
          return static_cast<size_t>(std::clamp<int128>(r, ps, pe));
        }
        if (mode == plan::FRAME_GROUPS) {
          int128 t = static_cast<int128>(g) + (preceding ? -static_cast<int128>(b.count) : static_cast<int128>(b.count));
          if (t < 0) return ps;
          if (t >= static_cast<int128>(groups)) return pe;
          return start ? group_start_[static_cast<size_t>(t)] : group_end(static_cast<size_t>(t));
        }
        // RANGE: a NULL key's frame is the NULL rows (its peer group).
        if (key->IsNull(i)) return start ? group_start_[g] : group_end(g);
        return RangeEdge(b, start, *key, desc, i, nn_lo, nn_hi);
      };
      size_t l = edge(start_, true);
      size_t h = edge(end_, false);
      (*lo)[i] = static_cast<uint32_t>(l);
      (*hi)[i] = static_cast<uint32_t>(std::max(l, h));
    }
    ps = pe;
  }
}

}  // namespace strata
