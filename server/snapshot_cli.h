// `strata snapshot`: a snapshot store (replication/snapshot_store.h) from the command line,
// without a running cluster. S3 settings come from the AWS_* environment.
//
//   strata snapshot list   --location LOC                 one line per snapshot
//   strata snapshot verify --location LOC --snapshot NAME  read every object, check its checksum
//   strata snapshot copy   --location LOC --snapshot NAME --to LOC2   only what LOC2 lacks
//   strata snapshot delete --location LOC --snapshot NAME  and every object no other snapshot needs
//
// verify and copy draw their progress on stderr. Exit 0 on success, 1 on an error (verify: any
// missing or corrupt object, each named), 2 on bad usage.
#pragma once

namespace strata {

int RunSnapshotCli(int argc, char** argv);

}  // namespace strata
