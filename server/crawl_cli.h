// `strata crawl LOCATION --schema S [--table T] [--host 127.0.0.1] [--port 5439] [--user strata]
// [--dbname dev]`: runs the crawler through a running leader (the CRAWL statement, over libpq;
// the password from PGPASSWORD or ~/.pgpass, TLS as libpq's PGSSLMODE says) and prints one line
// per table it created or updated.
#pragma once

namespace strata {

int RunCrawlCli(int argc, char** argv);

}  // namespace strata
