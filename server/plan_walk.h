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

// True when `match` holds for some message of type `type` in `m` (itself included), without
// entering plan::Expr. Fields whose message type cannot hold one, at any depth, are not looked
// into (known from the descriptors, once per type): cheap enough to ask of every statement.
bool AnyMessage(const google::protobuf::Message& m, const google::protobuf::Descriptor* type,
                const std::function<bool(const google::protobuf::Message&)>& match);

}  // namespace strata
