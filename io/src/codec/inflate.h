// SPDX-License-Identifier: MIT
// Deflate (RFC 1951) decoding of one buffer into a buffer of known size, with zlib.
#pragma once
#include <cstddef>
#include <cstdint>

#include <cvx/core/error.h>

namespace cvx::io::codec {

// Inflates a raw deflate stream (or a zlib-wrapped one, detected by its header) into out. The
// stream must end within outSize bytes; produced receives the byte count. Errors:
// deflate.corrupt (bad data, or the stream ends early without its final block),
// deflate.too_large (more than outSize bytes).
Status inflateBuffer(const uint8_t* data, size_t size, uint8_t* out, size_t outSize, size_t& produced);

}  // namespace cvx::io::codec
