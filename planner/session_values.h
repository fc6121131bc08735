// Per-session values that some SQL functions return (pg_last_copy_id(), pg_last_query_id()).
// The leader session installs its values around binding with ScopedSessionValues; the binder
// folds those calls into constants. Without a session (unit tests), they return -1.
#pragma once

#include <cstdint>

namespace strata {

struct SessionValues {
  int64_t last_copy_id = -1;
  int64_t last_query_id = -1;
};

// The values of the session binding on this thread, or nullptr.
const SessionValues* CurrentSessionValues();

class ScopedSessionValues {
 public:
  explicit ScopedSessionValues(const SessionValues* values);
  ~ScopedSessionValues();

 private:
  const SessionValues* previous_;
};

}  // namespace strata
