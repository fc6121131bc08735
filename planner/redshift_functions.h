// Redshift functions that are other functions or plain expressions under another name, bound
// from their already-bound arguments (so they cost nothing new in the executor):
//
//   replicate(s, n)            repeat(s, n)
//   textlen(s)                 length(s)
//   date_cmp(a, b), timestamp_cmp, date_cmp_timestamp(tz), timestamp_cmp_date(_timestamptz),
//   timestamptz_cmp(_date | _timestamp), interval_cmp, bpcharcmp, bttext_pattern_cmp
//                              -1, 0 or 1 as a is less than, equal to or greater than b; NULL
//                              when either is NULL
//   bit_length(s)              octet_length(s) * 8 (PostgreSQL's)
//   date_part_year(d)          the year of d, an integer
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sql/expr.pb.h"

namespace strata {

// The function `name` stands for (itself when it is no synonym).
std::string RedshiftSynonym(const std::string& name);

// The expression a call of `name` over `args` is, when it is one of the functions above.
std::optional<plan::Expr> BindRedshiftExpression(const std::string& name, std::vector<plan::Expr>& args, int location);

}  // namespace strata
