// Parquet value and level encodings (see parquet_encoding.h for the formats).
#include "formats/parquet_encoding.h"

#include <algorithm>
#include <cstring>

#include "sql/error.h"

namespace strata::parquet {

void ThrowCorruptEncoding(const char* what) {
  STRATA_USER_ERROR(sqlstate::kBadCopyFileFormat, "corrupt Parquet page: ", what);
}

int BitWidth(uint64_t v) { return v == 0 ? 0 : 64 - __builtin_clzll(v); }

namespace {

// Reads `width` (<= 64) bits starting at bit `pos` of p, LSB first.
inline uint64_t ReadBits(const uint8_t* p, size_t pos, int width) {
  uint64_t v = 0;
  int got = 0;
  size_t byte = pos >> 3;
  int shift = static_cast<int>(pos & 7);
  while (got < width) {
    int take = std::min(8 - shift, width - got);
    uint64_t bits = (static_cast<uint64_t>(p[byte++]) >> shift) & ((1u << take) - 1);
    v |= bits << got;
    got += take;
    shift = 0;
  }
  return v;
}

// Appends values bit-packed LSB first at `width` bits each.
class BitWriter {
 public:
  explicit BitWriter(std::string* out) : out_(out) {}
  void Put(uint64_t v, int width) {
    for (int done = 0; done < width;) {
      int take = std::min(8 - bits_, width - done);
      acc_ |= static_cast<uint8_t>(((v >> done) & ((1u << take) - 1)) << bits_);
      bits_ += take;
      done += take;
      if (bits_ == 8) Flush();
    }
  }
  void Flush() {
    if (bits_ > 0) out_->push_back(static_cast<char>(acc_));
    acc_ = 0;
    bits_ = 0;
  }

 private:
  std::string* out_;
  uint8_t acc_ = 0;
  int bits_ = 0;
};

void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

uint64_t GetVarint(const uint8_t** p, const uint8_t* end) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (*p >= end) ThrowCorruptEncoding("varint beyond page");
    uint8_t b = *(*p)++;
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return v;
  }
  ThrowCorruptEncoding("varint too long");
}

int64_t GetZigzag(const uint8_t** p, const uint8_t* end) {
  uint64_t u = GetVarint(p, end);
  return static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
}

}  // namespace

RleBitPackedDecoder::RleBitPackedDecoder(const uint8_t* data, size_t size, int bit_width)
    : p_(data), end_(data + size), bit_width_(bit_width) {
  if (bit_width < 0 || bit_width > 32) ThrowCorruptEncoding("bit width above 32");
}

void RleBitPackedDecoder::NextRun() {
  uint64_t h = GetVarint(&p_, end_);
  if (h & 1) {
    uint64_t groups = h >> 1;
    if (groups == 0 || groups > (1u << 26)) ThrowCorruptEncoding("bad bit-packed run");
    size_t bytes = groups * bit_width_;
    size_t avail = std::min<size_t>(bytes, end_ - p_);  // a last run may be cut short
    literal_ = p_;
    literal_bits_ = avail * 8;
    literal_pos_ = 0;
    literal_left_ = static_cast<uint32_t>(groups * 8);
    p_ += avail;
  } else {
    uint64_t count = h >> 1;
    if (count == 0 || count > (1u << 31)) ThrowCorruptEncoding("bad RLE run");
    int nbytes = (bit_width_ + 7) / 8;
    if (end_ - p_ < nbytes) ThrowCorruptEncoding("RLE value beyond page");
    uint32_t v = 0;
    for (int i = 0; i < nbytes; ++i) v |= static_cast<uint32_t>(p_[i]) << (8 * i);
    p_ += nbytes;
    rle_value_ = v;
    rle_left_ = static_cast<uint32_t>(count);
  }
}

void RleBitPackedDecoder::Decode(uint32_t* out, size_t n) {
  while (n > 0) {
    if (rle_left_ > 0) {
      size_t k = std::min<size_t>(n, rle_left_);
      std::fill(out, out + k, rle_value_);
      out += k;
      n -= k;
      rle_left_ -= static_cast<uint32_t>(k);
    } else if (literal_left_ > 0) {
      size_t k = std::min<size_t>(n, literal_left_);
      if (literal_pos_ + k * bit_width_ > literal_bits_) ThrowCorruptEncoding("bit-packed run beyond page");
      for (size_t i = 0; i < k; ++i) {
        out[i] = static_cast<uint32_t>(ReadBits(literal_, literal_pos_, bit_width_));
        literal_pos_ += bit_width_;
      }
      out += k;
      n -= k;
      literal_left_ -= static_cast<uint32_t>(k);
    } else {
      NextRun();
    }
  }
}

void EncodeRleBitPacked(const uint32_t* values, size_t n, int bit_width, std::string* out) {
  size_t i = 0, lit_start = 0;
  auto flush_literals = [&](size_t end) {  // [lit_start, end), padded to a multiple of 8
    if (end == lit_start) return;
    size_t count = end - lit_start;
    size_t groups = (count + 7) / 8;
    PutVarint((groups << 1) | 1, out);
    BitWriter bw(out);
    for (size_t k = 0; k < groups * 8; ++k) bw.Put(k < count ? values[lit_start + k] : 0, bit_width);
    bw.Flush();
  };
  int value_bytes = (bit_width + 7) / 8;
  while (i < n) {
    size_t run = 1;
    while (i + run < n && values[i + run] == values[i]) ++run;
    size_t pending = i - lit_start;
    size_t fill = (8 - pending % 8) % 8;  // literal groups must stay whole mid-stream
    if (run >= fill + 8) {
      i += fill;
      flush_literals(i);
      size_t rle = run - fill;
      PutVarint(static_cast<uint64_t>(rle) << 1, out);
      for (int b = 0; b < value_bytes; ++b) out->push_back(static_cast<char>(values[i] >> (8 * b)));
      i += rle;
      lit_start = i;
    } else {
      i += run;
    }
  }
  flush_literals(n);
}

size_t DecodeDeltaBinaryPacked(const uint8_t* data, size_t size, size_t max_values,
                               std::vector<int64_t>* out) {
  const uint8_t* p = data;
  const uint8_t* end = data + size;
  uint64_t block_size = GetVarint(&p, end);
  uint64_t miniblocks = GetVarint(&p, end);
  uint64_t total = GetVarint(&p, end);
  int64_t first = GetZigzag(&p, end);
  if (block_size == 0 || block_size % 128 != 0 || block_size > (1u << 20) || miniblocks == 0 ||
      block_size % miniblocks != 0 || (block_size / miniblocks) % 32 != 0) {
    ThrowCorruptEncoding("bad DELTA_BINARY_PACKED header");
  }
  if (total > max_values) ThrowCorruptEncoding("DELTA_BINARY_PACKED holds more values than the page");
  out->resize(total);
  if (total == 0) return p - data;
  size_t per_mini = block_size / miniblocks;
  (*out)[0] = first;
  uint64_t last = static_cast<uint64_t>(first);
  size_t i = 1;
  while (i < total) {
    uint64_t min_delta = static_cast<uint64_t>(GetZigzag(&p, end));
    if (static_cast<uint64_t>(end - p) < miniblocks) ThrowCorruptEncoding("miniblock widths beyond page");
    const uint8_t* widths = p;
    p += miniblocks;
    for (uint64_t m = 0; m < miniblocks && i < total; ++m) {
      int w = widths[m];
      if (w > 64) ThrowCorruptEncoding("miniblock bit width above 64");
      size_t bytes = per_mini * w / 8;
      size_t take = std::min<size_t>(per_mini, total - i);
      size_t avail = std::min<size_t>(bytes, end - p);
      if (take * w > avail * 8) ThrowCorruptEncoding("miniblock beyond page");
      for (size_t j = 0; j < take; ++j) {
        last += min_delta + ReadBits(p, j * w, w);
        (*out)[i++] = static_cast<int64_t>(last);
      }
      p += avail;
    }
  }
  return p - data;
}

void EncodeDeltaBinaryPacked(const int64_t* values, size_t n, std::string* out) {
  constexpr size_t kBlock = 128, kMinis = 4, kPerMini = kBlock / kMinis;
  PutVarint(kBlock, out);
  PutVarint(kMinis, out);
  PutVarint(n, out);
  int64_t first = n > 0 ? values[0] : 0;
  PutVarint((static_cast<uint64_t>(first) << 1) ^ static_cast<uint64_t>(first >> 63), out);
  uint64_t deltas[kBlock];
  for (size_t start = 1; start < n; start += kBlock) {
    size_t count = std::min(kBlock, n - start);
    int64_t min_delta = INT64_MAX;
    for (size_t k = 0; k < count; ++k) {
      int64_t d = static_cast<int64_t>(static_cast<uint64_t>(values[start + k]) -
                                       static_cast<uint64_t>(values[start + k - 1]));
      deltas[k] = static_cast<uint64_t>(d);
      min_delta = std::min(min_delta, d);
    }
    PutVarint((static_cast<uint64_t>(min_delta) << 1) ^ static_cast<uint64_t>(min_delta >> 63), out);
    int widths[kMinis] = {0, 0, 0, 0};
    for (size_t k = 0; k < count; ++k) {
      deltas[k] -= static_cast<uint64_t>(min_delta);
      widths[k / kPerMini] = std::max(widths[k / kPerMini], BitWidth(deltas[k]));
    }
    for (int w : widths) out->push_back(static_cast<char>(w));
    for (size_t m = 0; m * kPerMini < count; ++m) {
      BitWriter bw(out);
      for (size_t k = m * kPerMini; k < (m + 1) * kPerMini; ++k) bw.Put(k < count ? deltas[k] : 0, widths[m]);
      bw.Flush();
    }
  }
}

size_t DecodeDeltaLengthByteArray(const uint8_t* data, size_t size, size_t max_values,
                                  std::vector<std::string_view>* out) {
  std::vector<int64_t> lengths;
  size_t pos = DecodeDeltaBinaryPacked(data, size, max_values, &lengths);
  out->resize(lengths.size());
  for (size_t i = 0; i < lengths.size(); ++i) {
    if (lengths[i] < 0 || static_cast<uint64_t>(lengths[i]) > size - pos) {
      ThrowCorruptEncoding("DELTA_LENGTH_BYTE_ARRAY value beyond page");
    }
    (*out)[i] = std::string_view(reinterpret_cast<const char*>(data + pos), lengths[i]);
    pos += lengths[i];
  }
  return pos;
}

void EncodeDeltaLengthByteArray(const std::string_view* values, size_t n, std::string* out) {
  std::vector<int64_t> lengths(n);
  for (size_t i = 0; i < n; ++i) lengths[i] = static_cast<int64_t>(values[i].size());
  EncodeDeltaBinaryPacked(lengths.data(), n, out);
  for (size_t i = 0; i < n; ++i) out->append(values[i]);
}

void DecodeDeltaByteArray(const uint8_t* data, size_t size, size_t max_values,
                          std::vector<std::string_view>* out, std::string* arena) {
  std::vector<int64_t> prefixes;
  size_t pos = DecodeDeltaBinaryPacked(data, size, max_values, &prefixes);
  std::vector<std::string_view> suffixes;
  DecodeDeltaLengthByteArray(data + pos, size - pos, max_values, &suffixes);
  if (suffixes.size() != prefixes.size()) ThrowCorruptEncoding("DELTA_BYTE_ARRAY counts differ");
  size_t total = 0;
  int64_t prev_len = 0;
  for (size_t i = 0; i < prefixes.size(); ++i) {
    if (prefixes[i] < 0 || prefixes[i] > prev_len) ThrowCorruptEncoding("DELTA_BYTE_ARRAY prefix too long");
    prev_len = prefixes[i] + static_cast<int64_t>(suffixes[i].size());
    total += prev_len;
  }
  arena->clear();
  arena->reserve(total);  // no reallocation below: views stay valid
  out->resize(prefixes.size());
  std::string_view prev;
  for (size_t i = 0; i < prefixes.size(); ++i) {
    size_t start = arena->size();
    arena->append(prev.data(), prefixes[i]);
    arena->append(suffixes[i]);
    prev = std::string_view(arena->data() + start, arena->size() - start);
    (*out)[i] = prev;
  }
}

void EncodeDeltaByteArray(const std::string_view* values, size_t n, std::string* out) {
  std::vector<int64_t> prefixes(n);
  std::vector<std::string_view> suffixes(n);
  std::string_view prev;
  for (size_t i = 0; i < n; ++i) {
    size_t k = 0, lim = std::min(prev.size(), values[i].size());
    while (k < lim && prev[k] == values[i][k]) ++k;
    prefixes[i] = static_cast<int64_t>(k);
    suffixes[i] = values[i].substr(k);
    prev = values[i];
  }
  EncodeDeltaBinaryPacked(prefixes.data(), n, out);
  EncodeDeltaLengthByteArray(suffixes.data(), n, out);
}

void DecodeByteStreamSplit(const uint8_t* data, size_t size, size_t n, int width, uint8_t* out) {
  if (size < n * width) ThrowCorruptEncoding("BYTE_STREAM_SPLIT beyond page");
  for (int k = 0; k < width; ++k) {
    const uint8_t* stream = data + k * n;
    for (size_t i = 0; i < n; ++i) out[i * width + k] = stream[i];
  }
}

size_t DecodePlainByteArray(const uint8_t* data, size_t size, size_t n, std::string_view* out) {
  size_t pos = 0;
  for (size_t i = 0; i < n; ++i) {
    if (size - pos < 4) ThrowCorruptEncoding("BYTE_ARRAY length beyond page");
    uint32_t len;
    std::memcpy(&len, data + pos, 4);
    pos += 4;
    if (len > size - pos) ThrowCorruptEncoding("BYTE_ARRAY value beyond page");
    out[i] = std::string_view(reinterpret_cast<const char*>(data + pos), len);
    pos += len;
  }
  return pos;
}

void DecodePlainBool(const uint8_t* data, size_t size, size_t n, uint8_t* out) {
  if ((n + 7) / 8 > size) ThrowCorruptEncoding("BOOLEAN values beyond page");
  for (size_t i = 0; i < n; ++i) out[i] = (data[i >> 3] >> (i & 7)) & 1;
}

void EncodePlainBool(const uint8_t* values, size_t n, std::string* out) {
  BitWriter bw(out);
  for (size_t i = 0; i < n; ++i) bw.Put(values[i] ? 1 : 0, 1);
  bw.Flush();
}

}  // namespace strata::parquet
