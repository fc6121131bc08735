// pg_type: the types Strata stores or shows, and the array and helper types catalogs mention.
#include "planner/pg_catalog_tables.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

struct TypeRow {
  int64_t oid;
  const char* name;
  int len;
  bool byval;
  char category;
  int64_t array_oid;
  int64_t elem_oid;
  int64_t collation;
};

constexpr TypeRow kTypes[] = {
    {16, "bool", 1, true, 'B', 1000, 0, 0},        {17, "bytea", -1, false, 'U', 1001, 0, 0},
    {18, "char", 1, true, 'Z', 1002, 0, 100},       {19, "name", 64, false, 'S', 1003, 0, 950},
    {20, "int8", 8, true, 'N', 1016, 0, 0},         {21, "int2", 2, true, 'N', 1005, 0, 0},
    {23, "int4", 4, true, 'N', 1007, 0, 0},         {25, "text", -1, false, 'S', 1009, 0, 100},
    {26, "oid", 4, true, 'N', 1028, 0, 0},          {700, "float4", 4, true, 'N', 1021, 0, 0},
    {701, "float8", 8, true, 'N', 1022, 0, 0},      {705, "unknown", -2, false, 'X', 0, 0, 0},
    {1042, "bpchar", -1, false, 'S', 1014, 0, 100}, {1043, "varchar", -1, false, 'S', 1015, 0, 100},
    {1082, "date", 4, true, 'D', 1182, 0, 0},       {1114, "timestamp", 8, true, 'D', 1115, 0, 0},
    {1184, "timestamptz", 8, true, 'D', 1185, 0, 0}, {1700, "numeric", -1, false, 'N', 1231, 0, 0},
    {1083, "time", 8, true, 'D', 1183, 0, 0},       {1266, "timetz", 12, false, 'D', 1270, 0, 0},
    {1186, "interval", 16, false, 'T', 1187, 0, 0},     {4000, "super", -1, false, 'U', 0, 0, 0},
    {2205, "regclass", 4, true, 'N', 2210, 0, 0},   {2206, "regtype", 4, true, 'N', 2211, 0, 0},
    {1000, "_bool", -1, false, 'A', 0, 16, 0},      {1005, "_int2", -1, false, 'A', 0, 21, 0},
    {1007, "_int4", -1, false, 'A', 0, 23, 0},      {1009, "_text", -1, false, 'A', 0, 25, 100},
    {1015, "_varchar", -1, false, 'A', 0, 1043, 100}, {1016, "_int8", -1, false, 'A', 0, 20, 0},
    {1028, "_oid", -1, false, 'A', 0, 26, 0},
};

void Rows(const SystemRelationContext&, Batch* out) {
  RowWriter w(out);
  for (const TypeRow& t : kTypes) {
    w.Add({I(t.oid), S(t.name), I(kPgCatalogNamespaceOid), I(kBootstrapUserOid), I(t.len), B(t.byval),
           S(t.category == 'A' ? "b" : t.oid == 705 ? "p" : "b"), S(std::string(1, t.category)), B(false), B(true),
           S(","), I(0), I(0), I(t.elem_oid), I(t.array_oid), I(0), I(0), I(0), I(0), I(0), I(0), I(0),
           S(t.len == 8 || t.len == 12 || t.len == 16 ? "d" : t.len == 2 ? "s" : t.len == 1 ? "c" : "i"), S(t.len > 0 ? "p" : "x"), B(false), I(0),
           I(-1), I(0), I(t.collation)});
  }
}

const SystemRelationRegistrar kPgType(
    "pg_type", 1247,
    "oid:o typname:n typnamespace:o typowner:o typlen:s typbyval:b typtype:c typcategory:c typispreferred:b "
    "typisdefined:b typdelim:c typrelid:o typsubscript:o typelem:o typarray:o typinput:o typoutput:o "
    "typreceive:o typsend:o typmodin:o typmodout:o typanalyze:o typalign:c typstorage:c typnotnull:b "
    "typbasetype:o typtypmod:i typndims:i typcollation:o typdefaultbin:t typdefault:t typacl:a",
    Rows);

}  // namespace
}  // namespace strata
