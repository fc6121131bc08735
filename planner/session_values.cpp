// See session_values.h.
#include "planner/session_values.h"

namespace strata {
namespace {
thread_local const SessionValues* current_values = nullptr;
}

const SessionValues* CurrentSessionValues() { return current_values; }

ScopedSessionValues::ScopedSessionValues(const SessionValues* values) : previous_(current_values) {
  current_values = values;
}

ScopedSessionValues::~ScopedSessionValues() { current_values = previous_; }

}  // namespace strata
