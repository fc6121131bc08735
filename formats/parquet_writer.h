// ParquetWriter: writes Strata batches as a Parquet file (UNLOAD ... FORMAT PARQUET).
//
// Every column is OPTIONAL with definition levels. Type mapping: BOOLEAN -> BOOLEAN;
// SMALLINT -> INT32 INT(16); INTEGER -> INT32; BIGINT -> INT64; DECIMAL(p<=18) -> INT64
// DECIMAL(p,s); DECIMAL(p>18) -> FIXED_LEN_BYTE_ARRAY(16) DECIMAL(p,s); REAL -> FLOAT;
// DOUBLE -> DOUBLE; DATE -> INT32 DATE (days since 1970); TIMESTAMP -> INT64
// TIMESTAMP(MICROS, isAdjustedToUTC=false); CHAR/VARCHAR/TEXT -> BYTE_ARRAY STRING.
//
// Rows are buffered per row group (PLAIN bytes per column). At a row-group boundary each column
// chunk is written as an optional dictionary page (when the chunk has few distinct values:
// RLE_DICTIONARY indices over a PLAIN dictionary) and data pages v1, each compressed with the
// chosen codec, followed in the footer by min/max/null_count statistics per chunk.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "io/byte_source.h"
#include "formats/parquet_metadata.h"
#include "sql/types.h"
#include "sql/vector.h"

namespace strata {

struct ParquetWriteOptions {
  parquet::Codec codec = parquet::Codec::kSnappy;
  int64_t row_group_rows = 1 << 20;
  int64_t page_rows = 1 << 16;  // values per data page
  bool dictionary = true;       // allow dictionary encoding when it pays
  std::string created_by = "Strata";
};

class ParquetWriter {
 public:
  ParquetWriter(ByteSink* sink, std::vector<std::pair<std::string, SqlType>> columns,
                ParquetWriteOptions opts = {});
  ~ParquetWriter();

  // Appends a batch whose columns have the declared types, in order.
  void Write(const Batch& batch);
  // Writes the last row group and the footer, then finishes the sink.
  void Finish();
  int64_t rows_written() const { return rows_written_; }

 private:
  struct ColumnBuffer;
  void AppendRows(const Batch& batch, size_t begin, size_t end);
  void FlushRowGroup();
  void WriteChunk(ColumnBuffer& col, parquet::ColumnChunk* chunk);
  void WritePage(const parquet::PageHeader& header, const std::string& body, int64_t* uncompressed,
                 int64_t* compressed);

  ByteSink* sink_;
  ParquetWriteOptions opts_;
  std::vector<std::unique_ptr<ColumnBuffer>> buffers_;
  parquet::FileMetaData meta_;
  int64_t group_rows_ = 0;
  int64_t rows_written_ = 0;
  bool finished_ = false;
  std::string scratch_;
};

}  // namespace strata
