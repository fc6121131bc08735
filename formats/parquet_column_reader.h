// ColumnChunkReader: decodes one column chunk of one row group, page by page, into Strata
// vectors of the target type. A dictionary page is decoded once into typed values; each data
// page (v1: levels and values compressed together, each level stream with a 4-byte length; v2:
// levels uncompressed in front, values compressed alone) is decompressed, its definition levels
// expanded to one byte per row, and its non-null values decoded into a typed array that Read()
// then converts into the output vector (see parquet_convert.h).
#pragma once

#include <string>
#include <vector>

#include "io/byte_source.h"
#include "formats/parquet_convert.h"
#include "formats/parquet_metadata.h"

namespace strata::parquet {

class ColumnChunkReader {
 public:
  // Reads the chunk's bytes from src; conv is the planned conversion for this column.
  ColumnChunkReader(ByteSource* src, const ParquetColumn& col, const ColumnMetaData& meta, Conversion conv);
  // Fills rows [0, n) of out (already resized) with the chunk's next n rows.
  void Read(Vector* out, size_t n);

 private:
  // The decoded values of one page or of the dictionary, by source kind.
  struct Values {
    std::vector<uint8_t> b;
    std::vector<int32_t> i32;
    std::vector<int64_t> i64;
    std::vector<float> f32;
    std::vector<double> f64;
    std::vector<std::string_view> str;
    size_t size(SourceKind k) const;
  };

  void LoadNextPage();
  void LoadDictionary(const PageHeader& h, std::string_view body);
  // Decodes n values of `encoding` from data into vals.
  void DecodeValues(Encoding encoding, const uint8_t* data, size_t size, size_t n, Values* vals, bool is_dict);
  template <typename T>
  void Emit(const T* src, Vector* out, size_t at, size_t k);
  template <typename Dst, typename Src, typename F>
  void Loop(const Src* src, Vector* out, size_t at, size_t k, F f);

  const ParquetColumn& col_;
  const ColumnMetaData& meta_;
  Conversion conv_;
  std::string chunk_;
  size_t pos_ = 0;
  int64_t values_read_ = 0;  // rows of the chunk in pages loaded so far

  std::string dict_buf_;
  Values dict_;
  bool has_dict_ = false;

  std::string page_buf_;
  std::string page_arena_;  // DELTA_BYTE_ARRAY values
  std::vector<uint8_t> defs_;
  std::vector<uint32_t> indices_;
  Values page_;
  size_t page_rows_ = 0, page_row_ = 0, value_pos_ = 0;
};

}  // namespace strata::parquet
