// Byte sources and sinks: the two small interfaces every loader and unloader reads and writes
// through, whatever holds the bytes (a local file, an S3 object, a decompressor, memory).
// Readers of text formats read sequentially; the Parquet reader reads the footer first and then
// column chunks anywhere, so a source answers reads at any offset (a decompressing source only
// in increasing order, which is all a text reader asks of it).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

namespace strata {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Total size in bytes, or -1 when unknown until the end is reached (a decompressed stream).
  virtual int64_t Size() = 0;
  // Reads up to n bytes at `offset` into buf; returns the count, fewer than n only at the end.
  // Throws SqlError on I/O failure (58030), or when the source cannot seek backwards.
  virtual size_t ReadAt(int64_t offset, char* buf, size_t n) = 0;
  // A name for error messages: the URL or path.
  virtual const std::string& Name() const = 0;
};

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual void Append(std::string_view data) = 0;
  // Makes everything appended durable/visible (uploads the last part, closes the file).
  // Nothing is visible at the destination before Finish() returns.
  virtual void Finish() = 0;
  virtual int64_t BytesWritten() const = 0;
};

// Every byte of `src`, read from the start (a JSONPaths file, a COPY manifest, an Avro file).
inline std::string ReadAllBytes(ByteSource& src) {
  std::string out;
  char buf[1 << 16];
  int64_t off = 0;
  while (size_t n = src.ReadAt(off, buf, sizeof buf)) {
    out.append(buf, n);
    off += static_cast<int64_t>(n);
  }
  return out;
}

// A source over bytes held in memory (COPY FROM STDIN, tests).
class MemorySource : public ByteSource {
 public:
  MemorySource(std::string name, std::string data) : name_(std::move(name)), data_(std::move(data)) {}
  int64_t Size() override { return static_cast<int64_t>(data_.size()); }
  size_t ReadAt(int64_t offset, char* buf, size_t n) override {
    if (offset >= static_cast<int64_t>(data_.size())) return 0;
    size_t k = std::min(n, data_.size() - static_cast<size_t>(offset));
    std::memcpy(buf, data_.data() + offset, k);
    return k;
  }
  const std::string& Name() const override { return name_; }

 private:
  std::string name_;
  std::string data_;
};

// A sink that collects bytes in memory.
class MemorySink : public ByteSink {
 public:
  void Append(std::string_view data) override { data_.append(data); }
  void Finish() override {}
  int64_t BytesWritten() const override { return static_cast<int64_t>(data_.size()); }
  const std::string& data() const { return data_; }

 private:
  std::string data_;
};

}  // namespace strata
