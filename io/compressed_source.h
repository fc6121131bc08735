// Whole-file compression for loading and unloading: gzip (concatenated members are read
// through, as gzip(1) does), bzip2 (concatenated streams too), zstd (concatenated frames) and
// LZ4 frames. A decompressed source streams: reads must come at non-decreasing offsets (a
// forward gap is decompressed and skipped; a backward read throws), and Size() is -1 because
// the length is unknown until the end. A truncated or corrupt stream throws 22P04
// (bad_copy_file_format), e.g. `unexpected end of gzip stream in "s3://b/x.gz"`.
#pragma once

#include <memory>
#include <string_view>

#include "io/byte_source.h"

namespace strata {

enum class Compression { kNone, kGzip, kBzip2, kZstd, kLz4 };

// "gzip"/"gz", "bzip2"/"bz2", "zstd"/"zst", "lz4", "none"/"" (case-insensitive); 22023 otherwise.
Compression CompressionFromName(std::string_view name);
// By file extension: "x.csv.gz" -> kGzip; kNone when the extension names no codec.
Compression CompressionFromExtension(std::string_view path);
const char* CompressionName(Compression c);

// kNone returns `raw` itself.
std::unique_ptr<ByteSource> OpenDecompressed(std::unique_ptr<ByteSource> raw, Compression c);
// Compresses everything appended; Finish() ends the stream and finishes `raw`. kNone returns
// `raw` itself. `level` is the codec's own scale (gzip 1-9, bzip2 1-9, zstd 1-19, lz4 0-12);
// 0 or below picks the codec's default.
std::unique_ptr<ByteSink> OpenCompressed(std::unique_ptr<ByteSink> raw, Compression c, int level);

}  // namespace strata
