// Functions and procedures in the catalog: their identity (schema, name and argument types),
// the oids they take, and how a transaction's CREATE / DROP FUNCTION merge into the catalog at
// commit (see catalog_store.h). Two sessions creating the same function at once end with the
// one that committed last, as with schemas.
#include <algorithm>

#include "catalog/catalog_store.h"
#include "sql/error.h"

namespace strata {

namespace {
constexpr int64_t kFirstFunctionOid = 20000;
}  // namespace

std::string FunctionKey(const catalog::Function& f) {
  std::string key = StrCat(f.schema(), ".", f.name(), "(");
  for (int i = 0; i < f.arg_types_size(); ++i) key += StrCat(i ? "," : "", static_cast<int>(f.arg_types(i).id()));
  return key + ")";
}

const catalog::Function* FindFunctionByKey(const catalog::Catalog& c, const std::string& key) {
  for (const auto& f : c.functions()) {
    if (FunctionKey(f) == key) return &f;
  }
  return nullptr;
}

int64_t NextFunctionOid(const catalog::Catalog& c) {
  int64_t next = std::max(c.next_function_oid(), kFirstFunctionOid);
  for (const auto& f : c.functions()) next = std::max(next, f.oid() + 1);
  return next;
}

void MergeFunctionChanges(const catalog::Catalog& working, const std::set<std::string>& keys, catalog::Catalog* next) {
  for (const std::string& key : keys) {
    const catalog::Function* mine = FindFunctionByKey(working, key);
    auto* functions = next->mutable_functions();
    int at = -1;
    for (int i = 0; i < functions->size(); ++i) {
      if (FunctionKey(functions->Get(i)) == key) at = i;
    }
    if (mine == nullptr) {  // dropped here
      if (at >= 0) functions->DeleteSubrange(at, 1);
      continue;
    }
    if (at >= 0) *functions->Mutable(at) = *mine;
    else *next->add_functions() = *mine;
  }
}

}  // namespace strata
