// ByteStream: the one thing the PostgreSQL protocol code needs from a connection — read an
// exact number of bytes, write bytes, flush. Keeping framing behind this small interface lets
// the whole protocol run byte for byte over MemoryByteStream in tests (as LevelDB's Env lets
// tests swap the file system) and over a TCP socket in the server (socket_byte_stream.h).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace strata::pgwire {

class ByteStream {
 public:
  virtual ~ByteStream() = default;
  // Reads exactly n bytes into dst. Returns false if the stream ended or failed first; the
  // contents of dst are then unspecified.
  virtual bool ReadExact(void* dst, size_t n) = 0;
  // Sends n bytes (an implementation may buffer them until Flush). False on failure.
  virtual bool Write(const void* src, size_t n) = 0;
  // Pushes any buffered bytes out. False on failure.
  virtual bool Flush() = 0;
  // Ends the connection; later reads fail. Idempotent.
  virtual void Close() = 0;
  // True when the peer has closed the connection (or it broke), without reading anything;
  // a long query checks this while its client waits. Streams that cannot tell say false.
  virtual bool PeerGone() { return false; }
  // Makes a read blocked on another thread return (the stream then reads as ended) while
  // writes still work; thread-safe. Used by pg_terminate_backend. Default: nothing.
  virtual void InterruptRead() {}
};

// A stream over an in-memory script: reads consume `input`, writes append to output().
class MemoryByteStream : public ByteStream {
 public:
  explicit MemoryByteStream(std::string input = {}) : input_(std::move(input)) {}

  bool ReadExact(void* dst, size_t n) override;
  bool Write(const void* src, size_t n) override;
  bool Flush() override;
  void Close() override { closed_ = true; }

  // Appends more input, e.g. between two turns of a test.
  void AddInput(std::string_view bytes) { input_.append(bytes); }
  const std::string& output() const { return output_; }
  // Bytes written and flushed so far (what a peer would have seen).
  const std::string& flushed() const { return flushed_; }
  size_t flush_count() const { return flush_count_; }
  bool closed() const { return closed_; }
  bool input_exhausted() const { return read_pos_ >= input_.size(); }

 private:
  std::string input_;
  size_t read_pos_ = 0;
  std::string output_;
  std::string flushed_;
  size_t flush_count_ = 0;
  bool closed_ = false;
};

}  // namespace strata::pgwire
