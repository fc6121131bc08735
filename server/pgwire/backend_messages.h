// Writers for the backend (server -> client) messages of the v3 protocol, one function per
// message, appending to a MessageWriter's buffer. Names follow the PostgreSQL docs' "Message
// Formats" page; the type byte of each is noted on its declaration.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "server/pgwire/wire_buffer.h"
#include "server/pgwire/sql_session.h"
#include "sql/error.h"

namespace strata::pgwire {

enum class Severity { kError, kFatal, kNotice };

// 'E' / 'N': fields S and V (severity), C (SQLSTATE), M, then D, H and P when present.
// `position_offset` is added to a non-zero error position (a statement's offset within a
// multi-statement query string).
void WriteErrorResponse(MessageWriter& w, const SqlError& error, Severity severity,
                        int position_offset = 0);
void WriteNoticeResponse(MessageWriter& w, std::string_view message);
// 'R' AuthenticationOk.
void WriteAuthenticationOk(MessageWriter& w);
// 'S'
void WriteParameterStatus(MessageWriter& w, std::string_view name, std::string_view value);
// 'K'
void WriteBackendKeyData(MessageWriter& w, int32_t pid, int32_t secret);
// 'Z' with status 'I', 'T' or 'E'.
void WriteReadyForQuery(MessageWriter& w, char status);
// 'C'
void WriteCommandComplete(MessageWriter& w, std::string_view tag);
// 't'
void WriteParameterDescription(MessageWriter& w, const std::vector<uint32_t>& oids);
// 'T'. `formats` is empty (all text) or holds one format code per column.
void WriteRowDescription(MessageWriter& w, const std::vector<ColumnDesc>& columns,
                         const std::vector<int16_t>& formats);
// One 'D' per row of batch rows [begin, end); NULL is length -1, values in text (0) or binary
// (1) per `formats` (empty = all text).
void WriteDataRows(MessageWriter& w, const Batch& batch, size_t begin, size_t end,
                   const std::vector<int16_t>& formats);
// 'v': the newest minor version we speak and the startup options we did not recognise.
void WriteNegotiateProtocolVersion(MessageWriter& w, int32_t minor,
                                   const std::vector<std::string>& unrecognized);
// 'G' CopyInResponse / 'H' CopyOutResponse: overall format text (0) and `columns` column
// formats, all text.
void WriteCopyResponse(MessageWriter& w, char type, int columns);
// 'd' CopyData carrying `data` as is.
void WriteCopyData(MessageWriter& w, std::string_view data);
// Messages without a body: '1' ParseComplete, '2' BindComplete, '3' CloseComplete,
// 'n' NoData, 'I' EmptyQueryResponse, 's' PortalSuspended, 'c' CopyDone.
void WriteEmptyMessage(MessageWriter& w, char type);

}  // namespace strata::pgwire
