// SPDX-License-Identifier: MIT
// The one frame-size computation (frame_size.h).
#include "dicom/frame_size.h"

#include <limits>

namespace cvx::io::detail {

bool isSubsampled422(const PixelFormat& p) {
  return p.samplesPerPixel == 3 && (p.photometric == "YBR_FULL_422" || p.photometric == "YBR_PARTIAL_422");
}

uint32_t storedSamplesPerPixel(const PixelFormat& p) { return isSubsampled422(p) ? 2u : p.samplesPerPixel; }

uint64_t frameBits(const PixelFormat& p) {
  return uint64_t{p.rows} * p.cols * storedSamplesPerPixel(p) * p.bitsAllocated;
}

uint64_t frameBytes(const PixelFormat& p) { return (frameBits(p) + 7) / 8; }

std::optional<uint64_t> framesBytes(const PixelFormat& p, uint64_t frames) {
  const uint64_t bits = frameBits(p);
  if (bits == 0 || frames == 0) return 0;
  if (frames > (std::numeric_limits<uint64_t>::max() - 7) / bits) return std::nullopt;
  return (frames * bits + 7) / 8;
}

}  // namespace cvx::io::detail
