// A compute slice's side of Spectrum: reading one external split on a spectrum worker. The
// slice sends the worker a ScanSplit (rpc.proto) and takes back its rows as EXCHANGE_DATA frames
// on the same connection, then STAGE_DONE with what the worker read; TCP's flow control keeps a
// worker from running ahead of the slice. A worker that cannot be reached, or that goes silent
// or away mid-split, is replaced by the next one in the scan's list, up to five times (as
// Redshift retries Spectrum requests), and the rows the slice already passed on are skipped on
// the retry (a split reads in the same order every time). An error the worker reports about the
// file itself (corrupt, vanished, bad value) fails the query at once.
#pragma once

#include <atomic>
#include <memory>

#include "executor/external_scan.h"
#include "server/cluster_secret.h"

namespace strata {

inline constexpr int kSpectrumRetries = 5;

std::unique_ptr<ExternalSplitReader> OpenRemoteSplit(const plan::FileScan& spec, const plan::LoadSplit& split,
                                                     plan::ScanStat* stat, const ClusterSecret& secret, uint64_t query_id,
                                                     const std::atomic<bool>* cancelled);

}  // namespace strata
