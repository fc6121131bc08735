// OrcReader: Strata's own reader of ORC files (no Debian package reads them), for Spectrum's
// external tables, written from the ORC v1 specification. The constructor reads the file tail
// (the 1-byte postscript length, the PostScript, then the compressed Footer and Metadata, all
// protobuf: formats/orc.proto) and lists the root struct's fields as columns; ReadStripe
// decodes the chosen columns of one stripe (its streams fetched with one ranged read each) in
// batches of kBatchSize rows, converted to the SqlTypes asked for: integers range-checked
// (22003), decimals rescaled, DATE moved to Strata's 2000-01-01 epoch, TIMESTAMP from seconds
// since 2015-01-01 in the writer's time zone (and nanoseconds) to a wall-clock timestamp,
// strings length-checked (22001). Nested columns are listed but reading one is 0A000; LZO
// compression is 0A000; corrupt input is 22P04 naming the file.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "formats/orc.pb.h"
#include "formats/parquet_reader.h"
#include "io/byte_source.h"
#include "sql/types.h"
#include "sql/vector.h"

namespace strata {

struct OrcColumn {
  std::string name;
  int id = 0;  // the column id in the file (its type's index)
  orc::Type type;
  bool nested = false;
};

class OrcReader {
 public:
  explicit OrcReader(ByteSource* source);
  ~OrcReader();

  const std::vector<OrcColumn>& columns() const { return columns_; }
  int stripes() const { return footer_.stripes_size(); }
  int64_t stripe_rows(int s) const { return static_cast<int64_t>(footer_.stripes(s).numberofrows()); }
  int64_t stripe_bytes(int s) const;
  int64_t rows() const { return static_cast<int64_t>(footer_.numberofrows()); }
  // The stripe's statistics of a column (from the file's Metadata), or null when absent.
  const orc::ColumnStatistics* StripeStats(int stripe, int column_id) const;
  // Those statistics of column `column` (an index into columns()) in the representation of
  // `target`, as ParquetReader::ColumnStats gives them; false when there are none usable.
  bool ColumnStats(int stripe, int column, const SqlType& target, ParquetStats* out) const;

  // Reads stripe `s`'s `columns` (indexes into columns()) as `types`; emit takes each batch.
  void ReadStripe(int s, const std::vector<int>& columns, const std::vector<SqlType>& types,
                  const std::function<void(Batch&)>& emit);

  // The SQL type a column of this ORC type reads as by default (the crawler's choice).
  static SqlType DefaultType(const orc::Type& t);

 private:
  std::string ReadRange(int64_t offset, int64_t length) const;
  std::string Decompress(const std::string& raw) const;

  ByteSource* source_;
  std::string file_;
  orc::PostScript postscript_;
  orc::Footer footer_;
  orc::Metadata metadata_;
  std::vector<OrcColumn> columns_;
};

}  // namespace strata
