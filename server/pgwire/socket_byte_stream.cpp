// Blocking TCP ByteStream (see socket_byte_stream.h).
#include "server/pgwire/socket_byte_stream.h"

#include <poll.h>

#include <fcntl.h>
#include <sys/socket.h>

#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "server/pgwire/tls_byte_stream.h"

namespace strata::pgwire {

SocketByteStream::SocketByteStream(boost::asio::ip::tcp::socket socket)
    : socket_(std::move(socket)) {
  boost::system::error_code ec;
  socket_.set_option(boost::asio::ip::tcp::no_delay(true), ec);  // small replies, no Nagle wait
}

SocketByteStream::~SocketByteStream() { Close(); }

bool SocketByteStream::StartTls(const TlsContext& context, std::string* error) {
  int fd = socket_.native_handle();
  // OpenSSL reads and writes the descriptor itself: make sure it blocks.
  int flags = ::fcntl(fd, F_GETFL, 0);
  if (flags >= 0 && (flags & O_NONBLOCK)) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  auto tls = std::make_unique<TlsByteStream>(context, fd);
  if (!tls->Handshake(error)) return false;
  tls_ = std::move(tls);
  return true;
}

bool SocketByteStream::ReadExact(void* dst, size_t n) {
  if (closed_) return false;
  if (tls_) return tls_->ReadExact(dst, n);
  boost::system::error_code ec;
  size_t got = boost::asio::read(socket_, boost::asio::buffer(dst, n), ec);
  return !ec && got == n;
}

bool SocketByteStream::Write(const void* src, size_t n) {
  if (closed_) return false;
  if (tls_) return tls_->Write(src, n);
  boost::system::error_code ec;
  boost::asio::write(socket_, boost::asio::buffer(src, n), ec);
  return !ec;
}

bool SocketByteStream::Flush() { return !closed_; }  // writes are not buffered here

void SocketByteStream::Close() {
  std::lock_guard<std::mutex> lock(close_mu_);
  if (closed_) return;
  closed_ = true;
  if (tls_) tls_->Close();
  boost::system::error_code ec;
  socket_.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
}

void SocketByteStream::Shutdown() {
  std::lock_guard<std::mutex> lock(close_mu_);
  if (!closed_) ::shutdown(socket_.native_handle(), SHUT_RDWR);
}

void SocketByteStream::InterruptRead() {
  std::lock_guard<std::mutex> lock(close_mu_);
  if (!closed_) ::shutdown(socket_.native_handle(), SHUT_RD);
}

bool SocketByteStream::PeerGone() {
  std::lock_guard<std::mutex> lock(close_mu_);
  if (closed_) return true;
  pollfd p{socket_.native_handle(), POLLRDHUP, 0};
  if (::poll(&p, 1, 0) <= 0) return false;
  return (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

}  // namespace strata::pgwire
