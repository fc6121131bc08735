// A reflection walk over a plan's messages (plan_walk.h).
#include "server/plan_walk.h"

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

}  // namespace strata
