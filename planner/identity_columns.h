// Identity columns (Redshift's IDENTITY(seed, step), GENERATED {ALWAYS | BY DEFAULT} AS
// IDENTITY, PostgreSQL's serial types): their definition in CREATE TABLE, the rules INSERT and
// UPDATE follow for them, and the high-water mark a write moves on.
//
// How a value is made: a row that does not supply the column gets NULL from the binder, and
// the plan's IdentityFill operator (executor/identity_fill.h), placed before the rows are
// distributed, replaces each NULL with next_value + increment * (k * stride + offset) — on the
// leader stride 1, on a slice stride = the slice count and offset = the slice, so slices number
// in parallel without talking to each other. The statement holds the table's write lock, so
// next_value is its own; when it commits, next_value moves past the largest value written
// (AdvanceIdentity, from the write's column ranges).
#pragma once

#include <cstdint>
#include <string>

#include "catalog/catalog.pb.h"
#include "sql/ast.h"
#include "sql/types.h"

namespace strata {

// CREATE TABLE: checks `cd`'s identity (an integer type, no DEFAULT as well, a start within the
// type) and records it in `c`, which becomes NOT NULL. 22023 / 42601 as PostgreSQL.
void BindIdentityColumn(const ast::ColumnDef& cd, const SqlType& type, const std::string& table, catalog::Column* c);

// INSERT: 428C9 when GENERATED ALWAYS column `c` is given a value that is not DEFAULT.
[[noreturn]] void FailIdentityInsert(const catalog::Column& c);
// UPDATE: 428C9 when a GENERATED ALWAYS column is set.
void CheckIdentityUpdate(const catalog::Column& c);

// After a write whose values of identity column `c` lie in [min, max]: next_value moves past them.
void AdvanceIdentity(catalog::Column* c, int64_t min, int64_t max);

// The largest and smallest value a column of type `type` holds (the identity's limits).
int64_t IdentityMaximum(const SqlType& type);
int64_t IdentityMinimum(const SqlType& type);

// The name PostgreSQL gives the sequence behind column `column` of `table`: table_column_seq.
std::string IdentitySequenceName(const std::string& table, const std::string& column);

}  // namespace strata
