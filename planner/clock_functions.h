// The date and time functions that read the clock, folded by the binder into constants of the
// statement being bound: CURRENT_DATE, CURRENT_TIMESTAMP[(p)], now(), transaction_timestamp(),
// statement_timestamp(), LOCALTIMESTAMP[(p)], CURRENT_TIME[(p)] (timetz), LOCALTIME[(p)] (time),
// Redshift's GETDATE() and SYSDATE. Folding on the
// leader gives every slice of a distributed query the same instant.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "planner/plan.pb.h"
#include "planner/session_values.h"

namespace strata {

// The wall clock in microseconds since 2000-01-01 00:00:00 UTC (PostgreSQL's epoch).
int64_t ClockMicros();

// The folded form of clock function `name` over bound `args`, or nullopt when `name` is not one.
// Times come from the session's statement / transaction start (`sv`, nullptr without a session),
// read from the clock when unset. The session time zone is UTC, so local and UTC times agree.
// Throws SqlError 42883 for a wrong argument list.
std::optional<plan::Expr> BindClockFunction(const SessionValues* sv, const std::string& name, const std::vector<plan::Expr>& args, int location);

}  // namespace strata
