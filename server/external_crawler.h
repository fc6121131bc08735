// The crawler (the Glue crawler's job): infers external tables from the files under a location.
// Each folder right below the location is a table (or the location itself, when its files sit
// there or in Hive k=v folders); Hive k=v folders below a table's folder are its partitions, in
// order, typed int when every value is an integer, else varchar. Columns come from Parquet
// footers (leaf names and types), and from sampling for text and JSON: a CSV / TSV / pipe file's
// delimiter and header are detected, and each column's type widens over the sampled values
// (int → bigint → decimal-free double → varchar; dates and timestamps when every value is one).
// Used by the CRAWL statement (server/leader_external.cpp) and `strata crawl`.
#pragma once

#include <string>
#include <vector>

#include "io/object_store.h"
#include "sql/types.h"

namespace strata {

struct CrawledTable {
  std::string name;      // lowercased, with characters outside [a-z0-9_] as '_'
  std::string location;  // the table's folder, with a trailing '/'
  std::string format;    // "parquet", "text", "csv", "json", "orc", "avro"
  std::string delimiter; // text and csv
  bool header = false;   // text and csv: the first line names the columns
  std::vector<std::pair<std::string, SqlType>> columns;
  std::vector<std::pair<std::string, SqlType>> partition_keys;
  struct Partition {
    std::vector<std::string> values;
    std::string location;
  };
  std::vector<Partition> partitions;
  int64_t files = 0;
};

// Crawls `location` (s3:// or file://). `only_table`, when set, names the one table to infer
// from the whole location. Throws 58P01 when nothing is there.
std::vector<CrawledTable> CrawlLocation(const std::string& location, const std::string& only_table, const ObjectStoreConfig& cfg);

}  // namespace strata
