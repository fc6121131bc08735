// The object-store configuration for a COPY's or UNLOAD's own credentials and region (the
// environment's AWS_* settings where the statement gives none).
#pragma once

#include "io/object_store.h"
#include "planner/plan.pb.h"

namespace strata {

ObjectStoreConfig ConfigForAuth(const plan::ObjectAuth& auth);

}  // namespace strata
