// AvroReader: Avro object container files (Spectrum's STORED AS AVRO), read with Debian's Avro C
// library (libavro). The writer's schema is taken from the file header ("avro.schema", parsed
// here with simdjson so that logical types are known: date, timestamp-millis/-micros, decimal);
// the top-level record's fields are the columns, a ["null", T] union being a nullable T. Read
// decodes every record into batches of the SqlTypes asked for: integers range-checked (22003),
// decimals rescaled, dates and timestamps moved to Strata's 2000-01-01 epoch, enums as their
// symbol, strings length-checked (22001). Nested fields (records, arrays, maps) are 0A000; a
// file libavro cannot read is 22P04 naming it. A file is one split (read whole into memory).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sql/types.h"
#include "sql/vector.h"

namespace strata {

struct AvroColumn {
  std::string name;
  std::string type;          // the Avro type: "int", "long", "string", "bytes", "fixed", "enum", ...
  std::string logical;       // "date", "timestamp-millis", "timestamp-micros", "decimal", or ""
  int precision = 0, scale = 0;  // decimal
  bool nullable = false;
  bool nested = false;       // a record, array or map (not readable yet)
};

class AvroReader {
 public:
  // `bytes`: the whole file; `name` names it in errors.
  AvroReader(std::string bytes, std::string name);
  ~AvroReader();

  const std::vector<AvroColumn>& columns() const { return columns_; }
  // Reads every record's `columns` (indexes into columns()) as `types`; emit takes each batch.
  void Read(const std::vector<int>& columns, const std::vector<SqlType>& types, const std::function<void(Batch&)>& emit);

  // The SQL type a column reads as by default (the crawler's choice).
  static SqlType DefaultType(const AvroColumn& c);

 private:
  std::string bytes_;
  std::string name_;
  std::vector<AvroColumn> columns_;
};

}  // namespace strata
