// `strata objects ...`: a small command line over the object store, for operators and tests
// (list, copy, remove, print objects on local paths or s3:// URLs, with the AWS_* environment's
// credentials and endpoint).
#pragma once

namespace strata {

// argv[0] is the command's own name ("objects"), argv[1] the verb:
//   ls URL        one line per object: size, a tab, the URL
//   cp SRC DST    copies one object; either side a local path or s3:// URL; a DST ending in
//                 '/' receives SRC's file name
//   rm URL        removes one object
//   cat URL       writes the object to stdout
// Returns the process exit code: 0 on success, 1 on an error (printed to stderr with its
// SQLSTATE), 2 on bad usage.
int RunObjectCli(int argc, char** argv);

}  // namespace strata
