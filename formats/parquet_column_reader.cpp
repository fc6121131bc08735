// Page decoding and value conversion of one column chunk (see parquet_column_reader.h).
#include "formats/parquet_column_reader.h"

#include <algorithm>
#include <cstring>

#include "formats/parquet_codec.h"
#include "formats/parquet_encoding.h"

namespace strata::parquet {

namespace {

[[noreturn]] void Corrupt(const std::string& what) {
  STRATA_USER_ERROR(sqlstate::kBadCopyFileFormat, "corrupt Parquet column chunk: ", what);
}

template <typename T>
void PlainFixed(const uint8_t* data, size_t size, size_t n, std::vector<T>* out) {
  if (size / sizeof(T) < n) Corrupt("values beyond page");
  out->resize(n);
  if (n > 0) std::memcpy(out->data(), data, n * sizeof(T));
}

template <typename T>
void Gather(const std::vector<T>& dict, const uint32_t* idx, size_t n, std::vector<T>* out) {
  out->resize(n);
  size_t dn = dict.size();
  for (size_t i = 0; i < n; ++i) {
    if (idx[i] >= dn) Corrupt("dictionary index out of range");
    (*out)[i] = dict[idx[i]];
  }
}

template <typename T>
void SplitStreams(const uint8_t* data, size_t size, size_t n, std::vector<T>* out) {
  out->resize(n);
  DecodeByteStreamSplit(data, size, n, sizeof(T), reinterpret_cast<uint8_t*>(out->data()));
}

constexpr int64_t kJulianUnixEpoch = 2440588;

}  // namespace

size_t ColumnChunkReader::Values::size(SourceKind k) const {
  switch (k) {
    case SourceKind::kBool: return b.size();
    case SourceKind::kInt32: return i32.size();
    case SourceKind::kInt64: return i64.size();
    case SourceKind::kFloat: return f32.size();
    case SourceKind::kDouble: return f64.size();
    case SourceKind::kBytes: return str.size();
  }
  return 0;
}

ColumnChunkReader::ColumnChunkReader(ByteSource* src, const ParquetColumn& col, const ColumnMetaData& meta,
                                     Conversion conv)
    : col_(col), meta_(meta), conv_(std::move(conv)) {
  int64_t start = meta.data_page_offset;
  if (meta.has_dictionary_page_offset && meta.dictionary_page_offset > 0 && meta.dictionary_page_offset < start) {
    start = meta.dictionary_page_offset;
  }
  int64_t len = meta.total_compressed_size;
  int64_t file_size = src->Size();
  if (start < 4 || len <= 0 || (file_size >= 0 && (start > file_size || len > file_size - start))) {
    Corrupt(StrCat("column \"", col.name, "\" chunk lies beyond the end of the file"));
  }
  chunk_.resize(len);
  if (src->ReadAt(start, chunk_.data(), len) != static_cast<size_t>(len)) Corrupt("truncated column chunk");
}

void ColumnChunkReader::DecodeValues(Encoding encoding, const uint8_t* data, size_t size, size_t n, Values* vals,
                                     bool is_dict) {
  PhysType pt = col_.physical;
  switch (encoding) {
    case Encoding::kPlain:
    case Encoding::kPlainDictionary:
      if (encoding == Encoding::kPlainDictionary && !is_dict) break;  // v1 spelling of dictionary indices
      switch (pt) {
        case PhysType::kBoolean: vals->b.resize(n); DecodePlainBool(data, size, n, vals->b.data()); return;
        case PhysType::kInt32: PlainFixed(data, size, n, &vals->i32); return;
        case PhysType::kInt64: PlainFixed(data, size, n, &vals->i64); return;
        case PhysType::kFloat: PlainFixed(data, size, n, &vals->f32); return;
        case PhysType::kDouble: PlainFixed(data, size, n, &vals->f64); return;
        case PhysType::kInt96: {
          if (size / 12 < n) Corrupt("INT96 values beyond page");
          vals->i64.resize(n);
          for (size_t i = 0; i < n; ++i) {
            int64_t nanos;
            int32_t julian;
            std::memcpy(&nanos, data + 12 * i, 8);
            std::memcpy(&julian, data + 12 * i + 8, 4);
            vals->i64[i] = (julian - kJulianUnixEpoch) * 86400000000LL + nanos / 1000;
          }
          return;
        }
        case PhysType::kByteArray:
          vals->str.resize(n);
          DecodePlainByteArray(data, size, n, vals->str.data());
          return;
        case PhysType::kFixedLenByteArray: {
          size_t w = col_.type_length;
          if (w == 0 || size / w < n) Corrupt("FIXED_LEN_BYTE_ARRAY values beyond page");
          vals->str.resize(n);
          for (size_t i = 0; i < n; ++i) vals->str[i] = std::string_view(reinterpret_cast<const char*>(data) + i * w, w);
          return;
        }
      }
      break;
    default: break;
  }
  if (is_dict) Corrupt("dictionary page is not PLAIN");
  switch (encoding) {
    case Encoding::kPlainDictionary:
    case Encoding::kRleDictionary: {
      if (!has_dict_) Corrupt("dictionary-encoded page without a dictionary page");
      if (size < 1) Corrupt("dictionary page without a bit width");
      indices_.resize(n);
      RleBitPackedDecoder dec(data + 1, size - 1, data[0]);
      dec.Decode(indices_.data(), n);
      switch (conv_.source) {
        case SourceKind::kBool: Gather(dict_.b, indices_.data(), n, &vals->b); return;
        case SourceKind::kInt32: Gather(dict_.i32, indices_.data(), n, &vals->i32); return;
        case SourceKind::kInt64: Gather(dict_.i64, indices_.data(), n, &vals->i64); return;
        case SourceKind::kFloat: Gather(dict_.f32, indices_.data(), n, &vals->f32); return;
        case SourceKind::kDouble: Gather(dict_.f64, indices_.data(), n, &vals->f64); return;
        case SourceKind::kBytes: Gather(dict_.str, indices_.data(), n, &vals->str); return;
      }
      return;
    }
    case Encoding::kRle: {
      if (pt != PhysType::kBoolean || size < 4) break;
      uint32_t len;
      std::memcpy(&len, data, 4);
      if (len > size - 4) Corrupt("RLE booleans beyond page");
      indices_.resize(n);
      RleBitPackedDecoder(data + 4, len, 1).Decode(indices_.data(), n);
      vals->b.assign(indices_.begin(), indices_.end());
      return;
    }
    case Encoding::kDeltaBinaryPacked: {
      if (pt != PhysType::kInt32 && pt != PhysType::kInt64) break;
      std::vector<int64_t> tmp;
      DecodeDeltaBinaryPacked(data, size, n, &tmp);
      if (tmp.size() != n) Corrupt("DELTA_BINARY_PACKED count differs from the page");
      if (pt == PhysType::kInt64) vals->i64 = std::move(tmp);
      else vals->i32.assign(tmp.begin(), tmp.end());
      return;
    }
    case Encoding::kDeltaLengthByteArray:
    case Encoding::kDeltaByteArray:
      if (pt != PhysType::kByteArray && pt != PhysType::kFixedLenByteArray) break;
      if (encoding == Encoding::kDeltaLengthByteArray) DecodeDeltaLengthByteArray(data, size, n, &vals->str);
      else DecodeDeltaByteArray(data, size, n, &vals->str, &page_arena_);
      if (vals->str.size() != n) Corrupt("byte array count differs from the page");
      return;
    case Encoding::kByteStreamSplit:
      switch (pt) {
        case PhysType::kFloat: SplitStreams(data, size, n, &vals->f32); return;
        case PhysType::kDouble: SplitStreams(data, size, n, &vals->f64); return;
        case PhysType::kInt32: SplitStreams(data, size, n, &vals->i32); return;
        case PhysType::kInt64: SplitStreams(data, size, n, &vals->i64); return;
        default: break;
      }
      break;
    default: break;
  }
  STRATA_USER_ERROR(sqlstate::kFeatureNotSupported, "Parquet encoding ", static_cast<int>(encoding),
                    " is not supported for column \"", col_.name, "\" of type ", col_.TypeName());
}

void ColumnChunkReader::LoadDictionary(const PageHeader& h, std::string_view body) {
  Decompress(meta_.codec, body, h.uncompressed_page_size, &dict_buf_);
  int32_t n = h.dictionary_page.num_values;
  if (n < 0) Corrupt("negative dictionary size");
  dict_ = Values{};
  DecodeValues(h.dictionary_page.encoding, reinterpret_cast<const uint8_t*>(dict_buf_.data()), dict_buf_.size(), n,
               &dict_, true);
  has_dict_ = true;
}

void ColumnChunkReader::LoadNextPage() {
  for (;;) {
    if (pos_ >= chunk_.size()) Corrupt(StrCat("column \"", col_.name, "\" has fewer values than its row group"));
    ThriftReader r(reinterpret_cast<const uint8_t*>(chunk_.data()) + pos_, chunk_.size() - pos_);
    PageHeader h = DecodePageHeader(r);
    pos_ += r.position();
    if (h.compressed_page_size < 0 || h.uncompressed_page_size < 0 ||
        static_cast<size_t>(h.compressed_page_size) > chunk_.size() - pos_) {
      Corrupt(StrCat("truncated page in column \"", col_.name, "\""));
    }
    std::string_view body(chunk_.data() + pos_, h.compressed_page_size);
    pos_ += h.compressed_page_size;
    if (h.type == PageType::kDictionaryPage) {
      if (!h.has_dictionary_page) Corrupt("dictionary page without its header");
      LoadDictionary(h, body);
      continue;
    }
    if (h.type != PageType::kDataPage && h.type != PageType::kDataPageV2) continue;  // index pages

    size_t num_values;
    Encoding encoding;
    const uint8_t* values;
    size_t values_size;
    const uint8_t* def_data = nullptr;
    size_t def_size = 0;
    if (h.type == PageType::kDataPage) {
      if (!h.has_data_page) Corrupt("data page without its header");
      num_values = h.data_page.num_values;
      encoding = h.data_page.encoding;
      Decompress(meta_.codec, body, h.uncompressed_page_size, &page_buf_);
      const uint8_t* p = reinterpret_cast<const uint8_t*>(page_buf_.data());
      size_t size = page_buf_.size();
      if (col_.max_def_level > 0) {
        if (h.data_page.definition_level_encoding != Encoding::kRle) {
          STRATA_USER_ERROR(sqlstate::kFeatureNotSupported, "Parquet BIT_PACKED definition levels are not supported");
        }
        uint32_t len;
        if (size < 4) Corrupt("definition levels beyond page");
        std::memcpy(&len, p, 4);
        if (len > size - 4) Corrupt("definition levels beyond page");
        def_data = p + 4;
        def_size = len;
        p += 4 + len;
        size -= 4 + len;
      }
      values = p;
      values_size = size;
    } else {
      if (!h.has_data_page_v2) Corrupt("data page v2 without its header");
      const auto& v2 = h.data_page_v2;
      num_values = v2.num_values;
      encoding = v2.encoding;
      size_t levels = static_cast<size_t>(v2.definition_levels_byte_length) + v2.repetition_levels_byte_length;
      if (v2.definition_levels_byte_length < 0 || v2.repetition_levels_byte_length < 0 || levels > body.size() ||
          levels > static_cast<size_t>(h.uncompressed_page_size)) {
        Corrupt("page levels beyond page");
      }
      def_data = reinterpret_cast<const uint8_t*>(body.data()) + v2.repetition_levels_byte_length;
      def_size = v2.definition_levels_byte_length;
      std::string_view rest = body.substr(levels);
      size_t raw_size = h.uncompressed_page_size - levels;
      if (v2.is_compressed && meta_.codec != Codec::kUncompressed) {
        Decompress(meta_.codec, rest, raw_size, &page_buf_);
        values = reinterpret_cast<const uint8_t*>(page_buf_.data());
        values_size = page_buf_.size();
      } else {
        values = reinterpret_cast<const uint8_t*>(rest.data());
        values_size = rest.size();
      }
      if (col_.max_def_level == 0) def_data = nullptr;
    }
    if (num_values > static_cast<size_t>(meta_.num_values - values_read_)) Corrupt("page holds more values than its chunk");
    defs_.resize(num_values);
    size_t non_null = num_values;
    if (def_data != nullptr) {
      indices_.resize(num_values);
      RleBitPackedDecoder(def_data, def_size, BitWidth(col_.max_def_level)).Decode(indices_.data(), num_values);
      non_null = 0;
      for (size_t i = 0; i < num_values; ++i) {
        defs_[i] = static_cast<uint8_t>(indices_[i]);
        non_null += indices_[i] == static_cast<uint32_t>(col_.max_def_level);
      }
    }
    DecodeValues(encoding, values, values_size, non_null, &page_, false);
    values_read_ += num_values;
    page_rows_ = num_values;
    page_row_ = 0;
    value_pos_ = 0;
    if (num_values > 0) return;
  }
}

template <typename Dst, typename Src, typename F>
void ColumnChunkReader::Loop(const Src* src, Vector* out, size_t at, size_t k, F f) {
  Dst* d = out->data<Dst>() + at;
  uint8_t* nulls = out->nulls() + at;
  if (col_.max_def_level == 0) {
    for (size_t i = 0; i < k; ++i) d[i] = static_cast<Dst>(f(src[value_pos_ + i]));
    std::memset(nulls, 0, k);
    value_pos_ += k;
    return;
  }
  const uint8_t* defs = defs_.data() + page_row_;
  const uint8_t max_def = static_cast<uint8_t>(col_.max_def_level);
  for (size_t i = 0; i < k; ++i) {
    if (defs[i] < max_def) {
      nulls[i] = 1;
      d[i] = Dst{};
    } else {
      nulls[i] = 0;
      d[i] = static_cast<Dst>(f(src[value_pos_++]));
    }
  }
}

template <typename T>
void ColumnChunkReader::Emit(const T* src, Vector* out, size_t at, size_t k) {
  const Conversion& c = conv_;
  const TypeId t = c.target.id;
  if constexpr (std::is_same_v<T, std::string_view>) {
    if (c.kind == ConvKind::kBytesToString) {
      StringHeap& heap = out->OwnHeap();
      Loop<std::string_view>(src, out, at, k, [&](std::string_view s) { return heap.Add(CheckLength(c, s)); });
    } else if (c.target.physical() == PhysicalType::kInt64) {
      Loop<int64_t>(src, out, at, k, [&](std::string_view s) { return RescaleDecimal(c, BigEndianDecimal(c, s)); });
    } else {
      Loop<int128>(src, out, at, k, [&](std::string_view s) { return RescaleDecimal(c, BigEndianDecimal(c, s)); });
    }
  } else if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
    if (t == TypeId::kFloat32) Loop<float>(src, out, at, k, [](T v) { return v; });
    else Loop<double>(src, out, at, k, [](T v) { return v; });
  } else if constexpr (std::is_same_v<T, uint8_t>) {
    Loop<uint8_t>(src, out, at, k, [](uint8_t v) { return v; });
  } else {  // int32_t, int64_t
    switch (c.kind) {
      case ConvKind::kIntToInt:
        if (t == TypeId::kInt16) Loop<int16_t>(src, out, at, k, [&](T v) { return ToInt(c, v); });
        else if (t == TypeId::kInt32) Loop<int32_t>(src, out, at, k, [&](T v) { return ToInt(c, v); });
        else Loop<int64_t>(src, out, at, k, [&](T v) { return ToInt(c, v); });
        return;
      case ConvKind::kIntToDecimal:
        if (c.target.physical() == PhysicalType::kInt64) {
          Loop<int64_t>(src, out, at, k, [&](T v) { return RescaleDecimal(c, WidenInt(c, v)); });
        } else {
          Loop<int128>(src, out, at, k, [&](T v) { return RescaleDecimal(c, WidenInt(c, v)); });
        }
        return;
      case ConvKind::kIntToFloat:
        if (t == TypeId::kFloat32) Loop<float>(src, out, at, k, [&](T v) { return IntToDouble(c, v); });
        else Loop<double>(src, out, at, k, [&](T v) { return IntToDouble(c, v); });
        return;
      case ConvKind::kDateToDate:
        Loop<int32_t>(src, out, at, k, [](T v) { return static_cast<int64_t>(v) - kUnixToStrataDays; });
        return;
      case ConvKind::kDateToTimestamp:
        Loop<int64_t>(src, out, at, k, [](T v) { return (static_cast<int64_t>(v) - kUnixToStrataDays) * 86400000000LL; });
        return;
      case ConvKind::kTsToTimestamp: {
        TimeUnit u = c.unit;
        Loop<int64_t>(src, out, at, k, [u](T v) { return TsToMicros(u, v) - kUnixToStrataMicros; });
        return;
      }
      default: STRATA_INTERNAL_ERROR("bad Parquet integer conversion");
    }
  }
}

void ColumnChunkReader::Read(Vector* out, size_t n) {
  size_t done = 0;
  while (done < n) {
    if (page_row_ == page_rows_) LoadNextPage();
    size_t k = std::min(n - done, page_rows_ - page_row_);
    size_t non_null = k;
    if (col_.max_def_level > 0) {
      const uint8_t* defs = defs_.data() + page_row_;
      non_null = 0;
      for (size_t i = 0; i < k; ++i) non_null += defs[i] == col_.max_def_level;
    }
    if (value_pos_ + non_null > page_.size(conv_.source)) Corrupt("page has fewer values than its levels");
    switch (conv_.source) {
      case SourceKind::kBool: Emit(page_.b.data(), out, done, k); break;
      case SourceKind::kInt32: Emit(page_.i32.data(), out, done, k); break;
      case SourceKind::kInt64: Emit(page_.i64.data(), out, done, k); break;
      case SourceKind::kFloat: Emit(page_.f32.data(), out, done, k); break;
      case SourceKind::kDouble: Emit(page_.f64.data(), out, done, k); break;
      case SourceKind::kBytes: Emit(page_.str.data(), out, done, k); break;
    }
    page_row_ += k;
    done += k;
  }
}

}  // namespace strata::parquet
