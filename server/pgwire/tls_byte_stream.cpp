// TLS contexts and sessions over OpenSSL (see tls_byte_stream.h).
#include "server/pgwire/tls_byte_stream.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>

namespace strata::pgwire {
namespace {

constexpr const char* kTls12Ciphers = "ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM:DHE+CHACHA20:!aNULL:!eNULL";

// The oldest OpenSSL error on this thread's queue as text (and the queue cleared).
std::string OpenSslError() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown error";
  char buf[256];
  ERR_error_string_n(code, buf, sizeof buf);
  return buf;
}

int FdOf(BIO* bio) { return static_cast<int>(reinterpret_cast<intptr_t>(BIO_get_data(bio))); }

int BioWrite(BIO* bio, const char* data, int len) {
  BIO_clear_retry_flags(bio);
  ssize_t n;
  do {
    n = ::send(FdOf(bio), data, static_cast<size_t>(len), MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) BIO_set_retry_write(bio);
  return static_cast<int>(n);
}

int BioRead(BIO* bio, char* data, int len) {
  BIO_clear_retry_flags(bio);
  ssize_t n;
  do {
    n = ::recv(FdOf(bio), data, static_cast<size_t>(len), 0);
  } while (n < 0 && errno == EINTR);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) BIO_set_retry_read(bio);
  return static_cast<int>(n);
}

long BioCtrl(BIO*, int cmd, long, void*) { return cmd == BIO_CTRL_FLUSH ? 1 : 0; }

int BioCreate(BIO* bio) {
  BIO_set_init(bio, 1);
  return 1;
}

const BIO_METHOD* SocketBioMethod() {
  static BIO_METHOD* method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "strata socket");
    BIO_meth_set_write(m, BioWrite);
    BIO_meth_set_read(m, BioRead);
    BIO_meth_set_ctrl(m, BioCtrl);
    BIO_meth_set_create(m, BioCreate);
    return m;
  }();
  return method;
}

}  // namespace

std::shared_ptr<TlsContext> TlsContext::Load(const std::string& cert_file, const std::string& key_file,
                                             std::string* error) {
  auto fail = [&](SSL_CTX* ctx, const std::string& what) -> std::shared_ptr<TlsContext> {
    if (error) *error = what + ": " + OpenSslError();
    if (ctx) SSL_CTX_free(ctx);
    return nullptr;
  };
  ERR_clear_error();
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr) return fail(nullptr, "cannot create a TLS context");
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  // Forward secrecy only: TLS 1.2 suites with an ephemeral (EC)DH key exchange and an AEAD
  // cipher; TLS 1.3's suites are all ephemeral already and keep OpenSSL's defaults.
  if (SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1) return fail(ctx, "cannot set the TLS 1.2 cipher list");
  SSL_CTX_set_dh_auto(ctx, 1);  // DHE needs parameters; OpenSSL picks them by key size
  if (SSL_CTX_use_certificate_chain_file(ctx, cert_file.c_str()) != 1) {
    return fail(ctx, "cannot load TLS certificate \"" + cert_file + "\"");
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return fail(ctx, "cannot load TLS private key \"" + key_file + "\"");
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    return fail(ctx, "TLS private key \"" + key_file + "\" does not match certificate \"" + cert_file + "\"");
  }
  return std::shared_ptr<TlsContext>(new TlsContext(ctx));
}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

TlsByteStream::TlsByteStream(const TlsContext& context, int fd) {
  ssl_ = SSL_new(context.get());
  if (ssl_ == nullptr) {
    failed_ = true;
    return;
  }
  BIO* bio = BIO_new(SocketBioMethod());
  BIO_set_data(bio, reinterpret_cast<void*>(static_cast<intptr_t>(fd)));
  SSL_set_bio(ssl_, bio, bio);  // the SSL owns the BIO
}

TlsByteStream::~TlsByteStream() {
  Close();
  if (ssl_ != nullptr) SSL_free(ssl_);
}

bool TlsByteStream::Handshake(std::string* error) {
  if (failed_ || ssl_ == nullptr) {
    if (error) *error = "cannot create a TLS session";
    return false;
  }
  ERR_clear_error();
  int r = SSL_accept(ssl_);
  if (r != 1) {
    failed_ = true;
    if (error) *error = "TLS handshake failed: " + OpenSslError();
    ERR_clear_error();
    return false;
  }
  handshake_done_ = true;
  return true;
}

bool TlsByteStream::ReadExact(void* dst, size_t n) {
  if (failed_ || closed_ || !handshake_done_) return false;
  char* out = static_cast<char*>(dst);
  size_t got = 0;
  while (got < n) {
    int r = SSL_read(ssl_, out + got, static_cast<int>(std::min<size_t>(n - got, 1 << 30)));
    if (r <= 0) {
      failed_ = true;
      ERR_clear_error();
      return false;
    }
    got += static_cast<size_t>(r);
  }
  return true;
}

bool TlsByteStream::Write(const void* src, size_t n) {
  if (failed_ || closed_ || !handshake_done_) return false;
  const char* in = static_cast<const char*>(src);
  size_t sent = 0;
  while (sent < n) {
    int r = SSL_write(ssl_, in + sent, static_cast<int>(std::min<size_t>(n - sent, 1 << 30)));
    if (r <= 0) {
      failed_ = true;
      ERR_clear_error();
      return false;
    }
    sent += static_cast<size_t>(r);
  }
  return true;
}

void TlsByteStream::Close() {
  if (closed_) return;
  closed_ = true;
  if (ssl_ != nullptr && handshake_done_ && !failed_) {
    SSL_shutdown(ssl_);  // best effort close_notify; the peer may already be gone
    ERR_clear_error();
  }
}

}  // namespace strata::pgwire
