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

}  // namespace cvx::hd
