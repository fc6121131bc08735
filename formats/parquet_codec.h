// Page compression codecs. Decompression knows the uncompressed size from the page header and
// fails (SqlError 22P04) unless the codec produces exactly that many bytes. LZ4 is the old
// Hadoop-framed variant (big-endian uncompressed and compressed block sizes before each raw
// block); files whose "LZ4" pages are plain raw blocks are accepted too, as parquet-cpp does.
#pragma once

#include <string>
#include <string_view>

#include "formats/parquet_metadata.h"

namespace strata::parquet {

// Decompresses `in` into out (resized to uncompressed_size).
void Decompress(Codec codec, std::string_view in, size_t uncompressed_size, std::string* out);
// Compresses `in` into out (replaced). Supports UNCOMPRESSED, SNAPPY, GZIP, ZSTD, LZ4_RAW.
void Compress(Codec codec, std::string_view in, std::string* out);
const char* CodecName(Codec codec);

}  // namespace strata::parquet
