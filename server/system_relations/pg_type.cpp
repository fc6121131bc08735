// pg_type: the types Strata stores or shows, and the array and helper types catalogs mention.
#include "planner/pg_catalog_tables.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/shared_rows.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

// As PostgreSQL 15's pg_type has them (oids, input / output / binary functions, alignment,
// storage): the types Strata has, the array types it carries as text (sql/array_types.h), and
// the other types catalogs mention. Arrays' input function is array_in (750), which is how
// pgjdbc tells an array type (`typinput = 'array_in'::regproc`).
struct TypeRow {
  int64_t oid;
  const char* name;
  int len;
  bool byval;
  char type;
  char category;
  bool preferred;
  int64_t elem_oid;
  int64_t array_oid;
  int64_t input, output, receive, send, modin, modout;
  char align;
  char storage;
  int64_t collation;
  int64_t subscript;
};

constexpr TypeRow kTypes[] = {
    {16, "bool", 1, true, 'b', 'B', true, 0, 1000, 1242, 1243, 2436, 2437, 0, 0, 'c', 'p', 0, 0},
    {17, "bytea", -1, false, 'b', 'U', false, 0, 1001, 1244, 31, 2412, 2413, 0, 0, 'i', 'x', 0, 0},
    {18, "char", 1, true, 'b', 'Z', false, 0, 1002, 1245, 33, 2434, 2435, 0, 0, 'c', 'p', 0, 0},
    {19, "name", 64, false, 'b', 'S', false, 18, 1003, 34, 35, 2422, 2423, 0, 0, 'c', 'p', 950, 6180},
    {20, "int8", 8, true, 'b', 'N', false, 0, 1016, 460, 461, 2408, 2409, 0, 0, 'd', 'p', 0, 0},
    {21, "int2", 2, true, 'b', 'N', false, 0, 1005, 38, 39, 2404, 2405, 0, 0, 's', 'p', 0, 0},
    {22, "int2vector", -1, false, 'b', 'A', false, 21, 1006, 40, 41, 2410, 2411, 0, 0, 'i', 'p', 0, 6179},
    {23, "int4", 4, true, 'b', 'N', false, 0, 1007, 42, 43, 2406, 2407, 0, 0, 'i', 'p', 0, 0},
    {25, "text", -1, false, 'b', 'S', true, 0, 1009, 46, 47, 2414, 2415, 0, 0, 'i', 'x', 100, 0},
    {26, "oid", 4, true, 'b', 'N', true, 0, 1028, 1798, 1799, 2418, 2419, 0, 0, 'i', 'p', 0, 0},
    {30, "oidvector", -1, false, 'b', 'A', false, 26, 1013, 54, 55, 2420, 2421, 0, 0, 'i', 'p', 0, 6179},
    {700, "float4", 4, true, 'b', 'N', false, 0, 1021, 200, 201, 2424, 2425, 0, 0, 'i', 'p', 0, 0},
    {701, "float8", 8, true, 'b', 'N', true, 0, 1022, 214, 215, 2426, 2427, 0, 0, 'd', 'p', 0, 0},
    {705, "unknown", -2, false, 'p', 'X', false, 0, 0, 109, 110, 2416, 2417, 0, 0, 'c', 'p', 0, 0},
    {1000, "_bool", -1, false, 'b', 'A', false, 16, 0, 750, 751, 2400, 2401, 0, 0, 'i', 'x', 0, 6179},
    {1001, "_bytea", -1, false, 'b', 'A', false, 17, 0, 750, 751, 2400, 2401, 0, 0, 'i', 'x', 0, 6179},
    {1002, "_char", -1, false, 'b', 'A', false, 18, 0, 750, 751, 2400, 2401, 0, 0, 'i', 'x', 0, 6179},
    {1003, "_name", -1, false, 'b', 'A', false, 19, 0, 750, 751, 2400, 2401, 0, 0, 'i', 'x', 950, 6179},
    {1005, "_int2", -1, false, 'b', 'A', false, 21, 0, 750, 751, 2400, 2401, 0, 0, 'i', 'x', 0, 6179},
    {1006, "_int2vector", -1, false, 'b', 'A', false, 22, 0, 750, 751, 2400, 2401, 0, 0, 'i', 'x', 0, 6179},
    {1007, "_int4", -1, false, 'b', 'A', false, 23, 0, 750, 751, 2400, 2401, 0, 0, 'i', 'x', 0, 6179},
    {1009, "_text", -1, false, 'b', 'A', false, 25, 0, 750, 751, 2400, 2401, 0, 0, 'i', 'x', 100, 6179},
    {1013, "_oidvector", -1, false, 'b', 'A', false, 30, 0, 750, 751, 2400, 2401, 0, 0, 'i', 'x', 0, 6179},
    {1014, "_bpchar", -1, false, 'b', 'A', false, 1042, 0, 750, 751, 2400, 2401, 2913, 2914, 'i', 'x', 100, 6179},
    {1015, "_varchar", -1, false, 'b', 'A', false, 1043, 0, 750, 751, 2400, 2401, 2915, 2916, 'i', 'x', 100, 6179},
    {1016, "_int8", -1, false, 'b', 'A', false, 20, 0, 750, 751, 2400, 2401, 0, 0, 'd', 'x', 0, 6179},
    {1021, "_float4", -1, false, 'b', 'A', false, 700, 0, 750, 751, 2400, 2401, 0, 0, 'i', 'x', 0, 6179},
    {1022, "_float8", -1, false, 'b', 'A', false, 701, 0, 750, 751, 2400, 2401, 0, 0, 'd', 'x', 0, 6179},
    {1028, "_oid", -1, false, 'b', 'A', false, 26, 0, 750, 751, 2400, 2401, 0, 0, 'i', 'x', 0, 6179},
    {1033, "aclitem", 12, false, 'b', 'U', false, 0, 1034, 1031, 1032, 0, 0, 0, 0, 'i', 'p', 0, 0},
    {1034, "_aclitem", -1, false, 'b', 'A', false, 1033, 0, 750, 751, 2400, 2401, 0, 0, 'i', 'x', 0, 6179},
    {1042, "bpchar", -1, false, 'b', 'S', false, 0, 1014, 1044, 1045, 2430, 2431, 2913, 2914, 'i', 'x', 100, 0},
    {1043, "varchar", -1, false, 'b', 'S', false, 0, 1015, 1046, 1047, 2432, 2433, 2915, 2916, 'i', 'x', 100, 0},
    {1082, "date", 4, true, 'b', 'D', false, 0, 1182, 1084, 1085, 2468, 2469, 0, 0, 'i', 'p', 0, 0},
    {1083, "time", 8, true, 'b', 'D', false, 0, 1183, 1143, 1144, 2470, 2471, 2909, 2910, 'd', 'p', 0, 0},
    {1114, "timestamp", 8, true, 'b', 'D', false, 0, 1115, 1312, 1313, 2474, 2475, 2905, 2906, 'd', 'p', 0, 0},
    {1115, "_timestamp", -1, false, 'b', 'A', false, 1114, 0, 750, 751, 2400, 2401, 2905, 2906, 'd', 'x', 0, 6179},
    {1182, "_date", -1, false, 'b', 'A', false, 1082, 0, 750, 751, 2400, 2401, 0, 0, 'i', 'x', 0, 6179},
    {1183, "_time", -1, false, 'b', 'A', false, 1083, 0, 750, 751, 2400, 2401, 2909, 2910, 'd', 'x', 0, 6179},
    {1184, "timestamptz", 8, true, 'b', 'D', true, 0, 1185, 1150, 1151, 2476, 2477, 2907, 2908, 'd', 'p', 0, 0},
    {1185, "_timestamptz", -1, false, 'b', 'A', false, 1184, 0, 750, 751, 2400, 2401, 2907, 2908, 'd', 'x', 0, 6179},
    {1186, "interval", 16, false, 'b', 'T', true, 0, 1187, 1160, 1161, 2478, 2479, 2903, 2904, 'd', 'p', 0, 0},
    {1187, "_interval", -1, false, 'b', 'A', false, 1186, 0, 750, 751, 2400, 2401, 2903, 2904, 'd', 'x', 0, 6179},
    {1231, "_numeric", -1, false, 'b', 'A', false, 1700, 0, 750, 751, 2400, 2401, 2917, 2918, 'i', 'x', 0, 6179},
    {1266, "timetz", 12, false, 'b', 'D', false, 0, 1270, 1350, 1351, 2472, 2473, 2911, 2912, 'd', 'p', 0, 0},
    {1270, "_timetz", -1, false, 'b', 'A', false, 1266, 0, 750, 751, 2400, 2401, 2911, 2912, 'd', 'x', 0, 6179},
    {1700, "numeric", -1, false, 'b', 'N', false, 0, 1231, 1701, 1702, 2460, 2461, 2917, 2918, 'i', 'm', 0, 0},
    {4000, "super", -1, false, 'b', 'U', false, 0, 0, 0, 0, 0, 0, 0, 0, 'i', 'x', 0, 0},
    {2205, "regclass", 4, true, 'b', 'N', false, 0, 2210, 2218, 2219, 2452, 2453, 0, 0, 'i', 'p', 0, 0},
    {2206, "regtype", 4, true, 'b', 'N', false, 0, 2211, 2220, 2221, 2454, 2455, 0, 0, 'i', 'p', 0, 0},
    {2210, "_regclass", -1, false, 'b', 'A', false, 2205, 0, 750, 751, 2400, 2401, 0, 0, 'i', 'x', 0, 6179},
    {2211, "_regtype", -1, false, 'b', 'A', false, 2206, 0, 750, 751, 2400, 2401, 0, 0, 'i', 'x', 0, 6179},
};

const TypeRow* FindType(int64_t oid) {
  for (const TypeRow& t : kTypes) {
    if (t.oid == oid) return &t;
  }
  return nullptr;
}

void Rows(const SystemRelationContext&, Batch* out) {
  RowWriter w(out);
  for (const TypeRow& t : kTypes) {
    w.Add({I(t.oid), S(t.name), I(kPgCatalogNamespaceOid), I(kBootstrapUserOid), I(t.len), B(t.byval),
           S(std::string(1, t.type)), S(std::string(1, t.category)), B(t.preferred), B(true), S(","), I(0),
           I(t.subscript), I(t.elem_oid), I(t.array_oid), I(t.input), I(t.output), I(t.receive), I(t.send), I(t.modin),
           I(t.modout), I(0), S(std::string(1, t.align)), S(std::string(1, t.storage)), B(false), I(0), I(-1), I(0),
           I(t.collation), kNullValue, kNullValue, kNullValue});
  }
}

const SystemRelationRegistrar kPgType(
    "pg_type", 1247,
    "oid:o typname:n typnamespace:o typowner:o typlen:s typbyval:b typtype:c typcategory:c typispreferred:b "
    "typisdefined:b typdelim:c typrelid:o typsubscript:o typelem:o typarray:o typinput:o typoutput:o "
    "typreceive:o typsend:o typmodin:o typmodout:o typanalyze:o typalign:c typstorage:c typnotnull:b "
    "typbasetype:o typtypmod:i typndims:i typcollation:o typdefaultbin:t typdefault:t typacl:A",
    Rows);

}  // namespace

char PgTypeAlign(int64_t oid) {
  const TypeRow* t = FindType(oid);
  return t != nullptr ? t->align : 'i';
}

char PgTypeStorage(int64_t oid) {
  const TypeRow* t = FindType(oid);
  return t != nullptr ? t->storage : 'x';
}

}  // namespace strata
