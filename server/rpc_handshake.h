// The handshake that opens every cluster RPC connection: a mutual challenge-response on the
// cluster secret (cluster_secret.h), run on the raw socket before the first frame, so that a
// process that does not know the secret never gets a command handled.
//
//   client -> server  hello:     "SAUT" | nonce_c (32 random bytes)
//   server -> client  challenge: nonce_s (32 random bytes) | HMAC-SHA256(secret, "server" label | nonce_c | nonce_s)
//   client -> server  proof:     HMAC-SHA256(secret, "client" label | nonce_c | nonce_s)
//
// The client checks the server's MAC before it proves anything, and the server checks the
// client's proof before it reads a frame; MACs are compared in constant time. Each side's MAC
// carries its own label, so a MAC learnt by playing one role is no proof in the other, and each
// side's fresh nonce makes a recorded exchange useless later. The handshake authenticates the
// peer, not the bytes that follow (there is no encryption): it keeps out other local users and
// stray processes; a network an attacker can write into needs TLS as well.
//
// A handshake that does not finish within its deadline fails, so that a silent peer cannot
// hold a server thread, and a hung server cannot hold a client.
#pragma once

#include <chrono>
#include <string>

#include "server/cluster_secret.h"

namespace strata {

inline constexpr std::chrono::milliseconds kRpcHandshakeTimeout{10000};

enum class RpcAuthOutcome {
  kAuthenticated,  // the peer proved the secret
  kWrongSecret,    // the peer answered with a proof that does not verify: another cluster
  kFailed,         // no proof at all: timeout, hang-up, not a handshake, no secret configured
};

// Both run on a connected, blocking TCP socket `fd`. kAuthenticated when the peer proved it
// knows the secret (a client checks the server before proving anything itself); otherwise the
// reason is in *error and the caller must drop the connection.
RpcAuthOutcome AuthenticateRpcClient(int fd, const ClusterSecret& secret, std::chrono::milliseconds timeout,
                                     std::string* error);
RpcAuthOutcome AuthenticateRpcServer(int fd, const ClusterSecret& secret, std::chrono::milliseconds timeout,
                                     std::string* error);

}  // namespace strata
