// A ByteStream over a connected Boost.Asio TCP socket, with blocking reads and writes: each
// connection has its own thread (PgServer), so blocking I/O keeps the protocol code linear.
// Shutdown() may be called from another thread to wake a blocked read when the server stops.
// After StartTls() every read and write goes through a TLS session over the same descriptor.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <mutex>
#include <string>

#include "server/pgwire/byte_stream.h"

namespace strata::pgwire {

class TlsContext;
class TlsByteStream;

class SocketByteStream : public ByteStream {
 public:
  explicit SocketByteStream(boost::asio::ip::tcp::socket socket);
  ~SocketByteStream() override;

  bool ReadExact(void* dst, size_t n) override;
  bool Write(const void* src, size_t n) override;
  bool Flush() override;
  void Close() override;
  bool PeerGone() override;
  void InterruptRead() override;

  // Shuts both directions down at the OS level: blocked reads and writes return. Thread-safe
  // with respect to a read in progress (it touches only the file descriptor).
  void Shutdown();

  // Runs the server side of a TLS handshake on this connection (after the 'S' answer to an
  // SSLRequest has been written); from then on the stream is encrypted. False, with a reason
  // in *error, when the handshake fails: the connection is then unusable.
  bool StartTls(const TlsContext& context, std::string* error = nullptr);

 private:
  boost::asio::ip::tcp::socket socket_;
  std::unique_ptr<TlsByteStream> tls_;  // set once TLS has started
  // Guards closing against a concurrent Shutdown(), which must never touch a closed (and
  // possibly reused) file descriptor. Reads and writes happen on the owning thread only.
  std::mutex close_mu_;
  bool closed_ = false;
};

}  // namespace strata::pgwire
