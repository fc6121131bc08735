// The cluster secret: the shared key with which the leader, compute nodes and spectrum workers
// prove to each other that they belong to one cluster (rpc_handshake.h). It lives in a file
// readable by its owner only (mode 0600): `strata serve` and a hand-started leader create it
// (32 random bytes from OpenSSL, hex encoded) when it does not exist; compute and spectrum
// processes only read it. The file holds one line; surrounding whitespace is ignored.
#pragma once

#include <string>

namespace strata {

class ClusterSecret {
 public:
  ClusterSecret() = default;
  explicit ClusterSecret(std::string key) : key_(std::move(key)) {}
  // The key bytes; empty for a default-constructed secret, which no RPC path accepts.
  const std::string& key() const { return key_; }
  bool empty() const { return key_.empty(); }

 private:
  std::string key_;
};

// Secrets shorter than this are refused: they could be guessed.
inline constexpr size_t kMinClusterSecretLength = 32;

// Reads the secret from `path`. Throws SqlError 58030 when the file does not exist or cannot
// be read, and 28000 when it is readable by group or others or holds fewer than
// kMinClusterSecretLength characters.
ClusterSecret LoadClusterSecret(const std::string& path);

// Reads the secret from `path`, first creating the file (mode 0600, durably, never replacing a
// file another process created meanwhile) when it does not exist.
ClusterSecret LoadOrCreateClusterSecret(const std::string& path);

}  // namespace strata
