#include "executor/batch_codec.h"

#include <cstring>

#include <lz4.h>

#include "sql/error.h"

namespace strata {

namespace {

template <typename T>
void Put(std::string* s, T v) { s->append(reinterpret_cast<const char*>(&v), sizeof v); }

struct Reader {
  std::string_view in;
  size_t pos = 0;
  const char* Take(size_t n) {
    if (pos + n > in.size()) throw SqlError(sqlstate::kProtocolViolation, "truncated batch on an exchange stream");
    const char* p = in.data() + pos;
    pos += n;
    return p;
  }
  template <typename T> T Get() { T v; std::memcpy(&v, Take(sizeof v), sizeof v); return v; }
};

}  // namespace

std::string EncodeBatch(const Batch& b) {
  std::string raw;
  Put<uint32_t>(&raw, static_cast<uint32_t>(b.columns.size()));
  Put<uint32_t>(&raw, static_cast<uint32_t>(b.rows));
  for (const Vector& v : b.columns) {
    const SqlType& t = v.type();
    Put<uint8_t>(&raw, static_cast<uint8_t>(t.id));
    Put<int32_t>(&raw, t.precision);
    Put<int32_t>(&raw, t.scale);
    Put<int32_t>(&raw, t.length);
    raw.append(reinterpret_cast<const char*>(v.nulls()), b.rows);
    if (v.physical() == PhysicalType::kString) {
      const auto* d = v.data<std::string_view>();
      for (size_t i = 0; i < b.rows; ++i) Put<uint32_t>(&raw, static_cast<uint32_t>(d[i].size()));
      for (size_t i = 0; i < b.rows; ++i) raw.append(d[i].data(), d[i].size());
    } else {
      raw.append(reinterpret_cast<const char*>(v.data<uint8_t>()), b.rows * PhysicalWidth(v.physical()));
    }
  }
  std::string out;
  int bound = LZ4_compressBound(static_cast<int>(raw.size()));
  out.resize(4 + bound);
  uint32_t raw_size = static_cast<uint32_t>(raw.size());
  std::memcpy(out.data(), &raw_size, 4);
  int n = LZ4_compress_default(raw.data(), out.data() + 4, static_cast<int>(raw.size()), bound);
  out.resize(4 + n);
  return out;
}

Batch DecodeBatch(std::string_view bytes) {
  if (bytes.size() < 4) throw SqlError(sqlstate::kProtocolViolation, "truncated batch on an exchange stream");
  uint32_t raw_size;
  std::memcpy(&raw_size, bytes.data(), 4);
  std::string raw(raw_size, '\0');
  int n = LZ4_decompress_safe(bytes.data() + 4, raw.data(), static_cast<int>(bytes.size() - 4), static_cast<int>(raw_size));
  if (n != static_cast<int>(raw_size)) throw SqlError(sqlstate::kProtocolViolation, "corrupt batch on an exchange stream");
  Reader r{raw};
  uint32_t ncols = r.Get<uint32_t>();
  uint32_t rows = r.Get<uint32_t>();
  Batch b;
  b.rows = rows;
  for (uint32_t c = 0; c < ncols; ++c) {
    SqlType t;
    t.id = static_cast<TypeId>(r.Get<uint8_t>());
    t.precision = r.Get<int32_t>();
    t.scale = r.Get<int32_t>();
    t.length = r.Get<int32_t>();
    Vector v(t, rows);
    std::memcpy(v.nulls(), r.Take(rows), rows);
    if (v.physical() == PhysicalType::kString) {
      std::vector<uint32_t> lens(rows);
      for (uint32_t i = 0; i < rows; ++i) lens[i] = r.Get<uint32_t>();
      auto* d = v.data<std::string_view>();
      for (uint32_t i = 0; i < rows; ++i) {
        const char* p = r.Take(lens[i]);
        d[i] = v.OwnHeap().Add({p, lens[i]});
      }
    } else {
      size_t w = PhysicalWidth(v.physical());
      std::memcpy(v.data<uint8_t>(), r.Take(rows * w), rows * w);
    }
    b.columns.push_back(std::move(v));
  }
  return b;
}

}  // namespace strata
