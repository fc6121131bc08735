// TLS for the PostgreSQL protocol, over OpenSSL: a TlsContext holds the server's certificate and
// key (PEM files, loaded once when the server starts, TLS 1.2 or newer, forward-secret suites only:
// ECDHE or DHE with AES-GCM or ChaCha20 on TLS 1.2), and a TlsByteStream runs one server-side TLS
// session over an already connected socket's file descriptor.
//
// A client asks for TLS with an SSLRequest; the server answers 'S' in the clear and from then
// on every byte of the connection goes through the TLS session (SocketByteStream::StartTls).
// The session reads and writes the descriptor with recv/send and MSG_NOSIGNAL (a custom BIO), so
// a peer that went away never raises SIGPIPE, and shutdown(2) on the descriptor from another
// thread wakes a blocked read exactly as it does for a plain socket.
#pragma once

#include <memory>
#include <string>

#include "server/pgwire/byte_stream.h"

typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_st SSL;

namespace strata::pgwire {

class TlsContext {
 public:
  // Loads a PEM certificate (chain) and its private key. Null, with a reason in *error
  // naming the file and OpenSSL's complaint, when either cannot be used.
  static std::shared_ptr<TlsContext> Load(const std::string& cert_file, const std::string& key_file,
                                          std::string* error);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  SSL_CTX* get() const { return ctx_; }

 private:
  explicit TlsContext(SSL_CTX* ctx) : ctx_(ctx) {}
  SSL_CTX* ctx_;
};

class TlsByteStream : public ByteStream {
 public:
  // The descriptor stays owned by the caller (it must outlive this stream); Close() ends the
  // TLS session (close_notify) but leaves the descriptor open.
  TlsByteStream(const TlsContext& context, int fd);
  ~TlsByteStream() override;

  // Runs the server side of the handshake. False (with a reason in *error) if it fails.
  bool Handshake(std::string* error = nullptr);

  bool ReadExact(void* dst, size_t n) override;
  bool Write(const void* src, size_t n) override;
  bool Flush() override { return !failed_; }  // SSL_write sends each record at once
  void Close() override;

 private:
  SSL* ssl_ = nullptr;
  bool handshake_done_ = false;
  bool failed_ = false;
  bool closed_ = false;
};

}  // namespace strata::pgwire
