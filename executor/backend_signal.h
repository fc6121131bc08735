// pg_cancel_backend(pid) / pg_terminate_backend(pid) over rows (`select pg_terminate_backend(pid)
// from pg_stat_activity where ...`): the leader session installs its signal function on the
// thread that runs the leader's stages (ScopedBackendSignal, around Cluster::Run), and the
// expression node pg_signal_backend(pid, terminate) calls it per row. On a compute node (the pid
// came from a user table) there is none, and the call fails with 0A000. A constant pid is
// folded when the statement is bound instead (planner/catalog_functions.cpp).
//
// set_config(name, value, is_local) over rows (pg_dump's `select set_config(name, ..., false)
// from pg_settings where ...`) works the same way: pg_set_config calls the installed SettingFn
// per row. Constant arguments are folded when bound, as for the signals.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace strata {

// Signals session `pid`; false when there is none; throws 42501 when the caller may not.
using BackendSignalFn = std::function<bool(int64_t pid, bool terminate)>;
// Sets the session's setting `name` to `value` (throws the setting's SqlError when refused).
using SettingFn = std::function<void(const std::string& name, const std::string& value)>;

// The functions installed on this thread, or nullptr.
const BackendSignalFn* CurrentBackendSignal();
const SettingFn* CurrentSettingFn();

class ScopedBackendSignal {
 public:
  explicit ScopedBackendSignal(const BackendSignalFn* fn, const SettingFn* setting = nullptr);
  ~ScopedBackendSignal();
  ScopedBackendSignal(const ScopedBackendSignal&) = delete;
  ScopedBackendSignal& operator=(const ScopedBackendSignal&) = delete;

 private:
  const BackendSignalFn* previous_;
  const SettingFn* previous_setting_;
};

}  // namespace strata
