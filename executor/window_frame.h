// Explicit window frames (plan::GeneralFrame: ROWS, RANGE or GROUPS between two bounds, such as
// ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING or RANGE BETWEEN INTERVAL '7 days' PRECEDING AND
// CURRENT ROW): for each row of a chunk of whole partitions, the rows its frame holds, as a range
// [lo, hi) of the chunk. The window operator (window_operator.cpp) then slides its aggregates
// over those ranges; both ends only move forward as the rows go on, which is what lets it add
// and remove rows instead of recomputing each frame.
//
// Semantics follow PostgreSQL: ROWS offsets count rows, GROUPS offsets count peer groups, RANGE
// offsets are distances in the single ORDER BY key (an interval for a date or timestamp key;
// "preceding" means larger values under DESC). A row whose key is NULL has the NULL rows as
// its RANGE offset frame; a non-NULL row's offset bounds never reach NULL rows. An offset that is
// NULL fails with 22004, a negative one with 22013.
#pragma once

#include <cstdint>
#include <vector>

#include "planner/plan.pb.h"
#include "sql/vector.h"

namespace strata {

class FrameBounds {
 public:
  explicit FrameBounds(const plan::GeneralFrame& frame);

  // lo / hi for rows [0, n): part_flags / peer_flags are 1 where a partition / peer group
  // starts (part_flags[0] = 1); `key` is the first ORDER BY key's values (RANGE with offsets
  // only, else unused) and `desc` its direction.
  void Compute(size_t n, const uint8_t* part_flags, const uint8_t* peer_flags, const Vector* key, bool desc,
               std::vector<uint32_t>* lo, std::vector<uint32_t>* hi);
  // EXCLUDE: 0 NO OTHERS, 1 CURRENT ROW, 2 GROUP, 3 TIES (plan::GeneralFrame).
  int exclude() const { return frame_.exclude(); }

 private:
  struct Bound {
    plan::FrameBoundKind kind = plan::BOUND_UNBOUNDED_PRECEDING;
    int64_t count = 0;  // ROWS / GROUPS; RANGE over an integer key
    __int128 wide = 0;  // RANGE over a decimal key (unscaled)
    double real = 0;    // RANGE over a float key
    int32_t months = 0, days = 0;
    int64_t micros = 0;  // RANGE over a date / timestamp key
    bool interval = false;
  };
  void Prepare();
  Bound Evaluate(const plan::FrameBound& b, bool start) const;
  // The first row of [from, to) at or past the bound for row i (start) or past its end (end).
  size_t RangeEdge(const Bound& b, bool start, const Vector& key, bool desc, size_t i, size_t from, size_t to) const;
  template <typename T>
  size_t FloatRangeEdge(const T* d, double offset, int dir, bool desc, bool start, size_t i, size_t from,
                        size_t to) const;

  plan::GeneralFrame frame_;
  bool prepared_ = false;
  Bound start_, end_;
  std::vector<uint32_t> group_start_;  // GROUPS: the chunk's peer-group starts
};

}  // namespace strata
