// The cluster RPC handshake over a raw socket, with poll() deadlines (see rpc_handshake.h).
#include "server/rpc_handshake.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace strata {
namespace {

using Clock = std::chrono::steady_clock;

constexpr char kHelloMagic[4] = {'S', 'A', 'U', 'T'};
constexpr size_t kNonceSize = 32;
constexpr size_t kMacSize = 32;  // SHA-256
constexpr char kServerLabel[] = "strata cluster rpc v1: server proof";
constexpr char kClientLabel[] = "strata cluster rpc v1: client proof";

// Waits until `fd` is ready for `events` or the deadline passes.
bool WaitFor(int fd, short events, Clock::time_point deadline, std::string* error) {
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      *error = "the cluster handshake timed out";
      return false;
    }
    pollfd p{fd, events, 0};
    int r = ::poll(&p, 1, static_cast<int>(left));
    if (r > 0) return true;
    if (r < 0 && errno != EINTR) {
      *error = std::string("poll failed: ") + std::strerror(errno);
      return false;
    }
  }
}

bool ReadFull(int fd, unsigned char* dst, size_t n, Clock::time_point deadline, std::string* error) {
  size_t got = 0;
  while (got < n) {
    if (!WaitFor(fd, POLLIN, deadline, error)) return false;
    ssize_t r = ::recv(fd, dst + got, n - got, MSG_DONTWAIT);
    if (r == 0) {
      *error = "the peer closed the connection during the cluster handshake";
      return false;
    }
    if (r < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
      *error = std::string("cluster handshake read failed: ") + std::strerror(errno);
      return false;
    }
    got += static_cast<size_t>(r);
  }
  return true;
}

bool WriteFull(int fd, const unsigned char* src, size_t n, Clock::time_point deadline, std::string* error) {
  size_t sent = 0;
  while (sent < n) {
    if (!WaitFor(fd, POLLOUT, deadline, error)) return false;
    ssize_t r = ::send(fd, src + sent, n - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (r < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
      *error = std::string("cluster handshake write failed: ") + std::strerror(errno);
      return false;
    }
    sent += static_cast<size_t>(r);
  }
  return true;
}

bool RandomNonce(unsigned char* nonce, std::string* error) {
  if (RAND_bytes(nonce, kNonceSize) == 1) return true;
  *error = "OpenSSL has no randomness for a cluster handshake nonce";
  return false;
}

// HMAC-SHA256(secret, label | nonce_c | nonce_s).
void Mac(const ClusterSecret& secret, const char* label, const unsigned char* nonce_c, const unsigned char* nonce_s,
         unsigned char* out) {
  std::string msg(label, std::strlen(label) + 1);  // the NUL ends the label unambiguously
  msg.append(reinterpret_cast<const char*>(nonce_c), kNonceSize);
  msg.append(reinterpret_cast<const char*>(nonce_s), kNonceSize);
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.key().data(), static_cast<int>(secret.key().size()),
       reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), out, &len);
}

bool NoSecret(const ClusterSecret& secret, std::string* error) {
  if (!secret.empty()) return false;
  *error = "no cluster secret is configured";
  return true;
}

}  // namespace

RpcAuthOutcome AuthenticateRpcClient(int fd, const ClusterSecret& secret, std::chrono::milliseconds timeout,
                                     std::string* error) {
  if (NoSecret(secret, error)) return RpcAuthOutcome::kFailed;
  Clock::time_point deadline = Clock::now() + timeout;
  unsigned char hello[sizeof kHelloMagic + kNonceSize];
  std::memcpy(hello, kHelloMagic, sizeof kHelloMagic);
  unsigned char* nonce_c = hello + sizeof kHelloMagic;
  if (!RandomNonce(nonce_c, error) || !WriteFull(fd, hello, sizeof hello, deadline, error)) {
    return RpcAuthOutcome::kFailed;
  }
  unsigned char challenge[kNonceSize + kMacSize];
  if (!ReadFull(fd, challenge, sizeof challenge, deadline, error)) return RpcAuthOutcome::kFailed;
  const unsigned char* nonce_s = challenge;
  unsigned char expected[kMacSize];
  Mac(secret, kServerLabel, nonce_c, nonce_s, expected);
  if (CRYPTO_memcmp(expected, challenge + kNonceSize, kMacSize) != 0) {
    *error = "the peer does not know the cluster secret";
    return RpcAuthOutcome::kWrongSecret;
  }
  unsigned char proof[kMacSize];
  Mac(secret, kClientLabel, nonce_c, nonce_s, proof);
  return WriteFull(fd, proof, sizeof proof, deadline, error) ? RpcAuthOutcome::kAuthenticated : RpcAuthOutcome::kFailed;
}

RpcAuthOutcome AuthenticateRpcServer(int fd, const ClusterSecret& secret, std::chrono::milliseconds timeout,
                                     std::string* error) {
  if (NoSecret(secret, error)) return RpcAuthOutcome::kFailed;
  Clock::time_point deadline = Clock::now() + timeout;
  unsigned char hello[sizeof kHelloMagic + kNonceSize];
  if (!ReadFull(fd, hello, sizeof hello, deadline, error)) return RpcAuthOutcome::kFailed;
  if (std::memcmp(hello, kHelloMagic, sizeof kHelloMagic) != 0) {
    *error = "the peer did not open with a cluster handshake";
    return RpcAuthOutcome::kFailed;
  }
  const unsigned char* nonce_c = hello + sizeof kHelloMagic;
  unsigned char challenge[kNonceSize + kMacSize];
  unsigned char* nonce_s = challenge;
  if (!RandomNonce(nonce_s, error)) return RpcAuthOutcome::kFailed;
  Mac(secret, kServerLabel, nonce_c, nonce_s, challenge + kNonceSize);
  if (!WriteFull(fd, challenge, sizeof challenge, deadline, error)) return RpcAuthOutcome::kFailed;
  unsigned char proof[kMacSize];
  if (!ReadFull(fd, proof, sizeof proof, deadline, error)) return RpcAuthOutcome::kFailed;
  unsigned char expected[kMacSize];
  Mac(secret, kClientLabel, nonce_c, nonce_s, expected);
  if (CRYPTO_memcmp(expected, proof, kMacSize) != 0) {
    *error = "the peer does not know the cluster secret";
    return RpcAuthOutcome::kWrongSecret;
  }
  return RpcAuthOutcome::kAuthenticated;
}

}  // namespace strata
