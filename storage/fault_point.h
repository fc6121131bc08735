// Fault injection for crash tests: named points in the write and commit paths where a process
// can be made to die at once (SIGKILL, as a power cut would), to prove that no committed data is
// lost and no partial statement becomes visible.
//
//   STRATA_FAULT_CRASH=<point>   the point to die at (see the FaultPoint calls), and
//   STRATA_FAULT_ARM=<file>      die only while this file exists; it is removed first, so each
//                                arming kills exactly one process once.
//
// Points: "block_written" and "manifest_written" (compute nodes, after a block or manifest is
// durable), "before_commit" and "after_commit" (leader, around the durable catalog write that
// is the commit point), "push_objects" (compute nodes, as they start sending objects to another
// store: a mirror, a returning node, a resize's new node), "resize_before_switch" and
// "resize_after_switch" (leader, around an elastic resize's commit). Without the variables a
// FaultPoint is one getenv-free branch.
#pragma once

namespace strata {

void FaultPoint(const char* name);

}  // namespace strata
