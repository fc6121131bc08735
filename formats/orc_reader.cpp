// See orc_reader.h.
#include "formats/orc_reader.h"

#include <absl/time/civil_time.h>
#include <absl/time/time.h>

#include <cstring>
#include <map>

#include "formats/orc_streams.h"
#include "sql/error.h"
#include "sql/sqlstate.h"

namespace strata {

using orcfmt::BoolDecoder;
using orcfmt::ByteRleDecoder;
using orcfmt::Codec;
using orcfmt::IntDecoder;
using orcfmt::OrcInputStream;

namespace {

constexpr int64_t kUnixToStrataDays = 10957;                 // 1970-01-01 .. 2000-01-01
constexpr int64_t kOrcEpochToStrataSeconds = 473385600;      // 2000-01-01 .. 2015-01-01
constexpr int64_t kOrcEpochToUnixSeconds = 1420070400;       // 1970-01-01 .. 2015-01-01

int128 TenTo(int n) {
  int128 p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

// A value rescaled from `from` decimal places to `to`, rounding half away from zero.
int128 Rescale(int128 v, int from, int to) {
  if (to >= from) return v * TenTo(to - from);
  int128 d = TenTo(from - to);
  int128 q = v / d, r = v % d;
  if (2 * (r < 0 ? -r : r) >= d) q += v < 0 ? -1 : 1;
  return q;
}

[[noreturn]] void OutOfRange(const std::string& file, const SqlType& t) {
  throw SqlError(sqlstate::kNumericValueOutOfRange, StrCat("a value in the ORC file \"", file, "\" is out of range for type ", t.ToString()));
}

// Stores integer `v` (already in the target's representation: scaled decimals, days, micros).
void StoreInt(Vector* out, size_t row, int128 v, const std::string& file) {
  const SqlType& t = out->type();
  switch (out->physical()) {
    case PhysicalType::kBool: out->data<uint8_t>()[row] = v != 0; break;
    case PhysicalType::kInt16:
      if (v < INT16_MIN || v > INT16_MAX) OutOfRange(file, t);
      out->data<int16_t>()[row] = static_cast<int16_t>(v);
      break;
    case PhysicalType::kInt32:
      if (v < INT32_MIN || v > INT32_MAX) OutOfRange(file, t);
      out->data<int32_t>()[row] = static_cast<int32_t>(v);
      break;
    case PhysicalType::kInt64:
      if (v < INT64_MIN || v > INT64_MAX) OutOfRange(file, t);
      out->data<int64_t>()[row] = static_cast<int64_t>(v);
      break;
    case PhysicalType::kInt128: out->data<int128>()[row] = v; break;
    case PhysicalType::kFloat32: out->data<float>()[row] = static_cast<float>(static_cast<double>(v) / static_cast<double>(TenTo(t.id == TypeId::kDecimal ? t.scale : 0))); break;
    case PhysicalType::kFloat64: out->data<double>()[row] = static_cast<double>(v); break;
    default: STRATA_INTERNAL_ERROR("ORC: integer into ", t.ToString());
  }
  if (t.id == TypeId::kDecimal && t.precision > 0 && t.precision < 38) {
    int128 limit = TenTo(t.precision);
    if (v >= limit || v <= -limit) OutOfRange(file, t);
  }
}

// The physical decoders of one column, over its streams, and the conversion to the target.
class ColumnDecoder {
 public:
  ColumnDecoder(const OrcColumn& col, const orc::ColumnEncoding& enc, std::map<int, std::string> streams, Codec codec,
                size_t block, const std::string* file, SqlType target, const std::string& timezone)
      : col_(col), target_(target), file_(file) {
    auto stream = [&](orc::Stream::Kind k, bool required) -> std::unique_ptr<OrcInputStream> {
      auto it = streams.find(k);
      if (it == streams.end()) {
        if (required) orcfmt::Corrupt(*file, StrCat("column \"", col.name, "\" has no ", orc::Stream::Kind_Name(k), " stream"));
        return nullptr;
      }
      return std::make_unique<OrcInputStream>(std::move(it->second), codec, block, file);
    };
    bool v2 = enc.kind() == orc::ColumnEncoding::DIRECT_V2 || enc.kind() == orc::ColumnEncoding::DICTIONARY_V2;
    dictionary_ = enc.kind() == orc::ColumnEncoding::DICTIONARY || enc.kind() == orc::ColumnEncoding::DICTIONARY_V2;
    if (auto p = stream(orc::Stream::PRESENT, false)) present_ = std::make_unique<BoolDecoder>(std::move(p));
    using K = orc::Type;
    kind_ = col.type.kind();
    switch (kind_) {
      case K::BOOLEAN: bools_ = std::make_unique<BoolDecoder>(stream(orc::Stream::DATA, true)); break;
      case K::BYTE: bytes_ = std::make_unique<ByteRleDecoder>(stream(orc::Stream::DATA, true)); break;
      case K::SHORT: case K::INT: case K::LONG: case K::DATE:
        ints_ = orcfmt::MakeIntDecoder(stream(orc::Stream::DATA, true), true, v2);
        break;
      case K::FLOAT: case K::DOUBLE: data_ = stream(orc::Stream::DATA, true); break;
      case K::STRING: case K::VARCHAR: case K::CHAR: case K::BINARY:
        if (dictionary_) {
          ints_ = orcfmt::MakeIntDecoder(stream(orc::Stream::DATA, true), false, v2);
          auto lengths = orcfmt::MakeIntDecoder(stream(orc::Stream::LENGTH, true), false, v2);
          auto blob = stream(orc::Stream::DICTIONARY_DATA, enc.dictionarysize() > 0);
          // Writers cap dictionaries far below this; a damaged size must not allocate gigabytes.
          if (enc.dictionarysize() > (uint64_t{1} << 24)) orcfmt::Corrupt(*file, StrCat("column \"", col.name, "\" has an implausible dictionary"));
          std::vector<int64_t> lens(enc.dictionarysize());
          if (!lens.empty()) lengths->Next(lens.data(), lens.size());
          holder_ = Vector(SqlType::Text());
          std::string buf;
          for (int64_t len : lens) {
            if (len < 0 || len > (int64_t{1} << 30)) orcfmt::Corrupt(*file, "a dictionary entry has a bad length");
            buf.resize(static_cast<size_t>(len));
            if (len > 0) blob->Read(buf.data(), buf.size());
            dict_.push_back(holder_.OwnHeap().Add(buf));
          }
        } else {
          lengths_ = orcfmt::MakeIntDecoder(stream(orc::Stream::LENGTH, true), false, v2);
          data_ = stream(orc::Stream::DATA, true);
        }
        break;
      case K::DECIMAL:
        data_ = stream(orc::Stream::DATA, true);
        scales_ = orcfmt::MakeIntDecoder(stream(orc::Stream::SECONDARY, true), true, v2);
        break;
      case K::TIMESTAMP: case K::TIMESTAMP_INSTANT:
        ints_ = orcfmt::MakeIntDecoder(stream(orc::Stream::DATA, true), true, v2);
        nanos_ = orcfmt::MakeIntDecoder(stream(orc::Stream::SECONDARY, true), false, v2);
        if (kind_ == K::TIMESTAMP && !timezone.empty() && timezone != "UTC" && timezone != "GMT" && timezone != "Etc/UTC") {
          if (absl::LoadTimeZone(timezone, &tz_)) local_zone_ = true;
        }
        break;
      default:
        throw SqlError(sqlstate::kFeatureNotSupported, StrCat("reading the ORC column \"", col.name, "\" of type ",
                                                              orc::Type::Kind_Name(kind_), " is not supported yet"));
    }
    CheckTarget();
  }

  void Read(size_t n, Vector* out) {
    out->Resize(n);
    uint8_t* nulls = out->nulls();
    size_t k = n;
    if (present_) {
      present_->Next(nulls, n);
      k = 0;
      for (size_t i = 0; i < n; ++i) {
        nulls[i] = !nulls[i];
        k += !nulls[i];
      }
    } else {
      std::memset(nulls, 0, n);
    }
    rows_.clear();
    for (size_t i = 0; i < n; ++i) {
      if (!nulls[i]) rows_.push_back(i);
    }
    using K = orc::Type;
    switch (kind_) {
      case K::BOOLEAN: {
        std::vector<uint8_t> v(k);
        bools_->Next(v.data(), k);
        for (size_t j = 0; j < k; ++j) StoreInt(out, rows_[j], v[j], *file_);
        break;
      }
      case K::BYTE: {
        std::vector<uint8_t> v(k);
        bytes_->Next(v.data(), k);
        for (size_t j = 0; j < k; ++j) StoreInteger(out, rows_[j], static_cast<int8_t>(v[j]));
        break;
      }
      case K::SHORT: case K::INT: case K::LONG: {
        ints_buf_.resize(k);
        ints_->Next(ints_buf_.data(), k);
        for (size_t j = 0; j < k; ++j) StoreInteger(out, rows_[j], ints_buf_[j]);
        break;
      }
      case K::DATE: {
        ints_buf_.resize(k);
        ints_->Next(ints_buf_.data(), k);
        for (size_t j = 0; j < k; ++j) {
          int64_t days = ints_buf_[j] - kUnixToStrataDays;
          if (target_.is_timestamp()) StoreInt(out, rows_[j], static_cast<int128>(days) * 86400000000LL, *file_);
          else StoreInt(out, rows_[j], days, *file_);
        }
        break;
      }
      case K::FLOAT: case K::DOUBLE: {
        for (size_t j = 0; j < k; ++j) {
          double d;
          if (kind_ == K::FLOAT) {
            float f;
            data_->Read(&f, 4);
            d = f;
          } else {
            data_->Read(&d, 8);
          }
          if (out->physical() == PhysicalType::kFloat32) out->data<float>()[rows_[j]] = static_cast<float>(d);
          else out->data<double>()[rows_[j]] = d;
        }
        break;
      }
      case K::STRING: case K::VARCHAR: case K::CHAR: case K::BINARY: {
        ints_buf_.resize(k);
        if (dictionary_) {
          ints_->Next(ints_buf_.data(), k);
          out->ShareHeaps(holder_);  // the dictionary's bytes
          for (size_t j = 0; j < k; ++j) {
            if (ints_buf_[j] < 0 || ints_buf_[j] >= static_cast<int64_t>(dict_.size())) orcfmt::Corrupt(*file_, "a dictionary id is out of range");
            StoreString(out, rows_[j], dict_[ints_buf_[j]], /*copy=*/false);
          }
        } else {
          lengths_->Next(ints_buf_.data(), k);
          std::string buf;
          for (size_t j = 0; j < k; ++j) {
            if (ints_buf_[j] < 0 || ints_buf_[j] > (int64_t{1} << 30)) orcfmt::Corrupt(*file_, "a string has a bad length");
            buf.resize(static_cast<size_t>(ints_buf_[j]));
            if (!buf.empty()) data_->Read(buf.data(), buf.size());
            StoreString(out, rows_[j], buf, /*copy=*/true);
          }
        }
        break;
      }
      case K::DECIMAL: {
        ints_buf_.resize(k);
        std::vector<int128> unscaled(k);
        for (size_t j = 0; j < k; ++j) unscaled[j] = orcfmt::ReadSignedVarint128(*data_);
        scales_->Next(ints_buf_.data(), k);
        for (size_t j = 0; j < k; ++j) {
          int scale = static_cast<int>(ints_buf_[j]);
          if (target_.is_float()) {
            double d = static_cast<double>(unscaled[j]) / static_cast<double>(TenTo(scale));
            if (out->physical() == PhysicalType::kFloat32) out->data<float>()[rows_[j]] = static_cast<float>(d);
            else out->data<double>()[rows_[j]] = d;
          } else {
            StoreInt(out, rows_[j], Rescale(unscaled[j], scale, target_.id == TypeId::kDecimal ? target_.scale : 0), *file_);
          }
        }
        break;
      }
      case K::TIMESTAMP: case K::TIMESTAMP_INSTANT: {
        ints_buf_.resize(k);
        nanos_buf_.resize(k);
        ints_->Next(ints_buf_.data(), k);
        nanos_->Next(nanos_buf_.data(), k);
        for (size_t j = 0; j < k; ++j) {
          int64_t secs = ints_buf_[j];
          uint64_t encoded = static_cast<uint64_t>(nanos_buf_[j]);
          int64_t nanos = static_cast<int64_t>(encoded >> 3);
          int zeros = static_cast<int>(encoded & 7);
          if (zeros != 0) nanos *= static_cast<int64_t>(TenTo(zeros + 1));
          // Writers divided milliseconds by 1000 truncating toward zero, so a time before 1970
          // with a fraction is a second late.
          if (secs + kOrcEpochToUnixSeconds < 0 && nanos > 999999) secs -= 1;
          int64_t micros;
          if (local_zone_) {
            absl::Time base = absl::FromCivil(absl::CivilSecond(2015, 1, 1, 0, 0, 0), tz_);
            absl::CivilSecond wall = absl::ToCivilSecond(base + absl::Seconds(secs), tz_);
            int64_t wall_secs = absl::ToUnixSeconds(absl::FromCivil(wall, absl::UTCTimeZone()));
            micros = (wall_secs - 946684800) * 1000000 + nanos / 1000;
          } else {
            micros = (secs + kOrcEpochToStrataSeconds) * 1000000 + nanos / 1000;
          }
          if (target_.id == TypeId::kDate) {
            int64_t days = micros >= 0 ? micros / 86400000000LL : -((-micros + 86400000000LL - 1) / 86400000000LL);
            StoreInt(out, rows_[j], days, *file_);
          } else {
            StoreInt(out, rows_[j], micros, *file_);
          }
        }
        break;
      }
      default: break;
    }
  }

 private:
  void CheckTarget() {
    using K = orc::Type;
    bool ok;
    switch (kind_) {
      case K::BOOLEAN: ok = target_.id == TypeId::kBool; break;
      case K::BYTE: case K::SHORT: case K::INT: case K::LONG: case K::DECIMAL: case K::FLOAT: case K::DOUBLE:
        ok = target_.is_numeric();
        break;
      case K::STRING: case K::VARCHAR: case K::CHAR: case K::BINARY: ok = target_.is_string(); break;
      case K::DATE: case K::TIMESTAMP: case K::TIMESTAMP_INSTANT: ok = target_.is_temporal(); break;
      default: ok = false;
    }
    if ((kind_ == K::FLOAT || kind_ == K::DOUBLE) && !target_.is_float()) ok = false;
    if (!ok) {
      throw SqlError(sqlstate::kDatatypeMismatch, StrCat("the ORC column \"", col_.name, "\" (", orc::Type::Kind_Name(kind_),
                                                         ") in \"", *file_, "\" cannot be read as ", target_.ToString()));
    }
  }

  void StoreInteger(Vector* out, size_t row, int64_t v) {
    if (target_.is_float()) {
      if (out->physical() == PhysicalType::kFloat32) out->data<float>()[row] = static_cast<float>(v);
      else out->data<double>()[row] = static_cast<double>(v);
      return;
    }
    StoreInt(out, row, target_.id == TypeId::kDecimal ? static_cast<int128>(v) * TenTo(target_.scale) : v, *file_);
  }

  void StoreString(Vector* out, size_t row, std::string_view s, bool copy) {
    if (target_.length > 0 && target_.id != TypeId::kText && static_cast<int>(s.size()) > target_.length) {
      // CHAR values come padded: trailing blanks beyond the length are dropped.
      size_t end = s.find_last_not_of(' ');
      s = s.substr(0, end == std::string_view::npos ? 0 : end + 1);
      if (static_cast<int>(s.size()) > target_.length) {
        throw SqlError(sqlstate::kStringDataRightTruncation,
                       StrCat("a value of ORC column \"", col_.name, "\" in \"", *file_, "\" is longer than ", target_.ToString()));
      }
    }
    if (copy) out->SetString(row, s);
    else out->data<std::string_view>()[row] = s;
  }

  const OrcColumn& col_;
  SqlType target_;
  const std::string* file_;
  orc::Type::Kind kind_;
  bool dictionary_ = false;
  std::unique_ptr<BoolDecoder> present_, bools_;
  std::unique_ptr<ByteRleDecoder> bytes_;
  std::unique_ptr<IntDecoder> ints_, lengths_, scales_, nanos_;
  std::unique_ptr<OrcInputStream> data_;
  std::vector<std::string_view> dict_;
  Vector holder_;  // owns the dictionary's bytes
  std::vector<size_t> rows_;
  std::vector<int64_t> ints_buf_, nanos_buf_;
  absl::TimeZone tz_;
  bool local_zone_ = false;
};

}  // namespace

OrcReader::OrcReader(ByteSource* source) : source_(source), file_(source->Name()) {
  int64_t size = source_->Size();
  if (size < 4) orcfmt::Corrupt(file_, "it is too short to be an ORC file");
  std::string head = ReadRange(0, 3);
  if (head != "ORC") orcfmt::Corrupt(file_, "it does not start with \"ORC\"");
  int64_t tail_len = std::min<int64_t>(size, 16 * 1024);
  std::string tail = ReadRange(size - tail_len, tail_len);
  int ps_len = static_cast<uint8_t>(tail.back());
  if (ps_len == 0 || ps_len + 1 > tail_len) orcfmt::Corrupt(file_, "its postscript length is wrong");
  if (!postscript_.ParseFromArray(tail.data() + tail.size() - 1 - ps_len, ps_len) || postscript_.magic() != "ORC") {
    orcfmt::Corrupt(file_, "its postscript does not decode");
  }
  int64_t footer_len = static_cast<int64_t>(postscript_.footerlength());
  int64_t meta_len = static_cast<int64_t>(postscript_.metadatalength());
  int64_t footer_end = size - 1 - ps_len;
  if (footer_len <= 0 || footer_len + meta_len > footer_end) orcfmt::Corrupt(file_, "its footer length is wrong");
  if (!footer_.ParseFromString(Decompress(ReadRange(footer_end - footer_len, footer_len)))) {
    orcfmt::Corrupt(file_, "its footer does not decode");
  }
  if (meta_len > 0) metadata_.ParseFromString(Decompress(ReadRange(footer_end - footer_len - meta_len, meta_len)));
  if (footer_.types_size() == 0) orcfmt::Corrupt(file_, "it has no types");
  const orc::Type& root = footer_.types(0);
  if (root.kind() != orc::Type::STRUCT) {  // a file of one unnamed primitive column
    OrcColumn c;
    c.name = "_col0";
    c.id = 0;
    c.type = root;
    auto k = root.kind();
    c.nested = k == orc::Type::LIST || k == orc::Type::MAP || k == orc::Type::UNION;
    columns_.push_back(std::move(c));
    return;
  }
  for (int i = 0; i < root.subtypes_size(); ++i) {
    int id = static_cast<int>(root.subtypes(i));
    if (id <= 0 || id >= footer_.types_size()) orcfmt::Corrupt(file_, "a column's type id is out of range");
    OrcColumn c;
    c.name = i < root.fieldnames_size() ? root.fieldnames(i) : StrCat("_col", i);
    c.id = id;
    c.type = footer_.types(id);
    auto k = c.type.kind();
    c.nested = k == orc::Type::LIST || k == orc::Type::MAP || k == orc::Type::STRUCT || k == orc::Type::UNION;
    columns_.push_back(std::move(c));
  }
}

OrcReader::~OrcReader() = default;

int64_t OrcReader::stripe_bytes(int s) const {
  const auto& si = footer_.stripes(s);
  return static_cast<int64_t>(si.indexlength() + si.datalength() + si.footerlength());
}

const orc::ColumnStatistics* OrcReader::StripeStats(int stripe, int column_id) const {
  if (stripe >= metadata_.stripestats_size()) return nullptr;
  const auto& ss = metadata_.stripestats(stripe);
  return column_id < ss.colstats_size() ? &ss.colstats(column_id) : nullptr;
}

std::string OrcReader::ReadRange(int64_t offset, int64_t length) const {
  std::string out(static_cast<size_t>(length), '\0');
  size_t got = 0;
  while (got < out.size()) {
    size_t n = source_->ReadAt(offset + static_cast<int64_t>(got), out.data() + got, out.size() - got);
    if (n == 0) orcfmt::Corrupt(file_, "it ends early");
    got += n;
  }
  return out;
}

std::string OrcReader::Decompress(const std::string& raw) const {
  OrcInputStream s(raw, static_cast<Codec>(postscript_.compression()), postscript_.compressionblocksize() ? postscript_.compressionblocksize() : 256 * 1024, &file_);
  std::string out;
  char buf[8192];
  while (!s.AtEnd()) {
    size_t n = 0;
    for (; n < sizeof buf; ++n) {
      int b = s.Next();
      if (b < 0) break;
      buf[n] = static_cast<char>(b);
    }
    out.append(buf, n);
  }
  return out;
}

bool OrcReader::ColumnStats(int stripe, int column, const SqlType& target, ParquetStats* out) const {
  *out = ParquetStats{};
  if (column < 0 || column >= static_cast<int>(columns_.size())) return false;
  const orc::ColumnStatistics* s = StripeStats(stripe, columns_[column].id);
  if (s == nullptr) return false;
  if (s->has_numberofvalues()) {
    out->has_null_count = true;
    out->null_count = stripe_rows(stripe) - static_cast<int64_t>(s->numberofvalues());
  }
  using K = orc::Type;
  K::Kind kind = columns_[column].type.kind();
  bool integer = kind == K::BYTE || kind == K::SHORT || kind == K::INT || kind == K::LONG;
  if (integer && s->has_intstatistics() && s->intstatistics().has_minimum() && s->intstatistics().has_maximum()) {
    int128 lo = s->intstatistics().minimum(), hi = s->intstatistics().maximum();
    if (target.is_integer()) {
      out->min_int = lo;
      out->max_int = hi;
    } else if (target.id == TypeId::kDecimal) {
      out->min_int = lo * TenTo(target.scale);
      out->max_int = hi * TenTo(target.scale);
    } else if (target.is_float()) {
      out->min_double = static_cast<double>(lo);
      out->max_double = static_cast<double>(hi);
    } else {
      return out->has_null_count;
    }
    out->has_min_max = true;
  } else if (kind == K::DATE && s->has_datestatistics() && s->datestatistics().has_minimum() && s->datestatistics().has_maximum()) {
    int128 lo = s->datestatistics().minimum() - kUnixToStrataDays, hi = s->datestatistics().maximum() - kUnixToStrataDays;
    if (target.id == TypeId::kDate) {
      out->min_int = lo;
      out->max_int = hi;
    } else if (target.is_timestamp()) {
      out->min_int = lo * 86400000000LL;
      out->max_int = hi * 86400000000LL;
    } else {
      return out->has_null_count;
    }
    out->has_min_max = true;
  } else if ((kind == K::FLOAT || kind == K::DOUBLE) && target.is_float() && s->has_doublestatistics() &&
             s->doublestatistics().has_minimum() && s->doublestatistics().has_maximum()) {
    out->min_double = s->doublestatistics().minimum();
    out->max_double = s->doublestatistics().maximum();
    out->has_min_max = true;
  } else if ((kind == K::STRING || kind == K::VARCHAR) && target.is_string() && s->has_stringstatistics() &&
             s->stringstatistics().has_minimum() && s->stringstatistics().has_maximum()) {
    out->min_string = s->stringstatistics().minimum();
    out->max_string = s->stringstatistics().maximum();
    out->has_min_max = true;
  }
  return out->has_null_count || out->has_min_max;
}

void OrcReader::ReadStripe(int s, const std::vector<int>& columns, const std::vector<SqlType>& types,
                           const std::function<void(Batch&)>& emit) {
  const auto& si = footer_.stripes(s);
  int64_t offset = static_cast<int64_t>(si.offset());
  int64_t footer_at = offset + static_cast<int64_t>(si.indexlength() + si.datalength());
  // A damaged footer must not make us read (or allocate) beyond the file.
  const uint64_t file_size = static_cast<uint64_t>(source_->Size());
  if (si.offset() > file_size || si.indexlength() > file_size || si.datalength() > file_size || si.footerlength() > file_size ||
      si.offset() + si.indexlength() + si.datalength() + si.footerlength() > file_size || offset < 3) {
    orcfmt::Corrupt(file_, StrCat("stripe ", s, " lies outside the file"));
  }
  orc::StripeFooter sf;
  if (!sf.ParseFromString(Decompress(ReadRange(footer_at, static_cast<int64_t>(si.footerlength()))))) {
    orcfmt::Corrupt(file_, StrCat("the footer of stripe ", s, " does not decode"));
  }
  // Where each stream is: they follow each other from the stripe's start.
  struct Where {
    int64_t at, length;
  };
  std::map<std::pair<int, int>, Where> where;  // (column, kind)
  int64_t at = offset;
  for (const auto& st : sf.streams()) {
    if (st.length() > static_cast<uint64_t>(footer_at - offset)) orcfmt::Corrupt(file_, StrCat("a stream of stripe ", s, " is longer than it"));
    where[{static_cast<int>(st.column()), static_cast<int>(st.kind())}] = {at, static_cast<int64_t>(st.length())};
    at += static_cast<int64_t>(st.length());
  }
  if (at > footer_at) orcfmt::Corrupt(file_, StrCat("the streams of stripe ", s, " overrun it"));
  Codec codec = static_cast<Codec>(postscript_.compression());
  size_t block = postscript_.compressionblocksize() ? postscript_.compressionblocksize() : 256 * 1024;
  std::vector<std::unique_ptr<ColumnDecoder>> decoders;
  for (size_t i = 0; i < columns.size(); ++i) {
    const OrcColumn& c = columns_.at(columns[i]);
    if (c.nested) {
      throw SqlError(sqlstate::kFeatureNotSupported, StrCat("reading the nested ORC column \"", c.name, "\" is not supported yet"));
    }
    std::map<int, std::string> streams;
    for (int kind : {orc::Stream::PRESENT, orc::Stream::DATA, orc::Stream::LENGTH, orc::Stream::DICTIONARY_DATA, orc::Stream::SECONDARY}) {
      auto it = where.find({c.id, kind});
      if (it != where.end()) streams[kind] = ReadRange(it->second.at, it->second.length);
    }
    if (c.id >= sf.columns_size()) orcfmt::Corrupt(file_, StrCat("stripe ", s, " has no encoding for column \"", c.name, "\""));
    decoders.push_back(std::make_unique<ColumnDecoder>(c, sf.columns(c.id), std::move(streams), codec, block, &file_, types[i],
                                                       sf.writertimezone()));
  }
  int64_t left = static_cast<int64_t>(si.numberofrows());
  while (left > 0) {
    size_t n = static_cast<size_t>(std::min<int64_t>(left, static_cast<int64_t>(kBatchSize)));
    Batch b(types);
    b.rows = n;
    for (size_t i = 0; i < decoders.size(); ++i) decoders[i]->Read(n, &b.columns[i]);
    left -= static_cast<int64_t>(n);
    emit(b);
  }
}

SqlType OrcReader::DefaultType(const orc::Type& t) {
  switch (t.kind()) {
    case orc::Type::BOOLEAN: return SqlType::Bool();
    case orc::Type::BYTE: case orc::Type::SHORT: return SqlType::Int16();
    case orc::Type::INT: return SqlType::Int32();
    case orc::Type::LONG: return SqlType::Int64();
    case orc::Type::FLOAT: return SqlType::Float32();
    case orc::Type::DOUBLE: return SqlType::Float64();
    // Hive 0.11's decimals have no precision: Hive reads them as decimal(38,18).
    case orc::Type::DECIMAL: return t.precision() ? SqlType::Decimal(std::min<int>(t.precision(), 38), t.scale()) : SqlType::Decimal(38, 18);
    case orc::Type::DATE: return SqlType::Date();
    case orc::Type::TIMESTAMP: case orc::Type::TIMESTAMP_INSTANT: return SqlType::Timestamp();
    case orc::Type::CHAR: return SqlType::Char(t.maximumlength() ? static_cast<int>(t.maximumlength()) : 1);
    case orc::Type::VARCHAR: return SqlType::Varchar(t.maximumlength() ? static_cast<int>(t.maximumlength()) : 65535);
    default: return SqlType::Varchar(65535);
  }
}

}  // namespace strata
