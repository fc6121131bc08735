// CursorSet: bookkeeping and paging of buffered cursor results.
#include "server/cursor_set.h"

#include <algorithm>
#include <numeric>

#include "sql/error.h"
#include "sql/sqlstate.h"

namespace strata {

void CursorSet::Add(const std::string& name, std::vector<ColumnDesc> columns, std::vector<Batch> batches,
                    bool with_hold, std::shared_ptr<RowSource> stream) {
  if (Contains(name)) throw SqlError(sqlstate::kDuplicateCursor, StrCat("cursor \"", name, "\" already exists"));
  Cursor c;
  c.columns = std::move(columns);
  for (Batch& b : batches) {
    if (b.rows > 0) c.batches.push_back(std::move(b));
  }
  c.with_hold = with_hold;
  c.stream = std::move(stream);
  cursors_.emplace(name, std::move(c));
}

const Cursor* CursorSet::Find(const std::string& name) const {
  auto it = cursors_.find(name);
  return it == cursors_.end() ? nullptr : &it->second;
}

Cursor& CursorSet::Get(const std::string& name) {
  auto it = cursors_.find(name);
  if (it == cursors_.end()) throw SqlError(sqlstate::kInvalidCursorName, StrCat("cursor \"", name, "\" does not exist"));
  return it->second;
}

namespace {

// Pulls the stream's next non-empty batch into the cursor; false at its end.
bool Refill(Cursor& cursor, const std::atomic<bool>* cancelled) {
  Batch b;
  while (cursor.stream) {
    switch (cursor.stream->Next(&b, std::chrono::milliseconds(100))) {
      case RowSource::Status::kBatch:
        if (b.rows > 0) {
          cursor.batches.push_back(std::move(b));
          return true;
        }
        break;
      case RowSource::Status::kEnd:
        cursor.stream.reset();
        return false;
      case RowSource::Status::kWaiting:
        if (cancelled != nullptr && cancelled->load()) {
          throw SqlError(sqlstate::kQueryCanceled, "canceling statement due to user request");
        }
        break;
    }
  }
  return false;
}

}  // namespace

std::vector<Batch> CursorSet::Take(Cursor& cursor, int64_t count, bool discard, int64_t* taken,
                                   const std::atomic<bool>* cancelled) {
  std::vector<Batch> out;
  std::vector<uint32_t> sel;
  uint64_t remaining = count < 0 ? 0 : static_cast<uint64_t>(count);
  uint64_t n = 0;
  while (remaining > 0 && (!cursor.batches.empty() || Refill(cursor, cancelled))) {
    Batch& front = cursor.batches.front();
    size_t available = front.rows - cursor.row;
    size_t now = static_cast<size_t>(std::min<uint64_t>(available, remaining));
    if (!discard) {
      if (cursor.row == 0 && now == front.rows) {
        out.push_back(std::move(front));
      } else {
        sel.resize(now);
        std::iota(sel.begin(), sel.end(), static_cast<uint32_t>(cursor.row));
        Batch part(front.Types());
        part.AppendSelected(front, sel.data(), now);
        out.push_back(std::move(part));
      }
    }
    n += now;
    remaining -= now;
    cursor.row += now;
    if (now == available) {
      cursor.batches.pop_front();
      cursor.row = 0;
    }
  }
  *taken = static_cast<int64_t>(n);
  return out;
}

void CursorSet::Close(const std::string& name) {
  if (cursors_.erase(name) == 0) {
    throw SqlError(sqlstate::kInvalidCursorName, StrCat("cursor \"", name, "\" does not exist"));
  }
}

void CursorSet::EndTransaction(bool committed) {
  for (auto it = cursors_.begin(); it != cursors_.end();) {
    Cursor& c = it->second;
    bool keep = c.with_hold && (committed || c.committed);
    if (keep) {
      c.committed = true;
      ++it;
    } else {
      it = cursors_.erase(it);
    }
  }
}

}  // namespace strata
