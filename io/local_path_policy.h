// Which server folders a statement may read or write through the local object store (COPY FROM
// a path or file:// URL, UNLOAD TO one, CLEANPATH and ALLOWOVERWRITE, manifests and their
// entries). A server process configures the policy once at start-up from its --allow-path
// folders and its own data folder: a local path is usable only inside an allowed folder and
// never inside a denied one, judged after resolving "..", symbolic links and duplicate slashes,
// so that neither `/allowed/../etc/shadow` nor a link under an allowed folder leads out.
// A process that never configures it (a unit test, the object CLI) is not restricted.
#pragma once

#include <string>
#include <vector>

namespace strata {

// Sets the process-wide policy; called before serving. An empty `allowed` list allows no local
// path at all.
void ConfigureLocalPathPolicy(const std::vector<std::string>& allowed, const std::vector<std::string>& denied);

// Throws SqlError 42501 when the policy forbids `path` (an absolute path).
void CheckLocalPathAllowed(const std::string& path);

}  // namespace strata

namespace strata {

// While one lives, this thread's local paths skip the policy: for the server's own use of a
// folder its operator named (the snapshot location), never for a statement's paths.
class TrustedLocalAccess {
 public:
  TrustedLocalAccess();
  ~TrustedLocalAccess();
  TrustedLocalAccess(const TrustedLocalAccess&) = delete;
  TrustedLocalAccess& operator=(const TrustedLocalAccess&) = delete;

 private:
  bool previous_;
};

}  // namespace strata
