// SPDX-License-Identifier: MIT
// JPEG lossless internals: the marker segments before the scan (SOF3, DHT, DRI, SOS).
#pragma once
#include <cstddef>
#include <cstdint>

#include <cvx/core/error.h>

#include "codec/jpeg_huffman.h"
#include "codec/jpeg_lossless.h"

namespace cvx::io::codec::detail {

struct JpegHeaders {
  JpegInfo info;
  uint8_t componentIds[4] = {};  // frame order
  uint8_t scanTable[4] = {};     // Huffman table of each frame component in the scan
  HuffTable tables[4];
  size_t entropyStart = 0;       // offset of the first entropy-coded byte
};

// Parses from SOI up to and including the SOS of the first scan. Codes: jpeg.bad_marker,
// jpeg.truncated, jpeg.bad_huffman, jpeg.unsupported.
Status parseJpegHeaders(const uint8_t* data, size_t size, JpegHeaders& h);

}  // namespace cvx::io::codec::detail
