// A walk over every message of a plan (protobuf reflection), for the leader's passes that look
// for one kind of node wherever it sits: external scans (server/external_splits.h), the tables
// a statement touches while a restore fills them (server/restore.h).
#pragma once

#include <functional>

#include <google/protobuf/message.h>

namespace strata {

// Calls visit on `m` and, while it returns true, on every message below it, depth first;
// expressions (plan::Expr) are not entered.
void WalkMessages(google::protobuf::Message* m, const std::function<bool(google::protobuf::Message*)>& visit);

}  // namespace strata
