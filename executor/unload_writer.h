// UNLOAD's (and COPY TO STDOUT's) file writing: a slice's rows become files under the prefix,
// named as Redshift names them (`<prefix>0003_part_00` for slice 3, a new part each time a file
// reaches MAXFILESIZE; `<prefix>000` with PARALLEL OFF), in the spec's format (text, CSV, JSON
// lines or Parquet), optionally compressed, and with PARTITION BY in Hive-style folders
// (`<prefix>/year=1994/month=3/0003_part_00`). Nothing is visible until a file is finished.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "formats/file_format.h"
#include "io/byte_source.h"
#include "planner/plan.pb.h"
#include "sql/vector.h"

namespace strata {

// The writer of one file in the spec's format (text / CSV / JSON lines / PostgreSQL text /
// Parquet, formats/file_format.h). `names` and `types` are the columns written (the spec's,
// minus partition columns unless INCLUDE).
std::unique_ptr<RecordWriter> MakeRowFileWriter(const plan::UnloadSpec& spec, ByteSink* sink,
                                                 const std::vector<std::string>& names,
                                                 const std::vector<SqlType>& types);

class UnloadWriter {
 public:
  // `slice` numbers the files (the leader writes as slice 0).
  UnloadWriter(const plan::UnloadSpec& spec, int slice);
  ~UnloadWriter();
  void Write(const Batch& batch);
  // Finishes every open file; returns all the files written.
  std::vector<plan::UnloadedFile> Finish();

 private:
  struct OpenFile;
  OpenFile& FileFor(const std::string& folder);
  void Close(OpenFile& f);
  void WriteRows(const std::string& folder, const Batch& batch);

  plan::UnloadSpec spec_;
  int slice_;
  std::vector<int> data_columns_;  // columns written into the files
  std::vector<std::string> names_;
  std::vector<SqlType> types_;
  std::map<std::string, std::unique_ptr<OpenFile>> open_;  // by partition folder ("" unpartitioned)
  std::map<std::string, int> next_part_;
  std::vector<plan::UnloadedFile> written_;
};

}  // namespace strata
