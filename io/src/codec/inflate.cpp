// SPDX-License-Identifier: MIT
// The one zlib inflater (inflate.h).
#include "codec/inflate.h"

#include <zlib.h>

#include <algorithm>

namespace cvx::io::codec {
namespace {

constexpr size_t kChunk = size_t{1} << 30;  // what one zlib call sees (its counts are 32-bit)

int windowBits(Inflater::Wrap w) {
  switch (w) {
    case Inflater::Wrap::Raw: return -15;
    case Inflater::Wrap::Zlib: return 15;
    case Inflater::Wrap::GzipOrZlib: return 15 + 32;
  }
  return 15;
}

}  // namespace

Inflater::Inflater(Wrap wrap) : z_(std::make_unique<z_stream_s>()) {
  *z_ = z_stream_s{};
  ready_ = inflateInit2(z_.get(), windowBits(wrap)) == Z_OK;
  if (!ready_) message_ = "zlib init failed";
}

Inflater::~Inflater() {
  if (ready_) inflateEnd(z_.get());
}

void Inflater::reset() {
  if (ready_) inflateReset(z_.get());
}

Inflater::Step Inflater::run(const uint8_t* in, size_t inSize, uint8_t* out, size_t outSize, size_t& inUsed,
                             size_t& outUsed) {
  inUsed = outUsed = 0;
  if (!ready_) return Step::Corrupt;
  for (;;) {
    const size_t inChunk = std::min(inSize - inUsed, kChunk), outChunk = std::min(outSize - outUsed, kChunk);
    z_->next_in = const_cast<Bytef*>(in + inUsed);
    z_->avail_in = static_cast<uInt>(inChunk);
    z_->next_out = out + outUsed;
    z_->avail_out = static_cast<uInt>(outChunk);
    const int rc = inflate(z_.get(), Z_NO_FLUSH);
    inUsed += inChunk - z_->avail_in;
    outUsed += outChunk - z_->avail_out;
    if (rc == Z_STREAM_END) return Step::End;
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      message_ = z_->msg ? z_->msg : "zlib error";
      return Step::Corrupt;
    }
    if (outUsed == outSize) return Step::More;
    if (z_->avail_in == inChunk && z_->avail_out == outChunk) return Step::NeedInput;  // no progress
  }
}

Status inflateBuffer(const uint8_t* data, size_t size, uint8_t* out, size_t outSize, size_t& produced) {
  // A zlib wrapper (RFC 1950) has CM 8 in the low nibble and a header divisible by 31.
  const bool zlibWrapped = size >= 2 && (data[0] & 0x0F) == 8 && ((data[0] << 8) | data[1]) % 31 == 0;
  Inflater inf(zlibWrapped ? Inflater::Wrap::Zlib : Inflater::Wrap::Raw);
  size_t used = 0;
  produced = 0;
  switch (inf.run(data, size, out, outSize, used, produced)) {
    case Inflater::Step::End: return {};
    case Inflater::Step::More: {
      // Full: the stream may still end here (its final block's end code needs no output space).
      uint8_t extra = 0;
      size_t moreIn = 0, moreOut = 0;
      const auto last = inf.run(data + used, size - used, &extra, 1, moreIn, moreOut);
      if (last == Inflater::Step::End && moreOut == 0) return {};
      if (last == Inflater::Step::Corrupt) return makeError("deflate.corrupt", inf.message());
      return makeError("deflate.too_large", "inflated data exceeds the frame size");
    }
    case Inflater::Step::NeedInput: return makeError("deflate.corrupt", "stream ends before its final block");
    case Inflater::Step::Corrupt: break;
  }
  return makeError("deflate.corrupt", inf.message());
}

}  // namespace cvx::io::codec
