// CursorSet: the open SQL cursors of one session (DECLARE ... CURSOR, FETCH, MOVE, CLOSE).
// A cursor without HOLD streams: its query runs while FETCH pulls rows from it (a RowSource),
// so a cursor over a huge result holds one batch at a time; closing it stops the query. A
// WITH HOLD cursor's query runs to completion when it is declared, so it is already
// materialised when its transaction commits. Lifetimes follow
// PostgreSQL: a cursor without HOLD ends with its transaction; one WITH HOLD survives COMMIT
// and lasts until CLOSE or the end of the session, but goes if the transaction that declared
// it rolls back.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "server/pgwire/sql_session.h"
#include "sql/vector.h"

namespace strata {

struct Cursor {
  std::vector<ColumnDesc> columns;
  std::deque<Batch> batches;  // rows not fetched yet
  std::shared_ptr<RowSource> stream;  // the rest of the rows, when streaming
  size_t row = 0;             // rows of batches.front() already fetched
  bool with_hold = false;
  bool committed = false;  // the declaring transaction has committed
};

class CursorSet {
 public:
  // Throws 42P03 when the name is taken.
  void Add(const std::string& name, std::vector<ColumnDesc> columns, std::vector<Batch> batches,
           bool with_hold, std::shared_ptr<RowSource> stream = nullptr);
  // The cursor by name; throws 34000 when there is none.
  Cursor& Get(const std::string& name);
  const Cursor* Find(const std::string& name) const;
  bool Contains(const std::string& name) const { return Find(name) != nullptr; }
  // Takes the next `count` rows (INT64_MAX: all the rest) off the cursor and returns them
  // as batches (none when `discard`, for MOVE); *taken gets the number of rows.
  // A streaming cursor's rows are pulled as needed; waiting for them honours `cancelled` (57014).
  static std::vector<Batch> Take(Cursor& cursor, int64_t count, bool discard, int64_t* taken,
                                 const std::atomic<bool>* cancelled = nullptr);
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
