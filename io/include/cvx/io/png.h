// SPDX-License-Identifier: MIT
// A minimal PNG writer over zlib (no other dependency): 8-bit grey, RGB or RGBA, no interlace.
#pragma once
#include <cstdint>
#include <string>

#include <cvx/core/error.h>

namespace cvx::io {

// Writes `rows` (height rows of width * channels bytes each, top row first, no padding) as an
// 8-bit PNG: channels 1 grey, 3 RGB, 4 RGBA. Signature, IHDR, IDAT (zlib deflate, filter 0 on
// every row; split in chunks of at most 1 MiB), IEND, each chunk's CRC-32 from zlib. Written
// atomically (temp + rename): no partial file is left on failure.
// Errors: io.write_failed (a size outside 1..65535, channels not 1/3/4, no rows, or the file
// cannot be written).
Status writePng(const std::string& path, int width, int height, int channels, const uint8_t* rows);

}  // namespace cvx::io
