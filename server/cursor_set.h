// CursorSet: the open SQL cursors of one session (DECLARE ... CURSOR, FETCH, MOVE, CLOSE).
// A cursor's query runs to completion when it is declared; the cursor keeps the buffered
// result batches and hands them out front to back, so FETCH never runs anything and a
// WITH HOLD cursor is already materialised when its transaction commits. Lifetimes follow
// PostgreSQL: a cursor without HOLD ends with its transaction; one WITH HOLD survives COMMIT
// and lasts until CLOSE or the end of the session, but goes if the transaction that declared
// it rolls back.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "server/sql_session.h"
#include "sql/vector.h"

namespace strata {

struct Cursor {
  std::vector<ColumnDesc> columns;
  std::deque<Batch> batches;  // rows not fetched yet
  size_t row = 0;             // rows of batches.front() already fetched
  bool with_hold = false;
  bool committed = false;  // the declaring transaction has committed
};

class CursorSet {
 public:
  // Throws 42P03 when the name is taken.
  void Add(const std::string& name, std::vector<ColumnDesc> columns, std::vector<Batch> batches,
           bool with_hold);
  // The cursor by name; throws 34000 when there is none.
  Cursor& Get(const std::string& name);
  const Cursor* Find(const std::string& name) const;
  bool Contains(const std::string& name) const { return Find(name) != nullptr; }
  // Takes the next `count` rows (INT64_MAX: all the rest) off the cursor and returns them
  // as batches (none when `discard`, for MOVE); *taken gets the number of rows.
  static std::vector<Batch> Take(Cursor& cursor, int64_t count, bool discard, int64_t* taken);
  // Throws 34000 when there is none.
  void Close(const std::string& name);
  void CloseAll() { cursors_.clear(); }
  // The end of the current transaction: non-holdable cursors go, and on rollback so do
  // holdable ones the transaction declared.
  void EndTransaction(bool committed);
  size_t size() const { return cursors_.size(); }

 private:
  std::map<std::string, Cursor> cursors_;
};

}  // namespace strata
