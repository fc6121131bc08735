// See backend_signal.h.
#include "executor/backend_signal.h"

namespace strata {

namespace {
thread_local const BackendSignalFn* current_signal = nullptr;
thread_local const SettingFn* current_setting = nullptr;
}  // namespace

const BackendSignalFn* CurrentBackendSignal() { return current_signal; }
const SettingFn* CurrentSettingFn() { return current_setting; }

ScopedBackendSignal::ScopedBackendSignal(const BackendSignalFn* fn, const SettingFn* setting)
    : previous_(current_signal), previous_setting_(current_setting) {
  current_signal = fn;
  current_setting = setting;
}

ScopedBackendSignal::~ScopedBackendSignal() {
  current_signal = previous_;
  current_setting = previous_setting_;
}

}  // namespace strata
