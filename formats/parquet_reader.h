// ParquetReader: Strata's own reader of Parquet files, for COPY ... FORMAT PARQUET (and, later,
// Spectrum scans, which do not exist yet).
//
// The constructor reads and validates the footer ("PAR1" at both ends, a 4-byte footer length,
// Thrift compact FileMetaData) and flattens the schema into leaf columns. ReadRowGroup decodes
// the selected column chunks page by page (dictionary and data pages v1/v2, every codec in
// parquet_codec.h, the encodings in parquet_encoding.h) and converts each value to the SqlType
// the caller asks for, as Redshift's COPY does: integers are range checked (22003), decimals are
// rescaled, dates and timestamps are moved to Strata's 2000-01-01 epoch, strings are length
// checked (22001), and an impossible conversion is 42804. Corrupt input is 22P04 naming the file.
// Nested columns are listed (nested = true) but reading one is 0A000.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "io/byte_source.h"
#include "formats/parquet_metadata.h"
#include "sql/types.h"
#include "sql/vector.h"

namespace strata {

struct ParquetColumn {
  std::string name;  // the leaf's path joined with '.'
  int index = 0;     // leaf position, the index ReadRowGroup takes
  parquet::PhysType physical = parquet::PhysType::kInt32;
  int32_t type_length = 0;  // FIXED_LEN_BYTE_ARRAY width
  // The logical type, filled from the legacy ConvertedType when the file has no LogicalType.
  parquet::LogicalType logical;
  bool optional = false;
  bool nested = false;  // inside a group or repeated
  int max_def_level = 0;
  int max_rep_level = 0;
  // "INT64 TIMESTAMP(MICROS)", "BYTE_ARRAY STRING": for error messages.
  std::string TypeName() const;
};

// Row-group statistics of one column, converted to the target type's representation:
// integers, DATE (days since 2000-01-01), TIMESTAMP (micros since 2000-01-01), BOOLEAN and
// DECIMAL (scaled to the target scale) in min_int/max_int; REAL/DOUBLE in min_double/max_double;
// strings in min_string/max_string.
struct ParquetStats {
  bool has_null_count = false;
  int64_t null_count = 0;
  bool has_min_max = false;
  int128 min_int = 0, max_int = 0;
  double min_double = 0, max_double = 0;
  std::string min_string, max_string;
};

class ParquetReader {
 public:
  explicit ParquetReader(ByteSource* source);
  ~ParquetReader();

  const std::vector<ParquetColumn>& columns() const { return columns_; }
  int row_groups() const { return static_cast<int>(meta_.row_groups.size()); }
  int64_t rows() const { return meta_.num_rows; }
  int64_t row_group_rows(int rg) const { return meta_.row_groups.at(rg).num_rows; }
  const parquet::FileMetaData& metadata() const { return meta_; }

  // False when the chunk has no usable statistics for `target` (absent, INT96, or values that
  // do not convert).
  bool ColumnStats(int rg, int column, const SqlType& target, ParquetStats* out) const;

  // Reads row group rg's `columns` (leaf indexes) converted to `types`, calling emit with
  // batches of at most kBatchSize rows. The batch is the callee's to keep or move from.
  void ReadRowGroup(int rg, const std::vector<int>& columns, const std::vector<SqlType>& types,
                    const std::function<void(Batch&)>& emit);

 private:
  void ReadFooter();
  void FlattenSchema();
  [[noreturn]] void Corrupt(const std::string& what) const;

  ByteSource* source_;
  parquet::FileMetaData meta_;
  std::vector<ParquetColumn> columns_;
};

}  // namespace strata
