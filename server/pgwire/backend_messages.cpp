// Backend message writers (see backend_messages.h).
#include "server/pgwire/backend_messages.h"

#include "server/pgwire/binary_values.h"
#include "sql/value_text.h"

namespace strata::pgwire {
namespace {

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kError:
      return "ERROR";
    case Severity::kFatal:
      return "FATAL";
    case Severity::kNotice:
      return "NOTICE";
  }
  return "ERROR";
}

void Field(MessageWriter& w, char code, std::string_view value) {
  w.Int8(static_cast<uint8_t>(code));
  w.CString(value);
}

}  // namespace

void WriteErrorResponse(MessageWriter& w, const SqlError& error, Severity severity,
                        int position_offset) {
  w.Begin(severity == Severity::kNotice ? 'N' : 'E');
  Field(w, 'S', SeverityName(severity));
  Field(w, 'V', SeverityName(severity));
  Field(w, 'C', error.sqlstate());
  Field(w, 'M', error.message());
  if (!error.detail().empty()) Field(w, 'D', error.detail());
  if (!error.hint().empty()) Field(w, 'H', error.hint());
  if (error.position() > 0) Field(w, 'P', std::to_string(error.position() + position_offset));
  w.Int8(0);
  w.End();
}

void WriteNoticeResponse(MessageWriter& w, std::string_view message) {
  WriteErrorResponse(w, SqlError(sqlstate::kSuccessfulCompletion, std::string(message)),
                     Severity::kNotice);
}

void WriteAuthenticationOk(MessageWriter& w) {
  w.Begin('R');
  w.Int32(0);
  w.End();
}

void WriteParameterStatus(MessageWriter& w, std::string_view name, std::string_view value) {
  w.Begin('S');
  w.CString(name);
  w.CString(value);
  w.End();
}

void WriteBackendKeyData(MessageWriter& w, int32_t pid, int32_t secret) {
  w.Begin('K');
  w.Int32(pid);
  w.Int32(secret);
  w.End();
}

void WriteReadyForQuery(MessageWriter& w, char status) {
  w.Begin('Z');
  w.Int8(static_cast<uint8_t>(status));
  w.End();
}

void WriteCommandComplete(MessageWriter& w, std::string_view tag) {
  w.Begin('C');
  w.CString(tag);
  w.End();
}

void WriteParameterDescription(MessageWriter& w, const std::vector<uint32_t>& oids) {
  w.Begin('t');
  w.Int16(static_cast<int16_t>(oids.size()));
  for (uint32_t oid : oids) w.Int32(static_cast<int32_t>(oid));
  w.End();
}

void WriteRowDescription(MessageWriter& w, const std::vector<ColumnDesc>& columns,
                         const std::vector<int16_t>& formats) {
  w.Begin('T');
  w.Int16(static_cast<int16_t>(columns.size()));
  for (size_t i = 0; i < columns.size(); ++i) {
    const SqlType& t = columns[i].type;
    w.CString(columns[i].name);
    w.Int32(0);  // table oid
    w.Int16(0);  // attribute number
    w.Int32(static_cast<int32_t>(t.pg_oid()));
    w.Int16(t.pg_typlen());
    w.Int32(t.pg_typmod());
    w.Int16(formats.empty() ? 0 : formats[i]);
  }
  w.End();
}

void WriteDataRows(MessageWriter& w, const Batch& batch, size_t begin, size_t end,
                   const std::vector<int16_t>& formats) {
  std::string* out = w.out();
  const size_t ncols = batch.columns.size();
  for (size_t row = begin; row < end; ++row) {
    // A value that cannot be encoded must not leave half a message behind.
    const size_t row_start = out->size();
    try {
      w.Begin('D');
      w.Int16(static_cast<int16_t>(ncols));
      for (size_t c = 0; c < ncols; ++c) {
        const Vector& v = batch.columns[c];
        if (v.IsNull(row)) {
          w.Int32(-1);
          continue;
        }
        size_t slot = w.BeginValue();
        if (!formats.empty() && formats[c] == 1) {
          AppendValueBinary(v, row, out);
        } else {
          AppendValueText(v, row, out);
        }
        w.FinishValue(slot);
      }
      w.End();
    } catch (...) {
      out->resize(row_start);
      throw;
    }
  }
}

void WriteNegotiateProtocolVersion(MessageWriter& w, int32_t minor,
                                   const std::vector<std::string>& unrecognized) {
  w.Begin('v');
  w.Int32(minor);
  w.Int32(static_cast<int32_t>(unrecognized.size()));
  for (const auto& name : unrecognized) w.CString(name);
  w.End();
}

void WriteCopyResponse(MessageWriter& w, char type, int columns) {
  w.Begin(type);
  w.Int8(0);
  w.Int16(static_cast<int16_t>(columns));
  for (int i = 0; i < columns; ++i) w.Int16(0);
  w.End();
}

void WriteCopyData(MessageWriter& w, std::string_view data) {
  w.Begin('d');
  w.Bytes(data);
  w.End();
}

void WriteEmptyMessage(MessageWriter& w, char type) {
  w.Begin(type);
  w.End();
}

}  // namespace strata::pgwire
