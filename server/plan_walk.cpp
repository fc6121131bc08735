// A reflection walk over a plan's messages (plan_walk.h).
#include "server/plan_walk.h"

#include <map>
#include <set>
#include <utility>
#include <vector>

#include "planner/plan.pb.h"

namespace strata {

void WalkMessages(google::protobuf::Message* m, const std::function<bool(google::protobuf::Message*)>& visit) {
  if (m->GetDescriptor() == plan::Expr::descriptor() || !visit(m)) return;
  const auto* refl = m->GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  refl->ListFields(*m, &fields);
  for (const auto* f : fields) {
    if (f->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (f->is_repeated()) {
      for (int i = 0; i < refl->FieldSize(*m, f); ++i) WalkMessages(refl->MutableRepeatedMessage(m, f, i), visit);
    } else {
      WalkMessages(refl->MutableMessage(m, f), visit);
    }
  }
}

namespace {

// Whether a message of type `from` can hold one of type `target` (not through plan::Expr).
// Known from the descriptors alone; each thread remembers its answers, so the statements that
// ask (every one, through HasExternalScans) share no lock.
bool CanHold(const google::protobuf::Descriptor* from, const google::protobuf::Descriptor* target) {
  thread_local std::map<std::pair<const void*, const void*>, bool> known;
  auto key = std::make_pair(static_cast<const void*>(from), static_cast<const void*>(target));
  if (auto it = known.find(key); it != known.end()) return it->second;
  std::set<const google::protobuf::Descriptor*> seen;
  std::vector<const google::protobuf::Descriptor*> todo{from};
  bool found = false;
  while (!todo.empty() && !found) {
    const google::protobuf::Descriptor* d = todo.back();
    todo.pop_back();
    if (d == target) found = true;
    if (d == plan::Expr::descriptor() || !seen.insert(d).second) continue;
    for (int i = 0; i < d->field_count(); ++i) {
      if (d->field(i)->message_type() != nullptr) todo.push_back(d->field(i)->message_type());
    }
  }
  known[key] = found;
  return found;
}

}  // namespace

bool AnyMessage(const google::protobuf::Message& m, const google::protobuf::Descriptor* type,
                const std::function<bool(const google::protobuf::Message&)>& match) {
  const google::protobuf::Descriptor* d = m.GetDescriptor();
  if (d == type) return match(m);
  if (d == plan::Expr::descriptor()) return false;
  const auto* refl = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* f = d->field(i);
    if (f->message_type() == nullptr || !CanHold(f->message_type(), type)) continue;
    if (f->is_repeated()) {
      const int n = refl->FieldSize(m, f);
      for (int k = 0; k < n; ++k) {
        if (AnyMessage(refl->GetRepeatedMessage(m, f, k), type, match)) return true;
      }
    } else if (refl->HasField(m, f) && AnyMessage(refl->GetMessage(m, f), type, match)) {
      return true;
    }
  }
  return false;
}

}  // namespace strata
