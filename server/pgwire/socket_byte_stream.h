// A ByteStream over a connected Boost.Asio TCP socket, with blocking reads and writes: each
// connection has its own thread (PgServer), so blocking I/O keeps the protocol code linear.
// Shutdown() may be called from another thread to wake a blocked read when the server stops.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <mutex>

#include "server/pgwire/byte_stream.h"

namespace strata::pgwire {

class SocketByteStream : public ByteStream {
 public:
  explicit SocketByteStream(boost::asio::ip::tcp::socket socket);
  ~SocketByteStream() override;

  bool ReadExact(void* dst, size_t n) override;
  bool Write(const void* src, size_t n) override;
  bool Flush() override;
  void Close() override;

  // Shuts both directions down at the OS level: blocked reads and writes return. Thread-safe
  // with respect to a read in progress (it touches only the file descriptor).
  void Shutdown();

 private:
  boost::asio::ip::tcp::socket socket_;
  // Guards closing against a concurrent Shutdown(), which must never touch a closed (and
  // possibly reused) file descriptor. Reads and writes happen on the owning thread only.
  std::mutex close_mu_;
  bool closed_ = false;
};

}  // namespace strata::pgwire
