// SPDX-License-Identifier: MIT
// Fast JPEG lossless decoder (ITU-T T.81 process 14, Huffman), used for transfer syntaxes
// 1.2.840.10008.1.2.4.57 and .70; anything else it reports as jpeg.unsupported (use DCMTK then).
#pragma once
#include <cstddef>
#include <cstdint>

#include <cvx/core/error.h>

namespace cvx::io::codec {

// The frame and scan header of a lossless JPEG stream.
struct JpegInfo {
  uint16_t rows = 0, cols = 0;
  uint8_t precision = 0;       // P: 2..16 bits per sample
  uint8_t components = 0;      // 1 (grayscale) or 3 (colour, decoded interleaved)
  uint8_t predictor = 0;       // Ss of the scan: 1..7 (0 only in hierarchical mode: unsupported)
  uint8_t pointTransform = 0;  // Pt: decoded differences are shifted left by Pt
  uint16_t restartInterval = 0;
  // Number of uint16 values decodeJpegLossless writes: rows * cols * components.
  size_t sampleCount() const { return size_t(rows) * cols * components; }
};

// Reads the headers (SOF3, DHT, DRI, SOS) without decoding. Errors: jpeg.bad_marker,
// jpeg.truncated, jpeg.bad_huffman, jpeg.unsupported (other processes, arithmetic coding,
// more than one scan, 2 or 4 components, DNL).
Result<JpegInfo> peekJpegInfo(const uint8_t* data, size_t size);

// Decodes one frame into `out` (outCount >= sampleCount(), row-major, components interleaved).
// Values are the stored sample values in [0, 2^P) shifted left by Pt; for signed pixel data the
// caller sign-extends from BitsStored. Every read is bounded by `size`; malformed input gives
// jpeg.bad_marker, jpeg.truncated, jpeg.bad_huffman or jpeg.unsupported, never a crash.
// `info` (optional) receives the headers.
Status decodeJpegLossless(const uint8_t* data, size_t size, uint16_t* out, size_t outCount,
                          JpegInfo* info = nullptr);

}  // namespace cvx::io::codec
