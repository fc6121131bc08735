// SqlError: the one error value a user sees (SQLSTATE, message, detail, hint, cursor position),
// carried as an exception through parsing, planning and execution and turned into an
// ErrorResponse by the wire layer. User errors and internal errors (bugs, XX000) are raised by
// different macros so that a broken invariant is never mistaken for bad input.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "sql/sqlstate.h"

namespace strata {

class SqlError : public std::runtime_error {
 public:
  SqlError(std::string sqlstate, std::string message, int position = 0)
      : std::runtime_error(message), sqlstate_(std::move(sqlstate)), message_(std::move(message)),
        position_(position) {}

  const std::string& sqlstate() const { return sqlstate_; }
  const std::string& message() const { return message_; }
  const std::string& detail() const { return detail_; }
  const std::string& hint() const { return hint_; }
  // 1-based character position in the statement text, 0 when unknown.
  int position() const { return position_; }

  SqlError& WithDetail(std::string d) { detail_ = std::move(d); return *this; }
  SqlError& WithHint(std::string h) { hint_ = std::move(h); return *this; }
  SqlError& WithPosition(int p) { if (position_ == 0) position_ = p; return *this; }
  // NOTICEs the failing statement raised before the error (a procedure's RAISE NOTICE): the
  // client gets them ahead of the error, as from PostgreSQL.
  const std::vector<std::string>& notices() const { return notices_; }
  SqlError& WithNotices(std::vector<std::string> n) { notices_ = std::move(n); return *this; }

 private:
  std::string sqlstate_;
  std::string message_;
  std::string detail_;
  std::string hint_;
  int position_ = 0;
  std::vector<std::string> notices_;
};

inline std::string ToStringPart(const std::string& s) { return s; }
inline std::string ToStringPart(std::string_view s) { return std::string(s); }
inline std::string ToStringPart(const char* s) { return s; }
inline std::string ToStringPart(char c) { return std::string(1, c); }
template <typename T>
std::string ToStringPart(const T& v) { return std::to_string(v); }

// Builds a message from stream-able parts: StrCat("column ", name, " does not exist").
template <typename... Parts>
std::string StrCat(const Parts&... parts) {
  std::string out;
  ((out += ToStringPart(parts)), ...);
  return out;
}

// A user's error (bad SQL, bad data) at `location`: a 0-based byte offset into the statement as
// the parser reports it, or -1 when there is none; the client is shown PostgreSQL's 1-based
// error position. `state` is a sqlstate:: constant. The one way to raise a user error: the two
// macros below and every binder use it.
[[noreturn]] inline void FailAt(std::string state, std::string message, int location = -1) {
  throw SqlError(std::move(state), std::move(message), location >= 0 ? location + 1 : 0);
}

}  // namespace strata

// A user error (STRATA_USER_ERROR_AT: at a parser location); see FailAt.
#define STRATA_USER_ERROR(state, ...) ::strata::FailAt((state), ::strata::StrCat(__VA_ARGS__))
#define STRATA_USER_ERROR_AT(state, location, ...) ::strata::FailAt((state), ::strata::StrCat(__VA_ARGS__), (location))
// A broken invariant inside Strata: a bug. Aborts the query, never the server.
#define STRATA_INTERNAL_ERROR(...)                                                          \
  throw ::strata::SqlError(::strata::sqlstate::kInternalError,                             \
                           ::strata::StrCat("internal error: ", __VA_ARGS__, " (", __FILE__, \
                                            ":", __LINE__, ")"))
#define STRATA_CHECK(cond)                                  \
  do {                                                      \
    if (!(cond)) STRATA_INTERNAL_ERROR("check failed: " #cond); \
  } while (0)
