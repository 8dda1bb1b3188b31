// SPDX-License-Identifier: MIT
// Window/level mapping of a stored-and-rescaled value to 0..1, for CPU and GPU alike.
#pragma once
#include <cvx/core/hd/config.h>

namespace cvx::hd {

// The DICOM linear VOI LUT function (PS3.3 C.11.2.1.2.1) scaled to an output range of 0..1:
// 0 at or below c - 0.5 - (w-1)/2, 1 above c - 0.5 + (w-1)/2, linear in between. A width
// below 1 is invalid in DICOM; it is treated as 1, a hard threshold at c - 0.5.
CVX_HD_INLINE float applyWindow(float value, float center, float width) {
  const float w = width < 1.0f ? 1.0f : width;
  const float c = center - 0.5f;
  const float half = (w - 1.0f) * 0.5f;
  if (value <= c - half) return 0.0f;
  if (value > c + half) return 1.0f;
  return (value - c) / (w - 1.0f) + 0.5f;
}

// A display value 0..1 (a premultiplied colour over black) as a byte, rounded to nearest: NaN
// and values below 0 give 0, above 1 give 255; the same as std::lround(y) for y = x * 255 in float.
// For y >= 0.5 the float sum y + 0.5f cannot round up across an integer (an integer minus y + 0.5
// is a multiple of y's ulp, at least half the sum's), so truncating it is lround; below 0.5 the sum
// can round up to 1, hence the test. The 3D view's bytes on the CPU and in the CUDA interop kernel
// (cuda/gl) are this one function.
CVX_HD_INLINE unsigned char displayByte(float x) {
  if (!(x > 0.0f)) return 0;
  if (x >= 1.0f) return 255;
  const float y = x * 255.0f;
  return y < 0.5f ? 0 : static_cast<unsigned char>(y + 0.5f);
}

// A premultiplied RGBA pixel over black as the 3D view's bytes R, G, B, 255 in memory order (one
// little-endian word: R lowest), each channel displayByte.
CVX_HD_INLINE unsigned int displayPixel(const float* rgba) {
  return 0xFF000000u | displayByte(rgba[0]) | static_cast<unsigned int>(displayByte(rgba[1])) << 8 |
         static_cast<unsigned int>(displayByte(rgba[2])) << 16;
}

}  // namespace cvx::hd
