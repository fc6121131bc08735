// See backend_signal.h.
#include "executor/backend_signal.h"

namespace strata {

namespace {
thread_local const BackendSignalFn* current_signal = nullptr;
}  // namespace

const BackendSignalFn* CurrentBackendSignal() { return current_signal; }

ScopedBackendSignal::ScopedBackendSignal(const BackendSignalFn* fn) : previous_(current_signal) { current_signal = fn; }

ScopedBackendSignal::~ScopedBackendSignal() { current_signal = previous_; }

}  // namespace strata
