// Column encodings (Redshift's ENCODE): how a block's non-NULL values are laid out before they
// are written. Each encoding lives in its own file (storage/encoding_<name>.cpp) as a small
// table of functions, with a worked example at the top of that file:
//
//   accepts   which SQL types it can hold (Redshift's compatibility table)
//   encode    rows [begin, end) of a Vector -> payload bytes
//   decode    payload bytes -> n rows appended to a Vector
//   match     (RUNLENGTH, BYTEDICT, TEXT255, TEXT32K) evaluate-on-encoded: the rows whose value
//             may pass a predicate's test, asking the test once per run or dictionary entry
//
// NULLs are not the encoding's business: block_format.cpp stores the NULL flags beside the
// payload. An encoder sees every row but must ignore the value at a NULL row (it may be
// garbage; encode it as 0 / empty), and a decoder fills those rows with whatever it stored.
// Every encoding accepts every value of the types it accepts: data that does not fit its
// scheme (a MOSTLY8 outlier, the 257th distinct BYTEDICT value, a DELTA step too wide) is
// stored through an escape, never refused. Decoders treat their input as untrusted and throw
// SqlError XX001 (data corrupted) on a malformed payload, never read out of bounds.
//
// The numbers of Encoding match storage.proto's Encoding enum (what a block header records).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sql/types.h"
#include "sql/vector.h"

namespace strata {

enum class Encoding : uint8_t {
  kRaw = 0,
  kAz64 = 1,
  kBytedict = 2,
  kDelta = 3,
  kDelta32k = 4,
  kMostly8 = 5,
  kMostly16 = 6,
  kMostly32 = 7,
  kRunlength = 8,
  kText255 = 9,
  kText32k = 10,
  kLzo = 11,   // accepted for Redshift DDL; RAW layout, compressed with LZ4
  kZstd = 12,  // RAW layout, compressed with ZSTD
};
inline constexpr int kEncodingCount = 13;

// "raw", "az64", "bytedict", "delta", "delta32k", "mostly8", "mostly16", "mostly32",
// "runlength", "text255", "text32k", "lzo", "zstd" (lowercase; nullopt for anything else).
std::optional<Encoding> EncodingFromName(std::string_view lowercase_name);
std::string_view EncodingName(Encoding e);  // lowercase

// Whether `e` can hold a column of type `t` (Redshift's table: e.g. AZ64 for SMALLINT, INTEGER,
// BIGINT, DECIMAL, DATE, TIMESTAMP, TIMESTAMPTZ; TEXT255 only for VARCHAR; MOSTLY8 for
// SMALLINT/INT/BIGINT/DECIMAL; ...).
bool EncodingAccepts(Encoding e, const SqlType& t);

// Redshift's default when a column has no ENCODE: sort key columns and BOOLEAN, REAL, DOUBLE
// PRECISION -> RAW; SMALLINT, INTEGER, BIGINT, DECIMAL, DATE, TIMESTAMP(TZ) -> AZ64;
// CHAR, VARCHAR -> LZO.
Encoding DefaultEncoding(const SqlType& t, bool is_sort_key);

// ENCODE AUTO for strings (a CHAR / VARCHAR column with no ENCODE, or ENCODE AUTO, outside the
// sort key): an encoding number a writer is given with this bit set means "BYTEDICT for each
// block whose values fit its dictionary (at most 255 distinct), the encoding in the low bits for
// the others" -- what Redshift's automatic compression picks for low-cardinality text (TPC-H's
// p_type, l_shipmode), which then decodes without decompressing and filters on the dictionary.
// Only writers read the bit (SliceWriter::set_encodings); block headers and catalogs never hold it.
inline constexpr int kAdaptiveEncodingFlag = 1 << 8;

// Whether the payload is further compressed as a whole, and how.
enum class PayloadCompression : uint8_t { kNone, kLz4, kZstd };
PayloadCompression CompressionOf(Encoding e);  // LZO -> kLz4, ZSTD -> kZstd, the rest kNone

// Encodes the values of rows [begin, end) of `v` (v.type() must be accepted by `e`). NULL rows'
// values are ignored (v.nulls() tells which). For kLzo and kZstd this is the RAW layout; the
// caller compresses it (CompressionOf).
std::string EncodeValues(Encoding e, const Vector& v, size_t begin, size_t end);

// Appends `n` rows decoded from `payload` to *out (whose type is set; out->Resize(size + n)).
// Does not touch out's NULL flags beyond what Resize does. Strings are copied into out's own
// heap. XX001 when the payload is malformed or does not hold exactly n rows.
void DecodeValues(Encoding e, std::string_view payload, size_t n, Vector* out);

// Decodes the values of one block's rows in increasing row order straight into the caller's
// vector, a range at a time, so that a scan need not decode the whole block into a vector of
// its own and copy each batch out of it (the block's values would leave the cache between the
// two). Encodings whose layout allows it have one (AZ64, RAW) for fixed-width types.
class RangeDecoder {
 public:
  virtual ~RangeDecoder() = default;
  // Writes the values of rows [begin, end) into out's data from index `at` (out is already
  // sized; its NULL flags are not touched). `begin` may not be below the previous call's `end`.
  // XX001 when the payload is malformed.
  virtual void Read(size_t begin, size_t end, Vector* out, size_t at) = 0;
};

// A range decoder over `payload` (n rows of encoding `e`, physical type `p`); null when `e`
// has none for `p` (the caller decodes the block whole with DecodeValues).
std::unique_ptr<RangeDecoder> OpenRangeDecoder(Encoding e, std::string_view payload, size_t n, PhysicalType p);

// Evaluate-on-encoded, where it pays: a yes/no test of one value that a scan's predicate
// makes, asked once per run (RUNLENGTH) or once per dictionary entry (BYTEDICT, TEXT255,
// TEXT32K), never once per row. Integer-like values (BOOLEAN as 0/1, SMALLINT, INTEGER,
// BIGINT, DATE days, TIMESTAMP micros, DECIMAL p <= 18 unscaled) are asked through `integer`,
// strings through `string`; an empty function means "no test for this kind of value".
struct ValueTest {
  std::function<bool(int64_t)> integer;
  std::function<bool(std::string_view)> string;
};
using RowRangeList = std::vector<std::pair<int64_t, int64_t>>;

// Appends to *ranges the rows, numbered from `first_row`, among the n whose values `payload`
// holds in encoding `e`, that may pass `test`: whole runs, or the rows whose dictionary entry
// passes (escaped values, outside the dictionary, always "may"); adjacent ranges are merged.
// NULL rows may be included (their slots hold a neighbour's value): the caller still filters.
// False, with *ranges untouched, when `e` has no shortcut for values of type `t`.
bool MatchEncodedValues(Encoding e, std::string_view payload, size_t n, const SqlType& t, const ValueTest& test,
                        int64_t first_row, RowRangeList* ranges);

}  // namespace strata
