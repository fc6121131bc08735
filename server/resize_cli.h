// `strata resize --nodes N [--host 127.0.0.1] [--port 5439] [--user strata] [--dbname dev]`:
// resizes a running cluster to N compute nodes through its leader (RESIZE CLUSTER TO N, over
// libpq; the password from PGPASSWORD or ~/.pgpass, TLS as libpq's PGSSLMODE says). `strata
// serve` starts and stops the node processes itself; nodes started by hand must be started
// (strata compute --join LEADER:RPC --node-id K) before, or stopped after. See server/resize.h.
#pragma once

namespace strata {

int RunResizeCli(int argc, char** argv);

}  // namespace strata
