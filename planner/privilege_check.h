// The privileges a statement needs, gathered while it is bound and checked when binding ends
// (Bind in planner/binder.cpp), so that every path that reads or writes a table — queries,
// views, subqueries, DML, COPY, UNLOAD, cursors, EXPLAIN, CREATE TABLE AS — is checked the same
// way. A table in FROM needs SELECT on the columns the statement reads (or on any one column,
// for count(*)); a view's own query is checked as its owner, as PostgreSQL does; a DML target
// needs INSERT, UPDATE (per column) or DELETE; every table needs USAGE on its schema. A failure is
// 42501 "permission denied for table t" and the statement does nothing.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "catalog/catalog_version.h"

namespace strata {

struct BindState;
struct ScopeColumn;

struct RelationAccess {
  int64_t table_id = 0;
  std::string user;                     // whose privileges apply (a view's owner inside the view)
  uint32_t table_privileges = 0;        // needed on the table as a whole (DELETE, TRUNCATE)
  bool select_any = false;              // read at all: SELECT on at least one column
  std::set<int> select_columns;         // columns read
  std::set<int> insert_columns;         // columns an INSERT or COPY writes
  std::set<int> update_columns;         // columns an UPDATE assigns
};

// Records that the statement uses table `t` as the user whose privileges apply where it is
// bound; returns the access's index (what ScopeColumn.access holds). -1 without a session (unit
// tests bind without one: nothing is checked).
int AddRelationAccess(BindState* state, const catalog::Table& t);
// The column of `c` is read: its table's access records it.
// 42501 unless the statement's user (or the view's owner) may EXECUTE `f`.
void CheckFunctionExecute(const CatalogVersion& cat, const BindState* state, const catalog::Function& f, int location);
void MarkColumnRead(BindState* state, const ScopeColumn& c);

// Throws 42501 when an access is not allowed (superusers pass everything).
void CheckRelationAccesses(const CatalogVersion& cat, const std::vector<RelationAccess>& accesses);

}  // namespace strata
