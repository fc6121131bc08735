// The SQL front end as the fuzz targets drive it: a small fixed catalog (tables with assorted
// types and every distribution style, as the planner unit tests build them) and one function
// that takes a parsed statement through the binder and the physical planner the way
// LeaderSession does before it would run anything. Nothing here executes a plan, touches a
// file or talks to a node, so a fuzzer can throw anything at it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "planner/binder.h"
#include "sql/ast.h"
#include "catalog/catalog_transaction.h"

namespace strata::fuzz {

// t (KEY): every scalar type; u (EVEN): the rest of them; n (ALL): a dimension; v: a view.
const CatalogVersion& FuzzCatalog();

// The catalog one input (or one connection) sees: the fixed catalog until a CREATE TABLE,
// CREATE VIEW or DROP changes it, then a private copy with the change, as a transaction's
// working copy in LeaderSession. So a seed can create the tables its statement reads.
class WorkingCatalog {
 public:
  const CatalogVersion& Get() const { return copy_ ? copy_->Read() : FuzzCatalog(); }
  // Applies the catalog change of a bound DDL statement (other kinds: nothing).
  void Apply(const ast::Statement& stmt, const BoundStatement& b);

 private:
  std::unique_ptr<CatalogTransaction> copy_;
  int64_t next_id_ = 100;
};

// Binds `stmt` against `cat` (with `params` substituted when given, as Execute does) and plans
// it with the planner entry point its kind uses in the leader (PlanQuery, PlanInsert,
// PlanModify, PlanUnload). Throws SqlError like the real session; returns the bound statement
// so that callers can read its result columns and parameter types.
BoundStatement BindAndPlan(const ast::Statement& stmt, const CatalogVersion& cat,
                           const std::vector<uint32_t>& param_oids, const ParamValues* params);

// What the targets do with an SqlError: a user error is a fine outcome; an internal error (XX000)
// is a bug and aborts (the finding), unless the input is longer than `small_input` bytes or the
// message contains $STRATA_FUZZ_IGNORE (to explore past a known finding by hand).
void CheckError(const std::string& sqlstate, const std::string& message, size_t input_size,
                size_t small_input = 4096);

}  // namespace strata::fuzz
