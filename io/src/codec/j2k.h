// SPDX-License-Identifier: MIT
// JPEG 2000 Part 1 and HTJ2K (Part 15) decoding with OpenJPEG (>= 2.5 reads both), from memory.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include <cvx/core/error.h>

namespace cvx::io::codec {

struct J2kInfo {
  uint32_t width = 0, height = 0;
  uint32_t components = 0;
  uint32_t precision = 0;  // bits per sample of the first component
  bool isSigned = false;
};

// Decodes a raw codestream (SOC FF4F) or a JP2 file into interleaved samples of sampleBytes
// (1 or 2, host order; signed values in two's complement, cut to the sample width). The
// decoder applies the inverse colour transform (RCT/ICT) itself. Errors: j2k.decode_failed
// (OpenJPEG's message), j2k.unsupported (subsampled or unequal components, more than 16 bits).
Status decodeJ2k(const uint8_t* data, size_t size, unsigned sampleBytes, std::vector<uint8_t>& out, J2kInfo& info);

}  // namespace cvx::io::codec
