// See object_auth.h.
#include "executor/object_auth.h"

namespace strata {

ObjectStoreConfig ConfigForAuth(const plan::ObjectAuth& auth) {
  ObjectStoreConfig c = ObjectStoreConfig::FromEnvironment();
  if (!auth.access_key_id().empty()) {
    c.access_key_id = auth.access_key_id();
    c.secret_access_key = auth.secret_access_key();
    c.session_token = auth.session_token();
  }
  if (!auth.region().empty()) c.region = auth.region();
  return c;
}

}  // namespace strata
