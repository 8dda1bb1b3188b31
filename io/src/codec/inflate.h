// SPDX-License-Identifier: MIT
// The one zlib inflater: a resumable deflate (RFC 1951) stream, raw, zlib-wrapped (RFC 1950) or
// gzip (RFC 1952), over buffers of any size (fed to zlib in chunks under 4 GiB). The DICOM
// decoders (inflateBuffer) and the image-format readers (fmt::inflateExact) are thin policies on it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include <cvx/core/error.h>

struct z_stream_s;

namespace cvx::io::codec {

class Inflater {
 public:
  enum class Wrap { Raw, Zlib, GzipOrZlib };
  enum class Step { More, End, NeedInput, Corrupt };  // More: out is full, the stream goes on

  explicit Inflater(Wrap wrap);
  ~Inflater();
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  // Inflates from in[0, inSize) into out[0, outSize) until the stream ends (End), out is full
  // (More), the input is used up before the end (NeedInput) or the data is bad (Corrupt, see
  // message()); inUsed and outUsed receive the bytes consumed and produced.
  Step run(const uint8_t* in, size_t inSize, uint8_t* out, size_t outSize, size_t& inUsed, size_t& outUsed);
  // Starts the next stream (a concatenated gzip member) with the same wrapping.
  void reset();
  const std::string& message() const { return message_; }

 private:
  std::unique_ptr<z_stream_s> z_;
  bool ready_ = false;
  std::string message_;
};

// Inflates a raw deflate stream (or a zlib-wrapped one, detected by its header) into out. The
// stream must end within outSize bytes; produced receives the byte count. Errors:
// deflate.corrupt (bad data, or the stream ends early without its final block),
// deflate.too_large (more than outSize bytes).
Status inflateBuffer(const uint8_t* data, size_t size, uint8_t* out, size_t outSize, size_t& produced);

}  // namespace cvx::io::codec
