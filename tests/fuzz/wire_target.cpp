// Fuzz target for the PostgreSQL wire protocol: the input is everything a client sends on one
// connection (startup packet, SSLRequest / CancelRequest / GSSENCRequest, password messages,
// every simple and extended-protocol message, COPY data), replayed through PgConnection over the
// in-memory MemoryByteStream the pgwire unit tests use, with FrontEndSession (fuzz_session.h)
// behind it, so SQL in Query and Parse messages also reaches the real parser, binder and planner.
//
// Outcome: whatever the connection answers is fine, including FATAL 08P01 for a malformed
// message, unless it is an internal error (ErrorResponse with SQLSTATE XX000) from a small input;
// a crash, an abort, an exception escaping Run() or a hang is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "server/pgwire/byte_stream.h"
#include "server/pgwire/pg_connection.h"
#include "server/pgwire/wire_buffer.h"
#include "tests/fuzz/front_end.h"
#include "tests/fuzz/fuzz_session.h"

namespace {

// Walks the backend's messages (skipping one-byte SSL / GSS answers) and checks every
// ErrorResponse's SQLSTATE. With STRATA_FUZZ_VERBOSE set it prints the message types and every
// error, to see what an input does.
void CheckOutput(const std::string& out, size_t input_size) {
  static const bool verbose = std::getenv("STRATA_FUZZ_VERBOSE") != nullptr;
  size_t pos = 0;
  while (pos + 5 <= out.size()) {
    char type = out[pos];
    size_t len = strata::pgwire::GetBigEndian(out.data() + pos + 1, 4);
    if (len < 4 || pos + 1 + len > out.size()) {
      // A one-byte answer to SSLRequest / GSSENCRequest ('N'), not a framed message.
      if (type == 'N' || type == 'S') {
        if (verbose) std::fprintf(stderr, "[%c]", type);
        ++pos;
        continue;
      }
      break;
    }
    if (type == 'E') {
      std::string_view body(out.data() + pos + 5, len - 4);
      std::string sqlstate, message;
      size_t f = 0;
      while (f < body.size() && body[f] != '\0') {
        size_t nul = body.find('\0', f + 1);
        if (nul == std::string_view::npos) break;
        if (body[f] == 'C') sqlstate = body.substr(f + 1, nul - f - 1);
        if (body[f] == 'M') message = body.substr(f + 1, nul - f - 1);
        f = nul + 1;
      }
      if (verbose) std::fprintf(stderr, "  error %s: %s\n", sqlstate.c_str(), message.c_str());
      strata::fuzz::CheckError(sqlstate, message, input_size);
    }
    if (verbose) std::fputc(type, stderr);
    pos += 1 + len;
  }
  if (verbose) std::fputc('\n', stderr);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const strata::SessionFactory factory = strata::fuzz::FrontEndSessionFactory();
  static const strata::pgwire::ConnectionSecurity security = strata::fuzz::FuzzSecurity();
  strata::pgwire::MemoryByteStream stream(std::string(reinterpret_cast<const char*>(data), size));
  {
    strata::pgwire::PgConnection connection(&stream, factory, nullptr, security);
    connection.Run();
  }
  CheckOutput(stream.output(), size);
  return 0;
}
