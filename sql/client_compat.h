// Rewrites of fixed fragments that well-known clients put in their catalog queries and that
// need machinery Strata does not have, into equivalents that give the same answer on Strata's
// catalog. Each rule names the client and says why the equivalence holds. Applied to a
// statement's text before parsing; text without a known fragment is returned unchanged.
#pragma once

#include <string>

namespace strata {

std::string RewriteKnownClientQuery(const std::string& sql);

}  // namespace strata
