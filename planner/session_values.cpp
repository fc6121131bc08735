// See session_values.h.
#include "planner/session_values.h"

namespace strata {
namespace {
thread_local const SessionValues* current_values = nullptr;
thread_local const catalog::Catalog* binding_catalog = nullptr;
}  // namespace

const catalog::Catalog* CurrentBindingCatalog() { return binding_catalog; }

ScopedBindingCatalog::ScopedBindingCatalog(const catalog::Catalog* cat) : previous_(binding_catalog) {
  binding_catalog = cat;
}

ScopedBindingCatalog::~ScopedBindingCatalog() { binding_catalog = previous_; }

const SessionValues* CurrentSessionValues() { return current_values; }

ScopedSessionValues::ScopedSessionValues(const SessionValues* values) : previous_(current_values) {
  current_values = values;
}

ScopedSessionValues::~ScopedSessionValues() { current_values = previous_; }

}  // namespace strata
