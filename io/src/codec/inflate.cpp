// SPDX-License-Identifier: MIT
#include "inflate.h"

#include <zlib.h>

#include <limits>
#include <string>

namespace cvx::io::codec {

Status inflateBuffer(const uint8_t* data, size_t size, uint8_t* out, size_t outSize, size_t& produced) {
  produced = 0;
  if (size > std::numeric_limits<uInt>::max() || outSize > std::numeric_limits<uInt>::max())
    return makeError("deflate.too_large", "buffer larger than 4 GiB");
  // A zlib wrapper (RFC 1950) has CM 8 in the low nibble and a header divisible by 31.
  const bool zlibWrapped = size >= 2 && (data[0] & 0x0F) == 8 && ((data[0] << 8) | data[1]) % 31 == 0;
  z_stream z{};
  if (inflateInit2(&z, zlibWrapped ? 15 : -15) != Z_OK) return makeError("deflate.corrupt", "inflateInit2 failed");
  z.next_in = const_cast<Bytef*>(data);
  z.avail_in = static_cast<uInt>(size);
  z.next_out = out;
  z.avail_out = static_cast<uInt>(outSize);
  const int r = inflate(&z, Z_FINISH);
  produced = outSize - z.avail_out;
  const std::string why = z.msg ? z.msg : "";
  inflateEnd(&z);
  if (r == Z_STREAM_END) return {};
  if (r == Z_BUF_ERROR && z.avail_out == 0) return makeError("deflate.too_large", "inflated data exceeds the frame size");
  return makeError("deflate.corrupt", why.empty() ? "stream ends before its final block" : why);
}

}  // namespace cvx::io::codec
