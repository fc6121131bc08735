// The registry of system relations (see system_relation.h). Registration runs during static
// initialization, one relation at a time and before main, so the registry is written single-
// threaded and only read afterwards; it is kept sorted as it grows so that reading needs no lock.
#include "planner/system_relation.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <sstream>
#include <tuple>

namespace strata {
namespace {

struct Registry {
  std::vector<std::unique_ptr<SystemRelation>> owned;
  std::vector<const SystemRelation*> sorted;  // by oid, then name
  std::map<std::string, const SystemRelation*, std::less<>> by_name;
};

Registry& TheRegistry() {
  static Registry* registry = new Registry;  // never destroyed: read until the process ends
  return *registry;
}

[[noreturn]] void Duplicate(const char* what, const std::string& name) {
  std::fprintf(stderr, "system relation %s registered twice (%s)\n", name.c_str(), what);
  std::abort();
}

void Register(SystemRelation rel) {
  Registry& r = TheRegistry();
  if (r.by_name.count(rel.name) > 0) Duplicate("name", rel.name);
  for (const SystemRelation* other : r.sorted) {
    if (rel.oid != kNotInPgClass && other->oid == rel.oid) Duplicate("oid", rel.name);
  }
  r.owned.push_back(std::make_unique<SystemRelation>(std::move(rel)));
  const SystemRelation* added = r.owned.back().get();
  r.by_name[added->name] = added;
  auto before = [](const SystemRelation* a, const SystemRelation* b) {
    return std::tie(a->oid, a->name) < std::tie(b->oid, b->name);
  };
  r.sorted.insert(std::upper_bound(r.sorted.begin(), r.sorted.end(), added, before), added);
}

SqlType TypeOfCode(char code) {
  switch (code) {
    case 'o': case 'l': return SqlType::Int64();
    case 'n': return SqlType::Varchar(128);
    case 'c': return SqlType::Char(1);
    case 'b': return SqlType::Bool();
    case 's': return SqlType::Int16();
    case 'i': return SqlType::Int32();
    case 'f': return SqlType::Float32();
    case 'T': return SqlType::Timestamp();
    case 'Z': return SqlType::TimestampTz();
    case 'v': return SqlType::Varchar(256);
    // Arrays, carried as their text (sql/array_types.h).
    case 'a': return SqlType::Array(1009);  // text[]
    case 'A': return SqlType::Array(1034);  // aclitem[]
    case '2': return SqlType::Array(1005);  // int2[]
    case 'O': return SqlType::Array(1028);  // oid[]
    case 'C': return SqlType::Array(1002);  // "char"[]
    case 'V': return SqlType::Array(22);    // int2vector
    case 'W': return SqlType::Array(30);    // oidvector
    default: return SqlType::Varchar(65535);  // t
  }
}

}  // namespace

std::vector<OutputColumn> ParseSystemColumns(const char* columns) {
  std::istringstream in(columns);
  std::string item;
  std::vector<OutputColumn> cols;
  while (in >> item) {
    size_t colon = item.rfind(':');
    cols.push_back({item.substr(0, colon), TypeOfCode(item[colon + 1])});
  }
  return cols;
}

SystemRelationRegistrar::SystemRelationRegistrar(const char* name, int64_t oid, const char* columns,
                                                 SystemRowProducer produce) {
  Register({name, oid, ParseSystemColumns(columns), produce, false});
}

SystemRelationRegistrar::SystemRelationRegistrar(const char* name, int64_t oid,
                                                 std::initializer_list<OutputColumn> columns, SystemRowProducer produce) {
  Register({name, oid, std::vector<OutputColumn>(columns), produce, false});
}

SystemRelationRegistrar::SystemRelationRegistrar(const char* name, int64_t oid, const char* columns,
                                                 EmptyWithoutBinding) {
  Register({name, oid, ParseSystemColumns(columns), nullptr, true});
}

const SystemRelation* FindSystemRelation(const std::string& name) {
  const auto& by_name = TheRegistry().by_name;
  auto it = by_name.find(name);
  return it == by_name.end() ? nullptr : it->second;
}

const std::vector<const SystemRelation*>& AllSystemRelations() { return TheRegistry().sorted; }

Batch SystemRelationRows(const SystemRelation& rel, const SystemRelationContext& ctx) {
  Batch rows;
  for (const auto& c : rel.columns) rows.columns.emplace_back(c.type);
  if (rel.produce != nullptr) rel.produce(ctx, &rows);
  return rows;
}

int64_t SystemRelationOid(const std::string& name) {
  const SystemRelation* r = FindSystemRelation(name);
  return r == nullptr || r->oid == kNotInPgClass ? -1 : r->oid;
}

}  // namespace strata
