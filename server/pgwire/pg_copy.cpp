// The COPY sub-protocols of PgConnection.
//
// Copy-in (COPY ... FROM STDIN): the statement's result carries a CopyInSink. We answer
// CopyInResponse, flush, and then read messages straight from the stream, outside the normal
// dispatch loop, much as PostgreSQL's backend pulls them while COPY runs:
//   CopyData 'd'   its bytes go to the sink unchanged (message boundaries mean nothing)
//   CopyDone 'c'   the sink's Finish() result becomes the statement's result ("COPY n")
//   CopyFail 'f'   Abort(message), then ErrorResponse 57014 "COPY from stdin failed: ..."
//   Flush 'H', Sync 'S'  ignored: libpq sends Sync right after Execute without knowing that
//                  the statement is a COPY, and expects it to be swallowed
//   anything else  Abort, then ErrorResponse 08P01 (the message is consumed and lost)
// Every failure leaves copy mode at once with an SqlError that the Query or Execute handler
// reports as usual: the rest of a simple query is skipped and ReadyForQuery follows, or in the
// extended protocol everything up to Sync is discarded. CopyData/CopyDone/CopyFail that the
// client sends after that are ignored by the normal dispatch loop, as in PostgreSQL.
//
// Copy-out (COPY ... TO STDOUT) is one-way: CopyOutResponse, one CopyData per chunk, CopyDone.
#include <cstdio>

#include "server/pgwire/backend_messages.h"
#include "server/pgwire/pg_connection.h"

namespace strata::pgwire {
namespace {

// Calls Abort() on the sink unless disarmed: the copy ended without Finish() for a reason the
// sink did not raise itself (protocol violation, lost connection, a non-COPY message).
class AbortGuard {
 public:
  explicit AbortGuard(CopyInSink* sink) : sink_(sink) {}
  ~AbortGuard() {
    if (sink_ == nullptr) return;
    try {
      sink_->Abort(message_);
    } catch (...) {
      // An abort that fails has nothing left to undo for us; the original failure wins.
    }
  }
  AbortGuard(const AbortGuard&) = delete;
  AbortGuard& operator=(const AbortGuard&) = delete;

  void set_message(std::string message) { message_ = std::move(message); }
  void Disarm() { sink_ = nullptr; }

 private:
  CopyInSink* sink_;
  std::string message_ = "connection lost during COPY from stdin";
};

std::string UnexpectedMessage(char type) {
  char text[80];
  std::snprintf(text, sizeof text, "unexpected message type 0x%02X during COPY from stdin",
                static_cast<unsigned>(static_cast<uint8_t>(type)));
  return text;
}

}  // namespace

StatementResult PgConnection::CopyIn(const StatementResult& start) {
  std::shared_ptr<CopyInSink> sink = start.copy_in;
  AbortGuard guard(sink.get());
  WriteCopyResponse(writer_, 'G', start.copy_columns);
  if (!FlushOutput()) throw StreamClosed{};
  while (true) {
    char type = 0;
    std::string body;
    if (ReadMessage(&type, &body) == ReadStatus::kEnd) throw StreamClosed{};
    switch (type) {
      case 'd':
        try {
          sink->Write(body);
        } catch (...) {
          guard.Disarm();  // the sink raised this failure itself
          throw;
        }
        break;
      case 'c': {
        guard.Disarm();
        return sink->Finish();
      }
      case 'f': {
        MessageReader reader(body);
        std::string message(reader.CString());
        reader.ExpectEnd();
        guard.Disarm();
        sink->Abort(message);
        throw SqlError(sqlstate::kQueryCanceled, "COPY from stdin failed: " + message);
      }
      case 'H':
      case 'S':
        break;
      default: {
        std::string message = UnexpectedMessage(type);
        guard.set_message(message);
        throw SqlError(sqlstate::kProtocolViolation, message);
      }
    }
  }
}

void PgConnection::SendCopyOut(const StatementResult& result) {
  WriteCopyResponse(writer_, 'H', result.copy_columns);
  for (const std::string& chunk : result.copy_out_data) {
    WriteCopyData(writer_, chunk);
    MaybeFlush();
  }
  WriteEmptyMessage(writer_, 'c');
}

}  // namespace strata::pgwire
