// The PostgreSQL array types Strata carries as their text literal (sql/pg_array_literal.h): a
// TEXT value whose SqlType names the array type (SqlType::Array(oid), e.g. pg_constraint.conkey
// is smallint[] = 1005, holding "{1,3}"). Clients are told the real type in RowDescription, so a
// driver that parses arrays (psycopg2, pgjdbc's getArray) gets a list; the array functions
// (executor/expr_array.cpp) read the element type from here.
//
// int2vector (22) and oidvector (30), pg_index.indkey and pg_proc.proargtypes, are "vectors":
// their text is the values separated by spaces ("1 3"), and their subscripts count from 0.
#pragma once

#include <cstdint>
#include <string_view>

#include "sql/types.h"

namespace strata {

struct ArrayTypeInfo {
  uint32_t oid;          // the array type's oid (pg_type.oid)
  uint32_t element_oid;  // pg_type.typelem
  const char* typname;   // pg_type.typname: "_int2", "int2vector"
  const char* type_name; // format_type's name: "smallint[]", "int2vector"
  SqlType element;       // the type of one element as Strata computes with it
  bool vector;           // int2vector / oidvector: space-separated, subscripts from 0
};

// The array type with oid `oid`, nullptr when Strata does not carry it.
const ArrayTypeInfo* FindArrayType(uint32_t oid);
// The array type named `typname` as a cast writes it ("_int4" for int[], "int2vector"),
// nullptr when Strata does not carry it.
const ArrayTypeInfo* FindArrayTypeByName(std::string_view typname);
// The array of `element`'s type (text[] for strings, bigint[] for BIGINT, ...), nullptr for a
// type without one here.
const ArrayTypeInfo* ArrayTypeOf(const SqlType& element);

}  // namespace strata
