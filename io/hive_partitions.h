// Hive-style partition folders, as Athena, Glue, Spark and DuckDB write them: a file at
// LOCATION/year=2024/month=07/part-0.parquet belongs to the partition (year '2024', month '07').
// Names and values are URL-escaped in folder names (%2F for '/', %3A for ':'), and a NULL value
// is the folder __HIVE_DEFAULT_PARTITION__. Used by MSCK REPAIR TABLE, the crawler, and CTAS /
// INSERT into a partitioned external table.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace strata {

inline constexpr const char* kHiveNullPartition = "__HIVE_DEFAULT_PARTITION__";

// The k=v folders of `relative` (a path below the table's location, the file name last), in
// order; folders that are not k=v end the list.
std::vector<std::pair<std::string, std::string>> HiveFolders(std::string_view relative);

// The values of `keys` (lowercase names, in order) from the first folders of `relative`; nullopt
// when the path does not have exactly those keys first, in that order.
std::optional<std::vector<std::string>> HivePartitionValues(std::string_view relative, const std::vector<std::string>& keys);

// "k=v/" with both escaped as Hive does.
std::string HiveFolder(std::string_view key, std::string_view value);

std::string HiveUnescape(std::string_view s);
std::string HiveEscape(std::string_view s);

// A location with exactly one trailing '/'.
std::string WithTrailingSlash(std::string location);

}  // namespace strata
